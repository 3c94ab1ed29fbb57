/* SPDX-License-Identifier: MIT */
/* ln [-s] TARGET NAME: a hard link NAME to TARGET (-s: a symbolic link). */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	int sym = argc > 1 && !strcmp(argv[1], "-s");
	if (argc != 3 + sym) {
		fprintf(stderr, "usage: ln [-s] TARGET NAME\n");
		return 2;
	}
	const char *target = argv[1 + sym], *name = argv[2 + sym];
	if ((sym ? symlink(target, name) : link(target, name)) < 0) {
		fprintf(stderr, "ln: %s: %s\n", name, strerror(errno));
		return 1;
	}
	return 0;
}
