#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Turns `nm -n kernel.elf` output into the .ksyms section: a count, a sorted
# table of (address, name) for every text symbol, and the names.
# Usage: tools/ksyms.sh NM-OUTPUT > ksyms.S   (/dev/null gives an empty table)
set -euo pipefail
awk '
BEGIN { n = 0 }
$2 ~ /^[tT]$/ && $3 !~ /^\./ { addr[n] = $1; name[n] = $3; n++ }
END {
	print "\t.section .ksyms, \"a\""
	print "\t.align 4"
	print "\t.globl ksyms_count"
	print "ksyms_count:\n\t.long " n
	print "\t.globl ksyms_table"
	print "ksyms_table:"
	for (i = 0; i < n; i++) printf "\t.long 0x%s, ksym_name_%d\n", addr[i], i
	for (i = 0; i < n; i++) printf "ksym_name_%d:\n\t.asciz \"%s\"\n", i, name[i]
}' "$1"
