/* SPDX-License-Identifier: MIT */
/* loop [SECONDS]: burns the CPU for that long (forever without one),
 * never sleeping: a job for ^C and kill to stop. */
#include <stdio.h>
#include <stdlib.h>

#include "lib/c/libc.h"

int main(int argc, char **argv)
{
	long secs = argc > 1 ? strtol(argv[1], NULL, 10) : -1;
	struct sprig_time t0, t;
	sprig_time(&t0);
	for (volatile unsigned long n = 0;; n++) {
		if (secs < 0 || n % 4096)
			continue;
		sprig_time(&t);
		if (t.ticks - t0.ticks >= (unsigned long long)secs * t0.hz)
			return 0;
	}
}
