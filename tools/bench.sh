#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# bench.sh — `make bench`: boots user/doorbench (server, chain and client
# domains), and user/procbench as init under the process manager, under
# QEMU twice — with -icount shift=0,sleep=off (mode icount:
# the TSC counts executed instructions, so figures are deterministic) and in
# plain TCG (mode tcg: host time, noisy) — then prints one table, writes
# build/bench/results.csv (name,bytes,iterations,mode,per_op; per_op in TSC
# ticks per operation, a full round trip for calls) and draws
# build/bench/paths.png (cost against bytes for vanilla, bulk and memcpy).
#
# It also rewrites the figures block of docs/measuring.md (between the
# bench:begin and bench:end marks) from the icount run, so the figures in
# the docs are always what this command printed. With --check-docs it runs
# only the icount boot and fails if that block differs from a fresh run
# (icount figures are deterministic; the TCG ones never go in the docs).
#
# Usage: tools/bench.sh [--check-docs]
set -euo pipefail

cd "$(dirname "$0")/.."
check=0 modes="icount tcg" out=build/bench
if [[ ${1:-} == --check-docs ]]; then
	check=1 modes=icount out=build/bench-check
fi
mkdir -p "$out"
doc=docs/measuring.md
door_mods="build/user/doorbench.elf server,build/user/doorbench.elf chain,build/user/doorbench.elf client"
proc_mods="build/servers/proc.elf init=procbench"
disk=$out/disk.img # both runs have it; procbench reads it in the tcg run only
rm -f "$disk" && truncate -s 4M "$disk"
csv=$out/results.csv
echo "name,bytes,iterations,mode,per_op" >"$csv"

# Two boots per mode: doorbench's three domains, and procbench run as init
# under the process manager (the Sprite services' rows).
for run in $modes; do for bench in door proc; do
	mode=$run log=$out/$mode.log mods=$door_mods flags=()
	[[ $bench == proc ]] && log=$out/$mode-proc.log mods=$proc_mods flags=(--disk "$disk")
	[[ $bench == proc && $mode == tcg ]] && mods+=" disk"
	[[ $mode == icount ]] && flags+=(--icount)
	status=0
	tools/qemu.sh "${flags[@]}" --modules "$mods" --append poweroff=idle --log "$log" \
		--timeout 600 </dev/null >"$out/$mode.qemu.out" 2>&1 || status=$?
	sed -i 's/\r//g' "$log"
	if grep -q '^bench: .* failed' "$log"; then
		echo "bench.sh: calls failed in the $mode run:" >&2
		grep '^bench: .* failed' "$log" >&2
		exit 1
	fi
	if ! grep -q '^bench: done$' "$log" || ((status != 1)); then
		echo "bench.sh: the $mode run failed (QEMU status $status); see $log" >&2
		tail -n 20 "$log" >&2
		exit 1
	fi
	sed -n 's/^bench: \([a-z_0-9]*\),\([0-9]*\),\([0-9]*\),\([0-9]*\)$/\1,\2,\3,'"$mode"',\4/p' \
		"$log" >>"$csv"
done; done

# docs_block CSV: the figures block for docs/measuring.md, icount only.
# (disk_read is measured in the tcg run only: user/procbench.c says why.)
docs_block() {
	echo "<!-- bench:begin (written by make bench; do not edit) -->"
	echo "| row | bytes | instructions |"
	echo "| --- | ---: | ---: |"
	awk -F, '$4 == "icount" { printf "| %s | %s | %s |\n", $1, $2, $5 }' "$1"
	echo
	awk -F, '$4 == "icount" { v[$1 "," $2] = $5 }
	END {
		f = v["door_fast,0"]; n = v["null_syscall,0"]
		printf "door_fast / null_syscall = %.2f; door_chain3 / door_fast = %.2f; door_fast 16 bytes - 0 bytes = %d; door_bulk / memcpy at 1 MiB = %.3f\n",
			f / n, v["door_chain3,0"] / f, v["door_fast,16"] - f, v["door_bulk,1048576"] / v["memcpy,1048576"]
	}' "$1"
	echo "<!-- bench:end -->"
}

# replace_block FILE BLOCKFILE: FILE with its bench block replaced.
replace_block() {
	awk -v blockfile="$2" '
	/^<!-- bench:begin/ { while ((getline line < blockfile) > 0) print line; skip = 1; next }
	/^<!-- bench:end -->/ { skip = 0; next }
	!skip { print }' "$1"
}

docs_block "$csv" >"$out/docs-block.md"
if ((check)); then
	if ! diff -u <(sed -n '/^<!-- bench:begin/,/^<!-- bench:end -->/p' "$doc") "$out/docs-block.md"; then
		echo "bench.sh: the figures in $doc are stale: run make bench" >&2
		exit 1
	fi
	echo "bench.sh: the figures in $doc match a fresh icount run"
	exit 0
fi
replace_block "$doc" "$out/docs-block.md" >"$out/measuring.md" && cp "$out/measuring.md" "$doc"
# The Sprig column of the Linux block (make bench-linux) follows this run,
# if make bench-linux has measured Linux in this tree.
if [[ -f $out/linux.csv ]]; then
	tools/linuxbench.sh --docs || echo "bench.sh: could not rewrite the linux block of $doc" >&2
fi

# The table: one row per (name, bytes), the two modes side by side.
awk -F, 'NR > 1 {
	key = $1 "," $2
	if (!(key in seen)) { seen[key] = 1; order[n++] = key }
	v[key "," $4] = $5; it[key] = $3
}
END {
	printf "%-22s %9s %10s %14s %14s\n", "name", "bytes", "iterations", "icount (instr)", "tcg (ticks)"
	for (i = 0; i < n; i++) {
		split(order[i], k, ",")
		printf "%-22s %9s %10s %14s %14s\n", k[1], k[2], it[order[i]], v[order[i] ",icount"], v[order[i] ",tcg"]
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
set title "Sprig: cost of moving data (QEMU -icount: instructions per round trip)"
set xlabel "bytes"
set ylabel "instructions per round trip"
set logscale xy
set xrange [32:2000000]
set grid
set key top left
plot "$out/door_vanilla.dat" with linespoints title "door_vanilla (one copy)", \
     "$out/door_bulk.dat" with linespoints title "door_bulk (pages shared)", \
     "$out/memcpy.dat" with linespoints title "memcpy (user space, same routine)"
GP
	echo "wrote $csv and $out/paths.png"
fi
