/* SPDX-License-Identifier: MIT */
/*
 * Files: the POSIX calls over the file system (sprite/fs.h). A path is
 * made absolute with the current directory, then sent to the door of the
 * longest prefix in this process's prefix table, the rest of the path
 * with it, as Sprite's clients do; a server's FS_REDIRECT answer gives a
 * new absolute path to look up again (at most LOOKUPS times). The table
 * is read from the fs domain (published as "fs") on first use, an entry
 * at a time. The current directory is kept here, and in PWD for the
 * programs this one starts.
 *
 * Entry points: open, creat, stat, lstat, fstat, mkdir, rmdir, unlink,
 * rename, link, symlink, readlink, lseek, ftruncate, truncate, pipe,
 * chdir, getcwd, access, sync, fsync, opendir, fdopendir, readdir,
 * closedir, rewinddir, dirfd, fopen, remove, sprig_prefixes, sprig_statfs,
 * sprig_cachestat.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sprite/fs.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/c/libc.h"
#include "lib/c/prefix.h"

#define LOOKUPS 8

_Static_assert(PREFIX_PATH_MAX == FS_PATH_MAX, "prefix.h's path limit is the file system's");

static struct prefix prefixes[FS_PREFIX_MAX];
static int nprefixes = -1; /* not read yet */
static char cwd[FS_PATH_MAX + 1];

static int fail(int err)
{
	errno = -err;
	return -1;
}

/* Reads the prefix table from the fs domain; 0 or -errno. */
static int load_prefixes(void)
{
	if (nprefixes >= 0)
		return nprefixes > 0 ? 0 : -ENOENT;
	int fs = name_lookup("fs", 2000);
	if (fs < 0)
		return fs == -ENOENT ? -ENOSYS : fs;
	struct door_binding b;
	door_bind_remote(&b, fs);
	int n = 0;
	for (uint32_t i = 0; i < FS_PREFIX_MAX; i++) {
		struct door_io io = {
		        NULL, 0,   prefixes[n].path, sizeof prefixes[n].path - 1, 0, -1, 0, -1,
		        0,    NULL};
		struct fs_none none = {0};
		if (fs_prefix(&b, &(struct fs_index_in){i}, &none, &io) < 0 || io.out_door < 0)
			break;
		prefixes[n].path[io.out_size] = 0;
		prefixes[n].len = (uint32_t)strlen(prefixes[n].path);
		prefixes[n].door = io.out_door;
		n++;
	}
	door_close(fs);
	nprefixes = n > 0 ? n : -1; /* none yet: ask again next time */
	return n > 0 ? 0 : -ENOENT;
}

/* The table, for the prefix command: the i-th prefix, or NULL. */
/* A forked child holds none of the parent's door ids: it reads the table
 * again (proc.c calls this). */
void sprig_file_forked(void)
{
	nprefixes = -1;
}

const char *sprig_prefix(int i)
{
	if (load_prefixes() < 0 || i < 0 || i >= nprefixes)
		return NULL;
	return prefixes[i].path;
}

static const char *current_dir(void)
{
	if (!cwd[0]) {
		const char *pwd = getenv("PWD");
		strlcpy(cwd, pwd && pwd[0] == '/' ? pwd : "/", sizeof cwd);
	}
	return cwd;
}

/* path made absolute in out (FS_PATH_MAX + 1 bytes). */
static int absolute(const char *path, char *out)
{
	return prefix_absolute(current_dir(), path, out);
}

/* The prefix an absolute path falls under, and the rest of it. */
static struct prefix *match(const char *abs, const char **rest)
{
	return prefix_match(prefixes, nprefixes, abs, rest);
}

/* One path operation: op(binding, io) on the domain the path names, with
 * io->in the rest of the path (then `extra` bytes, a second path, if
 * any), following redirects. */
typedef int (*path_op)(const struct door_binding *b, void *arg, struct door_io *io);

static int on_path(const char *path, const char *second, path_op op, void *arg, struct door_io *out)
{
	char abs[FS_PATH_MAX + 1], msg[2 * (FS_PATH_MAX + 1)], redirect[FS_PATH_MAX + 1];
	int err = load_prefixes();
	if (err == 0)
		err = absolute(path, abs);
	if (err < 0)
		return err;
	char abs2[FS_PATH_MAX + 1];
	for (int tries = 0; tries < LOOKUPS; tries++) {
		const char *rest, *rest2 = NULL;
		struct prefix *p = match(abs, &rest);
		if (!p)
			return -ENOENT;
		uint32_t n = (uint32_t)strlen(rest) + 1;
		memcpy(msg, rest, n);
		if (second) {
			err = absolute(second, abs2);
			if (err < 0)
				return err;
			if (match(abs2, &rest2) != p)
				return -EXDEV; /* two domains: never one rename or link */
			uint32_t n2 = (uint32_t)strlen(rest2) + 1;
			memcpy(msg + n, rest2, n2);
			n += n2;
		}
		struct door_binding b;
		door_bind_remote(&b, p->door);
		struct door_io io = *out;
		io.in = msg;
		io.in_size = n;
		if (!io.out) {
			io.out = redirect;
			io.out_cap = sizeof redirect;
		}
		err = op(&b, arg, &io);
		if (err != FS_REDIRECT) {
			*out = io;
			return err;
		}
		if (io.out_size == 0 || io.out_size > FS_PATH_MAX + 1)
			return -EIO; /* a path and its NUL, or a broken server */
		memcpy(abs, io.out, io.out_size);
		abs[io.out_size - 1] = 0;
	}
	return -ELOOP;
}

