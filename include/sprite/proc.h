/* SPDX-License-Identifier: MIT */
/*
 * The process manager's interface (servers/proc). Every process holds its
 * own door to proc, whose object is that process: proc knows who calls
 * without trusting an argument, and a domain holding no such door cannot
 * ask proc anything. A process started by proc finds that door in
 * sprig_start_door and asks it for its start-up block (arguments,
 * environment, descriptors).
 *
 * A pid names its home host, as Sprite's do: generation << 16 | host << 8
 * | slot. Signal numbers are Unix's.
 */
#ifndef SPRITE_PROC_H
#define SPRITE_PROC_H

#include "lib/doors/doors.h"

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

struct proc_none {
	uint32_t unused;
};

struct proc_ids {
	int32_t pid, ppid, pgrp, host;
};

/* spawn and exec: io.in holds the arguments then the environment, each
 * string NUL-terminated, the two lists ended by an empty string. The
 * descriptors staged with stage go to the new process. */
struct proc_spawn_in {
	uint32_t flags;
};

/* stage: the door in io.in_door becomes descriptor fd of the next process
 * this one spawns, forks or execs into (fd -1: forget the staged ones). */
struct proc_stage_in {
	int32_t fd;
};

/* fork: the child starts at eip with esp, eax = 0 and ebx its own door to
 * proc; with shared, its data and heap are the parent's (Sprite's shared
 * fork: not yet). status: the child's pid. */
struct proc_fork_in {
	uint32_t eip, esp, shared;
};

struct proc_wait_in {
	int32_t pid;      /* > 0: that child; -1: any; < -1: any in group -pid */
	uint32_t options; /* PROC_WNOHANG */
};
struct proc_wait_out {
	int32_t pid, status;
};

struct proc_kill_in {
	int32_t pid; /* > 0: that process; < -1 or 0: a process group */
	int32_t sig;
};

struct proc_pgid_in {
	int32_t pid, pgid; /* setpgid: 0 means the caller / its pid */
};

/* sigaction: what to do with sig: SIG_DFL 0, SIG_IGN 1, or catch it by
 * entering handler (the library's trampoline) with eax = sig. */
#define PROC_SIG_DFL   0
#define PROC_SIG_IGN   1
#define PROC_SIG_CATCH 2
struct proc_sigaction_in {
	int32_t sig;
	uint32_t how, handler;
};

/* The start-up block a new process asks for (startup). */
struct proc_start {
	int32_t fds[PROC_FD_MAX]; /* this domain's door id for each descriptor, or -1 */
	uint32_t argc, envc;      /* then the strings, as spawn takes them */
};

/* One row of the listing (list answers as many as fit). */
struct proc_entry {
	int32_t pid, ppid, pgrp, state, status;
	uint32_t home, current; /* hosts */
	char name[PROC_NAME_MAX];
};

/* drivers: the door in io.in_door (served by the caller) is bound to the
 * interrupt line the caller was started to drive; answers the line's door
 * (ack it with kobj_irq_ack). */
struct proc_irq_in {
	uint32_t line;
};

/* shutdown: every process is killed, then proc itself ends (and with the
 * nucleus's poweroff=idle the machine turns off). */

#define PROC_OPS(OP)                                                                               \
	OP(proc, ids, 1, struct proc_none, struct proc_ids)                                        \
	OP(proc, startup, 2, struct proc_none, struct proc_none, DOOR_IO)                          \
	OP(proc, stage, 3, struct proc_stage_in, struct proc_none, DOOR_IO)                        \
	OP(proc, spawn, 4, struct proc_spawn_in, struct proc_none, DOOR_IO)                        \
	OP(proc, exec, 5, struct proc_spawn_in, struct proc_none, DOOR_IO)                         \
	OP(proc, fork, 6, struct proc_fork_in, struct proc_none)                                   \
	OP(proc, wait, 7, struct proc_wait_in, struct proc_wait_out)                               \
	OP(proc, kill, 8, struct proc_kill_in, struct proc_none)                                   \
	OP(proc, setpgid, 9, struct proc_pgid_in, struct proc_none)                                \
	OP(proc, sigaction, 10, struct proc_sigaction_in, struct proc_none)                        \
	OP(proc, list, 11, struct proc_none, struct proc_none, DOOR_IO)                            \
	OP(proc, irq, 12, struct proc_irq_in, struct proc_none, DOOR_IO)                           \
	OP(proc, shutdown, 13, struct proc_none, struct proc_none)

DOOR_INTERFACE(proc, PROC_OPS)

#endif
