/* SPDX-License-Identifier: MIT */
/*
 * Streams: what a file descriptor names. A stream is an object served
 * behind a door of its own (the console by drivers/uart today; files and
 * pipes by servers/fs later); a process's descriptors are door ids to
 * streams (lib/c/fd.c). Every id for one stream shares its offset, as dup
 * does in Unix. Closing the last id frees the stream (its server learns it
 * from the unreferenced notification).
 *
 * read answers up to io.out_cap bytes (status: how many; 0 at end of
 * file), write takes io.in_size bytes (status: how many). Both may block;
 * a blocked call ends with -EINTR when its caller is signalled or killed.
 * lseek, stat, truncate and readdir are for files and directories (a
 * terminal answers -ESPIPE, its stat, -EINVAL, -ENOTDIR); pipe_writer, on
 * a pipe's read end, answers a door to its write end.
 */
#ifndef SPRITE_STREAM_H
#define SPRITE_STREAM_H

#include "lib/doors/doors.h"

#define STREAM_CONSOLE 1 /* stream_info.kind: a terminal */
#define STREAM_FILE    2
#define STREAM_PIPE    3
#define STREAM_NULL    4

struct stream_none {
	uint32_t unused;
};

struct stream_info {
	uint32_t kind; /* STREAM_* */
	uint32_t size; /* files: bytes */
	uint32_t pos;  /* the shared offset */
};

/* The foreground process group of a terminal (tcsetpgrp). */
struct stream_pgrp {
	int32_t pgrp;
};

#define STREAM_SEEK_SET 0
#define STREAM_SEEK_CUR 1
#define STREAM_SEEK_END 2

struct stream_seek {
	int32_t off;
	uint32_t whence; /* STREAM_SEEK_* */
};
struct stream_pos {
	int32_t pos;
};

/* What stat answers (struct stat's fields, as lib/c's sys/stat.h has them). */
struct stream_stat {
	uint32_t dev, ino, mode, nlink, uid, gid, size, blocks, atime, mtime, ctime, rdev;
};

struct stream_size {
	uint32_t size;
};

/* readdir answers as many of these as fit in io.out_cap, each padded to
 * 4 bytes (reclen covers it); status: how many. Its position is the
 * stream's offset. */
struct stream_dirent {
	uint32_t ino;
	uint16_t reclen;
	uint8_t type; /* STREAM_DT_* */
	uint8_t namelen;
	char name[]; /* namelen bytes, then a NUL */
};
#define STREAM_DT_UNKNOWN 0
#define STREAM_DT_FIFO    1
#define STREAM_DT_CHR     2
#define STREAM_DT_DIR     4
#define STREAM_DT_BLK     6
#define STREAM_DT_REG     8
#define STREAM_DT_LNK     10

#define STREAM_OPS(OP)                                                                             \
	OP(stream, read, 1, struct stream_none, struct stream_none, DOOR_IO)                       \
	OP(stream, write, 2, struct stream_none, struct stream_none, DOOR_IO_PULL)                 \
	OP(stream, info, 3, struct stream_none, struct stream_info)                                \
	OP(stream, setpgrp, 4, struct stream_pgrp, struct stream_none)                             \
	OP(stream, getpgrp, 5, struct stream_none, struct stream_pgrp)                             \
	OP(stream, lseek, 6, struct stream_seek, struct stream_pos)                                \
	OP(stream, stat, 7, struct stream_none, struct stream_stat)                                \
	OP(stream, truncate, 8, struct stream_size, struct stream_none)                            \
	OP(stream, readdir, 9, struct stream_none, struct stream_none, DOOR_IO)                    \
	OP(stream, pipe_writer, 10, struct stream_none, struct stream_none, DOOR_IO)

DOOR_INTERFACE(stream, STREAM_OPS)

#endif
