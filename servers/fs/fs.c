/* SPDX-License-Identifier: MIT */
/*
 * servers/fs: Sprite's file system as a domain (docs/fs.md). It serves
 * several Sprite domains (subtrees of the name space), each on a door of
 * its own: "/", "/tmp" (in memory) and "/dev" (devices). A client's prefix
 * table (lib/c/file.c) sends each path to the door of its longest
 * matching prefix; a lookup here that leaves the domain comes back as
 * FS_REDIRECT with the absolute path to look up instead (".." above the
 * domain's root, a symbolic link to an absolute path).
 *
 * open answers a door to a stream object (offset, flags, the node under
 * it), one door per stream, freed on its unreferenced notification; every
 * id for it shares the offset. Pipes are stream pairs over a buffer here.
 *
 * Locking: each domain's lock around its operations (devices take none:
 * a console read blocks); a pipe's own lock; blocked readers and writers
 * wait on futexes and leave with EINTR when their caller is signalled.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/doors/kobj.h"
#include "servers/fs/cache.h"
#include "servers/fs/fs.h"
#include "servers/fs/walk.h"

#define PIPE_RING 16384 /* bytes a pipe holds */

struct fsdom doms[NDOMS]; /* "/", "/tmp", "/dev" (fs.h) */

static void dlock(struct fsdom *d)
{
	if (!d->unlocked)
		while (__atomic_exchange_n(&d->lock, 1, __ATOMIC_ACQUIRE))
			yield();
}

static void dunlock(struct fsdom *d)
{
	if (!d->unlocked)
		__atomic_store_n(&d->lock, 0, __ATOMIC_RELEASE);
}

void fs_lock(struct fsdom *d)
{
	dlock(d);
}

void fs_unlock(struct fsdom *d)
{
	dunlock(d);
}

/* ------------------------------------------------------------- streams */

enum { S_FILE, S_DIR, S_DEV, S_PIPE_R, S_PIPE_W };

struct pipe {
	char buf[PIPE_RING];
	uint32_t head, count;
	int readers, writers;
	uint32_t seq; /* bumped on every change: waits watch it */
	int lock;
};

struct stream {
	struct door_served served;
	int door; /* ours: freed on the unreferenced notification */
	int kind;
	struct fsdom *d;
	uint32_t ino, pos, flags;
	struct pipe *pipe;
};

const struct stream_ops stream_impl;

static void plock(struct pipe *p)
{
	while (__atomic_exchange_n(&p->lock, 1, __ATOMIC_ACQUIRE))
		yield();
}

static void punlock_wake(struct pipe *p, int changed)
{
	if (changed)
		p->seq++;
	__atomic_store_n(&p->lock, 0, __ATOMIC_RELEASE);
	if (changed)
		futex_wake(&p->seq, 1000);
}

static void stream_unref(void *obj)
{
	struct stream *s = obj;
	if (s->pipe) {
		struct pipe *p = s->pipe;
		plock(p);
		if (s->kind == S_PIPE_R)
			p->readers--;
		else
			p->writers--;
		int gone = p->readers == 0 && p->writers == 0;
		punlock_wake(p, 1);
		if (gone)
			free(p);
	} else if (s->d->ops->release) {
		dlock(s->d);
		s->d->ops->release(s->d, s->ino);
		dunlock(s->d);
	}
	door_free(s->door);
	free(s);
}

/* A new stream and its door; -errno or 0 with io->out_door set. */
static int stream_new(int kind, struct fsdom *d, uint32_t ino, uint32_t flags, struct pipe *p,
                      struct door_io *io)
{
	struct stream *s = calloc(1, sizeof *s);
	if (!s)
		return -ENOMEM;
	*s = (struct stream){{&stream_impl, s, stream_unref}, -1, kind, d, ino, 0, flags, p};
	s->door = door_create_mixed(stream_fast, stream_dispatch, &s->served, DOOR_UNREF);
	if (s->door < 0) {
		int err = s->door;
		free(s);
		return err;
	}
	if (!p && d->ops->hold)
		d->ops->hold(d, ino);
	io->out_door = s->door; /* a copy: we keep ours until the notification */
	return 0;
}

