/* SPDX-License-Identifier: MIT */
/*
 * The virtual memory manager's interface: physical frames (frame.c), page
 * tables (pagetable.c), address spaces with regions and demand-zero faults
 * (aspace.c), sharing for bulk transfers and fork (share.c), memory objects
 * that several spaces map (memobj.c), device memory (device.c), and
 * checked copies to and from user memory (uaccess.c).
 *
 * Physical memory below KMAP_LIMIT is mapped at KERNBASE in every address
 * space, so the nucleus reaches any frame through PHYS_TO_VIRT(). The nucleus
 * is not preemptible and runs on one CPU, so nothing here takes a lock.
 */
#ifndef SPRIG_VMM_H
#define SPRIG_VMM_H

#include <stddef.h>
#include <stdint.h>

typedef uint32_t paddr_t;
typedef uint32_t pte_t;
typedef uint32_t pde_t;

#define PAGE_SIZE    4096u
#define PAGE_SHIFT   12
#define PAGE_MASK    (PAGE_SIZE - 1)
#define PAGE_DOWN(x) ((x) & ~(uint32_t)PAGE_MASK)
#define PAGE_UP(x)   (((x) + PAGE_MASK) & ~(uint32_t)PAGE_MASK)
#define PT_ENTRIES   1024
#define PT_SPAN_MASK 0x3fffffu /* the bytes one page table maps, less one */
#define PDX(va)      ((uint32_t)(va) >> 22)
#define PTX(va)      (((uint32_t)(va) >> 12) & 0x3ff)
#define USER_PDES    768 /* PDEs below KERNBASE */

#define PTE_P   0x001u
#define PTE_W   0x002u
#define PTE_U   0x004u
#define PTE_PS  0x080u
#define PTE_G   0x100u
#define PTE_PWT 0x008u
#define PTE_PCD 0x010u
#define PTE_COW 0x200u /* available bit: read-only now, copy on write */
#define PTE_DEV 0x400u /* available bit: device memory, not a frame (device.c) */
#define PTE_OBJ                                                                                    \
	0x800u /* available bit: a memory object's page; the mapping holds no reference (memobj.c) \
	        */
#define PTE_ADDR(e) ((e) & ~(uint32_t)0xfff)

#ifdef SPRIG_HOST
void *host_phys_to_virt(paddr_t pa); /* supplied by the unit tests */
#define PHYS_TO_VIRT(pa) host_phys_to_virt(pa)
#else
#include "boot/layout.h"
#define PHYS_TO_VIRT(pa) P2V(pa)
#endif

/* frame.c: every frame below the limit starts reserved; boot code then frees
 * what the memory map says is RAM and reserves the nucleus and modules. */
void frame_init(paddr_t limit);
void frame_release_range(paddr_t start, paddr_t end); /* rounded inward */
void frame_reserve_range(paddr_t start, paddr_t end); /* rounded outward */
paddr_t frame_alloc(void);   /* zero-filled frame, or 0 when none is free */
int frame_ref(paddr_t pa);   /* one more user of an allocated frame; -EOVERFLOW if full */
void frame_free(paddr_t pa); /* drops one user; frees on the last */
int frame_is_ram(paddr_t pa);
uint32_t frame_free_count(void);
uint32_t frame_refcount(paddr_t pa);
uint32_t frame_total_count(void);

/* pagetable.c: two-level i386 tables, 4 KiB pages below KERNBASE. */
pte_t *pt_ensure(pde_t *pd, uint32_t va); /* NULL when out of memory */
int pt_map(pde_t *pd, uint32_t va, paddr_t pa, uint32_t flags);
void pt_free_user(pde_t *pd); /* every user frame and page table */

/* Returns the PTE for va, or NULL when va has no page table. */
static inline pte_t *pt_lookup(pde_t *pd, uint32_t va)
{
	pde_t pde = pd[PDX(va)];
	if (!(pde & PTE_P) || (pde & PTE_PS))
		return NULL;
	pte_t *pt = PHYS_TO_VIRT(PTE_ADDR(pde));
	return &pt[PTX(va)];
}

/* aspace.c */
#define VM_READ            1u
#define VM_WRITE           2u
#define VM_EXEC            4u
#define VM_ANON            8u  /* made by SYS_VM_ALLOC: SYS_VM_FREE may remove it */
#define VM_DEVICE          16u /* device memory (vmm_map_device): no frames, no faults */
#define ASPACE_MAX_REGIONS 128
#define VM_ALLOC_BASE      0x40000000u /* where aspace_alloc_region looks first */

