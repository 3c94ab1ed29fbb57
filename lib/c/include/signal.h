/* SPDX-License-Identifier: MIT */
/*
 * Signals (lib/c/proc.c): the process manager keeps what each signal does
 * to a process; a caught signal enters the handler through the nucleus's
 * signal upcall (sprig/signal.h) at the process's next way out of the
 * nucleus. A blocked sleep or read ends with EINTR.
 */
#ifndef SPRIG_SIGNAL_UH
#define SPRIG_SIGNAL_UH

#include <sys/types.h>

#include <sprite/procdefs.h> /* the signal numbers: SIGHUP ... NSIG */

typedef void (*sighandler_t)(int);
#define SIG_DFL ((sighandler_t)0)
#define SIG_IGN ((sighandler_t)1)
#define SIG_ERR ((sighandler_t)-1)

sighandler_t signal(int sig, sighandler_t handler);
int kill(pid_t pid, int sig);
int raise(int sig);
const char *strsignal(int sig);

#endif
