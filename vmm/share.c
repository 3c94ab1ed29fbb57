/* SPDX-License-Identifier: MIT */
/*
 * Page sharing for bulk door transfers: the source's pages are mapped into
 * the destination copy-on-write instead of being copied, and unmapped when
 * the destination is done with them; for fork, a whole address space
 * cloned the same way; and for a shared fork, a clone whose regions but
 * the main stack are the same memory (memory objects, memobj.c).
 *
 * Entry points: vmm_share, vmm_unmap, vmm_clone, vmm_clone_shared.
 */
#include "vmm/vmm.h"
#include <sprig/errno.h>
#include <sprig/syscall.h>
#include "lib/c/libc.h"

/* The PTE of the page at va in src, made present and read-only
 * (copy-on-write if it was writable); NULL with *err = -EFAULT if src
 * cannot read it, or -ENOMEM if faulting it in failed so. The TLB is the
 * caller's to flush. */
static pte_t *share_source(struct aspace *src, uint32_t va, int *err)
{
	pte_t *pte = pt_lookup(src->pd, va);
	if (!pte || !(*pte & PTE_P)) {
		if ((*err = vmm_fault(src, va, 0)) < 0)
			return NULL;
		pte = pt_lookup(src->pd, va);
	}
	if (!(*pte & PTE_U) || (*pte & PTE_DEV)) {
		*err = -EFAULT; /* a nucleus page, or device memory (no frame) */
		return NULL;
	}
	if (*pte & PTE_W)
		*pte = (*pte & ~PTE_W) | PTE_COW;
	return pte;
}

/* Another mapping of the frame at pa for a sharer: pa itself with a new
 * reference, or, when pa has all the references a frame can count, a
 * private copy (*flags becomes writable: nobody else maps it). 0 on out of
 * memory. */
static paddr_t share_frame(paddr_t pa, uint32_t *flags)
{
	if (frame_ref(pa) == 0)
		return pa;
	paddr_t copy = frame_alloc();
	if (copy) {
		memcpy(PHYS_TO_VIRT(copy), PHYS_TO_VIRT(pa), PAGE_SIZE);
		*flags = (*flags & ~PTE_COW) | PTE_W;
	}
	return copy;
}

/* Maps the frame of the present source PTE *spte at *dpte in dst,
 * copy-on-write on both sides, replacing what dst had there (a new page is
 * charged to dst). 0, or -ENOMEM over dst's limit or when memory is out. */
static int share_page(struct aspace *dst, pte_t *dpte, pte_t *spte)
{
	int added = !(*dpte & PTE_P);
	if (added && aspace_charge(dst, 1) < 0)
		return -ENOMEM;
	if (*spte & PTE_W)
		*spte = (*spte & ~PTE_W) | PTE_COW;
	uint32_t flags = PTE_P | PTE_U | PTE_COW;
	paddr_t pa = share_frame(PTE_ADDR(*spte), &flags);
	if (!pa) {
		dst->nframes -= (uint32_t)added;
		return -ENOMEM;
	}
	if (!added)
		frame_free(PTE_ADDR(*dpte));
	*dpte = pa | flags;
	return 0;
}

/* Maps npages pages of src at src_va into dst at dst_va, copy-on-write on
 * both sides, replacing what dst had there. Both ranges must lie in one
 * region each, the destination's writable. A shared region on either side
 * is copied instead: its pages are the object's, which must neither turn
 * copy-on-write nor be replaced. Returns 0, -EFAULT or -ENOMEM (having
 * mapped a prefix). One TLB flush at the end, not one per page. */
int vmm_share(struct aspace *dst, uint32_t dst_va, struct aspace *src, uint32_t src_va,
              uint32_t npages)
{
	const struct region *dr = aspace_find_region(dst, dst_va);
	const struct region *sr = aspace_find_region(src, src_va);
	int err = 0;
	/* In pages, so that no count can wrap. */
	if (!dr || !(dr->prot & VM_WRITE) || (dr->prot & VM_DEVICE) ||
	    npages > (dr->end - dst_va) >> PAGE_SHIFT || !sr ||
	    npages > (sr->end - src_va) >> PAGE_SHIFT)
		return -EFAULT;
	if (dr->obj || sr->obj)
		return vmm_copy(dst, dst_va, src, src_va, npages << PAGE_SHIFT);
	while (npages && !err) {
		/* Within one page table on each side, walk the entries directly. */
		pte_t *spte = share_source(src, src_va, &err);
		pte_t *dpte = spte ? aspace_pte(dst, dst_va, &err) : NULL;
		uint32_t run = PT_ENTRIES - (PTX(src_va) > PTX(dst_va) ? PTX(src_va) : PTX(dst_va));
		if (!dpte)
			break;
		if (run > npages)
			run = npages;
		for (uint32_t k = 0; k < run && !err; k++, spte++, dpte++) {
			if (k && (*spte & (PTE_P | PTE_U | PTE_DEV)) != (PTE_P | PTE_U) &&
			    !(spte = share_source(src, src_va + k * PAGE_SIZE, &err)))
				break;
			err = share_page(dst, dpte, spte);
		}
		npages -= run;
		src_va += run * PAGE_SIZE;
		dst_va += run * PAGE_SIZE;
	}
	vmm_flush_all(src);
	vmm_flush_all(dst);
	return err;
}

