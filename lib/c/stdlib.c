/* SPDX-License-Identifier: MIT */
/*
 * The rest of stdlib.h: ending the program (atexit, exit, _Exit, _exit,
 * abort, and assert's report), small arithmetic, pseudo-random numbers,
 * qsort and bsearch, and the environment. The number parsers are in
 * string.c (the nucleus shares them), malloc in malloc.c.
 *
 * Entry points: atexit, exit, _Exit, _exit, abort, __assert_fail, atol,
 * atoll, abs, labs, llabs, rand, srand, qsort, bsearch, environ, getenv,
 * setenv, unsetenv.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/c/libc.h"

#define ATEXIT_MAX 32

static struct {
	void (*fn[ATEXIT_MAX])(void);
	int n;
} exit_handlers;

/* Registers fn to run at exit, the last registered first; -1 when full. */
int atexit(void (*fn)(void))
{
	if (exit_handlers.n == ATEXIT_MAX)
		return -1;
	exit_handlers.fn[exit_handlers.n++] = fn;
	return 0;
}

/* Runs the atexit handlers, flushes every stream and ends the domain. */
void exit(int status)
{
	while (exit_handlers.n > 0)
		exit_handlers.fn[--exit_handlers.n]();
	fflush(NULL);
	_exit(status);
}

void _Exit(int status)
{
	_exit(status);
}

void _exit(int status)
{
	domain_exit(status);
}

/* Ends the program at once with status 134 (128 + SIGABRT, as a shell
 * reports an abort); streams are not flushed. */
void abort(void)
{
	static const char msg[] = "abort\n";
	fputs(sprig_progname, stderr);
	fwrite(": ", 1, 2, stderr);
	fwrite(msg, 1, sizeof msg - 1, stderr);
	_exit(134);
}

void __assert_fail(const char *expr, const char *file, int line, const char *func)
{
	fprintf(stderr, "%s: %s:%d: %s: assertion '%s' failed\n", sprig_progname, file, line, func,
	        expr);
	abort();
}

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

/* Swaps two elements of size bytes. */
static void swap_elems(char *a, char *b, size_t size)
{
	for (size_t i = 0; i < size; i++) {
		char t = a[i];
		a[i] = b[i];
		b[i] = t;
	}
}

typedef int (*cmp_fn)(const void *, const void *);

static void insertion_sort(char *base, size_t n, size_t size, cmp_fn cmp)
{
	for (size_t i = 1; i < n; i++)
		for (size_t j = i; j > 0 && cmp(base + (j - 1) * size, base + j * size) > 0; j--)
			swap_elems(base + (j - 1) * size, base + j * size, size);
}

/* Restores the max-heap below root in base[0..n). */
static void sift_down(char *base, size_t root, size_t n, size_t size, cmp_fn cmp)
{
	for (size_t child; (child = 2 * root + 1) < n; root = child) {
		if (child + 1 < n && cmp(base + child * size, base + (child + 1) * size) < 0)
			child++;
		if (cmp(base + root * size, base + child * size) >= 0)
			return;
		swap_elems(base + root * size, base + child * size, size);
	}
}

static void heap_sort(char *base, size_t n, size_t size, cmp_fn cmp)
{
	for (size_t i = n / 2; i-- > 0;)
		sift_down(base, i, n, size, cmp);
	for (size_t end = n; end-- > 1;) {
		swap_elems(base, base + end * size, size);
		sift_down(base, 0, end, size, cmp);
	}
}

/* Moves the median of the first, middle and last elements to the front,
 * then partitions base[1..n) around it (Hoare); returns the pivot's final
 * index. Sorted and reversed input split evenly. */
static size_t partition(char *base, size_t n, size_t size, cmp_fn cmp)
{
	char *lo = base, *mid = base + n / 2 * size, *hi = base + (n - 1) * size;
	if (cmp(mid, lo) < 0)
		swap_elems(mid, lo, size);
	if (cmp(hi, mid) < 0) {
		swap_elems(hi, mid, size);
		if (cmp(mid, lo) < 0)
			swap_elems(mid, lo, size);
	}
	swap_elems(base, mid, size);
	size_t i = 0, j = n;
	for (;;) {
		while (++i < n && cmp(base + i * size, base) < 0)
			;
		while (cmp(base + --j * size, base) > 0)
			;
		if (i >= j)
			break;
		swap_elems(base + i * size, base + j * size, size);
	}
	swap_elems(base, base + j * size, size);
	return j;
}

