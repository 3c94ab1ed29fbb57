/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for lib/c/prefix.c, the client's prefix table: the longest
 * match ("/" under everything, "/tmp" not over "/tmpx", a prefix exactly,
 * the rest of the path), paths made absolute against a current directory
 * with doubled slashes made one, lengths at and past FS_PATH_MAX, and
 * normalize's ".", ".." and the root's "..".
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <string.h>

#include "lib/c/prefix.h"

static struct prefix table[] = {
        {"/", 1, 10}, {"/tmp", 4, 11}, {"/dev", 4, 12}, {"/a/b", 4, 13}, {"/a/b/c", 6, 14},
};
#define N ((int)(sizeof table / sizeof *table))

/* The door of the prefix abs falls under (-1: none), and its rest. */
static int door_of(const char *abs, const char **rest)
{
	*rest = NULL;
	struct prefix *p = prefix_match(table, N, abs, rest);
	return p ? p->door : -1;
}

static void matches(const char *abs, int door, const char *rest)
{
	const char *r;
	int got = door_of(abs, &r);
	if (got != door)
		fail_msg("%s: prefix %d, not %d", abs, got, door);
	assert_string_equal(r, rest);
}

static void test_longest(void **state)
{
	(void)state;
	matches("/", 10, "/");
	matches("/etc/motd", 10, "/etc/motd");
	matches("/tmp", 11, "");
	matches("/tmp/", 11, "/");
	matches("/tmp/x/y", 11, "/x/y");
	matches("/tmpx", 10, "/tmpx");
	matches("/tmpx/y", 10, "/tmpx/y");
	matches("/tm", 10, "/tm");
	matches("/dev/null", 12, "/null");
	matches("/a", 10, "/a");
	matches("/a/bc", 10, "/a/bc");
	matches("/a/b", 13, "");
	matches("/a/b/d", 13, "/d");
	matches("/a/b/c", 14, "");
	matches("/a/b/c/d", 14, "/d");
	matches("/a/b/cd", 13, "/cd");
}

static void test_order_and_empty(void **state)
{
	(void)state;
	/* the longest wins wherever it stands in the table */
	struct prefix rev[] = {{"/a/b/c", 6, 1}, {"/a/b", 4, 2}, {"/", 1, 3}};
	const char *rest;
	assert_int_equal(prefix_match(rev, 3, "/a/b/c/x", &rest)->door, 1);
	assert_int_equal(prefix_match(rev, 3, "/a/b/x", &rest)->door, 2);
	assert_int_equal(prefix_match(rev, 3, "/x", &rest)->door, 3);
	/* no "/": a path under nothing */
	assert_null(prefix_match(rev, 2, "/x", &rest));
	assert_null(prefix_match(rev, 0, "/a/b", &rest));
}

static void absolute(const char *cwd, const char *path, const char *want)
{
	char out[PREFIX_PATH_MAX + 1];
	int err = prefix_absolute(cwd, path, out);
	if (err)
		fail_msg("%s from %s: %d", path, cwd, err);
	assert_string_equal(out, want);
}

static void test_absolute(void **state)
{
	(void)state;
	absolute("/", "etc/motd", "/etc/motd");
	absolute("/tmp", "x", "/tmp/x");
	absolute("/tmp", "./x/../y", "/tmp/./x/../y"); /* dots are the server's */
	absolute("/tmp", "/etc", "/etc");
	absolute("/", "//etc///motd", "/etc/motd");
	absolute("/tmp", "x//", "/tmp/x/");
	absolute("/tmp/", "x", "/tmp/x");
	absolute("/", "/", "/");
	absolute("/a/b", ".", "/a/b/.");
	char out[PREFIX_PATH_MAX + 1];
	assert_int_equal(prefix_absolute("/", NULL, out), -EFAULT);
	assert_int_equal(prefix_absolute("/", "", out), -ENOENT);
}

