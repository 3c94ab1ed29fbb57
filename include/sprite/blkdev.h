/* SPDX-License-Identifier: MIT */
/*
 * Block devices: a disk as an array of 512-byte sectors behind a door
 * (drivers/ata serves the first IDE disk, published as the boot name
 * "disk"). One request at a time reaches the device; callers queue.
 *
 * info answers the geometry. read {lba, count} answers count sectors as
 * DOOR_IO bytes (io.out_cap must hold them all); write {lba, count} takes
 * exactly count sectors' bytes in io.in; both answer the bytes moved.
 * count is 1 .. BLKDEV_MAX_SECTORS (DOOR_IO_MAX bytes) and the range must
 * lie inside the disk. flush writes the device's cache to the medium.
 *
 * Errors: -EINVAL for a bad range, count or size (nothing reaches the
 * device); -EIO when the device reports an error or does not answer in
 * time (the driver logs the status and error registers, and resets the
 * channel after a timeout); -EINTR when the caller is signalled while
 * waiting for another request to finish (a request the device has begun
 * is finished first).
 */
#ifndef SPRITE_BLKDEV_H
#define SPRITE_BLKDEV_H

#include "lib/doors/doors.h"

#define BLKDEV_SECTOR      512
#define BLKDEV_MAX_SECTORS (DOOR_IO_MAX / BLKDEV_SECTOR) /* 16 per call */
#define BLKDEV_MODEL_MAX   44

#define BLKDEV_LBA48 1 /* blkdev_info.flags: 48-bit addressing (else 28) */

struct blkdev_none {
	uint32_t unused;
};

struct blkdev_info {
	uint32_t sector_size;         /* BLKDEV_SECTOR */
	uint32_t max_sectors;         /* per read or write: BLKDEV_MAX_SECTORS */
	uint64_t sectors;             /* the disk's size */
	uint32_t flags;               /* BLKDEV_LBA48 */
	char model[BLKDEV_MODEL_MAX]; /* from IDENTIFY, NUL-terminated */
};

/* 12 bytes: lba is 4-aligned inside it on i386. */
struct blkdev_rw {
	uint64_t lba;   /* the first sector */
	uint32_t count; /* sectors */
};
_Static_assert(sizeof(struct blkdev_rw) == 12, "blkdev_rw is 12 bytes on the wire");

#define BLKDEV_OPS(OP)                                                                             \
	OP(blkdev, info, 1, struct blkdev_none, struct blkdev_info)                                \
	OP(blkdev, read, 2, struct blkdev_rw, struct blkdev_none, DOOR_IO)                         \
	OP(blkdev, write, 3, struct blkdev_rw, struct blkdev_none, DOOR_IO)                        \
	OP(blkdev, flush, 4, struct blkdev_none, struct blkdev_none)

DOOR_INTERFACE(blkdev, BLKDEV_OPS)

#endif
