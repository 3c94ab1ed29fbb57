/* SPDX-License-Identifier: MIT */
/*
 * The process table's rules (table.h). Plain C over the entries: no doors,
 * no locks (proc holds its lock around every call).
 *
 * Entry points: ptable_alloc, ptable_find, ptable_wait_matches,
 * ptable_wait_pick, ptable_reparent, ptable_end_status, ptable_sig_action,
 * ptable_parse_args.
 */
#include "servers/proc/table.h"

#include <sprig/kobj.h>
#include <stddef.h>

#include "lib/c/libc.h"

/* A free slot, cleared, with a new pid: generation << 16 | host << 8 |
 * slot. Slot 0 is never used, so no pid is 0. */
struct pentry *ptable_alloc(const struct ptable *t)
{
	for (int i = 1; i < t->n && i < 256; i++) {
		struct pentry *p = ptable_at(t, i);
		if (p->used)
			continue;
		uint32_t gen = (p->gen + 1) & 0x7fff;
		if (gen == 0)
			gen = 1;
		memset(p, 0, t->stride);
		p->used = 1;
		p->gen = gen;
		p->pid = PROC_PID(gen, t->host, (uint32_t)i);
		return p;
	}
	return NULL;
}

struct pentry *ptable_find(const struct ptable *t, int32_t pid)
{
	if (pid <= 0 || PROC_PID_HOST(pid) != t->host || PROC_PID_SLOT(pid) >= (uint32_t)t->n)
		return NULL;
	struct pentry *p = ptable_at(t, (int)PROC_PID_SLOT(pid));
	return p->used && p->pid == pid ? p : NULL;
}

/* Does child c match a wait for pid by parent? pid > 0: that child; -1:
 * any; 0: any in the parent's group; < -1: any in group -pid. */
int ptable_wait_matches(const struct pentry *c, const struct pentry *parent, int32_t pid)
{
	if (!c->used || c->ppid != parent->pid)
		return 0;
	if (pid > 0)
		return c->pid == pid;
	if (pid < -1)
		return c->pgrp == -pid;
	return pid == -1 || c->pgrp == parent->pgrp;
}

struct pentry *ptable_wait_pick(const struct ptable *t, const struct pentry *parent, int32_t pid,
                                int *children)
{
	*children = 0;
	for (int i = 0; i < t->n; i++) {
		struct pentry *c = ptable_at(t, i);
		if (!ptable_wait_matches(c, parent, pid))
			continue;
		++*children;
		if (c->state == PROC_ZOMBIE)
			return c;
	}
	return NULL;
}

/* The children of dead go to init. */
void ptable_reparent(const struct ptable *t, int32_t dead, int32_t init)
{
	for (int i = 0; i < t->n; i++) {
		struct pentry *c = ptable_at(t, i);
		if (c->used && c->ppid == dead)
			c->ppid = init;
	}
}

/* The wait status a domain's end gives: its exit status; the signal that
 * killed it (proc kills with the signal number as status); a fault as the
 * signal Unix sends for it, with the core flag; anything else SIGKILL. */
int32_t ptable_end_status(uint32_t cause, int32_t status)
{
	switch (cause) {
	case KOBJ_END_EXIT: return PROC_WEXITED(status);
	case KOBJ_END_KILLED: return PROC_WSIGNALED(status > 0 && status < NSIG ? status : SIGKILL);
	case KOBJ_END_FAULT:
		switch (status) { /* the vector */
		case 0:           /* divide error */
		case 16:          /* x87 */
		case 19: /* SIMD */ return PROC_WSIGNALED(SIGFPE) | PROC_WCOREFLAG;
		case 6: /* invalid opcode */ return PROC_WSIGNALED(SIGILL) | PROC_WCOREFLAG;
		case 1:
		case 3: return PROC_WSIGNALED(SIGTRAP) | PROC_WCOREFLAG;
		case 17: /* alignment check */ return PROC_WSIGNALED(SIGBUS) | PROC_WCOREFLAG;
		default: return PROC_WSIGNALED(SIGSEGV) | PROC_WCOREFLAG;
		}
	default: return PROC_WSIGNALED(SIGKILL);
	}
}

/* What sig does to p: nothing (ignored, or a default of ignoring), enter
 * its handler, or end it. SIGKILL always ends it. */
enum sig_action ptable_sig_action(const struct pentry *p, int sig)
{
	if (!p->used || p->state != PROC_RUNNING || sig <= 0 || sig >= NSIG)
		return SIG_ACT_NONE;
	uint8_t how = sig == SIGKILL ? PROC_SIG_DFL : p->sig_how[sig];
	if (how == PROC_SIG_IGN)
		return SIG_ACT_NONE;
	if (how == PROC_SIG_CATCH)
		return SIG_ACT_CATCH;
	return sig == SIGCHLD ? SIG_ACT_NONE : SIG_ACT_KILL;
}

/* The path, then the arguments and then the environment, each list ended
 * by an empty string; at least one argument; nothing after. */
int ptable_parse_args(const char *b, uint32_t n, uint32_t *argc, uint32_t *envc)
{
	uint32_t counts[2] = {0, 0};
	if (!b || n == 0)
		return 0;
	uint32_t at = (uint32_t)strnlen(b, n) + 1; /* the path */
	if (at > n || at == 1)
		return 0;
	for (int list = 0; list < 2; list++) {
		for (;;) {
			if (at >= n)
				return 0;
			uint32_t len = (uint32_t)strnlen(b + at, n - at);
			if (at + len >= n)
				return 0; /* no terminating NUL */
			at += len + 1;
			if (len == 0)
				break;
			counts[list]++;
		}
	}
	*argc = counts[0];
	*envc = counts[1];
	return counts[0] > 0 && at == n;
}
