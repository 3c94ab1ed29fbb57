#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# console.sh — types into Sprig's serial console as a person would, from a
# script, and keeps what the console shows. QEMU's serial port goes to two
# FIFOs; each script line waits for output or types input.
#
# Usage: tools/console.sh SCRIPT LOG [--timeout SEC] [qemu.sh options]
#
# Script lines (leading blanks ignored):
#   > TEXT      type TEXT and Enter
#   < TEXT      type TEXT alone
#   ^C ^D ^U    type that control character
#   ? REGEX     wait until a console line after the last one matched
#               matches REGEX (grep -E); fail after 30 s
#   ! SEC       wait SEC seconds
#   KILL        kill QEMU now (a power cut); the script ends there
#   # ...       a comment
# The log has carriage returns removed. Exit status: 0 when the script ran
# to its end and QEMU then ended by itself within --timeout (default 60 s)
# (QEMU's own status is in LOG.status), 1 if a wait failed or it timed out.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
script=$1 log=$2
shift 2
secs=60
if [[ ${1:-} == --timeout ]]; then
	secs=$2
	shift 2
fi
: >"$log"
: >"$log.qemu"
coproc QEMU { exec "$root/tools/qemu.sh" --timeout "$secs" "$@" 2>>"$log.qemu"; }
qemu=$QEMU_PID
exec 3>&"${QEMU[1]}" 4<&"${QEMU[0]}" # subshells do not see a coprocess's own
cat <&4 >>"$log" & # cat, not tr: it must not hold output back in a buffer
reader=$!
exec 4<&-

cleanup() {
	exec 3>&- || true
	kill "$qemu" 2>/dev/null || true
	wait "$qemu" 2>/dev/null || true
	wait "$reader" 2>/dev/null || true
}
trap cleanup EXIT

pos=0 # lines of the log already matched
wait_for() {
	local re=$1 n
	for ((tick = 0; tick < 300; tick++)); do
		n=$(tail -n +"$((pos + 1))" "$log" | tr -d '\r' | grep -n -E -m1 -e "$re" | cut -d: -f1 ||
			true)
		if [[ -n $n ]]; then
			pos=$((pos + n - 1)) # the matching line may still grow (a prompt)
			return 0
		fi
		kill -0 "$qemu" 2>/dev/null || break
		sleep 0.1
	done
	echo "console.sh: no line matching '$re' (after line $pos)" >>"$log.qemu"
	return 1
}

while IFS= read -r line || [[ -n $line ]]; do
	line=${line#"${line%%[![:space:]]*}"}
	case $line in
	'' | '#'*) ;;
	'> '*) printf '%s\r' "${line#> }" >&3 ;;
	'< '*) printf '%s' "${line#< }" >&3 ;;
	'>') printf '\r' >&3 ;;
	'^C') printf '\003' >&3 ;;
	'^D') printf '\004' >&3 ;;
	'^U') printf '\025' >&3 ;;
	'? '*)
		wait_for "${line#? }" || exit 1
		pos=$((pos + 1))
		;;
	'! '*) sleep "${line#! }" ;;
	KILL)
		pkill -KILL -P "$qemu" 2>/dev/null || true # timeout's child: QEMU itself
		kill -KILL "$qemu" 2>/dev/null || true
		break
		;;
	*) echo "console.sh: bad script line: $line" >&2; exit 2 ;;
	esac
done <"$script"

status=0
{ wait "$qemu"; } 2>/dev/null || status=$?
echo "$status" >"$log.status"
wait "$reader" || true
sed -i 's/\r//g' "$log"
((status != 124)) || exit 1
exit 0
