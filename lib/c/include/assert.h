/* SPDX-License-Identifier: MIT */
/*
 * assert(expr): when expr is false, prints the expression, file, line and
 * function on stderr and aborts. Compiled out under NDEBUG. Like the C
 * standard's, this header may be included again with NDEBUG changed.
 */
#undef assert
#ifdef NDEBUG
#define assert(expr) ((void)0)
#else
#define assert(expr) ((expr) ? (void)0 : __assert_fail(#expr, __FILE__, __LINE__, __func__))
#endif

#ifndef _ASSERT_H
#define _ASSERT_H
void __assert_fail(const char *expr, const char *file, int line, const char *func)
        __attribute__((noreturn));
#ifndef __cplusplus
#define static_assert _Static_assert
#endif
#endif
