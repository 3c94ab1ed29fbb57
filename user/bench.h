/* SPDX-License-Identifier: MIT */
/*
 * What the benchmark programs share (doorbench, procbench, and Linux's
 * tools/linuxbench/lbench.c, which measures the same rows there): a row
 * of the table tools/bench.sh reads, "bench: NAME,BYTES,ITERATIONS,PER_OP"
 * (BENCH_PREFIX before the colon) with PER_OP in TSC ticks (instructions
 * under QEMU's -icount), and MEASURE, which times a statement. Only
 * standard headers, so it builds for Linux too.
 */
#ifndef SPRIG_USER_BENCH_H
#define SPRIG_USER_BENCH_H

#include <stdint.h>
#include <stdio.h>

#ifndef BENCH_PREFIX
#define BENCH_PREFIX "bench"
#endif

static inline uint64_t bench_ticks(void)
{
	uint32_t lo, hi;
	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return (uint64_t)hi << 32 | lo;
}

static inline void report(const char *name, uint32_t bytes, uint32_t iters, uint64_t ticks)
{
	uint64_t per_op = (ticks + iters / 2) / iters;
	printf(BENCH_PREFIX ": %s,%u,%u,%u\n", name, (unsigned)bytes, (unsigned)iters,
	       (unsigned)per_op);
}

/* Times iters runs of stmt after eight unmeasured ones. */
#define MEASURE(name, bytes, iters, stmt)                                                          \
	do {                                                                                       \
		for (int w_ = 0; w_ < 8; w_++) {                                                   \
			stmt;                                                                      \
		}                                                                                  \
		uint64_t t0_ = bench_ticks();                                                      \
		for (uint32_t i_ = 0; i_ < (iters); i_++) {                                        \
			stmt;                                                                      \
		}                                                                                  \
		report(name, bytes, iters, bench_ticks() - t0_);                                   \
	} while (0)

#endif
