# SPDX-License-Identifier: MIT
#
# t_malformed.sh — malformed boot modules (not ELF; cut short) are refused
# with a clear message naming the module and the reason, while the good
# modules around them start and run.

boot malformed --modules "build/user/hello.elf first,build/user/garbage.elf,build/user/truncated.elf,build/user/hello.elf last" --append poweroff=idle
expect '^error: nucleus: module garbage refused: not an ELF file \(bad magic\)$'
expect '^error: nucleus: module truncated refused: .*truncated'
expect 'hello: argv\[1\] = first'
expect 'hello: argv\[1\] = last'
expect 'sprig: ready \(2 domains'
expect_frames_balanced
expect_status ok
verdict malformed
