/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for page sharing and the calls around it: copy-on-write breaks
 * in vmm_fault (vmm/aspace.c), vmm_share and vmm_unmap (vmm/share.c),
 * vmm_copy between two address spaces (vmm/uaccess.c),
 * aspace_alloc_region / aspace_remove_region, and device pages
 * (vmm/device.c). Every test starts with two
 * address spaces, `src` and `dst`, and ends by destroying both and checking
 * that every frame came back.
 */
#include "tests/unit/host.h"

#include <string.h>

#include <sprig/errno.h>
#include <sprig/syscall.h>

#define MEM       (8u << 20)
#define NPAGES    8
#define SRC_RW    0x10000000u                   /* in src: read-write, NPAGES pages */
#define SRC_RO    0x10100000u                   /* in src: read-only, two pages */
#define DST_RW    0x20000000u                   /* in dst: read-write, NPAGES pages */
#define DST_RO    0x20100000u                   /* in dst: read-only, two pages */
#define DST_NEXT  (DST_RW + NPAGES * PAGE_SIZE) /* in dst: read-write, right after DST_RW */
#define HOLE      0x30000000u                   /* no region on either side */
#define BIG_PAGE  (1u << 22)                    /* what one page table covers */
#define STACK_LOW (USER_STACK_TOP - USER_STACK_SIZE)
#define FLAGS(e)  ((e) & (PTE_P | PTE_W | PTE_U | PTE_COW))

static struct aspace src, dst;
static uint32_t free_at_start;
static struct host_hog hog;
static uint8_t pattern[NPAGES * PAGE_SIZE], buf[NPAGES * PAGE_SIZE];

/* The PTE of va in as, or 0 when it has no page table. */
static pte_t pte_of(struct aspace *as, uint32_t va)
{
	pte_t *pte = pt_lookup(as->pd, va);
	return pte ? *pte : 0;
}

/* The frame mapped at va, which must be present. */
static paddr_t frame_of(struct aspace *as, uint32_t va)
{
	pte_t e = pte_of(as, va);
	assert_true(e & PTE_P);
	return PTE_ADDR(e);
}

/* The nucleus view of mapped user byte va, found without uaccess.c. */
static uint8_t *mem_of(struct aspace *as, uint32_t va)
{
	return (uint8_t *)host_phys_to_virt(frame_of(as, va)) + (va & PAGE_MASK);
}

/* Writes the pattern (or a copy shifted by `salt`) to n bytes at va. */
static void put_pattern(struct aspace *as, uint32_t va, size_t n, uint8_t salt)
{
	uint8_t tmp[NPAGES * PAGE_SIZE];
	for (size_t i = 0; i < n; i++)
		tmp[i] = (uint8_t)(pattern[i] + salt);
	assert_int_equal(copy_out(as, va, tmp, n), 0);
}

/* True when the n bytes at va are the pattern shifted by salt. */
static int has_pattern(struct aspace *as, uint32_t va, size_t n, uint8_t salt)
{
	assert_int_equal(copy_in(as, buf, va, n), 0);
	for (size_t i = 0; i < n; i++)
		if (buf[i] != (uint8_t)(pattern[i] + salt))
			return 0;
	return 1;
}

/* Makes the present page at va read-only copy-on-write, as a share would. */
static void make_cow(struct aspace *as, uint32_t va)
{
	pte_t *pte = pt_lookup(as->pd, va);
	assert_true(pte && (*pte & PTE_P));
	*pte = (*pte & ~PTE_W) | PTE_COW;
}

static void add_region(struct aspace *as, uint32_t start, uint32_t end, uint32_t prot)
{
	assert_int_equal(aspace_add_region(as, start, end, prot), 0);
}

static int setup(void **state)
{
	(void)state;
	host_mem_init(MEM);
	memset(kernel_pd, 0, sizeof(pde_t) * PT_ENTRIES);
	free_at_start = frame_free_count();
	assert_int_equal(aspace_create(&src), 0);
	assert_int_equal(aspace_create(&dst), 0);
	add_region(&src, SRC_RW, SRC_RW + NPAGES * PAGE_SIZE, VM_READ | VM_WRITE);
	add_region(&src, SRC_RO, SRC_RO + 2 * PAGE_SIZE, VM_READ);
	add_region(&dst, DST_RW, DST_NEXT, VM_READ | VM_WRITE);
	add_region(&dst, DST_NEXT, DST_NEXT + PAGE_SIZE, VM_READ | VM_WRITE);
	add_region(&dst, DST_RO, DST_RO + 2 * PAGE_SIZE, VM_READ);
	for (size_t i = 0; i < sizeof pattern; i++)
		pattern[i] = (uint8_t)(i * 7 + i / PAGE_SIZE + 1); /* differs page to page */
	hog.n = 0;
	return 0;
}

/* Destroying both spaces must give back every frame any test took. */
/* What as holds, counted from its tables: the directory, each page table
 * and each present page. as->nframes must always agree. */
static uint32_t frames_held(const struct aspace *as)
{
	uint32_t n = 1;
	for (uint32_t i = 0; i < USER_PDES; i++) {
		if (!(as->pd[i] & PTE_P))
			continue;
		const pte_t *pt = host_phys_to_virt(PTE_ADDR(as->pd[i]));
		n++;
		for (uint32_t j = 0; j < PT_ENTRIES; j++)
			n += (pt[j] & (PTE_P | PTE_DEV)) == PTE_P; /* device pages are no frames */
	}
	return n;
}

