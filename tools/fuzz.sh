#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# fuzz.sh — `make fuzz`: a long run of the hostile-domain fuzzer
# (user/fuzz.c) under QEMU: FUZZ_CALLS hostile calls (default 10^7) from
# FUZZ_SEED (default: the time). Passes if the nucleus neither panics nor
# hangs, the server answered every check, and every frame came back; prints
# the count and the rate. The serial log is build/fuzz/fuzz.log.
#
# Usage: tools/fuzz.sh      (env FUZZ_CALLS, FUZZ_SEED, FUZZ_TIMEOUT seconds)
set -euo pipefail

cd "$(dirname "$0")/.."
calls=${FUZZ_CALLS:-10000000} seed=${FUZZ_SEED:-$(date +%s)} secs=${FUZZ_TIMEOUT:-3600}
log=build/fuzz/fuzz.log
mkdir -p build/fuzz
echo "fuzz.sh: $calls calls from seed $seed (up to $secs s)"
status=0
tools/qemu.sh --modules "build/user/fuzz.elf server,build/user/fuzz.elf attack $seed $calls" \
	--append poweroff=idle --log "$log" --timeout "$secs" </dev/null || status=$?
sed -i 's/\r//g' "$log"
grep -a '^fuzz: ' "$log" || true
frames=$(grep -Ea 'nucleus: all domains ended; frames free' "$log" || true)
echo "${frames:-fuzz.sh: the run did not end}"
if ((status != 1)) || grep -aq 'panic' "$log" ||
	! grep -Eaq '^fuzz: the server answered ([0-9]+) of \1 checks$' "$log" ||
	[[ ! $frames =~ free\ ([0-9]+)\ \(at\ start\ ([0-9]+)\) ]] ||
	[[ ${BASH_REMATCH[1]} != "${BASH_REMATCH[2]}" ]]; then
	echo "fuzz.sh: FAIL (QEMU status $status); see $log"
	exit 1
fi
echo "fuzz.sh: PASS"
