/* SPDX-License-Identifier: MIT */
/*
 * grep [-v] [-c] [-n] [-i] PATTERN [FILE...]: the lines that match
 * PATTERN, a basic regular expression: literal characters, '.' (any), '*'
 * (the one before, any number of times), '^' and '$' (the line's ends),
 * [set] and [^set], '\' quoting the next. -v: the lines that do not; -c:
 * how many; -n: with line numbers; -i: ignoring case. Status 0 if a line
 * was selected, 1 if none, 2 on an error.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static int invert, counting, numbers, nocase;

static int same(char a, char b)
{
	return nocase ? tolower((unsigned char)a) == tolower((unsigned char)b) : a == b;
}

/* Does one pattern item at p match c? *len: the item's length. */
static int item(const char *p, char c, int *len)
{
	if (*p == '\\' && p[1]) {
		*len = 2;
		return same(p[1], c);
	}
	if (*p == '.') {
		*len = 1;
		return 1;
	}
	if (*p == '[') {
		const char *q = p + 1;
		int neg = *q == '^', hit = 0;
		q += neg;
		do {
			if (q[1] == '-' && q[2] && q[2] != ']') {
				hit |= (unsigned char)c >= (unsigned char)q[0] &&
				       (unsigned char)c <= (unsigned char)q[2];
				q += 3;
			} else {
				hit |= same(*q, c);
				q++;
			}
		} while (*q && *q != ']');
		*len = (int)(q - p) + (*q == ']');
		return hit != neg;
	}
	*len = 1;
	return same(*p, c);
}

static int match_here(const char *p, const char *s, int depth)
{
	if (depth > 1000)
		return 0;
	if (!*p)
		return 1;
	if (p[0] == '$' && !p[1])
		return !*s;
	int len;
	if (p[0] != '\\' || !p[1]) {
		item(p, 'a', &len); /* only its length */
	} else {
		len = 2;
	}
	if (p[len] == '*') {
		do {
			if (match_here(p + len + 1, s, depth + 1))
				return 1;
		} while (*s && item(p, *s++, &len));
		return 0;
	}
	return *s && item(p, *s, &len) && match_here(p + len, s + 1, depth + 1);
}

static int matches(const char *p, const char *s)
{
	if (*p == '^')
		return match_here(p + 1, s, 0);
	do {
		if (match_here(p, s, 0))
			return 1;
	} while (*s++);
	return 0;
}

static long found;

static int scan(FILE *f, const char *pat, const char *name, int many)
{
	char line[4096];
	long n = 0;
	while (fgets(line, sizeof line, f)) {
		n++;
		size_t len = strlen(line);
		if (len && line[len - 1] == '\n')
			line[--len] = 0;
		if (matches(pat, line) == invert)
			continue;
		found++;
		if (counting)
			continue;
		if (many)
			printf("%s:", name);
		if (numbers)
			printf("%ld:", n);
		printf("%s\n", line);
	}
	return ferror(f) ? 2 : 0;
}

int main(int argc, char **argv)
{
	int i = 1, bad = 0;
	for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++)
		for (const char *o = argv[i] + 1; *o; o++) {
			if (*o == 'v')
				invert = 1;
			else if (*o == 'c')
				counting = 1;
			else if (*o == 'n')
				numbers = 1;
			else if (*o == 'i')
				nocase = 1;
			else {
				fprintf(stderr,
				        "usage: grep [-v] [-c] [-n] [-i] PATTERN [FILE...]\n");
				return 2;
			}
		}
	if (i == argc) {
		fprintf(stderr, "usage: grep [-v] [-c] [-n] [-i] PATTERN [FILE...]\n");
		return 2;
	}
	const char *pat = argv[i++];
	int many = argc - i > 1;
	if (i == argc)
		bad = scan(stdin, pat, "-", 0);
	for (; i < argc; i++) {
		FILE *f = fopen(argv[i], "r");
		if (!f) {
			fprintf(stderr, "grep: %s: %s\n", argv[i], strerror(errno));
			bad = 2;
			continue;
		}
		bad |= scan(f, pat, argv[i], many);
		fclose(f);
	}
	if (counting)
		printf("%ld\n", found);
	return bad ? 2 : found ? 0 : 1;
}