static int can_read(const struct stream *s)
{
	return (s->flags & FS_O_ACCMODE) != FS_O_WRONLY;
}

static int can_write(const struct stream *s)
{
	return (s->flags & FS_O_ACCMODE) != FS_O_RDONLY;
}

static int pipe_read(struct pipe *p, char *out, uint32_t cap)
{
	for (;;) {
		plock(p);
		uint32_t seen = p->seq;
		if (p->count > 0) {
			uint32_t n = 0;
			while (n < cap && p->count > 0) { /* at most two pieces: the ring wraps */
				uint32_t piece = PIPE_RING - p->head;
				if (piece > p->count)
					piece = p->count;
				if (piece > cap - n)
					piece = cap - n;
				memcpy(out + n, p->buf + p->head, piece);
				n += piece;
				p->head = (p->head + piece) % PIPE_RING;
				p->count -= piece;
			}
			punlock_wake(p, 1);
			return (int)n;
		}
		int writers = p->writers;
		punlock_wake(p, 0);
		if (writers == 0 || cap == 0)
			return 0;
		if (futex_wait(&p->seq, seen, 0) == -EINTR)
			return -EINTR;
	}
}

static int pipe_write(struct pipe *p, const char *in, uint32_t len)
{
	uint32_t done = 0;
	while (done < len) {
		plock(p);
		uint32_t seen = p->seq;
		if (p->readers == 0) {
			punlock_wake(p, 0);
			return done ? (int)done : -EPIPE;
		}
		uint32_t put = 0;
		while (done < len && p->count < PIPE_RING) {
			uint32_t tail = (p->head + p->count) % PIPE_RING;
			uint32_t piece = tail >= p->head ? PIPE_RING - tail : p->head - tail;
			if (piece > len - done)
				piece = len - done;
			memcpy(p->buf + tail, in + done, piece);
			p->count += piece;
			done += piece;
			put += piece;
		}
		punlock_wake(p, put > 0);
		if (done == len)
			break;
		if (put == 0 && futex_wait(&p->seq, seen, 0) == -EINTR)
			return done ? (int)done : -EINTR;
	}
	return (int)done;
}

/* A file's read, under its domain's lock. Answered in place where the
 * domain can say where the bytes are: the reply's tail points at them and
 * the lock stays held until the reply has gone (io->release), so they
 * cannot change or go before they are copied. */
static int file_read(struct stream *s, struct door_io *io)
{
	if (!can_read(s))
		return -EBADF;
	dlock(s->d);
	const void *at = NULL;
	int n = s->d->ops->peek ? s->d->ops->peek(s->d, s->ino, s->pos, io->out_cap, &at) : -ENOSYS;
	if (n == -ENOSYS) /* not in one piece of memory: copied here */
		at = NULL, n = s->d->ops->read(s->d, s->ino, s->pos, io->out, io->out_cap);
	if (n > 0) {
		s->pos += (uint32_t)n;
		io->out_size = (uint32_t)n;
	}
	if (n > 0 && at) {
		io->out = (void *)at;
		io->release = &s->d->lock;
		return n;
	}
	dunlock(s->d);
	return n;
}

static int s_read(void *obj, const struct stream_none *in, struct stream_none *out,
                  struct door_io *io)
{
	(void)in, (void)out;
	struct stream *s = obj;
	int n;
	switch (s->kind) {
	case S_PIPE_R: n = pipe_read(s->pipe, io->out, io->out_cap); break;
	case S_FILE: return file_read(s, io);
	case S_DEV: /* no lock: a device's read may block (the console's) */
		if (!can_read(s))
			return -EBADF;
		n = s->d->ops->read(s->d, s->ino, s->pos, io->out, io->out_cap);
		break;
	case S_DIR: return -EISDIR;
	default: return -EBADF;
	}
	if (n > 0)
		io->out_size = (uint32_t)n;
	return n;
}

