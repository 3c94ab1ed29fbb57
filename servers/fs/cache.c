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
 * Nothing dirty is dropped: a dirty block the device refuses stays dirty,
 * is passed over as a victim (another block is replaced instead), and is
 * tried again by the next sync or age, which report -EIO until it is
 * written. A write changes the cache only once it has every block it
 * covers, so a write that fails has changed nothing.
 *
 * Not thread-safe by itself: the ext2 domain's lock covers every call.
 *
 * Entry points: cache_init, cache_read, cache_peek, cache_write, cache_sync,
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
#define FREE        UINT64_MAX /* cblock.blk of a block that holds nothing */

struct cblock {
	uint64_t blk;
	uint8_t dirty;
	uint8_t pinned;             /* held by a write being gathered: no victim */
	uint8_t unread;             /* taken for a whole-block write: no contents yet */
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
	uint32_t hits, misses; /* lookups that found their block, and not */
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

/* At the tail: where free blocks wait, taken before any in use. */
static void push_back(struct cblock *b)
{
	b->prev = c.head.prev;
	b->next = &c.head;
	c.head.prev->next = b;
	c.head.prev = b;
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

/* The cached block blk, or NULL; neither counted nor moved. */
static struct cblock *lookup(uint64_t blk)
{
	for (struct cblock *b = *slot(blk); b; b = b->hnext)
		if (b->blk == blk)
			return b;
	return NULL;
}

/* Makes a clean block free: out of the hash, to the tail. */
static void release(struct cblock *b)
{
	if (b->blk != FREE)
		unhash(b);
	b->blk = FREE;
	b->unread = 0;
	unlink_lru(b);
	push_back(b);
}

static int disk_io(uint64_t blk, char *data, int write)
{
	uint64_t lba = blk * SECTORS;
	int err = write ? c.dev.write_sectors(c.dev.ctx, lba, SECTORS, data)
	                : c.dev.read_sectors(c.dev.ctx, lba, SECTORS, data);
	return err < 0 ? -EIO : 0;
}

/* Writes b back if dirty; a refused block stays dirty. */
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

/* Adds CHUNK free blocks at the tail; on the first failure stops trying
 * for good (the domain's memory is what it is). */
static void grow(void)
{
	char *mem = malloc(CHUNK * CACHE_BLOCK);
	struct cblock *bs = mem ? calloc(CHUNK, sizeof *bs) : NULL;
	if (!bs) {
		free(mem);
		c.full = 1;
		return;
	}
	for (int i = 0; i < CHUNK; i++) {
		bs[i].data = mem + i * CACHE_BLOCK;
		bs[i].blk = FREE;
		push_back(&bs[i]);
	}
	c.n += CHUNK;
}

/* A block to hold another: a free one, else a new one while the cache may
 * grow, else the least recently used that is clean or can be written back
 * (one the device refuses goes to the front, so that the next miss does
 * not try it first). Taken out of the hash, still in the LRU list. NULL
 * with -EIO when every candidate is dirty and refused, -ENOMEM when there
 * is none (no memory, or all pinned by the write in progress). */
static struct cblock *take(int *err)
{
	struct cblock *b = c.head.prev, *prev;
	if ((b == &c.head || b->blk != FREE) && !c.full && c.n < CACHE_MAX)
		grow();
	*err = -ENOMEM;
	b = c.head.prev;
	/* c.n steps: each block looked at once, though refused ones move */
	for (uint32_t i = 0; i < c.n && b != &c.head; i++, b = prev) {
		prev = b->prev;
		if (b->pinned)
			continue;
		if (clean(b) < 0) {
			*err = -EIO;
			unlink_lru(b);
			push_front(b);
			continue;
		}
		if (b->blk != FREE)
			unhash(b);
		b->blk = FREE;
		return b;
	}
	return NULL;
}

/* The cached block blk, made the most recent; on a miss read from the disk,
 * unless whole (the caller will overwrite all of it: the block is marked
 * unread until it has). NULL with -EIO or -ENOMEM. */
static struct cblock *get(uint64_t blk, int whole, int *err)
{
	struct cblock *b = lookup(blk);
	if (b) {
		c.hits++;
		unlink_lru(b);
		push_front(b);
		return b;
	}
	c.misses++;
	if (!(b = take(err)))
		return NULL;
	if (!whole && (*err = disk_io(blk, b->data, 0)) < 0) {
		release(b);
		return NULL;
	}
	b->unread = (uint8_t)whole;
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

/* The part of [off, off + len) in its first block: *at in it, *n bytes. */
static uint64_t piece(uint64_t off, uint32_t len, uint32_t *at, uint32_t *n)
{
	*at = (uint32_t)(off % CACHE_BLOCK);
	*n = CACHE_BLOCK - *at < len ? CACHE_BLOCK - *at : len;
	return off / CACHE_BLOCK;
}

static int in_range(uint64_t off, uint32_t len)
{
	return off + len >= off && off + len <= c.blocks * CACHE_BLOCK;
}

int cache_read(void *ctx, uint64_t off, void *buf, uint32_t len)
{
	(void)ctx;
	if (!in_range(off, len))
		return -EIO;
	for (uint32_t at, n; len > 0; off += n, buf = (char *)buf + n, len -= n) {
		int err = 0;
		struct cblock *b = get(piece(off, len, &at, &n), 0, &err);
		if (!b)
			return err;
		memcpy(buf, b->data + at, n);
	}
	return 0;
}

/* Where the len bytes at off are in the cache, read in if need be; they
 * must lie in one block (-EINVAL otherwise). *at stays valid until the
 * next call into the cache. 0 or -errno. */
int cache_peek(void *ctx, uint64_t off, uint32_t len, const void **at)
{
	(void)ctx;
	uint32_t in, n;
	if (!in_range(off, len))
		return -EIO;
	uint64_t blk = piece(off, len, &in, &n);
	if (n < len)
		return -EINVAL;
	int err = 0;
	struct cblock *b = get(blk, 0, &err);
	if (!b)
		return err;
	*at = b->data + in;
	return 0;
}

/* Lets go of the blocks a write pinned over its first len bytes; with
 * undo, those taken unread are freed again (the write failed). */
static void unpin(uint64_t off, uint32_t len, int undo)
{
	for (uint32_t at, n; len > 0; off += n, len -= n) {
		struct cblock *b = lookup(piece(off, len, &at, &n));
		b->pinned = 0;
		if (undo && b->unread)
			release(b);
	}
}

/* Brings every block of [off, off + len) into the cache and pins it, or
 * none: a partial block is read, a whole one only taken. */
static int pin(uint64_t off, uint32_t len)
{
	uint32_t done = 0;
	for (uint32_t at, n; done < len; done += n) {
		int err = 0;
		uint64_t blk = piece(off + done, len - done, &at, &n);
		struct cblock *b = get(blk, n == CACHE_BLOCK, &err);
		if (!b) {
			unpin(off, done, 1);
			return err;
		}
		b->pinned = 1;
	}
	return 0;
}

/* All of it or nothing: the blocks are gathered first, then changed. */
int cache_write(void *ctx, uint64_t off, const void *buf, uint32_t len)
{
	(void)ctx;
	if (!in_range(off, len))
		return -EIO;
	int err = pin(off, len);
	if (err < 0)
		return err;
	uint32_t hz;
	uint64_t now = ticks(&hz);
	for (uint32_t at, n; len > 0; off += n, buf = (const char *)buf + n, len -= n) {
		struct cblock *b = lookup(piece(off, len, &at, &n));
		memcpy(b->data + at, buf, n);
		b->pinned = b->unread = 0;
		if (!b->dirty) {
			b->dirty = 1;
			b->dirtied = now;
			c.dirty++;
		}
	}
	return 0;
}

/* Writes back the dirty blocks at least min_age seconds old (0: all);
 * -EIO if the device refused any (they stay dirty, to be tried again). */
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
