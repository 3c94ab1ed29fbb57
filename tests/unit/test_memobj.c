/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for memory objects (vmm/memobj.c) and the shared clone
 * (vmm_clone_shared in vmm/share.c): regions turned shared, faults from
 * either side filling the same page, the main stack copied, references
 * and the one payer, a mapper leaving, copy-on-write pages at the clone,
 * limits and memory running out with nothing changed, plain clones and
 * bulk shares of shared regions. Every test starts with a parent space
 * `par` (data, text and main stack regions) and an empty `kid`, and ends
 * by checking each space's count against its tables, destroying both and
 * checking that every frame came back.
 */
#include "tests/unit/host.h"

#include <string.h>

#include <sprig/errno.h>
#include <sprig/syscall.h>

#define MEM       (8u << 20)
#define NPAGES    8
#define DATA      0x10000000u /* read-write, NPAGES pages */
#define TEXT      0x08048000u /* read-only, two pages */
#define STACK_LOW (USER_STACK_TOP - USER_STACK_SIZE)
#define STACK_VA  (USER_STACK_TOP - PAGE_SIZE)
#define OTHER     0x20000000u /* a region of its own in a third space */

static struct aspace par, kid, third;
static uint32_t free_at_start;
static struct host_hog hog;

static pte_t pte_of(struct aspace *as, uint32_t va)
{
	pte_t *pte = pt_lookup(as->pd, va);
	return pte ? *pte : 0;
}

static paddr_t frame_of(struct aspace *as, uint32_t va)
{
	pte_t e = pte_of(as, va);
	assert_true(e & PTE_P);
	return PTE_ADDR(e);
}

static struct region *region_of(struct aspace *as, uint32_t va)
{
	return (struct region *)aspace_find_region(as, va);
}

static void put32(struct aspace *as, uint32_t va, uint32_t v)
{
	assert_int_equal(copy_out(as, va, &v, sizeof v), 0);
}

static uint32_t get32(struct aspace *as, uint32_t va)
{
	uint32_t v = 0xdeadbeef;
	assert_int_equal(copy_in(as, &v, va, sizeof v), 0);
	return v;
}

static void add_region(struct aspace *as, uint32_t start, uint32_t end, uint32_t prot)
{
	assert_int_equal(aspace_add_region(as, start, end, prot), 0);
}

/* What as should count: its directory, page tables, private present
 * pages, and every frame of each object it pays for. */
static uint32_t frames_held(const struct aspace *as)
{
	uint32_t n = 1;
	for (uint32_t i = 0; i < USER_PDES; i++) {
		if (!(as->pd[i] & PTE_P))
			continue;
		const pte_t *pt = host_phys_to_virt(PTE_ADDR(as->pd[i]));
		n++;
		for (uint32_t j = 0; j < PT_ENTRIES; j++)
			n += (pt[j] & (PTE_P | PTE_DEV | PTE_OBJ)) == PTE_P;
	}
	for (int i = 0; i < as->nregions; i++) {
		const struct memobj *obj = as->regions[i].obj;
		if (obj && memobj_payer(obj) == as)
			n += memobj_frames(obj);
	}
	return n;
}

static void check_count(const struct aspace *as)
{
	if (as->pd && as->nframes != frames_held(as))
		fail_msg("space counts %u frames, holds %u", as->nframes, frames_held(as));
}

