# SPDX-License-Identifier: MIT
#
# t_cpustate.sh — a hostile domain's CPU state on the way into the nucleus
# (user/cpustate.c). ring0: sysenter with TF set still answers, and the
# gate it tried to plant in the IDT does not exist: int $250 kills it with a
# general protection fault and its ring-0 payload never runs. segs: segment
# registers and DF come back as the ABI says after blocking sysenter calls,
# int $0x80 and door calls on both paths. The same checks run under Bochs,
# which enforces the segment rules QEMU skips.

cpustate_checks() {
	expect '^cpustate: null system call by sysenter with TF set: ok$'
	expect '^cpustate ring0: 4 of 4 checks passed$'
	expect 'domain cpustate#[0-9]+ killed: general protection fault \(vector 13\)'
	expect_not 'RING 0'
	expect_not 'int \$250 returned'
	expect '^cpustate segs: 11 of 11 checks passed$'
	expect 'domain cpustate#[0-9]+ exited with status 0'
	expect_not 'FAIL'
	expect_not 'panic'
	expect_frames_balanced
}

mods="build/user/cpustate.elf ring0,build/user/cpustate.elf segs"
boot cpustate --modules "$mods" --append poweroff=idle --timeout 60
cpustate_checks
expect_status ok
verdict cpustate

iso=$TEST_DIR/cpustate/cpustate.iso
mkdir -p "$(dirname "$iso")"
if ISO_APPEND=poweroff=idle "$ROOT/tools/mkiso.sh" "$iso" build/kernel.elf \
	"build/user/cpustate.elf ring0" "build/user/cpustate.elf segs"; then
	boot_bochs cpustate.bochs "$iso" --timeout 120
	cpustate_checks
	expect_status shutdown
else
	fail "mkiso failed"
fi
verdict cpustate/bochs
