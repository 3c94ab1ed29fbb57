/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for servers/fs/cache.c, the fs domain's block cache, over a
 * memory disk that counts its calls, a clock the test sets, and a malloc
 * that can be made to fail (cache.c is built with malloc, calloc and free
 * renamed fake_*): hits and misses, reads after writes, write-back at 30
 * seconds and on sync only, least-recently-used replacement with a dirty
 * victim written first, read-modify-write of partial blocks, device errors
 * that lose nothing cached, and growth that stops when memory does.
 */
#undef malloc
#undef calloc
#undef free
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "tests/unit/host.h"
#include "servers/fs/cache.h"

const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
	return "detect_leaks=0"; /* the cache has no teardown: each test starts anew */
}

/* ---- malloc, failing after a number of calls ---- */

static long allocs, allocs_left = -1, frees; /* allocs_left < 0: no limit */

static int may_alloc(void)
{
	allocs++;
	if (allocs_left == 0)
		return 0;
	if (allocs_left > 0)
		allocs_left--;
	return 1;
}

void *fake_malloc(size_t n);
void *fake_calloc(size_t n, size_t size);
void fake_free(void *p);

void *fake_malloc(size_t n)
{
	return may_alloc() ? malloc(n) : NULL;
}

void *fake_calloc(size_t n, size_t size)
{
	return may_alloc() ? calloc(n, size) : NULL;
}

void fake_free(void *p)
{
	if (p)
		frees++;
	free(p);
}

/* ---- a memory disk and a clock ---- */

#define DISK_BLOCKS 64
#define SPB         (CACHE_BLOCK / CACHE_SECTOR)

static uint8_t disk[DISK_BLOCKS * CACHE_BLOCK];
static int reads, writes, flushes, fail_reads, fail_writes;
static char ops[256]; /* 'r' or 'w' and the block, in order: "r0 w3 " */
static uint64_t now;  /* ticks, 100 a second */

/* Failures by block (bit b: block b's reads or writes fail), and flaky
 * ones: each call fails with probability flaky / 1000, from a seeded
 * generator. A failed write is torn when told: half its sectors land. */
static uint64_t bad_reads, bad_writes, rng;
static uint32_t flaky;
static int torn, injected; /* injected: calls made to fail so far */
/* When set, what the cache must hold: every block written must equal it. */
static const uint8_t *model;

static uint32_t rnd(void)
{
	rng = rng * 6364136223846793005ull + 1442695040888963407ull;
	return (uint32_t)(rng >> 33);
}

static int fails(int all, uint64_t bad, uint64_t lba)
{
	int f = all || (bad >> (lba / SPB) & 1) || (flaky && rnd() % 1000 < flaky);
	injected += f;
	return f;
}

static void note(char op, uint64_t lba)
{
	size_t n = strlen(ops);
	if (n < sizeof ops - 8)
		snprintf(ops + n, sizeof ops - n, "%c%u ", op, (unsigned)(lba / SPB));
}

static int d_read(void *ctx, uint64_t lba, uint32_t count, void *buf)
{
	(void)ctx;
	assert_int_equal(count, SPB);
	assert_int_equal(lba % SPB, 0);
	assert_true(lba + count <= sizeof disk / CACHE_SECTOR);
	reads++;
	note('r', lba);
	if (fails(fail_reads, bad_reads, lba)) {
		memset(buf, 0xdb, count * CACHE_SECTOR); /* what a bad read may leave */
		return -EIO;
	}
	memcpy(buf, disk + lba * CACHE_SECTOR, count * CACHE_SECTOR);
	return 0;
}

static int d_write(void *ctx, uint64_t lba, uint32_t count, const void *buf)
{
	(void)ctx;
	assert_int_equal(count, SPB);
	assert_true(lba + count <= sizeof disk / CACHE_SECTOR);
	writes++;
	note('w', lba);
	if (model && memcmp(buf, model + lba * CACHE_SECTOR, count * CACHE_SECTOR))
		fail_msg("block %u written back with bytes no write gave", (unsigned)(lba / SPB));
	if (fails(fail_writes, bad_writes, lba)) {
		if (torn)
			memcpy(disk + lba * CACHE_SECTOR, buf, count / 2 * CACHE_SECTOR);
		return -EIO;
	}
	memcpy(disk + lba * CACHE_SECTOR, buf, count * CACHE_SECTOR);
	return 0;
}

