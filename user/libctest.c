/* SPDX-License-Identifier: MIT */
/*
 * libctest: the C library inside the booted system, written as a plain
 * Unix program (standard headers only). It checks malloc against the
 * nucleus's real vm_alloc (random blocks, a large one, calloc), stdio to
 * the console (stdout, stderr, snprintf), qsort, the environment, atexit,
 * and that exit flushes a fully buffered stdout. Prints one line per check
 * and exits 0 only if every check passed.
 */
#include <assert.h>
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int failures;

static void check(const char *what, int ok)
{
	printf("libctest: %s %s\n", ok ? "PASS" : "FAIL", what);
	failures += !ok;
}

/* Random blocks, each filled with its own pattern, checked before free. */
static int malloc_works(void)
{
	enum { N = 300 };
	static unsigned char *p[N];
	static size_t n[N];
	srand(1);
	for (int round = 0; round < 20; round++)
		for (int i = 0; i < N; i++) {
			for (size_t k = 0; p[i] && k < n[i]; k++)
				if (p[i][k] != (unsigned char)(i + k))
					return 0;
			free(p[i]);
			n[i] = (size_t)rand() % (i % 10 == 0 ? 20000 : 300);
			if (!(p[i] = malloc(n[i])) || (size_t)p[i] % 16)
				return 0;
			for (size_t k = 0; k < n[i]; k++)
				p[i][k] = (unsigned char)(i + k);
		}
	for (int i = 0; i < N; i++)
		free(p[i]);
	return 1;
}

static int large_and_calloc_work(void)
{
	char *big = malloc(4 << 20);
	if (!big)
		return 0;
	memset(big, 'x', 4 << 20);
	free(big);
	int *z = calloc(100000, sizeof *z);
	for (int i = 0; z && i < 100000; i++)
		if (z[i])
			return 0;
	free(z);
	errno = 0;
	return z && !calloc((size_t)-1, 16) && errno == ENOMEM;
}

static int cmp_int(const void *a, const void *b)
{
	return *(const int *)a - *(const int *)b;
}

static int qsort_works(void)
{
	static int v[10000];
	for (int i = 0; i < 10000; i++)
		v[i] = 10000 - i;
	qsort(v, 10000, sizeof v[0], cmp_int);
	for (int i = 0; i < 10000; i++)
		if (v[i] != i + 1)
			return 0;
	int key = 4242;
	return bsearch(&key, v, 10000, sizeof v[0], cmp_int) == &v[4241];
}

static int env_works(void)
{
	if (setenv("GREETING", "hello", 1) != 0)
		return 0;
	char *g = getenv("GREETING");
	return g && !strcmp(g, "hello") && unsetenv("GREETING") == 0 && !getenv("GREETING");
}

static void at_exit(void)
{
	printf("libctest: atexit handler ran; %s\n", failures ? "FAILED" : "all passed");
}

int main(int argc, char **argv)
{
	(void)argc;
	check("malloc and free of random blocks", malloc_works());
	check("a 4 MiB block; calloc zeroes and checks overflow", large_and_calloc_work());
	check("qsort and bsearch", qsort_works());
	check("setenv, getenv, unsetenv", env_works());
	char buf[32];
	snprintf(buf, sizeof buf, "%s-%d", argv[0], 7);
	check("snprintf and the program name", !strcmp(buf, "libctest.elf-7"));
	check("strtol overflow", strtol("99999999999", NULL, 10) == 2147483647 && errno == ERANGE);
	check("ctype", isalpha('q') && !isdigit('q') && toupper('q') == 'Q');
	assert(failures == 0);
	fprintf(stderr, "libctest: to stderr, unbuffered\n");
	atexit(at_exit);
	setvbuf(stdout, NULL, _IOFBF, 4096);
	printf("libctest: buffered until exit\n");
	return failures ? 1 : 0;
}
