/* SPDX-License-Identifier: MIT */
/*
 * Page sharing for bulk door transfers: the source's pages are mapped into
 * the destination copy-on-write instead of being copied, and unmapped when
 * the destination is done with them.
 *
 * Entry points: vmm_share, vmm_unmap.
 */
#include "vmm/vmm.h"
#include <sprig/errno.h>

/* Makes the page at va in src present and read-only (copy-on-write if its
 * region is writable); returns its PTE, or NULL if src cannot read it. */
static pte_t *share_source(struct aspace *src, uint32_t va)
{
	if (vmm_fault(src, va, 0) < 0)
		return NULL;
	pte_t *pte = pt_lookup(src->pd, va);
	if (*pte & PTE_W) {
		*pte = (*pte & ~PTE_W) | PTE_COW;
		vmm_flush_page(src, va);
	}
	return pte;
}

/* Maps npages pages of src at src_va into dst at dst_va, copy-on-write on
 * both sides, replacing what dst had there. dst_va must lie in a writable
 * region of dst. Returns 0, or -EFAULT (having mapped a prefix). */
int vmm_share(struct aspace *dst, uint32_t dst_va, struct aspace *src, uint32_t src_va,
              uint32_t npages)
{
	for (uint32_t i = 0; i < npages; i++, src_va += PAGE_SIZE, dst_va += PAGE_SIZE) {
		const struct region *r = aspace_find_region(dst, dst_va);
		if (!r || !(r->prot & VM_WRITE))
			return -EFAULT;
		pte_t *spte = share_source(src, src_va);
		pte_t *dpte = pt_ensure(dst->pd, dst_va);
		if (!spte || !dpte)
			return spte ? -ENOMEM : -EFAULT;
		paddr_t pa = PTE_ADDR(*spte);
		frame_ref(pa);
		if (*dpte & PTE_P)
			frame_free(PTE_ADDR(*dpte));
		*dpte = pa | PTE_P | PTE_U | PTE_COW;
		vmm_flush_page(dst, dst_va);
	}
	return 0;
}

/* Unmaps every present page in [va, va + len), dropping its frame. */
void vmm_unmap(struct aspace *as, uint32_t va, uint32_t len)
{
	for (uint32_t end = va + len; va < end; va += PAGE_SIZE) {
		pte_t *pte = pt_lookup(as->pd, va);
		if (!pte || !(*pte & PTE_P))
			continue;
		frame_free(PTE_ADDR(*pte));
		*pte = 0;
		vmm_flush_page(as, va);
	}
}
