#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# run.sh — run the system scenarios one after another: each tests/system/t_*.sh
# boots the built image under QEMU (t_bochs.sh: the ISO under Bochs), checks
# the serial log and prints one PASS/FAIL line. Ends with the line
# "system: N passed, N failed" and writes "N N" to build/test/system.counts.
#
# With no SCENARIO it runs them all, then the door scenarios again under
# Bochs; --bochs runs the ones named under Bochs only.
#
# Usage: tests/system/run.sh [--bochs] [SCENARIO...]   (a file, or a name: boot = t_boot.sh)
set -euo pipefail

cd "$(dirname "$0")/../.."
source tests/system/lib.sh
mkdir -p "$TEST_DIR"
rm -f "$RESULTS"

# The door scenarios also run under Bochs, which checks segment and
# privilege rules QEMU skips (EMU=bochs: lib.sh's boot uses Bochs).
BOCHS_TOO="iotest doors door_failures door_queue fastpath_c hostile attack domains howto fuzz signals devices proc sharing fs ata disk text"

bochs=0
if [[ ${1:-} == --bochs ]]; then
	bochs=1
	shift
fi
all=0
(($#)) || { all=1; set -- tests/system/t_*.sh; }
for t in "$@"; do
	[[ -f $t ]] || t=tests/system/t_$t.sh
	((bochs)) || EMU=qemu run_scenario "$t"
done
if ((bochs)); then
	for t in "$@"; do
		[[ -f $t ]] || t=tests/system/t_$t.sh
		EMU=bochs run_scenario "$t"
	done
elif ((all)); then
	for name in $BOCHS_TOO; do
		EMU=bochs run_scenario "tests/system/t_$name.sh"
	done
fi
summary
