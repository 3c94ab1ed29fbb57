/* SPDX-License-Identifier: MIT */
/* mkdir [-p] DIR...: makes directories (-p: and their parents, and no
 * error if they exist). */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

static int make(const char *path, int parents)
{
	if (!parents)
		return mkdir(path, 0777);
	char buf[1100];
	strncpy(buf, path, sizeof buf - 1);
	buf[sizeof buf - 1] = 0;
	for (char *p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = 0;
		if (mkdir(buf, 0777) < 0 && errno != EEXIST)
			return -1;
		*p = '/';
	}
	if (mkdir(buf, 0777) < 0 && errno != EEXIST)
		return -1;
	return 0;
}

int main(int argc, char **argv)
{
	int i = 1, parents = 0, bad = 0;
	if (argc > 1 && !strcmp(argv[1], "-p"))
		parents = 1, i++;
	if (i == argc) {
		fprintf(stderr, "usage: mkdir [-p] DIR...\n");
		return 2;
	}
	for (; i < argc; i++) {
		if (make(argv[i], parents) < 0) {
			fprintf(stderr, "mkdir: %s: %s\n", argv[i], strerror(errno));
			bad = 1;
		}
	}
	return bad;
}
