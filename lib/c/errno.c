/* SPDX-License-Identifier: MIT */
/*
 * errno and the error messages. errno is a single global: the C library is
 * for single-threaded programs (threads of one domain share it). strerror
 * also accepts the negated values the system calls return, so
 * strerror(door_call(...)) reads naturally.
 *
 * Entry points: errno, strerror.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

int errno;

static const char *const messages[SPRIG_ERRNO_MAX] = {
        [0] = "success",
        [EPERM] = "operation not permitted",
        [ENOENT] = "no such file or object",
        [ESRCH] = "no such thread or domain",
        [EINTR] = "interrupted",
        [EIO] = "input/output error",
        [E2BIG] = "argument too large",
        [ENOEXEC] = "malformed executable",
        [EBADF] = "bad file descriptor or door id",
        [ECHILD] = "no child processes",
        [EAGAIN] = "resource temporarily unavailable",
        [ENOMEM] = "out of memory",
        [EACCES] = "permission denied",
        [EFAULT] = "bad address",
        [EBUSY] = "object busy",
        [EEXIST] = "object exists",
        [EXDEV] = "cross-device link",
        [ENODEV] = "no such device",
        [ENOTDIR] = "not a directory",
        [EISDIR] = "is a directory",
        [EINVAL] = "invalid argument",
        [ENFILE] = "too many open objects in the system",
        [EMFILE] = "table of doors or descriptors full",
        [ENOTTY] = "not a terminal",
        [EFBIG] = "file too large",
        [ENOSPC] = "no space left",
        [ESPIPE] = "illegal seek",
        [EROFS] = "read-only file system",
        [EMLINK] = "too many links",
        [EPIPE] = "broken pipe",
        [EDOM] = "argument out of domain",
        [ERANGE] = "result out of range or buffer too small",
        [EDEADLK] = "call would deadlock",
        [ENAMETOOLONG] = "file name too long",
        [ENOSYS] = "function not implemented",
        [ENOTEMPTY] = "directory not empty",
        [ELOOP] = "too many levels of symbolic links",
        [EOVERFLOW] = "value too large",
        [EILSEQ] = "illegal byte sequence",
        [ENOTSUP] = "operation not supported",
        [ETIMEDOUT] = "timed out",
};

/* The message for err (or -err). An unknown number gets "unknown error N"
 * in a static buffer, overwritten by the next such call. */
char *strerror(int err)
{
	static char unknown[32];
	unsigned e = err < 0 ? 0u - (unsigned)err : (unsigned)err;
	if (e < SPRIG_ERRNO_MAX && messages[e])
		return (char *)messages[e];
	snprintf(unknown, sizeof unknown, "unknown error %d", err);
	return unknown;
}