static int setup(void **state)
{
	(void)state;
	host_mem_init(MEM);
	memset(kernel_pd, 0, sizeof(pde_t) * PT_ENTRIES);
	free_at_start = frame_free_count();
	memset(&third, 0, sizeof third);
	assert_int_equal(aspace_create(&par), 0);
	assert_int_equal(aspace_create(&kid), 0);
	add_region(&par, DATA, DATA + NPAGES * PAGE_SIZE, VM_READ | VM_WRITE | VM_ANON);
	add_region(&par, TEXT, TEXT + 2 * PAGE_SIZE, VM_READ | VM_EXEC);
	add_region(&par, STACK_LOW, USER_STACK_TOP, VM_READ | VM_WRITE);
	assert_int_equal(vmm_load(&par, TEXT, "text", 5), 0);
	hog.n = 0;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	host_hog_release(&hog);
	check_count(&par);
	check_count(&kid);
	check_count(&third);
	aspace_destroy(&kid);
	check_count(&par);
	check_count(&third);
	aspace_destroy(&par);
	aspace_destroy(&third);
	assert_int_equal(frame_free_count(), free_at_start);
	return 0;
}

/* ---- sharing ---- */

/* Writes on either side, to pages present at the clone and to pages
 * first touched after it by either side, are seen by both. */
static void test_writes_on_either_side_are_seen_by_both(void **state)
{
	(void)state;
	put32(&par, DATA, 1);
	assert_int_equal(vmm_clone_shared(&kid, &par), 0);
	assert_int_equal(get32(&kid, DATA), 1);
	put32(&kid, DATA, 2);
	assert_int_equal(get32(&par, DATA), 2);
	put32(&kid, DATA + 3 * PAGE_SIZE, 3); /* untouched at the clone: kid first */
	assert_int_equal(get32(&par, DATA + 3 * PAGE_SIZE), 3);
	put32(&par, DATA + 5 * PAGE_SIZE + 4, 5); /* and par first */
	assert_int_equal(get32(&kid, DATA + 5 * PAGE_SIZE + 4), 5);
	assert_int_equal(frame_of(&par, DATA + 3 * PAGE_SIZE),
	                 frame_of(&kid, DATA + 3 * PAGE_SIZE));
	assert_int_equal(pte_of(&kid, DATA) & ~PTE_ADDR(~0u), PTE_P | PTE_U | PTE_W | PTE_OBJ);
	assert_int_equal(get32(&kid, DATA + PAGE_SIZE), 0); /* a page neither touched: zero */
}

/* The main stack is copied: each side's writes, before or after, stay its own. */
static void test_main_stack_is_copied(void **state)
{
	(void)state;
	put32(&par, STACK_VA, 7);
	assert_int_equal(vmm_clone_shared(&kid, &par), 0);
	assert_null(region_of(&kid, STACK_VA)->obj);
	assert_int_equal(get32(&kid, STACK_VA), 7);
	put32(&kid, STACK_VA, 8);
	put32(&par, STACK_VA + 4, 9);
	assert_int_equal(get32(&par, STACK_VA), 7);
	assert_int_equal(get32(&kid, STACK_VA + 4), 0);
	put32(&kid, STACK_LOW, 10); /* a stack page untouched at the clone */
	assert_int_equal(get32(&par, STACK_LOW), 0);
}

/* Read-only pages move into the object as they are, and stay read-only. */
static void test_text_is_shared_read_only(void **state)
{
	(void)state;
	paddr_t text = frame_of(&par, TEXT);
	assert_int_equal(vmm_clone_shared(&kid, &par), 0);
	assert_int_equal(frame_of(&par, TEXT), text);
	assert_int_equal(vmm_fault(&kid, TEXT, 0), 0);
	assert_int_equal(frame_of(&kid, TEXT), text);
	assert_false(pte_of(&kid, TEXT) & PTE_W);
	assert_int_equal(vmm_fault(&kid, TEXT, 1), -EFAULT);
	assert_int_equal(copy_out(&par, TEXT, "x", 1), -EFAULT);
}

/* Two references, one payer (par): kid's faults in shared regions cost it
 * only page tables; the pages are charged to par, once. */
