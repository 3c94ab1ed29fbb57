/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for the physical frame allocator (vmm/frame.c): how ranges are
 * released and reserved, what frame_alloc hands out, the free and total
 * counts, reference counts, and the panics that guard its invariants.
 */
#include "tests/unit/host.h"
#include <sprig/errno.h>

#include <string.h>

#define MEM     (16 * PAGE_SIZE) /* frames 0..15; frame 0 is never handed out */
#define NFRAMES (MEM / PAGE_SIZE)

/* Allocates every free frame into out[]; returns how many there were. */
static uint32_t alloc_all(paddr_t *out, uint32_t max)
{
	uint32_t n = 0;
	paddr_t pa;
	while ((pa = frame_alloc()) != 0) {
		assert_true(n < max);
		out[n++] = pa;
	}
	return n;
}

static int contains(const paddr_t *a, uint32_t n, paddr_t pa)
{
	for (uint32_t i = 0; i < n; i++)
		if (a[i] == pa)
			return 1;
	return 0;
}

/* Expects the last panic to name the function that caught the violation. */
static void assert_panicked(const char *who)
{
	assert_non_null(strstr(host_last_panic(), who));
	host_clear_panic();
}

/* Adds n references; returns how many were taken. */
static uint32_t ref_many(paddr_t pa, uint32_t n)
{
	uint32_t taken = 0;
	while (n-- && frame_ref(pa) == 0)
		taken++;
	return taken;
}

static int setup(void **state)
{
	(void)state;
	host_mem_init(MEM);
	return 0;
}

static void test_init_reserves_everything(void **state)
{
	(void)state;
	frame_init(MEM);
	assert_int_equal(frame_free_count(), 0);
	assert_int_equal(frame_total_count(), 0);
	assert_int_equal(frame_alloc(), 0);
}

static void test_release_rounds_inward(void **state)
{
	(void)state;
	paddr_t got[NFRAMES];
	frame_init(MEM);
	frame_release_range(0x1001, 0x4fff); /* whole frames: 2 and 3 only */
	assert_int_equal(frame_free_count(), 2);
	assert_int_equal(frame_total_count(), 2);
	assert_int_equal(alloc_all(got, NFRAMES), 2);
	assert_true(contains(got, 2, 0x2000));
	assert_true(contains(got, 2, 0x3000));
}

static void test_release_of_less_than_a_frame_frees_nothing(void **state)
{
	(void)state;
	frame_init(MEM);
	frame_release_range(0x3001, 0x3fff);
	frame_release_range(0x5000, 0x3000); /* reversed */
	assert_int_equal(frame_free_count(), 0);
	assert_int_equal(frame_total_count(), 0);
}

static void test_release_stops_at_limit(void **state)
{
	(void)state;
	frame_init(MEM);
	frame_release_range(0, 64 * PAGE_SIZE);
	assert_int_equal(frame_free_count(), NFRAMES - 1);
	assert_int_equal(frame_total_count(), NFRAMES - 1);
}

static void test_release_twice_counts_once(void **state)
{
	(void)state;
	frame_init(MEM);
	frame_release_range(0x1000, 0x5000);
	frame_release_range(0x1000, 0x5000);
	assert_int_equal(frame_free_count(), 4);
	assert_int_equal(frame_total_count(), 4);
}

static void test_frame_zero_never_allocated(void **state)
{
	(void)state;
	paddr_t got[NFRAMES];
	frame_init(MEM);
	frame_release_range(0, 4 * PAGE_SIZE); /* includes frame 0 */
	assert_int_equal(frame_free_count(), 3);
	assert_int_equal(alloc_all(got, NFRAMES), 3);
	assert_false(contains(got, 3, 0));
	assert_int_equal(frame_free_count(), 0);
}

static void test_reserve_rounds_outward(void **state)
{
	(void)state;
	paddr_t got[NFRAMES];
	frame_reserve_range(0x3fff, 0x5001); /* touches frames 3, 4 and 5 */
	assert_int_equal(frame_free_count(), NFRAMES - 1 - 3);
	uint32_t n = alloc_all(got, NFRAMES);
	assert_int_equal(n, NFRAMES - 1 - 3);
	assert_false(contains(got, n, 0x3000));
	assert_false(contains(got, n, 0x4000));
	assert_false(contains(got, n, 0x5000));
	assert_true(contains(got, n, 0x2000));
	assert_true(contains(got, n, 0x6000));
}

