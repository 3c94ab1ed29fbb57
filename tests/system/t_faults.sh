# SPDX-License-Identifier: MIT
#
# t_faults.sh — eleven domains each do one forbidden thing; each is killed
# with one log line naming it, the address and the reason, while the nucleus
# and the domains around them (hello before and after) run on, and every
# frame comes back.

kinds="null kernel write-text divide ud gp port fpu breakpoint stack wild-jump"
mods=build/user/hello.elf
for k in $kinds; do mods+=",build/user/fault.elf $k"; done
mods+=",build/user/hello.elf after"
boot faults --modules "$mods" --append poweroff=idle
expect 'killed: page fault at 0x0 \(read, not mapped\) eip 0x'
expect 'killed: page fault at 0xc0100000 \(read, protection\)'
expect 'killed: page fault at 0x80480[0-9a-f]+ \(write, protection\)'
expect 'killed: divide error \(vector 0\)'
expect 'killed: invalid opcode \(vector 6\)'
expect_count 2 'killed: general protection fault \(vector 13\)'
expect 'killed: floating point unavailable \(vector 7\)'
expect 'killed: breakpoint \(vector 3\)'
expect 'killed: page fault at 0xbfeff[0-9a-f]+ \(write, not mapped\)'
expect 'killed: page fault at 0xdeadbeef'
expect_count 11 '^warning: nucleus: domain fault#[0-9]+ killed: '
expect_not 'did not fault'
expect 'hello: argv\[1\] = after'
expect_count 2 'domain hello#[0-9]+ exited with status 0'
expect_not 'panic'
expect_frames_balanced
expect_status ok
verdict faults
