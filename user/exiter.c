/* SPDX-License-Identifier: MIT */
/*
 * exiter HOW: the ways a domain ends. `return`: main returns 3 while another
 * thread sleeps (the nucleus must end that one too); `thread-exit`: the only
 * thread exits without ending the domain explicitly; `sleeping`: exits while
 * another thread is in a long sleep through domain_exit(5).
 */
#include "lib/c/libc.h"

static char stack[4096] __attribute__((aligned(16)));

static void sleeper(void *arg)
{
	(void)arg;
	sleep_ms(100000);
	printf("exiter: FAIL: the sleeper woke up\n");
}

int main(int argc, char **argv)
{
	const char *how = argc > 1 ? argv[1] : "return";
	printf("exiter: ending by '%s'\n", how);
	if (!strcmp(how, "thread-exit"))
		thread_exit();
	thread_create(sleeper, NULL, stack, sizeof stack);
	yield(); /* let the sleeper go to sleep */
	if (!strcmp(how, "sleeping"))
		domain_exit(5);
	return 3;
}
