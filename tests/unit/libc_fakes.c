/* SPDX-License-Identifier: MIT */
/*
 * Fakes of what lib/c asks of the nucleus and of the descriptor layer, for
 * the C-library unit tests. Built against the host C library, without
 * tests/unit/libc_names.h, so it defines the renamed symbols (sprig_vm_alloc,
 * sprig_write, ...) by their full names.
 *
 * Entry points: those of libc_fakes.h; sprig_vm_alloc, sprig_vm_free,
 * sprig_read, sprig_write, sprig_close, sprig_yield, sprig_console_write,
 * sprig_domain_exit.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include "tests/unit/libc_fakes.h"

#define MAX_REGIONS 4096
#define OUT_MAX     (1u << 20)

extern int sprig_errno;

size_t fake_vm_regions, fake_vm_bytes, fake_vm_calls, fake_vm_limit;
size_t fake_read_max, fake_write_max;
int fake_read_fail, fake_write_fail;

static struct {
	void *base;
	size_t len;
} regions[MAX_REGIONS];

static struct {
	const char *in;
	size_t in_len, in_pos;
	int reads, writes, closed;
	char out[OUT_MAX + 1];
	size_t out_len;
} fds[FAKE_FDS];

void fake_reset(void)
{
	for (int i = 0; i < MAX_REGIONS; i++)
		if (regions[i].base) {
			free(regions[i].base);
			regions[i].base = NULL;
		}
	fake_vm_regions = fake_vm_bytes = fake_vm_calls = fake_vm_limit = 0;
	fake_read_max = fake_write_max = 0;
	fake_read_fail = fake_write_fail = 0;
	memset(fds, 0, sizeof fds);
}

void *sprig_vm_alloc(uint32_t len)
{
	fake_vm_calls++;
	if (len == 0 || (fake_vm_limit && fake_vm_bytes + len > fake_vm_limit))
		return NULL;
	for (int i = 0; i < MAX_REGIONS; i++)
		if (!regions[i].base) {
			size_t size = (len + 4095u) & ~(size_t)4095;
			void *p = aligned_alloc(4096, size);
			if (!p)
				return NULL;
			memset(p, 0, size); /* demand-zero, as the nucleus's */
			regions[i].base = p;
			regions[i].len = size;
			fake_vm_regions++;
			fake_vm_bytes += size;
			return p;
		}
	return NULL;
}

/* Only the start of a live region may be freed, as in the nucleus. */
int sprig_vm_free(void *addr)
{
	for (int i = 0; i < MAX_REGIONS; i++)
		if (regions[i].base && regions[i].base == addr) {
			memset(addr, 0xa5, regions[i].len); /* stale pointers read junk */
			free(addr);
			regions[i].base = NULL;
			fake_vm_regions--;
			fake_vm_bytes -= regions[i].len;
			return 0;
		}
	return -22;
}

int fake_vm_owns(const void *p, size_t n)
{
	const char *c = p;
	for (int i = 0; i < MAX_REGIONS; i++) {
		const char *b = regions[i].base;
		if (b && c >= b && c + n <= b + regions[i].len)
			return 1;
	}
	return 0;
}

void fake_input(int fd, const char *data, size_t n)
{
	fds[fd].in = data;
	fds[fd].in_len = n;
	fds[fd].in_pos = 0;
}

ssize_t sprig_read(int fd, void *buf, size_t n)
{
	if (fd < 0 || fd >= FAKE_FDS) {
		sprig_errno = EBADF;
		return -1;
	}
	fds[fd].reads++;
	if (fake_read_fail) {
		sprig_errno = EIO;
		return -1;
	}
	size_t left = fds[fd].in_len - fds[fd].in_pos;
	if (n > left)
		n = left;
	if (fake_read_max && n > fake_read_max)
		n = fake_read_max;
	memcpy(buf, fds[fd].in + fds[fd].in_pos, n);
	fds[fd].in_pos += n;
	return (ssize_t)n;
}

ssize_t sprig_write(int fd, const void *buf, size_t n)
{
	if (fd < 0 || fd >= FAKE_FDS) {
		sprig_errno = EBADF;
		return -1;
	}
	fds[fd].writes++;
	if (fake_write_fail) {
		sprig_errno = EIO;
		return -1;
	}
	if (fake_write_max && n > fake_write_max)
		n = fake_write_max;
	if (n > OUT_MAX - fds[fd].out_len)
		n = OUT_MAX - fds[fd].out_len;
	memcpy(fds[fd].out + fds[fd].out_len, buf, n);
	fds[fd].out_len += n;
	fds[fd].out[fds[fd].out_len] = '\0';
	return (ssize_t)n;
}

int sprig_close(int fd)
{
	if (fd < 0 || fd >= FAKE_FDS) {
		sprig_errno = EBADF;
		return -1;
	}
	fds[fd].closed = 1;
	return 0;
}

const char *fake_output(int fd)
{
	return fds[fd].out;
}

size_t fake_output_len(int fd)
{
	return fds[fd].out_len;
}

int fake_writes(int fd)
{
	return fds[fd].writes;
}

int fake_reads(int fd)
{
	return fds[fd].reads;
}

int fake_closed(int fd)
{
	return fds[fd].closed;
}

int sprig_yield(void)
{
	return 0;
}

int sprig_console_write(const char *buf, size_t len)
{
	return (int)sprig_write(1, buf, len);
}

static jmp_buf exit_jump;
static int exit_status;

void sprig_domain_exit(int status)
{
	exit_status = status;
	longjmp(exit_jump, 1);
}

int fake_catch_exit(void (*fn)(void))
{
	if (setjmp(exit_jump))
		return exit_status;
	fn();
	return -1000;
}
