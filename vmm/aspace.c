/* SPDX-License-Identifier: MIT */
/*
 * Address spaces: a page directory whose upper quarter is the nucleus's, and
 * a short list of user regions, each with its permissions. Pages of a region
 * appear on first touch (demand-zero) through vmm_fault(), which serves both
 * the page-fault handler and the checked user copies.
 *
 * A page marked PTE_COW is shared read-only with another mapping; the first
 * write to it gets a private copy (or the page itself, if no one else has it).
 * A region with a memory object (memobj.c) is shared memory: a fault there
 * maps the object's page, made on first use, which every mapper sees.
 *
 * Each space counts the frames it holds (vmm.h) and is refused any beyond
 * its limit (aspace_charge): that bounds a domain's memory, and how many
 * references to frames it can hold.
 *
 * Entry points: vmm_init, aspace_create, aspace_destroy, aspace_activate,
 * aspace_add_region, aspace_add_shared, aspace_alloc_region, aspace_remove_region,
 * aspace_find_region, aspace_charge, aspace_pte, vmm_fault, vmm_populate,
 * vmm_flush_page.
 */
#include "vmm/vmm.h"
#include "lib/c/libc.h"
#include "nucleus/panic.h"
#include <sprig/errno.h>
#include <sprig/syscall.h>

#ifndef SPRIG_HOST
#include "nucleus/x86.h"
#endif

/* The nucleus's own directory: only the direct map of physical memory. */
pde_t kernel_pd[PT_ENTRIES] __attribute__((aligned(PAGE_SIZE)));

#ifndef SPRIG_HOST
/* Maps physical [0, kmap_top) at KERNBASE with global 4 MiB pages and
 * switches to kernel_pd. Called once, before any domain exists. */
void vmm_init(paddr_t kmap_top)
{
	uint32_t a, b, c, d;
	cpuid(1, &a, &b, &c, &d);
	if (!(d & CPUID_EDX_PSE) || !(d & CPUID_EDX_PGE))
		panic("vmm_init: this CPU lacks 4 MiB pages (PSE) or global pages (PGE)");
	write_cr4(read_cr4() | CR4_PSE | CR4_PGE);
	for (paddr_t pa = 0; pa < kmap_top; pa += 0x400000)
		kernel_pd[PDX(KERNBASE + pa)] = pa | PTE_P | PTE_W | PTE_PS | PTE_G;
	write_cr3(V2P(kernel_pd));
}
#endif

/* Makes an empty address space sharing the nucleus mappings; -ENOMEM. */
int aspace_create(struct aspace *as)
{
	paddr_t pa = frame_alloc();
	if (!pa)
		return -ENOMEM;
	memset(as, 0, sizeof *as);
	as->cr3 = pa;
	as->pd = PHYS_TO_VIRT(pa);
	as->nframes = 1; /* the directory */
	memcpy(&as->pd[USER_PDES], &kernel_pd[USER_PDES], (PT_ENTRIES - USER_PDES) * sizeof(pde_t));
	return 0;
}

/* Returns every frame of the space. It must not be the current one. */
void aspace_destroy(struct aspace *as)
{
	if (!as->pd)
		return;
#ifndef SPRIG_HOST
	assert(read_cr3() != as->cr3);
#endif
	for (int i = 0; i < as->nregions; i++)
		if (as->regions[i].obj)
			memobj_unmap(as->regions[i].obj, as);
	pt_free_user(as->pd);
	frame_free(as->cr3);
	as->pd = NULL;
	as->cr3 = 0;
	as->nregions = 0;
	as->nframes = 0;
}

#ifndef SPRIG_HOST
void aspace_activate(const struct aspace *as)
{
	paddr_t cr3 = as ? as->cr3 : V2P(kernel_pd);
	if (read_cr3() != cr3)
		write_cr3(cr3);
}

/* Drops a stale TLB entry after a PTE changed, if as is the current space
 * (another space's entries were flushed when we left it). */
