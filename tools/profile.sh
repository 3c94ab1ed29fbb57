#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# profile.sh — where a fast door round trip's instructions go. Boots the
# doorbench server, chain and profile domains under QEMU -icount, waiting
# for gdb, and lets tools/profile.py single-step a few round trips of the
# profile loop: it counts every instruction by function and by stage
# (client, entry, call, switch, server, return, exit). Stepping masks
# interrupts, so the counts are the same on every run. Writes
# build/bench/profile.txt (and one round trip, instruction by instruction,
# to build/bench/profile.trace) and prints the report. `make bench` runs it.
#
# KIND fs_read or fs_write instead boots procbench as init under proc and
# traces 4 KiB reads or writes of a /tmp file through the fs domain (the
# server's code is then named from build/servers/fs.elf).
#
# Usage: tools/profile.sh [ROUNDS [KIND]]   (round trips traced, default 4;
#          KIND fast, vanilla, bulk, fs_read, fs_write or proc_getpid:
#          default fast)
set -euo pipefail

cd "$(dirname "$0")/.."
out=build/bench
mkdir -p "$out"
port=$((20000 + $$ % 20000))
kind=${2:-fast}
mods="build/user/doorbench.elf server,build/user/doorbench.elf chain,build/user/doorbench.elf profile $kind 1000"
elf=build/user/doorbench.elf server_elf=
if [[ $kind == fs_* ]]; then
	mods="build/servers/proc.elf init=procbench profile $kind 1000"
	elf=build/user/procbench.elf server_elf=build/servers/fs.elf
elif [[ $kind == proc_getpid ]]; then
	mods="build/servers/proc.elf init=procbench profile $kind 1000"
	elf=build/user/procbench.elf server_elf=build/servers/proc.elf
fi
tools/qemu.sh --icount --modules "$mods" --append poweroff=idle --log "$out/profile.serial" \
	--timeout 300 -- -gdb "tcp:127.0.0.1:$port" -S </dev/null >"$out/profile.qemu.out" 2>&1 &
qemu=$!
trap 'kill $qemu 2>/dev/null || true' EXIT
rm -f "$out/profile.txt"
# gdb gets the program's symbols without its debugging information: the
# profile needs only names, and gdb can fail to step past an instruction
# inside an inlined function whose frame it cannot unwind.
gdb_user=$out/profile.symbols.elf
"${OBJCOPY:-objcopy}" --strip-debug "$elf" "$gdb_user"
PROFILE_KIND=$kind PROFILE_SERVER_ELF=$server_elf PROFILE_ELF=$gdb_user PROFILE_OUT=$out/profile.txt PROFILE_PORT=$port \
	PROFILE_TRACE=$out/profile.trace \
	PROFILE_ROUNDS=${1:-4} timeout 300 gdb -q -batch -nx -ex "file build/kernel.elf" \
	-x tools/profile.py >"$out/profile.gdb.out" 2>&1 || true
if [[ ! -s $out/profile.txt ]]; then
	echo "profile.sh: no profile; see $out/profile.gdb.out" >&2
	tail -n 20 "$out/profile.gdb.out" >&2
	exit 1
fi
cat "$out/profile.txt"
