/* SPDX-License-Identifier: MIT */
/* hello: the smallest domain. Prints a greeting and its arguments. */
#include "lib/c/libc.h"

int main(int argc, char **argv)
{
	printf("hello: hello from user space (thread %d)\n", thread_self());
	for (int i = 1; i < argc; i++)
		printf("hello: argv[%d] = %s\n", i, argv[i]);
	return 0;
}