void vmm_flush_page(const struct aspace *as, uint32_t va)
{
	if (read_cr3() == as->cr3)
		invlpg(va);
}
/* Drops every non-global TLB entry if as is the current space. */
void vmm_flush_all(const struct aspace *as)
{
	if (read_cr3() == as->cr3)
		write_cr3(as->cr3);
}
#else
void vmm_flush_page(const struct aspace *as, uint32_t va)
{
	(void)as;
	(void)va;
}

void vmm_flush_all(const struct aspace *as)
{
	(void)as;
}
#endif

/* Adds [start, end) with prot. It must be page aligned, inside user space
 * and overlap no other region: -EINVAL otherwise, -ENOSPC when full. */
int aspace_add_region(struct aspace *as, uint32_t start, uint32_t end, uint32_t prot)
{
	if ((start | end) & PAGE_MASK || start < USER_BASE || end > USER_TOP || start >= end)
		return -EINVAL;
	for (int i = 0; i < as->nregions; i++)
		if (start < as->regions[i].end && as->regions[i].start < end)
			return -EINVAL;
	if (as->nregions == ASPACE_MAX_REGIONS)
		return -ENOSPC;
	as->regions[as->nregions++] = (struct region){start, end, prot, NULL};
	return 0;
}

/* Adds a region like r, which maps a memory object, mapping the same
 * object (one more reference to it), its pages faulted in on first touch.
 * 0, or aspace_add_region's errors, or -ENOMEM when the object has all
 * the mappers it can count. */
int aspace_add_shared(struct aspace *as, const struct region *r)
{
	int err = aspace_add_region(as, r->start, r->end, r->prot);
	if (err < 0)
		return err;
	if ((err = memobj_map(r->obj, as)) < 0) {
		as->nregions--;
		return err;
	}
	as->regions[as->nregions - 1].obj = r->obj;
	return 0;
}

/* Finds room for len bytes (rounded up to pages) at or above VM_ALLOC_BASE,
 * below the stack, and adds a region there. Returns its start, or 0. */
uint32_t aspace_alloc_region(struct aspace *as, uint32_t len, uint32_t prot)
{
	uint32_t size = PAGE_UP(len), start = VM_ALLOC_BASE;
	const uint32_t limit = USER_STACK_TOP - USER_STACK_SIZE;
	if (len == 0 || size < len)
		return 0;
	for (int i = 0; i < as->nregions; i++) {
		const struct region *r = &as->regions[i];
		if (start > limit || size > limit - start)
			return 0;
		if (start < r->end && r->start < start + size) {
			start = r->end; /* move past it and check every region again */
			i = -1;
		}
	}
	if (start > limit || size > limit - start ||
	    aspace_add_region(as, start, start + size, prot) < 0)
		return 0;
	return start;
}

/* Removes the region that starts at start, returning its pages. */
int aspace_remove_region(struct aspace *as, uint32_t start)
{
	for (int i = 0; i < as->nregions; i++) {
		struct region *r = &as->regions[i];
		if (r->start != start)
			continue;
		vmm_unmap(as, r->start, r->end - r->start);
		if (r->obj)
			memobj_unmap(r->obj, as);
		*r = as->regions[--as->nregions];
		return 0;
	}
	return -EINVAL;
}

const struct region *aspace_find_region(const struct aspace *as, uint32_t va)
{
	for (int i = 0; i < as->nregions; i++)
		if (va >= as->regions[i].start && va < as->regions[i].end)
			return &as->regions[i];
	return NULL;
}

/* Counts n more frames as held by as. Returns 0, or -ENOMEM when that
 * would pass its limit (vmm_limit_reached hears of the first refusal). */
int aspace_charge(struct aspace *as, uint32_t n)
{
	if (as->frame_limit && (uint64_t)as->nframes + n > as->frame_limit) {
		if (!as->limit_reported) {
			as->limit_reported = 1;
			vmm_limit_reached(as);
		}
		return -ENOMEM;
	}
	as->nframes += n;
	return 0;
}

