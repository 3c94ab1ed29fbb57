/* SPDX-License-Identifier: MIT */
/*
 * Device memory in an address space: a physical range that is not RAM
 * (the device manager checks that: nucleus/devmgr.c) mapped uncached into
 * a region of its own (VM_DEVICE), every page present from the start and
 * marked PTE_DEV. Such pages are no frames: they are never charged to the
 * space's limit, never counted or freed (vmm_unmap, pt_free_user), never
 * copied or shared (vmm_clone leaves the region out, vmm_share and the
 * user copies refuse them), and never faulted in.
 *
 * Entry point: vmm_map_device.
 */
#include "vmm/vmm.h"
#include <sprig/errno.h>

/* Maps physical [pa, pa + len) (page aligned) into as at an address it
 * picks, user read/write, cache disabled. Returns that address, or 0 when
 * there is no room or a page table cannot be had (nothing is left mapped). */
uint32_t vmm_map_device(struct aspace *as, paddr_t pa, uint32_t len)
{
	uint32_t va = aspace_alloc_region(as, len, VM_READ | VM_WRITE | VM_DEVICE);
	if (!va)
		return 0;
	for (uint32_t off = 0; off < len; off += PAGE_SIZE) {
		int err;
		pte_t *pte = aspace_pte(as, va + off, &err);
		if (!pte) {
			aspace_remove_region(as, va); /* unmaps the pages done so far */
			return 0;
		}
		*pte = (pa + off) | PTE_P | PTE_W | PTE_U | PTE_PCD | PTE_PWT | PTE_DEV;
	}
	return va;
}
