/* SPDX-License-Identifier: MIT */
/*
 * What the benchmark programs share (doorbench, procbench): a row of the
 * table tools/bench.sh reads, "bench: NAME,BYTES,ITERATIONS,PER_OP" with
 * PER_OP in TSC ticks (instructions under QEMU's -icount), and MEASURE,
 * which times a statement.
 */
#ifndef SPRIG_USER_BENCH_H
#define SPRIG_USER_BENCH_H

#include "lib/c/libc.h"

static inline void report(const char *name, uint32_t bytes, uint32_t iters, uint64_t ticks)
{
	uint64_t per_op = (ticks + iters / 2) / iters;
	printf("bench: %s,%u,%u,%u\n", name, bytes, iters, (unsigned)per_op);
}

/* Times iters runs of stmt after eight unmeasured ones. */
#define MEASURE(name, bytes, iters, stmt)                                                          \
	do {                                                                                       \
		for (int w_ = 0; w_ < 8; w_++) {                                                   \
			stmt;                                                                      \
		}                                                                                  \
		uint64_t t0_ = rdtsc();                                                            \
		for (uint32_t i_ = 0; i_ < (iters); i_++) {                                        \
			stmt;                                                                      \
		}                                                                                  \
		report(name, bytes, iters, rdtsc() - t0_);                                         \
	} while (0)

#endif
