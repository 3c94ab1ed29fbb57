/* SPDX-License-Identifier: MIT */
/*
 * memfs: a file system in the fs domain's memory (vfs.h), for /tmp and
 * for "/" when there is no disk. Nodes live in a growing table (ino =
 * index + 1, the root is 1); a file's bytes in one malloc'd buffer; a
 * directory's entries in an array. A node goes when it has no name and no
 * open stream. The whole file system holds at most max_bytes of data
 * (ENOSPC past it).
 *
 * Entry point: memfs_init.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "servers/fs/vfs.h"

struct ment {
	char *name;
	uint32_t len, ino;
};

struct mnode {
	int used;
	uint32_t mode, nlink, opens, mtime;
	uint32_t parent; /* directories */
	char *data;      /* files: bytes; symbolic links: the target */
	uint32_t size, cap;
	struct ment *ents; /* directories */
	uint32_t nents, capents;
};

struct memfs {
	struct mnode *nodes;
	uint32_t nnodes;
	uint32_t bytes, max_bytes;
	uint32_t clock; /* a counter standing in for time */
};

static struct memfs *fs_of(struct fsdom *d)
{
	return d->priv;
}

static struct mnode *node(struct fsdom *d, uint32_t ino)
{
	struct memfs *m = fs_of(d);
	if (ino == 0 || ino > m->nnodes || !m->nodes[ino - 1].used)
		return NULL;
	return &m->nodes[ino - 1];
}

static int new_node(struct fsdom *d, uint32_t mode, uint32_t *ino)
{
	struct memfs *m = fs_of(d);
	uint32_t i;
	for (i = 0; i < m->nnodes && m->nodes[i].used; i++)
		;
	if (i == m->nnodes) {
		if (m->nnodes >= 65536)
			return -ENOSPC;
		struct mnode *grown = realloc(m->nodes, (m->nnodes + 64) * sizeof *grown);
		if (!grown)
			return -ENOSPC;
		memset(grown + m->nnodes, 0, 64 * sizeof *grown);
		m->nodes = grown;
		m->nnodes += 64;
	}
	m->nodes[i] = (struct mnode){.used = 1, .mode = mode, .mtime = ++m->clock};
	*ino = i + 1;
	return 0;
}

/* Frees n if nothing names it and nothing has it open. */
static void maybe_free(struct fsdom *d, struct mnode *n)
{
	if (n->nlink > 0 || n->opens > 0)
		return;
	struct memfs *m = fs_of(d);
	m->bytes -= n->cap;
	free(n->data);
	for (uint32_t i = 0; i < n->nents; i++)
		free(n->ents[i].name);
	free(n->ents);
	memset(n, 0, sizeof *n);
}

static int find(struct mnode *dir, const char *name, uint32_t len)
{
	for (uint32_t i = 0; i < dir->nents; i++)
		if (dir->ents[i].len == len && !memcmp(dir->ents[i].name, name, len))
			return (int)i;
	return -1;
}

static int is_dir(const struct mnode *n)
{
	return (n->mode & FS_S_IFMT) == FS_S_IFDIR;
}

static int m_lookup(struct fsdom *d, uint32_t dir, const char *name, uint32_t len, uint32_t *ino)
{
	struct mnode *n = node(d, dir);
	if (!n)
		return -ENOENT;
	if (!is_dir(n))
		return -ENOTDIR;
	if (len == 1 && name[0] == '.') {
		*ino = dir;
		return 0;
	}
	if (len == 2 && name[0] == '.' && name[1] == '.') {
		*ino = n->parent;
		return 0;
	}
	int i = find(n, name, len);
	if (i < 0)
		return -ENOENT;
	*ino = n->ents[i].ino;
	return 0;
}

static int m_stat(struct fsdom *d, uint32_t ino, struct stream_stat *st)
{
	struct mnode *n = node(d, ino);
	if (!n)
		return -ENOENT;
	*st = (struct stream_stat){.dev = 2,
	                           .ino = ino,
	                           .mode = n->mode,
	                           .nlink = n->nlink,
	                           .size = is_dir(n) ? (n->nents + 2) * 16 : n->size,
	                           .blocks = (n->cap + 511) / 512,
	                           .atime = n->mtime,
	                           .mtime = n->mtime,
	                           .ctime = n->mtime};
	return 0;
}