static void test_frames_are_charged_once_to_the_payer(void **state)
{
	(void)state;
	put32(&par, DATA, 1);
	assert_int_equal(vmm_clone_shared(&kid, &par), 0);
	const struct memobj *obj = region_of(&par, DATA)->obj;
	assert_non_null(obj);
	assert_ptr_equal(region_of(&kid, DATA)->obj, obj);
	assert_int_equal(memobj_refs(obj), 2);
	assert_ptr_equal(memobj_payer(obj), &par);
	uint32_t p0 = par.nframes, k0 = kid.nframes, free0 = frame_free_count();
	put32(&kid, DATA + 2 * PAGE_SIZE, 1);            /* a new page, and kid's page table */
	assert_int_equal(par.nframes, p0 + 1);           /* the page */
	assert_int_equal(kid.nframes, k0 + 1);           /* the page table */
	assert_int_equal(frame_free_count(), free0 - 2); /* nothing else */
	put32(&par, DATA + 2 * PAGE_SIZE, 2);            /* par maps the same page: free */
	assert_int_equal(par.nframes, p0 + 1);
	assert_int_equal(frame_free_count(), free0 - 2);
	assert_int_equal(frame_refcount(frame_of(&par, DATA + 2 * PAGE_SIZE)), 1);
}

/* A clone of a shared clone maps the same object: three sharers. */
static void test_a_shared_clone_of_a_shared_clone_shares_the_same_object(void **state)
{
	(void)state;
	assert_int_equal(vmm_clone_shared(&kid, &par), 0);
	assert_int_equal(aspace_create(&third), 0);
	assert_int_equal(vmm_clone_shared(&third, &kid), 0);
	const struct memobj *obj = region_of(&par, DATA)->obj;
	assert_ptr_equal(region_of(&third, DATA)->obj, obj);
	assert_int_equal(memobj_refs(obj), 3);
	put32(&third, DATA + 7 * PAGE_SIZE, 33);
	assert_int_equal(get32(&par, DATA + 7 * PAGE_SIZE), 33);
	assert_int_equal(get32(&kid, DATA + 7 * PAGE_SIZE), 33);
}

/* ---- a mapper leaving ---- */

/* kid removes the region: par keeps every page, kid's mappings go, the
 * object has one reference; then par's removal frees every frame. */
static void test_unmap_from_one_side_leaves_the_other_intact(void **state)
{
	(void)state;
	put32(&par, DATA, 1);
	assert_int_equal(vmm_clone_shared(&kid, &par), 0);
	put32(&kid, DATA + PAGE_SIZE, 2);
	const struct memobj *obj = region_of(&par, DATA)->obj;
	assert_int_equal(aspace_remove_region(&kid, DATA), 0);
	assert_null(aspace_find_region(&kid, DATA));
	assert_false(pte_of(&kid, DATA + PAGE_SIZE) & PTE_P);
	assert_int_equal(memobj_refs(obj), 1);
	assert_int_equal(get32(&par, DATA), 1);
	assert_int_equal(get32(&par, DATA + PAGE_SIZE), 2);
	check_count(&kid);
	check_count(&par);
	aspace_destroy(&kid);
	assert_int_equal(aspace_remove_region(&par, DATA), 0);
	aspace_remove_region(&par, TEXT);
	aspace_remove_region(&par, STACK_LOW);
	check_count(&par);
	/* Only par's directory and page tables are left of all that. */
	assert_int_equal(frame_free_count(), free_at_start - par.nframes);
}

/* The payer ends first: the charge moves whole to kid, which keeps the
 * memory; kid's end then frees it all (teardown counts). */
static void test_payer_ending_hands_the_charge_to_a_mapper(void **state)
{
	(void)state;
	put32(&par, DATA, 1);
	assert_int_equal(vmm_clone_shared(&kid, &par), 0);
	put32(&kid, DATA + 4 * PAGE_SIZE, 4);
	const struct memobj *obj = region_of(&kid, DATA)->obj;
	uint32_t k0 = kid.nframes, charged = memobj_frames(obj);
	aspace_destroy(&par);
	assert_ptr_equal(memobj_payer(obj), &kid);
	assert_int_equal(memobj_refs(obj), 1);
	assert_int_equal(kid.nframes, k0 + charged + memobj_frames(region_of(&kid, TEXT)->obj));
	assert_int_equal(get32(&kid, DATA), 1);
	assert_int_equal(get32(&kid, DATA + 4 * PAGE_SIZE), 4);
	put32(&kid, DATA + 6 * PAGE_SIZE, 6); /* new pages are kid's to pay now */
	check_count(&kid);
}

