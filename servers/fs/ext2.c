/* SPDX-License-Identifier: MIT */
/*
 * ext2 read and write (ext2.h) over a device of two callbacks. The layers,
 * bottom up: the device and block numbers; group descriptors and inodes;
 * block and inode allocation over the group bitmaps; the block map (direct
 * and indirect blocks) with truncation; directory blocks (find, add,
 * remove, change an entry); then the operations of ext2.h.
 *
 * Every number that comes from the device is checked where it is used: a
 * block number must lie past the superblock and inside the file system, a
 * directory entry must fit its block, an inode number must be in range and
 * not reserved, a directory's size must be whole blocks that it owns.
 * Failing any check gives -EIO. The only recursion is the truncation of an
 * indirect tree, at most three deep; every loop is bounded by a size that
 * was checked.
 *
 * Entry points: those of ext2.h.
 */
#include "servers/fs/ext2.h"

#include <sprig/errno.h>
#include <stddef.h>

#include "lib/c/libc.h"

#define S_TYPE(mode)   ((mode)&EXT2_S_IFMT)
#define IS_DIR(in)     (S_TYPE((in)->i_mode) == EXT2_S_IFDIR)
#define IS_REG(in)     (S_TYPE((in)->i_mode) == EXT2_S_IFREG)
#define IS_LNK(in)     (S_TYPE((in)->i_mode) == EXT2_S_IFLNK)
#define NO_ENTRY       0xffffffffu /* "no previous entry" in a directory block */
#define MAX_DIR_DEPTH  4096        /* deeper than this is taken as a loop */
#define DIRENT_MIN_LEN 8

static const uint8_t zero_block[EXT2_MAX_BLOCK];

/* ---- the device ---- */

static int dev_read(struct ext2 *fs, uint64_t off, void *buf, uint32_t len)
{
	return fs->dev.read(fs->dev.ctx, off, buf, len) < 0 ? -EIO : 0;
}

static int dev_write(struct ext2 *fs, uint64_t off, const void *buf, uint32_t len)
{
	if (fs->rdonly)
		return -EROFS;
	return fs->dev.write(fs->dev.ctx, off, buf, len) < 0 ? -EIO : 0;
}

static uint32_t now(struct ext2 *fs)
{
	return fs->dev.now ? fs->dev.now(fs->dev.ctx) : 0;
}

/* True for a block that may hold data: past the superblock's block, inside
 * the file system. */
static int blk_ok(const struct ext2 *fs, uint32_t b)
{
	return b > fs->sb.s_first_data_block && b < fs->sb.s_blocks_count;
}

static uint64_t blk_off(const struct ext2 *fs, uint32_t b)
{
	return (uint64_t)b << fs->bshift;
}

static int blk_read(struct ext2 *fs, uint32_t b, void *buf)
{
	if (!blk_ok(fs, b))
		return -EIO;
	return dev_read(fs, blk_off(fs, b), buf, fs->bsize);
}

static int blk_write(struct ext2 *fs, uint32_t b, const void *buf)
{
	if (!blk_ok(fs, b))
		return -EIO;
	return dev_write(fs, blk_off(fs, b), buf, fs->bsize);
}

/* ---- group descriptors ---- */

/* True if group g holds a copy of the superblock and descriptor table. */
static int group_has_super(const struct ext2 *fs, uint32_t g)
{
	if (g <= 1 || !(fs->sb.s_feature_ro_compat & EXT2_RO_COMPAT_SPARSE_SUPER))
		return 1;
	static const uint32_t bases[] = {3, 5, 7};
	for (int i = 0; i < 3; i++) {
		uint32_t n = g;
		while (n % bases[i] == 0)
			n /= bases[i];
		if (n == 1)
			return 1;
	}
	return 0;
}

static uint32_t group_first(const struct ext2 *fs, uint32_t g)
{
	return fs->sb.s_first_data_block + g * fs->sb.s_blocks_per_group;
}

/* Blocks in group g (the last group may be short). */
static uint32_t group_blocks(const struct ext2 *fs, uint32_t g)
{
	uint32_t left = fs->sb.s_blocks_count - group_first(fs, g);
	return left < fs->sb.s_blocks_per_group ? left : fs->sb.s_blocks_per_group;
}

/* A descriptor whose bitmaps and inode table lie inside the file system,
 * with counts that fit its group. */
static int group_sane(const struct ext2 *fs, const struct ext2_group_disk *gd)
{
	return blk_ok(fs, gd->bg_block_bitmap) && blk_ok(fs, gd->bg_inode_bitmap) &&
	       blk_ok(fs, gd->bg_inode_table) &&
	       (uint64_t)gd->bg_inode_table + fs->itable_blocks <= fs->sb.s_blocks_count &&
	       gd->bg_free_blocks_count <= fs->sb.s_blocks_per_group &&
	       gd->bg_free_inodes_count <= fs->sb.s_inodes_per_group;
}

static uint64_t group_off(const struct ext2 *fs, uint32_t g)
{
	return blk_off(fs, fs->gdt_block) + (uint64_t)g * sizeof(struct ext2_group_disk);
}

/* Group g's descriptor, checked (it may have been overwritten since mount). */
static int group_get(struct ext2 *fs, uint32_t g, struct ext2_group_disk *gd)
{
	if (g >= fs->groups)
		return -EIO;
	int r = dev_read(fs, group_off(fs, g), gd, sizeof *gd);
	if (r)
		return r;
	return group_sane(fs, gd) ? 0 : -EIO;
}

static int group_put(struct ext2 *fs, uint32_t g, const struct ext2_group_disk *gd)
{
	return dev_write(fs, group_off(fs, g), gd, sizeof *gd);
}

/* True if block b of group g is its metadata: superblock copy, descriptor
 * tables, bitmaps, inode table. A bitmap calling one of them free lies. */
static int group_meta(const struct ext2 *fs, uint32_t g, const struct ext2_group_disk *gd,
                      uint32_t b)
{
	uint32_t first = group_first(fs, g);
	uint32_t gdt = (fs->gdt_block - fs->sb.s_first_data_block) +
	               ((fs->groups * 32 + fs->bsize - 1) >> fs->bshift) +
	               fs->sb.s_reserved_gdt_blocks;
	if (group_has_super(fs, g) && b - first < gdt)
		return 1;
	return b == gd->bg_block_bitmap || b == gd->bg_inode_bitmap ||
	       (b >= gd->bg_inode_table && b - gd->bg_inode_table < fs->itable_blocks);
}

/* ---- inodes ---- */

/* True for an inode number that a directory entry or a caller may name:
 * the root or one past the reserved ones. */
static int ino_ok(const struct ext2 *fs, uint32_t ino)
{
	return ino == EXT2_ROOT_INO || (ino >= fs->first_ino && ino <= fs->sb.s_inodes_count);
}

static int inode_off(struct ext2 *fs, uint32_t ino, uint64_t *off)
{
	struct ext2_group_disk gd;
	if (ino < 1 || ino > fs->sb.s_inodes_count)
		return -EIO;
	uint32_t g = (ino - 1) / fs->sb.s_inodes_per_group;
	uint32_t i = (ino - 1) % fs->sb.s_inodes_per_group;
	int r = group_get(fs, g, &gd);
	if (r)
		return r;
	*off = blk_off(fs, gd.bg_inode_table) + (uint64_t)i * fs->isize;
	return 0;
}

/* The first 128 bytes of inode ino, whatever they hold. */
static int inode_get(struct ext2 *fs, uint32_t ino, struct ext2_inode_disk *in)
{
	uint64_t off;
	int r = inode_off(fs, ino, &off);
	return r ? r : dev_read(fs, off, in, sizeof *in);
}

static int inode_put(struct ext2 *fs, uint32_t ino, const struct ext2_inode_disk *in)
{
	uint64_t off;
	int r = inode_off(fs, ino, &off);
	return r ? r : dev_write(fs, off, in, sizeof *in);
}

/* A new inode: all of its on-disk bytes, the part past 128 zero but for
 * i_extra_isize. */
static int inode_put_new(struct ext2 *fs, uint32_t ino, const struct ext2_inode_disk *in)
{
	uint64_t off;
	int r = inode_off(fs, ino, &off);
	if (r)
		return r;
	uint8_t *buf = fs->ind[2];
	memset(buf, 0, fs->isize);
	memcpy(buf, in, sizeof *in);
	if (fs->isize > EXT2_OLD_INODE) {
		uint16_t extra = (uint16_t)fs->extra_isize;
		memcpy(buf + EXT2_EXTRA_ISIZE_OFF, &extra, sizeof extra);
	}
	return dev_write(fs, off, buf, fs->isize);
}

static uint64_t inode_size(const struct ext2_inode_disk *in)
{
	if (IS_REG(in))
		return in->i_size | (uint64_t)in->i_size_high << 32;
	return in->i_size;
}

static int inode_set_size(struct ext2 *fs, struct ext2_inode_disk *in, uint64_t size)
{
	in->i_size = (uint32_t)size;
	in->i_size_high = (uint32_t)(size >> 32);
	if (size > 0x7fffffff && !(fs->sb.s_feature_ro_compat & EXT2_RO_COMPAT_LARGE_FILE)) {
		fs->sb.s_feature_ro_compat |= EXT2_RO_COMPAT_LARGE_FILE;
		fs->sb_dirty = 1;
	}
	return 0;
}

