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
verdict text