/* ---- copy-on-write pages at the clone ---- */

/* par's pages are copy-on-write with a plain clone (third): the shared
 * clone gives the object copies, so par and kid share writes third never
 * sees, and third keeps what it had. */
static void test_cow_pages_at_the_clone_become_shared_copies(void **state)
{
	(void)state;
	put32(&par, DATA, 1);
	put32(&par, DATA + PAGE_SIZE, 11);
	assert_int_equal(aspace_create(&third), 0);
	assert_int_equal(vmm_clone(&third, &par), 0);
	paddr_t old = frame_of(&par, DATA);
	assert_int_equal(frame_refcount(old), 2);
	assert_int_equal(vmm_clone_shared(&kid, &par), 0);
	assert_int_not_equal(frame_of(&par, DATA), old);
	assert_int_equal(frame_refcount(old), 1); /* third's alone */
	assert_true(pte_of(&par, DATA) & PTE_W);
	put32(&kid, DATA, 2);
	put32(&par, DATA + PAGE_SIZE, 12);
	assert_int_equal(get32(&par, DATA), 2);
	assert_int_equal(get32(&kid, DATA + PAGE_SIZE), 12);
	assert_int_equal(get32(&third, DATA), 1);
	assert_int_equal(get32(&third, DATA + PAGE_SIZE), 11);
	put32(&third, DATA, 3);
	assert_int_equal(get32(&par, DATA), 2);
}

/* A page copy-on-write with nobody else (its sharer gone) moves in as it is. */
static void test_cow_page_with_one_user_moves_in(void **state)
{
	(void)state;
	put32(&par, DATA, 1);
	assert_int_equal(aspace_create(&third), 0);
	assert_int_equal(vmm_clone(&third, &par), 0);
	aspace_destroy(&third);
	paddr_t pa = frame_of(&par, DATA);
	assert_true(pte_of(&par, DATA) & PTE_COW);
	assert_int_equal(vmm_clone_shared(&kid, &par), 0);
	assert_int_equal(frame_of(&par, DATA), pa);
	assert_int_equal(pte_of(&par, DATA) & (PTE_W | PTE_COW | PTE_OBJ), PTE_W | PTE_OBJ);
}

/* ---- refusals change nothing ---- */

static void snapshot(struct aspace *as, pte_t *ptes)
{
	for (uint32_t i = 0; i < NPAGES; i++)
		ptes[i] = pte_of(as, DATA + i * PAGE_SIZE);
}

/* par at its limit: the object's header alone is refused; par is as it
 * was, kid holds a part for its owner to destroy. */
static void test_clone_of_a_space_at_its_limit_is_refused(void **state)
{
	(void)state;
	put32(&par, DATA, 1);
	put32(&par, STACK_VA, 2);
	pte_t before[NPAGES], after[NPAGES];
	snapshot(&par, before);
	par.frame_limit = par.nframes;
	uint32_t p0 = par.nframes;
	assert_int_equal(vmm_clone_shared(&kid, &par), -ENOMEM);
	snapshot(&par, after);
	assert_memory_equal(before, after, sizeof before);
	assert_int_equal(par.nframes, p0);
	for (int i = 0; i < par.nregions; i++)
		assert_null(par.regions[i].obj);
	put32(&par, DATA, 3); /* still its own, still writable */
	assert_int_equal(get32(&par, DATA), 3);
}

/* The copies copy-on-write pages need pass the limit: refused before any
 * PTE changes. */
