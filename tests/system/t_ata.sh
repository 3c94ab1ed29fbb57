# SPDX-License-Identifier: MIT
#
# t_ata.sh — the ATA disk driver (drivers/ata) with a scratch disk image:
# user/blktest.c runs as init and checks the size IDENTIFY gives, writes
# and reads back sectors across the disk (the first, the last, a run of
# 16, one at each power of two), reads the whole disk, sends bad ranges
# and malformed messages, reads from two threads at once, and flushes.
# After the run the host rebuilds the image it expects (zeros, and the
# pattern where blktest wrote) and compares it with the one the guest
# wrote. Then a boot with no disk: the driver says so, nothing is
# published, and the system runs on.

sectors=8064 # 8 cylinders of 16 heads and 63 sectors: a geometry Bochs accepts
img=$TEST_DIR/ata${EMU:+-$EMU}.img
want=$TEST_DIR/ata${EMU:+-$EMU}.want
rm -f "$img" "$want"
truncate -s $((sectors * 512)) "$img"

boot ata --timeout 120 --modules "build/servers/proc.elf init=blktest $sectors" \
	--append poweroff=idle --disk "$img"
expect "^ata: disk \"[^\"]+\", $sectors sectors"
expect "^blktest: disk \"[^\"]+\", $sectors sectors$"
expect '^blktest the whole disk reads back as written: ok$'
expect '^blktest two threads reading at once each get their sectors: ok$'
expect '^blktest flush: ok$'
expect '^blktest: [0-9]+ checks, 0 failed$'
expect_not 'FAILED|panic|ata: .*(status|no answer)'
expect_frames_balanced
expect_status ok

# The image blktest should have left: sector n written holds 32 copies of
# "sector %08u\n"; every other sector is zero.
truncate -s $((sectors * 512)) "$want"
put_sector() {
	local i
	for ((i = 0; i < 32; i++)); do printf 'sector %08u\n' "$1"; done |
		dd of="$want" bs=512 seek="$1" count=1 conv=notrunc status=none
}
put_sector 0
for ((lba = 1; lba < sectors - 17; lba *= 2)); do put_sector "$lba"; done
for ((lba = sectors - 17; lba < sectors; lba++)); do put_sector "$lba"; done
if ! cmp -s "$img" "$want"; then
	fail "the image differs from what blktest wrote: $(cmp "$img" "$want" 2>&1 | head -n1)"
fi
verdict ata

boot ata_nodisk --timeout 60 --modules "build/servers/proc.elf init=blktest none" \
	--append poweroff=idle
expect '^ata: (no disk|the primary master is a packet device)'
expect '^blktest with no disk, no "disk" is published: ok$'
expect '^blktest: 1 checks, 0 failed$'
expect_not 'FAILED|panic'
expect_frames_balanced
expect_status ok
verdict ata/nodisk
