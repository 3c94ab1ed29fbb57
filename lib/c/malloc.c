/* SPDX-License-Identifier: MIT */
/*
 * The memory allocator: malloc, free, realloc, calloc.
 *
 * Why boundary tags: programs here mix sizes freely (strings, buffers,
 * tables that realloc grows), and a boundary-tag heap gives back memory of
 * any size once its neighbours are free, where size classes keep each
 * class's pages for that class forever. Every block starts with a 16-byte
 * header holding its own size and its predecessor's (the boundary tag), so
 * free() finds both neighbours in constant time and merges with them. Free
 * blocks sit on segregated lists, one per power of two, searched first-fit
 * from the request's class up: close to best fit, without a long walk.
 *
 * Memory comes from the nucleus with vm_alloc in arenas of at least
 * ARENA_MIN bytes, each arena as large as the heap so far (up to ARENA_MAX),
 * so the address space holds few regions (the nucleus allows 128). Requests
 * of LARGE_MIN bytes or more get a region of their own, given back by free.
 * An arena that becomes wholly free is given back too, unless it is the
 * last one. Payloads are 16-byte aligned. One lock (lib/c/lock.h) makes the
 * calls safe from several threads.
 *
 * Entry points: malloc, free, realloc, calloc; malloc_check and
 * malloc_stats for tests.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "lib/c/libc.h"
#include "lib/c/lock.h"

#define ALIGN      16u
#define HDR        sizeof(struct block)
#define MIN_BLOCK  32u /* a header and the list links */
#define ARENA_MIN  (64u << 10)
#define ARENA_MAX  (4u << 20)
#define LARGE_MIN  (256u << 10)
#define NBINS      24
#define F_INUSE    1u /* in block.size: the block is allocated (the end marker too) */
#define F_LARGE    2u /* in block.size: the block is a region of its own */
#define FLAGS      15u
#define SIZE(b)    ((b)->size & ~(size_t)FLAGS)
#define PAYLOAD(b) ((void *)((char *)(b) + HDR))

/* A block's header. prev_size is the size of the block just before it in
 * its arena, 0 for the first block. The size includes the header. */
struct block {
	size_t prev_size;
	size_t size;
} __attribute__((aligned(16)));

/* Where a free block keeps its list links: the start of its payload. */
struct free_links {
	struct block *next, *prev;
};
_Static_assert(sizeof(struct block) + sizeof(struct free_links) <= MIN_BLOCK,
               "a free block holds its header and list links");
_Static_assert(sizeof(struct block) == ALIGN, "headers keep payloads aligned");

/* At the start of every arena; its blocks follow, then an end marker (a
 * header of size 0, in use, so nothing merges past it). */
struct arena {
	struct arena *next, *prev;
	size_t size;
} __attribute__((aligned(16)));

/* All of the allocator's state, under lock. */
static struct {
	int lock;
	struct block *bins[NBINS]; /* free blocks by size class */
	struct arena *arenas;
	size_t arena_bytes; /* the arenas' total size */
	size_t large_bytes; /* in regions of their own */
	size_t nlarge;
} heap;

static struct free_links *links(struct block *b)
{
	return (struct free_links *)PAYLOAD(b);
}

static struct block *next_block(struct block *b)
{
	return (struct block *)((char *)b + SIZE(b));
}

static struct block *prev_block(struct block *b)
{
	return b->prev_size ? (struct block *)((char *)b - b->prev_size) : NULL;
}

/* The class of a free block of size bytes: floor(log2(size)) - 5. */
static int bin_of(size_t size)
{
	int i = (int)(sizeof(size_t) * 8 - 1) - __builtin_clzl((unsigned long)size) - 5;
	return i < 0 ? 0 : i >= NBINS ? NBINS - 1 : i;
}

static void bin_insert(struct block *b)
{
	struct block **head = &heap.bins[bin_of(SIZE(b))];
	links(b)->prev = NULL;
	links(b)->next = *head;
	if (*head)
		links(*head)->prev = b;
	*head = b;
}

static void bin_remove(struct block *b)
{
	struct free_links *l = links(b);
	if (l->prev)
		links(l->prev)->next = l->next;
	else
		heap.bins[bin_of(SIZE(b))] = l->next;
	if (l->next)
		links(l->next)->prev = l->prev;
}

/* Sets b's size (flags kept) and tells the block after it. */
static void set_size(struct block *b, size_t size)
{
	b->size = size | (b->size & FLAGS);
	next_block(b)->prev_size = size;
}

/* A free block of at least need bytes, taken off its list, or NULL. */
static struct block *bin_take(size_t need)
{
	for (int i = bin_of(need); i < NBINS; i++)
		for (struct block *b = heap.bins[i]; b; b = links(b)->next)
			if (SIZE(b) >= need) {
				bin_remove(b);
				return b;
			}
	return NULL;
}

/* Cuts b (in use) down to need bytes when the rest makes a block of its
 * own; the rest is freed, merging with a free block after it. */
