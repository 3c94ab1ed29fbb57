/* SPDX-License-Identifier: MIT */
/*
 * The file system's interface (servers/fs, docs/fs.md). The name space is
 * Sprite's: a prefix table maps the longest matching prefix of an absolute
 * path to a door for the domain (a subtree: "/", "/tmp", "/dev") that
 * serves it. A client (lib/c/file.c) sends the rest of the path to that
 * door. A lookup that leaves the domain (".." above its root, a symbolic
 * link to an absolute path) comes back as FS_REDIRECT with the new
 * absolute path in io.out, and the client looks it up again.
 *
 * Every operation takes its path(s) in io.in: one path, or two separated
 * by a NUL (rename, link: from, to; symlink: target, link). open answers
 * a door to a stream (sprite/stream.h); stat answers a struct
 * stream_stat in io.out.
 */
#ifndef SPRITE_FS_H
#define SPRITE_FS_H

#include <sprite/stream.h>

#define FS_REDIRECT   (-1000) /* io.out: the absolute path to look up instead */
#define FS_PATH_MAX   1024
#define FS_NAME_MAX   255
#define FS_PREFIX_MAX 16 /* entries in a prefix table */

/* open flags, as lib/c's fcntl.h */
#define FS_O_RDONLY    0x0000
#define FS_O_WRONLY    0x0001
#define FS_O_RDWR      0x0002
#define FS_O_ACCMODE   0x0003
#define FS_O_CREAT     0x0040
#define FS_O_EXCL      0x0080
#define FS_O_TRUNC     0x0200
#define FS_O_APPEND    0x0400
#define FS_O_DIRECTORY 0x10000
#define FS_O_NOFOLLOW  0x20000

/* mode bits, as Unix's */
#define FS_S_IFMT   0170000
#define FS_S_IFSOCK 0140000
#define FS_S_IFLNK  0120000
#define FS_S_IFREG  0100000
#define FS_S_IFBLK  0060000
#define FS_S_IFDIR  0040000
#define FS_S_IFCHR  0020000
#define FS_S_IFIFO  0010000

struct fs_open_in {
	uint32_t flags, mode;
};
struct fs_follow_in {
	uint32_t follow; /* stat: 1 follows a last symbolic link (stat), 0 not (lstat) */
};
struct fs_mode_in {
	uint32_t mode;
};
struct fs_none {
	uint32_t unused;
};
struct fs_index_in {
	uint32_t index;
};

/* statfs: for df */
struct fs_statfs {
	uint32_t bsize, blocks, bfree, files, ffree;
	char type[12]; /* "ext2", "memory", "devices" */
};

/* cache statistics (the fs domain's block cache) */
struct fs_cachestat {
	uint32_t blocks, dirty, hits, misses;
};

#define FS_OPS(OP)                                                                                 \
	OP(fs, open, 1, struct fs_open_in, struct fs_none, DOOR_IO)                                \
	OP(fs, stat, 2, struct fs_follow_in, struct fs_none, DOOR_IO)                              \
	OP(fs, mkdir, 3, struct fs_mode_in, struct fs_none, DOOR_IO)                               \
	OP(fs, rmdir, 4, struct fs_none, struct fs_none, DOOR_IO)                                  \
	OP(fs, unlink, 5, struct fs_none, struct fs_none, DOOR_IO)                                 \
	OP(fs, rename, 6, struct fs_none, struct fs_none, DOOR_IO)                                 \
	OP(fs, link, 7, struct fs_none, struct fs_none, DOOR_IO)                                   \
	OP(fs, symlink, 8, struct fs_none, struct fs_none, DOOR_IO)                                \
	OP(fs, readlink, 9, struct fs_none, struct fs_none, DOOR_IO)                               \
	OP(fs, statfs, 10, struct fs_none, struct fs_statfs)                                       \
	OP(fs, sync, 11, struct fs_none, struct fs_none)                                           \
	OP(fs, prefix, 12, struct fs_index_in, struct fs_none, DOOR_IO)                            \
	OP(fs, pipe, 13, struct fs_none, struct fs_none, DOOR_IO)                                  \
	OP(fs, cachestat, 14, struct fs_none, struct fs_cachestat)

DOOR_INTERFACE(fs, FS_OPS)

#endif
