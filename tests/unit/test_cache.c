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
	if (fail_reads)
		return -EIO;
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
	if (fail_writes)
		return -EIO;
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
	/* the dirty block as a victim that cannot be written: the miss fails,
	 * the block stays */
	fail_reads = 0;
	for (uint32_t blk = 1; blk < 16; blk++)
		read_pattern(blk);
	assert_int_equal(cache_read(NULL, 20 * CACHE_BLOCK, &got, 1), -EIO);
	assert_int_equal(cache_read(NULL, 1, &got, 1), 0);
	assert_int_equal(got, 0x42);
	assert_int_equal(stat_now().dirty, 1);
	/* the device back: all of it reaches the disk */
	fail_writes = 0;
	assert_int_equal(cache_sync(), 0);
	assert_int_equal(disk[1], 0x42);
	assert_int_equal(disk[0], pattern(0));
	assert_int_equal(stat_now().dirty, 0);
	read_pattern(20);
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
	        cmocka_unit_test_setup(test_read_after_write, setup),
	        cmocka_unit_test_setup(test_partial_writes, setup),
	        cmocka_unit_test_setup(test_age, setup),
	        cmocka_unit_test_setup(test_sync, setup),
	        cmocka_unit_test_setup(test_lru, setup),
	        cmocka_unit_test_setup(test_dirty_victim, setup),
	        cmocka_unit_test_setup(test_device_errors, setup),
	        cmocka_unit_test_setup(test_growth_stops, setup),
	        cmocka_unit_test_setup(test_no_memory, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
