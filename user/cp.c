/* SPDX-License-Identifier: MIT */
/* cp FROM TO, cp FROM... DIR: copies files (into DIR, keeping the names). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int copy(const char *from, const char *to)
{
	static char buf[8192];
	int in = open(from, O_RDONLY);
	if (in < 0) {
		fprintf(stderr, "cp: %s: %s\n", from, strerror(errno));
		return 1;
	}
	int out = open(to, O_WRONLY | O_CREAT | O_TRUNC, 0666);
	if (out < 0) {
		fprintf(stderr, "cp: %s: %s\n", to, strerror(errno));
		close(in);
		return 1;
	}
	ssize_t n;
	int bad = 0;
	while ((n = read(in, buf, sizeof buf)) > 0)
		if (write(out, buf, (size_t)n) != n) {
			fprintf(stderr, "cp: %s: %s\n", to, strerror(errno));
			bad = 1;
			break;
		}
	if (n < 0) {
		fprintf(stderr, "cp: %s: %s\n", from, strerror(errno));
		bad = 1;
	}
	close(in);
	close(out);
	return bad;
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: cp FROM TO, or cp FROM... DIR\n");
		return 2;
	}
	struct stat st;
	const char *to = argv[argc - 1];
	int into = stat(to, &st) == 0 && S_ISDIR(st.st_mode), bad = 0;
	if (argc > 3 && !into) {
		fprintf(stderr, "cp: %s: not a directory\n", to);
		return 1;
	}
	for (int i = 1; i < argc - 1; i++) {
		char dest[1100];
		const char *base = strrchr(argv[i], '/') ? strrchr(argv[i], '/') + 1 : argv[i];
		snprintf(dest, sizeof dest, into ? "%s/%s" : "%s", to, base);
		bad |= copy(argv[i], dest);
	}
	return bad;
}
