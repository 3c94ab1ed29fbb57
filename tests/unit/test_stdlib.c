/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for lib/c's stdlib.h: the strto* parsers' edge cases (white
 * space, signs, prefixes, overflow to ERANGE and the limits, no digits),
 * atoi/atol, abs, qsort (random, sorted, reversed and equal input, counting
 * comparisons so a quadratic case fails) and bsearch, the environment
 * (getenv, setenv, unsetenv over environ), the start-up's argument split,
 * and assert's report.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <assert.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "lib/c/libc.h"
#include "tests/unit/libc_fakes.h"

static void test_strtol_edge_cases(void **state)
{
	(void)state;
	char *end;
	assert_int_equal(strtol("  \t\n-42xyz", &end, 10), -42);
	assert_string_equal(end, "xyz");
	assert_int_equal(strtol("+17", NULL, 10), 17);
	assert_int_equal(strtol("0x1f", NULL, 0), 31);
	assert_int_equal(strtol("0X1F", NULL, 16), 31);
	assert_int_equal(strtol("017", NULL, 0), 15);
	assert_int_equal(strtol("z", NULL, 36), 35);
	assert_int_equal(strtol("-0x10", NULL, 0), -16);
	/* "0x" without hex digits is the number 0 followed by "x". */
	assert_int_equal(strtol("0xg", &end, 0), 0);
	assert_string_equal(end, "xg");
	/* No digits: 0, and end is the start. */
	const char *junk = "  -+5";
	assert_int_equal(strtol(junk, &end, 10), 0);
	assert_ptr_equal(end, junk);
	assert_int_equal(strtol("", &end, 10), 0);
	assert_int_equal(strtol("12", &end, 1), 0); /* no such base */
	errno = 0;
	assert_int_equal(strtol("123", NULL, 10), 123);
	assert_int_equal(errno, 0);
}

static void test_strtol_overflow(void **state)
{
	(void)state;
	char buf[64], *end;
	snprintf(buf, sizeof buf, "%ld", LONG_MAX);
	errno = 0;
	assert_true(strtol(buf, NULL, 10) == LONG_MAX);
	assert_int_equal(errno, 0);
	snprintf(buf, sizeof buf, "%ld", LONG_MIN);
	assert_true(strtol(buf, NULL, 10) == LONG_MIN);
	assert_int_equal(errno, 0);
	snprintf(buf, sizeof buf, "%lu0 rest", ULONG_MAX);
	assert_true(strtol(buf, &end, 10) == LONG_MAX);
	assert_int_equal(errno, ERANGE);
	assert_string_equal(end, " rest"); /* every digit is consumed */
	errno = 0;
	snprintf(buf, sizeof buf, "-%lu", ULONG_MAX);
	assert_true(strtol(buf, NULL, 10) == LONG_MIN);
	assert_int_equal(errno, ERANGE);
	errno = 0;
	snprintf(buf, sizeof buf, "%lu", ULONG_MAX);
	assert_true(strtoul(buf, NULL, 10) == ULONG_MAX);
	assert_int_equal(errno, 0);
	assert_true(strtoul("-1", NULL, 10) == ULONG_MAX); /* C's negation */
	snprintf(buf, sizeof buf, "%lu9", ULONG_MAX);
	assert_true(strtoul(buf, NULL, 10) == ULONG_MAX);
	assert_int_equal(errno, ERANGE);
	errno = 0;
	assert_true(strtoll("9223372036854775807", NULL, 10) == LLONG_MAX);
	assert_int_equal(errno, 0);
	assert_true(strtoll("-9223372036854775808", NULL, 10) == LLONG_MIN);
	assert_int_equal(errno, 0);
	assert_true(strtoll("9223372036854775808", NULL, 10) == LLONG_MAX);
	assert_int_equal(errno, ERANGE);
	errno = 0;
	assert_true(strtoull("18446744073709551615", NULL, 10) == ULLONG_MAX);
	assert_int_equal(errno, 0);
	assert_true(strtoull("0x10000000000000000", NULL, 0) == ULLONG_MAX);
	assert_int_equal(errno, ERANGE);
}

static void test_atoi_abs(void **state)
{
	(void)state;
	assert_int_equal(atoi(" -123abc"), -123);
	assert_int_equal(atol("99"), 99);
	assert_true(atoll("-5000000000") == -5000000000ll);
	assert_int_equal(abs(-5), 5);
	assert_int_equal(abs(5), 5);
	assert_true(labs(-7l) == 7);
	assert_true(llabs(-8ll) == 8);
}

static int comparisons;

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;
	comparisons++;
	return (x > y) - (x < y);
}

static void check_sorted(const int *v, int n)
{
	for (int i = 1; i < n; i++)
		assert_true(v[i - 1] <= v[i]);
}

/* Sorts a copy of v and checks order, content and the number of
 * comparisons (under 4 n log2 n: a quadratic case would be n^2 / 2). */
static void sort_and_check(const int *v, int n)
{
	static int w[20000];
	long sum = 0, wsum = 0;
	memcpy(w, v, (size_t)n * sizeof *w);
	comparisons = 0;
	qsort(w, (size_t)n, sizeof *w, cmp_int);
	check_sorted(w, n);
	for (int i = 0; i < n; i++)
		sum += v[i], wsum += w[i];
	assert_int_equal(sum, wsum);
	int log2n = 1;
	while ((1 << log2n) < n)
		log2n++;
	assert_true(comparisons < 4 * n * log2n + 100);
}

