/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for the page-table helpers (vmm/pagetable.c) and address spaces
 * (vmm/aspace.c): what each call allocates and gives back, counted in free
 * frames; regions and their checks; demand-zero faults and vmm_populate.
 */
#include "tests/unit/host.h"

#include <string.h>

#include <sprig/errno.h>
#include <sprig/syscall.h>

#define MEM          (4u << 20)
#define VA           0x08048000u /* an ordinary user address */
#define BIG_PAGE     (1u << 22)  /* what one page table covers */
#define PTE_FLAGS(e) ((e)&0xfffu)

static struct host_hog hog;
static struct aspace as;

/* A fresh, zeroed page directory. */
static pde_t *new_pd(void)
{
	paddr_t pa = frame_alloc();
	assert_true(pa != 0);
	return host_phys_to_virt(pa);
}

/* The PTE of va, which must be present. */
static pte_t present_pte(uint32_t va)
{
	pte_t *pte = pt_lookup(as.pd, va);
	assert_non_null(pte);
	assert_true(*pte & PTE_P);
	return *pte;
}

static int is_mapped(uint32_t va)
{
	pte_t *pte = pt_lookup(as.pd, va);
	return pte && (*pte & PTE_P);
}

/* Gives kernel_pd recognisable nucleus entries, as vmm_init would. */
static void fill_kernel_pd(void)
{
	for (uint32_t i = USER_PDES; i < PT_ENTRIES; i++)
		kernel_pd[i] = ((i - USER_PDES) << 22) | PTE_P | PTE_W | PTE_PS | PTE_G;
}

static int setup(void **state)
{
	(void)state;
	host_mem_init(MEM);
	memset(kernel_pd, 0, sizeof(pde_t) * PT_ENTRIES);
	memset(&as, 0x5a, sizeof as); /* aspace_create must set every field */
	hog.n = 0;
	return 0;
}

/* Every test with an address space gets one with no regions. */
static int setup_aspace(void **state)
{
	setup(state);
	assert_int_equal(aspace_create(&as), 0);
	return 0;
}

static void test_lookup_in_empty_directory_is_null(void **state)
{
	(void)state;
	pde_t *pd = new_pd();
	assert_null(pt_lookup(pd, 0));
	assert_null(pt_lookup(pd, VA));
	assert_null(pt_lookup(pd, USER_TOP - 1));
}

static void test_lookup_in_large_page_is_null(void **state)
{
	(void)state;
	pde_t *pd = new_pd();
	pd[PDX(VA)] = 0x00400000u | PTE_P | PTE_W | PTE_PS;
	assert_null(pt_lookup(pd, VA));
}

static void test_ensure_allocates_one_zeroed_page_table(void **state)
{
	(void)state;
	pde_t *pd = new_pd();
	uint32_t free0 = frame_free_count();
	pte_t *pte = pt_ensure(pd, VA);
	assert_non_null(pte);
	assert_int_equal(frame_free_count(), free0 - 1);
	assert_int_equal(PTE_FLAGS(pd[PDX(VA)]), PTE_P | PTE_W | PTE_U);
	pte_t *table = host_phys_to_virt(PTE_ADDR(pd[PDX(VA)]));
	assert_ptr_equal(pte, &table[PTX(VA)]);
	assert_true(host_page_is_zero(PTE_ADDR(pd[PDX(VA)])));
	assert_ptr_equal(pt_lookup(pd, VA), pte);
}

static void test_ensure_reuses_table_within_4mib(void **state)
{
	(void)state;
	pde_t *pd = new_pd();
	uint32_t base = VA & ~(BIG_PAGE - 1);
	pte_t *first = pt_ensure(pd, base);
	uint32_t free1 = frame_free_count();
	pte_t *last = pt_ensure(pd, base + BIG_PAGE - PAGE_SIZE);
	assert_int_equal(frame_free_count(), free1);
	assert_ptr_equal(last, first + PT_ENTRIES - 1);
	assert_non_null(pt_ensure(pd, base + BIG_PAGE)); /* the next table */
	assert_int_equal(frame_free_count(), free1 - 1);
}

static void test_ensure_out_of_memory_returns_null(void **state)
{
	(void)state;
	pde_t *pd = new_pd();
	host_hog_take(&hog, 0);
	assert_null(pt_ensure(pd, VA));
	assert_int_equal(pd[PDX(VA)], 0);
	host_hog_release(&hog);
}

static void test_ensure_of_nucleus_address_panics(void **state)
{
	(void)state;
	pde_t *pd = new_pd();
	expect_assert_failure(pt_ensure(pd, USER_TOP));
	assert_non_null(strstr(host_last_panic(), "assertion failed"));
}

