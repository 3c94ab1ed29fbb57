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

#include <sprite/procdefs.h>

#include "lib/doors/doors.h"

struct proc_none {
	uint32_t unused;
};

/* 12 bytes, so that getpid rides the fast path; the host is in the pid. */
struct proc_ids {
	int32_t pid, ppid, pgrp;
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

/* sigaction: what to do with sig (PROC_SIG_*, sprite/procdefs.h); a
 * caught signal enters handler (the library's trampoline) with eax = sig. */
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