/* write_with's fill: the bytes sent, straight from the caller. */
static int fill_from_io(void *ctx, void *at, uint32_t len)
{
	return door_io_take(ctx, at, 0, len);
}

/* A file's write, under its domain's lock. Where the domain can take the
 * bytes straight into the file (write_with), they are copied once, from
 * the caller (stream_write is DOOR_IO_PULL); else they are had here first. */
static int file_write(struct stream *s, struct door_io *io, char *buf)
{
	if (!can_write(s))
		return -EBADF;
	const void *bytes = NULL;
	if (!s->d->ops->write_with && !(bytes = door_io_in(io, buf)) && io->in_size)
		return -errno;
	dlock(s->d);
	if (s->flags & FS_O_APPEND) {
		struct stream_stat st;
		if (s->d->ops->stat(s->d, s->ino, &st) == 0)
			s->pos = st.size;
	}
	int n = s->d->ops->write_with
	                ? s->d->ops->write_with(s->d, s->ino, s->pos, io->in_size, fill_from_io, io)
	                : s->d->ops->write(s->d, s->ino, s->pos, bytes, io->in_size);
	if (n > 0)
		s->pos += (uint32_t)n;
	dunlock(s->d);
	return n;
}

static int s_write(void *obj, const struct stream_none *in, struct stream_none *out,
                   struct door_io *io)
{
	(void)in, (void)out;
	struct stream *s = obj;
	char buf[DOOR_IO_MAX];
	const void *bytes;
	switch (s->kind) {
	case S_PIPE_W:
		if (!(bytes = door_io_in(io, buf)) && io->in_size)
			return -errno;
		return pipe_write(s->pipe, bytes, io->in_size);
	case S_DEV:
		if (!can_write(s))
			return -EBADF;
		if (!(bytes = door_io_in(io, buf)) && io->in_size)
			return -errno;
		return s->d->ops->write(s->d, s->ino, 0, bytes, io->in_size);
	case S_FILE: return file_write(s, io, buf);
	case S_DIR: return -EISDIR;
	default: return -EBADF;
	}
}

static int s_info(void *obj, const struct stream_none *in, struct stream_info *out)
{
	(void)in;
	struct stream *s = obj;
	struct stream_stat st = {0};
	if (!s->pipe)
		s->d->ops->stat(s->d, s->ino, &st);
	uint32_t kind = s->pipe ? STREAM_PIPE : s->kind == S_DEV ? STREAM_NULL : STREAM_FILE;
	if (s->kind == S_DEV && st.rdev == 0x0501)
		kind = STREAM_CONSOLE;
	*out = (struct stream_info){kind, st.size, s->pos};
	return 0;
}

/* The console's foreground group, through /dev/console: the driver's. */
static int console_pgrp(struct stream *s, int32_t set, int32_t *get)
{
	struct stream_info info;
	s_info(s, NULL, &info);
	if (info.kind != STREAM_CONSOLE)
		return -ENOTTY;
	int door = name_lookup("console", 0);
	if (door < 0)
		return -ENODEV;
	struct door_binding b;
	door_bind_remote(&b, door);
	struct stream_none none = {0};
	struct stream_pgrp pg = {set};
	int err = get ? stream_getpgrp(&b, &none, &pg) : stream_setpgrp(&b, &pg, &none);
	if (get)
		*get = pg.pgrp;
	door_close(door);
	return err;
}

static int s_setpgrp(void *obj, const struct stream_pgrp *in, struct stream_none *out)
{
	(void)out;
	return console_pgrp(obj, in->pgrp, NULL);
}

static int s_getpgrp(void *obj, const struct stream_none *in, struct stream_pgrp *out)
{
	(void)in;
	return console_pgrp(obj, 0, &out->pgrp);
}