static int teardown(void **state)
{
	(void)state;
	host_hog_release(&hog);
	if (src.pd) /* a test may have destroyed them itself */
		assert_int_equal(src.nframes, frames_held(&src));
	if (dst.pd)
		assert_int_equal(dst.nframes, frames_held(&dst));
	aspace_destroy(&src);
	aspace_destroy(&dst);
	assert_int_equal(frame_free_count(), free_at_start);
	return 0;
}

/* ---- copy-on-write in vmm_fault ---- */

static void test_cow_write_with_one_user_makes_same_frame_writable(void **state)
{
	(void)state;
	put_pattern(&src, SRC_RW, PAGE_SIZE, 0);
	paddr_t pa = frame_of(&src, SRC_RW);
	make_cow(&src, SRC_RW);
	uint32_t free0 = frame_free_count();
	assert_int_equal(vmm_fault(&src, SRC_RW + 0x10, 1), 0);
	assert_int_equal(frame_free_count(), free0);
	assert_int_equal(pte_of(&src, SRC_RW), pa | PTE_P | PTE_U | PTE_W);
	assert_true(has_pattern(&src, SRC_RW, PAGE_SIZE, 0));
}

static void test_cow_write_with_two_users_copies_the_frame(void **state)
{
	(void)state;
	put_pattern(&src, SRC_RW, PAGE_SIZE, 0);
	paddr_t old = frame_of(&src, SRC_RW);
	frame_ref(old); /* a second user, as a share would add */
	make_cow(&src, SRC_RW);
	uint32_t free0 = frame_free_count();
	assert_int_equal(vmm_fault(&src, SRC_RW, 1), 0);
	paddr_t copy = frame_of(&src, SRC_RW);
	assert_int_not_equal(copy, old);
	assert_int_equal(frame_free_count(), free0 - 1);
	assert_int_equal(frame_refcount(old), 1);
	assert_int_equal(frame_refcount(copy), 1);
	assert_int_equal(FLAGS(pte_of(&src, SRC_RW)), PTE_P | PTE_U | PTE_W);
	assert_memory_equal(host_phys_to_virt(copy), host_phys_to_virt(old), PAGE_SIZE);
	frame_free(old);
}

static void test_cow_read_fault_keeps_the_sharing(void **state)
{
	(void)state;
	put_pattern(&src, SRC_RW, 16, 0);
	paddr_t pa = frame_of(&src, SRC_RW);
	make_cow(&src, SRC_RW);
	assert_int_equal(vmm_fault(&src, SRC_RW, 0), 0);
	assert_int_equal(pte_of(&src, SRC_RW), pa | PTE_P | PTE_U | PTE_COW);
}

static void test_cow_break_out_of_memory_changes_nothing(void **state)
{
	(void)state;
	put_pattern(&src, SRC_RW, 16, 0);
	paddr_t old = frame_of(&src, SRC_RW);
	frame_ref(old);
	make_cow(&src, SRC_RW);
	pte_t before = pte_of(&src, SRC_RW);
	host_hog_take(&hog, 0);
	assert_int_equal(vmm_fault(&src, SRC_RW, 1), -ENOMEM);
	assert_int_equal(pte_of(&src, SRC_RW), before);
	assert_int_equal(frame_refcount(old), 2);
	frame_free(old);
}

/* ---- vmm_share ---- */

static void test_share_maps_same_frames_cow_on_both_sides(void **state)
{
	(void)state;
	put_pattern(&src, SRC_RW, 3 * PAGE_SIZE, 0);
	assert_int_equal(vmm_share(&dst, DST_RW, &src, SRC_RW, 3), 0);
	for (uint32_t i = 0; i < 3; i++) {
		uint32_t off = i * PAGE_SIZE;
		paddr_t pa = frame_of(&src, SRC_RW + off);
		assert_int_equal(pte_of(&src, SRC_RW + off), pa | PTE_P | PTE_U | PTE_COW);
		assert_int_equal(pte_of(&dst, DST_RW + off), pa | PTE_P | PTE_U | PTE_COW);
		assert_int_equal(frame_refcount(pa), 2);
	}
	assert_false(pte_of(&dst, DST_RW + 3 * PAGE_SIZE) & PTE_P); /* and no more */
	assert_true(has_pattern(&dst, DST_RW, 3 * PAGE_SIZE, 0));
}

/* A frame with every reference it can count is not shared again: the
 * destination gets a private, writable copy, and nothing panics. */
static void test_share_of_a_full_frame_maps_a_copy(void **state)
{
	(void)state;
	put_pattern(&src, SRC_RW, PAGE_SIZE, 0);
	paddr_t pa = frame_of(&src, SRC_RW);
	uint32_t extra = 0;
	while (frame_ref(pa) == 0)
		extra++;
	assert_int_equal(vmm_share(&dst, DST_RW, &src, SRC_RW, 1), 0);
	paddr_t got = frame_of(&dst, DST_RW);
	assert_int_not_equal(got, pa);
	assert_int_equal(FLAGS(pte_of(&dst, DST_RW)), PTE_P | PTE_U | PTE_W);
	assert_int_equal(frame_refcount(got), 1);
	assert_true(has_pattern(&dst, DST_RW, PAGE_SIZE, 0));
	while (extra--)
		frame_free(pa);
}

/* vmm_clone: the same regions, present pages shared copy-on-write, holes
 * left as holes, read-only pages read-only. */