static void test_qsort(void **state)
{
	(void)state;
	enum { N = 20000 };
	static int v[N];
	srand(7);
	for (int i = 0; i < N; i++)
		v[i] = rand() % 1000;
	sort_and_check(v, N);
	for (int i = 0; i < N; i++)
		v[i] = i; /* sorted */
	sort_and_check(v, N);
	for (int i = 0; i < N; i++)
		v[i] = N - i; /* reversed */
	sort_and_check(v, N);
	for (int i = 0; i < N; i++)
		v[i] = 5; /* all equal */
	sort_and_check(v, N);
	for (int i = 0; i < N; i++)
		v[i] = i % 2 ? i : N - i; /* organ pipe-ish */
	sort_and_check(v, N);
	for (int n = 0; n < 40; n++) { /* the small sizes */
		for (int i = 0; i < n; i++)
			v[i] = rand() % 10;
		sort_and_check(v, n);
	}
	/* Elements wider than a word. */
	struct {
		int key;
		char pad[13];
	} s[100];
	for (int i = 0; i < 100; i++) {
		s[i].key = (i * 37) % 100;
		memset(s[i].pad, s[i].key, sizeof s[i].pad);
	}
	qsort(s, 100, sizeof s[0], cmp_int);
	for (int i = 0; i < 100; i++) {
		assert_int_equal(s[i].key, i);
		assert_int_equal(s[i].pad[12], (char)i);
	}
}

static void test_bsearch(void **state)
{
	(void)state;
	int v[101];
	for (int i = 0; i < 101; i++)
		v[i] = 2 * i;
	for (int key = -1; key <= 203; key++) {
		int *p = bsearch(&key, v, 101, sizeof v[0], cmp_int);
		if (key >= 0 && key <= 200 && key % 2 == 0)
			assert_ptr_equal(p, &v[key / 2]);
		else
			assert_null(p);
	}
	int k = 0;
	assert_null(bsearch(&k, v, 0, sizeof v[0], cmp_int));
}

static void test_environment(void **state)
{
	(void)state;
	char a[] = "HOME=/home/sprig", b[] = "PATH=/bin";
	char *env[] = {a, b, NULL};
	environ = env;
	assert_string_equal(getenv("HOME"), "/home/sprig");
	assert_string_equal(getenv("PATH"), "/bin");
	assert_null(getenv("HOM"));
	assert_null(getenv("HOMES"));
	assert_int_equal(setenv("HOME", "/root", 0), 0); /* kept */
	assert_string_equal(getenv("HOME"), "/home/sprig");
	assert_int_equal(setenv("HOME", "/root", 1), 0);
	assert_string_equal(getenv("HOME"), "/root");
	assert_string_equal(a, "HOME=/home/sprig"); /* the old strings stay as they were */
	for (int i = 0; i < 50; i++) {
		char name[16], value[16];
		snprintf(name, sizeof name, "V%d", i);
		snprintf(value, sizeof value, "%d", i * i);
		assert_int_equal(setenv(name, value, 1), 0);
	}
	assert_string_equal(getenv("V49"), "2401");
	assert_string_equal(getenv("PATH"), "/bin");
	assert_int_equal(unsetenv("PATH"), 0);
	assert_null(getenv("PATH"));
	assert_int_equal(unsetenv("PATH"), 0);
	assert_string_equal(getenv("V0"), "0");
	errno = 0;
	assert_int_equal(setenv("A=B", "c", 1), -1);
	assert_int_equal(errno, EINVAL);
	assert_int_equal(setenv("", "c", 1), -1);
	assert_int_equal(unsetenv(""), -1);
	int n = 0;
	for (char **e = environ; *e; e++)
		n++;
	assert_int_equal(n, 51);
}

static void test_split_args(void **state)
{
	(void)state;
	char line[] = "  TERM=vt100 _X1=a=b build/user/prog.elf  one frames=3 two ";
	char *argv[8], *envp[4];
	assert_int_equal(sprig_split_args(line, argv, 7, envp, 3), 4);
	assert_string_equal(argv[0], "prog.elf");
	assert_string_equal(argv[1], "one");
	assert_string_equal(argv[2], "frames=3"); /* after the program: an argument */
	assert_string_equal(argv[3], "two");
	assert_null(argv[4]);
	assert_string_equal(envp[0], "TERM=vt100");
	assert_string_equal(envp[1], "_X1=a=b");
	assert_null(envp[2]);
	assert_string_equal(sprig_progname, "prog.elf");

	char many[] = "p a b c d e";
	assert_int_equal(sprig_split_args(many, argv, 3, envp, 3), 3);
	assert_null(argv[3]);
	assert_null(envp[0]);
	char weird[] = "1=x =y prog";
	assert_int_equal(sprig_split_args(weird, argv, 7, envp, 3), 3);
	assert_string_equal(argv[0], "1=x");
	assert_int_equal(sprig_split_args(NULL, argv, 7, envp, 3), 0);
	assert_null(argv[0]);
}

static volatile int zero;

static void failing_assert(void)
{
	assert(zero > 0);
}

static void test_assert_reports_and_aborts(void **state)
{
	(void)state;
	fake_reset();
	assert_int_equal(fake_catch_exit(failing_assert), 134);
	assert_non_null(strstr(fake_output(2), "tests/unit/test_stdlib.c:"));
	assert_non_null(strstr(fake_output(2), ": failing_assert: assertion 'zero > 0' failed\n"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_strtol_edge_cases),
	        cmocka_unit_test(test_strtol_overflow),
	        cmocka_unit_test(test_atoi_abs),
	        cmocka_unit_test(test_qsort),
	        cmocka_unit_test(test_bsearch),
	        cmocka_unit_test(test_environment),
	        cmocka_unit_test(test_split_args),
	        cmocka_unit_test(test_assert_reports_and_aborts),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
