/* SPDX-License-Identifier: MIT */
/*
 * The ext2 domain: vfs.h's operations over ext2.c, on the block cache
 * (cache.c) over the disk. A file unlinked while a stream holds it open
 * keeps its inode: its name moves into /lost+found as #INO (created if
 * need be), and is removed when the last stream lets go, so the file
 * stays readable and the image stays consistent.
 *
 * Entry points: ext2vfs_init, ext2vfs_age.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sprite/blkdev.h>

#include "servers/fs/cache.h"
#include "servers/fs/ext2.h"
#include "servers/fs/vfs.h"

#define HELD_MAX 128

struct held {
	uint32_t ino, opens;
	int orphan; /* unlinked while open: named #INO in lost+found */
};

struct ext2vfs {
	struct ext2 fs;
	struct held held[HELD_MAX];
};

static struct ext2 *fs_of(struct fsdom *d)
{
	return &((struct ext2vfs *)d->priv)->fs;
}

static struct held *held_of(struct fsdom *d, uint32_t ino)
{
	struct ext2vfs *e = d->priv;
	for (int i = 0; i < HELD_MAX; i++)
		if (e->held[i].opens && e->held[i].ino == ino)
			return &e->held[i];
	return NULL;
}

static int x_lookup(struct fsdom *d, uint32_t dir, const char *name, uint32_t len, uint32_t *ino)
{
	return ext2_lookup(fs_of(d), dir, name, len, ino);
}

static int x_stat(struct fsdom *d, uint32_t ino, struct stream_stat *st)
{
	struct ext2_stat s;
	int err = ext2_stat(fs_of(d), ino, &s);
	if (err < 0)
		return err;
	*st = (struct stream_stat){1,
	                           s.ino,
	                           s.mode,
	                           s.nlink,
	                           s.uid,
	                           s.gid,
	                           s.size > 0xffffffffu ? 0xffffffffu : (uint32_t)s.size,
	                           (uint32_t)s.blocks,
	                           s.atime,
	                           s.mtime,
	                           s.ctime,
	                           s.rdev};
	return 0;
}

static int x_read(struct fsdom *d, uint32_t ino, uint32_t off, void *buf, uint32_t len)
{
	return ext2_read(fs_of(d), ino, off, buf, len);
}

static int x_peek(struct fsdom *d, uint32_t ino, uint32_t off, uint32_t len, const void **at)
{
	return ext2_peek(fs_of(d), ino, off, len, at);
}

static int x_write(struct fsdom *d, uint32_t ino, uint32_t off, const void *buf, uint32_t len)
{
	return ext2_write(fs_of(d), ino, off, buf, len);
}

static int x_truncate(struct fsdom *d, uint32_t ino, uint32_t size)
{
	return ext2_truncate(fs_of(d), ino, size);
}

static int x_create(struct fsdom *d, uint32_t dir, const char *name, uint32_t len, uint32_t mode,
                    const char *target, uint32_t *ino)
{
	if (target)
		return ext2_symlink(fs_of(d), dir, name, len, target, (uint32_t)strlen(target),
		                    ino);
	return ext2_create(fs_of(d), dir, name, len, (uint16_t)mode, ino);
}

static int x_readlink(struct fsdom *d, uint32_t ino, char *buf, uint32_t cap)
{
	return ext2_readlink(fs_of(d), ino, buf, cap);
}

static int x_link(struct fsdom *d, uint32_t dir, const char *name, uint32_t len, uint32_t ino)
{
	return ext2_link(fs_of(d), dir, name, len, ino);
}

/* lost+found's inode, made if it is not there. */
static int lost_found(struct fsdom *d, uint32_t *ino)
{
	int err = ext2_lookup(fs_of(d), d->root, "lost+found", 10, ino);
	if (err == -ENOENT)
		err = ext2_create(fs_of(d), d->root, "lost+found", 10, 040700, ino);
	return err;
}

