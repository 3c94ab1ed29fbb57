/* SPDX-License-Identifier: MIT */
/*
 * The handler table sprig_sigtramp (sigtramp.S) calls from: the minimal
 * plumbing a process manager's signals sit on. POSIX signal() and
 * sigaction() come later, elsewhere.
 *
 * Entry points: sigtramp_set_handler; sprig_sighandlers (for sigtramp.S).
 */
#include "lib/c/libc.h"

_Static_assert(SYS_SIGRETURN == 24 && SIGTRAMP_MAX == 32, "the numbers sigtramp.S uses");

void (*sprig_sighandlers[SIGTRAMP_MAX])(int);

/* fn runs (with the signal number) when sprig_sigtramp gets sig; NULL
 * ignores it. -EINVAL for a number out of range. */
int sigtramp_set_handler(int sig, void (*fn)(int))
{
	if (sig < 0 || sig >= SIGTRAMP_MAX)
		return -EINVAL;
	sprig_sighandlers[sig] = fn;
	return 0;
}