/* An inode in use for a caller: -EINVAL for a number out of range or
 * reserved, -ENOENT for a free inode, -EIO for one this code cannot read
 * (ext4's extents or inline data). */
static int inode_load(struct ext2 *fs, uint32_t ino, struct ext2_inode_disk *in)
{
	if (!ino_ok(fs, ino))
		return -EINVAL;
	int r = inode_get(fs, ino, in);
	if (r)
		return r;
	if (in->i_links_count == 0 || in->i_mode == 0)
		return -ENOENT;
	if (in->i_flags & (EXT2_EXTENTS_FL | EXT2_INLINE_FL))
		return -EIO;
	return 0;
}

/* A directory: its size whole blocks (below 4 GiB) that it has allocated. */
static int dir_load(struct ext2 *fs, uint32_t ino, struct ext2_inode_disk *in)
{
	int r = inode_load(fs, ino, in);
	if (r)
		return r;
	if (!IS_DIR(in))
		return -ENOTDIR;
	uint32_t nblocks = in->i_size >> fs->bshift;
	if (in->i_size_high || (in->i_size & (fs->bsize - 1)) || nblocks == 0 ||
	    nblocks > in->i_blocks >> (fs->bshift - 9) || nblocks > fs->sb.s_blocks_count)
		return -EIO;
	return 0;
}

/* A fast symbolic link keeps its target in i_block. */
static int is_fast_symlink(const struct ext2_inode_disk *in)
{
	return IS_LNK(in) && in->i_size != 0 && in->i_size <= EXT2_FAST_LINK_MAX;
}

/* True if i_block holds block numbers. */
static int has_block_map(const struct ext2_inode_disk *in)
{
	return IS_REG(in) || IS_DIR(in) || (IS_LNK(in) && !is_fast_symlink(in));
}

static uint8_t file_type(const struct ext2 *fs, uint16_t mode)
{
	if (!(fs->sb.s_feature_incompat & EXT2_INCOMPAT_FILETYPE))
		return EXT2_FT_UNKNOWN;
	switch (S_TYPE(mode)) {
	case EXT2_S_IFREG: return EXT2_FT_REG;
	case EXT2_S_IFDIR: return EXT2_FT_DIR;
	case EXT2_S_IFCHR: return EXT2_FT_CHRDEV;
	case EXT2_S_IFBLK: return EXT2_FT_BLKDEV;
	case EXT2_S_IFIFO: return EXT2_FT_FIFO;
	case EXT2_S_IFSOCK: return EXT2_FT_SOCK;
	case EXT2_S_IFLNK: return EXT2_FT_SYMLINK;
	}
	return EXT2_FT_UNKNOWN;
}

/* ---- bitmaps ---- */

static int bit_test(const uint8_t *map, uint32_t i)
{
	return map[i >> 3] >> (i & 7) & 1;
}

static void bit_flip(uint8_t *map, uint32_t i)
{
	map[i >> 3] ^= (uint8_t)(1u << (i & 7));
}

/* The first clear bit in [from, to) of map, or to. */
static uint32_t bit_find_zero(const uint8_t *map, uint32_t from, uint32_t to)
{
	uint32_t i = from;
	while (i < to) {
		if ((i & 7) == 0 && map[i >> 3] == 0xff) {
			i += 8;
			continue;
		}
		if (!bit_test(map, i))
			return i;
		i++;
	}
	return to;
}

/* Writes group g's bitmap (fs->bitmap, at block map, with bit just
 * flipped) and then its descriptor gd. If the descriptor is refused the
 * bit is flipped back and the bitmap written again, so that the two do
 * not disagree (e2fsck would find the count wrong, or a block or inode
 * marked used that nothing uses). */
static int bitmap_commit(struct ext2 *fs, uint32_t g, const struct ext2_group_disk *gd,
                         uint32_t map, uint32_t bit)
{
	int r = blk_write(fs, map, fs->bitmap);
	if (r || !(r = group_put(fs, g, gd)))
		return r;
	bit_flip(fs->bitmap, bit);
	blk_write(fs, map, fs->bitmap); /* best effort: the device has just failed */
	return r;
}

/* Marks a free block of group g taken, trying from bit `from`; 0 in *b if
 * the group has none. -EIO if the bitmap calls metadata free. */
static int group_take_block(struct ext2 *fs, uint32_t g, uint32_t from, uint32_t *b)
{
	struct ext2_group_disk gd;
	*b = 0;
	int r = group_get(fs, g, &gd);
	if (r || gd.bg_free_blocks_count == 0)
		return r;
	uint32_t n = group_blocks(fs, g);
	if ((r = blk_read(fs, gd.bg_block_bitmap, fs->bitmap)))
		return r;
	uint32_t bit = bit_find_zero(fs->bitmap, from < n ? from : 0, n);
	if (bit == n)
		bit = bit_find_zero(fs->bitmap, 0, n);
	if (bit == n)
		return 0;
	uint32_t blk = group_first(fs, g) + bit;
	if (!blk_ok(fs, blk) || group_meta(fs, g, &gd, blk))
		return -EIO;
	bit_flip(fs->bitmap, bit);
	gd.bg_free_blocks_count--;
	if ((r = bitmap_commit(fs, g, &gd, gd.bg_block_bitmap, bit)))
		return r;
	*b = blk;
	return 0;
}

/* A free block, as near after goal as can be; counted taken. -ENOSPC. */
static int block_alloc(struct ext2 *fs, uint32_t goal, uint32_t *b)
{
	if (fs->rdonly)
		return -EROFS;
	if (fs->sb.s_free_blocks_count == 0)
		return -ENOSPC;
	if (!blk_ok(fs, goal))
		goal = fs->sb.s_first_data_block;
	uint32_t rel = goal - fs->sb.s_first_data_block;
	uint32_t g0 = rel / fs->sb.s_blocks_per_group;
	for (uint32_t i = 0; i < fs->groups; i++) {
		uint32_t g = (g0 + i) % fs->groups;
		uint32_t from = i == 0 ? rel % fs->sb.s_blocks_per_group : 0;
		int r = group_take_block(fs, g, from, b);
		if (r)
			return r;
		if (*b) {
			fs->sb.s_free_blocks_count--;
			fs->sb_dirty = 1;
			return 0;
		}
	}
	return -ENOSPC;
}

/* Gives block b back to its group. -EIO if it is metadata or already free. */
static int block_free(struct ext2 *fs, uint32_t b)
{
	struct ext2_group_disk gd;
	if (!blk_ok(fs, b))
		return -EIO;
	uint32_t rel = b - fs->sb.s_first_data_block;
	uint32_t g = rel / fs->sb.s_blocks_per_group;
	uint32_t bit = rel % fs->sb.s_blocks_per_group;
	int r = group_get(fs, g, &gd);
	if (r)
		return r;
	if (group_meta(fs, g, &gd, b) || gd.bg_free_blocks_count >= group_blocks(fs, g))
		return -EIO;
	if ((r = blk_read(fs, gd.bg_block_bitmap, fs->bitmap)))
		return r;
	if (!bit_test(fs->bitmap, bit))
		return -EIO;
	bit_flip(fs->bitmap, bit);
	gd.bg_free_blocks_count++;
	if ((r = bitmap_commit(fs, g, &gd, gd.bg_block_bitmap, bit)))
		return r;
	if (fs->sb.s_free_blocks_count < fs->sb.s_blocks_count)
		fs->sb.s_free_blocks_count++;
	fs->sb_dirty = 1;
	return 0;
}

/* A free inode, in dir's group or the next with one; a directory is
 * counted in its group's used_dirs. -ENOSPC. */
static int inode_alloc(struct ext2 *fs, uint32_t dir, int is_dir, uint32_t *ino)
{
	struct ext2_group_disk gd;
	uint32_t ipg = fs->sb.s_inodes_per_group;
	if (fs->sb.s_free_inodes_count == 0)
		return -ENOSPC;
	uint32_t g0 = (dir - 1) / ipg;
	for (uint32_t i = 0; i < fs->groups; i++) {
		uint32_t g = (g0 + i) % fs->groups;
		int r = group_get(fs, g, &gd);
		if (r)
			return r;
		if (gd.bg_free_inodes_count == 0)
			continue;
		if ((r = blk_read(fs, gd.bg_inode_bitmap, fs->bitmap)))
			return r;
		uint32_t bit = bit_find_zero(fs->bitmap, 0, ipg);
		if (bit == ipg)
			continue;
		if (g * ipg + bit + 1 < fs->first_ino)
			return -EIO; /* a reserved inode marked free */
		bit_flip(fs->bitmap, bit);
		gd.bg_free_inodes_count--;
		gd.bg_used_dirs_count += is_dir;
		if ((r = bitmap_commit(fs, g, &gd, gd.bg_inode_bitmap, bit)))
			return r;
		fs->sb.s_free_inodes_count--;
		fs->sb_dirty = 1;
		*ino = g * ipg + bit + 1;
		return 0;
	}
	return -ENOSPC;
}

