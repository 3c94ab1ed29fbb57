/* SPDX-License-Identifier: MIT */
/* wc [-l] [-w] [-c] [FILE...]: lines, words and bytes of each file
 * (standard input for none), and a total for several; the options pick
 * which counts are shown (all three without one). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static long total[3];
static int show[3] = {1, 1, 1};

static void print(const long c[3], const char *name)
{
	int first = 1, columns = show[0] + show[1] + show[2];
	for (int i = 0; i < 3; i++)
		if (show[i]) { /* one count of standard input: unpadded, as GNU's wc */
			printf(columns == 1 && !name[0] ? "%ld" : first ? "%7ld" : " %7ld", c[i]);
			first = 0;
		}
	printf("%s%s\n", name[0] ? " " : "", name);
}

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
	print(c, name);
	for (int i = 0; i < 3; i++)
		total[i] += c[i];
	return 0;
}

int main(int argc, char **argv)
{
	int bad = 0, i = 1;
	if (argc > 1 && argv[1][0] == '-' && argv[1][1]) {
		show[0] = show[1] = show[2] = 0;
		for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++)
			for (const char *o = argv[i] + 1; *o; o++) {
				const char *at = strchr("lwc", *o);
				if (!at) {
					fprintf(stderr, "usage: wc [-l] [-w] [-c] [FILE...]\n");
					return 2;
				}
				show[at - "lwc"] = 1;
			}
	}
	int first = i;
	if (i == argc)
		return count(0, "");
	for (; i < argc; i++) {
		int fd = open(argv[i], O_RDONLY);
		if (fd < 0) {
			fprintf(stderr, "wc: %s: %s\n", argv[i], strerror(errno));
			bad = 1;
			continue;
		}
		bad |= count(fd, argv[i]);
		close(fd);
	}
	if (argc - first > 1)
		print(total, "total");
	return bad;
}