static void test_clone_shares_present_pages(void **state)
{
	(void)state;
	struct aspace child;
	assert_int_equal(aspace_create(&child), 0);
	put_pattern(&src, SRC_RW, 2 * PAGE_SIZE, 0);
	assert_int_equal(vmm_clone(&child, &src), 0);
	assert_int_equal(child.nregions, src.nregions);
	for (uint32_t i = 0; i < 2; i++) {
		uint32_t va = SRC_RW + i * PAGE_SIZE;
		paddr_t pa = frame_of(&src, va);
		assert_int_equal(pte_of(&src, va), pa | PTE_P | PTE_U | PTE_COW);
		assert_int_equal(pte_of(&child, va), pa | PTE_P | PTE_U | PTE_COW);
		assert_int_equal(frame_refcount(pa), 2);
	}
	assert_false(pte_of(&child, SRC_RW + 2 * PAGE_SIZE) & PTE_P);
	assert_int_equal(vmm_fault(&child, SRC_RW, 1), 0); /* the child writes: its own copy */
	assert_int_not_equal(frame_of(&child, SRC_RW), frame_of(&src, SRC_RW));
	assert_true(has_pattern(&src, SRC_RW, 2 * PAGE_SIZE, 0));
	aspace_destroy(&child);
	assert_int_equal(frame_refcount(frame_of(&src, SRC_RW + PAGE_SIZE)), 1);
}

static void test_share_frees_frames_dst_had_there(void **state)
{
	(void)state;
	put_pattern(&src, SRC_RW, 3 * PAGE_SIZE, 0);
	put_pattern(&dst, DST_RW, 3 * PAGE_SIZE, 0x40);
	uint32_t free0 = frame_free_count();
	assert_int_equal(vmm_share(&dst, DST_RW, &src, SRC_RW, 3), 0);
	assert_int_equal(frame_free_count(), free0 + 3);
	assert_true(has_pattern(&dst, DST_RW, 3 * PAGE_SIZE, 0));
}

static void test_share_faults_in_untouched_source_pages(void **state)
{
	(void)state;
	put_pattern(&src, SRC_RW + PAGE_SIZE, 16, 0); /* page 1 only; 0 and 2 untouched */
	assert_int_equal(vmm_share(&dst, DST_RW, &src, SRC_RW, 3), 0);
	for (uint32_t i = 0; i < 3; i++) {
		paddr_t pa = frame_of(&src, SRC_RW + i * PAGE_SIZE);
		assert_int_equal(frame_of(&dst, DST_RW + i * PAGE_SIZE), pa);
		assert_int_equal(frame_refcount(pa), 2);
	}
	assert_true(has_pattern(&dst, DST_RW + PAGE_SIZE, 16, 0));
	assert_int_equal(*mem_of(&dst, DST_RW), 0);
	assert_int_equal(*mem_of(&dst, DST_RW + 3 * PAGE_SIZE - 1), 0);
}

/* A refused share changes no mapping and takes no frame. */
static void assert_share_refused(uint32_t dst_va, uint32_t src_va, uint32_t npages)
{
	pte_t before = pte_of(&src, SRC_RW);
	uint32_t free0 = frame_free_count();
	if (vmm_share(&dst, dst_va, &src, src_va, npages) != -EFAULT)
		fail_msg("vmm_share(dst %#x, src %#x, %u pages) should be -EFAULT", dst_va, src_va,
		         npages);
	assert_int_equal(pte_of(&src, SRC_RW), before);
	assert_int_equal(frame_free_count(), free0);
}

static void test_share_refuses_dst_not_in_one_writable_region(void **state)
{
	(void)state;
	put_pattern(&src, SRC_RW, 16, 0);
	assert_share_refused(DST_RO, SRC_RW, 1);               /* read-only */
	assert_share_refused(HOLE, SRC_RW, 1);                 /* no region */
	assert_share_refused(DST_NEXT - PAGE_SIZE, SRC_RW, 2); /* two writable regions */
	assert_share_refused(DST_NEXT + PAGE_SIZE, SRC_RW, 1); /* just past the second */
	assert_share_refused(DST_RW - PAGE_SIZE, SRC_RW, 2);   /* starts before it */
	assert_share_refused(DST_RW, SRC_RW, NPAGES + 2);      /* too long for both */
	assert_true(pte_of(&src, SRC_RW) & PTE_W);             /* src still private */
}

static void test_share_refuses_src_not_in_one_region(void **state)
{
	(void)state;
	assert_share_refused(DST_RW, HOLE, 1);
	assert_share_refused(DST_RW, SRC_RW + (NPAGES - 1) * PAGE_SIZE, 2);
	assert_share_refused(DST_RW, SRC_RO + PAGE_SIZE, 2);
	assert_false(pte_of(&src, SRC_RW + (NPAGES - 1) * PAGE_SIZE) & PTE_P);
}

/* npages << PAGE_SHIFT must not wrap to a length that passes the checks:
 * here 2^20 + 1 pages look like one, which fits the one-page DST_NEXT. */
static void test_share_refuses_page_count_whose_length_wraps(void **state)
{
	(void)state;
	int err = vmm_share(&dst, DST_NEXT, &src, SRC_RW, (1u << 20) + 1);
	pte_t beyond = pte_of(&dst, DST_NEXT + PAGE_SIZE); /* in no region of dst */
	if (beyond & PTE_P)
		fail_msg("vmm_share returned %d but mapped %#x, outside every dst region", err,
		         DST_NEXT + PAGE_SIZE);
	assert_int_equal(err, -EFAULT);
	assert_false(pte_of(&dst, DST_NEXT) & PTE_P);
}

