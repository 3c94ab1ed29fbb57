# SPDX-License-Identifier: MIT
#
# t_iso.sh — the GRUB ISO boots under QEMU: GRUB's multiboot loader (not
# QEMU's) hands over the nucleus, the module and the command line.

boot iso --iso build/test/sprig-test.iso
expect 'sprig: ready'
expect 'command line .*poweroff=idle'
expect 'hello: hello from user space'
expect_frames_balanced
expect_status ok
verdict iso
