/* SPDX-License-Identifier: MIT */
/*
 * Futexes: a thread sleeps on a word of its domain's memory until another
 * thread of the domain wakes that address (SYS_FUTEX_WAIT, SYS_FUTEX_WAKE
 * in sprig/syscall.h). A waiter is keyed by (address space, virtual
 * address) and sleeps on one of a fixed table of wait queues picked by a
 * hash of the key, so waiting allocates nothing. Being killed, a signal,
 * or its shuttle becoming alerted or interrupted (the caller it serves has
 * gone or has been signalled) wakes a waiter with -EINTR.
 *
 * Entry points: futex_wait, futex_wake, futex_wake_word, futex_interrupt.
 */
#include "nucleus/nucleus.h"
#include <sprig/errno.h>

#define FUTEX_BUCKETS 64 /* a power of two */

/* The wait queues; interrupts off. A queue's list is set up on first use. */
static struct {
	struct waitq q[FUTEX_BUCKETS];
} futexes;

static struct waitq *futex_bucket(const struct aspace *as, uint32_t va)
{
	uint32_t h = ((uint32_t)as >> 4 ^ va >> 2) * 2654435761u;
	struct waitq *q = &futexes.q[h >> 26];
	_Static_assert(FUTEX_BUCKETS == 1 << (32 - 26), "the hash's top bits pick a bucket");
	if (!q->threads.next)
		list_init(&q->threads);
	return q;
}

/* A futex address: 4-byte aligned, in user space, inside a region. */
static int futex_addr_ok(const struct aspace *as, uint32_t va)
{
	return !(va & 3) && uaccess_range_ok(va, 4) && aspace_find_region(as, va);
}

/* SYS_FUTEX_WAIT: sleeps while the word at va holds val. Returns 0 when
 * woken, -EAGAIN when the word differs, -ETIMEDOUT, -EINTR, or -EFAULT. */
int futex_wait(uint32_t va, uint32_t val, uint32_t timeout_ms)
{
	struct thread *t = current;
	struct aspace *as = &t->dom->as;
	uint32_t word;
	if (!futex_addr_ok(as, va))
		return -EFAULT;
	int err = copy_in(as, &word, va, sizeof word);
	if (err < 0)
		return err;
	if (word != val)
		return -EAGAIN;
	if (t->dt.shuttle->alerted || t->dt.shuttle->interrupted)
		return -EINTR; /* nobody waits for what this thread does */
	uint64_t until = 0;
	if (timeout_ms) /* whole ticks, plus the one in progress, as SYS_SLEEP */
		until = timer_ticks() + ((uint64_t)timeout_ms * TIMER_HZ + 999) / 1000 + 1;
	t->futex_as = as;
	t->futex_va = va;
	err = waitq_sleep_until(futex_bucket(as, va), until);
	t->futex_as = NULL;
	return err;
}

/* SYS_FUTEX_WAKE: wakes up to n threads of this domain waiting on va,
 * oldest first; returns how many, or -EFAULT. */
int futex_wake(uint32_t va, uint32_t n)
{
	if (!futex_addr_ok(&current->dom->as, va))
		return -EFAULT;
	return futex_wake_word(va, n);
}

/* futex_wake for a word the nucleus has just written in the current
 * domain (so it is there, aligned and in a region): no check. */
int futex_wake_word(uint32_t va, uint32_t n)
{
	const struct aspace *as = &current->dom->as;
	struct list_node *pos, *tmp;
	int woken = 0;
	struct waitq *q = futex_bucket(as, va);
	list_for_each_safe(pos, tmp, &q->threads)
	{
		struct thread *w = list_entry(pos, struct thread, link);
		if ((uint32_t)woken == n)
			break;
		if (w->futex_as != as || w->futex_va != va)
			continue;
		sched_wake(w, 0);
		woken++;
	}
	return woken;
}

/* t's shuttle was alerted or interrupted: if it waits on a futex, it
 * returns -EINTR. */
void futex_interrupt(struct thread *t)
{
	if (t->futex_as && t->state == THREAD_BLOCKED)
		sched_wake(t, -EINTR);
}
