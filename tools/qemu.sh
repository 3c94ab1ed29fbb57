#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# qemu.sh — boot the Sprig nucleus under QEMU (qemu-system-i386, TCG, CPU
# qemu32, 128 MiB), either directly as a multiboot kernel with its boot modules
# or from the ISO. Without --log the serial console is this terminal (Ctrl-A X
# quits, Ctrl-A C switches to the QEMU monitor). The guest ends the run by
# writing v to port 0xf4 (isa-debug-exit).
#
# Usage: tools/qemu.sh [options] [-- extra qemu args]
#   --kernel FILE     multiboot kernel (default build/kernel.elf)
#   --modules LIST    boot modules, comma-separated, each "path args"
#   --append CMDLINE  kernel command line
#   --iso FILE        boot FILE as a CD-ROM instead of --kernel/--modules
#   --disk FILE       a raw disk image as the primary IDE master (drivers/ata)
#   --log FILE        serial output to FILE instead of the terminal
#   --timeout SEC     stop QEMU after SEC seconds
#   --icount          TSC counts executed instructions (-icount shift=0,sleep=off)
#   --debug           wait for gdb on localhost:1234 (-s -S)
# Exit status is QEMU's: 1 = guest wrote 0 to port 0xf4 (success), 3 = it
# wrote 1 (failure), 0 = QEMU quit otherwise (e.g. triple fault with
# -no-reboot), 124 = timed out.
set -euo pipefail

usage() { sed -n '/^# Usage/,/^set -e/s/^# \{0,1\}//p' "$0"; }
root=$(cd "$(dirname "$0")/.." && pwd)
# The nucleus's command line starts with the kernel's file name as QEMU was
# given it: relative to the tree, so it is the same on every machine (and
# with it every instruction count under --icount: make bench's figures).
kernel=build/kernel.elf modules="" append="" iso="" log="" secs="" disk=""
args=(-accel tcg -cpu qemu32 -m 128 -display none -no-reboot
	-device 'isa-debug-exit,iobase=0xf4,iosize=0x04')

while (($#)); do
	case $1 in
	--kernel) kernel=$2; shift 2 ;;
	--modules) modules=$2; shift 2 ;;
	--append) append=$2; shift 2 ;;
	--iso) iso=$2; shift 2 ;;
	--disk) disk=$2; shift 2 ;;
	--log) log=$2; shift 2 ;;
	--timeout) secs=$2; shift 2 ;;
	--icount) args+=(-icount 'shift=0,sleep=off'); shift ;;
	--debug) args+=(-s -S); shift ;;
	--) shift; break ;;
	-h | --help) usage; exit 0 ;;
	*) echo "qemu.sh: unknown option $1 (try --help)" >&2; exit 2 ;;
	esac
done

if [[ -n $iso ]]; then
	args+=(-cdrom "$iso" -boot d)
else
	[[ -f $kernel || $kernel == /* ]] || kernel=$root/$kernel # run from elsewhere
	[[ -f $kernel ]] || { echo "qemu.sh: no kernel $kernel (run make)" >&2; exit 2; }
	args+=(-kernel "$kernel" -append "$append")
	[[ -z $modules ]] || args+=(-initrd "$modules")
fi
[[ -z $disk ]] || args+=(-drive "file=$disk,format=raw,if=ide,index=0")
if [[ -n $log ]]; then
	mkdir -p "$(dirname "$log")"
	args+=(-serial "file:$log" -monitor none)
else
	args+=(-serial mon:stdio)
fi

cmd=(qemu-system-i386 "${args[@]}" "$@")
# --foreground: QEMU may read this terminal, so stay in its process group.
[[ -z $secs ]] || cmd=(timeout --foreground -k 5 "$secs" "${cmd[@]}")
exec "${cmd[@]}"