static int d_flush(void *ctx)
{
	(void)ctx;
	flushes++;
	return 0;
}

static uint64_t d_ticks(void *ctx, uint32_t *hz)
{
	(void)ctx;
	*hz = 100;
	return now;
}

/* The disk's byte i before anything is written: a pattern. */
static uint8_t pattern(size_t i)
{
	return (uint8_t)(i * 7 + i / CACHE_BLOCK);
}

static int setup(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof disk; i++)
		disk[i] = pattern(i);
	reads = writes = flushes = fail_reads = fail_writes = 0;
	bad_reads = bad_writes = 0;
	flaky = 0;
	torn = injected = 0;
	model = NULL;
	ops[0] = 0;
	now = 1000;
	allocs = frees = 0;
	allocs_left = -1;
	/* half a block more than DISK_BLOCKS: the cache covers whole blocks */
	struct cache_dev dev = {NULL,   DISK_BLOCKS * SPB + SPB / 2, d_read, d_write, d_flush,
	                        d_ticks};
	uint64_t bytes;
	cache_init(&dev, &bytes);
	assert_int_equal(bytes, DISK_BLOCKS * CACHE_BLOCK);
	return 0;
}

static struct fs_cachestat stat_now(void)
{
	struct fs_cachestat s;
	cache_stat(&s);
	return s;
}

/* Block blk read through the cache equals the disk's pattern. */
static void read_pattern(uint32_t blk)
{
	static uint8_t buf[CACHE_BLOCK];
	assert_int_equal(cache_read(NULL, (uint64_t)blk * CACHE_BLOCK, buf, CACHE_BLOCK), 0);
	for (size_t i = 0; i < CACHE_BLOCK; i++)
		if (buf[i] != pattern(blk * CACHE_BLOCK + i))
			fail_msg("block %u byte %zu: %u, not %u", blk, i, buf[i],
			         pattern(blk * CACHE_BLOCK + i));
}

static void test_hits_and_misses(void **state)
{
	(void)state;
	uint8_t buf[100];
	read_pattern(0);
	assert_int_equal(stat_now().misses, 1);
	assert_int_equal(stat_now().hits, 0);
	read_pattern(0);
	assert_int_equal(stat_now().hits, 1);
	assert_int_equal(reads, 1);
	/* 100 bytes across blocks 0 and 1: a hit and a miss */
	assert_int_equal(cache_read(NULL, CACHE_BLOCK - 50, buf, sizeof buf), 0);
	for (size_t i = 0; i < sizeof buf; i++)
		assert_int_equal(buf[i], pattern(CACHE_BLOCK - 50 + i));
	struct fs_cachestat s = stat_now();
	assert_int_equal(s.hits, 2);
	assert_int_equal(s.misses, 2);
	assert_int_equal(reads, 2);
	assert_string_equal(ops, "r0 r1 ");
	assert_int_equal(s.blocks, 16); /* one chunk: grown only when none is free */
	for (uint32_t blk = 2; blk < 17; blk++)
		read_pattern(blk);
	assert_int_equal(stat_now().blocks, 32);
	assert_int_equal(allocs, 4);
	assert_int_equal(s.dirty, 0);
}

/* cache_peek: the bytes in place, a miss read in, and nothing across a
 * block's end or the disk's. */