static void split(struct block *b, size_t need)
{
	size_t size = SIZE(b);
	if (size - need < MIN_BLOCK)
		return;
	set_size(b, need);
	struct block *rest = next_block(b);
	rest->size = 0;
	set_size(rest, size - need);
	struct block *after = next_block(rest);
	if (!(after->size & F_INUSE)) {
		bin_remove(after);
		set_size(rest, SIZE(rest) + SIZE(after));
	}
	bin_insert(rest);
}

/* Maps a new arena with room for a block of need bytes; its one free block
 * goes on a list. Returns 0, or -1 when the nucleus refuses. */
static int arena_grow(size_t need)
{
	size_t size = heap.arena_bytes < ARENA_MIN   ? ARENA_MIN
	              : heap.arena_bytes > ARENA_MAX ? ARENA_MAX
	                                             : heap.arena_bytes;
	size_t overhead = sizeof(struct arena) + HDR;
	if (size < need + overhead)
		size = need + overhead;
	size = (size + ARENA_MIN - 1) & ~(size_t)(ARENA_MIN - 1);
	struct arena *a = vm_alloc((uint32_t)size);
	if (!a)
		return -1;
	a->size = size;
	a->prev = NULL;
	a->next = heap.arenas;
	if (a->next)
		a->next->prev = a;
	heap.arenas = a;
	heap.arena_bytes += size;
	struct block *b = (struct block *)(a + 1), *end;
	b->prev_size = 0;
	b->size = size - overhead;
	end = next_block(b);
	end->prev_size = SIZE(b);
	end->size = F_INUSE;
	bin_insert(b);
	return 0;
}

/* Gives back the arena whose only block is the free block b (off any list),
 * unless it is the last arena; then b goes on a list. */
static void arena_release(struct block *b)
{
	struct arena *a = (struct arena *)b - 1;
	if (!a->prev && !a->next) {
		bin_insert(b);
		return;
	}
	if (a->prev)
		a->prev->next = a->next;
	else
		heap.arenas = a->next;
	if (a->next)
		a->next->prev = a->prev;
	heap.arena_bytes -= a->size;
	vm_free(a);
}

/* The block size for a request of n bytes, or 0 if it cannot be met. */
static size_t block_size(size_t n)
{
	if (n > (size_t)-1 - HDR - ALIGN)
		return 0;
	size_t need = (n + HDR + ALIGN - 1) & ~(size_t)(ALIGN - 1);
	return need < MIN_BLOCK ? MIN_BLOCK : need;
}

/* A region of its own for a block of need bytes. */
static void *large_alloc(size_t need)
{
	size_t size = (need + 4095) & ~(size_t)4095;
	if (size < need || size > 0xffffffffu) {
		errno = ENOMEM;
		return NULL;
	}
	struct block *b = vm_alloc((uint32_t)size);
	if (!b) {
		errno = ENOMEM;
		return NULL;
	}
	b->prev_size = 0;
	b->size = size | F_INUSE | F_LARGE;
	libc_lock(&heap.lock);
	heap.large_bytes += size;
	heap.nlarge++;
	libc_unlock(&heap.lock);
	return PAYLOAD(b);
}

/* n bytes, 16-byte aligned; NULL with errno ENOMEM when the nucleus gives
 * no more memory. malloc(0) is a unique pointer. */
void *malloc(size_t n)
{
	size_t need = block_size(n);
	if (!need) {
		errno = ENOMEM;
		return NULL;
	}
	if (need >= LARGE_MIN)
		return large_alloc(need);
	libc_lock(&heap.lock);
	struct block *b = bin_take(need);
	if (!b && arena_grow(need) == 0)
		b = bin_take(need);
	if (!b) {
		libc_unlock(&heap.lock);
		errno = ENOMEM;
		return NULL;
	}
	b->size |= F_INUSE;
	split(b, need);
	libc_unlock(&heap.lock);
	return PAYLOAD(b);
}

/* Marks b free and merges it with free neighbours; the result goes on a
 * list, or back to the nucleus when it fills its arena. Lock held. */
static void release(struct block *b)
{
	b->size &= ~(size_t)F_INUSE;
	struct block *n = next_block(b), *p = prev_block(b);
	if (!(n->size & F_INUSE)) {
		bin_remove(n);
		set_size(b, SIZE(b) + SIZE(n));
	}
	if (p && !(p->size & F_INUSE)) {
		bin_remove(p);
		set_size(p, SIZE(p) + SIZE(b));
		b = p;
	}
	if (!b->prev_size && next_block(b)->size == F_INUSE) /* the end marker */
		arena_release(b);
	else
		bin_insert(b);
}

void free(void *ptr)
{
	if (!ptr)
		return;
	struct block *b = (struct block *)((char *)ptr - HDR);
	libc_lock(&heap.lock);
	if (b->size & F_LARGE) {
		heap.large_bytes -= SIZE(b);
		heap.nlarge--;
		libc_unlock(&heap.lock);
		vm_free(b);
		return;
	}
	release(b);
	libc_unlock(&heap.lock);
}

