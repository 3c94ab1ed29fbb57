/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for servers/fs/walk.c, the fs domain's path walk, over three
 * memfs domains as fs.c serves them: "/" (with the mount points tmp and
 * a/b in it), "/tmp", and "/a/b" (a prefix two names deep). Plain paths,
 * ".", "..", doubled and trailing slashes, symbolic links relative and
 * absolute, ELOOP, ENAMETOOLONG, ENOTDIR, ENOENT, WALK_PARENT's answers,
 * ".." out of a domain and mount points (FS_REDIRECT and its path), names
 * of every byte value; and walk_take_paths over the requests' bytes.
 *
 * memfs and walk run on the host's malloc and string functions; strlcpy
 * (not in every host C library) is host_strlcpy here.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "tests/unit/host.h"
#include "servers/fs/walk.h"

/* memfs has no unmount: each test's domains stay allocated. */
const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
	return "detect_leaks=0";
}

size_t host_strlcpy(char *dst, const char *src, size_t size)
{
	size_t n = strlen(src);
	if (size) {
		size_t k = n < size - 1 ? n : size - 1;
		memcpy(dst, src, k);
		dst[k] = 0;
	}
	return n;
}

static struct fsdom doms[3];
static struct fsdom *const root = &doms[0], *const tmp = &doms[1], *const ab = &doms[2];
static struct walk w;
static char redirect[FS_PATH_MAX + 1];

/* The ino at path (relative to d's root; no links followed): looked up
 * with the domain's own operations, not with walk. */
static uint32_t at(struct fsdom *d, const char *path)
{
	uint32_t cur = d->root;
	while (*path) {
		while (*path == '/')
			path++;
		const char *end = strchr(path, '/');
		uint32_t len = end ? (uint32_t)(end - path) : (uint32_t)strlen(path);
		if (len == 0)
			break;
		assert_int_equal(d->ops->lookup(d, cur, path, len, &cur), 0);
		path += len;
	}
	return cur;
}

/* Makes path's last name in d: a directory, a file holding "data", or (target
 * not NULL) a symbolic link. Answers its ino. */
static uint32_t mk(struct fsdom *d, const char *path, uint32_t type, const char *target)
{
	char dir[8 * (FS_NAME_MAX + 1)];
	assert_true(strlen(path) < sizeof dir);
	host_strlcpy(dir, path, sizeof dir);
	char *slash = strrchr(dir, '/');
	const char *name = slash ? path + (slash - dir) + 1 : path;
	if (slash)
		*slash = 0;
	else
		dir[0] = 0;
	uint32_t ino;
	assert_int_equal(d->ops->create(d, at(d, dir), name, (uint32_t)strlen(name), type | 0755,
	                                target, &ino),
	                 0);
	if (type == FS_S_IFREG)
		assert_int_equal(d->ops->write(d, ino, 0, "data", 4), 4);
	return ino;
}

static int go(struct fsdom *d, const char *path, int flags)
{
	memset(&w, 0x5a, sizeof w);
	memset(redirect, 0, sizeof redirect);
	return walk(d, path, flags, &w, redirect);
}

/* A walk that must redirect to want. */
static void redirects(struct fsdom *d, const char *path, int flags, const char *want)
{
	int err = go(d, path, flags);
	if (err != FS_REDIRECT)
		fail_msg("%s in %s: %d, not a redirect to %s", path, d->prefix, err, want);
	if (strcmp(redirect, want))
		fail_msg("%s in %s: redirected to \"%s\", not \"%s\"", path, d->prefix, redirect,
		         want);
}

/* A walk that must find the node ino. */
static void finds(struct fsdom *d, const char *path, int flags, uint32_t ino)
{
	int err = go(d, path, flags);
	if (err != 0)
		fail_msg("%s in %s: %d, not found", path, d->prefix, err);
	assert_true(w.found);
	assert_int_equal(w.ino, ino);
	assert_int_equal(w.st.ino, ino);
}

