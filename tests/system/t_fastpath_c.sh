# SPDX-License-Identifier: MIT
#
# t_fastpath_c.sh — the door fast path's C reference (doorcall.c) and its
# assembly (fastpath.S) give the same results: with "fastpath=c" the
# nucleus takes the C functions, and the door tests and the CPU-state
# checks pass exactly as they do on the assembly (t_doors, t_cpustate).

mods="build/user/doortest.elf server,build/user/doortest.elf holder,build/user/doortest.elf client"
mods+=",build/user/cpustate.elf segs"
boot fastpath_c --modules "$mods" --append "poweroff=idle fastpath=c" --timeout 60
expect 'door fast path: the C reference'
expect '^doortest client: 85 of 85 checks passed$'
expect '^cpustate segs: 11 of 11 checks passed$'
expect_count 4 'exited with status 0'
expect_not 'FAIL'
expect_not 'killed'
expect_frames_balanced
expect_status ok
verdict fastpath_c
