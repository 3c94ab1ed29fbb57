/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for the process table's rules (servers/proc/table.c): pids
 * with their host and generation, slots reused, which children a wait
 * matches and reaps, orphans going to init, the wait status of each way a
 * domain ends, what each signal does under each disposition, and the
 * spawn strings, malformed ones included.
 */
#include "tests/unit/host.h"

#include <string.h>

#include "servers/proc/table.h"
#include <sprig/kobj.h>

/* proc embeds the entry in a larger record; so do the tests. */
struct rec {
	struct pentry e;
	char other[40];
};

static struct rec recs[PROC_MAX];
static struct ptable t;

static int setup(void **state)
{
	(void)state;
	memset(recs, 0, sizeof recs);
	t = (struct ptable){recs, PROC_MAX, sizeof(struct rec), 3};
	return 0;
}

static struct pentry *spawn(int32_t ppid, int32_t pgrp)
{
	struct pentry *p = ptable_alloc(&t);
	assert_non_null(p);
	p->ppid = ppid;
	p->pgrp = pgrp ? pgrp : p->pid;
	p->state = PROC_RUNNING;
	return p;
}

static void test_pids_name_host_slot_and_generation(void **state)
{
	(void)state;
	struct pentry *a = ptable_alloc(&t);
	assert_non_null(a);
	assert_int_equal(PROC_PID_HOST(a->pid), 3);
	assert_int_equal(PROC_PID_SLOT(a->pid), 1); /* slot 0 is never used */
	assert_int_equal(a->pid >> 16, 1);
	assert_ptr_equal(ptable_find(&t, a->pid), a);
	int32_t old = a->pid;
	a->used = 0;
	struct pentry *b = ptable_alloc(&t);
	assert_ptr_equal(b, a);
	assert_int_not_equal(b->pid, old); /* a new generation: the old pid is stale */
	assert_null(ptable_find(&t, old));
	assert_null(ptable_find(&t, PROC_PID(b->gen, 4, 1))); /* another host's */
	assert_null(ptable_find(&t, 0));
	assert_null(ptable_find(&t, -5));
	assert_null(ptable_find(&t, PROC_PID(1, 3, 200))); /* past the table */
}

static void test_alloc_clears_and_fills_up(void **state)
{
	(void)state;
	memset(recs[1].other, 'x', sizeof recs[1].other);
	struct pentry *p = ptable_alloc(&t);
	assert_int_equal(((struct rec *)p)->other[0], 0); /* the whole record is cleared */
	for (int i = 2; i < PROC_MAX; i++)
		assert_non_null(ptable_alloc(&t));
	assert_null(ptable_alloc(&t));
}

static void test_wait_matches(void **state)
{
	(void)state;
	struct pentry *sh = spawn(0, 0);
	struct pentry *a = spawn(sh->pid, sh->pgrp); /* in the shell's group */
	struct pentry *b = spawn(sh->pid, 0);        /* a group of its own */
	struct pentry *other = spawn(0, b->pgrp);    /* b's group, not sh's child */
	assert_true(ptable_wait_matches(a, sh, a->pid));
	assert_false(ptable_wait_matches(a, sh, b->pid));
	assert_true(ptable_wait_matches(b, sh, -1));
	assert_true(ptable_wait_matches(a, sh, 0));
	assert_false(ptable_wait_matches(b, sh, 0));
	assert_true(ptable_wait_matches(b, sh, -b->pgrp));
	assert_false(ptable_wait_matches(a, sh, -b->pgrp));
	assert_false(ptable_wait_matches(other, sh, -1));
	assert_false(ptable_wait_matches(other, sh, other->pid));
}

static void test_wait_pick_reaps_only_zombies(void **state)
{
	(void)state;
	int children;
	struct pentry *sh = spawn(0, 0);
	assert_null(ptable_wait_pick(&t, sh, -1, &children));
	assert_int_equal(children, 0); /* the caller says ECHILD */
	struct pentry *a = spawn(sh->pid, 0);
	struct pentry *b = spawn(sh->pid, 0);
	assert_null(ptable_wait_pick(&t, sh, -1, &children));
	assert_int_equal(children, 2); /* it waits */
	b->state = PROC_ZOMBIE;
	assert_null(ptable_wait_pick(&t, sh, a->pid, &children));
	assert_int_equal(children, 1);
	assert_ptr_equal(ptable_wait_pick(&t, sh, -1, &children), b);
	assert_ptr_equal(ptable_wait_pick(&t, sh, b->pid, &children), b);
}

static void test_orphans_go_to_init(void **state)
{
	(void)state;
	struct pentry *init = spawn(0, 0);
	struct pentry *p = spawn(init->pid, 0);
	struct pentry *c1 = spawn(p->pid, 0), *c2 = spawn(p->pid, 0);
	c2->state = PROC_ZOMBIE;
	struct pentry *unrelated = spawn(init->pid, 0);
	ptable_reparent(&t, p->pid, init->pid);
	assert_int_equal(c1->ppid, init->pid);
	assert_int_equal(c2->ppid, init->pid); /* init reaps zombies too */
	assert_int_equal(unrelated->ppid, init->pid);
	int children;
	assert_ptr_equal(ptable_wait_pick(&t, init, -1, &children), c2);
}