static void test_reserve_of_free_range_lowers_free_and_total(void **state)
{
	(void)state;
	uint32_t free0 = frame_free_count(), total0 = frame_total_count();
	frame_reserve_range(0x8000, 0xa000);
	assert_int_equal(frame_free_count(), free0 - 2);
	assert_int_equal(frame_total_count(), total0 - 2);
}

static void test_reserve_of_unreleased_range_changes_no_count(void **state)
{
	(void)state;
	frame_init(MEM);
	frame_release_range(0x1000, 0x3000); /* frames 1 and 2 */
	frame_reserve_range(0x2000, 0x8000); /* 2 was free, 3..7 never were */
	assert_int_equal(frame_free_count(), 1);
	assert_int_equal(frame_total_count(), 1);
}

static void test_alloc_returns_zeroed_aligned_distinct_frames(void **state)
{
	(void)state;
	paddr_t got[NFRAMES];
	uint32_t n = alloc_all(got, NFRAMES); /* the arena was dirtied first */
	assert_int_equal(n, NFRAMES - 1);
	for (uint32_t i = 0; i < n; i++) {
		assert_int_equal(got[i] & PAGE_MASK, 0);
		assert_true(got[i] != 0 && got[i] < MEM);
		assert_true(host_page_is_zero(got[i]));
		assert_false(contains(got, i, got[i]));
	}
}

static void test_alloc_and_free_keep_the_counts(void **state)
{
	(void)state;
	uint32_t total = frame_total_count();
	paddr_t a = frame_alloc(), b = frame_alloc();
	assert_int_equal(frame_free_count(), NFRAMES - 3);
	frame_free(a);
	assert_int_equal(frame_free_count(), NFRAMES - 2);
	frame_free(b);
	assert_int_equal(frame_free_count(), NFRAMES - 1);
	assert_int_equal(frame_total_count(), total);
}

static void test_exhaustion_returns_zero(void **state)
{
	(void)state;
	paddr_t got[NFRAMES];
	alloc_all(got, NFRAMES);
	assert_int_equal(frame_free_count(), 0);
	assert_int_equal(frame_alloc(), 0);
	assert_int_equal(frame_alloc(), 0);
	assert_int_equal(frame_free_count(), 0);
}

static void test_free_then_alloc_reuses_and_rezeroes(void **state)
{
	(void)state;
	paddr_t got[NFRAMES];
	uint32_t n = alloc_all(got, NFRAMES);
	paddr_t victim = got[n / 2];
	memset(host_phys_to_virt(victim), 0x5a, PAGE_SIZE);
	frame_free(victim);
	assert_int_equal(frame_alloc(), victim);
	assert_true(host_page_is_zero(victim));
	assert_int_equal(frame_alloc(), 0);
}

static void test_alloc_search_wraps_to_the_start(void **state)
{
	(void)state;
	frame_init(MEM);
	frame_release_range(MEM - PAGE_SIZE, MEM); /* only the last frame */
	assert_int_equal(frame_alloc(), MEM - PAGE_SIZE);
	frame_release_range(0x1000, 0x2000); /* now one below the hint */
	assert_int_equal(frame_alloc(), 0x1000);
}

static void test_ref_keeps_frame_until_last_free(void **state)
{
	(void)state;
	frame_init(MEM);
	frame_release_range(0x1000, 0x3000); /* frames 1 and 2 */
	paddr_t a = frame_alloc();
	frame_ref(a);
	frame_free(a);
	assert_int_equal(frame_free_count(), 1); /* a still has one user */
	paddr_t b = frame_alloc();
	assert_true(b != 0 && b != a);
	assert_int_equal(frame_alloc(), 0);
	frame_free(a);
	assert_int_equal(frame_free_count(), 1);
	assert_int_equal(frame_alloc(), a);
}

