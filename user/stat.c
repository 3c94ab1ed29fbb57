/* SPDX-License-Identifier: MIT */
/* stat FILE...: what the file system knows of each (as lstat: a link is
 * shown, not followed). */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

static const char *kind(unsigned mode)
{
	return S_ISREG(mode)    ? "regular file"
	       : S_ISDIR(mode)  ? "directory"
	       : S_ISLNK(mode)  ? "symbolic link"
	       : S_ISCHR(mode)  ? "character device"
	       : S_ISBLK(mode)  ? "block device"
	       : S_ISFIFO(mode) ? "fifo"
	                        : "unknown";
}

int main(int argc, char **argv)
{
	int bad = 0;
	if (argc < 2) {
		fprintf(stderr, "usage: stat FILE...\n");
		return 2;
	}
	for (int i = 1; i < argc; i++) {
		struct stat st;
		if (lstat(argv[i], &st) < 0) {
			fprintf(stderr, "stat: %s: %s\n", argv[i], strerror(errno));
			bad = 1;
			continue;
		}
		printf("  File: %s\n  Size: %ld\tBlocks: %u\t%s\nDevice: %u\tInode: %u\tLinks: %u\n"
		       "Access: (%04o)\tModify: %ld\n",
		       argv[i], (long)st.st_size, st.st_blocks, kind(st.st_mode), st.st_dev,
		       st.st_ino, st.st_nlink, st.st_mode & 07777, st.st_mtime);
	}
	return bad;
}