/* The PTE for user va in as, making its page table (a frame charged to as)
 * if there is none. NULL with *err = -ENOMEM over the limit or when memory
 * is out. */
pte_t *aspace_pte(struct aspace *as, uint32_t va, int *err)
{
	if (as->pd[PDX(va)] & PTE_P)
		return pt_lookup(as->pd, va);
	if ((*err = aspace_charge(as, 1)) < 0)
		return NULL;
	pte_t *pte = pt_ensure(as->pd, va);
	if (!pte) {
		as->nframes--;
		*err = -ENOMEM;
	}
	return pte;
}

/* Gives the copy-on-write page at *pte its own frame and makes it writable. */
static int cow_break(struct aspace *as, pte_t *pte, uint32_t va)
{
	paddr_t old = PTE_ADDR(*pte);
	if (frame_refcount(old) > 1) {
		paddr_t copy = frame_alloc();
		if (!copy)
			return -ENOMEM;
		memcpy(PHYS_TO_VIRT(copy), PHYS_TO_VIRT(old), PAGE_SIZE);
		frame_free(old);
		old = copy;
	}
	*pte = old | PTE_P | PTE_U | PTE_W;
	vmm_flush_page(as, PAGE_DOWN(va));
	return 0;
}

/* Maps the page of va's memory object at va (made on first use, charged
 * to the object's payer). 0 or -ENOMEM (its page table here, or the page,
 * over a limit or memory out). */
static int fault_shared(struct aspace *as, const struct region *r, uint32_t va)
{
	int err = 0;
	pte_t *pte = aspace_pte(as, va, &err);
	paddr_t pa = pte ? memobj_page(r->obj, (PAGE_DOWN(va) - r->start) >> PAGE_SHIFT, &err) : 0;
	if (!pa)
		return err;
	*pte = pa | PTE_P | PTE_U | ((r->prot & VM_WRITE) ? PTE_W : 0) | PTE_OBJ;
	return 0;
}

/* Resolves a user access to va: maps a zero page on first touch (in a
 * shared region, the object's page), or breaks copy-on-write sharing on a
 * write, if a region allows the access. Returns
 * 0, -EFAULT (no region, or not allowed), or -ENOMEM (memory is out, or the
 * page would pass the space's frame limit). A present page with the right
 * permission is simply accepted; a copy-on-write break holds as many
 * frames as before. */
int vmm_fault(struct aspace *as, uint32_t va, int write)
{
	const struct region *r = aspace_find_region(as, va);
	if (!r || (write && !(r->prot & VM_WRITE)))
		return -EFAULT;
	pte_t *pte = pt_lookup(as->pd, va);
	if (pte && (*pte & PTE_P)) {
		if (!write || (*pte & PTE_W))
			return 0;
		return (*pte & PTE_COW) ? cow_break(as, pte, va) : -EFAULT;
	}
	if (r->prot & VM_DEVICE)
		return -EFAULT; /* device pages are all there from the start */
	if (r->obj)
		return fault_shared(as, r, va);
	int err = aspace_charge(as, 1);
	if (err < 0)
		return err;
	paddr_t pa = frame_alloc();
	pte = pa ? aspace_pte(as, va, &err) : NULL;
	if (!pte) {
		if (pa)
			frame_free(pa);
		as->nframes--;
		return pa ? err : -ENOMEM;
	}
	*pte = pa | PTE_P | PTE_U | ((r->prot & VM_WRITE) ? PTE_W : 0);
	return 0;
}

/* Maps every page of [start, end) now, as a fault on each would. */
int vmm_populate(struct aspace *as, uint32_t start, uint32_t end)
{
	for (uint32_t va = PAGE_DOWN(start); va < end; va += PAGE_SIZE) {
		int err = vmm_fault(as, va, 0);
		if (err)
			return err;
	}
	return 0;
}
