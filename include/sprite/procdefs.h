/* SPDX-License-Identifier: MIT */
/*
 * The process manager's plain definitions: the pid's layout, signal
 * numbers, wait statuses, states. sprite/proc.h has the interface.
 */
#ifndef SPRITE_PROCDEFS_H
#define SPRITE_PROCDEFS_H

#define PROC_PID(gen, host, slot) ((int32_t)(((gen) << 16) | ((host) << 8) | (slot)))
#define PROC_PID_HOST(pid)        (((uint32_t)(pid) >> 8) & 0xff)
#define PROC_PID_SLOT(pid)        ((uint32_t)(pid)&0xff)
#define PROC_MAX                  64 /* processes per host */
#define PROC_FD_MAX               16 /* descriptors handed to a new process */
#define PROC_NAME_MAX             24

/* The argument string that tells crt0 it was started by proc. */
#define PROC_START_ARGS "@proc"

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

/* wait status, as Unix encodes it: exit status << 8, or the signal. */
#define PROC_WEXITED(code)  (((code)&0xff) << 8)
#define PROC_WSIGNALED(sig) ((sig)&0x7f)
#define PROC_WCOREFLAG      0x80

#define PROC_WNOHANG 1

/* The states ps shows. */
#define PROC_RUNNING 1
#define PROC_ZOMBIE  2

/* What a signal does to a process (sigaction). */
#define PROC_SIG_DFL   0
#define PROC_SIG_IGN   1
#define PROC_SIG_CATCH 2

#endif
