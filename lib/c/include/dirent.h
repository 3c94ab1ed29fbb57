/* SPDX-License-Identifier: MIT */
#ifndef SPRIG_DIRENT_H
#define SPRIG_DIRENT_H

#include <sys/types.h>

#define DT_UNKNOWN 0
#define DT_FIFO    1
#define DT_CHR     2
#define DT_DIR     4
#define DT_BLK     6
#define DT_REG     8
#define DT_LNK     10

struct dirent {
	unsigned d_ino;
	unsigned char d_type;
	char d_name[256];
};

typedef struct DIR DIR;

DIR *opendir(const char *path);
DIR *fdopendir(int fd);
struct dirent *readdir(DIR *dir);
int closedir(DIR *dir);
void rewinddir(DIR *dir);
int dirfd(DIR *dir);

#endif
