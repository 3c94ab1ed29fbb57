/* SPDX-License-Identifier: MIT */
/*
 * A client's prefix table, as pure functions (prefix.c): a path made
 * absolute against the current directory, its ".", ".." and doubled
 * slashes dropped, and the longest prefix in a table it falls under.
 * file.c keeps the table and the current directory; the host unit test
 * (tests/unit/test_prefix.c) passes its own.
 */
#ifndef SPRIG_LIBC_PREFIX_H
#define SPRIG_LIBC_PREFIX_H

#include <stdint.h>

#define PREFIX_PATH_MAX 1024 /* FS_PATH_MAX (sprite/fs.h) */

struct prefix {
	char path[64]; /* absolute, no trailing '/' but for "/" itself */
	uint32_t len;
	int door; /* the domain's door (file.c's; unused here) */
};

/* path made absolute against cwd (absolute itself) in out (PREFIX_PATH_MAX
 * + 1 bytes), each run of '/' made one. 0, -EFAULT (NULL), -ENOENT (""),
 * -ENAMETOOLONG. */
int prefix_absolute(const char *cwd, const char *path, char *out);

/* prefix_absolute, then ".", ".." (at "/": "/") and doubled slashes
 * dropped. 0 or prefix_absolute's errors. */
int prefix_normalize(const char *cwd, const char *path, char *out);

/* The longest of the n prefixes of table that abs falls under (a prefix
 * matches whole names: "/tmp" not "/tmpx"; "/" all), and in *rest what is
 * left of abs after it; NULL if none. */
struct prefix *prefix_match(struct prefix *table, int n, const char *abs, const char **rest);

#endif