static int s_lseek(void *obj, const struct stream_seek *in, struct stream_pos *out)
{
	struct stream *s = obj;
	if (s->pipe)
		return -ESPIPE;
	if (s->kind == S_DEV) {
		out->pos = 0;
		return 0;
	}
	dlock(s->d);
	int64_t base = 0;
	struct stream_stat st;
	int err = 0;
	switch (in->whence) {
	case STREAM_SEEK_SET: break;
	case STREAM_SEEK_CUR: base = s->pos; break;
	case STREAM_SEEK_END:
		err = s->d->ops->stat(s->d, s->ino, &st);
		base = st.size;
		break;
	default: err = -EINVAL;
	}
	int64_t pos = base + in->off;
	if (!err && (pos < 0 || pos > 0x7fffffff))
		err = -EINVAL;
	if (!err)
		s->pos = (uint32_t)pos;
	out->pos = (int32_t)s->pos;
	dunlock(s->d);
	return err;
}

static int s_stat(void *obj, const struct stream_none *in, struct stream_stat *out)
{
	(void)in;
	struct stream *s = obj;
	if (s->pipe) {
		*out = (struct stream_stat){.dev = 4, .mode = FS_S_IFIFO | 0600, .nlink = 1};
		return 0;
	}
	dlock(s->d);
	int err = s->d->ops->stat(s->d, s->ino, out);
	dunlock(s->d);
	return err;
}

static int s_truncate(void *obj, const struct stream_size *in, struct stream_none *out)
{
	(void)out;
	struct stream *s = obj;
	if (s->kind != S_FILE)
		return s->kind == S_DIR ? -EISDIR : -EINVAL;
	if (!can_write(s))
		return -EBADF;
	dlock(s->d);
	int err = s->d->ops->truncate(s->d, s->ino, in->size);
	dunlock(s->d);
	return err;
}

/* As many entries as fit, from the stream's position (an entry index). */
static int s_readdir(void *obj, const struct stream_none *in, struct stream_none *out,
                     struct door_io *io)
{
	(void)in, (void)out;
	struct stream *s = obj;
	if (s->kind != S_DIR)
		return -ENOTDIR;
	dlock(s->d);
	uint32_t used = 0;
	int count = 0;
	for (;;) {
		uint32_t pos = s->pos, ino, namelen;
		uint8_t type;
		char name[FS_NAME_MAX + 1];
		int got = s->d->ops->readdir(s->d, s->ino, &pos, &ino, &type, name, &namelen);
		if (got <= 0) {
			if (got < 0 && count == 0)
				count = got;
			break;
		}
		uint32_t reclen = (uint32_t)(sizeof(struct stream_dirent) + namelen + 1 + 3) & ~3u;
		if (used + reclen > io->out_cap)
			break;
		struct stream_dirent *e = (struct stream_dirent *)((char *)io->out + used);
		e->ino = ino;
		e->reclen = (uint16_t)reclen;
		e->type = type;
		e->namelen = (uint8_t)namelen;
		memcpy(e->name, name, namelen);
		e->name[namelen] = 0;
		used += reclen;
		s->pos = pos;
		count++;
	}
	dunlock(s->d);
	io->out_size = count > 0 ? used : 0;
	return count;
}

static int s_pipe_writer(void *obj, const struct stream_none *in, struct stream_none *out,
                         struct door_io *io)
{
	(void)in, (void)out;
	struct stream *s = obj;
	if (s->kind != S_PIPE_R)
		return -EINVAL;
	plock(s->pipe);
	s->pipe->writers++;
	punlock_wake(s->pipe, 0);
	int err = stream_new(S_PIPE_W, NULL, 0, FS_O_WRONLY, s->pipe, io);
	if (err < 0) {
		plock(s->pipe);
		s->pipe->writers--;
		punlock_wake(s->pipe, 1);
	}
	return err;
}

const struct stream_ops stream_impl = {s_read,  s_write, s_info,     s_setpgrp, s_getpgrp,
                                       s_lseek, s_stat,  s_truncate, s_readdir, s_pipe_writer};