/* The operations, as path_op. */
static int do_open(const struct door_binding *b, void *arg, struct door_io *io)
{
	return fs_open(b, arg, &(struct fs_none){0}, io);
}

int open(const char *path, int flags, ...)
{
	uint32_t mode = 0;
	if (flags & O_CREAT) {
		va_list ap;
		va_start(ap, flags);
		mode = va_arg(ap, unsigned);
		va_end(ap);
	}
	char redirect[FS_PATH_MAX + 1];
	struct door_io io = {NULL, 0, redirect, sizeof redirect, 0, -1, 0, -1, 0, NULL};
	struct fs_open_in in = {(uint32_t)flags, mode};
	int err = on_path(path, NULL, do_open, &in, &io);
	if (err < 0)
		return fail(err);
	if (io.out_door < 0)
		return fail(-EIO);
	int fd = fd_install(io.out_door);
	if (fd < 0)
		door_close(io.out_door);
	return fd;
}

int creat(const char *path, mode_t mode)
{
	return open(path, O_WRONLY | O_CREAT | O_TRUNC, mode);
}

static void to_stat(const struct stream_stat *s, struct stat *st)
{
	*st = (struct stat){
	        s->dev,         s->ino,         s->mode,   s->nlink,       s->uid,
	        s->gid,         (off_t)s->size, s->blocks, (long)s->atime, (long)s->mtime,
	        (long)s->ctime, s->rdev,        1024};
}

static int do_stat(const struct door_binding *b, void *arg, struct door_io *io)
{
	return fs_stat(b, arg, &(struct fs_none){0}, io);
}

static int stat_path(const char *path, struct stat *st, uint32_t follow)
{
	union {
		struct stream_stat s;
		char path[FS_PATH_MAX + 1];
	} out;
	struct door_io io = {NULL, 0, &out, sizeof out, 0, -1, 0, -1, 0, NULL};
	int err = on_path(path, NULL, do_stat, &(struct fs_follow_in){follow}, &io);
	if (err < 0)
		return fail(err);
	if (io.out_size != sizeof out.s)
		return fail(-EIO);
	to_stat(&out.s, st);
	return 0;
}

int stat(const char *path, struct stat *st)
{
	return stat_path(path, st, 1);
}

int lstat(const char *path, struct stat *st)
{
	return stat_path(path, st, 0);
}

/* A stream operation on fd's door. */
static int stream_of(int fd, struct door_binding *b)
{
	int door = fd_door(fd);
	if (door < 0)
		return -EBADF;
	door_bind_remote(b, door);
	return 0;
}

int fstat(int fd, struct stat *st)
{
	struct door_binding b;
	struct stream_stat s = {0};
	int err = stream_of(fd, &b);
	if (!err)
		err = stream_stat(&b, &(struct stream_none){0}, &s);
	if (err < 0)
		return fail(err);
	to_stat(&s, st);
	return 0;
}

static int do_mkdir(const struct door_binding *b, void *arg, struct door_io *io)
{
	return fs_mkdir(b, arg, &(struct fs_none){0}, io);
}

int mkdir(const char *path, mode_t mode)
{
	struct door_io io = DOOR_IO_NONE;
	int err = on_path(path, NULL, do_mkdir, &(struct fs_mode_in){mode}, &io);
	return err < 0 ? fail(err) : 0;
}

/* The operations with no arguments but their paths. */
typedef int (*bare_op)(const struct door_binding *, const struct fs_none *, struct fs_none *,
                       struct door_io *);

static int do_bare(const struct door_binding *b, void *arg, struct door_io *io)
{
	struct fs_none none = {0};
	return ((bare_op)arg)(b, &none, &none, io);
}

static int bare(const char *path, const char *second, bare_op op, struct door_io *io)
{
	int err = on_path(path, second, do_bare, (void *)op, io);
	return err < 0 ? fail(err) : err;
}

int rmdir(const char *path)
{
	struct door_io io = DOOR_IO_NONE;
	return bare(path, NULL, fs_rmdir, &io) < 0 ? -1 : 0;
}

