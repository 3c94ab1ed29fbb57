# SPDX-License-Identifier: MIT
#
# t_devices.sh — the device manager (user/devtest.c, user/devchild.c): the
# first module gets it from the domain manager and starts drivers with
# ports, an interrupt line (the RTC's periodic interrupt, IRQ 8) or device
# memory granted; a domain without ports faults on in, a driver faults one
# port past its grant, a driver writes COM1 beside the nucleus's log, the
# RTC driver gets one notice per IRQ_ACK, and its line is free again after
# it ends; every refusal is checked; a second module cannot reach any of
# it and faults on in. Every frame comes back.

mods="build/user/devtest.elf manager,build/user/devtest.elf plain"
boot devices --modules "$mods" --append poweroff=idle --timeout 90
expect 'devtest#1 holds the domain manager'
expect '^devchild: inb 0x70 = '
expect '^devchild: inb 0x71 = '
expect '^devchild: written through COM1$'
expect '^devchild: 100 of 100 fast calls to the port server answered$'
expect_count 2 '^devchild rtc: 9 of 9 checks passed$'
expect_count 3 'interrupt line 8 unbound \(masked\)'
expect 'domain devchild#[0-9]+ killed: general protection fault \(vector 13\)'
expect 'domain devclone#[0-9]+ killed: page fault at 0x40000000'
expect '^devtest manager: 57 of 57 checks passed$'
expect '^devtest plain: 3 of 3 checks passed$'
expect 'domain devtest#2 killed: general protection fault \(vector 13\)'
expect 'domain devtest#1 exited with status 0'
expect_not 'FAIL'
expect_not 'panic'
expect_frames_balanced
expect_status ok
verdict devices
