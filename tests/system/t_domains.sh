# SPDX-License-Identifier: MIT
#
# t_domains.sh — domains as nucleus objects (user/domtest.c): the first
# module, holding the domain manager, makes domains from ELF images in its
# own memory, gives them doors, starts, kills and watches them, and gets a
# notice of every end with its cause; hostile requests get their errors;
# a second module holds no door to the manager and cannot reach it. Every
# frame comes back.

mods="build/user/domtest.elf manager,build/user/domtest.elf plain"
boot domains --modules "$mods" --append poweroff=idle --timeout 60
expect 'domtest#1 holds the domain manager'
expect '^hello: argv\[4\] = object$'
expect '^domchild: door [0-9]+ answered 42 \(error 0\)$'
expect 'domain fault#[0-9]+ killed: page fault at 0x0'
expect 'domain spin#[0-9]+ killed: by domtest#1 \(status 9\)'
expect 'domain clone#[0-9]+ cloned from parent#[0-9]+'
expect_count 2 '^hello: argv\[3\] = ran$'
expect '^domtest manager: 30 of 30 checks passed$'
expect '^domtest plain: 2 of 2 checks passed$'
expect_count 2 'domain domtest#[12] exited with status 0'
expect_not 'FAIL'
expect_not 'panic'
expect_frames_balanced
expect_status ok
verdict domains
