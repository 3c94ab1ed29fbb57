/* SPDX-License-Identifier: MIT */
/*
 * Memory objects: the pages of a region that several address spaces map
 * as the same memory (a shared clone, docs/processes.md §2). The object
 * holds one reference to each of its frames; a mapping of one is marked
 * PTE_OBJ and holds none, so the space that maps it never frees or counts
 * it. A page fault in any mapper fills the object's page (vmm_fault), so
 * every mapper sees the same page from then on.
 *
 * An object is counted by its mappers (one reference each, at most
 * MEMOBJ_MAPPERS) and freed, with every page, when the last goes. Its
 * frames (its header, its leaves, its pages) are charged once, to one of
 * its mappers, its payer: at first the space whose region it was made
 * from; when the payer stops mapping it, the whole charge moves to another
 * mapper (which may then hold more than its limit: it is refused its next
 * frames, as after any lowered limit).
 *
 * An object may also be *held* by a nucleus object (a program image,
 * nucleus/image.c: memobj_new, memobj_drop): it then outlives its
 * mappers. While nobody maps it, it has no payer and its frames are
 * charged to no domain (the holder bounds them); its next first mapper
 * becomes its payer, charged every frame it holds.
 *
 * An object lives in one frame: this header, then one entry per 4 MiB of
 * the object, the frame of a leaf whose 1024 entries are the frames of its
 * pages (0: not there yet).
 *
 * Entry points: memobj_from_region, memobj_new, memobj_drop, memobj_write,
 * memobj_map, memobj_unmap, memobj_page, memobj_copy_pages, memobj_refs,
 * memobj_payer, memobj_frames.
 */
#include "vmm/vmm.h"
#include "lib/c/libc.h"
#include "nucleus/panic.h"
#include <sprig/errno.h>

#define MEMOBJ_LEAVES  USER_PDES /* 4 MiB each: all of user space */
#define MEMOBJ_MAPPERS 64        /* as many as there are domains */

struct memobj {
	paddr_t self;         /* the frame this header is in */
	uint32_t npages;      /* its size in pages */
	uint32_t nframes;     /* frames held: this one, its leaves and its pages */
	struct aspace *payer; /* the mapper charged for them; NULL when none maps it */
	uint32_t held;        /* a nucleus object holds it (memobj_new) */
	uint32_t nmappers;    /* its references, but the holder's */
	struct aspace *mappers[MEMOBJ_MAPPERS];
	paddr_t leaf[MEMOBJ_LEAVES];
};
_Static_assert(sizeof(struct memobj) <= PAGE_SIZE, "a memory object fits in its frame");

/* Counts one more frame as the object's (charged to its payer, if it has
 * one); -ENOMEM over the payer's limit. */
static int obj_charge(struct memobj *obj)
{
	int err = obj->payer ? aspace_charge(obj->payer, 1) : 0;
	if (!err)
		obj->nframes++;
	return err;
}

/* A frame for the object, charged to its payer; 0 when refused. */
static paddr_t obj_frame_alloc(struct memobj *obj, int *err)
{
	if ((*err = obj_charge(obj)) < 0)
		return 0;
	paddr_t pa = frame_alloc();
	if (!pa) {
		obj->nframes--;
		if (obj->payer)
			obj->payer->nframes--;
		*err = -ENOMEM;
	}
	return pa;
}

/* A new object of npages pages, charged to payer, with no mapper yet;
 * NULL with *err = -ENOMEM over payer's limit or when memory is out. */
static struct memobj *memobj_create(struct aspace *payer, uint32_t npages, int *err)
{
	struct memobj tmp = {.payer = payer};
	paddr_t pa = obj_frame_alloc(&tmp, err);
	if (!pa)
		return NULL;
	struct memobj *obj = PHYS_TO_VIRT(pa); /* zero-filled */
	obj->self = pa;
	obj->npages = npages;
	obj->nframes = 1;
	obj->payer = payer;
	return obj;
}

/* Frees every frame of an object nobody maps or holds, and uncharges its
 * payer. */
static void memobj_destroy(struct memobj *obj)
{
	for (uint32_t l = 0; l < MEMOBJ_LEAVES; l++) {
		if (!obj->leaf[l])
			continue;
		const paddr_t *page = PHYS_TO_VIRT(obj->leaf[l]);
		for (uint32_t i = 0; i < PT_ENTRIES; i++)
			if (page[i])
				frame_free(page[i]);
		frame_free(obj->leaf[l]);
	}
	if (obj->payer)
		obj->payer->nframes -= obj->nframes;
	frame_free(obj->self);
}

