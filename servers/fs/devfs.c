/* SPDX-License-Identifier: MIT */
/*
 * devfs: /dev, a fixed directory of devices (vfs.h): console (its reads
 * and writes go on to the console driver's stream door), null (reads end
 * at once, writes vanish) and zero (reads give zeros). Nothing can be
 * made or removed in it. Its operations take no lock: a console read
 * blocks in the driver.
 *
 * Entry point: devfs_init.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "servers/fs/vfs.h"

enum { DEV_ROOT = 1, DEV_CONSOLE, DEV_NULL, DEV_ZERO, DEV_COUNT };

static const struct {
	const char *name;
	uint32_t mode, rdev;
} devs[DEV_COUNT] = {
        [DEV_ROOT] = {".", FS_S_IFDIR | 0755, 0},
        [DEV_CONSOLE] = {"console", FS_S_IFCHR | 0620, 0x0501},
        [DEV_NULL] = {"null", FS_S_IFCHR | 0666, 0x0103},
        [DEV_ZERO] = {"zero", FS_S_IFCHR | 0666, 0x0105},
};

struct devfs {
	int console; /* the console driver's stream door, or -1 */
};

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
		if (strlen(devs[i].name) == len && !memcmp(devs[i].name, name, len)) {
			*ino = i;
			return 0;
		}
	}
	return -ENOENT;
}

static int d_stat(struct fsdom *d, uint32_t ino, struct stream_stat *st)
{
	(void)d;
	if (ino == 0 || ino >= DEV_COUNT)
		return -ENOENT;
	*st = (struct stream_stat){.dev = 3,
	                           .ino = ino,
	                           .mode = devs[ino].mode,
	                           .nlink = ino == DEV_ROOT ? 2 : 1,
	                           .rdev = devs[ino].rdev};
	return 0;
}

static int d_read(struct fsdom *d, uint32_t ino, uint32_t off, void *buf, uint32_t len)
{
	(void)off;
	switch (ino) {
	case DEV_CONSOLE: {
		if (console_door(d) < 0)
			return -ENODEV;
		struct door_binding b;
		door_bind_remote(&b, console_door(d));
		struct stream_none none = {0};
		struct door_io io = {NULL, 0, buf, len, 0, -1, 0, -1, 0};
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
	(void)off;
	switch (ino) {
	case DEV_CONSOLE: {
		if (console_door(d) < 0)
			return -ENODEV;
		struct door_binding b;
		door_bind_remote(&b, console_door(d));
		struct stream_none none = {0};
		struct door_io io = {buf, len, NULL, 0, 0, -1, 0, -1, 0};
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
	(void)d;
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
	if (i >= DEV_COUNT)
		return 0;
	*ino = i;
	*type = STREAM_DT_CHR;
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

static const struct vfs_ops devfs_ops = {
        d_lookup, d_stat,   d_read,   d_write,   d_truncate, d_create, d_readlink, d_link,
        d_unlink, d_unlink, d_rename, d_readdir, d_statfs,   d_sync,   NULL,       NULL};

int devfs_init(struct fsdom *d, const char *prefix, int console, int disk)
{
	(void)disk;
	struct devfs *dev = calloc(1, sizeof *dev);
	if (!dev)
		return -ENOMEM;
	dev->console = console;
	*d = (struct fsdom){.ops = &devfs_ops, .priv = dev, .root = DEV_ROOT, .unlocked = 1};
	strlcpy(d->prefix, prefix, sizeof d->prefix);
	return 0;
}
