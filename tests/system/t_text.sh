# SPDX-License-Identifier: MIT
#
# t_text.sh — program images, shared text (user/imgtest.c, user/imgchild.c;
# docs/processes.md §2): the first module, holding the domain manager,
# tries DM_IMAGE, DOM_LOAD_IMAGE, IMG_INFO, DM_FRAMES and DOM_FRAMES as an
# attacker would; then loads domains from one image and shows each costs
# the text's frames fewer than a copying load, the first mapper pays and
# the second does not, a clone maps the text rather than copying it, a
# write to the text is a page fault, a domain given the image door can
# only read its info, the payer may die first, the image outlives its
# domains, and every frame comes back.
#
# Then the same through proc (user/texttest.c as init): its image cache
# keyed by the file's identity, so a program file replaced in place or by
# a rename runs its new code; five processes of one program ending in any
# order, the payer killed first; fork and shared fork keep the text shared
# and read-only (a write is SIGSEGV); exec of a file. Every frame back.

mods="build/user/imgtest.elf"
boot text --modules "$mods" --append poweroff=idle --timeout 60
expect '^imgtest: text [0-9]+ pages; frames taken: copied [0-9]+, from the image'
expect 'domain imgwrite#[0-9]+ killed: page fault'
expect '^imgchild holder: 3 of 3 checks passed$'
expect '^imgchild: hello from shared text \(hello\)$'
expect '^imgtest: 40 of 40 checks passed$'
expect_not 'FAIL'
expect_not 'panic'
expect_frames_balanced
expect_status ok

boot text2 --timeout 60 --modules "build/servers/proc.elf init=texttest" --append poweroff=idle
expect '^texttest: 11 checks, 0 failed$'
expect 'proc: program images: [0-9]+ cached, [1-9][0-9]* loads from the cache'
expect_not 'FAILED|panic'
expect_frames_balanced
expect_status ok
verdict text
