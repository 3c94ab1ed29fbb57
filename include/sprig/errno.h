/* SPDX-License-Identifier: MIT */
/*
 * Error numbers shared by the nucleus and user space. System calls and door
 * calls return them negated (-EFAULT); zero or a positive value is success.
 * The values follow the traditional Unix numbering so they read familiarly.
 */
#ifndef SPRIG_ERRNO_H
#define SPRIG_ERRNO_H

#define EPERM        1   /* operation not permitted */
#define ENOENT       2   /* no such object */
#define ESRCH        3   /* no such thread or domain */
#define EINTR        4   /* interrupted: the caller or peer went away */
#define EIO          5   /* input/output error */
#define E2BIG        7   /* argument list or data too large */
#define ENOEXEC      8   /* malformed executable */
#define EBADF        9   /* bad (closed, revoked or unknown) door id or descriptor */
#define ECHILD       10  /* no child to wait for */
#define EAGAIN       11  /* resource temporarily unavailable */
#define ENOMEM       12  /* out of memory */
#define EACCES       13  /* permission denied */
#define EFAULT       14  /* bad user address */
#define EBUSY        16  /* object busy */
#define EEXIST       17  /* object exists */
#define EXDEV        18  /* link across file systems */
#define ENODEV       19  /* no such device */
#define ENOTDIR      20  /* not a directory */
#define EISDIR       21  /* is a directory */
#define EINVAL       22  /* invalid argument */
#define ENFILE       23  /* the system's door table is full */
#define EMFILE       24  /* door table full */
#define ENOTTY       25  /* not a terminal */
#define EFBIG        27  /* file too large */
#define ENOSPC       28  /* no space left */
#define ESPIPE       29  /* seek on a pipe */
#define EROFS        30  /* read-only file system */
#define EMLINK       31  /* too many links */
#define EPIPE        32  /* broken pipe */
#define EDOM         33  /* argument out of a function's domain */
#define ERANGE       34  /* result buffer too small, or result out of range */
#define EDEADLK      35  /* call would deadlock / depth limit */
#define ENAMETOOLONG 36  /* file name too long */
#define ENOSYS       38  /* no such system call */
#define ENOTEMPTY    39  /* directory not empty */
#define ELOOP        40  /* too many symbolic links */
#define EOVERFLOW    75  /* value too large */
#define EILSEQ       84  /* illegal byte sequence */
#define ENOTSUP      95  /* operation not supported */
#define ETIMEDOUT    110 /* timed out */

#define SPRIG_ERRNO_MAX 128

#endif
