# SPDX-License-Identifier: MIT
#
# t_disk.sh — the root file system as ext2 on an IDE disk (drivers/ata,
# servers/fs with its block cache): a typed session writes, lists, reads
# and removes files (programs themselves come from /bin on the disk), syncs
# and powers off, and the host finds the image clean (e2fsck -fn) and the
# files there (debugfs); a power cut after a sync keeps every synced byte
# and e2fsck -fy makes the image clean; a full disk gives ENOSPC and loses
# nothing; fstest runs on the ext2 root too, and the image stays clean.

export PATH=$PATH:/sbin:/usr/sbin
progs=()
for f in "$ROOT"/build/bootimg/*.elf; do
	case $(basename "$f" .elf) in uart | ata | fs | proctest | procbench | blktest) ;; *) progs+=("$f") ;; esac
done

# fstest with "/" on ext2 (QEMU and Bochs: 32 cylinders of 504 KiB).
img=$TEST_DIR/disk3.img
"$ROOT/tools/mkdisk.sh" "$img" 16128k "${progs[@]}" >/dev/null 2>&1
boot disk_fstest --timeout 120 --modules "build/servers/proc.elf init=fstest" \
	--append poweroff=idle --disk "$img"
expect '^fs: serving / \(ext2 on the disk'
expect '^fstest: [0-9]+ checks, 0 failed$'
expect_not 'FAILED|panic'
expect_frames_balanced
expect_status ok
e2fsck -fn "$img" >"$TEST_DIR/disk_fstest.e2fsck" 2>&1 || fail "e2fsck -fn after fstest: $(grep -v '^Pass\|^e2fsck' "$TEST_DIR/disk_fstest.e2fsck" | head -n 3 | tr '\n' ' ')"
verdict disk/fstest

[[ ${EMU:-qemu} == qemu ]] || return 0 # the rest types at the console

img=$TEST_DIR/disk1.img
"$ROOT/tools/mkdisk.sh" "$img" 32 "${progs[@]}" >/dev/null 2>&1
boot_console disk "$ROOT/tests/system/console/disk.txt" --timeout 90 \
	--modules build/servers/proc.elf --append poweroff=idle --disk "$img"
expect '^fs: serving / \(ext2 on the disk'
expect_not 'panic'
expect_frames_balanced
expect_status ok
e2fsck -fn "$img" >"$TEST_DIR/disk.e2fsck" 2>&1 || fail "e2fsck -fn: $(grep -v '^Pass\|^e2fsck' "$TEST_DIR/disk.e2fsck" | head -n 3 | tr '\n' ' ')"
got=$(debugfs -R 'cat /notes/a' "$img" 2>/dev/null)
[[ $got == $'first line\nsecond line' ]] || fail "debugfs cat /notes/a: '$got'"
got=$(debugfs -R 'cat /notes/renamed' "$img" 2>/dev/null | tr -s ' ')
[[ $got == ' 4 8 46' ]] || fail "debugfs cat /notes/renamed: '$got'"
debugfs -R 'stat /notes/c' "$img" 2>&1 | grep -q 'not found' || fail "/notes/c was not removed"
[[ $(debugfs -R 'stat /notes/hard' "$img" 2>/dev/null | grep -o 'Links: [0-9]*') == 'Links: 2' ]] ||
	fail "/notes/hard: not a second link"
debugfs -R 'stat /notes/soft' "$img" 2>/dev/null | grep -q 'Fast link dest: "/notes/a"' ||
	fail "/notes/soft is not a link to /notes/a"
verdict disk

# A power cut after a sync.
img=$TEST_DIR/disk2.img
"$ROOT/tools/mkdisk.sh" "$img" 16 "${progs[@]}" >/dev/null 2>&1
boot_console disk_powercut "$ROOT/tests/system/console/powercut.txt" --timeout 60 \
	--modules build/servers/proc.elf --append poweroff=idle --disk "$img"
got=$(debugfs -R 'cat /kept' "$img" 2>/dev/null)
[[ $got == 'synced before the cut' ]] || fail "after the cut, /kept is '$got'"
status=0
e2fsck -fy "$img" >"$TEST_DIR/disk_powercut.e2fsck" 2>&1 || status=$?
((status <= 1)) || fail "e2fsck -fy exit status $status"
e2fsck -fn "$img" >/dev/null 2>&1 || fail "not clean after e2fsck -fy"
verdict disk/powercut