/* Unmaps every present page in [va, va + len), dropping its frame (and
 * the space's count of frames held); device pages are no frames, and a
 * memory object's pages stay the object's. */
void vmm_unmap(struct aspace *as, uint32_t va, uint32_t len)
{
	for (uint32_t end = va + len; va < end; va += PAGE_SIZE) {
		pte_t *pte = pt_lookup(as->pd, va);
		if (!pte || !(*pte & PTE_P))
			continue;
		if (!(*pte & (PTE_DEV | PTE_OBJ))) {
			frame_free(PTE_ADDR(*pte));
			as->nframes--;
		}
		*pte = 0;
		vmm_flush_page(as, va);
	}
}

/* Copies region r of src into dst (which has a region like it, private):
 * present pages shared copy-on-write, or, for a shared region, copies of
 * the object's pages. Charged to dst. 0 or -ENOMEM. */
static int clone_private(struct aspace *dst, struct aspace *src, const struct region *r)
{
	int err = 0;
	if (r->obj)
		return memobj_copy_pages(r->obj, dst, r->start, r->prot);
	for (uint32_t va = r->start; va < r->end; va += PAGE_SIZE) {
		pte_t *spte = pt_lookup(src->pd, va);
		if (!spte)
			va = PAGE_DOWN(va | PT_SPAN_MASK); /* no page table: on to the next */
		if (!spte || !(*spte & PTE_P))
			continue;
		pte_t *dpte = aspace_pte(dst, va, &err);
		if (!dpte || (err = aspace_charge(dst, 1)) < 0)
			break;
		if (*spte & PTE_W)
			*spte = (*spte & ~PTE_W) | PTE_COW;
		uint32_t flags = PTE_P | PTE_U | (*spte & PTE_COW);
		paddr_t pa = share_frame(PTE_ADDR(*spte), &flags);
		if (!pa) {
			dst->nframes--;
			err = -ENOMEM;
			break;
		}
		if (!(r->prot & VM_WRITE))
			flags &= ~PTE_W; /* a private copy of read-only text stays read-only */
		*dpte = pa | flags;
	}
	return err;
}

/* Makes dst (new and empty) a copy-on-write copy of src for a fork: the
 * same regions, and every page src has mapped shared read-only until one
 * side writes to it; pages src never touched stay demand-zero in both. A
 * writable shared region of src is copied whole (the object's pages,
 * whoever touched them): dst must not see later writes to it; a read-only
 * one (a program's text, nucleus/image.c) maps the same object, since
 * nobody can write it and a copy could never differ. Device regions
 * (vmm_map_device) are left out: a device is its driver's. Every page and
 * page table is charged to dst, whose limit must be set first. Returns 0,
 * or -ENOMEM (memory out, or dst's limit passed) with dst holding a
 * partial copy for its owner to destroy. */
int vmm_clone(struct aspace *dst, struct aspace *src)
{
	int err = 0;
	for (int i = 0; i < src->nregions && !err; i++) {
		const struct region *r = &src->regions[i];
		if (r->prot & VM_DEVICE)
			continue;
		if (r->obj && !(r->prot & VM_WRITE)) {
			if (aspace_add_shared(dst, r) < 0)
				return -ENOMEM;
			continue;
		}
		if (aspace_add_region(dst, r->start, r->end, r->prot) < 0)
			return -ENOMEM;
		err = clone_private(dst, src, r);
	}
	vmm_flush_all(src);
	return err;
}

/* The region a boot module or DOM_LOAD gives the first thread's stack. */
static int is_main_stack(const struct region *r)
{
	return r->start == USER_STACK_TOP - USER_STACK_SIZE && r->end == USER_STACK_TOP;
}

/* Makes dst (new and empty) a shared clone of src (Sprite's shared fork):
 * every region of src but the main stack is turned shared, if it is not
 * already (memobj_from_region: src pays for its pages, once), and dst
 * maps the same memory object, so each sees every write of the other,
 * to pages either touches later too. The main stack is copied as
 * vmm_clone copies; device regions are left out. dst is charged its page
 * tables and its stack. Returns 0, or -ENOMEM (memory out, or a limit
 * passed: dst's, or src's for the objects) with dst holding a partial
 * copy for its owner to destroy (a region of src already turned shared
 * stays so: with src its only mapper, that is private memory still). */
int vmm_clone_shared(struct aspace *dst, struct aspace *src)
{
	int err = 0;
	for (int i = 0; i < src->nregions && !err; i++) {
		struct region *r = &src->regions[i];
		if (r->prot & VM_DEVICE)
			continue;
		if (is_main_stack(r)) {
			if (aspace_add_region(dst, r->start, r->end, r->prot) < 0)
				err = -ENOMEM;
			else
				err = clone_private(dst, src, r);
			continue;
		}
		if (!r->obj && (err = memobj_from_region(src, r)) < 0)
			break;
		if (aspace_add_shared(dst, r) < 0)
			err = -ENOMEM;
	}
	vmm_flush_all(src);
	return err;
}
