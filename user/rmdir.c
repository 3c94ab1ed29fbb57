/* SPDX-License-Identifier: MIT */
/* rmdir DIR...: removes empty directories. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	int bad = 0;
	if (argc < 2) {
		fprintf(stderr, "usage: rmdir DIR...\n");
		return 2;
	}
	for (int i = 1; i < argc; i++) {
		if (rmdir(argv[i]) < 0) {
			fprintf(stderr, "rmdir: %s: %s\n", argv[i], strerror(errno));
			bad = 1;
		}
	}
	return bad;
}