static void test_map_sets_address_flags_and_present(void **state)
{
	(void)state;
	pde_t *pd = new_pd();
	paddr_t a = frame_alloc(), b = frame_alloc();
	assert_int_equal(pt_map(pd, VA, a, PTE_W | PTE_U), 0);
	assert_int_equal(pt_map(pd, VA + PAGE_SIZE, b, PTE_U), 0);
	assert_int_equal(*pt_lookup(pd, VA), a | PTE_W | PTE_U | PTE_P);
	assert_int_equal(*pt_lookup(pd, VA + PAGE_SIZE), b | PTE_U | PTE_P);
}

static void test_map_over_present_page_panics(void **state)
{
	(void)state;
	pde_t *pd = new_pd();
	paddr_t a = frame_alloc(), b = frame_alloc();
	assert_int_equal(pt_map(pd, VA, a, PTE_U), 0);
	expect_assert_failure(pt_map(pd, VA, b, PTE_W | PTE_U));
	assert_non_null(strstr(host_last_panic(), "assertion failed"));
	assert_int_equal(*pt_lookup(pd, VA), a | PTE_U | PTE_P);
}

static void test_map_out_of_memory_returns_enomem(void **state)
{
	(void)state;
	pde_t *pd = new_pd();
	paddr_t a = frame_alloc();
	host_hog_take(&hog, 0);
	assert_int_equal(pt_map(pd, VA, a, PTE_U), -ENOMEM);
	host_hog_release(&hog);
}

static void test_free_user_returns_every_frame(void **state)
{
	(void)state;
	pde_t *pd = new_pd();
	uint32_t free0 = frame_free_count();
	const uint32_t vas[] = {USER_BASE,      VA,
	                        VA + PAGE_SIZE, VA + 5 * PAGE_SIZE,
	                        VA + BIG_PAGE,  USER_TOP - PAGE_SIZE /* the last user PDE */};
	for (size_t i = 0; i < sizeof vas / sizeof vas[0]; i++)
		assert_int_equal(pt_map(pd, vas[i], frame_alloc(), PTE_W | PTE_U), 0);
	assert_int_equal(frame_free_count(), free0 - 6 - 4); /* 6 pages, 4 tables */
	pt_free_user(pd);
	assert_int_equal(frame_free_count(), free0);
	for (uint32_t i = 0; i < USER_PDES; i++)
		assert_int_equal(pd[i], 0);
}

static void test_free_user_drops_one_reference_per_mapping(void **state)
{
	(void)state;
	pde_t *pd = new_pd();
	uint32_t free0 = frame_free_count();
	paddr_t shared = frame_alloc();
	frame_ref(shared);
	assert_int_equal(pt_map(pd, VA, shared, PTE_U), 0);
	assert_int_equal(pt_map(pd, VA + BIG_PAGE, shared, PTE_U), 0);
	pt_free_user(pd);
	assert_int_equal(frame_free_count(), free0);
}

static void test_free_user_leaves_nucleus_entries(void **state)
{
	(void)state;
	pde_t *pd = new_pd();
	fill_kernel_pd();
	memcpy(&pd[USER_PDES], &kernel_pd[USER_PDES], (PT_ENTRIES - USER_PDES) * sizeof(pde_t));
	assert_int_equal(pt_map(pd, VA, frame_alloc(), PTE_U), 0);
	uint32_t free0 = frame_free_count();
	pt_free_user(pd);
	assert_int_equal(frame_free_count(), free0 + 2);
	assert_memory_equal(&pd[USER_PDES], &kernel_pd[USER_PDES],
	                    (PT_ENTRIES - USER_PDES) * sizeof(pde_t));
}

static void test_aspace_create_shares_nucleus_entries(void **state)
{
	(void)state;
	fill_kernel_pd();
	uint32_t free0 = frame_free_count();
	assert_int_equal(aspace_create(&as), 0);
	assert_int_equal(frame_free_count(), free0 - 1);
	assert_int_equal(as.cr3 & PAGE_MASK, 0);
	assert_ptr_equal(as.pd, host_phys_to_virt(as.cr3));
	assert_int_equal(as.nregions, 0);
	assert_memory_equal(&as.pd[USER_PDES], &kernel_pd[USER_PDES],
	                    (PT_ENTRIES - USER_PDES) * sizeof(pde_t));
	for (uint32_t i = 0; i < USER_PDES; i++)
		assert_int_equal(as.pd[i], 0);
}

