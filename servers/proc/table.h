/* SPDX-License-Identifier: MIT */
/*
 * The process table's rules, apart from the doors and domains that carry
 * them out (proc.c), so that host unit tests can check them: pids and
 * slots, which children a wait matches, the wait status a domain's end
 * gives, what a signal does to a process, orphans, and the start-up
 * strings a spawn carries.
 */
#ifndef SPRIG_PROC_TABLE_H
#define SPRIG_PROC_TABLE_H

#include <sprite/procdefs.h>
#include <stdint.h>

/* The table's part of a process. */
struct pentry {
	int used;
	int32_t pid, ppid, pgrp;
	int state;             /* PROC_RUNNING, PROC_ZOMBIE */
	int32_t status;        /* the wait status, once a zombie */
	uint32_t gen;          /* bumped each time the slot is reused: the pid's generation */
	uint8_t sig_how[NSIG]; /* PROC_SIG_* */
};

/* A process table: n entries of `stride` bytes, each starting with a
 * struct pentry (proc embeds it in a larger record). */
struct ptable {
	void *base;
	int n;
	uint32_t stride;
	uint32_t host;
};

static inline struct pentry *ptable_at(const struct ptable *t, int i)
{
	return (struct pentry *)((char *)t->base + (uint32_t)i * t->stride);
}

struct pentry *ptable_alloc(const struct ptable *t);             /* NULL when full */
struct pentry *ptable_find(const struct ptable *t, int32_t pid); /* NULL if none */
int ptable_wait_matches(const struct pentry *c, const struct pentry *parent, int32_t pid);
/* For a wait by parent for pid: the zombie to reap, or NULL; *children
 * says how many match at all. */
struct pentry *ptable_wait_pick(const struct ptable *t, const struct pentry *parent, int32_t pid,
                                int *children);
void ptable_reparent(const struct ptable *t, int32_t dead, int32_t init);

/* The wait status of a domain's end (a struct kobj_notice's cause and status). */
int32_t ptable_end_status(uint32_t cause, int32_t status);

enum sig_action { SIG_ACT_NONE, SIG_ACT_CATCH, SIG_ACT_KILL };
enum sig_action ptable_sig_action(const struct pentry *p, int sig);

/* Checks a spawn's strings (path, arguments, environment); 0 if malformed. */
int ptable_parse_args(const char *b, uint32_t n, uint32_t *argc, uint32_t *envc);

#endif
