/* SPDX-License-Identifier: MIT */
/*
 * threads: the thread and time system calls. Starts three threads that
 * sleep for different times and count in; checks that sleeping takes at
 * least as long as asked and that the clocks move; exits with status 7.
 */
#include "lib/c/libc.h"

#define NTHREADS 3

static char stacks[NTHREADS][4096] __attribute__((aligned(16)));
static volatile int finished;

static uint64_t ticks_now(void)
{
	struct sprig_time t;
	sprig_time(&t);
	return t.ticks;
}

static void worker(void *arg)
{
	int n = (int)(uintptr_t)arg;
	uint64_t start = ticks_now();
	sleep_ms(20u * (unsigned)(n + 1));
	uint64_t slept = ticks_now() - start;
	printf("threads: worker %d (thread %d) slept %u ticks\n", n, thread_self(),
	       (unsigned)slept);
	if (slept < (uint64_t)(2 * (n + 1)))
		printf("threads: FAIL: worker %d woke early\n", n);
	__atomic_fetch_add(&finished, 1, __ATOMIC_SEQ_CST);
}

int main(void)
{
	struct sprig_time t0, t1;
	sprig_time(&t0);
	for (int i = 0; i < NTHREADS; i++) {
		int id = thread_create(worker, (void *)(uintptr_t)i, stacks[i], sizeof stacks[i]);
		if (id < 0)
			printf("threads: FAIL: thread_create: %s\n", strerror(id));
	}
	while (finished < NTHREADS)
		sleep_ms(10);
	sprig_time(&t1);
	printf("threads: all %d workers done; %u ticks at %u Hz, tsc advanced: %s\n", NTHREADS,
	       (unsigned)(t1.ticks - t0.ticks), t1.hz, t1.tsc > t0.tsc ? "yes" : "no");
	return 7;
}