static int x_unlink(struct fsdom *d, uint32_t dir, const char *name, uint32_t len)
{
	uint32_t ino;
	struct ext2_stat st;
	int err = ext2_lookup(fs_of(d), dir, name, len, &ino);
	if (err < 0)
		return err;
	struct held *h = held_of(d, ino);
	if (h && !h->orphan && ext2_stat(fs_of(d), ino, &st) == 0 && st.nlink == 1 &&
	    (st.mode & FS_S_IFMT) == FS_S_IFREG) {
		uint32_t lf;
		char orphan[16];
		err = lost_found(d, &lf);
		snprintf(orphan, sizeof orphan, "#%u", ino);
		if (err == 0)
			err = ext2_rename(fs_of(d), dir, name, len, lf, orphan,
			                  (uint32_t)strlen(orphan));
		if (err == 0)
			h->orphan = 1;
		return err;
	}
	return ext2_unlink(fs_of(d), dir, name, len);
}

static int x_rmdir(struct fsdom *d, uint32_t dir, const char *name, uint32_t len)
{
	return ext2_rmdir(fs_of(d), dir, name, len);
}

static int x_rename(struct fsdom *d, uint32_t fdir, const char *f, uint32_t flen, uint32_t tdir,
                    const char *t, uint32_t tlen)
{
	return ext2_rename(fs_of(d), fdir, f, flen, tdir, t, tlen);
}

static int x_readdir(struct fsdom *d, uint32_t dir, uint32_t *pos, uint32_t *ino, uint8_t *type,
                     char *name, uint32_t *namelen)
{
	uint64_t p = *pos;
	struct ext2_dirent e;
	int got = ext2_readdir(fs_of(d), dir, &p, &e);
	if (got <= 0)
		return got;
	if (p > 0xffffffffu)
		return -EIO;
	*pos = (uint32_t)p;
	*ino = e.ino;
	*type = e.type == 2   ? STREAM_DT_DIR
	        : e.type == 1 ? STREAM_DT_REG
	        : e.type == 7 ? STREAM_DT_LNK
	        : e.type == 3 ? STREAM_DT_CHR
	        : e.type == 4 ? STREAM_DT_BLK
	        : e.type == 5 ? STREAM_DT_FIFO
	                      : STREAM_DT_UNKNOWN;
	*namelen = e.name_len;
	memcpy(name, e.name, e.name_len);
	return 1;
}

static int x_statfs(struct fsdom *d, struct fs_statfs *s)
{
	struct ext2_statfs e;
	int err = ext2_statfs(fs_of(d), &e);
	if (err < 0)
		return err;
	*s = (struct fs_statfs){e.bsize, e.blocks, e.bavail, e.inodes, e.ifree, "ext2"};
	return 0;
}

static int x_sync(struct fsdom *d)
{
	int err = ext2_sync(fs_of(d));
	int e = cache_sync();
	return err ? err : e;
}

int ext2vfs_age(struct fsdom *d)
{
	int err = ext2_sync(fs_of(d)); /* into the cache: it ages there like the rest */
	int e = cache_age();
	return err ? err : e;
}

static void x_hold(struct fsdom *d, uint32_t ino)
{
	struct held *h = held_of(d, ino);
	if (h) {
		h->opens++;
		return;
	}
	struct ext2vfs *e = d->priv;
	for (int i = 0; i < HELD_MAX; i++)
		if (!e->held[i].opens) {
			e->held[i] = (struct held){ino, 1, 0};
			return;
		}
	/* a full table: this stream's file just is not kept if unlinked */
}

static void x_release(struct fsdom *d, uint32_t ino)
{
	struct held *h = held_of(d, ino);
	if (!h || --h->opens > 0)
		return;
	if (h->orphan) {
		uint32_t lf;
		char orphan[16];
		snprintf(orphan, sizeof orphan, "#%u", ino);
		if (lost_found(d, &lf) == 0)
			ext2_unlink(fs_of(d), lf, orphan, (uint32_t)strlen(orphan));
	}
	h->orphan = 0;
}