int unlink(const char *path)
{
	struct door_io io = DOOR_IO_NONE;
	return bare(path, NULL, fs_unlink, &io) < 0 ? -1 : 0;
}

int remove(const char *path)
{
	struct stat st;
	if (lstat(path, &st) < 0)
		return -1;
	return S_ISDIR(st.st_mode) ? rmdir(path) : unlink(path);
}

int rename(const char *from, const char *to)
{
	struct door_io io = DOOR_IO_NONE;
	return bare(from, to, fs_rename, &io) < 0 ? -1 : 0;
}

int link(const char *from, const char *to)
{
	struct door_io io = DOOR_IO_NONE;
	return bare(from, to, fs_link, &io) < 0 ? -1 : 0;
}

/* The target is sent as it is (not a path to look up): it goes first, in
 * the place of the "from" path, and the link's path decides the domain. */
int symlink(const char *target, const char *path)
{
	char abs[FS_PATH_MAX + 1], msg[2 * (FS_PATH_MAX + 1)];
	int err = load_prefixes();
	if (!err)
		err = absolute(path, abs);
	if (!err && strlen(target) > FS_PATH_MAX)
		err = -ENAMETOOLONG;
	if (!err && !target[0])
		err = -ENOENT;
	const char *rest = "";
	struct prefix *p = err ? NULL : match(abs, &rest);
	if (!err && !p)
		err = -ENOENT;
	if (err < 0)
		return fail(err);
	uint32_t n = (uint32_t)strlen(target) + 1, n2 = (uint32_t)strlen(rest) + 1;
	memcpy(msg, target, n);
	memcpy(msg + n, rest, n2);
	struct door_binding b;
	door_bind_remote(&b, p->door);
	struct door_io io = {msg, n + n2, NULL, 0, 0, -1, 0, -1, 0, NULL};
	struct fs_none none = {0};
	err = fs_symlink(&b, &none, &none, &io);
	return err < 0 ? fail(err) : 0;
}

ssize_t readlink(const char *path, char *buf, size_t size)
{
	char out[FS_PATH_MAX + 1];
	struct door_io io = {NULL, 0, out, sizeof out, 0, -1, 0, -1, 0, NULL};
	if (bare(path, NULL, fs_readlink, &io) < 0)
		return -1;
	size_t n = io.out_size < size ? io.out_size : size;
	memcpy(buf, out, n);
	return (ssize_t)n;
}

off_t lseek(int fd, off_t off, int whence)
{
	struct door_binding b;
	struct stream_pos pos = {0};
	int err = stream_of(fd, &b);
	if (!err)
		err = stream_lseek(&b, &(struct stream_seek){(int32_t)off, (uint32_t)whence}, &pos);
	return err < 0 ? fail(err) : pos.pos;
}

int ftruncate(int fd, off_t size)
{
	struct door_binding b;
	int err = size < 0 ? -EINVAL : stream_of(fd, &b);
	if (!err)
		err = stream_truncate(&b, &(struct stream_size){(uint32_t)size},
		                      &(struct stream_none){0});
	return err < 0 ? fail(err) : 0;
}

int truncate(const char *path, off_t size)
{
	int fd = open(path, O_WRONLY);
	if (fd < 0)
		return -1;
	int err = ftruncate(fd, size);
	close(fd);
	return err;
}

int pipe(int fds[2])
{
	int err = load_prefixes();
	if (err < 0)
		return fail(err);
	struct door_binding b, rb;
	door_bind_remote(&b, prefixes[0].door);
	struct fs_none none = {0};
	struct door_io io = DOOR_IO_NONE;
	err = fs_pipe(&b, &none, &none, &io);
	if (err < 0)
		return fail(err);
	int rd = io.out_door;
	door_bind_remote(&rb, rd);
	io = (struct door_io)DOOR_IO_NONE;
	err = stream_pipe_writer(&rb, &(struct stream_none){0}, &(struct stream_none){0}, &io);
	if (err < 0) {
		door_close(rd);
		return fail(err);
	}
	int wr = io.out_door;
	fds[0] = fd_install(rd);
	fds[1] = fds[0] < 0 ? -1 : fd_install(wr);
	if (fds[1] < 0) {
		if (fds[0] >= 0)
			close(fds[0]);
		else
			door_close(rd);
		door_close(wr);
		return -1;
	}
	return 0;
}

/* Makes path absolute and drops ".", ".." and doubled slashes. */
static int normalize(const char *path, char *out)
{
	return prefix_normalize(current_dir(), path, out);
}

