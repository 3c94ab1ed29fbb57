#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# linuxbench.sh — `make bench-linux`: Sprig's benchmark rows measured on
# Linux, on the same emulated CPU, so that docs/measuring.md compares Sprig
# with figures a command printed.
#
# It takes Debian 12's i686 kernel (the package the linux-image-686
# metapackage depends on today, found with apt; the first run adds the
# i386 architecture to dpkg and downloads it, later runs use the copy in
# build/linux/), builds tools/linuxbench/lbench.c and true.c static with
# i686-linux-gnu-gcc and glibc (libc6-dev-i386-cross), packs them as /init
# and /true in an initramfs (cpio newc), and boots it with tools/qemu.sh
# --icount — make bench's machine: QEMU's qemu32 CPU, 128 MiB, the TSC one
# tick per executed instruction — on the command line below, twice, each
# boot with its own fixed start for the real-time clock (boot says why). It
# writes build/bench/linux.csv (name,bytes,iterations,run,per_op),
# build/bench/linux-info.txt (the kernel, its command line, its CPU
# vulnerability mitigations), prints a table, and rewrites the block of
# docs/measuring.md between the linux:begin and linux:end marks: Linux's
# figures (the mean of the runs, and how far apart the runs are), beside
# Sprig's icount figure from build/bench/results.csv where make bench has
# written one.
#
# Not part of make test: it needs the network the first time. Missing
# tools are installed with apt-get as root, as tools/deps.sh does.
#
# Usage: tools/linuxbench.sh [options]
#   --runs N        boot N times (default 2); rows whose boots differ by
#                   more than 5% are reported
#   --append ARGS   more kernel command-line arguments (e.g. mitigations=off)
#   --docs          only rewrite the docs block from build/bench/linux.csv
#                   and build/bench/results.csv (no boot, no network)
set -euo pipefail

usage() { sed -n '/^# Usage/,/^set -e/s/^# \{0,1\}//p' "$0"; }
cd "$(dirname "$0")/.."
cache=build/linux out=build/bench doc=docs/measuring.md
runs=2 docs_only=0
# quiet: no boot messages in the log. nokaslr: one kernel layout on every
# run. panic=-1: if init dies, the kernel reboots and -no-reboot ends QEMU.
# Mitigations are Debian's defaults; linux-info.txt says which are active.
cmdline="console=ttyS0 quiet nokaslr panic=-1"
MAX_SPREAD=5 # percent

while (($#)); do
	case $1 in
	--runs) runs=$2; shift 2 ;;
	--append) cmdline+=" $2"; shift 2 ;;
	--docs) docs_only=1; shift ;;
	-h | --help) usage; exit 0 ;;
	*) echo "linuxbench.sh: unknown option $1 (try --help)" >&2; exit 2 ;;
	esac
done

die() { echo "linuxbench.sh: $*" >&2; exit 1; }
[[ $runs =~ ^[1-9][0-9]*$ ]] || die "--runs wants a number of boots, not $runs"
have() { command -v "$1" >/dev/null 2>&1; }
exists() { compgen -G "$1" >/dev/null; }

# check PACKAGE TEST ARG: note PACKAGE as needed unless "TEST ARG" succeeds.
check() { "$2" "$3" || { missing+=("$3 ($1)"); pkgs+=("$1"); }; }

find_missing() {
	missing=() pkgs=()
	check qemu-system-x86 have qemu-system-i386
	check gcc-i686-linux-gnu have i686-linux-gnu-gcc
	check libc6-dev-i386-cross exists /usr/i686-linux-gnu/lib/libc.a
	check cpio have cpio
	check apt have apt-get
	check dpkg have dpkg-deb
}

