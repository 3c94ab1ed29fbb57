/* SPDX-License-Identifier: MIT */
/* sleep SECONDS: waits that long (a decimal fraction is allowed: 0.5). */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: sleep SECONDS\n");
		return 2;
	}
	char *end;
	long whole = strtol(argv[1], &end, 10);
	long ms = whole * 1000;
	if (*end == '.') {
		long scale = 100;
		for (end++; *end >= '0' && *end <= '9'; end++, scale /= 10)
			ms += (*end - '0') * scale;
	}
	if (*end || whole < 0) {
		fprintf(stderr, "sleep: invalid time interval '%s'\n", argv[1]);
		return 2;
	}
	return usleep((useconds_t)ms * 1000) == 0 ? 0 : 1;
}
