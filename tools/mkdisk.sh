#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# mkdisk.sh — makes Sprig's disk: an ext2 image made by mke2fs -d from a
# staged root tree: the programs of the boot image in /bin (as their
# names, without .elf; not the servers or drivers), a few files in /etc,
# and the mount points /tmp and /dev.
#
# Usage: tools/mkdisk.sh IMAGE SIZE PROGRAM.elf...   (SIZE in MiB, or NNNk
# in KiB: Bochs wants whole cylinders of 16 heads and 63 sectors, 504k)
set -euo pipefail
img=$1 size=$2
shift 2
export PATH=$PATH:/sbin:/usr/sbin
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage/bin" "$stage/etc" "$stage/tmp" "$stage/dev"
chmod 1777 "$stage/tmp"
for f in "$@"; do
	cp "$f" "$stage/bin/$(basename "$f" .elf)"
done
cat >"$stage/etc/motd" <<'MOTD'
Welcome to Sprig: a Spring-style nucleus hosting Sprite's services.
Every program here is a process in a domain of its own; try ps, prefix, df.
MOTD
printf '1\tsprig\n' >"$stage/etc/hosts"
printf 'PATH=/bin\n' >"$stage/etc/profile"
rm -f "$img"
[[ $size == *k ]] || size=${size}M
mke2fs -q -F -t ext2 -L sprig -d "$stage" "$img" "$size"