static void test_end_status(void **state)
{
	(void)state;
	assert_int_equal(ptable_end_status(KOBJ_END_EXIT, 3), 0x300);
	assert_int_equal(ptable_end_status(KOBJ_END_EXIT, 256 + 4), 0x400); /* 8 bits kept */
	assert_int_equal(ptable_end_status(KOBJ_END_KILLED, SIGTERM), SIGTERM);
	assert_int_equal(ptable_end_status(KOBJ_END_KILLED, 0), SIGKILL);
	assert_int_equal(ptable_end_status(KOBJ_END_KILLED, 1000), SIGKILL);
	assert_int_equal(ptable_end_status(KOBJ_END_FAULT, 14), SIGSEGV | PROC_WCOREFLAG);
	assert_int_equal(ptable_end_status(KOBJ_END_FAULT, 13), SIGSEGV | PROC_WCOREFLAG);
	assert_int_equal(ptable_end_status(KOBJ_END_FAULT, 0), SIGFPE | PROC_WCOREFLAG);
	assert_int_equal(ptable_end_status(KOBJ_END_FAULT, 6), SIGILL | PROC_WCOREFLAG);
	assert_int_equal(ptable_end_status(KOBJ_END_FAULT, 3), SIGTRAP | PROC_WCOREFLAG);
	assert_int_equal(ptable_end_status(KOBJ_END_FAULT, 17), SIGBUS | PROC_WCOREFLAG);
	assert_int_equal(ptable_end_status(KOBJ_END_NUCLEUS, -1), SIGKILL);
	assert_int_equal(ptable_end_status(99, 0), SIGKILL);
}

static void test_signal_actions(void **state)
{
	(void)state;
	struct pentry *p = spawn(0, 0);
	assert_int_equal(ptable_sig_action(p, SIGTERM), SIG_ACT_KILL);
	assert_int_equal(ptable_sig_action(p, SIGINT), SIG_ACT_KILL);
	assert_int_equal(ptable_sig_action(p, SIGCHLD), SIG_ACT_NONE); /* ignored by default */
	p->sig_how[SIGINT] = PROC_SIG_IGN;
	assert_int_equal(ptable_sig_action(p, SIGINT), SIG_ACT_NONE);
	p->sig_how[SIGUSR1] = PROC_SIG_CATCH;
	assert_int_equal(ptable_sig_action(p, SIGUSR1), SIG_ACT_CATCH);
	p->sig_how[SIGCHLD] = PROC_SIG_CATCH;
	assert_int_equal(ptable_sig_action(p, SIGCHLD), SIG_ACT_CATCH);
	p->sig_how[SIGKILL] = PROC_SIG_IGN; /* proc refuses this; the rule holds anyway */
	assert_int_equal(ptable_sig_action(p, SIGKILL), SIG_ACT_KILL);
	assert_int_equal(ptable_sig_action(p, 0), SIG_ACT_NONE);
	assert_int_equal(ptable_sig_action(p, NSIG), SIG_ACT_NONE);
	assert_int_equal(ptable_sig_action(p, -1), SIG_ACT_NONE);
	p->state = PROC_ZOMBIE;
	assert_int_equal(ptable_sig_action(p, SIGKILL), SIG_ACT_NONE); /* nothing to end */
}

static void test_spawn_strings(void **state)
{
	(void)state;
	uint32_t argc = 99, envc = 99;
	static const char ok[] = "sh\0sh\0-c\0echo hi\0\0HOME=/\0\0";
	assert_true(ptable_parse_args(ok, sizeof ok - 1, &argc, &envc));
	assert_int_equal(argc, 3);
	assert_int_equal(envc, 1);
	static const char noenv[] = "echo\0echo\0\0\0";
	assert_true(ptable_parse_args(noenv, sizeof noenv - 1, &argc, &envc));
	assert_int_equal(envc, 0);
	static const char noargs[] = "echo\0\0\0";
	assert_false(ptable_parse_args(noargs, sizeof noargs - 1, &argc, &envc));
	static const char nopath[] = "\0echo\0\0\0";
	assert_false(ptable_parse_args(nopath, sizeof nopath - 1, &argc, &envc));
	static const char unended[] = "echo\0echo";
	assert_false(ptable_parse_args(unended, sizeof unended - 1, &argc, &envc));
	static const char noenvend[] = "echo\0echo\0\0A=1";
	assert_false(ptable_parse_args(noenvend, sizeof noenvend - 1, &argc, &envc));
	static const char trailing[] = "echo\0echo\0\0\0junk";
	assert_false(ptable_parse_args(trailing, sizeof trailing - 1, &argc, &envc));
	assert_false(ptable_parse_args("", 0, &argc, &envc));
	assert_false(ptable_parse_args(NULL, 5, &argc, &envc));
	char nonul[64];
	memset(nonul, 'a', sizeof nonul);
	assert_false(ptable_parse_args(nonul, sizeof nonul, &argc, &envc));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test_setup(test_pids_name_host_slot_and_generation, setup),
	        cmocka_unit_test_setup(test_alloc_clears_and_fills_up, setup),
	        cmocka_unit_test_setup(test_wait_matches, setup),
	        cmocka_unit_test_setup(test_wait_pick_reaps_only_zombies, setup),
	        cmocka_unit_test_setup(test_orphans_go_to_init, setup),
	        cmocka_unit_test_setup(test_end_status, setup),
	        cmocka_unit_test_setup(test_signal_actions, setup),
	        cmocka_unit_test_setup(test_spawn_strings, setup),
	};
	return cmocka_run_group_tests_name("ptable", tests, NULL, NULL);
}
