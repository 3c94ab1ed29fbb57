/* SPDX-License-Identifier: MIT */
/* head [-n N] [FILE...]: the first N lines (10) of each file or of
 * standard input. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int head(int fd, const char *name, long lines)
{
	static char buf[4096];
	ssize_t n;
	while (lines > 0 && (n = read(fd, buf, sizeof buf)) > 0) {
		ssize_t i = 0;
		while (i < n && lines > 0)
			if (buf[i++] == '\n')
				lines--;
		if (write(1, buf, (size_t)i) != i)
			return 1;
	}
	(void)name;
	return 0;
}

int main(int argc, char **argv)
{
	long lines = 10;
	int i = 1, bad = 0;
	if (argc > 2 && !strcmp(argv[1], "-n")) {
		lines = strtol(argv[2], NULL, 10);
		i = 3;
	}
	if (i == argc)
		return head(0, "-", lines);
	for (int first = i; i < argc; i++) {
		int fd = open(argv[i], O_RDONLY);
		if (fd < 0) {
			fprintf(stderr, "head: %s: %s\n", argv[i], strerror(errno));
			bad = 1;
			continue;
		}
		if (argc - first > 1)
			printf("%s==> %s <==\n", i > first ? "\n" : "", argv[i]), fflush(stdout);
		bad |= head(fd, argv[i], lines);
		close(fd);
	}
	return bad;
}