/* Seconds since 1970: the time the fs server was built plus the time
 * since boot (Sprig reads no clock of the day yet). Never a small number:
 * e2fsck takes a deleted inode's small dtime for an orphan-list link. */
static uint32_t now(void *ctx)
{
	(void)ctx;
	struct sprig_time t;
	sprig_time(&t);
	return (uint32_t)SPRIG_BUILD_TIME + (uint32_t)(t.ticks / (t.hz ? t.hz : 100));
}

/* The disk under the block cache: its blkdev door, a call per
 * BLKDEV_MAX_SECTORS sectors. */
static struct door_binding disk_door;

static int disk_rw(uint64_t lba, uint32_t count, char *buf, int write)
{
	for (uint32_t done = 0; done < count;) {
		uint32_t n = count - done < BLKDEV_MAX_SECTORS ? count - done : BLKDEV_MAX_SECTORS;
		char *at = buf + done * BLKDEV_SECTOR;
		struct blkdev_rw rw = {lba + done, n};
		struct blkdev_none none = {0};
		struct door_io io = {write ? at : NULL,
		                     write ? n * BLKDEV_SECTOR : 0,
		                     write ? NULL : at,
		                     write ? 0 : n * BLKDEV_SECTOR,
		                     0,
		                     -1,
		                     0,
		                     -1,
		                     0,
		                     NULL};
		int got = write ? blkdev_write(&disk_door, &rw, &none, &io)
		                : blkdev_read(&disk_door, &rw, &none, &io);
		if (got < 0)
			return got;
		if ((uint32_t)got != n * BLKDEV_SECTOR)
			return -EIO;
		done += n;
	}
	return 0;
}

static int disk_read(void *ctx, uint64_t lba, uint32_t count, void *buf)
{
	(void)ctx;
	return disk_rw(lba, count, buf, 0);
}

static int disk_write(void *ctx, uint64_t lba, uint32_t count, const void *buf)
{
	(void)ctx;
	return disk_rw(lba, count, (char *)buf, 1);
}

static int disk_flush(void *ctx)
{
	(void)ctx;
	return blkdev_flush(&disk_door, &(struct blkdev_none){0}, &(struct blkdev_none){0});
}

static uint64_t ticks(void *ctx, uint32_t *hz)
{
	(void)ctx;
	struct sprig_time t;
	sprig_time(&t);
	*hz = t.hz;
	return t.ticks;
}

static const struct vfs_ops ext2_vfs = {x_lookup, x_stat,     x_read,   x_peek,     x_write,
                                        NULL,     x_truncate, x_create, x_readlink, x_link,
                                        x_unlink, x_rmdir,    x_rename, x_readdir,  x_statfs,
                                        x_sync,   x_hold,     x_release};

/* Mounts the ext2 file system on the disk behind door disk as prefix. */
int ext2vfs_init(struct fsdom *d, const char *prefix, int disk)
{
	struct ext2vfs *e = calloc(1, sizeof *e);
	if (!e)
		return -ENOMEM;
	door_bind_remote(&disk_door, disk);
	struct blkdev_info info = {0};
	int err = blkdev_info(&disk_door, &(struct blkdev_none){0}, &info);
	if (err < 0) {
		free(e);
		return err;
	}
	uint64_t bytes;
	struct cache_dev dev = {NULL, info.sectors, disk_read, disk_write, disk_flush, ticks};
	cache_init(&dev, &bytes);
	err = ext2_mount(&e->fs,
	                 &(struct ext2_dev){NULL, bytes, cache_read, cache_write, now, cache_peek},
	                 0);
	if (err < 0) {
		printf("fs: the disk holds no ext2 file system I can use: %s\n",
		       e->fs.why ? e->fs.why : strerror(-err));
		free(e);
		return err;
	}
	*d = (struct fsdom){.ops = &ext2_vfs, .priv = e, .root = 2};
	strlcpy(d->prefix, prefix, sizeof d->prefix);
	return 0;
}
