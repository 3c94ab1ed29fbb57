/* SPDX-License-Identifier: MIT */
/*
 * Inside the fs domain: a Sprite domain (a subtree of the name space: "/",
 * "/tmp", "/dev") is a struct fsdom, whose operations a file system gives
 * (memfs.c: in memory; devfs.c: devices; ext2 on the disk). Nodes are
 * numbered (ino); fs.c walks paths, serves streams and pipes over them.
 * Every operation returns >= 0 or -errno; fs.c holds the domain's lock
 * around each call unless the domain says it needs none.
 */
#ifndef SPRIG_FS_VFS_H
#define SPRIG_FS_VFS_H

#include <sprite/fs.h>

struct fsdom;

struct vfs_ops {
	int (*lookup)(struct fsdom *d, uint32_t dir, const char *name, uint32_t len, uint32_t *ino);
	int (*stat)(struct fsdom *d, uint32_t ino, struct stream_stat *st);
	int (*read)(struct fsdom *d, uint32_t ino, uint32_t off, void *buf, uint32_t len);
	/* optional: where up to len bytes at off are, to answer a read in
	 * place (they stay put while the domain's lock is held): how many
	 * there are (0 at the end), and *at; -ENOSYS: not in one piece of
	 * memory (then read) */
	int (*peek)(struct fsdom *d, uint32_t ino, uint32_t off, uint32_t len, const void **at);
	int (*write)(struct fsdom *d, uint32_t ino, uint32_t off, const void *buf, uint32_t len);
	/* optional: write len bytes at off that fill(ctx, at, len) puts at
	 * the file's own memory, so they are copied once (fill's error, and
	 * the file unchanged, if it fails) */
	int (*write_with)(struct fsdom *d, uint32_t ino, uint32_t off, uint32_t len,
	                  int (*fill)(void *ctx, void *at, uint32_t len), void *ctx);
	int (*truncate)(struct fsdom *d, uint32_t ino, uint32_t size);
	/* a regular file or a directory (mode's type bits), or a symbolic link
	 * to target (target not NULL) */
	int (*create)(struct fsdom *d, uint32_t dir, const char *name, uint32_t len, uint32_t mode,
	              const char *target, uint32_t *ino);
	int (*readlink)(struct fsdom *d, uint32_t ino, char *buf, uint32_t cap);
	int (*link)(struct fsdom *d, uint32_t dir, const char *name, uint32_t len, uint32_t ino);
	int (*unlink)(struct fsdom *d, uint32_t dir, const char *name, uint32_t len);
	int (*rmdir)(struct fsdom *d, uint32_t dir, const char *name, uint32_t len);
	int (*rename)(struct fsdom *d, uint32_t fdir, const char *f, uint32_t flen, uint32_t tdir,
	              const char *t, uint32_t tlen);
	/* the entry at *pos (then *pos moves on): 1, or 0 at the end */
	int (*readdir)(struct fsdom *d, uint32_t dir, uint32_t *pos, uint32_t *ino, uint8_t *type,
	               char *name, uint32_t *namelen);
	int (*statfs)(struct fsdom *d, struct fs_statfs *s);
	int (*sync)(struct fsdom *d);
	/* an open stream holds ino (an unlinked file lives until released); optional */
	void (*hold)(struct fsdom *d, uint32_t ino);
	void (*release)(struct fsdom *d, uint32_t ino);
};

struct fsdom {
	const struct vfs_ops *ops;
	void *priv;
	char prefix[64]; /* where it is in the name space */
	uint32_t root;   /* its root directory's ino */
	int unlocked;    /* its operations need no lock (they may block: devices) */
	int lock;
	int door; /* served here: the domain's door */
	struct door_served served;
};

/* memfs.c, devfs.c */
int memfs_init(struct fsdom *d, const char *prefix, uint32_t max_bytes);
int devfs_init(struct fsdom *d, const char *prefix, int console, int disk);
int ext2vfs_init(struct fsdom *d, const char *prefix, int disk);
int ext2vfs_age(struct fsdom *d); /* the superblock's counts, and blocks dirty 30 s, written */

/* A directory entry's type from a mode. */
static inline uint8_t vfs_dtype(uint32_t mode)
{
	switch (mode & FS_S_IFMT) {
	case FS_S_IFDIR: return STREAM_DT_DIR;
	case FS_S_IFREG: return STREAM_DT_REG;
	case FS_S_IFLNK: return STREAM_DT_LNK;
	case FS_S_IFCHR: return STREAM_DT_CHR;
	case FS_S_IFBLK: return STREAM_DT_BLK;
	case FS_S_IFIFO: return STREAM_DT_FIFO;
	default: return STREAM_DT_UNKNOWN;
	}
}

#endif