static void test_cow_copies_over_the_limit_are_refused(void **state)
{
	(void)state;
	for (uint32_t i = 0; i < NPAGES; i++)
		put32(&par, DATA + i * PAGE_SIZE, i);
	assert_int_equal(aspace_create(&third), 0);
	assert_int_equal(vmm_clone(&third, &par), 0);
	pte_t before[NPAGES], after[NPAGES];
	snapshot(&par, before);
	par.frame_limit = par.nframes + 2 + NPAGES / 2; /* a header and a leaf, half the copies */
	assert_int_equal(vmm_clone_shared(&kid, &par), -ENOMEM);
	snapshot(&par, after);
	assert_memory_equal(before, after, sizeof before);
	assert_null(region_of(&par, DATA)->obj);
	for (uint32_t i = 0; i < NPAGES; i++)
		assert_int_equal(get32(&third, DATA + i * PAGE_SIZE), i);
	check_count(&par);
}

static void test_clone_out_of_memory_changes_nothing(void **state)
{
	(void)state;
	put32(&par, DATA, 1);
	pte_t before[NPAGES], after[NPAGES];
	snapshot(&par, before);
	uint32_t p0 = par.nframes;
	host_hog_take(&hog, 0);
	assert_int_equal(vmm_clone_shared(&kid, &par), -ENOMEM);
	snapshot(&par, after);
	assert_memory_equal(before, after, sizeof before);
	assert_int_equal(par.nframes, p0);
}

/* kid faults in a shared page while the payer is at its limit: refused,
 * since the page would be par's. */
static void test_fault_charges_the_payers_limit(void **state)
{
	(void)state;
	assert_int_equal(vmm_clone_shared(&kid, &par), 0);
	put32(&kid, DATA, 1); /* kid's page table, par's page */
	par.frame_limit = par.nframes;
	assert_int_equal(vmm_fault(&kid, DATA + PAGE_SIZE, 1), -ENOMEM);
	assert_false(pte_of(&kid, DATA + PAGE_SIZE) & PTE_P);
	assert_int_equal(vmm_fault(&kid, DATA, 1), 0); /* a page already there is free */
	par.frame_limit = 0;
	assert_int_equal(vmm_fault(&kid, DATA + PAGE_SIZE, 1), 0);
}

/* ---- plain clones and bulk shares of shared memory ---- */

/* A plain clone copies the object's pages, those only the other sharer
 * touched too, and sees no later write. */
static void test_plain_clone_of_a_shared_region_copies_it(void **state)
{
	(void)state;
	assert_int_equal(vmm_clone_shared(&kid, &par), 0);
	put32(&kid, DATA + 2 * PAGE_SIZE, 22); /* par never touched this page */
	assert_int_equal(aspace_create(&third), 0);
	assert_int_equal(vmm_clone(&third, &par), 0);
	assert_null(region_of(&third, DATA)->obj);
	assert_int_equal(get32(&third, DATA + 2 * PAGE_SIZE), 22);
	put32(&kid, DATA + 2 * PAGE_SIZE, 23);
	assert_int_equal(get32(&third, DATA + 2 * PAGE_SIZE), 22);
	put32(&third, DATA + 2 * PAGE_SIZE, 24);
	assert_int_equal(get32(&par, DATA + 2 * PAGE_SIZE), 23);
	/* read-only: the same object, not a copy (nobody can write it) */
	assert_ptr_equal(region_of(&third, TEXT)->obj, region_of(&par, TEXT)->obj);
	assert_int_equal(get32(&third, TEXT), get32(&par, TEXT));
	assert_int_equal(frame_of(&third, TEXT), frame_of(&par, TEXT));
	assert_int_equal(memobj_refs(region_of(&par, TEXT)->obj), 3);
}

/* ---- objects held by a nucleus object (program images) ---- */

/* A held object, filled by memobj_write, charged to nobody until its
 * first mapper, which pays for all of it; the charge moves as mappers
 * leave, goes with the last, and the frames stay until the holder drops
 * it. */
