# SPDX-License-Identifier: MIT
#
# t_iotest.sh — DOOR_IO operations: bytes and doors both ways, a door per
# object freed on its unreferenced notification, across a door and linked
# in, and malformed messages against the dispatcher (user/iotest.c).

boot iotest --modules "build/user/iotest.elf server,build/user/iotest.elf client" \
	--append poweroff=idle
expect '^iotest server: serving iotest.notes$'
expect '^iotest client: 39 checks, 0 failed$'
expect_not 'FAILED'
expect_not panic
expect_frames_balanced
expect_status ok
verdict iotest
