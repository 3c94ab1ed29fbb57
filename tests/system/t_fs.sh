# SPDX-License-Identifier: MIT
#
# t_fs.sh — the file system domain with memory-backed / and /tmp: Unix
# errors for bad paths, names with every byte value, .. at the root and
# across domains, shared offsets, pipes, malformed requests, and fs's
# death giving its callers errors (user/fstest.c run as init, QEMU and
# Bochs); then a shell session with redirection, pipes and the tools
# (tests/system/console/fs.txt).

boot fs --timeout 120 --modules "build/servers/proc.elf init=fstest" --append poweroff=idle
expect '^fstest: [0-9]+ checks, 0 failed$'
expect_not 'FAILED|panic'
expect_frames_balanced
expect_status ok
verdict fs

[[ ${EMU:-qemu} == qemu ]] || return 0
boot_console fs_shell "$ROOT/tests/system/console/fs.txt" --timeout 90 \
	--modules build/servers/proc.elf --append poweroff=idle
expect_not 'panic'
expect_frames_balanced
expect_status ok
verdict fs/shell
