/* SPDX-License-Identifier: MIT */
/* ls [-l] [-a] [FILE...]: lists directories (sorted by name; -a shows
 * names starting with '.'), or names the files given; -l in the long
 * form: type and mode, links, size, name (-> target for a link). */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int longform, all;

static void mode_string(unsigned mode, char *s)
{
	s[0] = S_ISDIR(mode)    ? 'd'
	       : S_ISLNK(mode)  ? 'l'
	       : S_ISCHR(mode)  ? 'c'
	       : S_ISBLK(mode)  ? 'b'
	       : S_ISFIFO(mode) ? 'p'
	                        : '-';
	const char *rwx = "rwxrwxrwx";
	for (int i = 0; i < 9; i++)
		s[1 + i] = mode & (0400u >> i) ? rwx[i] : '-';
	s[10] = 0;
}

static void show(const char *path, const char *name)
{
	if (!longform) {
		printf("%s\n", name);
		return;
	}
	struct stat st;
	if (lstat(path, &st) < 0) {
		fprintf(stderr, "ls: %s: %s\n", path, strerror(errno));
		return;
	}
	char mode[11], target[256] = "";
	mode_string(st.st_mode, mode);
	if (S_ISLNK(st.st_mode)) {
		ssize_t n = readlink(path, target, sizeof target - 1);
		target[n > 0 ? n : 0] = 0;
	}
	printf("%s %3u %8ld %s%s%s\n", mode, st.st_nlink, (long)st.st_size, name,
	       target[0] ? " -> " : "", target);
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int list_dir(const char *path, int header)
{
	DIR *d = opendir(path);
	if (!d) {
		fprintf(stderr, "ls: %s: %s\n", path, strerror(errno));
		return 1;
	}
	char **names = NULL;
	size_t n = 0, cap = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.' && !all)
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 32;
			names = realloc(names, cap * sizeof *names);
		}
		names[n++] = strdup(e->d_name);
	}
	closedir(d);
	qsort(names, n, sizeof *names, by_name);
	if (header)
		printf("%s:\n", path);
	for (size_t i = 0; i < n; i++) {
		char full[1100];
		snprintf(full, sizeof full, "%s/%s", path, names[i]);
		show(full, names[i]);
		free(names[i]);
	}
	free(names);
	return 0;
}

int main(int argc, char **argv)
{
	int i = 1, bad = 0;
	for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
		for (const char *f = argv[i] + 1; *f; f++) {
			if (*f == 'l')
				longform = 1;
			else if (*f == 'a')
				all = 1;
			else {
				fprintf(stderr, "ls: unknown option -%c (ls [-l] [-a] [FILE...])\n",
				        *f);
				return 2;
			}
		}
	}
	if (i == argc)
		return list_dir(".", 0);
	int many = argc - i > 1;
	for (; i < argc; i++) {
		struct stat st;
		if (stat(argv[i], &st) < 0 && lstat(argv[i], &st) < 0) {
			fprintf(stderr, "ls: %s: %s\n", argv[i], strerror(errno));
			bad = 1;
		} else if (S_ISDIR(st.st_mode)) {
			bad |= list_dir(argv[i], many);
		} else {
			show(argv[i], argv[i]);
		}
	}
	return bad;
}