/* nmemb * size zeroed bytes; NULL with errno ENOMEM when the product
 * overflows. A large block is fresh demand-zero memory already. */
void *calloc(size_t nmemb, size_t size)
{
	if (size && nmemb > (size_t)-1 / size) {
		errno = ENOMEM;
		return NULL;
	}
	void *p = malloc(nmemb * size);
	struct block *b = p ? (struct block *)((char *)p - HDR) : NULL;
	if (b && !(b->size & F_LARGE))
		memset(p, 0, nmemb * size);
	return p;
}

/* Grows or shrinks an arena block in place when it can (into a free block
 * after it); returns whether it did. Lock held. */
static int resize_in_place(struct block *b, size_t need)
{
	struct block *n = next_block(b);
	if (SIZE(b) < need) {
		if (n->size & F_INUSE || SIZE(b) + SIZE(n) < need)
			return 0;
		bin_remove(n);
		set_size(b, SIZE(b) + SIZE(n));
	}
	split(b, need);
	return 1;
}

/* Changes the size of ptr's block to n bytes, keeping its contents (up to
 * the smaller size); moves it when it cannot grow in place. NULL ptr is
 * malloc(n); n 0 frees ptr and returns NULL. On failure NULL, errno
 * ENOMEM, and ptr is left as it was. */
void *realloc(void *ptr, size_t n)
{
	if (!ptr)
		return malloc(n);
	if (n == 0) {
		free(ptr);
		return NULL;
	}
	struct block *b = (struct block *)((char *)ptr - HDR);
	size_t need = block_size(n);
	if (!need) {
		errno = ENOMEM;
		return NULL;
	}
	if (b->size & F_LARGE) {
		if (need <= SIZE(b) && need > SIZE(b) / 2)
			return ptr;
	} else if (need < LARGE_MIN) {
		libc_lock(&heap.lock);
		int done = resize_in_place(b, need);
		libc_unlock(&heap.lock);
		if (done)
			return ptr;
	}
	void *q = malloc(n);
	if (!q)
		return NULL;
	size_t old = SIZE(b) - HDR;
	memcpy(q, ptr, old < n ? old : n);
	free(ptr);
	return q;
}

/* Checks one arena's blocks; returns the free bytes in it, or -1 when an
 * invariant is broken. Lock held. */
static long check_arena(struct arena *a)
{
	struct block *b = (struct block *)(a + 1), *prev = NULL;
	long free_bytes = 0;
	for (; SIZE(b); prev = b, b = next_block(b)) {
		if (SIZE(b) % ALIGN || SIZE(b) < MIN_BLOCK || b->size & F_LARGE ||
		    b->prev_size != (prev ? SIZE(prev) : 0) ||
		    (char *)next_block(b) > (char *)a + a->size - HDR)
			return -1;
		if (b->size & F_INUSE)
			continue;
		if (prev && !(prev->size & F_INUSE))
			return -1; /* two free blocks side by side: a missed merge */
		free_bytes += (long)SIZE(b);
	}
	if ((char *)b != (char *)a + a->size - HDR || b->prev_size != (prev ? SIZE(prev) : 0))
		return -1;
	return free_bytes;
}

/* Walks every arena and list; returns 0 when the heap is consistent (each
 * free block on the right list, no two free blocks adjacent, every tag
 * right), else -1. */
int malloc_check(void)
{
	long free_arena = 0, free_listed = 0;
	int bad = 0;
	libc_lock(&heap.lock);
	size_t total = 0;
	for (struct arena *a = heap.arenas; a && !bad; a = a->next) {
		long n = check_arena(a);
		bad |= n < 0 || (a->next && a->next->prev != a);
		free_arena += n;
		total += a->size;
	}
	for (int i = 0; i < NBINS && !bad; i++)
		for (struct block *b = heap.bins[i]; b && !bad; b = links(b)->next) {
			bad |= bin_of(SIZE(b)) != i || (b->size & F_INUSE) != 0;
			free_listed += (long)SIZE(b);
		}
	bad |= total != heap.arena_bytes || free_arena != free_listed;
	libc_unlock(&heap.lock);
	return bad ? -1 : 0;
}

void malloc_stats(struct malloc_stats *st)
{
	libc_lock(&heap.lock);
	st->arenas = 0;
	for (struct arena *a = heap.arenas; a; a = a->next)
		st->arenas++;
	st->arena_bytes = heap.arena_bytes;
	st->free_bytes = 0;
	for (int i = 0; i < NBINS; i++)
		for (struct block *b = heap.bins[i]; b; b = links(b)->next)
			st->free_bytes += SIZE(b);
	st->large = heap.nlarge;
	st->large_bytes = heap.large_bytes;
	libc_unlock(&heap.lock);
}