/* Marks inode ino free in its group. -EIO if it was free already. */
static int inode_free(struct ext2 *fs, uint32_t ino, int is_dir)
{
	struct ext2_group_disk gd;
	uint32_t g = (ino - 1) / fs->sb.s_inodes_per_group;
	uint32_t bit = (ino - 1) % fs->sb.s_inodes_per_group;
	int r = group_get(fs, g, &gd);
	if (r)
		return r;
	if ((r = blk_read(fs, gd.bg_inode_bitmap, fs->bitmap)))
		return r;
	if (!bit_test(fs->bitmap, bit))
		return -EIO;
	bit_flip(fs->bitmap, bit);
	if (gd.bg_free_inodes_count < fs->sb.s_inodes_per_group)
		gd.bg_free_inodes_count++;
	if (is_dir && gd.bg_used_dirs_count)
		gd.bg_used_dirs_count--;
	if ((r = bitmap_commit(fs, g, &gd, gd.bg_inode_bitmap, bit)))
		return r;
	if (fs->sb.s_free_inodes_count < fs->sb.s_inodes_count)
		fs->sb.s_free_inodes_count++;
	fs->sb_dirty = 1;
	return 0;
}

/* ---- the block map ---- */

/* The path to logical block lblk: idx[0] the i_block slot, idx[1..depth]
 * the pointer in each indirect block. Returns depth, -EFBIG past the map. */
static int block_path(const struct ext2 *fs, uint32_t lblk, uint32_t idx[4])
{
	uint32_t p = fs->pshift, mask = fs->ptrs - 1;
	if (lblk < EXT2_NDIR) {
		idx[0] = lblk;
		return 0;
	}
	lblk -= EXT2_NDIR;
	if (lblk < fs->ptrs) {
		idx[0] = EXT2_IND, idx[1] = lblk;
		return 1;
	}
	lblk -= fs->ptrs;
	if (lblk >> p < fs->ptrs) {
		idx[0] = EXT2_DIND, idx[1] = lblk >> p, idx[2] = lblk & mask;
		return 2;
	}
	lblk -= 1u << 2 * p;
	if (lblk >> 2 * p < fs->ptrs) {
		idx[0] = EXT2_TIND, idx[1] = lblk >> 2 * p;
		idx[2] = lblk >> p & mask, idx[3] = lblk & mask;
		return 3;
	}
	return -EFBIG;
}

/* Frees block b, taking it from in->i_blocks. */
static int block_drop(struct ext2 *fs, struct ext2_inode_disk *in, uint32_t b)
{
	int r = block_free(fs, b);
	if (r)
		return r;
	uint32_t sectors = fs->bsize >> 9;
	in->i_blocks = in->i_blocks > sectors ? in->i_blocks - sectors : 0;
	return 0;
}

/* Counts a new block in i_blocks; -EFBIG if that would overflow it. */
static int blocks_add(struct ext2 *fs, struct ext2_inode_disk *in)
{
	uint32_t sectors = fs->bsize >> 9;
	if (in->i_blocks > UINT32_MAX - sectors)
		return -EFBIG;
	in->i_blocks += sectors;
	return 0;
}

/* Allocates the block that slot (in the inode, or at byte `at` of block
 * parent) lacks; an indirect block is zeroed. If zeroing or linking it
 * fails, it is freed again: no block is left taken that nothing maps. */
static int bmap_fill(struct ext2 *fs, uint32_t ino, struct ext2_inode_disk *in, uint32_t parent,
                     uint32_t at, int indirect, uint32_t *b)
{
	uint32_t goal = parent ? parent : in->i_block[0];
	if (!goal) {
		uint32_t g = (ino - 1) / fs->sb.s_inodes_per_group;
		goal = group_first(fs, g);
	}
	int r = blocks_add(fs, in);
	if (r)
		return r;
	if ((r = block_alloc(fs, goal, b))) {
		in->i_blocks -= fs->bsize >> 9;
		return r;
	}
	if (indirect)
		r = blk_write(fs, *b, zero_block);
	if (!r && parent)
		r = dev_write(fs, blk_off(fs, parent) + at, b, sizeof *b);
	if (r)
		block_drop(fs, in, *b);
	return r;
}

/* The device block of logical block lblk of inode ino (0 for a hole).
 * With alloc, missing blocks are allocated and counted in in->i_blocks
 * (the caller writes the inode back); *fresh says the data block is new
 * and holds garbage. */
static int bmap(struct ext2 *fs, uint32_t ino, struct ext2_inode_disk *in, uint32_t lblk, int alloc,
                uint32_t *pb, int *fresh)
{
	uint32_t idx[4];
	int depth = block_path(fs, lblk, idx);
	if (depth < 0)
		return depth;
	uint32_t b = in->i_block[idx[0]], parent = 0;
	*fresh = 0;
	for (int level = 0;; level++) {
		if (b == 0) {
			if (!alloc) {
				*pb = 0;
				return 0;
			}
			int r = bmap_fill(fs, ino, in, parent, idx[level] * 4, level < depth, &b);
			if (r)
				return r;
			if (!parent)
				in->i_block[idx[0]] = b;
			*fresh = level == depth;
		} else if (!blk_ok(fs, b)) {
			return -EIO;
		}
		if (level == depth) {
			*pb = b;
			return 0;
		}
		parent = b;
		int r = dev_read(fs, blk_off(fs, b) + idx[level + 1] * 4, &b, sizeof b);
		if (r)
			return r;
	}
}

/* Frees what the tree of `depth` levels under block b maps at or past its
 * logical block `first`, and b itself when first is 0. Each level has its
 * own scratch block; depth is at most 3, which bounds the recursion. */
static int free_tree(struct ext2 *fs, struct ext2_inode_disk *in, uint32_t b, int depth,
                     uint32_t first)
{
	if (depth == 0)
		return block_drop(fs, in, b);
	uint32_t *p = (uint32_t *)fs->ind[depth - 1];
	int r = blk_read(fs, b, p), changed = 0;
	if (r)
		return r;
	uint32_t shift = fs->pshift * (uint32_t)(depth - 1);
	for (uint32_t i = first >> shift; i < fs->ptrs && !r; i++) {
		if (!p[i])
			continue;
		uint32_t sub = i == first >> shift ? first & ((1u << shift) - 1) : 0;
		r = free_tree(fs, in, p[i], depth - 1, sub);
		if (!r && sub == 0) {
			p[i] = 0;
			changed = 1;
		}
	}
	if (!r && first == 0)
		return block_drop(fs, in, b);
	if (changed) {
		int w = blk_write(fs, b, p);
		r = r ? r : w;
	}
	return r;
}

/* Frees every block the inode maps at or past logical block first. */
static int free_from(struct ext2 *fs, struct ext2_inode_disk *in, uint32_t first)
{
	int r;
	for (uint32_t i = first; i < EXT2_NDIR; i++) {
		if (!in->i_block[i])
			continue;
		if ((r = block_drop(fs, in, in->i_block[i])))
			return r;
		in->i_block[i] = 0;
	}
	uint64_t base = EXT2_NDIR;
	for (int depth = 1; depth <= 3; depth++) {
		uint64_t cover = (uint64_t)1 << (fs->pshift * (uint32_t)depth);
		uint32_t *slot = &in->i_block[EXT2_IND + depth - 1];
		if (*slot && first < base + cover) {
			uint32_t sub = first > base ? (uint32_t)(first - base) : 0;
			if ((r = free_tree(fs, in, *slot, depth, sub)))
				return r;
			if (sub == 0)
				*slot = 0;
		}
		base += cover;
	}
	return 0;
}

/* True if indirect block b maps nothing (read into fs->ind[0]). */
static int ind_empty(struct ext2 *fs, uint32_t b, int *r)
{
	const uint32_t *p = (const uint32_t *)fs->ind[0];
	if ((*r = blk_read(fs, b, fs->ind[0])))
		return 0;
	for (uint32_t i = 0; i < fs->ptrs; i++)
		if (p[i])
			return 0;
	return 1;
}

/* Takes logical block lblk out of the map: its block is unlinked and
 * freed, then each indirect block above it left empty. Undoes what bmap
 * allocated for a piece of a write that failed (the caller writes the
 * inode back, or keeps its copy from before). */
static int unmap_block(struct ext2 *fs, struct ext2_inode_disk *in, uint32_t lblk)
{
	uint32_t idx[4], chain[4] = {0}, zero = 0;
	int depth = block_path(fs, lblk, idx), level = 0, r = 0;
	if (depth < 0)
		return depth;
	chain[0] = in->i_block[idx[0]];
	for (; level < depth && chain[level]; level++)
		if (!blk_ok(fs, chain[level]) ||
		    (r = dev_read(fs, blk_off(fs, chain[level]) + idx[level + 1] * 4,
		                  &chain[level + 1], 4)))
			return r ? r : -EIO;
	/* bottom up; unlinked before freed, so nothing maps a free block */
	for (; level >= 0 && !r; level--) {
		if (!chain[level])
			continue;
		if (level < depth && !ind_empty(fs, chain[level], &r))
			break;
		if (level == 0)
			in->i_block[idx[0]] = 0;
		else
			r = dev_write(fs, blk_off(fs, chain[level - 1]) + idx[level] * 4, &zero, 4);
		if (!r)
			r = block_drop(fs, in, chain[level]);
	}
	return r;
}