static int setup(void **state)
{
	(void)state;
	assert_int_equal(memfs_init(root, "/", 1u << 20), 0);
	assert_int_equal(memfs_init(tmp, "/tmp", 1u << 20), 0);
	assert_int_equal(memfs_init(ab, "/a/b", 1u << 20), 0);
	walk_domains(doms, 3);
	mk(root, "tmp", FS_S_IFDIR, NULL);
	mk(root, "a", FS_S_IFDIR, NULL);
	mk(root, "a/b", FS_S_IFDIR, NULL); /* a mount point two names deep */
	mk(root, "etc", FS_S_IFDIR, NULL);
	mk(root, "etc/sub", FS_S_IFDIR, NULL);
	mk(root, "etc/motd", FS_S_IFREG, NULL);
	mk(tmp, "x", FS_S_IFDIR, NULL);
	mk(tmp, "x/f", FS_S_IFREG, NULL);
	mk(ab, "d", FS_S_IFDIR, NULL);
	return 0;
}

static void test_plain(void **state)
{
	(void)state;
	uint32_t etc = at(root, "etc"), motd = at(root, "etc/motd");
	finds(root, "etc/motd", 0, motd);
	assert_int_equal(w.dir, etc);
	assert_string_equal(w.name, "motd");
	assert_int_equal(w.len, 4);
	assert_int_equal(w.st.mode & FS_S_IFMT, FS_S_IFREG);
	assert_int_equal(w.st.size, 4);
	finds(root, "etc", 0, etc);
	assert_int_equal(w.st.mode & FS_S_IFMT, FS_S_IFDIR);
	finds(tmp, "x/f", 0, at(tmp, "x/f"));
	finds(ab, "d", 0, at(ab, "d"));
}

static void test_root(void **state)
{
	(void)state;
	static const char *const paths[] = {"", "/", "///"};
	for (int i = 0; i < 3; i++) {
		finds(root, paths[i], 0, root->root);
		assert_int_equal(w.len, 0);
		assert_int_equal(w.dir, root->root);
		finds(tmp, paths[i], WALK_PARENT, tmp->root);
		assert_int_equal(w.len, 0);
	}
}

static void test_dots(void **state)
{
	(void)state;
	uint32_t motd = at(root, "etc/motd"), etc = at(root, "etc");
	finds(root, "./etc/./motd", 0, motd);
	finds(root, "etc/sub/../motd", 0, motd);
	finds(root, "etc/sub/..", 0, etc);
	finds(root, ".", 0, root->root);
	finds(root, "etc/.", 0, etc);
	/* ".." at the root of "/" is the root */
	finds(root, "..", 0, root->root);
	finds(root, "../../etc/../../etc/motd", 0, motd);
	finds(tmp, "x/../x/./f", 0, at(tmp, "x/f"));
}

static void test_slashes(void **state)
{
	(void)state;
	uint32_t motd = at(root, "etc/motd"), etc = at(root, "etc");
	finds(root, "etc//motd", 0, motd);
	finds(root, "//etc///motd", 0, motd);
	finds(root, "etc/", 0, etc);
	finds(root, "etc//", 0, etc);
	assert_int_equal(go(root, "etc/motd/", 0), -ENOTDIR);
	assert_int_equal(go(root, "etc/motd//", WALK_FOLLOW), -ENOTDIR);
	assert_int_equal(go(root, "etc/motd/", WALK_PARENT), -ENOTDIR);
	/* a name to be made, with a slash after it: must be a directory */
	assert_int_equal(go(root, "etc/new/", WALK_PARENT), 0);
	assert_false(w.found);
	assert_true(w.must_dir);
	assert_string_equal(w.name, "new");
	assert_int_equal(go(root, "etc/new", WALK_PARENT), 0);
	assert_false(w.must_dir);
}

static void test_parent(void **state)
{
	(void)state;
	uint32_t etc = at(root, "etc"), motd = at(root, "etc/motd");
	assert_int_equal(go(root, "etc/motd", WALK_PARENT), 0);
	assert_true(w.found);
	assert_int_equal(w.dir, etc);
	assert_int_equal(w.ino, motd);
	assert_string_equal(w.name, "motd");
	assert_int_equal(w.len, 4);
	assert_int_equal(go(root, "etc/nope", WALK_PARENT), 0);
	assert_false(w.found);
	assert_int_equal(w.dir, etc);
	assert_string_equal(w.name, "nope");
	assert_int_equal(w.len, 4);
	assert_int_equal(go(root, "etc/sub/..", WALK_PARENT), 0);
	assert_true(w.found);
	assert_int_equal(w.dir, at(root, "etc/sub"));
	assert_string_equal(w.name, "..");
	assert_int_equal(w.ino, etc);
	/* only the last name may be missing */
	assert_int_equal(go(root, "nope/x", WALK_PARENT), -ENOENT);
}