static void test_share_of_readonly_source_stays_readonly(void **state)
{
	(void)state;
	assert_int_equal(vmm_load(&src, SRC_RO, pattern, 2 * PAGE_SIZE), 0);
	assert_int_equal(vmm_share(&dst, DST_RW, &src, SRC_RO, 2), 0);
	for (uint32_t i = 0; i < 2; i++) {
		pte_t e = pte_of(&src, SRC_RO + i * PAGE_SIZE);
		assert_int_equal(FLAGS(e) & ~PTE_COW, PTE_P | PTE_U);
		assert_int_equal(frame_of(&dst, DST_RW + i * PAGE_SIZE), PTE_ADDR(e));
	}
	assert_int_equal(vmm_fault(&src, SRC_RO, 1), -EFAULT);
	assert_int_equal(copy_out(&src, SRC_RO, "x", 1), -EFAULT);
	put_pattern(&dst, DST_RW, 2 * PAGE_SIZE, 0x11); /* dst's copy is its own */
	assert_true(has_pattern(&src, SRC_RO, 2 * PAGE_SIZE, 0));
	assert_false(pte_of(&src, SRC_RO) & PTE_W);
}

static void test_write_in_dst_after_share_is_private(void **state)
{
	(void)state;
	put_pattern(&src, SRC_RW, 2 * PAGE_SIZE, 0);
	assert_int_equal(vmm_share(&dst, DST_RW, &src, SRC_RW, 2), 0);
	paddr_t shared = frame_of(&src, SRC_RW);
	put_pattern(&dst, DST_RW, PAGE_SIZE, 0x22);
	assert_int_not_equal(frame_of(&dst, DST_RW), shared);
	assert_int_equal(FLAGS(pte_of(&dst, DST_RW)), PTE_P | PTE_U | PTE_W);
	assert_true(has_pattern(&dst, DST_RW, PAGE_SIZE, 0x22));
	assert_true(has_pattern(&src, SRC_RW, 2 * PAGE_SIZE, 0));
	assert_int_equal(frame_refcount(shared), 1);
	/* src is now the only user: its write takes the frame back, no copy. */
	uint32_t free0 = frame_free_count();
	put_pattern(&src, SRC_RW, 16, 0x33);
	assert_int_equal(frame_of(&src, SRC_RW), shared);
	assert_int_equal(frame_free_count(), free0);
}

static void test_write_in_src_after_share_is_private(void **state)
{
	(void)state;
	put_pattern(&src, SRC_RW, 2 * PAGE_SIZE, 0);
	assert_int_equal(vmm_share(&dst, DST_RW, &src, SRC_RW, 2), 0);
	put_pattern(&src, SRC_RW + PAGE_SIZE - 8, 16, 0x44); /* ends of both pages */
	assert_true(has_pattern(&src, SRC_RW + PAGE_SIZE - 8, 16, 0x44));
	assert_true(has_pattern(&dst, DST_RW, 2 * PAGE_SIZE, 0));
	assert_int_not_equal(frame_of(&src, SRC_RW), frame_of(&dst, DST_RW));
	assert_int_not_equal(frame_of(&src, SRC_RW + PAGE_SIZE),
	                     frame_of(&dst, DST_RW + PAGE_SIZE));
}

static void test_share_across_page_table_boundaries(void **state)
{
	(void)state;
	static const struct {
		uint32_t src_va, dst_va;
	} cases[] = {
	        {0x403fe000u, 0x50000000u}, /* src crosses 4 MiB */
	        {0x40000000u, 0x503fd000u}, /* dst crosses */
	        {0x403ff000u, 0x503fd000u}, /* both, at different pages */
	};
	for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
		uint32_t s = cases[c].src_va, d = cases[c].dst_va;
		add_region(&src, s, s + 4 * PAGE_SIZE, VM_READ | VM_WRITE);
		add_region(&dst, d, d + 4 * PAGE_SIZE, VM_READ | VM_WRITE);
		put_pattern(&src, s, 4 * PAGE_SIZE, (uint8_t)c);
		assert_int_equal(vmm_share(&dst, d, &src, s, 4), 0);
		for (uint32_t i = 0; i < 4; i++)
			if (frame_of(&dst, d + i * PAGE_SIZE) != frame_of(&src, s + i * PAGE_SIZE))
				fail_msg("case %zu: page %u is not shared", c, i);
		assert_true(has_pattern(&dst, d, 4 * PAGE_SIZE, (uint8_t)c));
		assert_int_equal(aspace_remove_region(&src, s), 0);
		assert_int_equal(aspace_remove_region(&dst, d), 0);
	}
}

static void test_second_share_over_same_dst_releases_the_first(void **state)
{
	(void)state;
	put_pattern(&src, SRC_RW, 6 * PAGE_SIZE, 0);
	assert_int_equal(vmm_share(&dst, DST_RW, &src, SRC_RW, 3), 0);
	assert_int_equal(vmm_share(&dst, DST_RW, &src, SRC_RW + 3 * PAGE_SIZE, 3), 0);
	for (uint32_t i = 0; i < 3; i++) {
		assert_int_equal(frame_refcount(frame_of(&src, SRC_RW + i * PAGE_SIZE)), 1);
		assert_int_equal(frame_of(&dst, DST_RW + i * PAGE_SIZE),
		                 frame_of(&src, SRC_RW + (i + 3) * PAGE_SIZE));
	}
	assert_int_equal(copy_in(&dst, buf, DST_RW, 3 * PAGE_SIZE), 0);
	assert_memory_equal(buf, pattern + 3 * PAGE_SIZE, 3 * PAGE_SIZE); /* the second three */
	aspace_destroy(&src);
	aspace_destroy(&dst);
	assert_int_equal(frame_free_count(), free_at_start);
}

/* ---- vmm_unmap ---- */

