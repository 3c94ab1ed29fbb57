/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for lib/c's string.h, strings.h and ctype.h, and strerror:
 * copies that must pad or terminate, joins, searches (empty needles and
 * sets included), both tokenizers, case-insensitive comparison, strdup,
 * every character class over all 257 inputs, and a message for every error
 * number sprig/errno.h defines.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "lib/c/libc.h"

static void test_copies_and_joins(void **state)
{
	(void)state;
	char buf[16];
	assert_ptr_equal(strcpy(buf, "abc"), buf);
	assert_string_equal(buf, "abc");
	memset(buf, 'x', sizeof buf);
	strncpy(buf, "ab", 6);
	assert_memory_equal(buf, "ab\0\0\0\0xx", 8); /* padded to n, no further */
	strncpy(buf, "abcdefgh", 4);
	assert_memory_equal(buf, "abcd\0", 5); /* not terminated by strncpy */
	strcpy(buf, "one");
	assert_ptr_equal(strcat(buf, "two"), buf);
	assert_string_equal(buf, "onetwo");
	strncat(buf, "threefour", 5);
	assert_string_equal(buf, "onetwothree");
	strncat(buf, "", 5);
	assert_string_equal(buf, "onetwothree");
	char small[8] = "ab";
	assert_int_equal(strlcat(small, "cdefghij", sizeof small), 10);
	assert_string_equal(small, "abcdefg");
	assert_int_equal(strlcpy(small, "xyz", sizeof small), 3);
	char *d = strdup("duplicate");
	assert_string_equal(d, "duplicate");
	free(d);
	d = strndup("duplicate", 3);
	assert_string_equal(d, "dup");
	free(d);
	d = strndup("ab", 10);
	assert_string_equal(d, "ab");
	free(d);
}

static void test_searches(void **state)
{
	(void)state;
	const char *s = "hello, world";
	assert_ptr_equal(memchr(s, 'o', 12), s + 4);
	assert_null(memchr(s, 'o', 4));
	assert_ptr_equal(memchr(s, '\0', 13), s + 12);
	assert_ptr_equal(strstr(s, "world"), s + 7);
	assert_ptr_equal(strstr(s, ""), s);
	assert_non_null(strstr("", ""));
	assert_null(strstr(s, "worlds"));
	assert_string_equal(strstr("aaab", "aab"), "aab");
	assert_int_equal(strspn("  \tx", " \t"), 3);
	assert_int_equal(strspn("abc", ""), 0);
	assert_int_equal(strcspn("abc,def", ",;"), 3);
	assert_int_equal(strcspn("abc", ""), 3);
	assert_ptr_equal(strpbrk(s, ",w"), s + 5);
	assert_null(strpbrk(s, "xyz"));
	assert_ptr_equal(strchr(s, '\0'), s + 12);
	assert_ptr_equal(strrchr(s, 'o'), s + 8);
}

static void test_tokens(void **state)
{
	(void)state;
	char line[] = "  ls -l,,/tmp  ";
	assert_string_equal(strtok(line, " ,"), "ls");
	assert_string_equal(strtok(NULL, " ,"), "-l");
	assert_string_equal(strtok(NULL, " ,"), "/tmp");
	assert_null(strtok(NULL, " ,"));
	assert_null(strtok(NULL, " ,"));
	char a[] = "a:b", b[] = "1;2;3";
	char *sa, *sb;
	/* strtok_r keeps two scans apart. */
	assert_string_equal(strtok_r(a, ":", &sa), "a");
	assert_string_equal(strtok_r(b, ";", &sb), "1");
	assert_string_equal(strtok_r(NULL, ":", &sa), "b");
	assert_string_equal(strtok_r(NULL, ";", &sb), "2");
	assert_string_equal(strtok_r(NULL, ";", &sb), "3");
	assert_null(strtok_r(NULL, ":", &sa));
	assert_null(strtok_r(NULL, ";", &sb));
	char empty[] = ";;;";
	assert_null(strtok_r(empty, ";", &sa));
}