static void test_held_object_outlives_its_mappers(void **state)
{
	(void)state;
	int err;
	uint32_t free0 = frame_free_count();
	struct memobj *obj = memobj_new(2, &err);
	assert_non_null(obj);
	assert_int_equal(memobj_write(obj, PAGE_SIZE - 2, "abcd", 4), 0); /* across a page */
	assert_null(memobj_payer(obj));
	assert_int_equal(memobj_frames(obj), 4); /* header, leaf, two pages */
	uint32_t kid0 = kid.nframes;
	struct region r = {OTHER, OTHER + 2 * PAGE_SIZE, VM_READ, obj};
	assert_int_equal(aspace_add_shared(&kid, &r), 0);
	assert_ptr_equal(memobj_payer(obj), &kid);
	assert_int_equal(kid.nframes, kid0 + 4);
	assert_int_equal(get32(&kid, OTHER + PAGE_SIZE - 2), 0x64636261);
	assert_int_equal(aspace_add_shared(&par, &r), 0);
	assert_ptr_equal(memobj_payer(obj), &kid);
	assert_int_equal(get32(&par, OTHER + PAGE_SIZE - 2), 0x64636261);
	assert_int_equal(frame_of(&par, OTHER), frame_of(&kid, OTHER));
	check_count(&par);
	check_count(&kid);
	assert_int_equal(aspace_remove_region(&kid, OTHER), 0);
	assert_ptr_equal(memobj_payer(obj), &par);
	check_count(&kid);
	check_count(&par);
	assert_int_equal(aspace_remove_region(&par, OTHER), 0);
	assert_null(memobj_payer(obj)); /* held, charged to nobody */
	check_count(&par);
	assert_true(frame_free_count() < free0);
	memobj_drop(obj); /* teardown checks every frame came back */
}

/* Dropped while mapped, the object goes with its last mapper. */
static void test_held_object_dropped_while_mapped(void **state)
{
	(void)state;
	int err;
	struct memobj *obj = memobj_new(1, &err);
	assert_non_null(obj);
	struct region r = {OTHER, OTHER + PAGE_SIZE, VM_READ, obj};
	assert_int_equal(aspace_add_shared(&kid, &r), 0);
	memobj_drop(obj);
	assert_int_equal(get32(&kid, OTHER), 0); /* a zero page, made now */
	check_count(&kid);
	aspace_destroy(&kid); /* the last mapper: everything goes */
}

/* A first mapper that cannot pay for the object is refused, unchanged;
 * a plain clone of a mapper maps it too, paying nothing; bad sizes are
 * refused. */
static void test_held_object_first_mapper_pays_or_is_refused(void **state)
{
	(void)state;
	int err;
	assert_null(memobj_new(0, &err));
	assert_int_equal(err, -EINVAL);
	struct memobj *obj = memobj_new(3, &err);
	assert_non_null(obj);
	assert_int_equal(memobj_write(obj, 0, "xyz", 3), 0);
	struct region r = {OTHER, OTHER + 3 * PAGE_SIZE, VM_READ | VM_EXEC, obj};
	kid.frame_limit = kid.nframes + 1;
	uint32_t kid0 = kid.nframes;
	assert_int_equal(aspace_add_shared(&kid, &r), -ENOMEM);
	assert_int_equal(kid.nframes, kid0);
	assert_null(region_of(&kid, OTHER));
	assert_null(memobj_payer(obj));
	kid.frame_limit = 0;
	assert_int_equal(aspace_add_shared(&kid, &r), 0);
	assert_int_equal(aspace_create(&third), 0);
	assert_int_equal(vmm_clone(&third, &kid), 0);
	assert_ptr_equal(region_of(&third, OTHER)->obj, obj);
	assert_ptr_equal(memobj_payer(obj), &kid);
	assert_int_equal(get32(&third, OTHER), get32(&kid, OTHER));
	memobj_drop(obj);
	check_count(&third);
	aspace_destroy(&kid); /* the payer goes first: third pays */
	assert_ptr_equal(memobj_payer(obj), &third);
	check_count(&third);
}

