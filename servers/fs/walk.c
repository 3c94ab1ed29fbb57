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
#include <string.h>

#include "servers/fs/walk.h"

static const struct fsdom *doms; /* the domains served: their prefixes */
static int ndoms;

void walk_domains(const struct fsdom *table, int n)
{
	doms = table;
	ndoms = n;
}

/* Where a walk is, as an absolute path: where a mount point would be. A
 * path too long to keep counts the names past it (".." takes them back). */
struct place {
	char path[FS_PATH_MAX + 1];
	uint32_t over; /* names walked down past what path could hold */
};

/* out = a, then "/" and rest if a slash followed the name just walked
 * (kept, so a last name must still be a directory), never doubling a '/'.
 * 0, or -ENAMETOOLONG past FS_PATH_MAX bytes. */
static int join(char *out, const char *a, int slash, const char *rest)
{
	size_t n = strlen(a), r = strlen(rest);
	int sep = slash && (n == 0 || a[n - 1] != '/');
	if (n + (size_t)sep + r > FS_PATH_MAX)
		return -ENAMETOOLONG;
	memmove(out, a, n);
	if (sep)
		out[n++] = '/';
	memmove(out + n, rest, r + 1);
	return 0;
}

/* A redirect to join(a, slash, rest): FS_REDIRECT or -ENAMETOOLONG. */
static int redirect_to(char *redirect, const char *a, int slash, const char *rest)
{
	int err = join(redirect, a, slash, rest);
	return err < 0 ? err : FS_REDIRECT;
}

/* The directory above d's prefix, then the rest: ".." out of d. */
static int up_and_out(const struct fsdom *d, int slash, const char *rest, char *redirect)
{
	char parent[sizeof d->prefix];
	strlcpy(parent, d->prefix, sizeof parent);
	char *last = strrchr(parent, '/');
	if (last)
		last[last == parent ? 1 : 0] = 0;
	return redirect_to(redirect, parent, slash, rest);
}

/* here moves to its child name, or up for ".." and stays for "."; 1 if
 * here->path is then where the walk is. */
static int descend(struct place *here, const char *name, uint32_t len)
{
	if (len == 1 && name[0] == '.')
		return here->over == 0;
	if (len == 2 && name[0] == '.' && name[1] == '.') {
		char *slash = strrchr(here->path, '/');
		if (here->over > 0)
			here->over--;
		else if (slash)
			slash[slash == here->path ? 1 : 0] = 0;
		return here->over == 0;
	}
	size_t n = strlen(here->path);
	if (here->over > 0 || n + len + 2 > FS_PATH_MAX) {
		here->over++;
		return 0;
	}
	if (n > 1)
		here->path[n++] = '/';
	memcpy(here->path + n, name, len);
	here->path[n + len] = 0;
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

/* The symbolic link ino, met with rest after it: an absolute target
 * redirects; a relative one replaces work (target, then rest) to walk on
 * from the link's directory. 0, FS_REDIRECT or -errno. */
static int follow(struct fsdom *d, uint32_t ino, int slash, const char *rest, char *work,
                  char *redirect)
{
	char target[FS_PATH_MAX + 1], joined[FS_PATH_MAX + 1];
	int n = d->ops->readlink(d, ino, target, FS_PATH_MAX);
	if (n < 0)
		return n;
	if (n == 0)
		return -ENOENT; /* an empty target names nothing */
	target[n] = 0;
	if (target[0] == '/')
		return redirect_to(redirect, target, slash, rest);
	int err = join(joined, target, slash, rest);
	if (err < 0)
		return err;
	memcpy(work, joined, strlen(joined) + 1);
	return 0;
}

/* What WALK_PARENT answers at the last name: its directory and it. */
static void name_last(struct walk *w, uint32_t dir, const char *comp, uint32_t len, int slash)
{
	w->dir = dir;
	memcpy(w->name, comp, len);
	w->name[len] = 0;
	w->len = len;
	w->must_dir = slash;
}

/* walk.h says what it answers. */
int walk(struct fsdom *d, const char *path, int flags, struct walk *w, char *redirect)
{
	char work[FS_PATH_MAX + 1];
	struct place here; /* not zeroed: a KiB of stores on every lookup */
	if (strlen(path) > FS_PATH_MAX)
		return -ENAMETOOLONG;
	strlcpy(work, path, sizeof work);
	strlcpy(here.path, d->prefix, sizeof here.path);
	here.over = 0;
	uint32_t cur = d->root, at = 0;
	int links = 0;
	memset(w, 0, sizeof *w);
	for (;;) {
		while (work[at] == '/')
			at++;
		if (!work[at]) { /* the path named cur itself */
			w->dir = w->ino = cur;
			w->found = 1;
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
		const char *comp = work + start, *rest = work + at;
		int dotdot = len == 2 && comp[0] == '.' && comp[1] == '.';
		if (dotdot && cur == d->root && strcmp(d->prefix, "/"))
			return up_and_out(d, slash, rest, redirect);
		if (last && (flags & WALK_PARENT))
			name_last(w, cur, comp, len, slash);
		uint32_t ino;
		int err = d->ops->lookup(d, cur, comp, len, &ino);
		if (err == -ENOENT && last && (flags & WALK_PARENT))
			return 0; /* not there: the caller may make it */
		struct stream_stat st;
		if (err == 0)
			err = d->ops->stat(d, ino, &st);
		if (err < 0)
			return err;
		uint32_t type = st.mode & FS_S_IFMT;
		if (type == FS_S_IFLNK && (!last || slash || (flags & WALK_FOLLOW))) {
			if (++links > WALK_LINKS_MAX)
				return -ELOOP;
			err = follow(d, ino, slash, rest, work, redirect);
			if (err != 0)
				return err;
			at = 0;
			continue; /* relative: on from cur */
		}
		if (type != FS_S_IFDIR && (!last || slash))
			return -ENOTDIR;
		if (type == FS_S_IFDIR && descend(&here, comp, len) &&
		    mounted_elsewhere(d, here.path))
			return redirect_to(redirect, here.path, slash, rest); /* another domain's */
		if (!last) {
			cur = ino;
			continue;
		}
		if (!(flags & WALK_PARENT))
			name_last(w, cur, comp, len, 0);
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
