#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# run.sh — run the system scenarios one after another: each tests/system/t_*.sh
# boots the built image under QEMU (t_bochs.sh: the ISO under Bochs), checks
# the serial log and prints one PASS/FAIL line. Ends with the line
# "system: N passed, N failed" and writes "N N" to build/test/system.counts.
#
# Usage: tests/system/run.sh [SCENARIO...]   (a file, or a name: boot = t_boot.sh)
set -euo pipefail

cd "$(dirname "$0")/../.."
source tests/system/lib.sh
mkdir -p "$TEST_DIR"
rm -f "$RESULTS"

(($#)) || set -- tests/system/t_*.sh
for t in "$@"; do
	[[ -f $t ]] || t=tests/system/t_$t.sh
	run_scenario "$t"
done
summary