struct memobj;

/* A region. One with an object is shared memory: its pages are the
 * object's (mapped PTE_OBJ), and other spaces may map the same object. */
struct region {
	uint32_t start, end; /* page aligned, [start, end) */
	uint32_t prot;       /* VM_* */
	struct memobj *obj;  /* its memory object (memobj.c), or NULL: private */
};

/* An address space. nframes counts the frames it holds: its directory,
 * its page tables, one per present private page (a page mapped in several
 * spaces counts in each: every mapping holds a reference), and every frame
 * of each memory object it pays for (memobj.c: one payer per object; its
 * pages count there, in no mapper's own count). */
struct aspace {
	pde_t *pd;   /* page directory (nucleus view) */
	paddr_t cr3; /* its physical address */
	int nregions;
	struct region regions[ASPACE_MAX_REGIONS];
	uint32_t nframes;     /* frames held, as above */
	uint32_t frame_limit; /* the most it may hold; 0: no limit */
	int limit_reported;   /* vmm_limit_reached has been called */
};

extern pde_t kernel_pd[PT_ENTRIES];
void vmm_init(paddr_t kmap_top);
int aspace_create(struct aspace *as);
void aspace_destroy(struct aspace *as);
void aspace_activate(const struct aspace *as);
int aspace_add_region(struct aspace *as, uint32_t start, uint32_t end, uint32_t prot);
int aspace_add_shared(struct aspace *as, const struct region *r);
const struct region *aspace_find_region(const struct aspace *as, uint32_t va);
uint32_t aspace_alloc_region(struct aspace *as, uint32_t len, uint32_t prot);
int aspace_remove_region(struct aspace *as, uint32_t start);
int aspace_charge(struct aspace *as, uint32_t n);
pte_t *aspace_pte(struct aspace *as, uint32_t va, int *err);
int vmm_fault(struct aspace *as, uint32_t va, int write);
int vmm_populate(struct aspace *as, uint32_t start, uint32_t end);
void vmm_flush_page(const struct aspace *as, uint32_t va);
void vmm_flush_all(const struct aspace *as);

/* share.c: page sharing for bulk transfer, and clones for fork. */
int vmm_share(struct aspace *dst, uint32_t dst_va, struct aspace *src, uint32_t src_va,
              uint32_t npages);
void vmm_unmap(struct aspace *as, uint32_t va, uint32_t len);
int vmm_clone(struct aspace *dst, struct aspace *src);
int vmm_clone_shared(struct aspace *dst, struct aspace *src);

/* memobj.c: memory objects, the pages of shared regions (and of program
 * images, which hold them: memobj_new). */
int memobj_from_region(struct aspace *as, struct region *r);
struct memobj *memobj_new(uint32_t npages, int *err);
void memobj_drop(struct memobj *obj);
int memobj_write(struct memobj *obj, uint32_t off, const void *src, uint32_t n);
int memobj_map(struct memobj *obj, struct aspace *as);
void memobj_unmap(struct memobj *obj, struct aspace *as);
paddr_t memobj_page(struct memobj *obj, uint32_t idx, int *err);
int memobj_copy_pages(struct memobj *obj, struct aspace *dst, uint32_t start, uint32_t prot);
uint32_t memobj_refs(const struct memobj *obj);
const struct aspace *memobj_payer(const struct memobj *obj);
uint32_t memobj_frames(const struct memobj *obj);

/* device.c: physical ranges that are not RAM, for drivers. */
uint32_t vmm_map_device(struct aspace *as, paddr_t pa, uint32_t len);

/* Supplied by the VMM's user (the nucleus: domain.c; the unit tests): as
 * was refused a frame over its limit, for the first time. */
void vmm_limit_reached(const struct aspace *as);

/* uaccess.c: copies that turn a bad user range into -EFAULT (and a page
 * over the space's frame limit into -ENOMEM). `as` need not be the current
 * address space. */
int uaccess_range_ok(uint32_t uaddr, size_t len);
void *user_span(struct aspace *as, uint32_t uaddr, size_t len, int write);
int copy_in(struct aspace *as, void *dst, uint32_t usrc, size_t len);
int copy_out(struct aspace *as, uint32_t udst, const void *src, size_t len);
int zero_out(struct aspace *as, uint32_t udst, size_t len);
int vmm_load(struct aspace *as, uint32_t udst, const void *src, size_t len);
int vmm_copy(struct aspace *dst_as, uint32_t dst, struct aspace *src_as, uint32_t src, size_t len);

#endif