/* The entry for page idx: where its frame is (or will be) kept; NULL when
 * its leaf cannot be had (*err: -ENOMEM), or does not exist and alloc is 0
 * (*err: 0). */
static paddr_t *memobj_slot(struct memobj *obj, uint32_t idx, int alloc, int *err)
{
	assert(idx < obj->npages);
	paddr_t *leaf = &obj->leaf[idx / PT_ENTRIES];
	*err = 0;
	if (!*leaf && (!alloc || !(*leaf = obj_frame_alloc(obj, err))))
		return NULL;
	return (paddr_t *)PHYS_TO_VIRT(*leaf) + idx % PT_ENTRIES;
}

/* The frame of page idx, a zero page made for it on first use (charged
 * to the payer); 0 with *err = -ENOMEM when it cannot be had. */
paddr_t memobj_page(struct memobj *obj, uint32_t idx, int *err)
{
	paddr_t *slot = memobj_slot(obj, idx, 1, err);
	if (!slot)
		return 0;
	if (!*slot)
		*slot = obj_frame_alloc(obj, err);
	return *slot;
}

/* A new object of npages pages, held by the caller (a nucleus object),
 * mapped and charged to nobody yet: its frames are its holder's to bound.
 * NULL with *err = -ENOMEM when memory is out. */
struct memobj *memobj_new(uint32_t npages, int *err)
{
	if (npages == 0 || npages > MEMOBJ_LEAVES * PT_ENTRIES) {
		*err = -EINVAL;
		return NULL;
	}
	struct memobj *obj = memobj_create(NULL, npages, err);
	if (obj)
		obj->held = 1;
	return obj;
}

/* The holder lets go of obj: it goes now if nobody maps it, else with its
 * last mapper. */
void memobj_drop(struct memobj *obj)
{
	assert(obj->held);
	obj->held = 0;
	if (obj->nmappers == 0)
		memobj_destroy(obj);
}

/* Copies n bytes from src into obj at byte offset off, making its pages
 * (charged as memobj_page charges them). 0, or -ENOMEM. */
int memobj_write(struct memobj *obj, uint32_t off, const void *src, uint32_t n)
{
	assert(off <= obj->npages * PAGE_SIZE && n <= obj->npages * PAGE_SIZE - off);
	while (n) {
		int err;
		uint32_t in = off & PAGE_MASK, k = PAGE_SIZE - in < n ? PAGE_SIZE - in : n;
		paddr_t pa = memobj_page(obj, off >> PAGE_SHIFT, &err);
		if (!pa)
			return err;
		memcpy((char *)PHYS_TO_VIRT(pa) + in, src, k);
		src = (const char *)src + k;
		off += k;
		n -= k;
	}
	return 0;
}

/* as maps obj from now on (one more reference). The first mapper of an
 * object that had none becomes its payer, charged every frame it holds.
 * -ENOMEM when it has as many mappers as it can count, or over as's
 * limit. */
int memobj_map(struct memobj *obj, struct aspace *as)
{
	if (obj->nmappers == MEMOBJ_MAPPERS)
		return -ENOMEM;
	if (!obj->payer) {
		if (aspace_charge(as, obj->nframes) < 0)
			return -ENOMEM;
		obj->payer = as;
	}
	obj->mappers[obj->nmappers++] = as;
	return 0;
}

/* as maps obj no more (its PTEs are the caller's to clear). The last
 * mapper out frees it; a payer leaving hands the charge to a mapper that
 * stays. */
void memobj_unmap(struct memobj *obj, struct aspace *as)
{
	uint32_t i = 0;
	while (i < obj->nmappers && obj->mappers[i] != as)
		i++;
	assert(i < obj->nmappers);
	obj->mappers[i] = obj->mappers[--obj->nmappers];
	if (obj->nmappers == 0 && !obj->held) {
		memobj_destroy(obj);
		return;
	}
	if (obj->nmappers == 0) {
		as->nframes -= obj->nframes; /* its holder keeps it, charged to nobody */
		obj->payer = NULL;
		return;
	}
	if (obj->payer == as) {
		as->nframes -= obj->nframes;
		obj->payer = obj->mappers[0];
		obj->payer->nframes += obj->nframes;
	}
}

uint32_t memobj_refs(const struct memobj *obj)
{
	return obj->nmappers;
}

const struct aspace *memobj_payer(const struct memobj *obj)
{
	return obj->payer;
}

uint32_t memobj_frames(const struct memobj *obj)
{
	return obj->nframes;
}

