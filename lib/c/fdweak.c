/* SPDX-License-Identifier: MIT */
/*
 * FALLBACK, until lib/c/fd.c exists: read, write and close for stdio, as
 * weak symbols. Writes to descriptors 1 and 2 go to the nucleus console;
 * reading gives end-of-file at once; everything else fails with EBADF.
 * When fd.c arrives, remove this file from LIBC_OBJS (a weak definition
 * linked first from an archive is not replaced by a later strong one).
 *
 * Entry points: read, write, close (weak).
 */
#include <errno.h>
#include <sys/types.h>

#include "lib/c/libc.h"

__attribute__((weak)) ssize_t write(int fd, const void *buf, size_t n)
{
	if (fd != 1 && fd != 2) {
		errno = EBADF;
		return -1;
	}
	int done = console_write(buf, n);
	if (done < 0) {
		errno = -done;
		return -1;
	}
	return done;
}

__attribute__((weak)) ssize_t read(int fd, void *buf, size_t n)
{
	(void)buf, (void)n;
	if (fd < 0 || fd > 2) {
		errno = EBADF;
		return -1;
	}
	return 0;
}

__attribute__((weak)) int close(int fd)
{
	(void)fd;
	return 0;
}