static void test_errors(void **state)
{
	(void)state;
	assert_int_equal(go(root, "nope", 0), -ENOENT);
	assert_int_equal(go(root, "nope/x", 0), -ENOENT);
	assert_int_equal(go(root, "etc/nope", WALK_FOLLOW), -ENOENT);
	assert_int_equal(go(root, "etc/motd/x", 0), -ENOTDIR);
	assert_int_equal(go(root, "etc/motd/x", WALK_PARENT), -ENOTDIR);
	assert_int_equal(go(root, "etc/motd/../motd", 0), -ENOTDIR);
}

static void test_name_too_long(void **state)
{
	(void)state;
	char path[FS_PATH_MAX + 8];
	memset(path, 'n', 256);
	path[256] = 0;
	assert_int_equal(go(root, path, 0), -ENAMETOOLONG);
	assert_int_equal(go(root, path, WALK_PARENT), -ENAMETOOLONG);
	path[255] = 0; /* FS_NAME_MAX: a name that may be made */
	assert_int_equal(go(root, path, 0), -ENOENT);
	assert_int_equal(go(root, path, WALK_PARENT), 0);
	assert_int_equal(w.len, 255);
	assert_false(w.found);
	/* in the middle too */
	memset(path, 'n', 256);
	strcpy(path + 256, "/x");
	assert_int_equal(go(root, path, WALK_PARENT), -ENAMETOOLONG);
}

static void test_path_too_long(void **state)
{
	(void)state;
	char path[FS_PATH_MAX + 8];
	/* "./" again and again: FS_PATH_MAX bytes walk, one more does not */
	for (int i = 0; i < FS_PATH_MAX; i++)
		path[i] = i % 2 ? '/' : '.';
	path[FS_PATH_MAX] = 0;
	finds(root, path, 0, root->root);
	strcpy(path + FS_PATH_MAX, ".");
	assert_int_equal(go(root, path, 0), -ENAMETOOLONG);
}

static void test_links_relative(void **state)
{
	(void)state;
	uint32_t motd = at(root, "etc/motd"), etc = at(root, "etc");
	uint32_t rel = mk(root, "rel", FS_S_IFLNK, "etc/motd");
	mk(root, "reldir", FS_S_IFLNK, "etc");
	mk(root, "etc/up", FS_S_IFLNK, "../etc/./motd");
	mk(root, "etc/sub/deep", FS_S_IFLNK, "../../rel");
	finds(root, "rel", WALK_FOLLOW, motd);
	finds(root, "rel", 0, rel); /* the last name not followed: the link */
	assert_int_equal(w.st.mode & FS_S_IFMT, FS_S_IFLNK);
	finds(root, "rel", WALK_PARENT, rel);
	assert_string_equal(w.name, "rel");
	finds(root, "reldir/motd", 0, motd); /* not the last: always followed */
	finds(root, "reldir/", 0, etc);      /* a slash after it: followed */
	finds(root, "reldir//sub/..", 0, etc);
	finds(root, "etc/up", WALK_FOLLOW, motd);
	finds(root, "etc/sub/deep", WALK_FOLLOW, motd); /* a link to a link */
	assert_int_equal(go(root, "rel/x", 0), -ENOTDIR);
	/* a slash after a link to a file: followed, and not a directory */
	assert_int_equal(go(root, "rel/", 0), -ENOTDIR);
	assert_int_equal(go(root, "rel//", WALK_PARENT), -ENOTDIR);
	mk(root, "empty", FS_S_IFLNK, "");
	assert_int_equal(go(root, "empty", WALK_FOLLOW), -ENOENT);
	assert_int_equal(go(root, "empty/x", 0), -ENOENT);
	mk(root, "dangling", FS_S_IFLNK, "nope/nope");
	assert_int_equal(go(root, "dangling", WALK_FOLLOW), -ENOENT);
	assert_int_equal(go(root, "dangling", 0), 0);
}