/* Zeroes the rest of the block that holds byte `size` of the file, so
 * that growing the file later shows zeros there. */
static int zero_tail(struct ext2 *fs, uint32_t ino, struct ext2_inode_disk *in, uint64_t size)
{
	uint32_t boff = (uint32_t)size & (fs->bsize - 1);
	uint32_t pb;
	int fresh;
	if (boff == 0)
		return 0;
	int r = bmap(fs, ino, in, (uint32_t)(size >> fs->bshift), 0, &pb, &fresh);
	if (r || pb == 0)
		return r;
	return dev_write(fs, blk_off(fs, pb) + boff, zero_block, fs->bsize - boff);
}

/* The last of an inode: its blocks and attribute block freed, dtime set,
 * its bit cleared. */
static int inode_release(struct ext2 *fs, uint32_t ino, struct ext2_inode_disk *in)
{
	int r = has_block_map(in) ? free_from(fs, in, 0) : 0;
	if (!r && in->i_file_acl) {
		struct ext2_xattr_header *h = (struct ext2_xattr_header *)fs->ind[0];
		if (!(r = blk_read(fs, in->i_file_acl, h))) {
			if (h->h_magic != EXT2_XATTR_MAGIC || h->h_refcount == 0)
				r = -EIO;
			else if (--h->h_refcount == 0)
				r = block_drop(fs, in, in->i_file_acl);
			else
				r = blk_write(fs, in->i_file_acl, h);
		}
		in->i_file_acl = 0;
	}
	uint32_t t = now(fs);
	in->i_links_count = 0;
	in->i_dtime = t ? t : 1;
	if (has_block_map(in))
		in->i_size = in->i_size_high = 0;
	int w = inode_put(fs, ino, in);
	if (!w)
		w = inode_free(fs, ino, IS_DIR(in));
	return r ? r : w;
}

/* ---- directory blocks ---- */

/* The entry at byte off of a directory block, or NULL if it is malformed:
 * rec_len 4-aligned, inside the block, holding its name; a used entry
 * names an inode in range. */
static struct ext2_dirent_disk *dirent_at(const struct ext2 *fs, uint8_t *blk, uint32_t off)
{
	if (off > fs->bsize - DIRENT_MIN_LEN)
		return NULL;
	struct ext2_dirent_disk *d = (struct ext2_dirent_disk *)(blk + off);
	if (d->rec_len < DIRENT_MIN_LEN || (d->rec_len & 3) || d->rec_len > fs->bsize - off)
		return NULL;
	if (!(fs->sb.s_feature_incompat & EXT2_INCOMPAT_FILETYPE) && d->file_type)
		return NULL; /* a name longer than 255 */
	if (d->inode && (d->name_len == 0 || EXT2_DIRENT_LEN(d->name_len) > d->rec_len ||
	                 !ino_ok(fs, d->inode)))
		return NULL;
	return d;
}

static int name_is(const struct ext2_dirent_disk *d, const char *name, uint32_t len)
{
	return d->inode && d->name_len == len && memcmp(d + 1, name, len) == 0;
}

/* Where a name was found: the block (in fs->dirblk) and the entry. */
struct dirpos {
	uint32_t pb;   /* device block */
	uint32_t off;  /* the entry */
	uint32_t prev; /* the entry before it in the block, or NO_ENTRY */
};

/* Reads logical block lblk of a directory into fs->dirblk. A hole is
 * corruption. */
static int dir_block(struct ext2 *fs, uint32_t dino, struct ext2_inode_disk *din, uint32_t lblk,
                     uint32_t *pb)
{
	int fresh;
	int r = bmap(fs, dino, din, lblk, 0, pb, &fresh);
	if (r)
		return r == -EFBIG ? -EIO : r;
	if (*pb == 0)
		return -EIO;
	return blk_read(fs, *pb, fs->dirblk);
}

/* Finds name in a loaded directory; fs->dirblk then holds its block. */
static int dir_find(struct ext2 *fs, uint32_t dino, struct ext2_inode_disk *din, const char *name,
                    uint32_t len, struct dirpos *p)
{
	uint32_t nblocks = din->i_size >> fs->bshift;
	for (uint32_t lb = 0; lb < nblocks; lb++) {
		int r = dir_block(fs, dino, din, lb, &p->pb);
		if (r)
			return r;
		p->prev = NO_ENTRY;
		for (uint32_t off = 0; off < fs->bsize;) {
			struct ext2_dirent_disk *d = dirent_at(fs, fs->dirblk, off);
			if (!d)
				return -EIO;
			if (name_is(d, name, len)) {
				p->off = off;
				return 0;
			}
			p->prev = off;
			off += d->rec_len;
		}
	}
	return -ENOENT;
}

/* A directory changed: its index (if any) is stale, its times are now. */
static void dir_touch(struct ext2 *fs, struct ext2_inode_disk *din)
{
	din->i_flags &= ~EXT2_INDEX_FL;
	din->i_mtime = din->i_ctime = now(fs);
}

static void dirent_fill(struct ext2_dirent_disk *d, uint32_t ino, uint8_t ft, const char *name,
                        uint32_t len)
{
	d->inode = ino;
	d->name_len = (uint8_t)len;
	d->file_type = ft;
	memcpy(d + 1, name, len);
}

/* Puts the entry in the first gap of fs->dirblk that holds need bytes;
 * 0 if there is none. */
static int dirblk_insert(struct ext2 *fs, const char *name, uint32_t len, uint32_t ino, uint8_t ft)
{
	uint32_t need = EXT2_DIRENT_LEN(len);
	for (uint32_t off = 0; off < fs->bsize;) {
		struct ext2_dirent_disk *d = dirent_at(fs, fs->dirblk, off);
		if (!d)
			return -EIO;
		uint32_t used = d->inode ? EXT2_DIRENT_LEN(d->name_len) : 0;
		if (d->rec_len - used >= need) {
			if (used) {
				struct ext2_dirent_disk *n = (void *)(fs->dirblk + off + used);
				n->rec_len = (uint16_t)(d->rec_len - used);
				d->rec_len = (uint16_t)used;
				d = n;
			}
			dirent_fill(d, ino, ft, name, len);
			return 1;
		}
		off += d->rec_len;
	}
	return 0;
}

/* Adds name -> ino to directory dino, in a gap or in a new last block;
 * writes the directory's inode. */
static int dir_add(struct ext2 *fs, uint32_t dino, const char *name, uint32_t len, uint32_t ino,
                   uint8_t ft)
{
	struct ext2_inode_disk din;
	uint32_t pb;
	int fresh, r = dir_load(fs, dino, &din);
	if (r)
		return r;
	uint32_t nblocks = din.i_size >> fs->bshift;
	for (uint32_t lb = 0; lb < nblocks; lb++) {
		if ((r = dir_block(fs, dino, &din, lb, &pb)))
			return r;
		if ((r = dirblk_insert(fs, name, len, ino, ft)) < 0)
			return r;
		if (r) {
			dir_touch(fs, &din);
			if ((r = blk_write(fs, pb, fs->dirblk)))
				return r;
			return inode_put(fs, dino, &din);
		}
	}
	if (din.i_size > UINT32_MAX - fs->bsize)
		return -ENOSPC;
	r = bmap(fs, dino, &din, nblocks, 1, &pb, &fresh);
	if (!r) {
		memset(fs->dirblk, 0, fs->bsize);
		struct ext2_dirent_disk *d = (void *)fs->dirblk;
		d->rec_len = (uint16_t)fs->bsize;
		dirent_fill(d, ino, ft, name, len);
		if (!(r = blk_write(fs, pb, fs->dirblk)))
			din.i_size += fs->bsize;
	}
	dir_touch(fs, &din);
	int w = inode_put(fs, dino, &din);
	return r ? (r == -EFBIG ? -ENOSPC : r) : w;
}

/* Removes name from directory dino, if it names ino: its space joins the
 * entry before it, or the block's first entry is marked unused. */
static int dir_remove(struct ext2 *fs, uint32_t dino, const char *name, uint32_t len, uint32_t ino)
{
	struct ext2_inode_disk din;
	struct dirpos p;
	int r = dir_load(fs, dino, &din);
	if (r || (r = dir_find(fs, dino, &din, name, len, &p)))
		return r;
	struct ext2_dirent_disk *d = (void *)(fs->dirblk + p.off);
	if (d->inode != ino)
		return -EIO;
	if (p.prev == NO_ENTRY) {
		d->inode = 0;
	} else {
		struct ext2_dirent_disk *prev = (void *)(fs->dirblk + p.prev);
		prev->rec_len = (uint16_t)(prev->rec_len + d->rec_len);
	}
	dir_touch(fs, &din);
	if ((r = blk_write(fs, p.pb, fs->dirblk)))
		return r;
	return inode_put(fs, dino, &din);
}

