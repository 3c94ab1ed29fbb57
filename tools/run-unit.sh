#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# Runs the host unit-test binaries (CMocka) and reports one line per test,
# `PASS unit/<binary>/<test>` or `FAIL unit/<binary>/<test>`, then the summary
# `unit: N passed, N failed`. Each binary's full output is kept in
# build/test/unit-<binary>.log and shown when it has a failure; the totals go
# to build/test/unit.counts as "P F". A binary that crashes, hangs (past
# UNIT_TIMEOUT seconds) or exits non-zero without naming a failed test counts
# as one failure. Exits non-zero when anything failed.
#
# Usage: tools/run-unit.sh build/unit/frame build/unit/elf ...

set -euo pipefail

outdir=build/test
timeout_s=${UNIT_TIMEOUT:-60}
export CMOCKA_MESSAGE_OUTPUT=${CMOCKA_MESSAGE_OUTPUT:-stdout}
mkdir -p "$outdir"

passed=0
failed=0

# Reads a CMocka log; prints "PASS name", "FAIL name" and, for a test that
# started but never finished, "RUNNING name". Stops at the run summary, which
# repeats the names of the failed tests.
verdicts() {
	sed -n \
		-e '/^\[==========\] .* test(s) run\./q' \
		-e 's/^\[ RUN      \] \(.*\)$/RUNNING \1/p' \
		-e 's/^\[       OK \] \(.*\)$/PASS \1/p' \
		-e 's/^\[  FAILED  \] \(.*\)$/FAIL \1/p' "$1"
}

# Runs one binary and counts its verdicts.
run_one() {
	local bin=$1 name log status=0 running="" bad=0 line word test
	name=$(basename "$bin")
	log=$outdir/unit-$name.log
	# The outer redirection keeps bash's own "Killed" notice out of the output.
	{ timeout -k 5 "$timeout_s" "$bin" >"$log" 2>&1; } 2>/dev/null || status=$?
	while IFS= read -r line; do
		word=${line%% *}
		test=${line#* }
		case $word in
		RUNNING) running=$test ;;
		PASS | FAIL)
			echo "$word unit/$name/$test"
			if [ "$word" = PASS ]; then
				passed=$((passed + 1))
			else
				failed=$((failed + 1))
				bad=1
			fi
			running=""
			;;
		esac
	done < <(verdicts "$log")
	if [ -n "$running" ]; then
		echo "FAIL unit/$name/$running (crashed, exit status $status)"
		failed=$((failed + 1))
		bad=1
	elif [ "$status" -ne 0 ] && [ "$bad" -eq 0 ]; then
		echo "FAIL unit/$name (exit status $status)"
		failed=$((failed + 1))
		bad=1
	fi
	if [ "$bad" -ne 0 ]; then
		echo "---- $log ----"
		cat "$log"
		echo "----"
	fi
}

if [ "$#" -eq 0 ]; then
	echo "usage: $0 build/unit/NAME..." >&2
	exit 2
fi

for bin in "$@"; do
	run_one "$bin"
done

echo "$passed $failed" >"$outdir/unit.counts"
echo "unit: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
