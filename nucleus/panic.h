/* SPDX-License-Identifier: MIT */
/*
 * panic() and assert(): for broken invariants only, never for bad input from
 * user space. panic prints the message, the registers and a symbolised
 * backtrace, then powers off with a failure status.
 */
#ifndef SPRIG_PANIC_H
#define SPRIG_PANIC_H

__attribute__((noreturn, __format__(__printf__, 1, 2))) void panic(const char *fmt, ...);

#define assert(cond)                                                                               \
	do {                                                                                       \
		if (__builtin_expect(!(cond), 0))                                                  \
			panic("assertion failed: %s (%s:%d)", #cond, __FILE__, __LINE__);          \
	} while (0)

#define likely(x)   __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)

#endif
