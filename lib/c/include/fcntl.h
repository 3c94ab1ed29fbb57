/* SPDX-License-Identifier: MIT */
#ifndef SPRIG_FCNTL_H
#define SPRIG_FCNTL_H

#include <sprite/fs.h>
#include <sys/types.h>

#define O_RDONLY    FS_O_RDONLY
#define O_WRONLY    FS_O_WRONLY
#define O_RDWR      FS_O_RDWR
#define O_ACCMODE   FS_O_ACCMODE
#define O_CREAT     FS_O_CREAT
#define O_EXCL      FS_O_EXCL
#define O_TRUNC     FS_O_TRUNC
#define O_APPEND    FS_O_APPEND
#define O_DIRECTORY FS_O_DIRECTORY
#define O_NOFOLLOW  FS_O_NOFOLLOW

int open(const char *path, int flags, ...);
int creat(const char *path, mode_t mode);

#endif
