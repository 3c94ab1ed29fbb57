/* SPDX-License-Identifier: MIT */
/*
 * spin NAME [ROUNDS]: burns the CPU without ever yielding, printing a line
 * every three timer ticks. Two of these make progress together only if the
 * nucleus preempts them.
 */
#include "lib/c/libc.h"

static uint64_t ticks_now(void)
{
	struct sprig_time t;
	sprig_time(&t);
	return t.ticks;
}

int main(int argc, char **argv)
{
	const char *name = argc > 1 ? argv[1] : "?";
	int rounds = argc > 2 ? atoi(argv[2]) : 5;
	for (int i = 1; i <= rounds; i++) {
		uint64_t until = ticks_now() + 3;
		while (ticks_now() < until)
			;
		printf("spin %s: round %d\n", name, i);
	}
	return 0;
}
