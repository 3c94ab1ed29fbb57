/* SPDX-License-Identifier: MIT */
/*
 * The ext2 on-disk format, as far as servers/fs/ext2.c reads and writes it:
 * the superblock, the group descriptor, the inode and the directory entry,
 * with the feature bits and the flags they carry. Every number is
 * little-endian on disk, as it is on x86, so these structures are the
 * bytes themselves. Nothing here trusts a value: ext2.c checks each one.
 */
#ifndef SPRIG_FS_EXT2_DISK_H
#define SPRIG_FS_EXT2_DISK_H

#include <stdint.h>

#define EXT2_MAGIC         0xef53
#define EXT2_SUPER_OFFSET  1024 /* bytes from the start of the device */
#define EXT2_SUPER_SIZE    1024
#define EXT2_ROOT_INO      2
#define EXT2_GOOD_OLD_REV  0
#define EXT2_DYNAMIC_REV   1
#define EXT2_OLD_INODE     128 /* inode size of revision 0 */
#define EXT2_OLD_FIRST_INO 11
#define EXT2_NDIR          12 /* direct block pointers in an inode */
#define EXT2_IND           12 /* i_block[] index of the singly indirect block */
#define EXT2_DIND          13
#define EXT2_TIND          14
#define EXT2_NBLOCKS       15
#define EXT2_NAME_MAX      255
#define EXT2_LINK_MAX      32000 /* as Linux's ext2 */
#define EXT2_FAST_LINK_MAX 59    /* longest target kept in i_block (60 bytes, NUL) */

/* s_feature_compat: nothing to do for any of them. */
#define EXT2_COMPAT_DIR_PREALLOC 0x0001
#define EXT2_COMPAT_HAS_JOURNAL  0x0004
#define EXT2_COMPAT_EXT_ATTR     0x0008
#define EXT2_COMPAT_RESIZE_INODE 0x0010
#define EXT2_COMPAT_DIR_INDEX    0x0020
/* s_feature_incompat: an unknown one means the image cannot be read. */
#define EXT2_INCOMPAT_COMPRESSION 0x0001
#define EXT2_INCOMPAT_FILETYPE    0x0002
#define EXT2_INCOMPAT_RECOVER     0x0004
#define EXT2_INCOMPAT_JOURNAL_DEV 0x0008
#define EXT2_INCOMPAT_META_BG     0x0010
#define EXT2_INCOMPAT_EXTENTS     0x0040
#define EXT2_INCOMPAT_64BIT       0x0080
#define EXT2_INCOMPAT_MMP         0x0100
#define EXT2_INCOMPAT_FLEX_BG     0x0200
#define EXT2_INCOMPAT_EA_INODE    0x0400
#define EXT2_INCOMPAT_DIRDATA     0x1000
#define EXT2_INCOMPAT_CSUM_SEED   0x2000
#define EXT2_INCOMPAT_LARGEDIR    0x4000
#define EXT2_INCOMPAT_INLINE_DATA 0x8000
#define EXT2_INCOMPAT_ENCRYPT     0x10000
#define EXT2_INCOMPAT_CASEFOLD    0x20000
/* s_feature_ro_compat: an unknown one means the image can only be read. */
#define EXT2_RO_COMPAT_SPARSE_SUPER  0x0001
#define EXT2_RO_COMPAT_LARGE_FILE    0x0002
#define EXT2_RO_COMPAT_BTREE_DIR     0x0004
#define EXT2_RO_COMPAT_HUGE_FILE     0x0008
#define EXT2_RO_COMPAT_GDT_CSUM      0x0010
#define EXT2_RO_COMPAT_DIR_NLINK     0x0020
#define EXT2_RO_COMPAT_EXTRA_ISIZE   0x0040
#define EXT2_RO_COMPAT_QUOTA         0x0100
#define EXT2_RO_COMPAT_BIGALLOC      0x0200
#define EXT2_RO_COMPAT_METADATA_CSUM 0x0400

/* The superblock: 1024 bytes at byte 1024 of the device (copies in some
 * groups, which this code never updates: e2fsck does not ask it to). */
