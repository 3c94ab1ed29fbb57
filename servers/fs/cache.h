/* SPDX-License-Identifier: MIT */
/*
 * The fs domain's block cache (cache.c) over a device given as callbacks
 * (ext2vfs.c's call the disk's blkdev door; the host unit test's a memory
 * disk). cache_read and cache_write have struct ext2_dev's shape (ctx
 * unused).
 */
#ifndef SPRIG_FS_CACHE_H
#define SPRIG_FS_CACHE_H

#include <sprite/fs.h>
#include <stdint.h>

#define CACHE_BLOCK  4096
#define CACHE_SECTOR 512 /* the device's unit: BLKDEV_SECTOR */

/* The device under the cache. read_sectors and write_sectors move count
 * sectors (at most CACHE_BLOCK / CACHE_SECTOR) at sector lba, and answer 0
 * or -errno; flush empties the device's own cache; ticks answers the time
 * since boot in ticks, and their rate in *hz. */
struct cache_dev {
	void *ctx;
	uint64_t sectors; /* the device's size */
	int (*read_sectors)(void *ctx, uint64_t lba, uint32_t count, void *buf);
	int (*write_sectors)(void *ctx, uint64_t lba, uint32_t count, const void *buf);
	int (*flush)(void *ctx);
	uint64_t (*ticks)(void *ctx, uint32_t *hz);
};

/* Starts the cache, empty, over dev (copied); *bytes: what it covers
 * (whole cache blocks). */
void cache_init(const struct cache_dev *dev, uint64_t *bytes);
int cache_read(void *ctx, uint64_t off, void *buf, uint32_t len);
int cache_peek(void *ctx, uint64_t off, uint32_t len, const void **at);
int cache_write(void *ctx, uint64_t off, const void *buf, uint32_t len);
int cache_sync(void); /* every dirty block, then the device's own cache */
int cache_age(void);  /* the dirty blocks 30 seconds old */
void cache_stat(struct fs_cachestat *s);

#endif