int chdir(const char *path)
{
	char norm[FS_PATH_MAX + 1];
	struct stat st;
	int err = normalize(path, norm);
	if (err < 0)
		return fail(err);
	if (stat(norm, &st) < 0)
		return -1;
	if (!S_ISDIR(st.st_mode))
		return fail(-ENOTDIR);
	strlcpy(cwd, norm, sizeof cwd);
	setenv("PWD", cwd, 1);
	return 0;
}

char *getcwd(char *buf, size_t size)
{
	const char *dir = current_dir();
	if (!buf || size <= strlen(dir)) {
		errno = buf ? ERANGE : EINVAL;
		return NULL;
	}
	strlcpy(buf, dir, size);
	return buf;
}

int access(const char *path, int mode)
{
	struct stat st;
	(void)mode; /* one user: whatever exists may be used */
	return stat(path, &st);
}

void sync(void)
{
	if (load_prefixes() < 0)
		return;
	struct door_binding b;
	door_bind_remote(&b, prefixes[0].door);
	fs_sync(&b, &(struct fs_none){0}, &(struct fs_none){0});
}

int fsync(int fd)
{
	if (fd_door(fd) < 0)
		return fail(-EBADF);
	sync();
	return 0;
}

/* For df: the statistics of the domain path is in. */
int sprig_statfs(const char *path, struct fs_statfs *s)
{
	char abs[FS_PATH_MAX + 1];
	const char *rest = "";
	int err = load_prefixes();
	if (!err)
		err = absolute(path, abs);
	struct prefix *p = err ? NULL : match(abs, &rest);
	if (!err && !p)
		err = -ENOENT;
	if (!err) {
		struct door_binding b;
		door_bind_remote(&b, p->door);
		err = fs_statfs(&b, &(struct fs_none){0}, s);
	}
	return err < 0 ? fail(err) : 0;
}

int sprig_cachestat(struct fs_cachestat *c)
{
	int err = load_prefixes();
	if (!err) {
		struct door_binding b;
		door_bind_remote(&b, prefixes[0].door);
		err = fs_cachestat(&b, &(struct fs_none){0}, c);
	}
	return err < 0 ? fail(err) : 0;
}

/* ---- directories ---- */

struct DIR {
	int fd;
	uint32_t used, at; /* bytes of buf filled, and read */
	struct dirent ent;
	char buf[2048];
};

DIR *fdopendir(int fd)
{
	DIR *d = calloc(1, sizeof *d);
	if (!d) {
		errno = ENOMEM;
		return NULL;
	}
	d->fd = fd;
	return d;
}

DIR *opendir(const char *path)
{
	int fd = open(path, O_RDONLY | O_DIRECTORY);
	if (fd < 0)
		return NULL;
	DIR *d = fdopendir(fd);
	if (!d)
		close(fd);
	return d;
}

struct dirent *readdir(DIR *d)
{
	if (d->at >= d->used) {
		struct door_binding b;
		int err = stream_of(d->fd, &b);
		struct door_io io = {NULL, 0, d->buf, sizeof d->buf, 0, -1, 0, -1, 0, NULL};
		if (!err)
			err = stream_readdir(&b, &(struct stream_none){0}, &(struct stream_none){0},
			                     &io);
		if (err <= 0) {
			if (err < 0)
				errno = -err;
			return NULL;
		}
		d->used = io.out_size;
		d->at = 0;
	}
	const struct stream_dirent *e = (const struct stream_dirent *)(d->buf + d->at);
	if (e->reclen < sizeof *e || d->at + e->reclen > d->used) {
		errno = EIO;
		d->at = d->used;
		return NULL;
	}
	d->ent.d_ino = e->ino;
	d->ent.d_type = e->type;
	memcpy(d->ent.d_name, e->name, e->namelen);
	d->ent.d_name[e->namelen] = 0;
	d->at += e->reclen;
	return &d->ent;
}

void rewinddir(DIR *d)
{
	lseek(d->fd, 0, SEEK_SET);
	d->used = d->at = 0;
}

int dirfd(DIR *d)
{
	return d->fd;
}

int closedir(DIR *d)
{
	int err = close(d->fd);
	free(d);
	return err;
}

/* ---- stdio's fopen, over open ---- */

FILE *fopen(const char *path, const char *mode)
{
	int flags;
	switch (mode[0]) {
	case 'r': flags = strchr(mode, '+') ? O_RDWR : O_RDONLY; break;
	case 'w': flags = (strchr(mode, '+') ? O_RDWR : O_WRONLY) | O_CREAT | O_TRUNC; break;
	case 'a': flags = (strchr(mode, '+') ? O_RDWR : O_WRONLY) | O_CREAT | O_APPEND; break;
	default: errno = EINVAL; return NULL;
	}
	int fd = open(path, flags, 0666);
	if (fd < 0)
		return NULL;
	FILE *f = fdopen(fd, mode);
	if (!f)
		close(fd);
	return f;
}
