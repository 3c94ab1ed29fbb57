/* SPDX-License-Identifier: MIT */
/*
 * POSIX basic types for Sprig user programs. Only the ones stdio and the
 * file-descriptor layer need so far; add more beside them as they come.
 * ssize_t is the signed twin of size_t (int on i386).
 */
#ifndef _SYS_TYPES_H
#define _SYS_TYPES_H

#include <stddef.h>

#ifndef _SSIZE_T_DECLARED
#define _SSIZE_T_DECLARED
typedef __PTRDIFF_TYPE__ ssize_t;
#endif
typedef int pid_t;
typedef long off_t;
typedef unsigned int mode_t;
typedef unsigned int useconds_t;

#endif