struct ext2_super_disk {
	uint32_t s_inodes_count;
	uint32_t s_blocks_count;
	uint32_t s_r_blocks_count;
	uint32_t s_free_blocks_count;
	uint32_t s_free_inodes_count;
	uint32_t s_first_data_block;
	uint32_t s_log_block_size; /* block size is 1024 << this */
	uint32_t s_log_frag_size;
	uint32_t s_blocks_per_group;
	uint32_t s_frags_per_group;
	uint32_t s_inodes_per_group;
	uint32_t s_mtime;
	uint32_t s_wtime;
	uint16_t s_mnt_count;
	int16_t s_max_mnt_count;
	uint16_t s_magic;
	uint16_t s_state;
	uint16_t s_errors;
	uint16_t s_minor_rev_level;
	uint32_t s_lastcheck;
	uint32_t s_checkinterval;
	uint32_t s_creator_os;
	uint32_t s_rev_level;
	uint16_t s_def_resuid;
	uint16_t s_def_resgid;
	/* revision 1 */
	uint32_t s_first_ino;
	uint16_t s_inode_size;
	uint16_t s_block_group_nr;
	uint32_t s_feature_compat;
	uint32_t s_feature_incompat;
	uint32_t s_feature_ro_compat;
	uint8_t s_uuid[16];
	char s_volume_name[16];
	char s_last_mounted[64];
	uint32_t s_algorithm_usage_bitmap;
	uint8_t s_prealloc_blocks;
	uint8_t s_prealloc_dir_blocks;
	uint16_t s_reserved_gdt_blocks;
	uint8_t s_journal_uuid[16];
	uint32_t s_journal_inum;
	uint32_t s_journal_dev;
	uint32_t s_last_orphan;
	uint32_t s_hash_seed[4];
	uint8_t s_def_hash_version;
	uint8_t s_jnl_backup_type;
	uint16_t s_desc_size;
	uint32_t s_default_mount_opts;
	uint32_t s_first_meta_bg;
	uint32_t s_mkfs_time;
	uint32_t s_jnl_blocks[17];
	uint32_t s_blocks_count_hi;
	uint32_t s_r_blocks_count_hi;
	uint32_t s_free_blocks_hi;
	uint16_t s_min_extra_isize;
	uint16_t s_want_extra_isize;
	uint8_t s_rest[EXT2_SUPER_SIZE - 0x160];
};
_Static_assert(sizeof(struct ext2_super_disk) == EXT2_SUPER_SIZE, "superblock size");
_Static_assert(__builtin_offsetof(struct ext2_super_disk, s_first_ino) == 84, "s_first_ino");
_Static_assert(__builtin_offsetof(struct ext2_super_disk, s_reserved_gdt_blocks) == 206, "resgdt");
_Static_assert(__builtin_offsetof(struct ext2_super_disk, s_desc_size) == 254, "s_desc_size");
_Static_assert(__builtin_offsetof(struct ext2_super_disk, s_want_extra_isize) == 0x15e, "isize");

/* A block group's descriptor, 32 bytes each in the table that follows the
 * superblock's block. */
struct ext2_group_disk {
	uint32_t bg_block_bitmap;
	uint32_t bg_inode_bitmap;
	uint32_t bg_inode_table;
	uint16_t bg_free_blocks_count;
	uint16_t bg_free_inodes_count;
	uint16_t bg_used_dirs_count;
	uint16_t bg_flags;
	uint32_t bg_reserved[3];
};
_Static_assert(sizeof(struct ext2_group_disk) == 32, "group descriptor size");

/* i_mode's file types */
#define EXT2_S_IFMT   0xf000
#define EXT2_S_IFSOCK 0xc000
#define EXT2_S_IFLNK  0xa000
#define EXT2_S_IFREG  0x8000
#define EXT2_S_IFBLK  0x6000
#define EXT2_S_IFDIR  0x4000
#define EXT2_S_IFCHR  0x2000
#define EXT2_S_IFIFO  0x1000

/* i_flags */
#define EXT2_INDEX_FL   0x00001000 /* directory has an htree index */
#define EXT2_HUGE_FL    0x00040000 /* i_blocks in file-system blocks (huge_file) */
#define EXT2_EXTENTS_FL 0x00080000 /* i_block holds an extent tree (ext4) */
#define EXT2_INLINE_FL  0x10000000 /* data in the inode (ext4) */

/* The first 128 bytes of an inode (all of it in revision 0; a larger
 * inode's rest, i_extra_isize and in-inode attributes, is kept as found). */
struct ext2_inode_disk {
	uint16_t i_mode;
	uint16_t i_uid;
	uint32_t i_size;
	uint32_t i_atime;
	uint32_t i_ctime;
	uint32_t i_mtime;
	uint32_t i_dtime;
	uint16_t i_gid;
	uint16_t i_links_count;
	uint32_t i_blocks; /* 512-byte units, indirect and attribute blocks counted */
	uint32_t i_flags;
	uint32_t i_osd1;
	uint32_t i_block[EXT2_NBLOCKS];
	uint32_t i_generation;
	uint32_t i_file_acl; /* extended attribute block */
	uint32_t i_size_high;
	uint32_t i_faddr;
	uint16_t i_blocks_hi;
	uint16_t i_file_acl_high;
	uint16_t i_uid_high;
	uint16_t i_gid_high;
	uint16_t i_checksum_lo;
	uint16_t i_reserved;
};
_Static_assert(sizeof(struct ext2_inode_disk) == EXT2_OLD_INODE, "inode size");
_Static_assert(__builtin_offsetof(struct ext2_inode_disk, i_block) == 40, "i_block");
/* In an inode larger than 128 bytes, the two bytes after the old inode. */
#define EXT2_EXTRA_ISIZE_OFF 128

/* A directory entry: 8 bytes then the name, rec_len 4-aligned; entries
 * never cross a block, and a block's entries cover it exactly. */
struct ext2_dirent_disk {
	uint32_t inode; /* 0: unused entry */
	uint16_t rec_len;
	uint8_t name_len;
	uint8_t file_type; /* with the filetype feature; else name_len's high byte */
};
_Static_assert(sizeof(struct ext2_dirent_disk) == 8, "dirent header");
#define EXT2_DIRENT_LEN(name_len) ((8u + (name_len) + 3u) & ~3u)

/* file_type values */
#define EXT2_FT_UNKNOWN 0
#define EXT2_FT_REG     1
#define EXT2_FT_DIR     2
#define EXT2_FT_CHRDEV  3
#define EXT2_FT_BLKDEV  4
#define EXT2_FT_FIFO    5
#define EXT2_FT_SOCK    6
#define EXT2_FT_SYMLINK 7

/* The header of an extended attribute block (i_file_acl). */
#define EXT2_XATTR_MAGIC 0xea020000
struct ext2_xattr_header {
	uint32_t h_magic;
	uint32_t h_refcount;
	uint32_t h_blocks;
	uint32_t h_hash;
};

#endif