static void test_aspace_create_out_of_memory(void **state)
{
	(void)state;
	host_hog_take(&hog, 0);
	assert_int_equal(aspace_create(&as), -ENOMEM);
	host_hog_release(&hog);
}

static void test_aspace_destroy_returns_everything(void **state)
{
	(void)state;
	uint32_t free0 = frame_free_count();
	assert_int_equal(aspace_create(&as), 0);
	assert_int_equal(aspace_add_region(&as, VA, VA + 4 * PAGE_SIZE, VM_READ | VM_WRITE), 0);
	assert_int_equal(aspace_add_region(&as, USER_TOP - PAGE_SIZE, USER_TOP, VM_READ), 0);
	assert_int_equal(vmm_populate(&as, VA, VA + 4 * PAGE_SIZE), 0);
	assert_int_equal(vmm_fault(&as, USER_TOP - 1, 0), 0);
	assert_true(frame_free_count() < free0 - 1);
	aspace_destroy(&as);
	assert_int_equal(frame_free_count(), free0);
	assert_null(as.pd);
	assert_int_equal(as.nregions, 0);
	aspace_destroy(&as); /* a destroyed space may be destroyed again */
	assert_int_equal(frame_free_count(), free0);
}

static void test_add_region_then_find(void **state)
{
	(void)state;
	assert_int_equal(aspace_add_region(&as, 0x10000, 0x12000, VM_READ), 0);
	assert_int_equal(aspace_add_region(&as, 0x20000, 0x21000, VM_READ | VM_WRITE), 0);
	const struct region *r = aspace_find_region(&as, 0x11fff);
	assert_non_null(r);
	assert_int_equal(r->start, 0x10000);
	assert_int_equal(r->end, 0x12000);
	assert_int_equal(r->prot, VM_READ);
	assert_int_equal(aspace_find_region(&as, 0x20000)->prot, VM_READ | VM_WRITE);
	assert_null(aspace_find_region(&as, 0xffff));
	assert_null(aspace_find_region(&as, 0x12000));
}

static void test_add_region_misaligned_refused(void **state)
{
	(void)state;
	assert_int_equal(aspace_add_region(&as, 0x10001, 0x12000, VM_READ), -EINVAL);
	assert_int_equal(aspace_add_region(&as, 0x10000, 0x11fff, VM_READ), -EINVAL);
	assert_int_equal(as.nregions, 0);
}

static void test_add_region_outside_user_space_refused(void **state)
{
	(void)state;
	assert_int_equal(aspace_add_region(&as, 0, 0x2000, VM_READ), -EINVAL);
	assert_int_equal(
	        aspace_add_region(&as, USER_TOP - PAGE_SIZE, USER_TOP + PAGE_SIZE, VM_READ),
	        -EINVAL);
	assert_int_equal(aspace_add_region(&as, USER_TOP, USER_TOP + PAGE_SIZE, VM_READ), -EINVAL);
	assert_int_equal(as.nregions, 0);
	/* The bounds themselves are fine. */
	assert_int_equal(aspace_add_region(&as, USER_BASE, USER_TOP, VM_READ), 0);
}

static void test_add_region_empty_refused(void **state)
{
	(void)state;
	assert_int_equal(aspace_add_region(&as, 0x10000, 0x10000, VM_READ), -EINVAL);
	assert_int_equal(aspace_add_region(&as, 0x12000, 0x10000, VM_READ), -EINVAL);
	assert_int_equal(as.nregions, 0);
}

static void test_add_region_overlap_refused(void **state)
{
	(void)state;
	assert_int_equal(aspace_add_region(&as, 0x10000, 0x20000, VM_READ), 0);
	assert_int_equal(aspace_add_region(&as, 0xf000, 0x11000, VM_READ), -EINVAL);
	assert_int_equal(aspace_add_region(&as, 0x1f000, 0x21000, VM_READ), -EINVAL);
	assert_int_equal(aspace_add_region(&as, 0x12000, 0x13000, VM_READ), -EINVAL);
	assert_int_equal(aspace_add_region(&as, 0x8000, 0x30000, VM_READ), -EINVAL);
	assert_int_equal(as.nregions, 1);
	/* Touching is not overlapping. */
	assert_int_equal(aspace_add_region(&as, 0xf000, 0x10000, VM_READ), 0);
	assert_int_equal(aspace_add_region(&as, 0x20000, 0x21000, VM_READ), 0);
}