static void test_peek(void **state)
{
	(void)state;
	const void *at = NULL;
	assert_int_equal(cache_peek(NULL, CACHE_BLOCK + 10, 100, &at), 0);
	for (int i = 0; i < 100; i++)
		assert_int_equal(((const uint8_t *)at)[i], pattern(CACHE_BLOCK + 10 + (size_t)i));
	assert_int_equal(stat_now().misses, 1);
	assert_int_equal(cache_peek(NULL, CACHE_BLOCK, CACHE_BLOCK, &at), 0);
	assert_int_equal(stat_now().hits, 1);
	assert_int_equal(cache_peek(NULL, CACHE_BLOCK - 1, 2, &at), -EINVAL);
	assert_int_equal(cache_peek(NULL, (uint64_t)1 << 40, 1, &at), -EIO);
	assert_int_equal(reads, 1);
}

static void test_bounds(void **state)
{
	(void)state;
	uint8_t buf[8];
	uint64_t end = DISK_BLOCKS * CACHE_BLOCK;
	assert_int_equal(cache_read(NULL, end - 8, buf, 8), 0);
	assert_int_equal(cache_read(NULL, end - 7, buf, 8), -EIO); /* the half block: not ours */
	assert_int_equal(cache_write(NULL, end, buf, 1), -EIO);
	assert_int_equal(cache_read(NULL, UINT64_MAX - 3, buf, 8), -EIO); /* wraps */
	assert_int_equal(cache_read(NULL, 0, buf, 0), 0);
}

static void test_read_after_write(void **state)
{
	(void)state;
	uint8_t in[6000], out[6000];
	for (size_t i = 0; i < sizeof in; i++)
		in[i] = (uint8_t)(i ^ 0x5a);
	assert_int_equal(cache_write(NULL, 3 * CACHE_BLOCK + 1000, in, sizeof in), 0);
	assert_int_equal(writes, 0); /* in the cache only */
	assert_int_equal(stat_now().dirty, 2);
	assert_int_equal(cache_read(NULL, 3 * CACHE_BLOCK + 1000, out, sizeof out), 0);
	assert_memory_equal(in, out, sizeof in);
	/* the bytes around it are the disk's */
	assert_int_equal(cache_read(NULL, 3 * CACHE_BLOCK + 999, out, 1), 0);
	assert_int_equal(out[0], pattern(3 * CACHE_BLOCK + 999));
	assert_int_equal(cache_read(NULL, 3 * CACHE_BLOCK + 7000, out, 1), 0);
	assert_int_equal(out[0], pattern(3 * CACHE_BLOCK + 7000));
}

/* A partial block is read first and merged; a whole one is not read. */
static void test_partial_writes(void **state)
{
	(void)state;
	uint8_t ten[10], whole[CACHE_BLOCK];
	memset(ten, 0xee, sizeof ten);
	memset(whole, 0x11, sizeof whole);
	assert_int_equal(cache_write(NULL, 5 * CACHE_BLOCK + 100, ten, sizeof ten), 0);
	assert_int_equal(reads, 1);
	assert_int_equal(cache_write(NULL, 6 * CACHE_BLOCK, whole, sizeof whole), 0);
	assert_int_equal(reads, 1);
	assert_int_equal(cache_sync(), 0);
	assert_int_equal(writes, 2); /* in either order */
	assert_true(!strcmp(ops, "r5 w5 w6 ") || !strcmp(ops, "r5 w6 w5 "));
	for (size_t i = 5 * CACHE_BLOCK; i < 6 * CACHE_BLOCK; i++) {
		size_t at = i - 5 * CACHE_BLOCK;
		assert_int_equal(disk[i], at >= 100 && at < 110 ? 0xee : pattern(i));
	}
	for (size_t i = 6 * CACHE_BLOCK; i < 7 * CACHE_BLOCK; i++)
		assert_int_equal(disk[i], 0x11);
}

