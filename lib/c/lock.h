/* SPDX-License-Identifier: MIT */
/*
 * The C library's one lock: a test-and-set word that yields the CPU while
 * another thread holds it. Sprig preempts threads, so a holder always gets
 * to finish; the library's critical sections are short (a buffer copy, a
 * free-list update). Not recursive. Zero is unlocked.
 */
#ifndef SPRIG_LIBC_LOCK_H
#define SPRIG_LIBC_LOCK_H

#include "lib/c/libc.h"

static inline void libc_lock(int *lock)
{
	while (__atomic_exchange_n(lock, 1, __ATOMIC_ACQUIRE))
		yield();
}

static inline void libc_unlock(int *lock)
{
	__atomic_store_n(lock, 0, __ATOMIC_RELEASE);
}

#endif
