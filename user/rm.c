/* SPDX-License-Identifier: MIT */
/* rm [-r] [-f] FILE...: removes files (-r: directories and all in them;
 * -f: no error for what does not exist). */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int recursive, force;

static int removal(const char *path, int depth)
{
	struct stat st;
	if (lstat(path, &st) < 0) {
		if (force && errno == ENOENT)
			return 0;
		fprintf(stderr, "rm: %s: %s\n", path, strerror(errno));
		return 1;
	}
	if (S_ISDIR(st.st_mode)) {
		if (!recursive) {
			fprintf(stderr, "rm: %s: is a directory\n", path);
			return 1;
		}
		if (depth > 64) {
			fprintf(stderr, "rm: %s: too deep\n", path);
			return 1;
		}
		int bad = 0;
		for (;;) { /* read a name, remove it, read again: the listing changes */
			DIR *d = opendir(path);
			if (!d)
				break;
			struct dirent *e;
			char child[1100] = "";
			while ((e = readdir(d)))
				if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) {
					snprintf(child, sizeof child, "%s/%s", path, e->d_name);
					break;
				}
			closedir(d);
			if (!child[0] || removal(child, depth + 1)) {
				bad |= child[0] != 0;
				break;
			}
		}
		if (rmdir(path) < 0) {
			fprintf(stderr, "rm: %s: %s\n", path, strerror(errno));
			return 1;
		}
		return bad;
	}
	if (unlink(path) < 0) {
		fprintf(stderr, "rm: %s: %s\n", path, strerror(errno));
		return 1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	int i = 1, bad = 0;
	for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++)
		for (const char *f = argv[i] + 1; *f; f++) {
			if (*f == 'r' || *f == 'R')
				recursive = 1;
			else if (*f == 'f')
				force = 1;
			else {
				fprintf(stderr, "usage: rm [-r] [-f] FILE...\n");
				return 2;
			}
		}
	if (i == argc && !force) {
		fprintf(stderr, "usage: rm [-r] [-f] FILE...\n");
		return 2;
	}
	for (; i < argc; i++)
		bad |= removal(argv[i], 0);
	return bad;
}