static void test_add_region_when_full_returns_enospc(void **state)
{
	(void)state;
	for (uint32_t i = 0; i < ASPACE_MAX_REGIONS; i++)
		assert_int_equal(
		        aspace_add_region(&as, 0x10000 + i * 0x2000, 0x11000 + i * 0x2000, VM_READ),
		        0);
	uint32_t past = 0x10000 + ASPACE_MAX_REGIONS * 0x2000; /* overlaps none of them */
	assert_int_equal(aspace_add_region(&as, past, past + 0x1000, VM_READ), -ENOSPC);
	assert_int_equal(as.nregions, ASPACE_MAX_REGIONS);
}

static void test_fault_without_region_is_efault(void **state)
{
	(void)state;
	assert_int_equal(aspace_add_region(&as, 0x10000, 0x11000, VM_READ | VM_WRITE), 0);
	uint32_t free0 = frame_free_count();
	assert_int_equal(vmm_fault(&as, 0x11000, 0), -EFAULT);
	assert_int_equal(vmm_fault(&as, 0xffff, 1), -EFAULT);
	assert_int_equal(vmm_fault(&as, 0, 0), -EFAULT);
	assert_int_equal(frame_free_count(), free0);
}

static void test_fault_write_to_readonly_region_is_efault(void **state)
{
	(void)state;
	assert_int_equal(aspace_add_region(&as, VA, VA + PAGE_SIZE, VM_READ | VM_EXEC), 0);
	uint32_t free0 = frame_free_count();
	assert_int_equal(vmm_fault(&as, VA, 1), -EFAULT);
	assert_int_equal(frame_free_count(), free0);
	assert_false(is_mapped(VA));
}

static void test_fault_read_maps_zero_readonly_user_page(void **state)
{
	(void)state;
	assert_int_equal(aspace_add_region(&as, VA, VA + 2 * PAGE_SIZE, VM_READ | VM_EXEC), 0);
	uint32_t free0 = frame_free_count();
	assert_int_equal(vmm_fault(&as, VA + PAGE_SIZE + 0x123, 0), 0);
	assert_int_equal(frame_free_count(), free0 - 2); /* the page and its table */
	pte_t pte = present_pte(VA + PAGE_SIZE);
	assert_int_equal(PTE_FLAGS(pte), PTE_P | PTE_U);
	assert_true(host_page_is_zero(PTE_ADDR(pte)));
	assert_false(is_mapped(VA)); /* only the faulting page */
}

static void test_fault_in_writable_region_maps_writable(void **state)
{
	(void)state;
	assert_int_equal(aspace_add_region(&as, VA, VA + PAGE_SIZE, VM_READ | VM_WRITE), 0);
	assert_int_equal(vmm_fault(&as, VA, 0), 0); /* even on a read */
	assert_int_equal(PTE_FLAGS(present_pte(VA)), PTE_P | PTE_W | PTE_U);
}

static void test_fault_on_present_page_allocates_nothing(void **state)
{
	(void)state;
	assert_int_equal(aspace_add_region(&as, VA, VA + PAGE_SIZE, VM_READ | VM_WRITE), 0);
	assert_int_equal(vmm_fault(&as, VA, 1), 0);
	pte_t before = present_pte(VA);
	uint32_t free1 = frame_free_count();
	assert_int_equal(vmm_fault(&as, VA + 8, 0), 0);
	assert_int_equal(vmm_fault(&as, VA + 16, 1), 0);
	assert_int_equal(frame_free_count(), free1);
	assert_int_equal(present_pte(VA), before);
}

static void test_fault_write_on_readonly_pte_is_efault(void **state)
{
	(void)state;
	assert_int_equal(aspace_add_region(&as, VA, VA + PAGE_SIZE, VM_READ | VM_WRITE), 0);
	assert_int_equal(pt_map(as.pd, VA, frame_alloc(), PTE_U),
	                 0); /* as a shared page would be */
	assert_int_equal(vmm_fault(&as, VA, 1), -EFAULT);
	assert_int_equal(vmm_fault(&as, VA, 0), 0);
}

static void test_fault_out_of_memory_leaks_nothing(void **state)
{
	(void)state;
	assert_int_equal(aspace_add_region(&as, VA, VA + PAGE_SIZE, VM_READ | VM_WRITE), 0);
	/* No frame at all. */
	host_hog_take(&hog, 0);
	assert_int_equal(vmm_fault(&as, VA, 0), -ENOMEM);
	host_hog_release(&hog);
	/* A frame for the page but none for its page table. */
	host_hog_take(&hog, 1);
	assert_int_equal(vmm_fault(&as, VA, 1), -ENOMEM);
	assert_int_equal(frame_free_count(), 1);
	assert_int_equal(as.pd[PDX(VA)], 0);
	host_hog_release(&hog);
	/* Then with memory back, the same fault succeeds. */
	assert_int_equal(vmm_fault(&as, VA, 1), 0);
}