static int m_peek(struct fsdom *d, uint32_t ino, uint32_t off, uint32_t len, const void **at)
{
	struct mnode *n = node(d, ino);
	if (!n)
		return -ENOENT;
	if (is_dir(n))
		return -EISDIR;
	if (off >= n->size)
		return 0;
	*at = n->data + off;
	return (int)(len < n->size - off ? len : n->size - off);
}

static int m_read(struct fsdom *d, uint32_t ino, uint32_t off, void *buf, uint32_t len)
{
	const void *at;
	int n = m_peek(d, ino, off, len, &at);
	if (n > 0)
		memcpy(buf, at, (size_t)n);
	return n;
}

/* Makes room for size bytes (zeros past the old end). */
static int grow(struct fsdom *d, struct mnode *n, uint32_t size)
{
	struct memfs *m = fs_of(d);
	if (size <= n->cap)
		return 0;
	uint32_t cap = n->cap ? n->cap : 256;
	while (cap < size)
		cap = cap > 0x40000000u ? size : cap * 2;
	if (m->bytes - n->cap + cap > m->max_bytes) {
		cap = size; /* try just what is needed */
		if (m->bytes - n->cap + cap > m->max_bytes)
			return -ENOSPC;
	}
	char *data = realloc(n->data, cap);
	if (!data)
		return -ENOSPC;
	memset(data + n->cap, 0, cap - n->cap);
	m->bytes += cap - n->cap;
	n->data = data;
	n->cap = cap;
	return 0;
}

/* Writes len bytes at off that fill(ctx, at, len) puts in place: the
 * file grows first (zeros past its end that nobody sees yet); if fill
 * fails the size stays, and bytes it left half written inside the file
 * are the file's (its mtime moves). */
static int m_write_with(struct fsdom *d, uint32_t ino, uint32_t off, uint32_t len,
                        int (*fill)(void *ctx, void *at, uint32_t len), void *ctx)
{
	struct mnode *n = node(d, ino);
	if (!n)
		return -ENOENT;
	if (is_dir(n))
		return -EISDIR;
	if (off + len < off || off + len > 0x7fffffffu)
		return -EFBIG;
	int err = grow(d, n, off + len);
	if (err == 0)
		err = fill(ctx, n->data + off, len);
	if (err < 0) {
		if (off < n->size)
			n->mtime = ++fs_of(d)->clock;
		return err;
	}
	if (off + len > n->size)
		n->size = off + len;
	n->mtime = ++fs_of(d)->clock;
	return (int)len;
}

static int fill_copy(void *ctx, void *at, uint32_t len)
{
	memcpy(at, ctx, len);
	return 0;
}

static int m_write(struct fsdom *d, uint32_t ino, uint32_t off, const void *buf, uint32_t len)
{
	return m_write_with(d, ino, off, len, fill_copy, (void *)(uintptr_t)buf);
}

static int m_truncate(struct fsdom *d, uint32_t ino, uint32_t size)
{
	struct mnode *n = node(d, ino);
	if (!n)
		return -ENOENT;
	if (is_dir(n))
		return -EISDIR;
	if (size > n->size) {
		int err = grow(d, n, size);
		if (err < 0)
			return err;
	} else if (n->data) {
		memset(n->data + size, 0, n->size - size);
	}
	n->size = size;
	n->mtime = ++fs_of(d)->clock;
	return 0;
}

static int add_entry(struct mnode *dir, const char *name, uint32_t len, uint32_t ino)
{
	if (dir->nents == dir->capents) {
		uint32_t cap = dir->capents ? dir->capents * 2 : 8;
		struct ment *grown = realloc(dir->ents, cap * sizeof *grown);
		if (!grown)
			return -ENOSPC;
		dir->ents = grown;
		dir->capents = cap;
	}
	char *copy = malloc(len + 1);
	if (!copy)
		return -ENOSPC;
	memcpy(copy, name, len);
	copy[len] = 0;
	dir->ents[dir->nents++] = (struct ment){copy, len, ino};
	return 0;
}

static void drop_entry(struct mnode *dir, int i)
{
	free(dir->ents[i].name);
	dir->ents[i] = dir->ents[--dir->nents];
}

