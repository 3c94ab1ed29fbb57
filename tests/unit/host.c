/* SPDX-License-Identifier: MIT */
/*
 * Host stand-ins for the nucleus: a page-aligned arena as physical memory
 * and a panic() that reports through CMocka's mock_assert(), which longjmps
 * out of the test (so panic still never returns).
 *
 * Entry points: host_phys_to_virt, host_mem_dirty, host_last_panic,
 * host_clear_panic, panic, vmm_limit_reached (counted in host_limit_reports).
 */

/* HOST_CFLAGS renames Sprig's formatting functions so the format test can
 * link them beside the host C library; this file wants the host's own. */
#undef vsnprintf
#undef snprintf
#undef format

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/unit/host.h"
#include "nucleus/panic.h"

static uint8_t arena[HOST_MEM_SIZE] __attribute__((aligned(PAGE_SIZE)));
static char last_panic[256];
int host_limit_reports;
const struct aspace *host_limit_space;

/* The VMM's report of a space refused over its frame limit: counted. */
void vmm_limit_reached(const struct aspace *as)
{
	host_limit_reports++;
	host_limit_space = as;
}

/* Physical address pa in the arena; anything outside it fails the test. */
void *host_phys_to_virt(paddr_t pa)
{
	if (pa >= HOST_MEM_SIZE)
		fail_msg("PHYS_TO_VIRT(%#x): beyond the %u-byte simulated memory", pa,
		         HOST_MEM_SIZE);
	return arena + pa;
}

void host_mem_dirty(void)
{
	memset(arena, HOST_MEM_JUNK, sizeof arena);
}

const char *host_last_panic(void)
{
	return last_panic;
}

void host_clear_panic(void)
{
	last_panic[0] = '\0';
}

/* Inside expect_assert_failure() this ends the call; elsewhere it fails the
 * test with the message. The message must outlive the longjmp: static. */
void panic(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(last_panic, sizeof last_panic, fmt, ap);
	va_end(ap);
	mock_assert(0, last_panic, __FILE__, __LINE__);
	abort(); /* not reached: mock_assert(0, ...) longjmps */
}