static void test_unmap_drops_present_pages_and_skips_holes(void **state)
{
	(void)state;
	put_pattern(&dst, DST_RW, 16, 0);
	put_pattern(&dst, DST_RW + 2 * PAGE_SIZE, 16, 0); /* page 1 is a hole */
	uint32_t free0 = frame_free_count();
	vmm_unmap(&dst, DST_RW, 4 * PAGE_SIZE);
	assert_int_equal(frame_free_count(), free0 + 2);
	for (uint32_t i = 0; i < 4; i++)
		assert_int_equal(pte_of(&dst, DST_RW + i * PAGE_SIZE), 0);
	vmm_unmap(&dst, HOLE, 2 * BIG_PAGE); /* no page tables at all */
	assert_int_equal(frame_free_count(), free0 + 2);
	assert_int_equal(copy_in(&dst, buf, DST_RW, 16), 0); /* demand-zero again */
	assert_int_equal(buf[0], 0);
}

static void test_unmap_of_shared_page_leaves_the_other_side(void **state)
{
	(void)state;
	put_pattern(&src, SRC_RW, PAGE_SIZE, 0);
	assert_int_equal(vmm_share(&dst, DST_RW, &src, SRC_RW, 1), 0);
	paddr_t pa = frame_of(&src, SRC_RW);
	vmm_unmap(&dst, DST_RW, PAGE_SIZE);
	assert_int_equal(frame_refcount(pa), 1);
	assert_true(has_pattern(&src, SRC_RW, PAGE_SIZE, 0));
}

/* ---- vmm_copy between address spaces ---- */

static void test_vmm_copy_round_trip(void **state)
{
	(void)state;
	put_pattern(&src, SRC_RW, 3 * PAGE_SIZE, 0);
	assert_int_equal(vmm_copy(&dst, DST_RW, &src, SRC_RW, 3 * PAGE_SIZE), 0);
	assert_true(has_pattern(&dst, DST_RW, 3 * PAGE_SIZE, 0));
	assert_int_not_equal(frame_of(&dst, DST_RW), frame_of(&src, SRC_RW)); /* a copy */
	assert_int_equal(vmm_copy(&src, SRC_RW + 4 * PAGE_SIZE, &dst, DST_RW, 3 * PAGE_SIZE), 0);
	assert_true(has_pattern(&src, SRC_RW + 4 * PAGE_SIZE, 3 * PAGE_SIZE, 0));
}

static void test_vmm_copy_with_different_page_offsets(void **state)
{
	(void)state;
	static const struct {
		uint32_t soff, doff, len;
	} cases[] = {
	        {0x123, 0xf00, 3 * PAGE_SIZE + 0x345}, /* dst pages turn over first */
	        {0xfff, 0x001, 2 * PAGE_SIZE + 2},     /* src turns over after a byte */
	        {0x001, 0xfff, 2 * PAGE_SIZE + 2},     /* dst turns over after a byte */
	        {0x800, 0x800, 4 * PAGE_SIZE},         /* same offset: whole pieces */
	        {0x000, 0x7ff, 5 * PAGE_SIZE - 1},     /* src whole pages, dst mid-page */
	};
	for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
		uint32_t s = SRC_RW + cases[c].soff, d = DST_RW + cases[c].doff, n = cases[c].len;
		uint8_t salt = (uint8_t)(c * 3 + 1);
		put_pattern(&src, s, n, salt);
		assert_int_equal(zero_out(&dst, DST_RW, NPAGES * PAGE_SIZE), 0);
		assert_int_equal(vmm_copy(&dst, d, &src, s, n), 0);
		if (!has_pattern(&dst, d, n, salt))
			fail_msg("case %zu: copied bytes differ", c);
		assert_int_equal(*mem_of(&dst, d - 1), 0); /* nothing outside moved */
		assert_int_equal(*mem_of(&dst, d + n), 0);
	}
}

static void test_vmm_copy_to_readonly_dst_is_efault(void **state)
{
	(void)state;
	put_pattern(&src, SRC_RW, 16, 0);
	assert_int_equal(vmm_copy(&dst, DST_RO, &src, SRC_RW, 16), -EFAULT);
	assert_int_equal(vmm_copy(&dst, DST_RW, &dst, DST_RO, 16), 0); /* reading it is fine */
	assert_int_equal(copy_in(&dst, buf, DST_RO, 16), 0);
	assert_int_equal(buf[0], 0);
}

static void test_vmm_copy_from_hole_is_efault(void **state)
{
	(void)state;
	assert_int_equal(vmm_copy(&dst, DST_RW, &src, HOLE, 16), -EFAULT);
	assert_int_equal(vmm_copy(&dst, DST_RW, &src, SRC_RW + NPAGES * PAGE_SIZE - 8, 16),
	                 -EFAULT); /* runs off the region's end */
	assert_int_equal(vmm_copy(&dst, DST_RW, &src, SRC_RO - 8, 16), -EFAULT); /* into one */
}

static void test_vmm_copy_of_bad_ranges_is_efault(void **state)
{
	(void)state;
	uint32_t free0 = frame_free_count();
	assert_int_equal(vmm_copy(&dst, 0xfffff000u, &src, SRC_RW, 0x2000), -EFAULT);
	assert_int_equal(vmm_copy(&dst, DST_RW, &src, 0xfffff000u, 0x2000), -EFAULT);
	assert_int_equal(vmm_copy(&dst, DST_RW, &src, SRC_RW, 0xffffffffu), -EFAULT);
	assert_int_equal(vmm_copy(&dst, USER_TOP - 4, &src, SRC_RW, 8), -EFAULT);
	assert_int_equal(vmm_copy(&dst, DST_RW, &src, USER_TOP, 4), -EFAULT);
	assert_int_equal(vmm_copy(&dst, 0, &src, SRC_RW, 4), -EFAULT);
	assert_int_equal(vmm_copy(&dst, DST_RW, &src, USER_BASE - 1, 2), -EFAULT);
	assert_int_equal(frame_free_count(), free0);
}

