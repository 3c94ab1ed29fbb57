/* SPDX-License-Identifier: MIT */
/* cat [FILE...]: writes each file (standard input for none or "-") to
 * standard output. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static int copy(int fd, const char *name)
{
	static char buf[8192];
	ssize_t n;
	while ((n = read(fd, buf, sizeof buf)) > 0) {
		for (ssize_t done = 0; done < n;) {
			ssize_t put = write(1, buf + done, (size_t)(n - done));
			if (put <= 0) {
				if (errno != EPIPE)
					fprintf(stderr, "cat: write: %s\n", strerror(errno));
				return 1;
			}
			done += put;
		}
	}
	if (n < 0) {
		fprintf(stderr, "cat: %s: %s\n", name, strerror(errno));
		return 1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	int bad = 0;
	if (argc < 2)
		return copy(0, "-");
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-")) {
			bad |= copy(0, "-");
			continue;
		}
		int fd = open(argv[i], O_RDONLY);
		if (fd < 0) {
			fprintf(stderr, "cat: %s: %s\n", argv[i], strerror(errno));
			bad = 1;
			continue;
		}
		bad |= copy(fd, argv[i]);
		close(fd);
	}
	return bad;
}