static void test_absolute_lengths(void **state)
{
	(void)state;
	char path[PREFIX_PATH_MAX + 8], out[PREFIX_PATH_MAX + 1];
	/* absolute: FS_PATH_MAX bytes fit, one more does not */
	path[0] = '/';
	memset(path + 1, 'p', PREFIX_PATH_MAX - 1);
	path[PREFIX_PATH_MAX] = 0;
	assert_int_equal(prefix_absolute("/tmp", path, out), 0);
	assert_int_equal(strlen(out), PREFIX_PATH_MAX);
	strcpy(path + PREFIX_PATH_MAX, "p");
	assert_int_equal(prefix_absolute("/tmp", path, out), -ENAMETOOLONG);
	/* relative to "/": FS_PATH_MAX - 1 bytes, and the one '/' */
	memset(path, 'q', PREFIX_PATH_MAX - 1);
	path[PREFIX_PATH_MAX - 1] = 0;
	assert_int_equal(prefix_absolute("/", path, out), 0);
	assert_int_equal(strlen(out), PREFIX_PATH_MAX);
	assert_int_equal(out[0], '/');
	strcpy(path + PREFIX_PATH_MAX - 1, "q");
	assert_int_equal(prefix_absolute("/", path, out), -ENAMETOOLONG);
	/* relative to "/tmp": the directory counts */
	path[PREFIX_PATH_MAX - 5] = 0;
	assert_int_equal(prefix_absolute("/tmp", path, out), 0);
	assert_int_equal(strlen(out), PREFIX_PATH_MAX);
	path[PREFIX_PATH_MAX - 5] = 'q';
	path[PREFIX_PATH_MAX - 4] = 0;
	assert_int_equal(prefix_absolute("/tmp", path, out), -ENAMETOOLONG);
	/* a path longer than FS_PATH_MAX is refused even if its slashes would
	 * make it shorter */
	memset(path, '/', PREFIX_PATH_MAX + 1);
	path[PREFIX_PATH_MAX + 1] = 0;
	assert_int_equal(prefix_absolute("/", path, out), -ENAMETOOLONG);
	path[PREFIX_PATH_MAX] = 0;
	assert_int_equal(prefix_absolute("/", path, out), 0);
	assert_string_equal(out, "/");
}

static void normalize(const char *cwd, const char *path, const char *want)
{
	char out[PREFIX_PATH_MAX + 1];
	int err = prefix_normalize(cwd, path, out);
	if (err)
		fail_msg("%s from %s: %d", path, cwd, err);
	assert_string_equal(out, want);
}

static void test_normalize(void **state)
{
	(void)state;
	normalize("/", ".", "/");
	normalize("/", "..", "/"); /* the root's ".." is the root */
	normalize("/", "../../..", "/");
	normalize("/", "/..", "/");
	normalize("/tmp", "..", "/");
	normalize("/tmp", "../..", "/");
	normalize("/a/b", "..", "/a");
	normalize("/a/b", "../c/./d/", "/a/c/d");
	normalize("/a/b", "./././", "/a/b");
	normalize("/a/b", "x/../../y", "/a/y");
	normalize("/", "//a//b//", "/a/b");
	normalize("/tmp", "/etc/../dev/./null", "/dev/null");
	normalize("/", "...", "/...");
	normalize("/", "a/..b/.c", "/a/..b/.c");
	char out[PREFIX_PATH_MAX + 1];
	assert_int_equal(prefix_normalize("/", "", out), -ENOENT);
	assert_int_equal(prefix_normalize("/", NULL, out), -EFAULT);
}

/* normalize's result is never longer than the absolute path. */
static void test_normalize_long(void **state)
{
	(void)state;
	char path[PREFIX_PATH_MAX + 1], out[PREFIX_PATH_MAX + 1];
	for (int i = 0; i < PREFIX_PATH_MAX - 1; i++)
		path[i] = i % 2 ? '/' : 'x';
	path[PREFIX_PATH_MAX - 1] = 0;
	assert_int_equal(prefix_normalize("/", path, out), 0);
	assert_int_equal(strlen(out), PREFIX_PATH_MAX);
	assert_int_equal(out[0], '/');
	assert_int_equal(out[PREFIX_PATH_MAX - 1], 'x');
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_longest),   cmocka_unit_test(test_order_and_empty),
	        cmocka_unit_test(test_absolute),  cmocka_unit_test(test_absolute_lengths),
	        cmocka_unit_test(test_normalize), cmocka_unit_test(test_normalize_long),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