static int m_create(struct fsdom *d, uint32_t dir, const char *name, uint32_t len, uint32_t mode,
                    const char *target, uint32_t *ino)
{
	struct mnode *p = node(d, dir);
	if (!p)
		return -ENOENT;
	if (!is_dir(p))
		return -ENOTDIR;
	if (find(p, name, len) >= 0)
		return -EEXIST;
	if (target)
		mode = FS_S_IFLNK | 0777;
	int err = new_node(d, mode, ino);
	if (err < 0)
		return err;
	p = node(d, dir); /* the table may have moved */
	struct mnode *n = node(d, *ino);
	n->nlink = 1;
	if (target) {
		uint32_t tlen = (uint32_t)strlen(target);
		err = grow(d, n, tlen + 1);
		if (err == 0) {
			memcpy(n->data, target, tlen + 1);
			n->size = tlen;
		}
	} else if (is_dir(n)) {
		n->nlink = 2;
		n->parent = dir;
	}
	if (err == 0)
		err = add_entry(p, name, len, *ino);
	if (err < 0) {
		n->nlink = 0;
		maybe_free(d, n);
		return err;
	}
	if (is_dir(n))
		p->nlink++;
	p->mtime = ++fs_of(d)->clock;
	return 0;
}

static int m_readlink(struct fsdom *d, uint32_t ino, char *buf, uint32_t cap)
{
	struct mnode *n = node(d, ino);
	if (!n)
		return -ENOENT;
	if ((n->mode & FS_S_IFMT) != FS_S_IFLNK)
		return -EINVAL;
	uint32_t len = n->size < cap ? n->size : cap;
	memcpy(buf, n->data, len);
	return (int)len;
}

static int m_link(struct fsdom *d, uint32_t dir, const char *name, uint32_t len, uint32_t ino)
{
	struct mnode *p = node(d, dir), *n = node(d, ino);
	if (!p || !n)
		return -ENOENT;
	if (!is_dir(p))
		return -ENOTDIR;
	if (is_dir(n))
		return -EPERM;
	if (find(p, name, len) >= 0)
		return -EEXIST;
	if (n->nlink >= 32000)
		return -EMLINK;
	int err = add_entry(p, name, len, ino);
	if (err == 0)
		n->nlink++;
	return err;
}

static int m_unlink(struct fsdom *d, uint32_t dir, const char *name, uint32_t len)
{
	struct mnode *p = node(d, dir);
	if (!p)
		return -ENOENT;
	int i = find(p, name, len);
	if (i < 0)
		return -ENOENT;
	struct mnode *n = node(d, p->ents[i].ino);
	if (is_dir(n))
		return -EISDIR;
	drop_entry(p, i);
	n->nlink--;
	maybe_free(d, n);
	return 0;
}

static int m_rmdir(struct fsdom *d, uint32_t dir, const char *name, uint32_t len)
{
	struct mnode *p = node(d, dir);
	if (!p)
		return -ENOENT;
	int i = find(p, name, len);
	if (i < 0)
		return -ENOENT;
	struct mnode *n = node(d, p->ents[i].ino);
	if (!is_dir(n))
		return -ENOTDIR;
	if (n->nents > 0)
		return -ENOTEMPTY;
	drop_entry(p, i);
	n->nlink = 0;
	p->nlink--;
	maybe_free(d, n);
	return 0;
}

/* Is a an ancestor of (or the same as) b? */
static int ancestor(struct fsdom *d, uint32_t a, uint32_t b)
{
	for (int depth = 0; depth < 4096; depth++) {
		if (a == b)
			return 1;
		struct mnode *n = node(d, b);
		if (!n || b == d->root)
			return 0;
		b = n->parent;
	}
	return 1;
}