static void test_age(void **state)
{
	(void)state;
	uint8_t b = 1;
	assert_int_equal(cache_write(NULL, 2 * CACHE_BLOCK, &b, 1), 0); /* dirty at t = 0 */
	now += 15 * 100;
	assert_int_equal(cache_write(NULL, 4 * CACHE_BLOCK, &b, 1), 0); /* at t = 15 s */
	now += 14 * 100;
	assert_int_equal(cache_write(NULL, 2 * CACHE_BLOCK + 1, &b, 1), 0); /* still from 0 */
	ops[0] = 0;
	assert_int_equal(cache_age(), 0); /* 29 s: nothing yet */
	assert_int_equal(writes, 0);
	now += 100; /* t = 30 s */
	assert_int_equal(cache_age(), 0);
	assert_string_equal(ops, "w2 ");
	assert_int_equal(stat_now().dirty, 1);
	now += 14 * 100;
	assert_int_equal(cache_age(), 0);
	assert_int_equal(writes, 1);
	now += 100;
	assert_int_equal(cache_age(), 0);
	assert_string_equal(ops, "w2 w4 ");
	assert_int_equal(stat_now().dirty, 0);
	assert_int_equal(flushes, 0);
	assert_int_equal(disk[2 * CACHE_BLOCK + 1], 1);
}

static void test_sync(void **state)
{
	(void)state;
	assert_int_equal(cache_sync(), 0);
	assert_int_equal(flushes, 1);
	assert_int_equal(writes, 0);
	uint8_t b = 9;
	for (uint32_t blk = 10; blk < 14; blk++)
		assert_int_equal(cache_write(NULL, blk * CACHE_BLOCK + blk, &b, 1), 0);
	read_pattern(20);
	assert_int_equal(stat_now().dirty, 4);
	assert_int_equal(cache_sync(), 0);
	assert_int_equal(writes, 4); /* the dirty ones only */
	assert_int_equal(flushes, 2);
	assert_int_equal(stat_now().dirty, 0);
	for (uint32_t blk = 10; blk < 14; blk++)
		assert_int_equal(disk[blk * CACHE_BLOCK + blk], 9);
	assert_int_equal(cache_sync(), 0); /* clean: nothing written again */
	assert_int_equal(writes, 4);
}

/* A cache of one chunk, 16 blocks: memory runs out at the second. */
static void one_chunk(void)
{
	read_pattern(0);
	allocs_left = 0;
	assert_int_equal(stat_now().blocks, 16);
}

static void test_lru(void **state)
{
	(void)state;
	one_chunk();
	for (uint32_t blk = 1; blk < 16; blk++)
		read_pattern(blk);
	read_pattern(0); /* 0 is now the most recent; 1 the least */
	reads = 0;
	ops[0] = 0;
	read_pattern(16); /* replaces 1 */
	read_pattern(0);
	read_pattern(2);
	assert_string_equal(ops, "r16 ");
	read_pattern(1);
	assert_string_equal(ops, "r16 r1 "); /* it was gone; now 3 is */
	read_pattern(3);
	assert_string_equal(ops, "r16 r1 r3 ");
	assert_int_equal(stat_now().blocks, 16);
}

static void test_dirty_victim(void **state)
{
	(void)state;
	one_chunk();
	uint8_t b = 0x77;
	assert_int_equal(cache_write(NULL, 0, &b, 1), 0);
	for (uint32_t blk = 1; blk < 16; blk++)
		read_pattern(blk);
	ops[0] = 0;
	read_pattern(16); /* replaces 0: written back first */
	assert_string_equal(ops, "w0 r16 ");
	assert_int_equal(disk[0], 0x77);
	assert_int_equal(stat_now().dirty, 0);
	uint8_t got;
	assert_int_equal(cache_read(NULL, 0, &got, 1), 0);
	assert_int_equal(got, 0x77);
}

