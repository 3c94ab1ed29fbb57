/* SPDX-License-Identifier: MIT */
/*
 * ext2, read and write, as a library over a block device given by two
 * callbacks. It is plain C (lib/c's string functions only: no allocation,
 * no doors, no system calls), so the fs server links it and the host unit
 * tests run it against images made by mke2fs.
 *
 * What it handles is what `mke2fs -t ext2` makes by default: revision 0
 * and 1, 1, 2 and 4 KiB blocks, 128-byte and larger inodes, the filetype,
 * sparse_super and large_file features; ext_attr, resize_inode and
 * dir_index are accepted (an htree directory is read as the linear one it
 * also is, and loses its index flag when changed). An image with an
 * incompatible feature it does not implement (extents, a journal to
 * recover, 64bit, ...) is refused, and one with an unknown read-only
 * feature is mounted only read-only; fs->why says why.
 *
 * Every number read from the device is checked before use; a corrupted
 * image gives -EIO, never an access outside the device, a crash or a hang.
 * Errors are negative errno values (sprig/errno.h).
 *
 * One struct ext2 is one mounted file system. Calls on it must not overlap
 * (the caller holds its lock): it keeps its scratch blocks inside. Group
 * descriptors, bitmaps, inodes and data go to the device as each call
 * makes them; the superblock's counts are kept in memory and written by
 * ext2_sync. Nothing is cached above the device: the fs server's block
 * cache sits under the callbacks. The blocks the superblock reserves for
 * root are not held back (statfs's bavail leaves them out); reads do not
 * change atime.
 *
 * Entry points: ext2_mount, ext2_sync, ext2_statfs, ext2_lookup, ext2_stat,
 * ext2_setattr, ext2_read, ext2_write, ext2_truncate, ext2_create,
 * ext2_symlink, ext2_readlink, ext2_link, ext2_unlink, ext2_rmdir,
 * ext2_rename, ext2_readdir.
 */
#ifndef SPRIG_FS_EXT2_H
#define SPRIG_FS_EXT2_H

#include <stdint.h>

#include "servers/fs/ext2_disk.h"

#define EXT2_MAX_BLOCK 4096 /* larger block sizes are refused (-ENOTSUP) */

/* The device: byte offsets and lengths, never past size (when size is
 * not 0, mount refuses a file system larger than it). read and write
 * return 0 or a negative errno (any failure becomes -EIO). now gives the
 * time in seconds since 1970 for the inodes' times; it may be NULL (times
 * are then 0). */
struct ext2_dev {
	void *ctx;
	uint64_t size; /* bytes; 0: unknown */
	int (*read)(void *ctx, uint64_t off, void *buf, uint32_t len);
	int (*write)(void *ctx, uint64_t off, const void *buf, uint32_t len);
	uint32_t (*now)(void *ctx);
	/* optional: where len bytes at off are in memory (a cache's block:
	 * they lie in one), read in if need be, till the next call: 0, -errno */
	int (*peek)(void *ctx, uint64_t off, uint32_t len, const void **at);
};

/* A mounted file system. The fields are read-only to callers. */
struct ext2 {
	struct ext2_dev dev;
	struct ext2_super_disk sb; /* the primary superblock, counts current */
	const char *why;           /* after a refused mount: the reason */
	int rdonly;                /* writes give -EROFS */
	int sb_dirty;              /* sb differs from the device's copy */
	uint32_t bsize, bshift;    /* block size, and its log2 */
	uint32_t ptrs, pshift;     /* block pointers per block, and its log2 */
	uint32_t groups;           /* block groups */
	uint32_t gdt_block;        /* first block of the group descriptor table */
	uint32_t isize;            /* bytes per inode on disk */
	uint32_t itable_blocks;    /* inode table blocks per group */
	uint32_t first_ino;        /* first inode that is not reserved */
	uint32_t extra_isize;      /* i_extra_isize given to new inodes */
	uint32_t generation;       /* the next new inode's i_generation */
	uint64_t max_size;         /* largest file the block map can hold */
	/* Scratch blocks: a bitmap, a directory block, and one per level of
	 * indirection (truncation walks all three at once). */
	uint8_t bitmap[EXT2_MAX_BLOCK] __attribute__((aligned(8)));
	uint8_t dirblk[EXT2_MAX_BLOCK] __attribute__((aligned(8)));
	uint8_t ind[3][EXT2_MAX_BLOCK] __attribute__((aligned(8)));
};

#define EXT2_MOUNT_RDONLY 1

/* Reads and checks the superblock and every group descriptor. -EINVAL: not
 * ext2 or nonsense numbers; -ENOTSUP: a feature or block size not handled
 * (read-write, or at all); -EIO: the device failed. fs->why says which. */
int ext2_mount(struct ext2 *fs, const struct ext2_dev *dev, int flags);

/* Writes the superblock (its free counts) if it changed. The rest is
 * written already. */
int ext2_sync(struct ext2 *fs);

struct ext2_statfs {
	uint32_t bsize;
	uint32_t blocks, bfree, bavail; /* bavail: less the blocks kept for root */
	uint32_t inodes, ifree;
	uint32_t namemax;
};
int ext2_statfs(struct ext2 *fs, struct ext2_statfs *s);

/* The inode that name (len bytes, no NUL needed) names in directory dir.
 * "." and ".." are entries like the others. -ENOENT, -ENOTDIR,
 * -ENAMETOOLONG. */
