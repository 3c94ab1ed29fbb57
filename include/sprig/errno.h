/* SPDX-License-Identifier: MIT */
/*
 * Error numbers shared by the nucleus and user space. System calls and door
 * calls return them negated (-EFAULT); zero or a positive value is success.
 * The values follow the traditional Unix numbering so they read familiarly.
 */
#ifndef SPRIG_ERRNO_H
#define SPRIG_ERRNO_H

#define EPERM     1  /* operation not permitted */
#define ENOENT    2  /* no such object */
#define ESRCH     3  /* no such thread or domain */
#define EINTR     4  /* interrupted: the caller or peer went away */
#define EIO       5  /* input/output error */
#define E2BIG     7  /* argument list or data too large */
#define ENOEXEC   8  /* malformed executable */
#define EBADF     9  /* bad (closed, revoked or unknown) door id */
#define EAGAIN    11 /* resource temporarily unavailable */
#define ENOMEM    12 /* out of memory */
#define EACCES    13 /* permission denied (a port or range the nucleus keeps) */
#define EFAULT    14 /* bad user address */
#define EBUSY     16 /* object busy */
#define EEXIST    17 /* object exists */
#define EINVAL    22 /* invalid argument */
#define ENFILE    23 /* the system's door table is full */
#define EMFILE    24 /* door table full */
#define ENOSPC    28 /* no space left */
#define ERANGE    34 /* result buffer too small */
#define EDEADLK   35 /* call would deadlock / depth limit */
#define ENOSYS    38 /* no such system call */
#define EOVERFLOW 75 /* value too large */
#define ENOTSUP   95 /* operation not supported */

#define SPRIG_ERRNO_MAX 128

#endif
