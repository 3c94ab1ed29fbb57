# SPDX-License-Identifier: MIT
#
# t_nosep.sh — on a CPU without sysenter (QEMU's qemu32 with -sep) the
# nucleus says so and leaves the MSRs alone, and user space falls back to
# int $0x80 for system calls and to the general door entry: the bad-pointer
# checks and the door tests pass the same.

boot nosep --modules "build/user/badptr.elf,build/user/doortest.elf server,build/user/doortest.elf holder,build/user/doortest.elf client" \
	--append poweroff=idle --timeout 60 -- -cpu qemu32,-sep
expect 'sysenter no'
expect '^badptr: this CPU lacks sysenter$'
expect '^badptr: 60 of 60 checks passed$'
expect '^doortest: no sysenter: the general path: ok$'
expect '^doortest client: 85 of 85 checks passed$'
expect_not 'FAIL'
expect_not 'killed'
expect_frames_balanced
expect_status ok
verdict nosep