/* Introsort: quicksort on the median of three, recursing into the smaller
 * side only, turning to heapsort when the depth passes 2 log2 n (so never
 * quadratic), and insertion sort for short runs. */
static void intro_sort(char *base, size_t n, size_t size, cmp_fn cmp, int depth)
{
	while (n > 12) {
		if (depth-- == 0) {
			heap_sort(base, n, size, cmp);
			return;
		}
		size_t p = partition(base, n, size, cmp);
		if (p < n - p - 1) {
			intro_sort(base, p, size, cmp, depth);
			base += (p + 1) * size;
			n -= p + 1;
		} else {
			intro_sort(base + (p + 1) * size, n - p - 1, size, cmp, depth);
			n = p;
		}
	}
	insertion_sort(base, n, size, cmp);
}

void qsort(void *base, size_t n, size_t size, cmp_fn cmp)
{
	int depth = 0;
	for (size_t m = n; m > 1; m >>= 1)
		depth += 2;
	if (size)
		intro_sort(base, n, size, cmp, depth);
}

void *bsearch(const void *key, const void *base, size_t n, size_t size, cmp_fn cmp)
{
	const char *lo = base;
	while (n > 0) {
		const char *mid = lo + n / 2 * size;
		int c = cmp(key, mid);
		if (c == 0)
			return (void *)mid;
		if (c > 0) {
			lo = mid + size;
			n -= n / 2 + 1;
		} else {
			n /= 2;
		}
	}
	return NULL;
}

/* The environment: crt_main points environ at the words it was given;
 * setenv and unsetenv first copy the array to one of their own (own_env,
 * own_cap entries), so a program may also set environ itself. Strings that
 * setenv replaces are not freed: someone may still hold them. */
static char *no_env[1];
char **environ = no_env;
static char **own_env;
static size_t own_cap;

/* The entry for name in environ, or NULL. */
static char **env_find(const char *name, size_t len)
{
	for (char **e = environ; e && *e; e++)
		if (strncmp(*e, name, len) == 0 && (*e)[len] == '=')
			return e;
	return NULL;
}

static int env_name_ok(const char *name)
{
	if (!name || !*name || strchr(name, '=')) {
		errno = EINVAL;
		return 0;
	}
	return 1;
}

char *getenv(const char *name)
{
	size_t len = strlen(name);
	char **e = env_find(name, len);
	return e ? *e + len + 1 : NULL;
}

/* Makes environ our own array with room for one more entry; -1 (ENOMEM)
 * when memory runs out. */
static int env_make_room(void)
{
	size_t n = 0;
	while (environ && environ[n])
		n++;
	if (environ == own_env && n + 1 < own_cap)
		return 0;
	size_t cap = n + 8;
	char **e = malloc(cap * sizeof *e);
	if (!e)
		return -1;
	memcpy(e, environ ? environ : no_env, n * sizeof *e);
	e[n] = NULL;
	if (environ == own_env)
		free(own_env);
	environ = own_env = e;
	own_cap = cap;
	return 0;
}

int setenv(const char *name, const char *value, int overwrite)
{
	if (!env_name_ok(name))
		return -1;
	size_t len = strlen(name), vlen = strlen(value);
	char **e = env_find(name, len);
	if (e && !overwrite)
		return 0;
	char *entry = malloc(len + vlen + 2);
	if (!entry || env_make_room() < 0) {
		free(entry);
		return -1;
	}
	memcpy(entry, name, len);
	entry[len] = '=';
	memcpy(entry + len + 1, value, vlen + 1);
	e = env_find(name, len); /* the array may have moved */
	if (!e) {
		for (e = environ; *e; e++)
			;
		e[1] = NULL;
	}
	*e = entry;
	return 0;
}

int unsetenv(const char *name)
{
	if (!env_name_ok(name))
		return -1;
	size_t len = strlen(name);
	for (char **e; (e = env_find(name, len)) != NULL;)
		do
			e[0] = e[1];
		while (*e++);
	return 0;
}
