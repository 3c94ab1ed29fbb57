/* SPDX-License-Identifier: MIT */
/* echo [-n] [ARG...]: writes the arguments, separated by spaces, and a
 * newline (none with -n). */
#include <stdio.h>
#include <string.h>

int main(int argc, char **argv)
{
	int i = 1, newline = 1;
	if (argc > 1 && !strcmp(argv[1], "-n")) {
		newline = 0;
		i++;
	}
	for (int first = i; i < argc; i++)
		printf("%s%s", i > first ? " " : "", argv[i]);
	if (newline)
		printf("\n");
	return fflush(stdout) == 0 ? 0 : 1;
}