static void test_links_absolute(void **state)
{
	(void)state;
	mk(root, "abs", FS_S_IFLNK, "/tmp/x/f");
	mk(root, "absdir", FS_S_IFLNK, "/tmp/x");
	mk(tmp, "back", FS_S_IFLNK, "/etc");
	redirects(root, "abs", WALK_FOLLOW, "/tmp/x/f");
	redirects(root, "absdir/f", 0, "/tmp/x/f");
	redirects(root, "absdir//f", 0, "/tmp/x/f");
	redirects(root, "absdir/f/g/h", 0, "/tmp/x/f/g/h");
	redirects(tmp, "back/motd", 0, "/etc/motd");
	redirects(tmp, "x/../back/motd", WALK_PARENT, "/etc/motd");
	finds(root, "abs", 0, at(root, "abs"));  /* not followed: no redirect */
	redirects(root, "abs/", 0, "/tmp/x/f/"); /* the slash kept: "/tmp" says ENOTDIR */
	/* no '/' doubled: targets that end in one */
	mk(root, "slash", FS_S_IFLNK, "/");
	mk(root, "tmpslash", FS_S_IFLNK, "/tmp/");
	redirects(root, "slash/etc/motd", 0, "/etc/motd");
	redirects(root, "slash", WALK_FOLLOW, "/");
	redirects(root, "tmpslash/x", 0, "/tmp/x");
	redirects(root, "tmpslash", WALK_FOLLOW, "/tmp/");
}

static void test_links_loop(void **state)
{
	(void)state;
	char name[16], target[16];
	/* l1 -> l2 -> ... -> l8 -> etc/motd: 8 links, followed */
	for (int i = 1; i <= 9; i++) {
		snprintf(name, sizeof name, "l%d", i);
		snprintf(target, sizeof target, "l%d", i + 1);
		mk(root, name, FS_S_IFLNK, i == 8 ? "etc/motd" : target);
	}
	finds(root, "l1", WALK_FOLLOW, at(root, "etc/motd"));
	/* m1 -> ... -> m9 -> etc/motd: 9 links, one too many */
	for (int i = 1; i <= 9; i++) {
		snprintf(name, sizeof name, "m%d", i);
		snprintf(target, sizeof target, "m%d", i + 1);
		mk(root, name, FS_S_IFLNK, i == 9 ? "etc/motd" : target);
	}
	assert_int_equal(go(root, "m1", WALK_FOLLOW), -ELOOP);
	assert_int_equal(go(root, "m2", WALK_FOLLOW), 0);
	assert_int_equal(go(root, "m1/x", 0), -ELOOP);
	mk(root, "self", FS_S_IFLNK, "self");
	assert_int_equal(go(root, "self", WALK_FOLLOW), -ELOOP);
	assert_int_equal(go(root, "self/x", WALK_PARENT), -ELOOP);
	finds(root, "self", 0, at(root, "self"));
}

static void test_links_too_long(void **state)
{
	(void)state;
	char target[FS_PATH_MAX + 1], path[FS_PATH_MAX + 1];
	/* a target of 1000 bytes, then more than 24 bytes of rest */
	for (int i = 0; i < 1000; i++)
		target[i] = i % 2 ? '/' : '.';
	strcpy(target + 1000, "etc");
	mk(root, "long", FS_S_IFLNK, target);
	finds(root, "long", WALK_FOLLOW, at(root, "etc"));
	strcpy(path, "long/");
	memset(path + 5, 'x', 40);
	path[45] = 0;
	assert_int_equal(go(root, path, 0), -ENAMETOOLONG);
}

static void test_out_of_domain(void **state)
{
	(void)state;
	redirects(tmp, "..", 0, "/");
	redirects(tmp, "../", 0, "/");
	redirects(tmp, "..//etc", 0, "/etc");
	redirects(tmp, "../etc/motd", 0, "/etc/motd");
	redirects(tmp, "x/../../etc", WALK_PARENT, "/etc");
	redirects(tmp, "./../tmp/x", 0, "/tmp/x");
	redirects(ab, "..", 0, "/a");
	redirects(ab, "../c", 0, "/a/c");
	redirects(ab, "d/../../c/d", 0, "/a/c/d");
	redirects(ab, "../..", 0, "/a/..");
	redirects(ab, "../", 0, "/a/");
}

/* A redirect of FS_PATH_MAX bytes is whole; one longer is ENAMETOOLONG,
 * never cut short. */
static void test_redirect_too_long(void **state)
{
	(void)state;
	char path[FS_PATH_MAX + 1], want[FS_PATH_MAX + 2];
	strcpy(path, "../"); /* in /a/b: "/a/" then the rest */
	memset(path + 3, 'y', FS_PATH_MAX - 3);
	path[FS_PATH_MAX] = 0;
	strcpy(want, "/a/");
	strcpy(want + 3, path + 3);
	redirects(ab, path, 0, want);
	strcpy(path, "a/b/"); /* in /: "/a/b/" then the rest, one byte more */
	memset(path + 4, 'z', FS_PATH_MAX - 4);
	path[FS_PATH_MAX] = 0;
	assert_int_equal(go(root, path, 0), -ENAMETOOLONG);
	path[FS_PATH_MAX - 1] = 0;
	strcpy(want, "/");
	strcpy(want + 1, path);
	redirects(root, path, 0, want);
	assert_int_equal(strlen(redirect), FS_PATH_MAX);
}