/* Points name in directory dino at ino instead. */
static int dir_set(struct ext2 *fs, uint32_t dino, const char *name, uint32_t len, uint32_t ino,
                   uint8_t ft)
{
	struct ext2_inode_disk din;
	struct dirpos p;
	int r = dir_load(fs, dino, &din);
	if (r || (r = dir_find(fs, dino, &din, name, len, &p)))
		return r;
	struct ext2_dirent_disk *d = (void *)(fs->dirblk + p.off);
	d->inode = ino;
	d->file_type = ft;
	dir_touch(fs, &din);
	if ((r = blk_write(fs, p.pb, fs->dirblk)))
		return r;
	return inode_put(fs, dino, &din);
}

static int is_dot_or_dotdot(const char *name, uint32_t len)
{
	return (len == 1 && name[0] == '.') || (len == 2 && name[0] == '.' && name[1] == '.');
}

/* 1 if the directory holds nothing but "." and "..", 0 if it holds more. */
static int dir_is_empty(struct ext2 *fs, uint32_t dino, struct ext2_inode_disk *din)
{
	uint32_t nblocks = din->i_size >> fs->bshift, pb;
	for (uint32_t lb = 0; lb < nblocks; lb++) {
		int r = dir_block(fs, dino, din, lb, &pb);
		if (r)
			return r;
		for (uint32_t off = 0; off < fs->bsize;) {
			struct ext2_dirent_disk *d = dirent_at(fs, fs->dirblk, off);
			if (!d)
				return -EIO;
			if (d->inode && !is_dot_or_dotdot((const char *)(d + 1), d->name_len))
				return 0;
			off += d->rec_len;
		}
	}
	return 1;
}

/* Adds delta to ino's link count (0: just its ctime); the inode goes with
 * its last link. */
static int nlink_add(struct ext2 *fs, uint32_t ino, int delta)
{
	struct ext2_inode_disk in;
	int r = inode_load(fs, ino, &in);
	if (r)
		return r == -ENOENT ? -EIO : r;
	int n = in.i_links_count + delta;
	if (n < 0 || n > 0xffff)
		return -EIO;
	in.i_links_count = (uint16_t)n;
	in.i_ctime = now(fs);
	if (n == 0)
		return inode_release(fs, ino, &in);
	return inode_put(fs, ino, &in);
}

/* ---- names ---- */

/* A name for a new entry: 1 to 255 bytes, no '/' or NUL. */
static int name_check(const char *name, uint32_t len)
{
	if (len == 0)
		return -ENOENT;
	if (len > EXT2_NAME_MAX)
		return -ENAMETOOLONG;
	for (uint32_t i = 0; i < len; i++)
		if (name[i] == '/' || name[i] == '\0')
			return -EINVAL;
	return 0;
}

/* ---- mounting ---- */

static int refuse(struct ext2 *fs, int err, const char *why)
{
	fs->why = why;
	return err;
}

struct feature {
	uint32_t bit;
	const char *why;
};

static const struct feature incompat_names[] = {
        {EXT2_INCOMPAT_COMPRESSION, "incompatible feature compression is not implemented"},
        {EXT2_INCOMPAT_RECOVER, "the journal needs recovery (ext3/4): not implemented"},
        {EXT2_INCOMPAT_JOURNAL_DEV, "a journal device, not a file system"},
        {EXT2_INCOMPAT_META_BG, "incompatible feature meta_bg is not implemented"},
        {EXT2_INCOMPAT_EXTENTS, "incompatible feature extent (ext4) is not implemented"},
        {EXT2_INCOMPAT_64BIT, "incompatible feature 64bit (ext4) is not implemented"},
        {EXT2_INCOMPAT_MMP, "incompatible feature mmp is not implemented"},
        {EXT2_INCOMPAT_FLEX_BG, "incompatible feature flex_bg (ext4) is not implemented"},
        {EXT2_INCOMPAT_EA_INODE, "incompatible feature ea_inode is not implemented"},
        {EXT2_INCOMPAT_INLINE_DATA, "incompatible feature inline_data is not implemented"},
        {EXT2_INCOMPAT_ENCRYPT, "incompatible feature encrypt is not implemented"},
        {EXT2_INCOMPAT_CASEFOLD, "incompatible feature casefold is not implemented"},
        {0, "an unknown incompatible feature"},
};

static const struct feature ro_compat_names[] = {
        {EXT2_RO_COMPAT_HUGE_FILE, "feature huge_file allows read-only mounts only"},
        {EXT2_RO_COMPAT_GDT_CSUM, "feature uninit_bg allows read-only mounts only"},
        {EXT2_RO_COMPAT_DIR_NLINK, "feature dir_nlink allows read-only mounts only"},
        {EXT2_RO_COMPAT_EXTRA_ISIZE, "feature extra_isize allows read-only mounts only"},
        {EXT2_RO_COMPAT_QUOTA, "feature quota allows read-only mounts only"},
        {EXT2_RO_COMPAT_BIGALLOC, "feature bigalloc allows read-only mounts only"},
        {EXT2_RO_COMPAT_METADATA_CSUM, "feature metadata_csum allows read-only mounts only"},
        {0, "an unknown read-only feature allows read-only mounts only"},
};

/* The reason for the first of `bits` in table t. */
static const char *feature_why(const struct feature *t, uint32_t bits)
{
	while (t->bit && !(t->bit & bits))
		t++;
	return t->why;
}

/* The superblock's geometry: sizes and counts this code handles, and
 * that fit the device. Fills the derived fields of fs. */
static int mount_geometry(struct ext2 *fs)
{
	struct ext2_super_disk *sb = &fs->sb;
	if (sb->s_magic != EXT2_MAGIC)
		return refuse(fs, -EINVAL, "not ext2: bad magic number");
	if (sb->s_rev_level > EXT2_DYNAMIC_REV)
		return refuse(fs, -ENOTSUP, "unknown revision");
	if (sb->s_log_block_size > 2)
		return refuse(fs, -ENOTSUP, "block size above 4 KiB");
	fs->bshift = 10 + sb->s_log_block_size;
	fs->bsize = 1u << fs->bshift;
	fs->pshift = fs->bshift - 2;
	fs->ptrs = 1u << fs->pshift;
	if (sb->s_first_data_block != (fs->bsize == 1024 ? 1u : 0u))
		return refuse(fs, -EINVAL, "bad first data block");
	uint32_t bpg = sb->s_blocks_per_group, ipg = sb->s_inodes_per_group;
	if (bpg < 256 || bpg > 8 * fs->bsize || bpg % 8 || ipg == 0 || ipg > 8 * fs->bsize)
		return refuse(fs, -EINVAL, "bad blocks or inodes per group");
	if (sb->s_blocks_count <= sb->s_first_data_block + 2 ||
	    (fs->dev.size && blk_off(fs, sb->s_blocks_count) > fs->dev.size))
		return refuse(fs, -EINVAL, "bad block count (larger than the device?)");
	fs->groups = (sb->s_blocks_count - sb->s_first_data_block + bpg - 1) / bpg;
	if ((uint64_t)fs->groups * ipg != sb->s_inodes_count)
		return refuse(fs, -EINVAL, "inode count is not groups times inodes per group");
	if (sb->s_free_blocks_count > sb->s_blocks_count ||
	    sb->s_free_inodes_count > sb->s_inodes_count)
		return refuse(fs, -EINVAL, "free counts above the totals");
	if (sb->s_rev_level == EXT2_GOOD_OLD_REV) {
		fs->isize = EXT2_OLD_INODE;
		fs->first_ino = EXT2_OLD_FIRST_INO;
		sb->s_feature_compat = sb->s_feature_incompat = sb->s_feature_ro_compat = 0;
	} else {
		fs->isize = sb->s_inode_size;
		fs->first_ino = sb->s_first_ino;
	}
	if (fs->isize < EXT2_OLD_INODE || fs->isize > fs->bsize || (fs->isize & (fs->isize - 1)))
		return refuse(fs, -EINVAL, "bad inode size");
	if (fs->first_ino <= EXT2_ROOT_INO || fs->first_ino > sb->s_inodes_count)
		return refuse(fs, -EINVAL, "bad first inode");
	fs->itable_blocks = (uint32_t)(((uint64_t)ipg * fs->isize + fs->bsize - 1) >> fs->bshift);
	fs->gdt_block = sb->s_first_data_block + 1;
	uint64_t gdt_end =
	        fs->gdt_block + (((uint64_t)fs->groups * 32 + fs->bsize - 1) >> fs->bshift);
	if (gdt_end > sb->s_blocks_count)
		return refuse(fs, -EINVAL, "group descriptors past the end");
	return 0;
}

/* The features: any incompatible one but filetype refuses the image, any
 * read-only one but sparse_super and large_file refuses writing it. */
