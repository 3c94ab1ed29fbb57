/* SPDX-License-Identifier: MIT */
/*
 * devfs: /dev, a fixed directory of devices (vfs.h): console (its reads
 * and writes go on to the console driver's stream door), null (reads end
 * at once, writes vanish), zero (reads give zeros) and, when there is a
 * disk, disk: its bytes, read and written through the block device
 * (sprite/blkdev.h) by whole sectors, past the file system's block cache
 * as a Unix raw disk is (writing it under the mounted file system
 * corrupts that). Nothing can be made or removed in it. Its operations
 * take no lock: a console read blocks in the driver.
 *
 * Entry point: devfs_init.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <sprite/blkdev.h>

#include "servers/fs/vfs.h"

enum { DEV_ROOT = 1, DEV_CONSOLE, DEV_NULL, DEV_ZERO, DEV_DISK, DEV_COUNT };

static const struct {
	const char *name;
	uint32_t mode, rdev;
} devs[DEV_COUNT] = {
        [DEV_ROOT] = {".", FS_S_IFDIR | 0755, 0},
        [DEV_CONSOLE] = {"console", FS_S_IFCHR | 0620, 0x0501},
        [DEV_NULL] = {"null", FS_S_IFCHR | 0666, 0x0103},
        [DEV_ZERO] = {"zero", FS_S_IFCHR | 0666, 0x0105},
        [DEV_DISK] = {"disk", FS_S_IFBLK | 0600, 0x0300},
};

struct devfs {
	int console; /* the console driver's stream door, or -1 */
	int disk;    /* the disk driver's block device door, or -1 */
	uint64_t disk_bytes;
	int lock; /* the disk's bounce buffer */
	char sectors[DOOR_IO_MAX];
};

static struct devfs *dev_of(struct fsdom *d)
{
	return d->priv;
}

/* Is node i there (the disk only with a disk)? */
static int present(struct fsdom *d, uint32_t i)
{
	return i > 0 && i < DEV_COUNT && (i != DEV_DISK || dev_of(d)->disk >= 0);
}

static int console_door(struct fsdom *d)
{
	return ((struct devfs *)d->priv)->console;
}

static int d_lookup(struct fsdom *d, uint32_t dir, const char *name, uint32_t len, uint32_t *ino)
{
	(void)d;
	if (dir != DEV_ROOT)
		return -ENOTDIR;
	if ((len == 1 && name[0] == '.') || (len == 2 && !memcmp(name, "..", 2))) {
		*ino = DEV_ROOT;
		return 0;
	}
	for (uint32_t i = DEV_CONSOLE; i < DEV_COUNT; i++) {
		if (present(d, i) && strlen(devs[i].name) == len &&
		    !memcmp(devs[i].name, name, len)) {
			*ino = i;
			return 0;
		}
	}
	return -ENOENT;
}

static int d_stat(struct fsdom *d, uint32_t ino, struct stream_stat *st)
{
	if (!present(d, ino))
		return -ENOENT;
	*st = (struct stream_stat){.dev = 3,
	                           .ino = ino,
	                           .mode = devs[ino].mode,
	                           .nlink = ino == DEV_ROOT ? 2 : 1,
	                           .rdev = devs[ino].rdev,
	                           .size = ino == DEV_DISK ? (uint32_t)dev_of(d)->disk_bytes : 0};
	return 0;
}

/* The disk's bytes [off, off + len), by whole sectors through the bounce
 * buffer: at most a buffer's worth per call (the caller loops). */
static int disk_rw(struct fsdom *d, uint32_t off, void *buf, uint32_t len, int write)
{
	struct devfs *dev = dev_of(d);
	if (off >= dev->disk_bytes)
		return 0;
	if (len > dev->disk_bytes - off)
		len = (uint32_t)(dev->disk_bytes - off);
	uint32_t first = off / BLKDEV_SECTOR, skip = off % BLKDEV_SECTOR;
	if (skip + len > sizeof dev->sectors)
		len = sizeof dev->sectors - skip;
	uint32_t count = (skip + len + BLKDEV_SECTOR - 1) / BLKDEV_SECTOR;
	struct door_binding b;
	door_bind_remote(&b, dev->disk);
	struct blkdev_none none = {0};
	struct blkdev_rw rw = {first, count};
	while (__atomic_exchange_n(&dev->lock, 1, __ATOMIC_ACQUIRE))
		yield();
	int n = 0;
	if (!write || skip || len % BLKDEV_SECTOR) { /* whole sectors are read first */
		struct door_io io = {NULL, 0, dev->sectors, count * BLKDEV_SECTOR, 0, -1, 0,
		                     -1,   0, NULL};
		n = blkdev_read(&b, &rw, &none, &io);
	}
	if (n >= 0 && write) {
		memcpy(dev->sectors + skip, buf, len);
		struct door_io io = {dev->sectors, count * BLKDEV_SECTOR, NULL, 0, 0, -1, 0, -1, 0,
		                     NULL};
		n = blkdev_write(&b, &rw, &none, &io);
	} else if (n >= 0) {
		memcpy(buf, dev->sectors + skip, len);
	}
	__atomic_store_n(&dev->lock, 0, __ATOMIC_RELEASE);
	return n < 0 ? n : (int)len;
}

