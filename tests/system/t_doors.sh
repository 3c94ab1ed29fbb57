# SPDX-License-Identifier: MIT
#
# t_doors.sh — door calls between two domains: the example interface through
# remote and co-located stubs, the fast and general entries agreeing, vanilla
# and bulk transfers both ways, doors passed (copied and moved), every error
# return, unreferenced notification (once, multi, and by a holder's death),
# the depth limit. All
# frames come back when both domains end.

boot doors --modules "build/user/doortest.elf server,build/user/doortest.elf holder,build/user/doortest.elf client" \
	--append poweroff=idle --timeout 60
expect '^doortest client: 85 of 85 checks passed$'
expect '^doortest: bulk 1048576 bytes: echoed back: ok$'
expect '^doortest: door passed moved: the sender.s id is closed: ok$'
expect_not 'FAIL'
expect_not 'killed'
expect '^doortest: a domain that ends drops its references \(holder.s dt.held\): ok$'
expect_count 3 'domain doortest#[1-3] exited with status 0'
expect_frames_balanced
expect_status ok
verdict doors
