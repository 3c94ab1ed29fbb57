/* SPDX-License-Identifier: MIT */
/*
 * Page-table helpers for the user half of an address space: look up, create,
 * map, and free everything. The nucleus half (PDEs 768..1023) is 4 MiB
 * global pages shared by every directory and is never touched here.
 *
 * Entry points: pt_ensure, pt_map, pt_free_user (pt_lookup is inline in vmm.h).
 */
#include "vmm/vmm.h"
#include "nucleus/panic.h"
#include <sprig/errno.h>

/* Returns the PTE for a user va, allocating its page table if needed;
 * NULL when memory is out. */
pte_t *pt_ensure(pde_t *pd, uint32_t va)
{
	assert(PDX(va) < USER_PDES);
	if (!(pd[PDX(va)] & PTE_P)) {
		paddr_t pa = frame_alloc();
		if (!pa)
			return NULL;
		/* Permissions are decided per page; the PDE allows everything. */
		pd[PDX(va)] = pa | PTE_P | PTE_W | PTE_U;
	}
	return pt_lookup(pd, va);
}

/* Maps the frame pa at va with flags (PTE_W, PTE_U), replacing nothing:
 * mapping over a present page is a bug. Returns 0 or -ENOMEM. */
int pt_map(pde_t *pd, uint32_t va, paddr_t pa, uint32_t flags)
{
	pte_t *pte = pt_ensure(pd, va);
	if (!pte)
		return -ENOMEM;
	assert(!(*pte & PTE_P));
	*pte = PTE_ADDR(pa) | flags | PTE_P;
	return 0;
}

/* Drops every user frame and page table of pd; the directory itself stays. */
void pt_free_user(pde_t *pd)
{
	for (uint32_t i = 0; i < USER_PDES; i++) {
		if (!(pd[i] & PTE_P))
			continue;
		pte_t *pt = PHYS_TO_VIRT(PTE_ADDR(pd[i]));
		for (uint32_t j = 0; j < PT_ENTRIES; j++)
			if ((pt[j] & (PTE_P | PTE_DEV | PTE_OBJ)) == PTE_P)
				frame_free(PTE_ADDR(pt[j])); /* device memory is no frame;
				                              * an object holds its own */
		frame_free(PTE_ADDR(pd[i]));
		pd[i] = 0;
	}
}