/* A failing device: -EIO, and every byte already cached kept. */
static void test_device_errors(void **state)
{
	(void)state;
	one_chunk();
	uint8_t b = 0x42, got;
	assert_int_equal(cache_write(NULL, 1, &b, 1), 0);
	fail_reads = 1;
	assert_int_equal(cache_read(NULL, 5 * CACHE_BLOCK, &got, 1), -EIO);
	assert_int_equal(cache_write(NULL, 5 * CACHE_BLOCK, &b, 1), -EIO); /* needs a read */
	assert_int_equal(cache_read(NULL, 1, &got, 1), 0);
	assert_int_equal(got, 0x42);
	fail_writes = 1;
	assert_int_equal(cache_sync(), -EIO);
	assert_int_equal(cache_age(), 0); /* not old yet: nothing tried */
	now += 3000;
	assert_int_equal(cache_age(), -EIO);
	assert_int_equal(stat_now().dirty, 1);
	/* the dirty block as a victim that cannot be written: passed over for
	 * the next clean one (1), and it stays, dirty */
	fail_reads = 0;
	for (uint32_t blk = 1; blk < 16; blk++)
		read_pattern(blk);
	ops[0] = 0;
	read_pattern(20);
	assert_string_equal(ops, "w0 r20 ");
	assert_int_equal(cache_read(NULL, 1, &got, 1), 0);
	assert_int_equal(got, 0x42);
	assert_int_equal(stat_now().dirty, 1);
	assert_string_equal(ops, "w0 r20 "); /* a hit */
	read_pattern(1);                     /* gone for 20: read again */
	assert_string_equal(ops, "w0 r20 r1 ");
	/* the device back: all of it reaches the disk */
	fail_writes = 0;
	assert_int_equal(cache_sync(), 0);
	assert_int_equal(disk[1], 0x42);
	assert_int_equal(disk[0], pattern(0));
	assert_int_equal(stat_now().dirty, 0);
	read_pattern(20);
}

/* A cache of one chunk, every block dirty with byte blk at its offset
 * blk (block blk holds it). */
static void all_dirty(void)
{
	one_chunk();
	for (uint32_t blk = 0; blk < 16; blk++) {
		uint8_t v = (uint8_t)(0xa0 + blk);
		assert_int_equal(cache_write(NULL, blk * CACHE_BLOCK + blk, &v, 1), 0);
	}
	assert_int_equal(stat_now().dirty, 16);
}

/* Only some blocks refused: a miss writes back the first one it can and
 * replaces that; the refused ones stay dirty and are not tried first again. */
static void test_refused_victims_passed_over(void **state)
{
	(void)state;
	all_dirty();
	bad_writes = 0x7; /* blocks 0, 1, 2: the three least recently used */
	ops[0] = 0;
	read_pattern(30);
	assert_string_equal(ops, "w0 w1 w2 w3 r30 ");
	assert_int_equal(stat_now().dirty, 15);
	ops[0] = 0;
	read_pattern(31); /* 0, 1, 2 went to the front: 4 is next */
	assert_string_equal(ops, "w4 r31 ");
	assert_int_equal(cache_sync(), -EIO); /* 0, 1, 2 still refused */
	assert_int_equal(stat_now().dirty, 3);
	bad_writes = 0;
	assert_int_equal(cache_sync(), 0);
	assert_int_equal(stat_now().dirty, 0);
	for (uint32_t blk = 0; blk < 16; blk++)
		assert_int_equal(disk[blk * CACHE_BLOCK + blk], 0xa0 + blk);
}

/* Every block dirty and refused, the cache unable to grow: a miss fails
 * with -EIO having tried each once, and loses nothing; once the device is
 * back, misses work and a sync writes it all. */
static void test_every_block_refused(void **state)
{
	(void)state;
	all_dirty();
	fail_writes = 1;
	reads = 0;
	uint8_t got;
	assert_int_equal(cache_read(NULL, 40 * CACHE_BLOCK, &got, 1), -EIO);
	assert_int_equal(writes, 16);
	assert_int_equal(reads, 0); /* nowhere to read it into */
	assert_int_equal(cache_write(NULL, 41 * CACHE_BLOCK, &got, 1), -EIO);
	assert_int_equal(stat_now().dirty, 16);
	for (uint32_t blk = 0; blk < 16; blk++) {
		assert_int_equal(cache_read(NULL, blk * CACHE_BLOCK + blk, &got, 1), 0);
		assert_int_equal(got, 0xa0 + blk);
	}
	now += 3100;
	assert_int_equal(cache_age(), -EIO);
	assert_int_equal(cache_sync(), -EIO);
	assert_int_equal(stat_now().dirty, 16);
	fail_writes = 0;
	read_pattern(40);
	assert_int_equal(stat_now().dirty, 15);
	assert_int_equal(cache_sync(), 0);
	for (uint32_t blk = 0; blk < 16; blk++)
		assert_int_equal(disk[blk * CACHE_BLOCK + blk], 0xa0 + blk);
}

