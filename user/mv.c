/* SPDX-License-Identifier: MIT */
/* mv FROM TO, mv FROM... DIR: renames (into DIR, keeping the names). */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: mv FROM TO, or mv FROM... DIR\n");
		return 2;
	}
	struct stat st;
	const char *to = argv[argc - 1];
	int into = stat(to, &st) == 0 && S_ISDIR(st.st_mode), bad = 0;
	if (argc > 3 && !into) {
		fprintf(stderr, "mv: %s: not a directory\n", to);
		return 1;
	}
	for (int i = 1; i < argc - 1; i++) {
		char dest[1100];
		const char *base = strrchr(argv[i], '/') ? strrchr(argv[i], '/') + 1 : argv[i];
		snprintf(dest, sizeof dest, into ? "%s/%s" : "%s", to, base);
		if (rename(argv[i], dest) < 0) {
			fprintf(stderr, "mv: %s -> %s: %s\n", argv[i], dest, strerror(errno));
			bad = 1;
		}
	}
	return bad;
}
