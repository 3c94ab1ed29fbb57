#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# deps.sh — check that every host tool, header and library the build and
# the tests need is here (cross compiler, QEMU, GRUB's ISO tools, Bochs with
# its term display and BIOSes, the host C headers and CMocka for the unit
# tests, mke2fs, gnuplot, clang-format, script, timeout, cc, make, gdb).
# All present: exit 0 silently. Something missing: as root, install the
# Debian packages that provide it with one apt-get install; otherwise print
# the command to run and exit 1. make run, test and bench call it first.
#
# Usage: tools/deps.sh      (env CROSS: cross prefix to check, as for make)
set -euo pipefail

have() { command -v "$1" >/dev/null 2>&1; }
have_sbin() { have "$1" || [[ -x /usr/sbin/$1 || -x /sbin/$1 ]]; }
exists() { compgen -G "$1" >/dev/null; }

# check PACKAGE TEST ARG: note PACKAGE as needed unless "TEST ARG" succeeds.
check() { "$2" "$3" || { missing+=("$3 ($1)"); pkgs+=("$1"); }; }

# find_missing: fill missing[] with "what (package)" and pkgs[] with packages.
find_missing() {
	missing=() pkgs=()
	local cross=${CROSS:-}
	if [[ -z $cross ]]; then
		cross=i686-linux-gnu-
		have i686-elf-gcc && have i686-elf-ld && cross=i686-elf-
	fi
	check gcc-i686-linux-gnu have "${cross}gcc"
	check binutils-i686-linux-gnu have "${cross}ld"
	check binutils-i686-linux-gnu have "${cross}objcopy"
	check binutils-i686-linux-gnu have "${cross}nm"
	check qemu-system-x86 have qemu-system-i386
	check grub-common have grub-mkrescue
	check grub-pc-bin exists /usr/lib/grub/i386-pc/modinfo.sh
	check xorriso have xorriso
	check mtools have mformat
	check bochs have bochs
	check bochs-term exists '/usr/lib/*/bochs/plugins/libbx_term_gui.so'
	check bochsbios exists /usr/share/bochs/BIOS-bochs-latest
	check vgabios exists /usr/share/vgabios/vgabios.bin
	check libc6-dev exists /usr/include/stdio.h
	check libc6-dev exists /usr/include/setjmp.h
	check libcmocka-dev exists /usr/include/cmocka.h
	check libcmocka-dev exists '/usr/lib/*/libcmocka.so'
	check e2fsprogs have_sbin mke2fs
	check gnuplot-nox have gnuplot
	check clang-format have clang-format
	check bsdutils have script
	check coreutils have timeout
	check gcc have cc
	check make have make
	check gdb have gdb
}

find_missing
((${#missing[@]} == 0)) && exit 0
mapfile -t pkgs < <(printf '%s\n' "${pkgs[@]}" | sort -u)
echo "deps.sh: missing: ${missing[*]}" >&2
if ((EUID != 0)); then
	echo "deps.sh: as root, run:" >&2
	echo "  apt-get update && apt-get install -y --no-install-recommends ${pkgs[*]}" >&2
	exit 1
fi
echo "deps.sh: installing ${pkgs[*]}" >&2
apt-get update -q
DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${pkgs[@]}"
find_missing
if ((${#missing[@]} != 0)); then
	echo "deps.sh: still missing after install: ${missing[*]}" >&2
	exit 1
fi