/* The whole cache, no memory at all: -ENOMEM, not -EIO. */
static void test_no_blocks_is_enomem(void **state)
{
	(void)state;
	allocs_left = 0;
	uint8_t b = 1;
	assert_int_equal(cache_read(NULL, 0, &b, 1), -ENOMEM);
	assert_int_equal(cache_write(NULL, 0, &b, 1), -ENOMEM);
}

/* Disk block blk is still its pattern, and the cache shows it so. */
static void untouched(uint32_t blk)
{
	for (size_t i = blk * CACHE_BLOCK; i < (blk + 1) * CACHE_BLOCK; i++)
		assert_int_equal(disk[i], pattern(i));
	read_pattern(blk);
}

/* A write over several blocks whose last, partial, block cannot be read:
 * -EIO, and none of its blocks changed, in the cache or on the disk. */
static void test_multi_block_write_read_fails(void **state)
{
	(void)state;
	static uint8_t in[3 * CACHE_BLOCK];
	memset(in, 0x5c, sizeof in);
	read_pattern(8); /* cached: a hit */
	bad_reads = 1ull << 10;
	/* blocks 8 (partial, cached), 9 (whole), 10 (partial, unreadable) */
	assert_int_equal(cache_write(NULL, 8 * CACHE_BLOCK + 100, in, 2 * CACHE_BLOCK), -EIO);
	assert_int_equal(stat_now().dirty, 0);
	assert_int_equal(stat_now().hits, 1);   /* 8 */
	assert_int_equal(stat_now().misses, 3); /* 8 before; 9, and 10 that failed */
	assert_int_equal(cache_sync(), 0);
	assert_int_equal(writes, 0);
	bad_reads = 0;
	untouched(8);
	untouched(9); /* taken for the write, never filled: not kept as block 9 */
	untouched(10);
	/* the same write with the device well: all of it */
	assert_int_equal(cache_write(NULL, 8 * CACHE_BLOCK + 100, in, 2 * CACHE_BLOCK), 0);
	assert_int_equal(stat_now().dirty, 3);
	assert_int_equal(cache_sync(), 0);
	for (size_t i = 8 * CACHE_BLOCK; i < 11 * CACHE_BLOCK; i++) {
		size_t at = i - 8 * CACHE_BLOCK;
		assert_int_equal(disk[i],
		                 at >= 100 && at < 100 + 2 * CACHE_BLOCK ? 0x5c : pattern(i));
	}
}

/* A multi-block write that finds no victim part way (all else dirty and
 * refused): -EIO, the block it took first given back unfilled. */
static void test_multi_block_write_no_victim(void **state)
{
	(void)state;
	static uint8_t in[2 * CACHE_BLOCK];
	memset(in, 0x3e, sizeof in);
	one_chunk();
	for (uint32_t blk = 1; blk < 16; blk++) {
		uint8_t v = (uint8_t)blk;
		assert_int_equal(cache_write(NULL, blk * CACHE_BLOCK, &v, 1), 0);
	}
	fail_writes = 1; /* only block 0 is clean: one block to take, two wanted */
	assert_int_equal(cache_write(NULL, 20 * CACHE_BLOCK, in, sizeof in), -EIO);
	assert_int_equal(stat_now().dirty, 15);
	fail_writes = 0;
	untouched(20);
	untouched(21);
	assert_int_equal(cache_sync(), 0);
	for (uint32_t blk = 1; blk < 16; blk++)
		assert_int_equal(disk[blk * CACHE_BLOCK], blk);
}

/* A write larger than the cache can hold at once: -ENOMEM, nothing
 * changed; one as large as the cache works. */
