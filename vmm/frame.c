/* SPDX-License-Identifier: MIT */
/*
 * Physical frame allocator. One 16-bit count per frame below the limit:
 * 0 free, 1..FRAME_MAX_REF in use by that many mappings, FRAME_RESERVED for
 * memory that is not RAM or belongs to the nucleus or the boot modules.
 * Counts are what copy-on-write and shared mappings need; the free count is
 * what tests compare to prove that a dead domain gave back every frame.
 *
 * Entry points: frame_init, frame_release_range, frame_reserve_range,
 * frame_alloc, frame_ref, frame_free, frame_is_ram, frame_free_count,
 * frame_total_count.
 */
#include "vmm/vmm.h"
#include <sprig/errno.h>
#include "lib/c/libc.h"
#include "nucleus/panic.h"

#define FRAME_RESERVED 0xffffu
#define FRAME_MAX_REF  0xfff0u
#define MAX_FRAMES     (0x38000000u >> PAGE_SHIFT) /* KMAP_LIMIT */

/* The allocator's state. The nucleus is not preemptible: no lock. */
static struct {
	uint16_t count[MAX_FRAMES];
	uint32_t nframes; /* frames below the limit */
	uint32_t nfree;
	uint32_t ntotal; /* frames ever released as RAM */
	uint32_t hint;   /* where the next search starts */
} frames;

/* Marks every frame below `limit` reserved; nothing is free until released. */
void frame_init(paddr_t limit)
{
	uint32_t n = limit >> PAGE_SHIFT;
	frames.nframes = n < MAX_FRAMES ? n : MAX_FRAMES;
	for (uint32_t i = 0; i < MAX_FRAMES; i++)
		frames.count[i] = FRAME_RESERVED;
	frames.nfree = frames.ntotal = 0;
	frames.hint = 1;
}

/* Frees the whole frames inside [start, end); frame 0 is never handed out. */
void frame_release_range(paddr_t start, paddr_t end)
{
	uint32_t first = PAGE_UP(start) >> PAGE_SHIFT;
	uint32_t last = (end & ~PAGE_MASK) >> PAGE_SHIFT;
	if (end < start)
		return;
	if (first == 0)
		first = 1;
	for (uint32_t i = first; i < last && i < frames.nframes; i++) {
		if (frames.count[i] == FRAME_RESERVED) {
			frames.count[i] = 0;
			frames.nfree++;
			frames.ntotal++;
		}
	}
}

/* Reserves every frame that [start, end) touches, free or not yet released. */
void frame_reserve_range(paddr_t start, paddr_t end)
{
	uint32_t first = start >> PAGE_SHIFT;
	uint32_t last = (uint32_t)(((uint64_t)end + PAGE_MASK) >> PAGE_SHIFT);
	for (uint32_t i = first; i < last && i < frames.nframes; i++) {
		if (frames.count[i] == 0) {
			frames.nfree--;
			frames.ntotal--;
		}
		frames.count[i] = FRAME_RESERVED;
	}
}

/* Returns a zero-filled frame with one reference, or 0 when memory is out. */
paddr_t frame_alloc(void)
{
	if (frames.nfree == 0)
		return 0;
	uint32_t i = frames.hint;
	for (uint32_t scanned = 0; scanned < frames.nframes; scanned++, i++) {
		if (i >= frames.nframes)
			i = 1;
		if (frames.count[i] == 0) {
			frames.count[i] = 1;
			frames.nfree--;
			frames.hint = i + 1;
			paddr_t pa = i << PAGE_SHIFT;
			memset(PHYS_TO_VIRT(pa), 0, PAGE_SIZE);
			return pa;
		}
	}
	panic("frame_alloc: free count %u but no free frame", frames.nfree);
}

static uint32_t frame_index_checked(paddr_t pa, const char *who)
{
	uint32_t i = pa >> PAGE_SHIFT;
	if ((pa & PAGE_MASK) || i == 0 || i >= frames.nframes || frames.count[i] == 0 ||
	    frames.count[i] == FRAME_RESERVED)
		panic("%s: %#x is not an allocated frame", who, pa);
	return i;
}

/* Adds a reference to an allocated frame (a second mapping of it).
 * Returns 0, or -EOVERFLOW when the frame already has FRAME_MAX_REF: the
 * caller maps a copy instead (users decide how often a page is mapped,
 * so this is their doing, never the nucleus's panic). */
int frame_ref(paddr_t pa)
{
	uint32_t i = frame_index_checked(pa, "frame_ref");
	if (frames.count[i] >= FRAME_MAX_REF)
		return -EOVERFLOW;
	frames.count[i]++;
	return 0;
}

/* Drops a reference; the frame is free again when the last one goes. */
void frame_free(paddr_t pa)
{
	uint32_t i = frame_index_checked(pa, "frame_free");
	if (--frames.count[i] == 0) {
		frames.nfree++;
		if (i < frames.hint)
			frames.hint = i;
	}
}

/* True when the allocator manages the frame at pa: RAM released at boot,
 * free or in use (reserved frames and memory above its limit: false). */
int frame_is_ram(paddr_t pa)
{
	uint32_t i = pa >> PAGE_SHIFT;
	return i < frames.nframes && frames.count[i] != FRAME_RESERVED;
}

uint32_t frame_free_count(void)
{
	return frames.nfree;
}

uint32_t frame_total_count(void)
{
	return frames.ntotal;
}

/* The number of users of an allocated frame (1 unless shared). */
uint32_t frame_refcount(paddr_t pa)
{
	return frames.count[frame_index_checked(pa, "frame_refcount")];
}
