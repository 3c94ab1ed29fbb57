#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# test.sh — everything `make test` runs, in order: the build (with -Werror),
# the formatting check, the CMocka unit tests on the host, and the system
# scenarios under QEMU and Bochs. Each step prints PASS/FAIL lines; the run
# ends with the overall line "N passed, N failed" and fails if any failed.
#
# Usage: tools/test.sh   (normally through `make test`)
set -uo pipefail

cd "$(dirname "$0")/.."
mkdir -p build/test
passed=0 failed=0

# step NAME CMD...: one pass/fail for a step that is not a test runner.
step() {
	local name=$1
	shift
	if "$@" >"build/test/$name.out" 2>&1; then
		echo "PASS $name"
		passed=$((passed + 1))
	else
		echo "FAIL $name"
		tail -n 30 "build/test/$name.out" | sed 's/^/    /'
		failed=$((failed + 1))
	fi
}

# add_counts FILE: adds "P F" from a runner's counts file (a missing file
# means the runner itself broke: one failure).
add_counts() {
	local p f
	if read -r p f <"$1" 2>/dev/null; then
		passed=$((passed + p)) failed=$((failed + f))
	else
		echo "FAIL $(basename "$1" .counts): the runner gave no counts"
		failed=$((failed + 1))
	fi
}

step build make -j2 all build/test/sprig-test.iso
step format make format-check
if [[ -f build/kernel.elf ]]; then
	rm -f build/test/unit.counts build/test/system.counts
	make --no-print-directory unit
	add_counts build/test/unit.counts
	tests/system/run.sh
	add_counts build/test/system.counts
fi
echo "$passed passed, $failed failed"
((failed == 0))
