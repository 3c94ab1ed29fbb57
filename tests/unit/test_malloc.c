/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for the allocator (lib/c/malloc.c) over a fake vm_alloc:
 * alignment, zero and huge sizes, calloc's overflow check, ENOMEM when the
 * nucleus refuses, merging of freed neighbours and reuse of what was freed,
 * arenas and large blocks given back, realloc in place and by moving, and
 * long random runs of malloc/free/realloc that check every block's contents
 * and that no two live blocks overlap, with the heap's invariants checked
 * throughout (malloc_check).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "lib/c/libc.h"
#include "tests/unit/libc_fakes.h"

/* Every test starts with an empty heap: the previous test's blocks are all
 * freed by it, and the last arena is dropped with the fake's regions. */
static int setup(void **state)
{
	(void)state;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	assert_int_equal(malloc_check(), 0);
	return 0;
}

static void test_alignment_and_sizes(void **state)
{
	(void)state;
	void *p[64];
	for (int i = 0; i < 64; i++) {
		size_t n = (size_t)i * 37 + (i & 1);
		p[i] = malloc(n);
		assert_non_null(p[i]);
		assert_int_equal((uintptr_t)p[i] % 16, 0);
		assert_true(fake_vm_owns(p[i], n));
		memset(p[i], i, n);
	}
	for (int i = 0; i < 64; i++)
		free(p[i]);
}

static void test_zero_size_is_unique(void **state)
{
	(void)state;
	void *a = malloc(0), *b = malloc(0);
	assert_non_null(a);
	assert_non_null(b);
	assert_ptr_not_equal(a, b);
	free(a);
	free(b);
	free(NULL);
}

static void test_huge_requests_fail_with_enomem(void **state)
{
	(void)state;
	errno = 0;
	assert_null(malloc((size_t)-1));
	assert_int_equal(errno, ENOMEM);
	errno = 0;
	assert_null(malloc((size_t)-1 - 8));
	assert_int_equal(errno, ENOMEM);
}

static void test_calloc_zeroes_and_checks_overflow(void **state)
{
	(void)state;
	/* Dirty some memory, free it, and calloc over it. */
	unsigned char *d = malloc(4000);
	memset(d, 0xee, 4000);
	free(d);
	unsigned char *z = calloc(1000, 4);
	assert_non_null(z);
	for (int i = 0; i < 4000; i++)
		assert_int_equal(z[i], 0);
	free(z);
	errno = 0;
	assert_null(calloc((size_t)1 << (sizeof(size_t) * 4), (size_t)1 << (sizeof(size_t) * 4)));
	assert_int_equal(errno, ENOMEM);
	errno = 0;
	assert_null(calloc(3, (size_t)-1 / 2));
	assert_int_equal(errno, ENOMEM);
	void *big = calloc(1, 1 << 20); /* a region of its own: zero already */
	assert_non_null(big);
	for (int i = 0; i < 1 << 20; i += 4096)
		assert_int_equal(((unsigned char *)big)[i], 0);
	free(big);
	assert_non_null(z = calloc(0, 10));
	free(z);
}

static void test_nucleus_refusal_gives_enomem(void **state)
{
	(void)state;
	fake_vm_limit = fake_vm_bytes ? fake_vm_bytes : 1; /* not one byte more */
	errno = 0;
	assert_null(malloc(1 << 20));
	assert_int_equal(errno, ENOMEM);
	/* Small blocks come from the arena while it has room, then fail. */
	void *p[4096];
	int n = 0;
	while (n < 4096 && (p[n] = malloc(1000)) != NULL)
		n++;
	assert_true(n < 4096);
	assert_int_equal(errno, ENOMEM);
	assert_int_equal(malloc_check(), 0);
	void *r = n ? realloc(p[0], 100000) : NULL;
	if (n) {
		assert_null(r); /* the old block is kept */
		memset(p[0], 1, 1000);
	}
	while (n > 0)
		free(p[--n]);
	fake_vm_limit = 0;
	void *q = malloc(1 << 20);
	assert_non_null(q);
	free(q);
}

/* Freed neighbours merge: after freeing three adjacent blocks, a block as
 * large as all three fits where they were. */
static void test_free_merges_neighbours(void **state)
{
	(void)state;
	char *keep = malloc(100);
	char *a = malloc(1000), *b = malloc(1000), *c = malloc(1000);
	char *fence = malloc(100);
	assert_true(a < b && b < c && c < fence);
	size_t arenas = fake_vm_regions;
	free(b);
	free(a);
	free(c);
	assert_int_equal(malloc_check(), 0);
	char *big = malloc(2900);
	assert_ptr_equal(big, a);
	assert_int_equal(fake_vm_regions, arenas);
	free(big);
	free(fence);
	free(keep);
}

/* Memory given back is used again: many rounds of the same allocations
 * never need more from the nucleus than the first round did. */
static void test_freed_memory_is_reused(void **state)
{
	(void)state;
	void *p[200];
	size_t high = 0;
	for (int round = 0; round < 20; round++) {
		for (int i = 0; i < 200; i++)
			p[i] = malloc((size_t)(i * 53 % 3000) + 1);
		if (round == 0)
			high = fake_vm_bytes;
		assert_int_equal(fake_vm_bytes, high);
		for (int i = 0; i < 200; i += 2)
			free(p[i]);
		for (int i = 1; i < 200; i += 2)
			free(p[i]);
	}
	assert_int_equal(malloc_check(), 0);
}

/* Large blocks have regions of their own, and free gives them back; a
 * wholly free arena goes back too, except the last. */