static void test_populate_maps_every_page(void **state)
{
	(void)state;
	assert_int_equal(aspace_add_region(&as, VA, VA + 4 * PAGE_SIZE, VM_READ | VM_WRITE), 0);
	uint32_t free0 = frame_free_count();
	assert_int_equal(vmm_populate(&as, VA, VA + 4 * PAGE_SIZE), 0);
	assert_int_equal(frame_free_count(), free0 - 4 - 1);
	for (uint32_t va = VA; va < VA + 4 * PAGE_SIZE; va += PAGE_SIZE)
		assert_int_equal(PTE_FLAGS(present_pte(va)), PTE_P | PTE_W | PTE_U);
	assert_int_equal(vmm_populate(&as, VA, VA + 4 * PAGE_SIZE), 0);
	assert_int_equal(frame_free_count(), free0 - 4 - 1);
}

static void test_populate_rounds_to_whole_pages(void **state)
{
	(void)state;
	assert_int_equal(aspace_add_region(&as, VA, VA + 4 * PAGE_SIZE, VM_READ), 0);
	assert_int_equal(vmm_populate(&as, VA + PAGE_SIZE + 0x800, VA + 2 * PAGE_SIZE + 1), 0);
	assert_false(is_mapped(VA));
	assert_true(is_mapped(VA + PAGE_SIZE));
	assert_true(is_mapped(VA + 2 * PAGE_SIZE));
	assert_false(is_mapped(VA + 3 * PAGE_SIZE));
}

static void test_populate_beyond_region_is_efault(void **state)
{
	(void)state;
	assert_int_equal(aspace_add_region(&as, VA, VA + 2 * PAGE_SIZE, VM_READ), 0);
	assert_int_equal(vmm_populate(&as, VA, VA + 3 * PAGE_SIZE), -EFAULT);
	assert_int_equal(vmm_populate(&as, 0x10000, 0x11000), -EFAULT);
}

static void test_populate_out_of_memory_is_enomem(void **state)
{
	(void)state;
	assert_int_equal(aspace_add_region(&as, VA, VA + 4 * PAGE_SIZE, VM_READ), 0);
	host_hog_take(&hog, 2); /* a table and one page */
	assert_int_equal(vmm_populate(&as, VA, VA + 4 * PAGE_SIZE), -ENOMEM);
	assert_true(is_mapped(VA));
	host_hog_release(&hog);
}

#define T(name)  cmocka_unit_test_setup(name, setup)
#define TA(name) cmocka_unit_test_setup(name, setup_aspace)

int main(void)
{
	const struct CMUnitTest tests[] = {
	        T(test_lookup_in_empty_directory_is_null),
	        T(test_lookup_in_large_page_is_null),
	        T(test_ensure_allocates_one_zeroed_page_table),
	        T(test_ensure_reuses_table_within_4mib),
	        T(test_ensure_out_of_memory_returns_null),
	        T(test_ensure_of_nucleus_address_panics),
	        T(test_map_sets_address_flags_and_present),
	        T(test_map_over_present_page_panics),
	        T(test_map_out_of_memory_returns_enomem),
	        T(test_free_user_returns_every_frame),
	        T(test_free_user_drops_one_reference_per_mapping),
	        T(test_free_user_leaves_nucleus_entries),
	        T(test_aspace_create_shares_nucleus_entries),
	        T(test_aspace_create_out_of_memory),
	        T(test_aspace_destroy_returns_everything),
	        TA(test_add_region_then_find),
	        TA(test_add_region_misaligned_refused),
	        TA(test_add_region_outside_user_space_refused),
	        TA(test_add_region_empty_refused),
	        TA(test_add_region_overlap_refused),
	        TA(test_add_region_when_full_returns_enospc),
	        TA(test_fault_without_region_is_efault),
	        TA(test_fault_write_to_readonly_region_is_efault),
	        TA(test_fault_read_maps_zero_readonly_user_page),
	        TA(test_fault_in_writable_region_maps_writable),
	        TA(test_fault_on_present_page_allocates_nothing),
	        TA(test_fault_write_on_readonly_pte_is_efault),
	        TA(test_fault_out_of_memory_leaks_nothing),
	        TA(test_populate_maps_every_page),
	        TA(test_populate_rounds_to_whole_pages),
	        TA(test_populate_beyond_region_is_efault),
	        TA(test_populate_out_of_memory_is_enomem),
	};
	return cmocka_run_group_tests_name("pagetable", tests, NULL, NULL);
}