static int m_rename(struct fsdom *d, uint32_t fdir, const char *f, uint32_t flen, uint32_t tdir,
                    const char *t, uint32_t tlen)
{
	struct mnode *fp = node(d, fdir), *tp = node(d, tdir);
	if (!fp || !tp)
		return -ENOENT;
	if (!is_dir(tp))
		return -ENOTDIR;
	int i = find(fp, f, flen);
	if (i < 0)
		return -ENOENT;
	uint32_t ino = fp->ents[i].ino;
	struct mnode *n = node(d, ino);
	int j = find(tp, t, tlen);
	if (j >= 0 && tp->ents[j].ino == ino)
		return 0; /* the same file: nothing to do */
	if (is_dir(n) && ancestor(d, ino, tdir))
		return -EINVAL; /* into itself */
	if (j >= 0) {
		struct mnode *old = node(d, tp->ents[j].ino);
		if (is_dir(n) && !is_dir(old))
			return -ENOTDIR;
		if (!is_dir(n) && is_dir(old))
			return -EISDIR;
		if (is_dir(old) && old->nents > 0)
			return -ENOTEMPTY;
	}
	uint32_t old_ino = 0;
	if (j >= 0) { /* the name stays; it names the moved node now */
		old_ino = tp->ents[j].ino;
		tp->ents[j].ino = ino;
	} else {
		int err = add_entry(tp, t, tlen, ino); /* ENOSPC here changes nothing */
		if (err < 0)
			return err;
	}
	drop_entry(fp, find(fp, f, flen));
	if (old_ino) {
		struct mnode *old = node(d, old_ino);
		if (is_dir(old)) {
			old->nlink = 0;
			tp->nlink--;
		} else {
			old->nlink--;
		}
		maybe_free(d, old);
	}
	if (is_dir(n) && fdir != tdir) {
		n->parent = tdir;
		fp->nlink--;
		tp->nlink++;
	}
	return 0;
}

static int m_readdir(struct fsdom *d, uint32_t dir, uint32_t *pos, uint32_t *ino, uint8_t *type,
                     char *name, uint32_t *namelen)
{
	struct mnode *p = node(d, dir);
	if (!p)
		return -ENOENT;
	if (!is_dir(p))
		return -ENOTDIR;
	if (*pos < 2) {
		*ino = *pos == 0 ? dir : p->parent;
		*type = STREAM_DT_DIR;
		*namelen = *pos + 1;
		memcpy(name, "..", *namelen);
		++*pos;
		return 1;
	}
	uint32_t i = *pos - 2;
	if (i >= p->nents)
		return 0;
	*ino = p->ents[i].ino;
	*type = vfs_dtype(node(d, *ino)->mode);
	*namelen = p->ents[i].len;
	memcpy(name, p->ents[i].name, *namelen);
	++*pos;
	return 1;
}

static int m_statfs(struct fsdom *d, struct fs_statfs *s)
{
	struct memfs *m = fs_of(d);
	uint32_t used = 0;
	for (uint32_t i = 0; i < m->nnodes; i++)
		used += m->nodes[i].used;
	*s = (struct fs_statfs){1024,  m->max_bytes / 1024, (m->max_bytes - m->bytes) / 1024,
	                        65536, 65536 - used,        "memory"};
	return 0;
}

static int m_sync(struct fsdom *d)
{
	(void)d;
	return 0;
}

static void m_hold(struct fsdom *d, uint32_t ino)
{
	struct mnode *n = node(d, ino);
	if (n)
		n->opens++;
}

static void m_release(struct fsdom *d, uint32_t ino)
{
	struct mnode *n = node(d, ino);
	if (n && n->opens > 0) {
		n->opens--;
		maybe_free(d, n);
	}
}

static const struct vfs_ops memfs_ops = {m_lookup,     m_stat,     m_read,   m_peek,     m_write,
                                         m_write_with, m_truncate, m_create, m_readlink, m_link,
                                         m_unlink,     m_rmdir,    m_rename, m_readdir,  m_statfs,
                                         m_sync,       m_hold,     m_release};

int memfs_init(struct fsdom *d, const char *prefix, uint32_t max_bytes)
{
	struct memfs *m = calloc(1, sizeof *m);
	if (!m)
		return -ENOMEM;
	m->max_bytes = max_bytes;
	*d = (struct fsdom){.ops = &memfs_ops, .priv = m};
	strlcpy(d->prefix, prefix, sizeof d->prefix);
	uint32_t root;
	int err = new_node(d, FS_S_IFDIR | 0755, &root);
	if (err < 0)
		return err;
	struct mnode *r = node(d, root);
	r->nlink = 2;
	r->parent = root;
	d->root = root;
	return 0;
}