static void test_double_free_panics(void **state)
{
	(void)state;
	paddr_t a = frame_alloc();
	frame_free(a);
	expect_assert_failure(frame_free(a));
	assert_panicked("frame_free");
	assert_int_equal(frame_free_count(), NFRAMES - 1);
}

static void test_free_of_reserved_frame_panics(void **state)
{
	(void)state;
	frame_reserve_range(0x5000, 0x6000);
	expect_assert_failure(frame_free(0x5000));
	assert_panicked("frame_free");
	expect_assert_failure(frame_free(0)); /* frame 0 stays reserved */
	assert_panicked("frame_free");
}

static void test_free_of_unaligned_address_panics(void **state)
{
	(void)state;
	paddr_t a = frame_alloc();
	expect_assert_failure(frame_free(a + 4));
	assert_panicked("frame_free");
	frame_free(a); /* the refused call changed nothing */
	assert_int_equal(frame_free_count(), NFRAMES - 1);
}

static void test_free_beyond_limit_panics(void **state)
{
	(void)state;
	expect_assert_failure(frame_free(MEM));
	assert_panicked("frame_free");
	expect_assert_failure(frame_free(0xfffff000));
	assert_panicked("frame_free");
}

static void test_ref_of_free_frame_panics(void **state)
{
	(void)state;
	paddr_t a = frame_alloc();
	frame_free(a);
	expect_assert_failure(frame_ref(a));
	assert_panicked("frame_ref");
}

/* A user decides how often a page is mapped: a full count is an error
 * for the sharer to handle, never a panic. */
static void test_ref_overflow_is_refused(void **state)
{
	(void)state;
	uint32_t free0 = frame_free_count();
	paddr_t a = frame_alloc();
	uint32_t taken = ref_many(a, 0x10000);
	assert_int_equal(frame_refcount(a), taken + 1);
	assert_true(taken > 0xff00);
	assert_int_equal(frame_ref(a), -EOVERFLOW);
	assert_int_equal(frame_refcount(a), taken + 1);
	for (uint32_t i = 0; i <= taken; i++)
		frame_free(a);
	assert_int_equal(frame_free_count(), free0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test_setup(test_init_reserves_everything, setup),
	        cmocka_unit_test_setup(test_release_rounds_inward, setup),
	        cmocka_unit_test_setup(test_release_of_less_than_a_frame_frees_nothing, setup),
	        cmocka_unit_test_setup(test_release_stops_at_limit, setup),
	        cmocka_unit_test_setup(test_release_twice_counts_once, setup),
	        cmocka_unit_test_setup(test_frame_zero_never_allocated, setup),
	        cmocka_unit_test_setup(test_reserve_rounds_outward, setup),
	        cmocka_unit_test_setup(test_reserve_of_free_range_lowers_free_and_total, setup),
	        cmocka_unit_test_setup(test_reserve_of_unreleased_range_changes_no_count, setup),
	        cmocka_unit_test_setup(test_alloc_returns_zeroed_aligned_distinct_frames, setup),
	        cmocka_unit_test_setup(test_alloc_and_free_keep_the_counts, setup),
	        cmocka_unit_test_setup(test_exhaustion_returns_zero, setup),
	        cmocka_unit_test_setup(test_free_then_alloc_reuses_and_rezeroes, setup),
	        cmocka_unit_test_setup(test_alloc_search_wraps_to_the_start, setup),
	        cmocka_unit_test_setup(test_ref_keeps_frame_until_last_free, setup),
	        cmocka_unit_test_setup(test_double_free_panics, setup),
	        cmocka_unit_test_setup(test_free_of_reserved_frame_panics, setup),
	        cmocka_unit_test_setup(test_free_of_unaligned_address_panics, setup),
	        cmocka_unit_test_setup(test_free_beyond_limit_panics, setup),
	        cmocka_unit_test_setup(test_ref_of_free_frame_panics, setup),
	        cmocka_unit_test_setup(test_ref_overflow_is_refused, setup),
	};
	return cmocka_run_group_tests_name("frame", tests, NULL, NULL);
}
