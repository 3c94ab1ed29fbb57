/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for the checked user copies (vmm/uaccess.c): the range check,
 * copies that cross pages, demand-zero mapping on first touch, and every way
 * a bad user range must turn into -EFAULT instead of a nucleus fault.
 */
#include "tests/unit/host.h"

#include <string.h>

#include <sprig/errno.h>
#include <sprig/syscall.h>

#define MEM    (4u << 20)
#define RW     0x10000u /* [RW, RW_END): read-write, three pages */
#define RW_END (RW + 3 * PAGE_SIZE)
#define RO     0x20000u /* [RO, RO_END): read-only, one page */
#define RO_END (RO + PAGE_SIZE)
#define HOLE   0x30000u                /* no region */
#define SPAN   (2 * PAGE_SIZE + 0x456) /* from an odd offset, it spans three pages */

static struct aspace as;
static struct host_hog hog;
static uint8_t pattern[3 * PAGE_SIZE], buf[3 * PAGE_SIZE];

static int is_mapped(uint32_t va)
{
	pte_t *pte = pt_lookup(as.pd, va);
	return pte && (*pte & PTE_P);
}

/* The nucleus view of mapped user byte va, found without uaccess.c. */
static uint8_t *user_mem(uint32_t va)
{
	pte_t *pte = pt_lookup(as.pd, va);
	assert_true(pte && (*pte & PTE_P));
	return (uint8_t *)host_phys_to_virt(PTE_ADDR(*pte)) + (va & PAGE_MASK);
}

static int all_bytes(const uint8_t *p, size_t n, uint8_t v)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != v)
			return 0;
	return 1;
}

static int setup(void **state)
{
	(void)state;
	host_mem_init(MEM);
	assert_int_equal(aspace_create(&as), 0);
	assert_int_equal(aspace_add_region(&as, RW, RW_END, VM_READ | VM_WRITE), 0);
	assert_int_equal(aspace_add_region(&as, RO, RO_END, VM_READ), 0);
	for (size_t i = 0; i < sizeof pattern; i++)
		pattern[i] = (uint8_t)(i * 7 + 1); /* never 0, period 256 */
	memset(buf, 0xee, sizeof buf);
	hog.n = 0;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	host_hog_release(&hog);
	aspace_destroy(&as);
	return 0;
}