int ext2_lookup(struct ext2 *fs, uint32_t dir, const char *name, uint32_t len, uint32_t *ino);

struct ext2_stat {
	uint32_t ino;
	uint16_t mode; /* EXT2_S_IF* type and permission bits */
	uint16_t nlink;
	uint32_t uid, gid;
	uint64_t size;
	uint64_t blocks; /* 512-byte units, as st_blocks */
	uint32_t atime, mtime, ctime;
	uint32_t flags; /* i_flags (EXT2_INDEX_FL, ...) */
	uint32_t rdev;  /* device number of a device file */
	uint32_t blksize;
};
/* -ENOENT for an inode not in use. */
int ext2_stat(struct ext2 *fs, uint32_t ino, struct ext2_stat *st);

/* Changes what mask names: permission bits (the type stays), owner, times. */
#define EXT2_SET_MODE  1
#define EXT2_SET_UID   2
#define EXT2_SET_GID   4
#define EXT2_SET_ATIME 8
#define EXT2_SET_MTIME 16
struct ext2_setattr {
	uint32_t mask;
	uint16_t mode;
	uint32_t uid, gid;
	uint32_t atime, mtime;
};
int ext2_setattr(struct ext2 *fs, uint32_t ino, const struct ext2_setattr *a);

/* A regular file's bytes: returns how many were read (fewer at the end of
 * the file, 0 past it); holes read as zeros. -EISDIR, -EINVAL (not a
 * regular file). */
int ext2_read(struct ext2 *fs, uint32_t ino, uint64_t off, void *buf, uint32_t len);
/* Where up to len bytes of file ino at off are in memory, to be read in
 * place, as long as they lie in one block: how many (0 at the end) and
 * *at, valid till the next call; -ENOSYS when they cannot be had so (the
 * device has no peek, or they span blocks): then ext2_read. */
int ext2_peek(struct ext2 *fs, uint32_t ino, uint64_t off, uint32_t len, const void **at);

/* Writes len bytes at off, extending the file (a gap becomes a hole).
 * Returns how many were written: fewer only when the disk filled, -ENOSPC
 * if none; -EFBIG past the largest file. len must be below 2^31. */
int ext2_write(struct ext2 *fs, uint32_t ino, uint64_t off, const void *buf, uint32_t len);

/* Sets a regular file's size: blocks past it (indirect ones too) are
 * freed, and the rest of its last block zeroed; growing leaves a hole. */
int ext2_truncate(struct ext2 *fs, uint32_t ino, uint64_t size);

/* Makes name in dir: a regular file, a directory (with "." and "..", and
 * one more link on dir), a fifo or a socket, by mode's type (none: a
 * regular file); its new inode in *ino. -EEXIST, -ENOSPC, -EMLINK (a new
 * directory in one with EXT2_LINK_MAX links), -EINVAL (a device type, or a
 * name with '/' or NUL). Owner 0, times now. */
int ext2_create(struct ext2 *fs, uint32_t dir, const char *name, uint32_t len, uint16_t mode,
                uint32_t *ino);

/* Makes name in dir a symbolic link to target (tlen bytes, 1 to a block
 * less one): in the inode when under 60 bytes, else in a block. */
int ext2_symlink(struct ext2 *fs, uint32_t dir, const char *name, uint32_t len, const char *target,
                 uint32_t tlen, uint32_t *ino);

/* Copies a symbolic link's target (no NUL added) into buf; returns its
 * length, or -ERANGE if size is too small, -EINVAL if not a link. */
int ext2_readlink(struct ext2 *fs, uint32_t ino, char *buf, uint32_t size);

/* Another name for ino in dir. -EPERM for a directory, -EMLINK. */
int ext2_link(struct ext2 *fs, uint32_t dir, const char *name, uint32_t len, uint32_t ino);

/* Removes name from dir; the inode is freed with its last link (the caller
 * that keeps unlinked open files must not unlink until they close).
 * -EISDIR for a directory. */
int ext2_unlink(struct ext2 *fs, uint32_t dir, const char *name, uint32_t len);

/* Removes an empty directory. -ENOTDIR, -ENOTEMPTY (".." too), -EINVAL
 * for ".". */
int ext2_rmdir(struct ext2 *fs, uint32_t dir, const char *name, uint32_t len);

/* Unix rename: an existing target is replaced (a file by a non-directory,
 * an empty directory by a directory; else -EISDIR, -ENOTDIR, -ENOTEMPTY);
 * the same inode under both names does nothing; a directory moved to
 * another parent has its ".." changed. -EINVAL for "." or "..", or for a
 * directory moved under itself. */
int ext2_rename(struct ext2 *fs, uint32_t fdir, const char *from, uint32_t flen, uint32_t tdir,
                const char *to, uint32_t tlen);

/* One directory entry: the next used one at or after byte *pos, which is
 * moved past it. Returns 1 with *e filled, 0 at the end. Start with 0. */
struct ext2_dirent {
	uint32_t ino;
	uint8_t type; /* EXT2_FT_*; EXT2_FT_UNKNOWN without the filetype feature */
	uint8_t name_len;
	char name[EXT2_NAME_MAX + 1]; /* NUL-terminated too */
};
int ext2_readdir(struct ext2 *fs, uint32_t dir, uint64_t *pos, struct ext2_dirent *e);

#endif
