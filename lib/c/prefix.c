/* SPDX-License-Identifier: MIT */
/*
 * The prefix table's arithmetic on paths (prefix.h), as Sprite's clients
 * do it: a path is made absolute with the current directory, then the
 * longest prefix it falls under names the domain, and the rest of the
 * path goes to that domain's door. Pure: the table and the current
 * directory are the caller's (file.c).
 *
 * Entry points: prefix_absolute, prefix_normalize, prefix_match.
 */
#include <errno.h>
#include <string.h>

#include "lib/c/prefix.h"

/* Copies a run of n bytes of s to out at *at, each run of '/' made one;
 * 0, or -ENAMETOOLONG past PREFIX_PATH_MAX bytes. */
static int put(char *out, uint32_t *at, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '/' && *at > 0 && out[*at - 1] == '/')
			continue;
		if (*at >= PREFIX_PATH_MAX)
			return -ENAMETOOLONG;
		out[(*at)++] = s[i];
	}
	out[*at] = 0;
	return 0;
}

int prefix_absolute(const char *cwd, const char *path, char *out)
{
	if (!path)
		return -EFAULT;
	if (!path[0])
		return -ENOENT;
	if (strlen(path) > PREFIX_PATH_MAX)
		return -ENAMETOOLONG;
	uint32_t at = 0;
	int err = 0;
	if (path[0] != '/') { /* "//" is "/": prefixes match whole names */
		err = put(out, &at, cwd, strlen(cwd));
		if (!err)
			err = put(out, &at, "/", 1);
	}
	if (!err)
		err = put(out, &at, path, strlen(path));
	return err;
}

int prefix_normalize(const char *cwd, const char *path, char *out)
{
	char abs[PREFIX_PATH_MAX + 1];
	int err = prefix_absolute(cwd, path, abs);
	if (err < 0)
		return err;
	uint32_t n = 0;
	out[n++] = '/';
	for (const char *p = abs; *p;) {
		while (*p == '/')
			p++;
		const char *start = p;
		while (*p && *p != '/')
			p++;
		uint32_t len = (uint32_t)(p - start);
		if (len == 0 || (len == 1 && start[0] == '.'))
			continue;
		if (len == 2 && start[0] == '.' && start[1] == '.') {
			while (n > 1 && out[n - 1] != '/')
				n--;
			if (n > 1)
				n--;
			continue;
		}
		if (n > 1)
			out[n++] = '/';
		memcpy(out + n, start, len);
		n += len;
	}
	out[n] = 0;
	return 0;
}

struct prefix *prefix_match(struct prefix *table, int n, const char *abs, const char **rest)
{
	struct prefix *best = NULL;
	for (int i = 0; i < n; i++) {
		struct prefix *p = &table[i];
		int fits = p->len == 1 || (!strncmp(abs, p->path, p->len) &&
		                           (abs[p->len] == '/' || abs[p->len] == 0));
		if (fits && (!best || p->len > best->len))
			best = p;
	}
	if (best)
		*rest = abs + (best->len == 1 ? 0 : best->len);
	return best;
}
