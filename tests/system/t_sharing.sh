# SPDX-License-Identifier: MIT
#
# t_sharing.sh — shared clones, Sprite's shared fork (user/sharetest.c,
# user/sharechild.c): DOM_CLONE's input tried as an attacker would; a
# program forks a plain child (which keeps its own copy) and a shared one
# through its own domain door: both write data, bss and vm_alloc'd memory,
# pages present at the fork and pages first touched after it, and each
# sees the other's writes but not its stack; the parent kills that child
# and keeps its memory; a second shared child outlives the parent, which
# kills itself, and goes on using the memory. A domain at its frame limit
# is refused a shared clone with -ENOMEM and goes on as before. Every
# frame comes back.

mods="build/user/sharetest.elf manager"
boot sharing --modules "$mods" --append poweroff=idle --timeout 120
expect 'domain plainkid#[0-9]+ cloned from sharer#[0-9]+$'
expect 'domain sharekid#[0-9]+ cloned from sharer#[0-9]+, sharing its memory$'
expect 'domain sharekid2#[0-9]+ cloned from sharer#[0-9]+, sharing its memory$'
expect '^sharechild plainkid: 4 of 4 checks passed$'
expect '^sharechild sharekid: 4 of 4 checks passed$'
expect 'domain sharekid#[0-9]+ killed: by sharer#[0-9]+ \(status 9\)'
expect '^sharechild sharer: 12 of 12 checks passed$'
expect 'domain sharer#[0-9]+ killed: by sharer#[0-9]+ \(status 7\)'
expect '^sharechild sharekid2: 4 of 4 checks passed$'
expect 'domain sharekid2#[0-9]+ exited with status 0'
expect 'domain tight#[0-9]+ reached its limit of 256 frames'
expect '^sharechild tight: 5 of 5 checks passed$'
expect 'domain tightkid#[0-9]+ cloned from tight#[0-9]+, sharing its memory$'
expect '^sharetest manager: 13 of 13 checks passed$'
expect_not 'FAIL'
expect_not 'panic'
expect_frames_balanced
expect_status ok
verdict sharing