static int mount_features(struct ext2 *fs, int rdonly)
{
	const struct ext2_super_disk *sb = &fs->sb;
	uint32_t incompat = sb->s_feature_incompat & ~(uint32_t)EXT2_INCOMPAT_FILETYPE;
	if (incompat)
		return refuse(fs, -ENOTSUP, feature_why(incompat_names, incompat));
	uint32_t ro = sb->s_feature_ro_compat &
	              ~(uint32_t)(EXT2_RO_COMPAT_SPARSE_SUPER | EXT2_RO_COMPAT_LARGE_FILE |
	                          EXT2_RO_COMPAT_BTREE_DIR);
	if (ro && !rdonly)
		return refuse(fs, -ENOTSUP, feature_why(ro_compat_names, ro));
	return 0;
}

/* Reads every group descriptor (a block of them at a time), checks it,
 * and sums the free counts into the superblock's. */
static int mount_groups(struct ext2 *fs)
{
	uint32_t per_block = fs->bsize / sizeof(struct ext2_group_disk);
	uint32_t free_blocks = 0, free_inodes = 0;
	struct ext2_group_disk *gd = (struct ext2_group_disk *)fs->bitmap;
	for (uint32_t g = 0; g < fs->groups; g++) {
		uint32_t i = g % per_block;
		if (i == 0 && dev_read(fs, group_off(fs, g), gd, fs->bsize))
			return refuse(fs, -EIO, "cannot read the group descriptors");
		if (!group_sane(fs, &gd[i]) || gd[i].bg_free_blocks_count > group_blocks(fs, g))
			return refuse(fs, -EINVAL, "a group descriptor is out of range");
		free_blocks += gd[i].bg_free_blocks_count;
		free_inodes += gd[i].bg_free_inodes_count;
	}
	if (free_blocks != fs->sb.s_free_blocks_count ||
	    free_inodes != fs->sb.s_free_inodes_count) {
		fs->sb.s_free_blocks_count = free_blocks;
		fs->sb.s_free_inodes_count = free_inodes;
		fs->sb_dirty = !fs->rdonly;
	}
	return 0;
}

int ext2_mount(struct ext2 *fs, const struct ext2_dev *dev, int flags)
{
	memset(fs, 0, offsetof(struct ext2, bitmap));
	fs->dev = *dev;
	fs->rdonly = (flags & EXT2_MOUNT_RDONLY) != 0;
	if (!dev->read || (!fs->rdonly && !dev->write))
		return refuse(fs, -EINVAL, "the device lacks a callback");
	if (dev->size && dev->size < EXT2_SUPER_OFFSET + EXT2_SUPER_SIZE)
		return refuse(fs, -EINVAL, "the device is smaller than a superblock");
	if (dev_read(fs, EXT2_SUPER_OFFSET, &fs->sb, sizeof fs->sb))
		return refuse(fs, -EIO, "cannot read the superblock");
	int r = mount_geometry(fs);
	if (r || (r = mount_features(fs, fs->rdonly)) || (r = mount_groups(fs)))
		return r;
	uint64_t p = fs->ptrs;
	fs->max_size = (EXT2_NDIR + p + p * p + p * p * p) << fs->bshift;
	if (fs->sb.s_rev_level == EXT2_GOOD_OLD_REV && fs->max_size > 0x7fffffff)
		fs->max_size = 0x7fffffff;
	uint32_t want = fs->sb.s_want_extra_isize, room = fs->isize - EXT2_OLD_INODE;
	if (want < 4 || want > room || (want & 3))
		want = room >= 32 ? 32 : 0;
	fs->extra_isize = room ? want : 0;
	fs->generation = now(fs);
	return 0;
}

int ext2_sync(struct ext2 *fs)
{
	if (fs->rdonly || !fs->sb_dirty)
		return 0;
	fs->sb.s_wtime = now(fs);
	int r = dev_write(fs, EXT2_SUPER_OFFSET, &fs->sb, sizeof fs->sb);
	if (!r)
		fs->sb_dirty = 0;
	return r;
}

int ext2_statfs(struct ext2 *fs, struct ext2_statfs *s)
{
	const struct ext2_super_disk *sb = &fs->sb;
	s->bsize = fs->bsize;
	s->blocks = sb->s_blocks_count;
	s->bfree = sb->s_free_blocks_count;
	s->bavail = s->bfree > sb->s_r_blocks_count ? s->bfree - sb->s_r_blocks_count : 0;
	s->inodes = sb->s_inodes_count;
	s->ifree = sb->s_free_inodes_count;
	s->namemax = EXT2_NAME_MAX;
	return 0;
}

/* ---- inodes for callers ---- */

int ext2_lookup(struct ext2 *fs, uint32_t dir, const char *name, uint32_t len, uint32_t *ino)
{
	struct ext2_inode_disk din;
	struct dirpos p;
	if (len > EXT2_NAME_MAX)
		return -ENAMETOOLONG;
	if (len == 0)
		return -ENOENT;
	int r = dir_load(fs, dir, &din);
	if (r || (r = dir_find(fs, dir, &din, name, len, &p)))
		return r;
	*ino = ((struct ext2_dirent_disk *)(fs->dirblk + p.off))->inode;
	return 0;
}

int ext2_stat(struct ext2 *fs, uint32_t ino, struct ext2_stat *st)
{
	struct ext2_inode_disk in;
	int r = inode_load(fs, ino, &in);
	if (r)
		return r;
	memset(st, 0, sizeof *st);
	st->ino = ino;
	st->mode = in.i_mode;
	st->nlink = in.i_links_count;
	st->uid = in.i_uid | (uint32_t)in.i_uid_high << 16;
	st->gid = in.i_gid | (uint32_t)in.i_gid_high << 16;
	st->size = inode_size(&in);
	st->blocks = in.i_blocks;
	if (fs->sb.s_feature_ro_compat & EXT2_RO_COMPAT_HUGE_FILE)
		st->blocks |= (uint64_t)in.i_blocks_hi << 32;
	st->atime = in.i_atime;
	st->mtime = in.i_mtime;
	st->ctime = in.i_ctime;
	st->flags = in.i_flags;
	if (S_TYPE(in.i_mode) == EXT2_S_IFCHR || S_TYPE(in.i_mode) == EXT2_S_IFBLK)
		st->rdev = in.i_block[0] ? in.i_block[0] : in.i_block[1];
	st->blksize = fs->bsize;
	return 0;
}

int ext2_setattr(struct ext2 *fs, uint32_t ino, const struct ext2_setattr *a)
{
	struct ext2_inode_disk in;
	if (fs->rdonly)
		return -EROFS;
	int r = inode_load(fs, ino, &in);
	if (r)
		return r;
	if (a->mask & EXT2_SET_MODE)
		in.i_mode = (uint16_t)(S_TYPE(in.i_mode) | (a->mode & 07777));
	if (a->mask & EXT2_SET_UID)
		in.i_uid = (uint16_t)a->uid, in.i_uid_high = (uint16_t)(a->uid >> 16);
	if (a->mask & EXT2_SET_GID)
		in.i_gid = (uint16_t)a->gid, in.i_gid_high = (uint16_t)(a->gid >> 16);
	if (a->mask & EXT2_SET_ATIME)
		in.i_atime = a->atime;
	if (a->mask & EXT2_SET_MTIME)
		in.i_mtime = a->mtime;
	in.i_ctime = now(fs);
	return inode_put(fs, ino, &in);
}

/* A regular file for reading or writing: -EISDIR, -EINVAL. */
static int file_load(struct ext2 *fs, uint32_t ino, struct ext2_inode_disk *in)
{
	int r = inode_load(fs, ino, in);
	if (r)
		return r;
	if (IS_DIR(in))
		return -EISDIR;
	return IS_REG(in) ? 0 : -EINVAL;
}

/* A regular file for reading at off: *in loaded, and *len cut to the
 * bytes there are (0 at or past its end). */
static int file_span(struct ext2 *fs, uint32_t ino, struct ext2_inode_disk *in, uint64_t off,
                     uint32_t *len)
{
	int r = file_load(fs, ino, in);
	if (r)
		return r;
	uint64_t size = inode_size(in);
	*len = off >= size ? 0 : *len > size - off ? (uint32_t)(size - off) : *len;
	return 0;
}

/* The block under byte pos of a file being read (0: a hole). */
static int read_map(struct ext2 *fs, uint32_t ino, struct ext2_inode_disk *in, uint64_t pos,
                    uint32_t *pb)
{
	int fresh, r = bmap(fs, ino, in, (uint32_t)(pos >> fs->bshift), 0, pb, &fresh);
	return r == -EFBIG ? -EIO : r;
}

int ext2_read(struct ext2 *fs, uint32_t ino, uint64_t off, void *buf, uint32_t len)
{
	struct ext2_inode_disk in;
	int r = file_span(fs, ino, &in, off, &len);
	if (r)
		return r;
	if (len > 0x7fffffff)
		len = 0x7fffffff;
	uint32_t done = 0;
	while (done < len) {
		uint64_t pos = off + done;
		uint32_t boff = (uint32_t)pos & (fs->bsize - 1), pb;
		uint32_t n = fs->bsize - boff < len - done ? fs->bsize - boff : len - done;
		if ((r = read_map(fs, ino, &in, pos, &pb)))
			return r;
		if (pb == 0)
			memset((char *)buf + done, 0, n);
		else if ((r = dev_read(fs, blk_off(fs, pb) + boff, (char *)buf + done, n)))
			return r;
		done += n;
	}
	return (int)done;
}

