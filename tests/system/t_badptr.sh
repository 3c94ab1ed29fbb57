# SPDX-License-Identifier: MIT
#
# t_badptr.sh — bad pointers, wrapping and nucleus ranges, and bad system-call
# numbers, through sysenter and int $0x80, each get their error return; the
# domain then exits normally and the nucleus gives every frame back.

boot badptr --modules build/user/badptr.elf --append poweroff=idle
expect '^badptr: sysenter: write from NULL: ok \(-14\)$'
expect '^badptr: int80: system call 1000: ok \(-38\)$'
expect '^badptr: 60 of 60 checks passed$'
expect_not 'FAIL'
expect 'domain badptr#1 exited with status 0'
expect_frames_balanced
expect_status ok
verdict badptr
