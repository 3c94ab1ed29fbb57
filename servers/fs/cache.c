/* SPDX-License-Identifier: MIT */
/*
 * The block cache, as Sprite's file servers keep one: 4 KiB blocks of the
 * disk (a device of callbacks, struct cache_dev) in the fs domain's
 * memory, found by a hash, replaced least recently used first. Writes
 * stay in the cache (dirty) until they are 30 seconds old (cache_age,
 * called every few seconds by fs.c's flusher), or a sync, or until the
 * block is replaced. The cache grows a chunk at a time, up to CACHE_MAX
 * blocks or until the domain's memory runs out (its frame limit): that is
 * how it is sized from the memory there is.
 *
 * Not thread-safe by itself: the ext2 domain's lock covers every call.
 *
 * Entry points: cache_init, cache_read, cache_write, cache_sync,
 * cache_age, cache_stat.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "servers/fs/cache.h"

#define CACHE_MAX   4096 /* blocks: 16 MiB */
#define CHUNK       16   /* blocks allocated at once */
#define HASH        1024
#define DIRTY_AGE_S 30

struct cblock {
	uint64_t blk;
	int dirty;
	uint64_t dirtied;           /* ticks when it became dirty */
	struct cblock *prev, *next; /* LRU: head is the most recent */
	struct cblock *hnext;
	char *data;
};

#define SECTORS (CACHE_BLOCK / CACHE_SECTOR) /* a block's */

static struct {
	struct cache_dev dev;
	uint64_t blocks; /* the disk's size in cache blocks */
	struct cblock *hash[HASH];
	struct cblock head; /* the LRU list's sentinel */
	uint32_t n, dirty, full;
	uint32_t hits, misses;
} c;

static uint64_t ticks(uint32_t *hz)
{
	*hz = 0;
	uint64_t now = c.dev.ticks(c.dev.ctx, hz);
	if (*hz == 0)
		*hz = 100;
	return now;
}

static void unlink_lru(struct cblock *b)
{
	b->prev->next = b->next;
	b->next->prev = b->prev;
}

static void push_front(struct cblock *b)
{
	b->next = c.head.next;
	b->prev = &c.head;
	c.head.next->prev = b;
	c.head.next = b;
}

static struct cblock **slot(uint64_t blk)
{
	return &c.hash[blk % HASH];
}

static void unhash(struct cblock *b)
{
	for (struct cblock **p = slot(b->blk); *p; p = &(*p)->hnext)
		if (*p == b) {
			*p = b->hnext;
			return;
		}
}

static int disk_io(uint64_t blk, char *data, int write)
{
	uint64_t lba = blk * SECTORS;
	int err = write ? c.dev.write_sectors(c.dev.ctx, lba, SECTORS, data)
	                : c.dev.read_sectors(c.dev.ctx, lba, SECTORS, data);
	return err < 0 ? -EIO : 0;
}

static int clean(struct cblock *b)
{
	if (!b->dirty)
		return 0;
	int err = disk_io(b->blk, b->data, 1);
	if (err < 0)
		return err;
	b->dirty = 0;
	c.dirty--;
	return 0;
}

/* A block for blk: a free one, else a new one while the cache may grow,
 * else the least recently used (written back first if dirty). NULL on a
 * disk error, or with no memory for a single block. */
static struct cblock *take(void)
{
	struct cblock *tail = c.head.prev; /* free blocks wait there */
	if ((tail == &c.head || tail->blk != UINT64_MAX) && !c.full && c.n < CACHE_MAX) {
		char *mem = malloc(CHUNK * CACHE_BLOCK);
		struct cblock *bs = mem ? calloc(CHUNK, sizeof *bs) : NULL;
		if (bs) {
			for (int i = 0; i < CHUNK; i++) {
				bs[i].data = mem + i * CACHE_BLOCK;
				bs[i].blk = UINT64_MAX;
				/* at the back: taken before any block in use */
				bs[i].prev = c.head.prev;
				bs[i].next = &c.head;
				c.head.prev->next = &bs[i];
				c.head.prev = &bs[i];
			}
			c.n += CHUNK;
		} else {
			free(mem);
			c.full = 1; /* the domain's memory is what it is */
		}
	}
	struct cblock *b = c.head.prev;
	if (b == &c.head || clean(b) < 0)
		return NULL;
	if (b->blk != UINT64_MAX)
		unhash(b);
	return b;
}

/* The cached block blk (read from the disk unless whole will overwrite
 * it), made the most recent. */
static struct cblock *get(uint64_t blk, int whole, int *err)
{
	for (struct cblock *b = *slot(blk); b; b = b->hnext)
		if (b->blk == blk) {
			c.hits++;
			unlink_lru(b);
			push_front(b);
			return b;
		}
	c.misses++;
	struct cblock *b = take();
	if (!b) {
		*err = -EIO;
		return NULL;
	}
	b->blk = UINT64_MAX;
	if (!whole && (*err = disk_io(blk, b->data, 0)) < 0)
		return NULL;
	b->blk = blk;
	b->hnext = *slot(blk);
	*slot(blk) = b;
	unlink_lru(b);
	push_front(b);
	return b;
}

void cache_init(const struct cache_dev *dev, uint64_t *bytes)
{
	memset(&c, 0, sizeof c);
	c.dev = *dev;
	c.head.next = c.head.prev = &c.head;
	c.blocks = dev->sectors / SECTORS;
	*bytes = c.blocks * CACHE_BLOCK;
}

/* A read or write of len bytes at byte off, through the cache. */
static int cache_rw(uint64_t off, char *buf, uint32_t len, int write)
{
	if (off + len < off || off + len > c.blocks * CACHE_BLOCK)
		return -EIO;
	while (len > 0) {
		uint64_t blk = off / CACHE_BLOCK;
		uint32_t at = (uint32_t)(off % CACHE_BLOCK);
		uint32_t n = CACHE_BLOCK - at < len ? CACHE_BLOCK - at : len;
		int err = 0;
		struct cblock *b = get(blk, write && n == CACHE_BLOCK, &err);
		if (!b)
			return err;
		if (write) {
			memcpy(b->data + at, buf, n);
			if (!b->dirty) {
				uint32_t hz;
				b->dirty = 1;
				b->dirtied = ticks(&hz);
				c.dirty++;
			}
		} else {
			memcpy(buf, b->data + at, n);
		}
		off += n;
		buf += n;
		len -= n;
	}
	return 0;
}

int cache_read(void *ctx, uint64_t off, void *buf, uint32_t len)
{
	(void)ctx;
	return cache_rw(off, buf, len, 0);
}

int cache_write(void *ctx, uint64_t off, const void *buf, uint32_t len)
{
	(void)ctx;
	return cache_rw(off, (char *)buf, len, 1);
}

/* Writes back the dirty blocks at least min_age seconds old (0: all). */
static int write_back(uint32_t min_age)
{
	uint32_t hz;
	uint64_t now = ticks(&hz);
	int err = 0;
	for (struct cblock *b = c.head.next; b != &c.head; b = b->next)
		if (b->dirty && now - b->dirtied >= (uint64_t)min_age * hz) {
			int e = clean(b);
			if (e < 0 && !err)
				err = e;
		}
	return err;
}

int cache_sync(void)
{
	int err = write_back(0);
	int e = c.dev.flush(c.dev.ctx);
	return err ? err : e < 0 ? -EIO : 0;
}

int cache_age(void)
{
	return write_back(DIRTY_AGE_S);
}

void cache_stat(struct fs_cachestat *s)
{
	*s = (struct fs_cachestat){c.n, c.dirty, c.hits, c.misses};
}