int ext2_peek(struct ext2 *fs, uint32_t ino, uint64_t off, uint32_t len, const void **at)
{
	static const char zeros[4096]; /* a hole's bytes */
	struct ext2_inode_disk in;
	if (!fs->dev.peek || fs->bsize > sizeof zeros)
		return -ENOSYS;
	int r = file_span(fs, ino, &in, off, &len);
	if (r || !len)
		return r;
	uint32_t boff = (uint32_t)off & (fs->bsize - 1), pb;
	if (len > fs->bsize - boff)
		return -ENOSYS;
	if ((r = read_map(fs, ino, &in, off, &pb)))
		return r;
	*at = zeros;
	if (pb && (r = fs->dev.peek(fs->dev.ctx, blk_off(fs, pb) + boff, len, at)))
		return r;
	return (int)len;
}

/* Writes one block's part of a write: a new block gets zeros around it. */
static int write_piece(struct ext2 *fs, uint32_t pb, int fresh, uint32_t boff, const void *src,
                       uint32_t n)
{
	if (!fresh || n == fs->bsize)
		return dev_write(fs, blk_off(fs, pb) + boff, src, n);
	memset(fs->ind[0], 0, fs->bsize);
	memcpy(fs->ind[0] + boff, src, n);
	return blk_write(fs, pb, fs->ind[0]);
}

/* The piece of a write in one block, at pos: mapped (allocating what is
 * missing), written, and the inode written back if its map or size
 * changed. If any step fails, what the piece allocated is freed and *in
 * is as before it: the file is as if the piece had not been tried. */
static int write_block(struct ext2 *fs, uint32_t ino, struct ext2_inode_disk *in, uint64_t pos,
                       const void *src, uint32_t n)
{
	uint32_t lblk = (uint32_t)(pos >> fs->bshift), blocks = in->i_blocks, pb;
	uint64_t size = inode_size(in);
	int fresh, r = bmap(fs, ino, in, lblk, 1, &pb, &fresh);
	if (!r)
		r = write_piece(fs, pb, fresh, (uint32_t)pos & (fs->bsize - 1), src, n);
	if (!r && pos + n > size)
		inode_set_size(fs, in, pos + n);
	if (!r && (in->i_blocks != blocks || pos + n > size))
		r = inode_put(fs, ino, in);
	if (r) {
		if (in->i_blocks != blocks)
			unmap_block(fs, in, lblk); /* best effort: the device just failed */
		inode_set_size(fs, in, size);
	}
	return r;
}

/* Answers the bytes written: all of them, or fewer when a block fails
 * part way (those before it are in the file, its size covering them and
 * no more), or the error when the first block fails (nothing changed). */
int ext2_write(struct ext2 *fs, uint32_t ino, uint64_t off, const void *buf, uint32_t len)
{
	struct ext2_inode_disk in;
	if (fs->rdonly)
		return -EROFS;
	int r = file_load(fs, ino, &in);
	if (r || len == 0)
		return r;
	if (len > 0x7fffffff)
		return -EINVAL;
	if (off >= fs->max_size)
		return -EFBIG;
	if (len > fs->max_size - off)
		len = (uint32_t)(fs->max_size - off);
	uint64_t size = inode_size(&in);
	if (off > size && (r = zero_tail(fs, ino, &in, size)))
		return r;
	uint32_t done = 0;
	while (done < len) {
		uint64_t pos = off + done;
		uint32_t boff = (uint32_t)pos & (fs->bsize - 1);
		uint32_t n = fs->bsize - boff < len - done ? fs->bsize - boff : len - done;
		if ((r = write_block(fs, ino, &in, pos, (const char *)buf + done, n)))
			break;
		done += n;
	}
	if (!done)
		return r;
	in.i_mtime = in.i_ctime = now(fs);
	inode_put(fs, ino, &in); /* the times only: the rest is written already */
	return (int)done;
}

/* Sets a loaded file's size, freeing or zeroing what lies past it. */
static int resize(struct ext2 *fs, uint32_t ino, struct ext2_inode_disk *in, uint64_t size)
{
	uint64_t old = inode_size(in);
	int r = zero_tail(fs, ino, in, size < old ? size : old);
	if (!r && size < old)
		r = free_from(fs, in, (uint32_t)((size + fs->bsize - 1) >> fs->bshift));
	if (!r)
		inode_set_size(fs, in, size);
	in->i_mtime = in->i_ctime = now(fs);
	int w = inode_put(fs, ino, in);
	return r ? r : w;
}

int ext2_truncate(struct ext2 *fs, uint32_t ino, uint64_t size)
{
	struct ext2_inode_disk in;
	if (fs->rdonly)
		return -EROFS;
	int r = file_load(fs, ino, &in);
	if (r)
		return r;
	if (size > fs->max_size)
		return -EFBIG;
	return resize(fs, ino, &in, size);
}

/* ---- making and removing names ---- */

/* The contents of a new directory or slow symbolic link: its block 0. */
static int node_first_block(struct ext2 *fs, uint32_t ino, struct ext2_inode_disk *in, uint32_t dir,
                            const char *target, uint32_t tlen)
{
	uint32_t pb;
	int fresh, r = bmap(fs, ino, in, 0, 1, &pb, &fresh);
	if (r)
		return r;
	uint8_t *blk = fs->ind[0];
	memset(blk, 0, fs->bsize);
	if (target) {
		memcpy(blk, target, tlen);
		in->i_size = tlen;
	} else {
		struct ext2_dirent_disk *dot = (void *)blk, *dotdot = (void *)(blk + 12);
		uint8_t ft = file_type(fs, EXT2_S_IFDIR);
		dot->rec_len = 12;
		dirent_fill(dot, ino, ft, ".", 1);
		dotdot->rec_len = (uint16_t)(fs->bsize - 12);
		dirent_fill(dotdot, dir, ft, "..", 2);
		in->i_size = fs->bsize;
	}
	return blk_write(fs, pb, blk);
}

/* A new inode of the given mode, written, with its first block if a
 * directory or slow link needs one. */
static int node_new(struct ext2 *fs, uint32_t dir, uint16_t mode, const char *target, uint32_t tlen,
                    uint32_t *ino, struct ext2_inode_disk *in)
{
	int is_dir = S_TYPE(mode) == EXT2_S_IFDIR;
	int r = inode_alloc(fs, dir, is_dir, ino);
	if (r)
		return r;
	memset(in, 0, sizeof *in);
	in->i_mode = mode;
	in->i_links_count = is_dir ? 2 : 1;
	in->i_atime = in->i_ctime = in->i_mtime = now(fs);
	in->i_generation = fs->generation++;
	if (target && tlen <= EXT2_FAST_LINK_MAX) {
		memcpy(in->i_block, target, tlen);
		in->i_size = tlen;
	} else if (target || is_dir) {
		r = node_first_block(fs, *ino, in, dir, target, tlen);
	}
	int w = inode_put_new(fs, *ino, in);
	if (r || w) {
		inode_release(fs, *ino, in);
		return r ? r : w;
	}
	return 0;
}

/* Makes name in dir: a new inode of `mode` (with target: a symbolic link). */
static int make_node(struct ext2 *fs, uint32_t dir, const char *name, uint32_t len, uint16_t mode,
                     const char *target, uint32_t tlen, uint32_t *ino)
{
	struct ext2_inode_disk din, in;
	struct dirpos p;
	int is_dir = S_TYPE(mode) == EXT2_S_IFDIR;
	if (fs->rdonly)
		return -EROFS;
	int r = name_check(name, len);
	if (r || (r = dir_load(fs, dir, &din)))
		return r;
	r = dir_find(fs, dir, &din, name, len, &p);
	if (r != -ENOENT)
		return r ? r : -EEXIST;
	if (is_dir && din.i_links_count >= EXT2_LINK_MAX)
		return -EMLINK;
	if ((r = node_new(fs, dir, mode, target, tlen, ino, &in)))
		return r;
	if ((r = dir_add(fs, dir, name, len, *ino, file_type(fs, mode)))) {
		inode_release(fs, *ino, &in);
		return r;
	}
	return is_dir ? nlink_add(fs, dir, 1) : 0;
}

int ext2_create(struct ext2 *fs, uint32_t dir, const char *name, uint32_t len, uint16_t mode,
                uint32_t *ino)
{
	switch (S_TYPE(mode)) {
	case 0: mode |= EXT2_S_IFREG; break;
	case EXT2_S_IFREG:
	case EXT2_S_IFDIR:
	case EXT2_S_IFIFO:
	case EXT2_S_IFSOCK: break;
	default: return -EINVAL;
	}
	return make_node(fs, dir, name, len, mode, NULL, 0, ino);
}

int ext2_symlink(struct ext2 *fs, uint32_t dir, const char *name, uint32_t len, const char *target,
                 uint32_t tlen, uint32_t *ino)
{
	if (tlen == 0)
		return -ENOENT;
	if (tlen >= fs->bsize)
		return -ENAMETOOLONG;
	return make_node(fs, dir, name, len, EXT2_S_IFLNK | 0777, target, tlen, ino);
}

