/* SPDX-License-Identifier: MIT */
/*
 * Path walking (walk.h): a path relative to a domain's root, a component
 * at a time, through the domain's lookup, stat and readlink. "." stays,
 * ".." goes up (and out of the domain above its root), a symbolic link is
 * followed (a relative one on from its directory, an absolute one by
 * redirecting), at most WALK_LINKS_MAX of them; a directory that is
 * another domain's prefix is a mount point and redirects there. The walk
 * keeps the absolute path of where it is, to know the mount points.
 *
 * Entry points: walk_domains, walk, walk_take_paths.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "servers/fs/walk.h"

static const struct fsdom *doms; /* the domains served: their prefixes */
static int ndoms;

void walk_domains(const struct fsdom *table, int n)
{
	doms = table;
	ndoms = n;
}

/* redirect = the directory above prefix, then "/" rest. */
static void up_and_out(const struct fsdom *d, const char *rest, char *redirect)
{
	char parent[64];
	strlcpy(parent, d->prefix, sizeof parent);
	char *slash = strrchr(parent, '/');
	if (slash)
		slash[slash == parent ? 1 : 0] = 0;
	snprintf(redirect, FS_PATH_MAX, "%s/%s", parent, rest);
}

/* here (an absolute path) moves to its child name, or up for ".." and
 * stays for "."; 0 if it would not fit. */
static int descend(char *here, const char *name, uint32_t len)
{
	if (len == 1 && name[0] == '.')
		return 1;
	if (len == 2 && name[0] == '.' && name[1] == '.') {
		char *slash = strrchr(here, '/');
		if (slash)
			slash[slash == here ? 1 : 0] = 0;
		return 1;
	}
	size_t n = strlen(here);
	if (n + len + 2 > FS_PATH_MAX)
		return 0;
	if (n > 1)
		here[n++] = '/';
	memcpy(here + n, name, len);
	here[n + len] = 0;
	return 1;
}

/* Is here the prefix of a domain other than d (a mount point in d)? */
static int mounted_elsewhere(const struct fsdom *d, const char *here)
{
	for (int i = 0; i < ndoms; i++)
		if (&doms[i] != d && !strcmp(doms[i].prefix, here))
			return 1;
	return 0;
}

/* walk.h says what it answers. */
int walk(struct fsdom *d, const char *path, int flags, struct walk *w, char *redirect)
{
	char work[FS_PATH_MAX + 1], target[FS_PATH_MAX + 1];
	if (strlen(path) > FS_PATH_MAX)
		return -ENAMETOOLONG;
	strlcpy(work, path, sizeof work);
	uint32_t cur = d->root, at = 0;
	int links = 0;
	char here[FS_PATH_MAX + 1]; /* cur's absolute path: where a mount point would be */
	strlcpy(here, d->prefix, sizeof here);
	memset(w, 0, sizeof *w);
	for (;;) {
		while (work[at] == '/')
			at++;
		if (!work[at]) { /* the path named cur itself */
			w->dir = w->ino = cur;
			w->found = 1;
			w->len = 0;
			return d->ops->stat(d, cur, &w->st);
		}
		uint32_t start = at;
		while (work[at] && work[at] != '/')
			at++;
		uint32_t len = at - start;
		if (len > FS_NAME_MAX)
			return -ENAMETOOLONG;
		int slash = work[at] == '/';
		while (work[at] == '/')
			at++;
		int last = !work[at];
		const char *comp = work + start;
		const char *rest = work + at;
		if (len == 2 && comp[0] == '.' && comp[1] == '.' && cur == d->root &&
		    strcmp(d->prefix, "/")) {
			up_and_out(d, rest, redirect);
			return FS_REDIRECT;
		}
		if (last && (flags & WALK_PARENT)) {
			w->dir = cur;
			memcpy(w->name, comp, len);
			w->name[len] = 0;
			w->len = len;
			w->must_dir = slash;
		}
		uint32_t ino;
		int err = d->ops->lookup(d, cur, comp, len, &ino);
		if (err == -ENOENT && last && (flags & WALK_PARENT))
			return 0; /* not there: the caller may make it */
		if (err < 0)
			return err;
		struct stream_stat st;
		err = d->ops->stat(d, ino, &st);
		if (err < 0)
			return err;
		if ((st.mode & FS_S_IFMT) == FS_S_IFLNK &&
		    (!last || (flags & WALK_FOLLOW) || slash)) {
			if (++links > WALK_LINKS_MAX)
				return -ELOOP;
			int n = d->ops->readlink(d, ino, target, FS_PATH_MAX);
			if (n < 0)
				return n;
			target[n] = 0;
			if (n + strlen(rest) + 2 > FS_PATH_MAX)
				return -ENAMETOOLONG;
			if (target[0] == '/') {
				snprintf(redirect, FS_PATH_MAX, "%s%s%s", target, *rest ? "/" : "",
				         rest);
				return FS_REDIRECT;
			}
			char joined[FS_PATH_MAX + 1];
			snprintf(joined, sizeof joined, "%s%s%s", target, *rest ? "/" : "", rest);
			strlcpy(work, joined, sizeof work);
			at = 0;
			continue; /* relative: on from cur */
		}
		if (!last) {
			if ((st.mode & FS_S_IFMT) != FS_S_IFDIR)
				return -ENOTDIR;
			cur = ino;
			if (descend(here, comp, len) && mounted_elsewhere(d, here)) {
				snprintf(redirect, FS_PATH_MAX, "%s/%s", here, rest);
				return FS_REDIRECT; /* a mount point: another domain's */
			}
			continue;
		}
		if (slash && (st.mode & FS_S_IFMT) != FS_S_IFDIR)
			return -ENOTDIR;
		if (!(flags & WALK_PARENT)) {
			w->dir = cur;
			memcpy(w->name, comp, len);
			w->name[len] = 0;
			w->len = len;
		}
		w->ino = ino;
		w->found = 1;
		w->st = st;
		return 0;
	}
}

/* The path(s) in a request: copied, NUL-terminated, at most two. */
int walk_take_paths(const struct door_io *io, char *a, char *b)
{
	const char *in = io->in;
	uint32_t n = io->in_size, i = 0;
	if (n == 0 || n > 2 * (FS_PATH_MAX + 1))
		return n ? -ENAMETOOLONG : -ENOENT;
	for (; i < n && in[i]; i++)
		if (i >= FS_PATH_MAX)
			return -ENAMETOOLONG;
	memcpy(a, in, i);
	a[i] = 0;
	if (!b)
		return 0;
	if (i + 1 >= n)
		return -EINVAL; /* no second path */
	uint32_t j = i + 1, k = 0;
	for (; j < n && in[j]; j++, k++)
		if (k >= FS_PATH_MAX)
			return -ENAMETOOLONG;
	memcpy(b, in + i + 1, k);
	b[k] = 0;
	return 0;
}