static void test_mount_points(void **state)
{
	(void)state;
	redirects(root, "tmp/x", 0, "/tmp/x");
	redirects(root, "tmp/x/f", WALK_PARENT, "/tmp/x/f");
	redirects(root, "etc/../tmp/x", 0, "/tmp/x");
	redirects(root, "a/b/d", 0, "/a/b/d");
	redirects(root, "a/./b/d", 0, "/a/b/d");
	redirects(root, "a/b/..", 0, "/a/b/.."); /* the other domain says what ".." is */
	mk(root, "totmp", FS_S_IFLNK, "tmp");
	redirects(root, "totmp/x", 0, "/tmp/x");
	mk(root, "etc/toab", FS_S_IFLNK, "../a/b");
	redirects(root, "etc/toab/d", 0, "/a/b/d");
	finds(root, "a", 0, at(root, "a")); /* above a mount point: still "/" */
	/* a mount point as the last name: the other domain's root */
	redirects(root, "etc/../tmp", 0, "/tmp");
	redirects(root, "etc/../tmp/", WALK_PARENT, "/tmp/");
	redirects(root, "a/b", WALK_PARENT, "/a/b");
	redirects(root, "totmp", WALK_FOLLOW, "/tmp");
	finds(root, "totmp", 0, at(root, "totmp")); /* the link itself */
	/* "/tmp" inside "/tmp" is no mount point */
	mk(tmp, "tmp", FS_S_IFDIR, NULL);
	mk(tmp, "tmp/y", FS_S_IFREG, NULL);
	finds(tmp, "tmp/y", 0, at(tmp, "tmp/y"));
}

/* Past FS_PATH_MAX bytes of where the walk is (links make it so), names
 * are counted, so ".." back up finds the mount points right. */
static void test_mount_points_deep(void **state)
{
	(void)state;
	char big[251], target[4 * 251];
	memset(big, 'D', 250);
	big[250] = 0;
	snprintf(target, sizeof target, "%s/%s/%s", big, big, big);
	/* D/D/D/D/D/D; D/D/tmp/x; j -> D/D/D; D/D/D/k -> D/D/D */
	mk(root, big, FS_S_IFDIR, NULL);
	char dir[8 * 251] = "";
	for (int i = 1; i < 6; i++) {
		strcat(dir, big);
		strcat(dir, "/");
		char name[8 * 251];
		snprintf(name, sizeof name, "%s%s", dir, big);
		mk(root, name, FS_S_IFDIR, NULL);
		if (i == 2) {
			snprintf(name, sizeof name, "%stmp", dir);
			mk(root, name, FS_S_IFDIR, NULL);
			snprintf(name, sizeof name, "%stmp/x", dir);
			mk(root, name, FS_S_IFREG, NULL);
		}
		if (i == 3) {
			snprintf(name, sizeof name, "%sk", dir);
			mk(root, name, FS_S_IFLNK, target);
		}
	}
	mk(root, "j", FS_S_IFLNK, target);
	strcat(dir, big); /* 6 deep */
	finds(root, "j/k", WALK_FOLLOW, at(root, dir));
	/* 6 deep, then 4 up: "D/D/tmp", which is no mount point */
	snprintf(dir, sizeof dir, "%s/%s/tmp/x", big, big);
	finds(root, "j/k/../../../../tmp/x", 0, at(root, dir));
}

static void test_every_byte(void **state)
{
	(void)state;
	uint32_t etc = at(root, "etc");
	char name[4], path[16];
	for (int c = 1; c < 256; c++) {
		if (c == '/')
			continue;
		name[0] = (char)c;
		name[1] = 0;
		if (c == '.')
			strcpy(name, ".x.");
		uint32_t ino;
		assert_int_equal(root->ops->create(root, etc, name, (uint32_t)strlen(name),
		                                   FS_S_IFREG | 0644, NULL, &ino),
		                 0);
		snprintf(path, sizeof path, "etc/%s", name);
		finds(root, path, 0, ino);
		assert_string_equal(w.name, name);
		snprintf(path, sizeof path, "/etc//%s", name);
		assert_int_equal(go(root, path, WALK_PARENT), 0);
		assert_int_equal(w.ino, ino);
		assert_int_equal(w.dir, etc);
	}
	/* names of the odd bytes, several at once */
	static const char odd[] = "\x01\x7f\xff \t\n\\*?\"'";
	uint32_t ino;
	assert_int_equal(root->ops->create(root, root->root, odd, (uint32_t)strlen(odd),
	                                   FS_S_IFDIR | 0755, NULL, &ino),
	                 0);
	char deep[64];
	snprintf(deep, sizeof deep, "%s/../%s/", odd, odd);
	finds(root, deep, 0, ino);
}