int ext2_readlink(struct ext2 *fs, uint32_t ino, char *buf, uint32_t size)
{
	struct ext2_inode_disk in;
	uint32_t pb;
	int fresh, r = inode_load(fs, ino, &in);
	if (r)
		return r;
	if (!IS_LNK(&in))
		return -EINVAL;
	uint32_t len = in.i_size;
	if (len == 0 || len >= fs->bsize || in.i_size_high)
		return -EIO;
	if (len > size)
		return -ERANGE;
	if (is_fast_symlink(&in)) {
		memcpy(buf, in.i_block, len);
		return (int)len;
	}
	if ((r = bmap(fs, ino, &in, 0, 0, &pb, &fresh)))
		return r;
	if (pb == 0)
		return -EIO;
	r = dev_read(fs, blk_off(fs, pb), buf, len);
	return r ? r : (int)len;
}

int ext2_link(struct ext2 *fs, uint32_t dir, const char *name, uint32_t len, uint32_t ino)
{
	struct ext2_inode_disk din, in;
	struct dirpos p;
	if (fs->rdonly)
		return -EROFS;
	int r = name_check(name, len);
	if (r || (r = inode_load(fs, ino, &in)) || (r = dir_load(fs, dir, &din)))
		return r;
	if (IS_DIR(&in))
		return -EPERM;
	if (in.i_links_count >= EXT2_LINK_MAX)
		return -EMLINK;
	r = dir_find(fs, dir, &din, name, len, &p);
	if (r != -ENOENT)
		return r ? r : -EEXIST;
	if ((r = dir_add(fs, dir, name, len, ino, file_type(fs, in.i_mode))))
		return r;
	return nlink_add(fs, ino, 1);
}

/* The inode that name names in dir, loaded: the first step of unlink,
 * rmdir and rename. */
static int entry_load(struct ext2 *fs, uint32_t dir, const char *name, uint32_t len, uint32_t *ino,
                      struct ext2_inode_disk *in)
{
	int r = ext2_lookup(fs, dir, name, len, ino);
	if (r)
		return r;
	r = inode_load(fs, *ino, in);
	return r == -ENOENT || r == -EINVAL ? -EIO : r;
}

int ext2_unlink(struct ext2 *fs, uint32_t dir, const char *name, uint32_t len)
{
	struct ext2_inode_disk in;
	uint32_t ino;
	if (fs->rdonly)
		return -EROFS;
	int r = entry_load(fs, dir, name, len, &ino, &in);
	if (r)
		return r;
	if (IS_DIR(&in))
		return -EISDIR;
	if ((r = dir_remove(fs, dir, name, len, ino)))
		return r;
	return nlink_add(fs, ino, -1);
}

/* Frees an empty directory whose name is gone, and its link on parent. */
static int dir_drop(struct ext2 *fs, uint32_t ino, uint32_t parent)
{
	struct ext2_inode_disk in;
	int r = inode_load(fs, ino, &in);
	if (r)
		return r == -ENOENT ? -EIO : r;
	if ((r = inode_release(fs, ino, &in)))
		return r;
	return nlink_add(fs, parent, -1);
}

int ext2_rmdir(struct ext2 *fs, uint32_t dir, const char *name, uint32_t len)
{
	struct ext2_inode_disk in;
	uint32_t ino;
	if (fs->rdonly)
		return -EROFS;
	if (len == 1 && name[0] == '.')
		return -EINVAL;
	if (len == 2 && name[0] == '.' && name[1] == '.')
		return -ENOTEMPTY;
	int r = entry_load(fs, dir, name, len, &ino, &in);
	if (r)
		return r;
	if (!IS_DIR(&in))
		return -ENOTDIR;
	if ((r = dir_load(fs, ino, &in)) || (r = dir_is_empty(fs, ino, &in)) <= 0)
		return r ? r : -ENOTEMPTY;
	if ((r = dir_remove(fs, dir, name, len, ino)))
		return r;
	return dir_drop(fs, ino, dir);
}

/* -EINVAL if dir is ino or lies under it, found by following ".." from
 * dir to the root. */
static int not_under(struct ext2 *fs, uint32_t ino, uint32_t dir)
{
	for (int depth = 0; depth < MAX_DIR_DEPTH; depth++) {
		if (dir == ino)
			return -EINVAL;
		if (dir == EXT2_ROOT_INO)
			return 0;
		uint32_t parent;
		int r = ext2_lookup(fs, dir, "..", 2, &parent);
		if (r)
			return r == -ENOENT || r == -ENOTDIR ? -EIO : r;
		if (parent == dir)
			return -EIO;
		dir = parent;
	}
	return -EIO;
}

/* What rename may do to an existing target: -EISDIR, -ENOTDIR, -ENOTEMPTY. */
static int rename_target_ok(struct ext2 *fs, const struct ext2_inode_disk *src, uint32_t tino,
                            struct ext2_inode_disk *tin)
{
	if (!IS_DIR(src))
		return IS_DIR(tin) ? -EISDIR : 0;
	if (!IS_DIR(tin))
		return -ENOTDIR;
	int r = dir_load(fs, tino, tin);
	if (r || (r = dir_is_empty(fs, tino, tin)) < 0)
		return r;
	return r ? 0 : -ENOTEMPTY;
}

/* The changes of a rename whose checks have passed: the target entry,
 * the source entry gone, a moved directory's "..", the old target. */
static int rename_commit(struct ext2 *fs, uint32_t fdir, const char *from, uint32_t flen,
                         uint32_t tdir, const char *to, uint32_t tlen, uint32_t sino,
                         const struct ext2_inode_disk *sin, uint32_t tino, int tdir_was)
{
	uint8_t ft = file_type(fs, sin->i_mode);
	int moved_dir = IS_DIR(sin) && fdir != tdir, r;
	r = tino ? dir_set(fs, tdir, to, tlen, sino, ft) : dir_add(fs, tdir, to, tlen, sino, ft);
	if (r || (r = dir_remove(fs, fdir, from, flen, sino)))
		return r;
	if (moved_dir) {
		uint8_t dft = file_type(fs, EXT2_S_IFDIR);
		if ((r = dir_set(fs, sino, "..", 2, tdir, dft)) || (r = nlink_add(fs, fdir, -1)) ||
		    (r = nlink_add(fs, tdir, 1)))
			return r;
	}
	if ((r = nlink_add(fs, sino, 0)))
		return r;
	if (!tino)
		return 0;
	return tdir_was ? dir_drop(fs, tino, tdir) : nlink_add(fs, tino, -1);
}

int ext2_rename(struct ext2 *fs, uint32_t fdir, const char *from, uint32_t flen, uint32_t tdir,
                const char *to, uint32_t tlen)
{
	struct ext2_inode_disk sin, tin, din;
	uint32_t sino, tino = 0;
	if (fs->rdonly)
		return -EROFS;
	if (is_dot_or_dotdot(from, flen) || is_dot_or_dotdot(to, tlen))
		return -EINVAL;
	int r = name_check(to, tlen);
	if (r || (r = dir_load(fs, tdir, &din)) ||
	    (r = entry_load(fs, fdir, from, flen, &sino, &sin)))
		return r;
	r = entry_load(fs, tdir, to, tlen, &tino, &tin);
	if (r == -ENOENT)
		tino = 0;
	else if (r)
		return r;
	else if (tino == sino)
		return 0;
	else if ((r = rename_target_ok(fs, &sin, tino, &tin)))
		return r;
	if (IS_DIR(&sin) && fdir != tdir) {
		if ((r = not_under(fs, sino, tdir)))
			return r;
		if (!tino && din.i_links_count >= EXT2_LINK_MAX)
			return -EMLINK;
	}
	return rename_commit(fs, fdir, from, flen, tdir, to, tlen, sino, &sin, tino,
	                     tino && IS_DIR(&tin));
}

int ext2_readdir(struct ext2 *fs, uint32_t dir, uint64_t *pos, struct ext2_dirent *e)
{
	struct ext2_inode_disk din;
	uint32_t pb;
	int r = dir_load(fs, dir, &din);
	if (r)
		return r;
	while (*pos < din.i_size) {
		uint32_t lb = (uint32_t)(*pos >> fs->bshift),
		         from = (uint32_t)*pos & (fs->bsize - 1);
		if ((r = dir_block(fs, dir, &din, lb, &pb)))
			return r;
		for (uint32_t off = 0; off < fs->bsize;) {
			struct ext2_dirent_disk *d = dirent_at(fs, fs->dirblk, off);
			if (!d)
				return -EIO;
			off += d->rec_len;
			if (off - d->rec_len < from || !d->inode)
				continue;
			e->ino = d->inode;
			e->type = d->file_type;
			e->name_len = d->name_len;
			memcpy(e->name, d + 1, d->name_len);
			e->name[d->name_len] = '\0';
			*pos = ((uint64_t)lb << fs->bshift) + off;
			return 1;
		}
		*pos = (uint64_t)(lb + 1) << fs->bshift;
	}
	return 0;
}