static void test_case_insensitive(void **state)
{
	(void)state;
	assert_int_equal(strcasecmp("Hello", "hELLO"), 0);
	assert_true(strcasecmp("abc", "ABD") < 0);
	assert_true(strcasecmp("abcd", "ABC") > 0);
	assert_int_equal(strncasecmp("FOObar", "fooBAZ", 5), 0);
	assert_true(strncasecmp("FOObar", "fooBAZ", 6) < 0);
	assert_int_equal(strncasecmp("x", "y", 0), 0);
	assert_int_equal(strcoll("a", "a"), 0);
}

/* Each class against its definition, for every unsigned char and EOF. */
static void test_ctype(void **state)
{
	(void)state;
	for (int c = -1; c < 256; c++) {
		int up = c >= 'A' && c <= 'Z', lo = c >= 'a' && c <= 'z',
		    dig = c >= '0' && c <= '9';
		int print = c >= 32 && c < 127;
		assert_int_equal(!!isupper(c), up);
		assert_int_equal(!!islower(c), lo);
		assert_int_equal(!!isdigit(c), dig);
		assert_int_equal(!!isalpha(c), up || lo);
		assert_int_equal(!!isalnum(c), up || lo || dig);
		assert_int_equal(!!isxdigit(c),
		                 dig || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'));
		assert_int_equal(!!isspace(c), c == ' ' || c == '\t' || c == '\n' || c == '\v' ||
		                                       c == '\f' || c == '\r');
		assert_int_equal(!!isprint(c), print);
		assert_int_equal(!!isgraph(c), print && c != ' ');
		assert_int_equal(!!ispunct(c), print && c != ' ' && !(up || lo || dig));
		assert_int_equal(!!iscntrl(c), (c >= 0 && c < 32) || c == 127);
		assert_int_equal(!!isblank(c), c == ' ' || c == '\t');
		assert_int_equal(toupper(c), lo ? c - 32 : c);
		assert_int_equal(tolower(c), up ? c + 32 : c);
	}
}

/* Every number sprig/errno.h names has a message of its own. */
static void test_strerror(void **state)
{
	(void)state;
	static const int numbers[] = {
	        EPERM,        ENOENT,  ESRCH,     EINTR,  EIO,       E2BIG,  ENOEXEC, EBADF,
	        ECHILD,       EAGAIN,  ENOMEM,    EACCES, EFAULT,    EBUSY,  EEXIST,  EXDEV,
	        ENODEV,       ENOTDIR, EISDIR,    EINVAL, ENFILE,    EMFILE, ENOTTY,  EFBIG,
	        ENOSPC,       ESPIPE,  EROFS,     EMLINK, EPIPE,     EDOM,   ERANGE,  EDEADLK,
	        ENAMETOOLONG, ENOSYS,  ENOTEMPTY, ELOOP,  EOVERFLOW, EILSEQ, ENOTSUP, ETIMEDOUT,
	};
	const char *seen[sizeof numbers / sizeof numbers[0]];
	for (size_t i = 0; i < sizeof numbers / sizeof numbers[0]; i++) {
		const char *m = strerror(numbers[i]);
		assert_null(strstr(m, "unknown"));
		assert_string_equal(strerror(-numbers[i]), m); /* the negated form too */
		for (size_t j = 0; j < i; j++)
			assert_string_not_equal(seen[j], m);
		seen[i] = m;
	}
	assert_string_equal(strerror(0), "success");
	assert_string_equal(strerror(6), "unknown error 6");
	assert_string_equal(strerror(1000), "unknown error 1000");
	assert_non_null(strerror(-2147483647 - 1));
	assert_int_equal(EWOULDBLOCK, EAGAIN);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_copies_and_joins),
	        cmocka_unit_test(test_searches),
	        cmocka_unit_test(test_tokens),
	        cmocka_unit_test(test_case_insensitive),
	        cmocka_unit_test(test_ctype),
	        cmocka_unit_test(test_strerror),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
