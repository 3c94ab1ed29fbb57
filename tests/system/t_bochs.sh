# SPDX-License-Identifier: MIT
#
# t_bochs.sh — the ISO boots under Bochs, a second x86 implementation: GRUB
# loads the nucleus and hello.elf, hello runs, and the nucleus, told
# "poweroff=idle", shuts Bochs down through port 0x8900. The ISO is the
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
expect_status shutdown
verdict bochs
