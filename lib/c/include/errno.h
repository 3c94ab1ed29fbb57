/* SPDX-License-Identifier: MIT */
/*
 * errno: the error numbers are Sprig's own (sprig/errno.h, the same values
 * the nucleus returns negated). errno is one global int: the library is for
 * single-threaded programs; threads of one domain share it.
 */
#ifndef _ERRNO_H
#define _ERRNO_H

#include <sprig/errno.h>

extern int errno;

#define EWOULDBLOCK EAGAIN
#define EOPNOTSUPP  ENOTSUP

#endif
