#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# bench.sh — `make bench`: boots user/doorbench (server, chain and client
# domains) under QEMU twice — with -icount shift=0,sleep=off (mode icount:
# the TSC counts executed instructions, so figures are deterministic) and in
# plain TCG (mode tcg: host time, noisy) — then prints one table, writes
# build/bench/results.csv (name,bytes,iterations,mode,per_op; per_op in TSC
# ticks per operation, a full round trip for calls) and draws
# build/bench/paths.png (cost against bytes for vanilla, bulk and memcpy).
#
# Usage: tools/bench.sh
set -euo pipefail

cd "$(dirname "$0")/.."
out=build/bench
mkdir -p "$out"
mods="build/user/doorbench.elf server,build/user/doorbench.elf chain,build/user/doorbench.elf client"
csv=$out/results.csv
echo "name,bytes,iterations,mode,per_op" >"$csv"

for mode in icount tcg; do
	log=$out/$mode.log
	flags=()
	[[ $mode == icount ]] && flags=(--icount)
	status=0
	tools/qemu.sh "${flags[@]}" --modules "$mods" --append poweroff=idle --log "$log" \
		--timeout 600 </dev/null >"$out/$mode.qemu.out" 2>&1 || status=$?
	sed -i 's/\r//g' "$log"
	if grep -q '^bench: .* failed: ' "$log"; then
		echo "bench.sh: calls failed in the $mode run:" >&2
		grep '^bench: .* failed: ' "$log" >&2
		exit 1
	fi
	if ! grep -q '^bench: done$' "$log" || ((status != 1)); then
		echo "bench.sh: the $mode run failed (QEMU status $status); see $log" >&2
		tail -n 20 "$log" >&2
		exit 1
	fi
	sed -n 's/^bench: \([a-z_0-9]*\),\([0-9]*\),\([0-9]*\),\([0-9]*\)$/\1,\2,\3,'"$mode"',\4/p' \
		"$log" >>"$csv"
done

# The table: one row per (name, bytes), the two modes side by side.
awk -F, 'NR > 1 {
	key = $1 "," $2
	if (!(key in seen)) { seen[key] = 1; order[n++] = key }
	v[key "," $4] = $5; it[key] = $3
}
END {
	printf "%-16s %9s %10s %14s %14s\n", "name", "bytes", "iterations", "icount (instr)", "tcg (ticks)"
	for (i = 0; i < n; i++) {
		split(order[i], k, ",")
		printf "%-16s %9s %10s %14s %14s\n", k[1], k[2], it[order[i]], v[order[i] ",icount"], v[order[i] ",tcg"]
	}
}' "$csv"

# Ratios the targets in docs/measuring.md speak of (icount figures).
awk -F, '$4 == "icount" { v[$1 "," $2] = $5 }
END {
	f = v["door_fast,0"]; n = v["null_syscall,0"]
	printf "\ndoor_fast/null_syscall = %.2f   door_chain3/door_fast = %.2f   door_bulk(1MiB)/memcpy(1MiB) = %.3f\n",
		f / n, v["door_chain3,0"] / f, v["door_bulk,1048576"] / v["memcpy,1048576"]
	split("1024 4096 16384 65536", s, " ")
	printf "vanilla growth over 64 bytes / memcpy growth (one copy is 1.0):"
	for (i = 1; i <= 4; i++)
		printf "  %s: %.2f", s[i], (v["door_vanilla," s[i]] - v["door_vanilla,64"]) / (v["memcpy," s[i]] - v["memcpy,64"])
	printf "\n"
}' "$csv"

if command -v gnuplot >/dev/null; then
	for series in door_vanilla door_bulk memcpy; do
		awk -F, -v s="$series" '$1 == s && $4 == "icount" { print $2, $5 }' "$csv" | sort -n \
			>"$out/$series.dat"
	done
	gnuplot <<GP
set terminal pngcairo size 900,600 noenhanced
set output "$out/paths.png"
set title "Sprig: cost of moving data (QEMU -icount: instructions per operation)"
set xlabel "bytes"
set ylabel "instructions per round trip"
set logscale xy
set grid
set key top left
plot "$out/door_vanilla.dat" with linespoints title "door_vanilla (one copy)", \
     "$out/door_bulk.dat" with linespoints title "door_bulk (pages shared)", \
     "$out/memcpy.dat" with linespoints title "memcpy (user space, same routine)"
GP
	echo "wrote $csv and $out/paths.png"
fi