/* ------------------------------------------------- the domains' doors */

/* Answers a redirect: the path to look up instead, in io->out. */
static int redirect_to(struct door_io *io, const char *path)
{
	uint32_t n = (uint32_t)strlen(path);
	if (n + 1 > io->out_cap)
		return -ENAMETOOLONG;
	memcpy(io->out, path, n + 1);
	io->out_size = n + 1;
	return FS_REDIRECT;
}

static int f_open(void *obj, const struct fs_open_in *in, struct fs_none *out, struct door_io *io)
{
	(void)out;
	struct fsdom *d = obj;
	char path[FS_PATH_MAX + 1], redirect[FS_PATH_MAX + 1];
	int err = walk_take_paths(io, path, NULL);
	if (err < 0)
		return err;
	uint32_t flags = in->flags;
	if ((flags & FS_O_ACCMODE) == FS_O_ACCMODE)
		return -EINVAL;
	struct walk w;
	dlock(d);
	err = walk(d, path, WALK_PARENT | (flags & FS_O_NOFOLLOW ? 0 : WALK_FOLLOW), &w, redirect);
	if (err == 0 && !w.found) {
		if (!(flags & FS_O_CREAT))
			err = -ENOENT;
		else if (w.must_dir)
			err = -EISDIR;
		else
			err = d->ops->create(d, w.dir, w.name, w.len,
			                     FS_S_IFREG | (in->mode & 07777), NULL, &w.ino);
		if (err == 0)
			err = d->ops->stat(d, w.ino, &w.st);
	} else if (err == 0 && (flags & FS_O_CREAT) && (flags & FS_O_EXCL)) {
		err = -EEXIST;
	}
	uint32_t type = w.st.mode & FS_S_IFMT;
	if (err == 0 && type == FS_S_IFLNK)
		err = -ELOOP; /* O_NOFOLLOW on a link */
	if (err == 0 && type == FS_S_IFDIR && (flags & FS_O_ACCMODE) != FS_O_RDONLY)
		err = -EISDIR;
	if (err == 0 && (flags & FS_O_DIRECTORY) && type != FS_S_IFDIR)
		err = -ENOTDIR;
	if (err == 0 && (flags & FS_O_TRUNC) && type == FS_S_IFREG &&
	    (flags & FS_O_ACCMODE) != FS_O_RDONLY)
		err = d->ops->truncate(d, w.ino, 0);
	/* a block device has an offset and a size, as a file does */
	int kind = type == FS_S_IFDIR                         ? S_DIR
	           : type == FS_S_IFREG || type == FS_S_IFBLK ? S_FILE
	                                                      : S_DEV;
	if (err == 0)
		err = stream_new(kind, d, w.ino, flags, NULL, io);
	dunlock(d);
	return err == FS_REDIRECT ? redirect_to(io, redirect) : err;
}

static int f_stat(void *obj, const struct fs_follow_in *in, struct fs_none *out, struct door_io *io)
{
	(void)out;
	struct fsdom *d = obj;
	char path[FS_PATH_MAX + 1], redirect[FS_PATH_MAX + 1];
	int err = walk_take_paths(io, path, NULL);
	if (err < 0)
		return err;
	struct walk w;
	dlock(d);
	err = walk(d, path, in->follow ? WALK_FOLLOW : 0, &w, redirect);
	dunlock(d);
	if (err == FS_REDIRECT)
		return redirect_to(io, redirect);
	if (err < 0)
		return err;
	if (io->out_cap < sizeof w.st)
		return -ERANGE;
	memcpy(io->out, &w.st, sizeof w.st);
	io->out_size = sizeof w.st;
	return 0;
}

/* The common shape of mkdir, rmdir, unlink and readlink: walk to the
 * parent of the last component, then op. */
enum name_op { OP_MKDIR, OP_RMDIR, OP_UNLINK, OP_READLINK };