static void test_write_larger_than_cache(void **state)
{
	(void)state;
	static uint8_t in[17 * CACHE_BLOCK];
	memset(in, 0x71, sizeof in);
	one_chunk();
	assert_int_equal(cache_write(NULL, 0, in, sizeof in), -ENOMEM);
	assert_int_equal(stat_now().dirty, 0);
	for (uint32_t blk = 0; blk < 17; blk++)
		untouched(blk);
	assert_int_equal(cache_write(NULL, 0, in, 16 * CACHE_BLOCK), 0);
	assert_int_equal(cache_sync(), 0);
	for (size_t i = 0; i < 16 * CACHE_BLOCK; i++)
		assert_int_equal(disk[i], 0x71);
	untouched(16);
}

/* A partial write whose read fails, replacing a dirty block: the victim
 * reached the disk first, so nothing is lost; the error leaves the
 * block it took free, and the counters count the failed miss once. */
static void test_partial_write_read_fails(void **state)
{
	(void)state;
	one_chunk();
	uint8_t b = 0x99;
	assert_int_equal(cache_write(NULL, 7, &b, 1), 0); /* block 0, the tail */
	for (uint32_t blk = 1; blk < 16; blk++)
		read_pattern(blk);
	struct fs_cachestat before = stat_now();
	fail_reads = 1;
	ops[0] = 0;
	assert_int_equal(cache_write(NULL, 30 * CACHE_BLOCK + 5, &b, 1), -EIO);
	assert_string_equal(ops, "w0 r30 ");
	assert_int_equal(disk[7], 0x99);
	assert_int_equal(stat_now().dirty, 0);
	assert_int_equal(stat_now().misses, before.misses + 1);
	assert_int_equal(stat_now().hits, before.hits);
	fail_reads = 0;
	ops[0] = 0;
	read_pattern(31); /* takes the freed block: no write, no growth */
	assert_string_equal(ops, "r31 ");
	assert_int_equal(stat_now().blocks, 16);
	untouched(30);
	uint8_t got;
	assert_int_equal(cache_read(NULL, 7, &got, 1), 0);
	assert_int_equal(got, 0x99);
}

/* ---- a seeded run against a model, on a device that fails at random ---- */

static uint8_t want[DISK_BLOCKS * CACHE_BLOCK]; /* every write acknowledged */

/* Disk blocks that differ from the model: at most the dirty ones. */
static void check_disk_or_dirty(void)
{
	uint32_t differ = 0;
	for (uint32_t blk = 0; blk < DISK_BLOCKS; blk++)
		differ += memcmp(disk + blk * CACHE_BLOCK, want + blk * CACHE_BLOCK, CACHE_BLOCK) !=
		          0;
	if (differ > stat_now().dirty)
		fail_msg("%u blocks differ from what was written, %u dirty", differ,
		         stat_now().dirty);
}

/* One random operation; an error only when the device failed during it. */
static void random_op(void)
{
	static uint8_t buf[3 * CACHE_BLOCK];
	uint64_t off = rnd() % (DISK_BLOCKS * CACHE_BLOCK);
	uint32_t len = rnd() % 4 == 0 ? rnd() % (3 * CACHE_BLOCK) : rnd() % 64;
	if (off + len > DISK_BLOCKS * CACHE_BLOCK)
		len = (uint32_t)(DISK_BLOCKS * CACHE_BLOCK - off);
	int before = injected, r, op = rnd() % 16;
	if (op < 7) {
		for (uint32_t i = 0; i < len; i++)
			buf[i] = (uint8_t)rnd();
		if ((r = cache_write(NULL, off, buf, len)) == 0)
			memcpy(want + off, buf, len);
	} else if (op < 14) {
		if ((r = cache_read(NULL, off, buf, len)) == 0 && memcmp(buf, want + off, len))
			fail_msg("read of %u at %llu: not what was written", len,
			         (unsigned long long)off);
	} else if (op == 14) {
		if ((r = cache_sync()) == 0 && memcmp(disk, want, sizeof disk))
			fail_msg("sync said 0, the disk differs");
	} else {
		now += rnd() % 2000;
		r = cache_age();
	}
	if (r < 0 && (r != -EIO || injected == before))
		fail_msg("op %d: %d with no device failure", op, r);
	check_disk_or_dirty();
}

