# SPDX-License-Identifier: MIT
#
# t_doors.sh — door calls between two domains: the example interface through
# remote and co-located stubs, the fast and general entries agreeing, vanilla
# and bulk transfers both ways, doors passed (copied and moved), every error
# return, unreferenced notification (once and multi), the depth limit. All
# frames come back when both domains end.

boot doors --modules "build/user/doortest.elf server,build/user/doortest.elf client" \
	--append poweroff=idle --timeout 60
expect '^doortest client: ([0-9]+) of \1 checks passed$'
expect '^doortest: bulk 1048576 bytes: echoed back: ok$'
expect '^doortest: door passed moved: the sender.s id is closed: ok$'
expect_not 'FAIL'
expect_not 'killed'
expect 'domain doortest#1 exited with status 0'
expect 'domain doortest#2 exited with status 0'
expect_frames_balanced
expect_status ok
verdict doors
