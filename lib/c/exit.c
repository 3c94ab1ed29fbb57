/* SPDX-License-Identifier: MIT */
/*
 * Ending the program: atexit, exit (handlers, then every stream flushed),
 * _Exit and _exit (at once), abort, and assert's report.
 *
 * Entry points: atexit, exit, _Exit, _exit, abort, __assert_fail.
 */
#include <stdio.h>
#include <stdlib.h>

#include "lib/c/libc.h"

#define ATEXIT_MAX 32

static struct {
	void (*fn[ATEXIT_MAX])(void);
	int n;
} exit_handlers;

/* Registers fn to run at exit, the last registered first; -1 when full. */
int atexit(void (*fn)(void))
{
	if (exit_handlers.n == ATEXIT_MAX)
		return -1;
	exit_handlers.fn[exit_handlers.n++] = fn;
	return 0;
}

/* Runs the atexit handlers, flushes every stream and ends the domain. */
void exit(int status)
{
	while (exit_handlers.n > 0)
		exit_handlers.fn[--exit_handlers.n]();
	fflush(NULL);
	_exit(status);
}

void _Exit(int status)
{
	_exit(status);
}

void _exit(int status)
{
	domain_exit(status);
}

/* Ends the program at once with status 134 (128 + SIGABRT, as a shell
 * reports an abort); streams are not flushed. */
void abort(void)
{
	static const char msg[] = "abort\n";
	fputs(sprig_progname, stderr);
	fwrite(": ", 1, 2, stderr);
	fwrite(msg, 1, sizeof msg - 1, stderr);
	_exit(134);
}

void __assert_fail(const char *expr, const char *file, int line, const char *func)
{
	fprintf(stderr, "%s: %s:%d: %s: assertion '%s' failed\n", sprig_progname, file, line, func,
	        expr);
	abort();
}
