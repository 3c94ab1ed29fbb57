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

#define SIGHUP  1
#define SIGINT  2
#define SIGQUIT 3
#define SIGILL  4
#define SIGTRAP 5
#define SIGABRT 6
#define SIGBUS  7
#define SIGFPE  8
#define SIGKILL 9
#define SIGUSR1 10
#define SIGSEGV 11
#define SIGUSR2 12
#define SIGPIPE 13
#define SIGALRM 14
#define SIGTERM 15
#define SIGCHLD 17
#define NSIG    32

typedef void (*sighandler_t)(int);
#define SIG_DFL ((sighandler_t)0)
#define SIG_IGN ((sighandler_t)1)
#define SIG_ERR ((sighandler_t)-1)

sighandler_t signal(int sig, sighandler_t handler);
int kill(pid_t pid, int sig);
int raise(int sig);
const char *strsignal(int sig);

#endif
