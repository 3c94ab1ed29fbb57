/* SPDX-License-Identifier: MIT */
/*
 * The fs domain's block cache over a block device (cache.c). cache_read
 * and cache_write have struct ext2_dev's shape (ctx unused).
 */
#ifndef SPRIG_FS_CACHE_H
#define SPRIG_FS_CACHE_H

#include <sprite/blkdev.h>
#include <sprite/fs.h>
#include <stdint.h>

#define CACHE_BLOCK 4096

int cache_init(int disk, uint64_t *bytes); /* the disk's door; its size in bytes */
int cache_read(void *ctx, uint64_t off, void *buf, uint32_t len);
int cache_write(void *ctx, uint64_t off, const void *buf, uint32_t len);
int cache_sync(void); /* every dirty block, then the device's own cache */
int cache_age(void);  /* the dirty blocks 30 seconds old */
void cache_stat(struct fs_cachestat *s);

#endif