static void test_range_ok_follows_contract(void **state)
{
	(void)state;
	static const struct {
		uint32_t uaddr;
		size_t len;
		int ok;
	} cases[] = {
	        {0, 0, 0}, /* below user space, even empty */
	        {0, 1, 0},
	        {USER_BASE - 1, 1, 0},
	        {USER_BASE - 1, 2, 0}, /* straddles USER_BASE */
	        {USER_BASE, 0, 1},
	        {USER_BASE, 1, 1},
	        {USER_BASE, USER_TOP - USER_BASE, 1}, /* all of user space */
	        {USER_BASE, USER_TOP - USER_BASE + 1, 0},
	        {USER_TOP - 1, 1, 1},
	        {USER_TOP - 1, 2, 0},
	        {USER_TOP, 0, 1}, /* empty, ending at the top */
	        {USER_TOP, 1, 0},
	        {USER_TOP + 1, 0, 0},
	        {0xfffff000u, 0x2000, 0}, /* wraps to 0x1000 */
	        {0xffffffffu, 1, 0},
	        {USER_BASE, 0xffffffffu, 0},
	        {0x10000, 0xfffff000u, 0}, /* wraps into user space */
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		if (uaccess_range_ok(cases[i].uaddr, cases[i].len) != cases[i].ok)
			fail_msg("uaccess_range_ok(%#x, %#zx) should be %d", cases[i].uaddr,
			         cases[i].len, cases[i].ok);
}

static void test_copy_round_trip_across_pages(void **state)
{
	(void)state;
	uint32_t at = RW + 0x123;
	assert_int_equal(copy_out(&as, at, pattern, SPAN), 0);
	assert_int_equal(copy_in(&as, buf, at, SPAN), 0);
	assert_memory_equal(buf, pattern, SPAN);
	/* Each byte is where the page tables say, and nothing around it moved. */
	assert_int_equal(*user_mem(RW + PAGE_SIZE), pattern[PAGE_SIZE - 0x123]);
	assert_int_equal(*user_mem(RW + 2 * PAGE_SIZE), pattern[2 * PAGE_SIZE - 0x123]);
	assert_int_equal(*user_mem(at + SPAN - 1), pattern[SPAN - 1]);
	assert_true(all_bytes(user_mem(RW), 0x123, 0));
	assert_int_equal(*user_mem(at + SPAN), 0);
}

static void test_copy_at_odd_offsets_in_each_page(void **state)
{
	(void)state;
	for (uint32_t off = 1; off < 3 * PAGE_SIZE - 8; off += 0x7ff) {
		assert_int_equal(copy_out(&as, RW + off, pattern + off, 8), 0);
		assert_int_equal(copy_in(&as, buf, RW + off, 8), 0);
		assert_memory_equal(buf, pattern + off, 8);
	}
}

static void test_copy_out_to_readonly_region_is_efault(void **state)
{
	(void)state;
	assert_int_equal(copy_out(&as, RO, pattern, 16), -EFAULT);
	assert_int_equal(copy_in(&as, buf, RO, 16), 0); /* still all zero */
	assert_true(all_bytes(buf, 16, 0));
}

static void test_copy_in_without_region_is_efault(void **state)
{
	(void)state;
	uint32_t free0 = frame_free_count();
	assert_int_equal(copy_in(&as, buf, HOLE, 16), -EFAULT);
	assert_int_equal(copy_in(&as, buf, RW_END, 1), -EFAULT);
	assert_int_equal(frame_free_count(), free0);
}

static void test_copy_in_demand_maps_zero_pages(void **state)
{
	(void)state;
	assert_false(is_mapped(RW + PAGE_SIZE));
	assert_int_equal(copy_in(&as, buf, RW + PAGE_SIZE, PAGE_SIZE), 0);
	assert_true(all_bytes(buf, PAGE_SIZE, 0));
	assert_true(is_mapped(RW + PAGE_SIZE));
	assert_int_equal(copy_in(&as, buf, RO, PAGE_SIZE), 0);
	assert_true(all_bytes(buf, PAGE_SIZE, 0));
}

static void test_copy_out_demand_maps_writable_pages(void **state)
{
	(void)state;
	assert_false(is_mapped(RW + 2 * PAGE_SIZE));
	assert_int_equal(copy_out(&as, RW + 2 * PAGE_SIZE + 5, pattern, 3), 0);
	assert_true(*pt_lookup(as.pd, RW + 2 * PAGE_SIZE) & PTE_W);
	assert_memory_equal(user_mem(RW + 2 * PAGE_SIZE + 5), pattern, 3);
}

static void test_zero_out_clears_only_its_range(void **state)
{
	(void)state;
	uint8_t ones[3 * PAGE_SIZE];
	memset(ones, 0xff, sizeof ones);
	assert_int_equal(copy_out(&as, RW, ones, sizeof ones), 0);
	assert_int_equal(zero_out(&as, RW + 0x10, SPAN), 0);
	assert_int_equal(copy_in(&as, buf, RW, sizeof buf), 0);
	assert_true(all_bytes(buf, 0x10, 0xff));
	assert_true(all_bytes(buf + 0x10, SPAN, 0));
	assert_true(all_bytes(buf + 0x10 + SPAN, sizeof buf - 0x10 - SPAN, 0xff));
}

static void test_zero_out_to_readonly_region_is_efault(void **state)
{
	(void)state;
	assert_int_equal(vmm_load(&as, RO, pattern, 16), 0);
	assert_int_equal(zero_out(&as, RO, 16), -EFAULT);
	assert_memory_equal(user_mem(RO), pattern, 16);
}

static void test_vmm_load_writes_readonly_region(void **state)
{
	(void)state;
	assert_int_equal(vmm_load(&as, RO + 0x100, pattern, 0x200), 0);
	assert_int_equal(copy_in(&as, buf, RO + 0x100, 0x200), 0);
	assert_memory_equal(buf, pattern, 0x200);
	assert_false(*pt_lookup(as.pd, RO) & PTE_W); /* and it stays read-only */
}

static void test_vmm_load_outside_regions_is_efault(void **state)
{
	(void)state;
	assert_int_equal(vmm_load(&as, HOLE, pattern, 16), -EFAULT);
	assert_int_equal(vmm_load(&as, USER_TOP - 8, pattern, 16), -EFAULT);
}

static void test_copy_into_hole_after_valid_start_is_efault(void **state)
{
	(void)state;
	assert_int_equal(copy_out(&as, RW_END - 0x10, pattern, 0x20), -EFAULT);
	assert_int_equal(copy_in(&as, buf, RW_END - 0x10, 0x20), -EFAULT);
	assert_int_equal(zero_out(&as, RW_END - 0x10, 0x20), -EFAULT);
}

static void test_copy_outside_user_space_touches_nothing(void **state)
{
	(void)state;
	uint32_t free0 = frame_free_count();
	assert_int_equal(copy_out(&as, USER_TOP - 4, pattern, 8), -EFAULT);
	assert_int_equal(copy_in(&as, buf, 0, 8), -EFAULT);
	assert_int_equal(copy_in(&as, buf, 0xfffff000u, 0x2000), -EFAULT);
	assert_int_equal(zero_out(&as, USER_BASE - 1, 2), -EFAULT);
	assert_int_equal(frame_free_count(), free0);
}

static void test_mapped_page_below_user_base_is_still_efault(void **state)
{
	(void)state;
	/* Even a present user page at 0 is outside the user range. */
	assert_int_equal(pt_map(as.pd, 0, frame_alloc(), PTE_U | PTE_W), 0);
	assert_int_equal(copy_in(&as, buf, 0, 4), -EFAULT);
	assert_int_equal(copy_out(&as, 0x10, pattern, 4), -EFAULT);
	assert_int_equal(zero_out(&as, USER_BASE - 4, 8), -EFAULT);
}

static void test_zero_length_copy_touches_nothing(void **state)
{
	(void)state;
	uint32_t free0 = frame_free_count();
	assert_int_equal(copy_in(&as, buf, HOLE, 0), 0);
	assert_int_equal(copy_out(&as, RO, pattern, 0), 0);
	assert_int_equal(frame_free_count(), free0);
	assert_false(is_mapped(RO));
}

static void test_copy_from_supervisor_page_is_efault(void **state)
{
	(void)state;
	/* A present page without PTE_U, inside a region: not the user's. */
	assert_int_equal(pt_map(as.pd, RW, frame_alloc(), PTE_W), 0);
	assert_int_equal(copy_in(&as, buf, RW, 4), -EFAULT);
	assert_int_equal(copy_out(&as, RW, pattern, 4), -EFAULT);
}

static void test_copy_when_memory_is_out_is_enomem(void **state)
{
	(void)state;
	host_hog_take(&hog, 0);
	assert_int_equal(copy_out(&as, RW, pattern, 4), -ENOMEM);
	assert_int_equal(copy_in(&as, buf, RO, 4), -ENOMEM);
	assert_int_equal(frame_free_count(), 0);
	host_hog_release(&hog);
	assert_int_equal(copy_out(&as, RW, pattern, 4), 0);
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
	        T(test_range_ok_follows_contract),
	        T(test_copy_round_trip_across_pages),
	        T(test_copy_at_odd_offsets_in_each_page),
	        T(test_copy_out_to_readonly_region_is_efault),
	        T(test_copy_in_without_region_is_efault),
	        T(test_copy_in_demand_maps_zero_pages),
	        T(test_copy_out_demand_maps_writable_pages),
	        T(test_zero_out_clears_only_its_range),
	        T(test_zero_out_to_readonly_region_is_efault),
	        T(test_vmm_load_writes_readonly_region),
	        T(test_vmm_load_outside_regions_is_efault),
	        T(test_copy_into_hole_after_valid_start_is_efault),
	        T(test_copy_outside_user_space_touches_nothing),
	        T(test_mapped_page_below_user_base_is_still_efault),
	        T(test_zero_length_copy_touches_nothing),
	        T(test_copy_from_supervisor_page_is_efault),
	        T(test_copy_when_memory_is_out_is_enomem),
	};
	return cmocka_run_group_tests_name("uaccess", tests, NULL, NULL);
}
