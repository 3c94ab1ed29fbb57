/* SPDX-License-Identifier: MIT */
/* wc [FILE...]: lines, words and bytes of each file (standard input for
 * none), and a total for several. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static long total[3];

static int count(int fd, const char *name)
{
	static char buf[8192];
	long c[3] = {0, 0, 0};
	int inword = 0;
	ssize_t n;
	while ((n = read(fd, buf, sizeof buf)) > 0) {
		for (ssize_t i = 0; i < n; i++) {
			char ch = buf[i];
			c[0] += ch == '\n';
			int space = ch == ' ' || ch == '\n' || ch == '\t' || ch == '\r' ||
			            ch == '\v' || ch == '\f';
			c[1] += !space && !inword;
			inword = !space;
		}
		c[2] += n;
	}
	if (n < 0) {
		fprintf(stderr, "wc: %s: %s\n", name, strerror(errno));
		return 1;
	}
	printf("%7ld %7ld %7ld%s%s\n", c[0], c[1], c[2], name[0] ? " " : "", name);
	for (int i = 0; i < 3; i++)
		total[i] += c[i];
	return 0;
}

int main(int argc, char **argv)
{
	int bad = 0;
	if (argc < 2)
		return count(0, "");
	for (int i = 1; i < argc; i++) {
		int fd = open(argv[i], O_RDONLY);
		if (fd < 0) {
			fprintf(stderr, "wc: %s: %s\n", argv[i], strerror(errno));
			bad = 1;
			continue;
		}
		bad |= count(fd, argv[i]);
		close(fd);
	}
	if (argc > 2)
		printf("%7ld %7ld %7ld total\n", total[0], total[1], total[2]);
	return bad;
}