/* A bulk share out of or into a shared region copies: the object's page
 * neither turns copy-on-write nor is replaced. */
static void test_bulk_share_of_shared_memory_copies(void **state)
{
	(void)state;
	assert_int_equal(vmm_clone_shared(&kid, &par), 0);
	assert_int_equal(aspace_create(&third), 0);
	add_region(&third, OTHER, OTHER + 2 * PAGE_SIZE, VM_READ | VM_WRITE);
	put32(&par, DATA, 1);
	assert_int_equal(vmm_share(&third, OTHER, &par, DATA, 2), 0);
	assert_int_equal(get32(&third, OTHER), 1);
	assert_int_equal(pte_of(&par, DATA) & (PTE_W | PTE_COW), PTE_W);
	put32(&kid, DATA, 2); /* the sharers' write: not the receiver's */
	assert_int_equal(get32(&third, OTHER), 1);
	put32(&third, OTHER + PAGE_SIZE, 5);
	paddr_t pa = frame_of(&par, DATA);
	assert_int_equal(vmm_share(&par, DATA, &third, OTHER, 2), 0);
	assert_int_equal(frame_of(&par, DATA), pa); /* the object's page, filled */
	assert_int_equal(get32(&kid, DATA), 1);
	assert_int_equal(get32(&kid, DATA + PAGE_SIZE), 5);
}

/* A bulk window's excess unmapped in a shared region: the object keeps
 * its pages, and a fault maps them again. */
static void test_unmapping_shared_pages_keeps_them(void **state)
{
	(void)state;
	assert_int_equal(vmm_clone_shared(&kid, &par), 0);
	put32(&par, DATA, 1);
	uint32_t p0 = par.nframes;
	vmm_unmap(&par, DATA, NPAGES * PAGE_SIZE);
	assert_int_equal(par.nframes, p0);
	assert_int_equal(get32(&kid, DATA), 1);
	assert_int_equal(get32(&par, DATA), 1);
}

/* Device regions are never cloned, shared or not. */
static void test_device_regions_are_left_out(void **state)
{
	(void)state;
	uint32_t va = vmm_map_device(&par, 0xfd000000u, PAGE_SIZE);
	assert_int_not_equal(va, 0);
	assert_int_equal(vmm_clone_shared(&kid, &par), 0);
	assert_null(aspace_find_region(&kid, va));
	assert_null(region_of(&par, va)->obj);
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
	        T(test_writes_on_either_side_are_seen_by_both),
	        T(test_main_stack_is_copied),
	        T(test_text_is_shared_read_only),
	        T(test_frames_are_charged_once_to_the_payer),
	        T(test_a_shared_clone_of_a_shared_clone_shares_the_same_object),
	        T(test_unmap_from_one_side_leaves_the_other_intact),
	        T(test_payer_ending_hands_the_charge_to_a_mapper),
	        T(test_cow_pages_at_the_clone_become_shared_copies),
	        T(test_cow_page_with_one_user_moves_in),
	        T(test_clone_of_a_space_at_its_limit_is_refused),
	        T(test_cow_copies_over_the_limit_are_refused),
	        T(test_clone_out_of_memory_changes_nothing),
	        T(test_fault_charges_the_payers_limit),
	        T(test_plain_clone_of_a_shared_region_copies_it),
	        T(test_held_object_outlives_its_mappers),
	        T(test_held_object_dropped_while_mapped),
	        T(test_held_object_first_mapper_pays_or_is_refused),
	        T(test_bulk_share_of_shared_memory_copies),
	        T(test_unmapping_shared_pages_keeps_them),
	        T(test_device_regions_are_left_out),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