static int on_name(struct fsdom *d, enum name_op op, uint32_t mode, struct door_io *io)
{
	char path[FS_PATH_MAX + 1], redirect[FS_PATH_MAX + 1];
	int err = walk_take_paths(io, path, NULL);
	if (err < 0)
		return err;
	struct walk w;
	dlock(d);
	err = walk(d, path, WALK_PARENT, &w, redirect);
	if (err == 0 && w.len == 0)
		err = op == OP_MKDIR ? -EEXIST : op == OP_READLINK ? -EINVAL : -EBUSY;
	else if (err == 0 && op != OP_MKDIR && !w.found)
		err = -ENOENT;
	else if (err == 0 && w.len == 1 && w.name[0] == '.' && op != OP_READLINK)
		err = op == OP_MKDIR ? -EEXIST : -EINVAL;
	else if (err == 0 && w.len == 2 && !strcmp(w.name, "..") && op != OP_READLINK)
		err = op == OP_MKDIR ? -EEXIST : -ENOTEMPTY;
	else if (err == 0) {
		uint32_t ino;
		switch (op) {
		case OP_MKDIR:
			err = w.found ? -EEXIST
			              : d->ops->create(d, w.dir, w.name, w.len,
			                               FS_S_IFDIR | (mode & 07777), NULL, &ino);
			break;
		case OP_RMDIR: err = d->ops->rmdir(d, w.dir, w.name, w.len); break;
		case OP_UNLINK:
			err = w.must_dir ? -EISDIR : d->ops->unlink(d, w.dir, w.name, w.len);
			break;
		case OP_READLINK:
			err = d->ops->readlink(d, w.ino, io->out, io->out_cap);
			if (err >= 0)
				io->out_size = (uint32_t)err;
			break;
		}
	}
	dunlock(d);
	return err == FS_REDIRECT ? redirect_to(io, redirect) : err;
}

static int f_mkdir(void *obj, const struct fs_mode_in *in, struct fs_none *out, struct door_io *io)
{
	(void)out;
	return on_name(obj, OP_MKDIR, in->mode, io);
}

static int f_rmdir(void *obj, const struct fs_none *in, struct fs_none *out, struct door_io *io)
{
	(void)in, (void)out;
	return on_name(obj, OP_RMDIR, 0, io);
}

static int f_unlink(void *obj, const struct fs_none *in, struct fs_none *out, struct door_io *io)
{
	(void)in, (void)out;
	return on_name(obj, OP_UNLINK, 0, io);
}

static int f_readlink(void *obj, const struct fs_none *in, struct fs_none *out, struct door_io *io)
{
	(void)in, (void)out;
	return on_name(obj, OP_READLINK, 0, io);
}

/* rename, link, symlink: two paths in this domain (a path that leaves it
 * gives EXDEV: both ends must be one file system's). */
enum two_op { OP_RENAME, OP_LINK, OP_SYMLINK };

static int on_two(struct fsdom *d, enum two_op op, struct door_io *io)
{
	char a[FS_PATH_MAX + 1], b[FS_PATH_MAX + 1], redirect[FS_PATH_MAX + 1];
	int err = walk_take_paths(io, a, b);
	if (err < 0)
		return err;
	struct walk from, to;
	dlock(d);
	if (op == OP_SYMLINK) {
		from.found = 1;
		err = a[0] ? 0 : -ENOENT;
	} else {
		err = walk(d, a, op == OP_RENAME ? WALK_PARENT : 0, &from, redirect);
		if (err == 0 && !from.found)
			err = -ENOENT;
		if (err == 0 && op == OP_RENAME &&
		    (from.len == 0 || !strcmp(from.name, ".") || !strcmp(from.name, "..")))
			err = from.len == 0 ? -EBUSY : -EINVAL;
	}
	if (err == 0)
		err = walk(d, b, WALK_PARENT, &to, redirect);
	if (err == 0 && (to.len == 0 || !strcmp(to.name, ".") || !strcmp(to.name, "..")))
		err = to.len == 0 ? -EBUSY : -EINVAL;
	if (err == 0 && op != OP_RENAME && to.found)
		err = -EEXIST;
	uint32_t ino;
	if (err == 0) {
		switch (op) {
		case OP_RENAME:
			err = d->ops->rename(d, from.dir, from.name, from.len, to.dir, to.name,
			                     to.len);
			break;
		case OP_LINK: err = d->ops->link(d, to.dir, to.name, to.len, from.ino); break;
		case OP_SYMLINK:
			err = d->ops->create(d, to.dir, to.name, to.len, FS_S_IFLNK | 0777, a,
			                     &ino);
			break;
		}
	}
	dunlock(d);
	return err == FS_REDIRECT ? -EXDEV : err;
}