static void test_regions_given_back(void **state)
{
	(void)state;
	size_t regions = fake_vm_regions;
	void *big = malloc(1 << 20);
	assert_int_equal(fake_vm_regions, regions + 1);
	free(big);
	assert_int_equal(fake_vm_regions, regions);

	static void *p[4000];
	for (int i = 0; i < 4000; i++)
		p[i] = malloc(1000); /* 4 MB: several arenas */
	struct malloc_stats st;
	malloc_stats(&st);
	assert_true(st.arenas >= 3);
	for (int i = 0; i < 4000; i++)
		free(p[i]);
	malloc_stats(&st);
	assert_int_equal(st.arenas, 1);
	assert_int_equal(st.large, 0);
	assert_true(st.free_bytes > st.arena_bytes - 64); /* all free but the headers */
}

static void test_realloc_keeps_contents(void **state)
{
	(void)state;
	assert_null(realloc(malloc(10), 0));
	unsigned char *p = realloc(NULL, 10);
	for (int i = 0; i < 10; i++)
		p[i] = (unsigned char)i;
	/* Grows in place into the free space after it. */
	unsigned char *q = realloc(p, 5000);
	assert_ptr_equal(q, p);
	for (int i = 0; i < 10; i++)
		assert_int_equal(q[i], i);
	for (int i = 0; i < 5000; i++)
		q[i] = (unsigned char)(i * 7);
	/* Cannot grow in place past a neighbour: moves. */
	void *wall = malloc(16);
	unsigned char *r = realloc(q, 50000);
	for (int i = 0; i < 5000; i++)
		assert_int_equal(r[i], (unsigned char)(i * 7));
	/* To a region of its own and back. */
	unsigned char *s = realloc(r, 2 << 20);
	for (int i = 0; i < 5000; i++)
		assert_int_equal(s[i], (unsigned char)(i * 7));
	unsigned char *t = realloc(s, 100);
	for (int i = 0; i < 100; i++)
		assert_int_equal(t[i], (unsigned char)(i * 7));
	/* Shrinks in place. */
	assert_ptr_equal(realloc(t, 20), t);
	assert_int_equal(malloc_check(), 0);
	free(t);
	free(wall);
}

struct live {
	unsigned char *p;
	size_t n;
	unsigned char tag;
};

static uint64_t rng = 88172645463325252ull;

static uint32_t next_rand(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)(rng >> 16);
}

/* A size: mostly small, sometimes large enough for its own region. */
static size_t random_size(void)
{
	uint32_t r = next_rand();
	switch (r % 16) {
	case 0: return r % 8;
	case 1: return 300000 + r % 200000;
	case 2:
	case 3: return r % 20000;
	default: return r % 512;
	}
}

static void check_block(const struct live *l)
{
	for (size_t i = 0; i < l->n; i++)
		if (l->p[i] != (unsigned char)(l->tag + i))
			fail_msg("block %p byte %zu changed", (void *)l->p, i);
}

static void fill_block(struct live *l)
{
	l->tag = (unsigned char)next_rand();
	for (size_t i = 0; i < l->n; i++)
		l->p[i] = (unsigned char)(l->tag + i);
}

static int by_address(const void *a, const void *b)
{
	const struct live *x = a, *y = b;
	return x->p < y->p ? -1 : x->p > y->p;
}

/* No two live blocks overlap: sorted by address, each ends before the
 * next begins. */
static void check_no_overlap(struct live *l, int n)
{
	struct live sorted[512];
	int m = 0;
	for (int i = 0; i < n; i++)
		if (l[i].p)
			sorted[m++] = l[i];
	qsort(sorted, (size_t)m, sizeof sorted[0], by_address);
	for (int i = 1; i < m; i++)
		assert_true(sorted[i - 1].p + sorted[i - 1].n <= sorted[i].p);
}

static void test_random_alloc_free_realloc(void **state)
{
	(void)state;
	enum { SLOTS = 512, STEPS = 40000 };
	static struct live l[SLOTS];
	memset(l, 0, sizeof l);
	for (int step = 0; step < STEPS; step++) {
		struct live *s = &l[next_rand() % SLOTS];
		uint32_t op = next_rand() % 3;
		if (s->p)
			check_block(s);
		if (!s->p || op == 0) {
			free(s->p);
			s->n = random_size();
			s->p = malloc(s->n);
			assert_non_null(s->p);
			assert_int_equal((uintptr_t)s->p % 16, 0);
			fill_block(s);
		} else if (op == 1) {
			size_t n = random_size(), keep = n < s->n ? n : s->n;
			unsigned char *p = realloc(s->p, n);
			if (n == 0) {
				assert_null(p);
				s->p = NULL;
				continue;
			}
			assert_non_null(p);
			assert_int_equal((uintptr_t)p % 16, 0);
			s->p = p;
			s->n = keep;
			check_block(s);
			s->n = n;
			fill_block(s);
		} else {
			free(s->p);
			s->p = NULL;
		}
		if (step % 2000 == 0) {
			assert_int_equal(malloc_check(), 0);
			check_no_overlap(l, SLOTS);
		}
	}
	check_no_overlap(l, SLOTS);
	for (int i = 0; i < SLOTS; i++) {
		if (l[i].p)
			check_block(&l[i]);
		free(l[i].p);
	}
	struct malloc_stats st;
	malloc_stats(&st);
	assert_int_equal(st.arenas, 1); /* everything merged and given back */
	assert_int_equal(st.large, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test_setup_teardown(test_alignment_and_sizes, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_zero_size_is_unique, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_huge_requests_fail_with_enomem, setup,
	                                        teardown),
	        cmocka_unit_test_setup_teardown(test_calloc_zeroes_and_checks_overflow, setup,
	                                        teardown),
	        cmocka_unit_test_setup_teardown(test_nucleus_refusal_gives_enomem, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_free_merges_neighbours, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_freed_memory_is_reused, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_regions_given_back, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_realloc_keeps_contents, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_random_alloc_free_realloc, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