static void test_vmm_copy_into_cow_page_breaks_the_sharing(void **state)
{
	(void)state;
	put_pattern(&src, SRC_RW, 2 * PAGE_SIZE, 0);
	put_pattern(&src, SRC_RW + 4 * PAGE_SIZE, 32, 0x55);
	assert_int_equal(vmm_share(&dst, DST_RW, &src, SRC_RW, 2), 0);
	paddr_t shared = frame_of(&src, SRC_RW + PAGE_SIZE);
	uint32_t d = DST_RW + PAGE_SIZE - 16; /* across both shared pages */
	assert_int_equal(vmm_copy(&dst, d, &src, SRC_RW + 4 * PAGE_SIZE, 32), 0);
	assert_true(has_pattern(&dst, d, 32, 0x55));
	assert_true(has_pattern(&src, SRC_RW, 2 * PAGE_SIZE, 0));
	assert_int_not_equal(frame_of(&dst, DST_RW + PAGE_SIZE), shared);
	assert_int_equal(FLAGS(pte_of(&dst, DST_RW)), PTE_P | PTE_U | PTE_W);
	assert_int_equal(frame_refcount(shared), 1);
}

static void test_vmm_copy_from_shared_page_onto_itself(void **state)
{
	(void)state;
	put_pattern(&src, SRC_RW, PAGE_SIZE, 0);
	assert_int_equal(vmm_share(&dst, DST_RW, &src, SRC_RW, 1), 0);
	/* Source and destination are one frame until the write breaks it. */
	assert_int_equal(vmm_copy(&dst, DST_RW, &src, SRC_RW, PAGE_SIZE), 0);
	assert_true(has_pattern(&dst, DST_RW, PAGE_SIZE, 0));
	assert_true(has_pattern(&src, SRC_RW, PAGE_SIZE, 0));
	assert_int_not_equal(frame_of(&dst, DST_RW), frame_of(&src, SRC_RW));
}

/* ---- aspace_alloc_region and aspace_remove_region ---- */

static void add_stack(struct aspace *as)
{
	add_region(as, STACK_LOW, USER_STACK_TOP, VM_READ | VM_WRITE);
}

static void test_alloc_region_gives_aligned_disjoint_ranges_above_base(void **state)
{
	(void)state;
	static const uint32_t lens[] = {1, 0x1800, PAGE_SIZE, 3 * PAGE_SIZE + 1, 0x100000};
	uint32_t start[5];
	add_stack(&src);
	for (int i = 0; i < 5; i++) {
		start[i] = aspace_alloc_region(&src, lens[i], VM_READ | VM_WRITE);
		assert_true(start[i] >= VM_ALLOC_BASE);
		assert_int_equal(start[i] & PAGE_MASK, 0);
		const struct region *r = aspace_find_region(&src, start[i]);
		assert_non_null(r);
		assert_int_equal(r->start, start[i]);
		assert_int_equal(r->end, start[i] + PAGE_UP(lens[i]));
		assert_int_equal(r->prot, VM_READ | VM_WRITE);
		assert_true(r->end <= STACK_LOW);
		for (int j = 0; j < i; j++) /* disjoint from every earlier one */
			assert_true(start[i] >= start[j] + PAGE_UP(lens[j]) ||
			            start[j] >= start[i] + PAGE_UP(lens[i]));
	}
	assert_int_equal(start[0], VM_ALLOC_BASE); /* first fit */
}

static void test_alloc_region_skips_existing_regions(void **state)
{
	(void)state;
	const uint32_t B = VM_ALLOC_BASE, P = PAGE_SIZE;
	add_region(&src, B - P, B + 3 * P, VM_READ); /* straddles the base */
	add_region(&src, B + 4 * P, B + 5 * P, VM_READ);
	assert_int_equal(aspace_alloc_region(&src, 2 * P, VM_READ), B + 5 * P); /* gap too small */
	assert_int_equal(aspace_alloc_region(&src, P, VM_READ), B + 3 * P);     /* fits the gap */
	assert_int_equal(aspace_alloc_region(&src, P, VM_READ), B + 7 * P);
}

static void test_alloc_region_of_nothing_or_too_much_is_0(void **state)
{
	(void)state;
	add_stack(&src);
	const uint32_t room = STACK_LOW - VM_ALLOC_BASE;
	assert_int_equal(aspace_alloc_region(&src, 0, VM_READ), 0);
	assert_int_equal(aspace_alloc_region(&src, room + 1, VM_READ), 0);
	assert_int_equal(aspace_alloc_region(&src, 0xffffffffu, VM_READ), 0); /* PAGE_UP wraps */
	assert_int_equal(aspace_alloc_region(&src, room, VM_READ), VM_ALLOC_BASE); /* exact fit */
	assert_int_equal(aspace_alloc_region(&src, 1, VM_READ), 0);                /* now full */
}

static void test_alloc_region_when_region_table_is_full_is_0(void **state)
{
	(void)state;
	while (src.nregions < ASPACE_MAX_REGIONS)
		assert_true(aspace_alloc_region(&src, PAGE_SIZE, VM_READ) != 0);
	assert_int_equal(aspace_alloc_region(&src, PAGE_SIZE, VM_READ), 0);
}

/* Without a stack region, a region reaching past the stack's bottom must
 * not lead alloc to hand out the stack's range. */
static void test_alloc_region_never_returns_stack_range(void **state)
{
	(void)state;
	add_region(&src, VM_ALLOC_BASE, STACK_LOW - PAGE_SIZE, VM_READ);
	add_region(&src, STACK_LOW - PAGE_SIZE, STACK_LOW + PAGE_SIZE, VM_READ);
	uint32_t va = aspace_alloc_region(&src, PAGE_SIZE, VM_READ);
	if (va)
		fail_msg("alloc returned %#x, at or above the stack bottom %#x", va, STACK_LOW);
}

