/* SPDX-License-Identifier: MIT */
/*
 * File descriptors: a per-process table of doors to streams
 * (sprite/stream.h). Every id in the table is this domain's own, so two
 * descriptors from dup are two ids for one stream and share its offset.
 * A program the process manager did not start (a bare boot module) has no
 * descriptors; its writes to 1 and 2 go to the nucleus console instead.
 *
 * Entry points: read, write, close, dup, dup2, isatty, fd_door,
 * fd_install, fd_reset (proc.c, at start-up and after fork).
 */
#include <errno.h>
#include <sprite/stream.h>
#include <unistd.h>

#include "lib/c/libc.h"

static int table[OPEN_MAX]; /* door id + 1; 0: closed */
int sprig_fd_console;       /* no descriptors: 1 and 2 reach the nucleus console */

static int fail(int err)
{
	errno = -err;
	return -1;
}

int fd_door(int fd)
{
	return fd >= 0 && fd < OPEN_MAX ? table[fd] - 1 : -1;
}

/* Sets the whole table: ids[fd] is a door id or -1 (start-up, fork). */
void fd_reset(const int32_t *ids, int n)
{
	for (int fd = 0; fd < OPEN_MAX; fd++)
		table[fd] = fd < n && ids[fd] >= 0 ? ids[fd] + 1 : 0;
	sprig_fd_console = 0;
}

int fd_install(int door)
{
	for (int fd = 0; fd < OPEN_MAX; fd++) {
		if (!table[fd]) {
			table[fd] = door + 1;
			return fd;
		}
	}
	return fail(-EMFILE);
}

ssize_t read(int fd, void *buf, size_t n)
{
	int door = fd_door(fd);
	if (door < 0)
		return fail(-EBADF);
	struct door_binding b;
	door_bind_remote(&b, door);
	struct stream_none none = {0};
	struct door_io io = {NULL, 0, buf, n < DOOR_IO_MAX ? n : DOOR_IO_MAX, 0, -1, 0,
	                     -1,   0, NULL};
	int got = stream_read(&b, &none, &none, &io);
	if (got < 0)
		return fail(got);
	return (ssize_t)io.out_size;
}

ssize_t write(int fd, const void *buf, size_t n)
{
	int door = fd_door(fd);
	if (door < 0) {
		if (sprig_fd_console && (fd == 1 || fd == 2)) {
			int put = console_write(buf, n);
			return put < 0 ? fail(put) : put;
		}
		return fail(-EBADF);
	}
	struct door_binding b;
	door_bind_remote(&b, door);
	struct stream_none none = {0};
	size_t done = 0;
	while (done < n) {
		size_t chunk = n - done < DOOR_IO_MAX ? n - done : DOOR_IO_MAX;
		struct door_io io = {
		        (const char *)buf + done, chunk, NULL, 0, 0, -1, 0, -1, 0, NULL};
		int put = stream_write(&b, &none, &none, &io);
		if (put < 0)
			return done ? (ssize_t)done : fail(put);
		if (put == 0)
			break;
		done += (size_t)put;
	}
	return (ssize_t)done;
}

int close(int fd)
{
	int door = fd_door(fd);
	if (door < 0)
		return fail(-EBADF);
	table[fd] = 0;
	int err = door_close(door);
	return err < 0 ? fail(err) : 0;
}

int dup(int fd)
{
	int door = fd_door(fd);
	if (door < 0)
		return fail(-EBADF);
	int copy = door_dup(door);
	if (copy < 0)
		return fail(copy);
	int to = fd_install(copy);
	if (to < 0)
		door_close(copy);
	return to;
}

int dup2(int fd, int to)
{
	int door = fd_door(fd);
	if (door < 0 || to < 0 || to >= OPEN_MAX)
		return fail(-EBADF);
	if (fd == to)
		return to;
	int copy = door_dup(door);
	if (copy < 0)
		return fail(copy);
	if (table[to])
		door_close(table[to] - 1);
	table[to] = copy + 1;
	return to;
}

int isatty(int fd)
{
	int door = fd_door(fd);
	if (door < 0)
		return fail(-EBADF), 0;
	struct door_binding b;
	door_bind_remote(&b, door);
	struct stream_info info = {0, 0, 0};
	int err = stream_info(&b, &(struct stream_none){0}, &info);
	if (err < 0)
		return fail(err), 0;
	if (info.kind != STREAM_CONSOLE)
		return fail(-ENOTTY), 0;
	return 1;
}

pid_t tcgetpgrp(int fd)
{
	int door = fd_door(fd);
	if (door < 0)
		return fail(-EBADF);
	struct door_binding b;
	door_bind_remote(&b, door);
	struct stream_pgrp pg = {0};
	int err = stream_getpgrp(&b, &(struct stream_none){0}, &pg);
	return err < 0 ? fail(err) : pg.pgrp;
}

int tcsetpgrp(int fd, pid_t pgrp)
{
	int door = fd_door(fd);
	if (door < 0)
		return fail(-EBADF);
	struct door_binding b;
	door_bind_remote(&b, door);
	struct stream_none none;
	int err = stream_setpgrp(&b, &(struct stream_pgrp){pgrp}, &none);
	return err < 0 ? fail(err) : 0;
}
