/* SPDX-License-Identifier: MIT */
/*
 * What the nucleus sources need to run inside a host unit test: simulated
 * physical memory (an arena where physical address pa is arena + pa) and a
 * panic() that becomes a CMocka assertion, so a test can demand a panic with
 * expect_assert_failure() and then read its message with host_last_panic().
 *
 * Entry points: host_phys_to_virt, host_mem_dirty, host_last_panic,
 * host_clear_panic (host.c); host_mem_init, host_hog_take, host_hog_release
 * (inline here, so the binaries that do not link frame.c need not).
 */
#ifndef SPRIG_TESTS_UNIT_HOST_H
#define SPRIG_TESTS_UNIT_HOST_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "vmm/vmm.h"

#define HOST_MEM_SIZE (16u << 20) /* bytes of simulated physical memory */
#define HOST_MEM_JUNK 0xa5        /* what host_mem_dirty() fills it with */

void *host_phys_to_virt(paddr_t pa);
void host_mem_dirty(void);
const char *host_last_panic(void); /* "" when nothing panicked since clear */
void host_clear_panic(void);
extern int host_limit_reports;                /* vmm_limit_reached calls */
extern const struct aspace *host_limit_space; /* ... and the last space named */

/* Fresh allocator over [0, size) of the arena, all of it released as RAM
 * (frame 0 included: keeping it is the allocator's job). The arena is
 * dirtied first so that zero-filling is proved, not assumed. */
/* True when every byte of the simulated frame at pa is zero. */
static inline int host_page_is_zero(paddr_t pa)
{
	const uint8_t *p = host_phys_to_virt(pa);
	for (uint32_t i = 0; i < PAGE_SIZE; i++)
		if (p[i])
			return 0;
	return 1;
}

static inline void host_mem_init(paddr_t size)
{
	host_mem_dirty();
	frame_init(size);
	frame_release_range(0, size);
	host_clear_panic();
}

/* Frames taken to make memory scarce, given back by host_hog_release. */
struct host_hog {
	paddr_t frames[HOST_MEM_SIZE / PAGE_SIZE];
	uint32_t n;
};

/* Allocates until only `keep` frames are free. */
static inline void host_hog_take(struct host_hog *h, uint32_t keep)
{
	h->n = 0;
	while (frame_free_count() > keep) {
		paddr_t pa = frame_alloc();
		assert_true(pa != 0);
		h->frames[h->n++] = pa;
	}
}

static inline void host_hog_release(struct host_hog *h)
{
	while (h->n)
		frame_free(h->frames[--h->n]);
}

#endif
