# SPDX-License-Identifier: MIT
#
# t_bochs.sh — the ISO boots under Bochs, a second x86 implementation: GRUB
# loads the nucleus, hello.elf and badptr.elf, both run, and the nucleus, told
# "poweroff=idle", shuts Bochs down through port 0x8900. Bochs checks what
# QEMU does not: segment limits, so badptr's null-DS system call would fault
# in the nucleus if sysenter did not reset DS and ES. The ISO is the
# Makefile's test ISO (build/test/sprig-test.iso, made with that command line).

iso=build/test/sprig-test.iso
if [[ ! -f $iso ]]; then
	fail "no test ISO: make build/test/sprig-test.iso"
	verdict bochs
	return 0
fi
boot_bochs bochs "$iso" --timeout 120
expect 'sprig: ready'
expect 'hello: hello from user space'
expect '^badptr: system call with null DS and ES: ok \(0\)$'
expect '^badptr: 60 of 60 checks passed$'
expect_not 'panic'
expect_frames_balanced
expect_status shutdown
verdict bochs