/* A request of n bytes. */
static int take(const char *bytes, uint32_t n, char *a, char *b)
{
	struct door_io io = {bytes, n, NULL, 0, 0, -1, 0, -1, 0, NULL};
	return walk_take_paths(&io, a, b);
}

static void test_take_paths(void **state)
{
	(void)state;
	static char in[2 * (FS_PATH_MAX + 1) + 8];
	char a[FS_PATH_MAX + 1], b[FS_PATH_MAX + 1];
	assert_int_equal(take("", 0, a, NULL), -ENOENT);
	assert_int_equal(take("etc/motd", 9, a, NULL), 0);
	assert_string_equal(a, "etc/motd");
	assert_int_equal(take("etc/motd", 8, a, NULL), 0); /* no NUL: the bytes there are */
	assert_string_equal(a, "etc/motd");
	assert_int_equal(take("from\0to", 8, a, b), 0);
	assert_string_equal(a, "from");
	assert_string_equal(b, "to");
	assert_int_equal(take("from\0to", 7, a, b), 0);
	assert_string_equal(b, "to");
	assert_int_equal(take("from\0", 6, a, b), 0); /* an empty second path */
	assert_string_equal(b, "");
	assert_int_equal(take("from", 5, a, b), -EINVAL);
	assert_int_equal(take("from", 4, a, b), -EINVAL);
	/* FS_PATH_MAX bytes of path fit, one more does not */
	memset(in, 'p', sizeof in);
	in[FS_PATH_MAX] = 0;
	assert_int_equal(take(in, FS_PATH_MAX + 1, a, NULL), 0);
	assert_int_equal(strlen(a), FS_PATH_MAX);
	in[FS_PATH_MAX] = 'p';
	in[FS_PATH_MAX + 1] = 0;
	assert_int_equal(take(in, FS_PATH_MAX + 2, a, NULL), -ENAMETOOLONG);
	/* the second path likewise */
	memset(in, 'p', sizeof in);
	in[0] = 'f';
	in[1] = 0;
	in[2 + FS_PATH_MAX] = 0;
	assert_int_equal(take(in, FS_PATH_MAX + 3, a, b), 0);
	assert_int_equal(strlen(b), FS_PATH_MAX);
	in[2 + FS_PATH_MAX] = 'p';
	in[3 + FS_PATH_MAX] = 0;
	assert_int_equal(take(in, FS_PATH_MAX + 4, a, b), -ENAMETOOLONG);
	/* more than two paths' worth of bytes */
	assert_int_equal(take(in, 2 * (FS_PATH_MAX + 1) + 1, a, b), -ENAMETOOLONG);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test_setup(test_plain, setup),
	        cmocka_unit_test_setup(test_root, setup),
	        cmocka_unit_test_setup(test_dots, setup),
	        cmocka_unit_test_setup(test_slashes, setup),
	        cmocka_unit_test_setup(test_parent, setup),
	        cmocka_unit_test_setup(test_errors, setup),
	        cmocka_unit_test_setup(test_name_too_long, setup),
	        cmocka_unit_test_setup(test_path_too_long, setup),
	        cmocka_unit_test_setup(test_links_relative, setup),
	        cmocka_unit_test_setup(test_links_absolute, setup),
	        cmocka_unit_test_setup(test_links_loop, setup),
	        cmocka_unit_test_setup(test_links_too_long, setup),
	        cmocka_unit_test_setup(test_out_of_domain, setup),
	        cmocka_unit_test_setup(test_mount_points, setup),
	        cmocka_unit_test_setup(test_mount_points_deep, setup),
	        cmocka_unit_test_setup(test_redirect_too_long, setup),
	        cmocka_unit_test_setup(test_every_byte, setup),
	        cmocka_unit_test(test_take_paths),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
