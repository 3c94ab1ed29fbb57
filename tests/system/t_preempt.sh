# SPDX-License-Identifier: MIT
#
# t_preempt.sh — two domains that never yield both make progress: B prints
# its first round before A prints its last, which only preemption allows
# (each round is three timer ticks of busy waiting).

boot preempt --modules "build/user/spin.elf A 5,build/user/spin.elf B 5" --append poweroff=idle
expect_count 5 '^spin A: round [1-5]$'
expect_count 5 '^spin B: round [1-5]$'
expect_order '^spin B: round 1$' '^spin A: round 5$'
expect_order '^spin A: round 1$' '^spin B: round 5$'
expect 'domain spin#1 exited with status 0'
expect 'domain spin#2 exited with status 0'
expect_frames_balanced
expect_status ok
verdict preempt
