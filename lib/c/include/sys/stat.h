/* SPDX-License-Identifier: MIT */
#ifndef SPRIG_SYS_STAT_H
#define SPRIG_SYS_STAT_H

#include <sprite/fs.h>
#include <sys/types.h>

struct stat {
	unsigned st_dev, st_ino, st_mode, st_nlink, st_uid, st_gid;
	off_t st_size;
	unsigned st_blocks; /* 512-byte units */
	long st_atime, st_mtime, st_ctime;
	unsigned st_rdev;
	unsigned st_blksize;
};

#define S_IFMT      FS_S_IFMT
#define S_IFSOCK    FS_S_IFSOCK
#define S_IFLNK     FS_S_IFLNK
#define S_IFREG     FS_S_IFREG
#define S_IFBLK     FS_S_IFBLK
#define S_IFDIR     FS_S_IFDIR
#define S_IFCHR     FS_S_IFCHR
#define S_IFIFO     FS_S_IFIFO
#define S_ISREG(m)  (((m)&S_IFMT) == S_IFREG)
#define S_ISDIR(m)  (((m)&S_IFMT) == S_IFDIR)
#define S_ISLNK(m)  (((m)&S_IFMT) == S_IFLNK)
#define S_ISCHR(m)  (((m)&S_IFMT) == S_IFCHR)
#define S_ISBLK(m)  (((m)&S_IFMT) == S_IFBLK)
#define S_ISFIFO(m) (((m)&S_IFMT) == S_IFIFO)

int stat(const char *path, struct stat *st);
int lstat(const char *path, struct stat *st);
int fstat(int fd, struct stat *st);
int mkdir(const char *path, mode_t mode);

#endif