static void test_remove_region_unmaps_its_pages(void **state)
{
	(void)state;
	uint32_t va = aspace_alloc_region(&src, 3 * PAGE_SIZE, VM_READ | VM_WRITE);
	assert_int_equal(va, VM_ALLOC_BASE);
	assert_int_equal(copy_out(&src, va, pattern, 16), 0); /* the page table and page 0 */
	uint32_t free0 = frame_free_count();
	put_pattern(&src, va + PAGE_SIZE, 2 * PAGE_SIZE, 0);
	assert_int_equal(frame_free_count(), free0 - 2);
	assert_int_equal(aspace_remove_region(&src, va), 0);
	assert_int_equal(frame_free_count(), free0 + 1); /* page 0 too; the table stays */
	assert_null(aspace_find_region(&src, va));
	assert_int_equal(pte_of(&src, va + PAGE_SIZE), 0);
	assert_int_equal(copy_in(&src, buf, va, 1), -EFAULT);
}

static void test_remove_region_needs_its_start(void **state)
{
	(void)state;
	put_pattern(&src, SRC_RW, 2 * PAGE_SIZE, 0);
	int n = src.nregions;
	assert_int_equal(aspace_remove_region(&src, SRC_RW + PAGE_SIZE), -EINVAL);
	assert_int_equal(aspace_remove_region(&src, SRC_RW + 1), -EINVAL);
	assert_int_equal(aspace_remove_region(&src, HOLE), -EINVAL);
	assert_int_equal(src.nregions, n);
	assert_true(has_pattern(&src, SRC_RW, 2 * PAGE_SIZE, 0));
}

/* ---- the frame limit ---- */

static void test_frames_held_counts_directory_tables_and_pages(void **state)
{
	(void)state;
	assert_int_equal(dst.nframes, 1); /* the directory */
	assert_int_equal(vmm_fault(&dst, DST_RW, 1), 0);
	assert_int_equal(dst.nframes, 3); /* + a page table + the page */
	assert_int_equal(vmm_fault(&dst, DST_RW + PAGE_SIZE, 0), 0);
	assert_int_equal(dst.nframes, 4);
	vmm_unmap(&dst, DST_RW, PAGE_SIZE);
	assert_int_equal(dst.nframes, 3);
	put_pattern(&src, SRC_RW, 2 * PAGE_SIZE, 0);
	assert_int_equal(vmm_share(&dst, DST_RW, &src, SRC_RW, 2), 0);
	assert_int_equal(dst.nframes, 4); /* one page new, one replaced */
	assert_int_equal(vmm_fault(&dst, DST_RW, 1), 0);
	assert_int_equal(dst.nframes, 4); /* a copy-on-write break holds as many */
}

static void test_fault_over_the_limit_is_enomem_reported_once(void **state)
{
	(void)state;
	dst.frame_limit = dst.nframes + 2; /* a page table and one page */
	host_limit_reports = 0;
	uint32_t free_before = frame_free_count();
	assert_int_equal(vmm_fault(&dst, DST_RW, 1), 0);
	assert_int_equal(vmm_fault(&dst, DST_RW + PAGE_SIZE, 1), -ENOMEM);
	assert_int_equal(vmm_fault(&dst, DST_RW + PAGE_SIZE, 0), -ENOMEM);
	assert_int_equal(host_limit_reports, 1);
	assert_ptr_equal(host_limit_space, &dst);
	assert_int_equal(frame_free_count(), free_before - 2);
	assert_int_equal(dst.nframes, dst.frame_limit);
	vmm_unmap(&dst, DST_RW, PAGE_SIZE); /* given back: room again */
	assert_int_equal(vmm_fault(&dst, DST_RW + PAGE_SIZE, 1), 0);
}

static void test_page_table_over_the_limit_is_enomem(void **state)
{
	(void)state;
	dst.frame_limit = dst.nframes + 1; /* room for a page, none for its table */
	assert_int_equal(vmm_fault(&dst, DST_RW, 1), -ENOMEM);
	assert_int_equal(dst.pd[PDX(DST_RW)], 0);
	assert_int_equal(dst.nframes, 1);
}

static void test_copy_over_the_limit_is_enomem(void **state)
{
	(void)state;
	dst.frame_limit = dst.nframes + 2;
	assert_int_equal(copy_out(&dst, DST_RW, pattern, 2 * PAGE_SIZE), -ENOMEM);
	assert_int_equal(zero_out(&dst, DST_RW + PAGE_SIZE, 1), -ENOMEM);
	put_pattern(&src, SRC_RW, 2 * PAGE_SIZE, 0);
	assert_int_equal(vmm_copy(&dst, DST_RW + 1, &src, SRC_RW, PAGE_SIZE), -ENOMEM);
	assert_int_equal(copy_out(&dst, DST_RW, pattern, 16), 0); /* its one page */
}

static void test_share_over_the_limit_is_enomem_after_a_prefix(void **state)
{
	(void)state;
	put_pattern(&src, SRC_RW, 4 * PAGE_SIZE, 0);
	dst.frame_limit = dst.nframes + 3; /* a page table and two pages */
	assert_int_equal(vmm_share(&dst, DST_RW, &src, SRC_RW, 4), -ENOMEM);
	assert_int_equal(dst.nframes, dst.frame_limit);
	assert_int_equal(frame_of(&dst, DST_RW + PAGE_SIZE), frame_of(&src, SRC_RW + PAGE_SIZE));
	assert_int_equal(pte_of(&dst, DST_RW + 2 * PAGE_SIZE) & PTE_P, 0);
	assert_int_equal(frame_refcount(frame_of(&src, SRC_RW + 2 * PAGE_SIZE)), 1);
	/* Over pages already there, a share needs nothing more. */
	assert_int_equal(vmm_share(&dst, DST_RW, &src, SRC_RW, 2), 0);
}