static int d_read(struct fsdom *d, uint32_t ino, uint32_t off, void *buf, uint32_t len)
{
	switch (ino) {
	case DEV_DISK: return present(d, ino) ? disk_rw(d, off, buf, len, 0) : -ENOENT;
	case DEV_CONSOLE: {
		if (console_door(d) < 0)
			return -ENODEV;
		struct door_binding b;
		door_bind_remote(&b, console_door(d));
		struct stream_none none = {0};
		struct door_io io = {NULL, 0, buf, len, 0, -1, 0, -1, 0, NULL};
		int n = stream_read(&b, &none, &none, &io);
		return n < 0 ? n : (int)io.out_size;
	}
	case DEV_NULL: return 0;
	case DEV_ZERO: memset(buf, 0, len); return (int)len;
	case DEV_ROOT: return -EISDIR;
	default: return -ENOENT;
	}
}

static int d_write(struct fsdom *d, uint32_t ino, uint32_t off, const void *buf, uint32_t len)
{
	switch (ino) {
	case DEV_DISK: return present(d, ino) ? disk_rw(d, off, (void *)buf, len, 1) : -ENOENT;
	case DEV_CONSOLE: {
		if (console_door(d) < 0)
			return -ENODEV;
		struct door_binding b;
		door_bind_remote(&b, console_door(d));
		struct stream_none none = {0};
		struct door_io io = {buf, len, NULL, 0, 0, -1, 0, -1, 0, NULL};
		return stream_write(&b, &none, &none, &io);
	}
	case DEV_NULL:
	case DEV_ZERO: return (int)len;
	case DEV_ROOT: return -EISDIR;
	default: return -ENOENT;
	}
}

static int d_truncate(struct fsdom *d, uint32_t ino, uint32_t size)
{
	(void)d, (void)size;
	return ino == DEV_ROOT ? -EISDIR : 0; /* as Unix: O_TRUNC on a device does nothing */
}

static int d_create(struct fsdom *d, uint32_t dir, const char *name, uint32_t len, uint32_t mode,
                    const char *target, uint32_t *ino)
{
	(void)mode, (void)target;
	return d_lookup(d, dir, name, len, ino) == 0 ? -EEXIST : -EACCES;
}

static int d_readlink(struct fsdom *d, uint32_t ino, char *buf, uint32_t cap)
{
	(void)d, (void)ino, (void)buf, (void)cap;
	return -EINVAL;
}

static int d_link(struct fsdom *d, uint32_t dir, const char *name, uint32_t len, uint32_t ino)
{
	(void)d, (void)dir, (void)name, (void)len, (void)ino;
	return -EACCES;
}

static int d_unlink(struct fsdom *d, uint32_t dir, const char *name, uint32_t len)
{
	uint32_t ino;
	int err = d_lookup(d, dir, name, len, &ino);
	return err < 0 ? err : ino == DEV_ROOT ? -EISDIR : -EACCES;
}

static int d_rename(struct fsdom *d, uint32_t fdir, const char *f, uint32_t flen, uint32_t tdir,
                    const char *t, uint32_t tlen)
{
	(void)tdir, (void)t, (void)tlen;
	uint32_t ino;
	int err = d_lookup(d, fdir, f, flen, &ino);
	return err < 0 ? err : -EACCES;
}

static int d_readdir(struct fsdom *d, uint32_t dir, uint32_t *pos, uint32_t *ino, uint8_t *type,
                     char *name, uint32_t *namelen)
{
	if (dir != DEV_ROOT)
		return -ENOTDIR;
	if (*pos < 2) {
		*ino = DEV_ROOT;
		*type = STREAM_DT_DIR;
		*namelen = *pos + 1;
		memcpy(name, "..", *namelen);
		++*pos;
		return 1;
	}
	uint32_t i = *pos - 2 + DEV_CONSOLE;
	while (i < DEV_COUNT && !present(d, i))
		i++;
	if (i >= DEV_COUNT)
		return 0;
	*ino = i;
	*type = vfs_dtype(devs[i].mode);
	*pos = i - DEV_CONSOLE + 2;
	*namelen = (uint32_t)strlen(devs[i].name);
	memcpy(name, devs[i].name, *namelen);
	++*pos;
	return 1;
}

static int d_statfs(struct fsdom *d, struct fs_statfs *s)
{
	(void)d;
	*s = (struct fs_statfs){1024, 0, 0, DEV_COUNT - 1, 0, "devices"};
	return 0;
}

static int d_sync(struct fsdom *d)
{
	(void)d;
	return 0;
}

static const struct vfs_ops devfs_ops = {d_lookup, d_stat,     d_read,   NULL,       d_write,
                                         NULL,     d_truncate, d_create, d_readlink, d_link,
                                         d_unlink, d_unlink,   d_rename, d_readdir,  d_statfs,
                                         d_sync,   NULL,       NULL};

int devfs_init(struct fsdom *d, const char *prefix, int console, int disk)
{
	struct devfs *dev = calloc(1, sizeof *dev);
	if (!dev)
		return -ENOMEM;
	dev->console = console;
	dev->disk = -1;
	if (disk >= 0) {
		struct door_binding b;
		struct blkdev_info info = {0};
		door_bind_remote(&b, disk);
		if (blkdev_info(&b, &(struct blkdev_none){0}, &info) == 0) {
			dev->disk = disk;
			dev->disk_bytes = info.sectors * BLKDEV_SECTOR;
			if (dev->disk_bytes > 0x7fffffff)
				dev->disk_bytes = 0x7fffffff; /* what a 32-bit offset reaches */
		}
	}
	*d = (struct fsdom){.ops = &devfs_ops, .priv = dev, .root = DEV_ROOT, .unlocked = 1};
	strlcpy(d->prefix, prefix, sizeof d->prefix);
	return 0;
}
