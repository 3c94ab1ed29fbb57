#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# mkiso.sh — build a bootable GRUB (BIOS, i386-pc) ISO holding the nucleus and
# its boot modules. Stages DIR/iso/boot/{kernel.elf,MODULE...} and
# DIR/iso/boot/grub/grub.cfg (from the boot/grub.cfg template), where DIR is
# the directory of OUT.iso, then runs grub-mkrescue. Each MODULE is a path,
# optionally followed by arguments ("path args"); GRUB passes the module the
# command line "NAME args", NAME being the file's base name.
#
# Usage: tools/mkiso.sh OUT.iso KERNEL [MODULE...]
#   env ISO_APPEND   nucleus command line (e.g. "poweroff=idle")
set -euo pipefail

if (($# < 2)); then
	echo "usage: $0 OUT.iso KERNEL [MODULE...]" >&2
	exit 2
fi
root=$(cd "$(dirname "$0")/.." && pwd)
out=$1 kernel=$2
shift 2
stage=$(dirname "$out")/iso

rm -rf "$stage"
mkdir -p "$stage/boot/grub"
cp "$kernel" "$stage/boot/kernel.elf"
modules=""
for m in "$@"; do
	read -r path args <<<"$m"
	name=$(basename "$path")
	cp "$path" "$stage/boot/$name"
	modules+="${modules:+$'\n\t'}module /boot/$name $name${args:+ $args}"
done

# Quoted replacements: bash 5.2 would otherwise expand '&' in them.
cfg=$(<"$root/boot/grub.cfg")
cfg=${cfg//@APPEND@/"${ISO_APPEND:-}"}
cfg=${cfg//@MODULES@/"$modules"}
printf '%s\n' "$cfg" >"$stage/boot/grub/grub.cfg"

# grub-mkrescue is chatty (xorriso); show its output only when it fails.
if ! log=$(grub-mkrescue --directory=/usr/lib/grub/i386-pc -o "$out" "$stage" 2>&1); then
	printf '%s\n' "$log" >&2
	echo "mkiso: grub-mkrescue failed" >&2
	exit 1
fi
