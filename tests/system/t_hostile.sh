# SPDX-License-Identifier: MIT
#
# t_hostile.sh — a domain that turns doors against the nucleus and a server
# (user/hostile.c): one frame mapped more often than its reference count
# can hold, a rebind that must not cost the server its data, doors made
# undeliverable, results over the limits. Each role runs alone; the nucleus
# must answer errors, never panic, and get every frame back.

# hostile_role "ROLE [WORDS]" COUNT [MODULE...]: hostile ROLE (its module
# string ending in WORDS), beside the other modules given, passes its COUNT
# checks.
hostile_role() {
	local role=${1%% *} count=$2 mods
	mods="build/user/hostile.elf $1"
	shift 2
	for m in "$@"; do mods+=",$m"; done
	boot "hostile_$role" --modules "$mods" --append poweroff=idle --timeout 120
	expect "^hostile $role: $count of $count checks passed\$"
	expect_not 'FAIL'
	expect_not 'panic'
	expect_frames_balanced
	expect_status ok
	verdict "hostile/$role"
}

# One frame mapped 65,000+ times: as many frames against the domain's limit.
hostile_role "frames frames=70000" 5
hostile_role rebind 5
hostile_role doors 6 "build/user/hostile.elf doorsrv"
hostile_role results 6