# need_tools: install what find_missing lists (as root), or say how.
need_tools() {
	find_missing
	((${#missing[@]} == 0)) && return
	echo "linuxbench.sh: missing: ${missing[*]}" >&2
	((EUID == 0)) || die "as root, run: apt-get install -y --no-install-recommends ${pkgs[*]}"
	apt-get update -q || die "apt-get update failed (no network?): cannot install ${pkgs[*]}"
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${pkgs[@]}" ||
		die "could not install ${pkgs[*]} (no network?)"
	find_missing
	((${#missing[@]} == 0)) || die "still missing after install: ${missing[*]}"
}

# fetch_kernel: build/linux/vmlinuz and kernel.txt (package and version),
# downloaded only if missing.
fetch_kernel() {
	[[ -f $cache/vmlinuz && -f $cache/kernel.txt ]] && return
	local offline="the kernel is downloaded once into $cache/ and there is none yet"
	if ! dpkg --print-foreign-architectures | grep -qx i386; then
		((EUID == 0)) || die "as root, run: dpkg --add-architecture i386 && apt-get update"
		echo "linuxbench.sh: adding the i386 architecture to dpkg (for its kernel packages)" >&2
		dpkg --add-architecture i386
	fi
	((EUID == 0)) && { apt-get update -q >&2 || die "apt-get update failed (no network?): $offline"; }
	local pkg tmp deb
	pkg=$(apt-cache depends linux-image-686:i386 2>/dev/null |
		sed -n 's/^ *Depends: \(linux-image-[0-9][^:]*-686\)\(:i386\)\{0,1\}$/\1/p' | head -n 1)
	[[ -n $pkg ]] || die "apt knows no linux-image-686:i386 (apt-get update had no network," \
		"or apt's sources have no Debian 12 archive)"
	mkdir -p "$cache"
	tmp=$(mktemp -d "$cache/fetch.XXXXXX")
	echo "linuxbench.sh: downloading $pkg:i386" >&2
	(cd "$tmp" && apt-get download -q -o APT::Sandbox::User=root "$pkg:i386" >&2) ||
		{ rm -rf "$tmp"; die "could not download $pkg:i386 (no network?): $offline"; }
	deb=$(echo "$tmp"/*.deb)
	dpkg-deb -x "$deb" "$tmp/x"
	cp "$tmp"/x/boot/vmlinuz-* "$cache/vmlinuz"
	cp "$tmp"/x/boot/config-* "$cache/config"
	echo "$pkg $(dpkg-deb -f "$deb" Version)" >"$cache/kernel.txt"
	rm -rf "$tmp"
}

# build_initrd: build/linux/initrd.cpio with /init (lbench), /true and
# the empty directories lbench mounts on.
build_initrd() {
	local root=$cache/root cc=(i686-linux-gnu-gcc -static -std=gnu11 -O2 -march=i686 -I.
		-Wall -Wextra -Werror)
	rm -rf "$root" && mkdir -p "$root"/{dev,proc,sys,tmp}
	"${cc[@]}" -o "$root/init" tools/linuxbench/lbench.c
	"${cc[@]}" -o "$root/true" tools/linuxbench/true.c
	find "$root" -exec touch -h -d @0 {} + # the same bytes on every build
	(cd "$root" && find . -mindepth 1 | LC_ALL=C sort |
		cpio -o -H newc -R 0:0 --reproducible --quiet) >"$cache/initrd.cpio"
}

# boot RUN: one boot; its rows appended to linux.csv as run RUN. QEMU's
# real-time clock would start at the host's time, and Linux seeds its
# random state (hash tables, allocators) partly from it; so boot RUN
# starts it at midnight on day RUN of January 2025 and runs it on virtual
# time: each boot is then (nearly always) the same on every run of the
# command, and boots differ as much as a different start makes them.
boot() {
	local log=$out/linux-$1.log status=0 rtc
	rtc=$(printf 'base=2025-01-%02dT00:00:00,clock=vm' $((($1 - 1) % 28 + 1)))
	tools/qemu.sh --kernel "$cache/vmlinuz" --modules "$cache/initrd.cpio" \
		--append "$cmdline" --icount --log "$log" --timeout 900 -- -rtc "$rtc" </dev/null \
		>"$out/linux-$1.qemu.out" 2>&1 || status=$?
	sed -i 's/\r//g' "$log"
	if grep -q '^lbench: failed' "$log" || ! grep -q '^lbench: done$' "$log" || ((status != 0)); then
		echo "linuxbench.sh: boot $1 failed (QEMU status $status); see $log" >&2
		tail -n 20 "$log" >&2
		exit 1
	fi
	sed -n 's/^lbench: \([a-z_0-9]*\),\([0-9]*\),\([0-9]*\),\([0-9]*\)$/\1,\2,\3,'"$1"',\4/p' \
		"$log" >>"$csv"
	[[ $1 != 1 ]] || {
		echo "package: $(cat "$cache/kernel.txt")"
		sed -n 's/^lbench-info: //p' "$log"
	} >"$out/linux-info.txt"
}

# summary: name,bytes,iterations,mean,spread% per row, from linux.csv.
summary() {
	awk -F, 'NR > 1 {
		key = $1 "," $2 "," $3
		if (!(key in n)) { order[k++] = key; lo[key] = $5; hi[key] = $5 }
		n[key]++; sum[key] += $5
		if ($5 < lo[key]) lo[key] = $5
		if ($5 > hi[key]) hi[key] = $5
	}
	END {
		for (i = 0; i < k; i++) {
			key = order[i]
			printf "%s,%d,%.1f\n", key, sum[key] / n[key] + 0.5, 100 * (hi[key] - lo[key]) / lo[key]
		}
	}' "$csv"
}

# sprig_figures: "linux_name,bytes,sprig_figure" for each Linux row with
# a Sprig icount row in results.csv: the row of the same name and size,
# but for the round trip, whose nearest Sprig row is a door call carrying
# a few bytes each way (its name is given with the figure).
sprig_figures() {
	[[ -f $out/results.csv ]] || return 0
	awk -F, '$4 == "icount" { v[$1 "," $2] = $5 }
	END {
		for (key in v) if (key !~ /^door_fast,/) print key "," v[key]
		if ("door_fast,16" in v) print "unix_roundtrip,1," v["door_fast,16"] " (door_fast 16)"
	}' "$out/results.csv"
}

# docs_block: the block for docs/measuring.md.
docs_block() {
	local info=$out/linux-info.txt
	echo "<!-- linux:begin (written by make bench-linux; do not edit) -->"
	echo "Linux $(sed -n 's/^kernel: Linux \([^ ]*\) .*/\1/p' "$info")" \
		"($(sed -n 's/^package: //p' "$info")),"
	echo "command line \`$(sed -n 's/^cmdline: //p' "$info")\`, $(summary_runs) boots;"
	echo "security modules $(sed -n 's/^lsm: //p' "$info")."
	echo "Mitigations the kernel reports active:"
	echo
	sed -n 's/^\([a-z_0-9]*\): Mitigation: \(.*\)/- \1: \2/p' "$info"
	echo
	echo "| row | bytes | Linux | boots differ | Sprig | Sprig / Linux |"
	echo "| --- | ---: | ---: | ---: | ---: | ---: |"
	awk -F, 'FNR == NR { s[$1 "," $2] = $3; next }
	{
		key = $1 "," $2; fig = ""; ratio = ""
		if (key in s) { fig = s[key]; ratio = sprintf("%.2f", s[key] / $4) }
		printf "| %s | %s | %s | %.1f%% | %s | %s |\n", $1, $2, $4, $5, fig, ratio
	}' <(sprig_figures) <(summary)
	echo "<!-- linux:end -->"
}

summary_runs() { awk -F, 'NR > 1 && $4 > n { n = $4 } END { print n }' "$csv"; }

# replace_block FILE BLOCKFILE: FILE with its linux block replaced.
replace_block() {
	awk -v blockfile="$2" '
	/^<!-- linux:begin/ {
		while ((getline line < blockfile) > 0) print line
		close(blockfile); skip = 1; next
	}
	/^<!-- linux:end -->/ { skip = 0; next }
	!skip { print }' "$1"
}

# write_docs: the block into docs/measuring.md, which must have the marks.
write_docs() {
	if ! grep -q '^<!-- linux:begin' "$doc" || ! grep -q '^<!-- linux:end -->' "$doc"; then
		die "$doc has no linux:begin/linux:end marks"
	fi
	[[ -f $out/results.csv ]] ||
		echo "linuxbench.sh: no $out/results.csv: run make bench for Sprig's column" >&2
	docs_block >"$out/linux-block.md"
	replace_block "$doc" "$out/linux-block.md" >"$out/measuring-linux.md"
	cp "$out/measuring-linux.md" "$doc"
}

csv=$out/linux.csv
if ((docs_only)); then
	[[ -f $csv && -f $out/linux-info.txt ]] || die "no $csv yet: run make bench-linux"
	write_docs
	exit 0
fi
need_tools
fetch_kernel
mkdir -p "$out"
build_initrd
echo "name,bytes,iterations,run,per_op" >"$csv"
for ((run = 1; run <= runs; run++)); do
	echo "linuxbench.sh: boot $run of $runs ($(cat "$cache/kernel.txt"))" >&2
	boot "$run"
done
write_docs

printf "%-18s %8s %10s %14s %8s\n" name bytes iterations "Linux (instr)" spread
summary | awk -F, '{ printf "%-18s %8s %10s %14s %7.1f%%\n", $1, $2, $3, $4, $5 }'
if ! summary | awk -F, -v max=$MAX_SPREAD '$5 > max { bad = 1
		printf "linuxbench.sh: %s: the boots differ by %.1f%%\n", $1, $5 }
	END { exit bad }' >&2; then
	echo "linuxbench.sh: some rows vary by more than $MAX_SPREAD% between boots" >&2
fi
echo "wrote $csv, $out/linux-info.txt and the linux block of $doc"