static int f_rename(void *obj, const struct fs_none *in, struct fs_none *out, struct door_io *io)
{
	(void)in, (void)out;
	return on_two(obj, OP_RENAME, io);
}

static int f_link(void *obj, const struct fs_none *in, struct fs_none *out, struct door_io *io)
{
	(void)in, (void)out;
	return on_two(obj, OP_LINK, io);
}

static int f_symlink(void *obj, const struct fs_none *in, struct fs_none *out, struct door_io *io)
{
	(void)in, (void)out;
	return on_two(obj, OP_SYMLINK, io);
}

static int f_statfs(void *obj, const struct fs_none *in, struct fs_statfs *out)
{
	(void)in;
	struct fsdom *d = obj;
	dlock(d);
	int err = d->ops->statfs(d, out);
	dunlock(d);
	return err;
}

static int f_sync(void *obj, const struct fs_none *in, struct fs_none *out)
{
	(void)obj, (void)in, (void)out;
	int err = 0;
	for (int i = 0; i < NDOMS; i++) {
		dlock(&doms[i]);
		int e = doms[i].ops->sync(&doms[i]);
		dunlock(&doms[i]);
		if (e < 0 && !err)
			err = e;
	}
	return err;
}

/* The prefix table, an entry at a time: its prefix and a door to it. */
static int f_prefix(void *obj, const struct fs_index_in *in, struct fs_none *out,
                    struct door_io *io)
{
	(void)obj, (void)out;
	if (in->index >= NDOMS)
		return -ENOENT;
	const struct fsdom *d = &doms[in->index];
	uint32_t n = (uint32_t)strlen(d->prefix) + 1;
	if (n > io->out_cap)
		return -ERANGE;
	memcpy(io->out, d->prefix, n);
	io->out_size = n;
	io->out_door = d->door;
	return 0;
}

/* A new pipe: answers its read end (pipe_writer on it gives the write end). */
static int f_pipe(void *obj, const struct fs_none *in, struct fs_none *out, struct door_io *io)
{
	(void)obj, (void)in, (void)out;
	struct pipe *p = calloc(1, sizeof *p);
	if (!p)
		return -ENOMEM;
	p->readers = 1;
	int err = stream_new(S_PIPE_R, NULL, 0, FS_O_RDONLY, p, io);
	if (err < 0)
		free(p);
	return err;
}

int on_disk; /* "/" is ext2 on the disk, through the block cache */

static int f_cachestat(void *obj, const struct fs_none *in, struct fs_cachestat *out)
{
	(void)obj, (void)in;
	*out = (struct fs_cachestat){0, 0, 0, 0};
	if (on_disk) {
		dlock(&doms[0]);
		cache_stat(out);
		dunlock(&doms[0]);
	}
	return 0;
}

const struct fs_ops fs_impl = {f_open,   f_stat,   f_mkdir,   f_rmdir,    f_unlink,
                               f_rename, f_link,   f_symlink, f_readlink, f_statfs,
                               f_sync,   f_prefix, f_pipe,    f_cachestat};

void *fs_stream_object(int door)
{
	const struct door_served *served = door_cookie(door);
	return served && served->ops == &stream_impl ? served->obj : NULL;
}

void fs_stream_close(void *obj)
{
	stream_unref(obj);
}
