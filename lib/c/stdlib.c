/* SPDX-License-Identifier: MIT */
/*
 * The small parts of stdlib.h: atol, atoll, abs, labs, llabs, rand and
 * srand. The number parsers are in string.c (the nucleus shares them),
 * malloc in malloc.c, exit in exit.c, qsort in qsort.c, the environment in
 * env.c.
 *
 * Entry points: atol, atoll, abs, labs, llabs, rand, srand.
 */
#include <stdlib.h>

long atol(const char *s)
{
	return strtol(s, NULL, 10);
}

long long atoll(const char *s)
{
	return strtoll(s, NULL, 10);
}

int abs(int v)
{
	return v < 0 ? -v : v;
}

long labs(long v)
{
	return v < 0 ? -v : v;
}

long long llabs(long long v)
{
	return v < 0 ? -v : v;
}

static unsigned long long rand_state = 1;

/* A 64-bit linear congruential generator (Knuth's MMIX constants); the
 * high bits are the result, the low ones being weak. */
int rand(void)
{
	rand_state = rand_state * 6364136223846793005ull + 1442695040888963407ull;
	return (int)(rand_state >> 33);
}

void srand(unsigned seed)
{
	rand_state = seed;
}