static void test_clone_over_the_limit_is_enomem(void **state)
{
	(void)state;
	struct aspace c;
	put_pattern(&src, SRC_RW, 4 * PAGE_SIZE, 0);
	assert_int_equal(aspace_create(&c), 0);
	c.frame_limit = 4; /* the directory, a page table, two of four pages */
	assert_int_equal(vmm_clone(&c, &src), -ENOMEM);
	assert_int_equal(c.nframes, 4);
	assert_int_equal(c.nframes, frames_held(&c));
	aspace_destroy(&c);
}

/* ---- device pages (vmm/device.c) ---- */

#define DEV_PA 0x00c00000u /* in the arena, above the allocator's MEM: not RAM */

/* Mapped uncached and present, charged nothing but the page table; the
 * copies, sharing and clone refuse or skip them; unmapping and the
 * teardown's aspace_destroy free no frame for them (frame_free would
 * panic: DEV_PA is no frame). */
static void test_device_pages_are_no_frames(void **state)
{
	(void)state;
	uint32_t held = src.nframes;
	uint32_t va = vmm_map_device(&src, DEV_PA, 2 * PAGE_SIZE);
	assert_int_not_equal(va, 0);
	for (uint32_t k = 0; k < 2; k++) {
		pte_t e = pte_of(&src, va + k * PAGE_SIZE);
		assert_int_equal(PTE_ADDR(e), DEV_PA + k * PAGE_SIZE);
		assert_int_equal(e & (PTE_P | PTE_W | PTE_U | PTE_PCD | PTE_PWT | PTE_DEV),
		                 PTE_P | PTE_W | PTE_U | PTE_PCD | PTE_PWT | PTE_DEV);
	}
	assert_int_equal(src.nframes, held + 1); /* its page table only */
	assert_int_equal(vmm_fault(&src, va, 1), 0);
	assert_int_equal(vmm_fault(&src, va + 2 * PAGE_SIZE, 0), -EFAULT);
	assert_int_equal(copy_in(&src, buf, va, 4), -EFAULT);
	assert_int_equal(copy_out(&src, va + PAGE_SIZE, pattern, 4), -EFAULT);
	assert_int_equal(vmm_share(&dst, DST_RW, &src, va, 1), -EFAULT);
	struct aspace copy;
	assert_int_equal(aspace_create(&copy), 0);
	assert_int_equal(vmm_clone(&copy, &src), 0);
	assert_null(aspace_find_region(&copy, va));
	aspace_destroy(&copy);
	assert_int_equal(aspace_remove_region(&src, va), 0);
	assert_int_equal(pte_of(&src, va), 0);
	assert_int_equal(src.nframes, held + 1);
	assert_int_not_equal(vmm_map_device(&src, DEV_PA, PAGE_SIZE), 0); /* for the teardown */
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
	        T(test_cow_write_with_one_user_makes_same_frame_writable),
	        T(test_cow_write_with_two_users_copies_the_frame),
	        T(test_cow_read_fault_keeps_the_sharing),
	        T(test_cow_break_out_of_memory_changes_nothing),
	        T(test_share_maps_same_frames_cow_on_both_sides),
	        T(test_share_of_a_full_frame_maps_a_copy),
	        T(test_clone_shares_present_pages),
	        T(test_share_frees_frames_dst_had_there),
	        T(test_share_faults_in_untouched_source_pages),
	        T(test_share_refuses_dst_not_in_one_writable_region),
	        T(test_share_refuses_src_not_in_one_region),
	        T(test_share_refuses_page_count_whose_length_wraps),
	        T(test_share_of_readonly_source_stays_readonly),
	        T(test_write_in_dst_after_share_is_private),
	        T(test_write_in_src_after_share_is_private),
	        T(test_share_across_page_table_boundaries),
	        T(test_second_share_over_same_dst_releases_the_first),
	        T(test_unmap_drops_present_pages_and_skips_holes),
	        T(test_unmap_of_shared_page_leaves_the_other_side),
	        T(test_vmm_copy_round_trip),
	        T(test_vmm_copy_with_different_page_offsets),
	        T(test_vmm_copy_to_readonly_dst_is_efault),
	        T(test_vmm_copy_from_hole_is_efault),
	        T(test_vmm_copy_of_bad_ranges_is_efault),
	        T(test_vmm_copy_into_cow_page_breaks_the_sharing),
	        T(test_vmm_copy_from_shared_page_onto_itself),
	        T(test_alloc_region_gives_aligned_disjoint_ranges_above_base),
	        T(test_alloc_region_skips_existing_regions),
	        T(test_alloc_region_of_nothing_or_too_much_is_0),
	        T(test_alloc_region_when_region_table_is_full_is_0),
	        T(test_alloc_region_never_returns_stack_range),
	        T(test_remove_region_unmaps_its_pages),
	        T(test_remove_region_needs_its_start),
	        T(test_frames_held_counts_directory_tables_and_pages),
	        T(test_fault_over_the_limit_is_enomem_reported_once),
	        T(test_page_table_over_the_limit_is_enomem),
	        T(test_copy_over_the_limit_is_enomem),
	        T(test_share_over_the_limit_is_enomem_after_a_prefix),
	        T(test_clone_over_the_limit_is_enomem),
	        T(test_device_pages_are_no_frames),
	};
	return cmocka_run_group_tests_name("share", tests, NULL, NULL);
}