/* Seeds from CACHE_TEST_SEED (else a fixed one), printed so that a failure
 * can be run again. */
static void test_random_against_model(void **state)
{
	(void)state;
	const char *env = getenv("CACHE_TEST_SEED");
	uint64_t seed = env ? strtoull(env, NULL, 0) : 20240611;
	for (int round = 0; round < 40; round++) {
		setup(NULL);
		rng = seed + (uint64_t)round;
		memcpy(want, disk, sizeof disk);
		model = want;
		allocs_left = 2 * (1 + rnd() % 3); /* 16 to 48 blocks of 64 */
		flaky = 1 + rnd() % 300;
		torn = rnd() % 2;
		bad_writes = rnd() % 2 ? 1ull << (rnd() % DISK_BLOCKS) : 0;
		for (int i = 0; i < 400; i++)
			random_op();
		flaky = 0; /* the device back: everything acknowledged reaches it */
		bad_writes = 0;
		assert_int_equal(cache_sync(), 0);
		assert_memory_equal(disk, want, sizeof disk);
		assert_int_equal(stat_now().dirty, 0);
	}
	print_message("cache model: seed %llu, 40 rounds of 400\n", (unsigned long long)seed);
}

/* Growth stops when malloc or calloc fails, and is not tried again. */
static void test_growth_stops(void **state)
{
	(void)state;
	allocs_left = 4; /* two chunks, then the third's malloc fails */
	for (uint32_t blk = 0; blk < 40; blk++)
		read_pattern(blk);
	assert_int_equal(stat_now().blocks, 32);
	assert_int_equal(allocs, 5);
	read_pattern(0); /* replaced: 0 went at the 33rd */
	assert_int_equal(allocs, 5);
	assert_int_equal(frees, 0);
	assert_int_equal(stat_now().misses, 41);

	setup(NULL);
	allocs_left = 3; /* the second chunk's calloc fails: its malloc given back */
	for (uint32_t blk = 0; blk < 20; blk++)
		read_pattern(blk);
	assert_int_equal(stat_now().blocks, 16);
	assert_int_equal(allocs, 4);
	assert_int_equal(frees, 1);
}

/* No memory at all: errors, never a crash. */
static void test_no_memory(void **state)
{
	(void)state;
	allocs_left = 0;
	uint8_t b = 1;
	assert_true(cache_read(NULL, 0, &b, 1) < 0);
	assert_true(cache_write(NULL, 0, &b, 1) < 0);
	assert_int_equal(cache_sync(), 0);
	assert_int_equal(stat_now().blocks, 0);
	assert_int_equal(allocs, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test_setup(test_hits_and_misses, setup),
	        cmocka_unit_test_setup(test_bounds, setup),
	        cmocka_unit_test_setup(test_peek, setup),
	        cmocka_unit_test_setup(test_read_after_write, setup),
	        cmocka_unit_test_setup(test_partial_writes, setup),
	        cmocka_unit_test_setup(test_age, setup),
	        cmocka_unit_test_setup(test_sync, setup),
	        cmocka_unit_test_setup(test_lru, setup),
	        cmocka_unit_test_setup(test_dirty_victim, setup),
	        cmocka_unit_test_setup(test_device_errors, setup),
	        cmocka_unit_test_setup(test_growth_stops, setup),
	        cmocka_unit_test_setup(test_no_memory, setup),
	        cmocka_unit_test_setup(test_refused_victims_passed_over, setup),
	        cmocka_unit_test_setup(test_every_block_refused, setup),
	        cmocka_unit_test_setup(test_no_blocks_is_enomem, setup),
	        cmocka_unit_test_setup(test_multi_block_write_read_fails, setup),
	        cmocka_unit_test_setup(test_multi_block_write_no_victim, setup),
	        cmocka_unit_test_setup(test_write_larger_than_cache, setup),
	        cmocka_unit_test_setup(test_partial_write_read_fails, setup),
	        cmocka_unit_test_setup(test_random_against_model, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
