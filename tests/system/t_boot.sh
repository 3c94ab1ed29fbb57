# SPDX-License-Identifier: MIT
#
# t_boot.sh — the nucleus boots, starts the hello program as a boot module, and
# when every domain has ended powers off with status ok and every physical
# frame back on the free list.

boot boot --modules build/user/hello.elf --append poweroff=idle
expect 'sprig: ready'
expect 'hello: hello from user space'
expect_frames_balanced
expect_status ok
verdict boot