/* First pass of memobj_from_region: every leaf the present pages of r
 * need, and, for each page another mapping still shares copy-on-write in
 * a writable region, a copy of it in the object (the sharer keeps the
 * original). The PTEs are not touched. 0 or -ENOMEM. */
static int take_leaves_and_copies(struct memobj *obj, struct aspace *as, const struct region *r)
{
	int err = 0;
	for (uint32_t va = r->start; va < r->end && !err; va += PAGE_SIZE) {
		pte_t *pte = pt_lookup(as->pd, va);
		if (!pte)
			va = PAGE_DOWN(va | PT_SPAN_MASK); /* no page table: on to the next */
		if (!pte || !(*pte & PTE_P))
			continue;
		paddr_t *slot = memobj_slot(obj, (va - r->start) >> PAGE_SHIFT, 1, &err);
		if (!slot || !(r->prot & VM_WRITE) || frame_refcount(PTE_ADDR(*pte)) == 1)
			continue;
		if ((*slot = obj_frame_alloc(obj, &err)))
			memcpy(PHYS_TO_VIRT(*slot), PHYS_TO_VIRT(PTE_ADDR(*pte)), PAGE_SIZE);
	}
	return err;
}

/* Makes the private region r of as shared: a new object holds its pages
 * (those present move in, or their copies if other mappings still share
 * them copy-on-write: the page is then private to as no more; read-only
 * pages move in as they are, since nobody writes them) and r maps it,
 * as its payer. Returns 0, or -ENOMEM (as's limit, or memory) with
 * nothing changed. The TLB is the caller's to flush. */
int memobj_from_region(struct aspace *as, struct region *r)
{
	int err;
	assert(!r->obj && !(r->prot & VM_DEVICE));
	struct memobj *obj = memobj_create(as, (r->end - r->start) >> PAGE_SHIFT, &err);
	if (!obj)
		return err;
	if ((err = take_leaves_and_copies(obj, as, r)) < 0 || (err = memobj_map(obj, as)) < 0) {
		memobj_destroy(obj);
		return err;
	}
	/* Nothing can fail from here on. */
	uint32_t w = (r->prot & VM_WRITE) ? PTE_W : 0;
	for (uint32_t va = r->start; va < r->end; va += PAGE_SIZE) {
		pte_t *pte = pt_lookup(as->pd, va);
		if (!pte)
			va = PAGE_DOWN(va | PT_SPAN_MASK);
		if (!pte || !(*pte & PTE_P))
			continue;
		paddr_t *slot = memobj_slot(obj, (va - r->start) >> PAGE_SHIFT, 0, &err);
		if (*slot) {
			frame_free(PTE_ADDR(*pte)); /* the copy is the page now */
			as->nframes--;
		} else {
			*slot = PTE_ADDR(*pte); /* the mapping's reference, and its
			                         * charge to as, are the object's */
			obj->nframes++;
		}
		*pte = *slot | PTE_P | PTE_U | w | PTE_OBJ;
	}
	r->obj = obj;
	return 0;
}

/* Gives dst at start its own copy of every page obj holds (a plain clone
 * of a shared region must not see later writes), writable if prot says
 * so, charged to dst; a read-only page is shared instead, as vmm_clone
 * shares pages (nobody writes it). 0, or -ENOMEM with dst holding a part
 * of it. */
int memobj_copy_pages(struct memobj *obj, struct aspace *dst, uint32_t start, uint32_t prot)
{
	int err = 0;
	for (uint32_t l = 0; l < MEMOBJ_LEAVES && !err; l++) {
		const paddr_t *page = obj->leaf[l] ? PHYS_TO_VIRT(obj->leaf[l]) : NULL;
		for (uint32_t i = 0; page && i < PT_ENTRIES && !err; i++) {
			if (!page[i])
				continue;
			pte_t *pte =
			        aspace_pte(dst, start + ((l * PT_ENTRIES + i) << PAGE_SHIFT), &err);
			if (!pte || (err = aspace_charge(dst, 1)) < 0)
				break;
			paddr_t pa = page[i];
			if ((prot & VM_WRITE) || frame_ref(pa) < 0) {
				if ((pa = frame_alloc()))
					memcpy(PHYS_TO_VIRT(pa), PHYS_TO_VIRT(page[i]), PAGE_SIZE);
			}
			if (!pa) {
				dst->nframes--;
				err = -ENOMEM;
				break;
			}
			*pte = pa | PTE_P | PTE_U | ((prot & VM_WRITE) ? PTE_W : 0);
		}
	}
	return err;
}
