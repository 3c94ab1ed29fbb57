/* SPDX-License-Identifier: MIT */
/*
 * Path walking in the fs domain (walk.c): a path relative to a domain's
 * root, component by component, over the domain's vfs operations. A walk
 * that leaves the domain (".." above its root, a symbolic link to an
 * absolute path, a directory that is another domain's prefix) answers
 * FS_REDIRECT with the absolute path to look up instead. Needs no doors:
 * the host unit test (tests/unit/test_walk.c) runs it over memfs.
 */
#ifndef SPRIG_FS_WALK_H
#define SPRIG_FS_WALK_H

#include "servers/fs/vfs.h"

#define WALK_LINKS_MAX 8 /* symbolic links followed in one lookup */

enum { WALK_PARENT = 1, WALK_FOLLOW = 2 };

struct walk {
	uint32_t dir, ino; /* the last component's directory, and it (if found) */
	char name[FS_NAME_MAX + 1];
	uint32_t len; /* 0: the path named the domain's root */
	int found, must_dir;
	struct stream_stat st; /* the found node's */
};

/* The domains served here (their prefixes are the mount points); walk
 * reads the table, the caller keeps it. */
void walk_domains(const struct fsdom *doms, int n);

/*
 * Walks path (relative to d's root; d's lock held). With WALK_PARENT it
 * stops at the last component (w->dir, w->name, and w->ino if it exists);
 * with WALK_FOLLOW a last component that is a symbolic link is followed.
 * Returns 0, -errno, or FS_REDIRECT with the absolute path in redirect
 * (FS_PATH_MAX + 1 bytes).
 */
int walk(struct fsdom *d, const char *path, int flags, struct walk *w, char *redirect);

/* The path(s) in a request (io->in): copied, NUL-terminated, into a and
 * (if not NULL) b, FS_PATH_MAX + 1 bytes each. 0 or -errno. */
int walk_take_paths(const struct door_io *io, char *a, char *b);

#endif
