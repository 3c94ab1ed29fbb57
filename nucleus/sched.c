/* SPDX-License-Identifier: MIT */
/*
 * The scheduler: preemptive round robin within 32 fixed priorities, a
 * bitmap of non-empty run queues, a sorted list of sleepers, wait queues,
 * and the idle thread. A time slice is QUANTUM_TICKS timer ticks. The tick
 * only sets need_resched; the switch happens on the way back to user mode
 * (the nucleus is not preemptible) or when a thread blocks.
 *
 * Entry points: sched_init, sched_start, sched_make_runnable, sched_yield,
 * sched_tick, sched_finish_switch, sched_leave_parked, sched_run_direct,
 * sched_sleep_until, sched_wake, waitq_sleep, waitq_sleep_until,
 * waitq_wake_all.
 */
#include "nucleus/nucleus.h"
#include "nucleus/x86.h"
#include <sprig/errno.h>

void swtch(struct context **save, struct context *next);

struct thread *current;
int need_resched;

/* Scheduler state; touched only with interrupts off. */
static struct {
	struct list_node runq[NPRIO];
	uint32_t ready;            /* bit p set: runq[p] is not empty */
	struct list_node sleepers; /* by wake_tick, earliest first */
	struct thread *idle;
	struct thread *dead; /* exited, its stack still in use */
	int quantum;         /* ticks left in the running time slice, whoever runs it: a
	                      * door call hands the CPU on without a new slice */
} sched;

void sched_make_runnable(struct thread *t)
{
	t->state = THREAD_RUNNABLE;
	int prio = thread_prio(t);
	list_push_back(&sched.runq[prio], &t->link);
	sched.ready |= 1u << prio;
	if (current && prio > thread_prio(current))
		need_resched = 1;
}

/* Removes and returns the best runnable thread, or the idle thread. */
static struct thread *sched_pick(void)
{
	if (!sched.ready)
		return sched.idle;
	int p = 31 - __builtin_clz(sched.ready);
	struct list_node *n = list_pop_front(&sched.runq[p]);
	if (list_empty(&sched.runq[p]))
		sched.ready &= ~(1u << p);
	return list_entry(n, struct thread, link);
}

/* Runs in the new thread right after a switch: frees the stack slot of a
 * thread that exited on the way here. */
void sched_finish_switch(void)
{
	if (sched.dead) {
		sched.dead->state = THREAD_FREE;
		sched.dead = NULL;
	}
}

/* Switches to next, saving the current context in *save (or discarding it
 * when save is NULL: the current thread is parked and will be resumed from
 * its entry frame). */
static void switch_to(struct thread *next, struct context **save)
{
	struct thread *prev = current;
	static struct context *discard;
	need_resched = 0;
	if (next == prev) {
		next->state = THREAD_RUNNING;
		sched.quantum = QUANTUM_TICKS;
		return;
	}
	if (prev->state == THREAD_DEAD)
		sched.dead = prev;
	sched_become(next);
	sched.quantum = QUANTUM_TICKS; /* a scheduler decision: a fresh slice */
	swtch(save ? save : &discard, next->ctx);
	sched_finish_switch();
}

/* Gives up the CPU. A running thread goes to the back of its queue; a
 * blocked or dead one just leaves. */
void sched_yield(void)
{
	if (current->state == THREAD_RUNNING && current != sched.idle)
		sched_make_runnable(current);
	switch_to(sched_pick(), &current->ctx);
}

/* Leaves a parked current thread for the best runnable one. */
void sched_leave_parked(void)
{
	assert(current->state == THREAD_BLOCKED);
	switch_to(sched_pick(), NULL);
	panic("sched_leave_parked: a parked thread came back");
}

/* Hands the CPU from the parked current thread straight to the parked
 * thread next, whose entry frame is ready: no run queue, no swtch. next
 * runs out the rest of the time slice, as the same shuttle would. A next
 * with a signal to take goes through the scheduler instead. */
void sched_run_direct(struct thread *next)
{
	assert(current->state == THREAD_BLOCKED && next->state == THREAD_BLOCKED);
	if (unlikely(next->work & THREAD_WORK_SIGNAL)) {
		/* Delivering it may block or end next: on next's own stack. */
		thread_resume_parked(next);
		sched_leave_parked();
	}
	sched_become(next);
	if (next->dt.mode != DOOR_MODE_TRAP)
		exit_via_sysframe(thread_sysframe(next));
	exit_via_trapframe(thread_trapframe(next));
}

/* Timer tick: charges the running thread and wakes due sleepers. */
void sched_tick(void)
{
	shuttle_charge_tick(current);
	if (--sched.quantum <= 0)
		need_resched = 1;
	uint64_t now = timer_ticks();
	while (!list_empty(&sched.sleepers)) {
		struct thread *t = list_entry(sched.sleepers.next, struct thread, sleep_link);
		if (t->wake_tick > now)
			break;
		sched_wake(t, t->waiting_on ? -ETIMEDOUT : 0); /* a wait with a timeout */
	}
}

/* Makes a blocked thread runnable; its blocking call returns result.
 * Does nothing to a thread that is not blocked. */
void sched_wake(struct thread *t, int result)
{
	if (t->state != THREAD_BLOCKED)
		return;
	if (t->waiting_on) {
		list_remove(&t->link);
		t->waiting_on = NULL;
	}
	if (list_linked(&t->sleep_link))
		list_remove(&t->sleep_link);
	t->wake_result = result;
	sched_make_runnable(t);
}

static int block_current(void)
{
	current->state = THREAD_BLOCKED;
	sched_yield();
	return current->wake_result;
}

/* Puts the current thread on the sleepers list, to wake at tick. */
static void add_sleeper(uint64_t tick)
{
	current->wake_tick = tick;
	struct list_node *pos = sched.sleepers.next;
	while (pos != &sched.sleepers &&
	       list_entry(pos, struct thread, sleep_link)->wake_tick <= tick)
		pos = pos->next;
	list_insert_before(pos, &current->sleep_link);
}

/* A thread that is killed or has a signal to take does not block. */
static int must_not_block(void)
{
	return (current->work & (THREAD_WORK_KILLED | THREAD_WORK_SIGNAL)) != 0;
}

/* Sleeps until the tick count reaches tick; 0, or -EINTR when killed or
 * signalled. */
int sched_sleep_until(uint64_t tick)
{
	if (must_not_block())
		return -EINTR;
	add_sleeper(tick);
	return block_current();
}

/* Blocks on q until woken; returns the waker's result, or -EINTR. */
int waitq_sleep(struct waitq *q)
{
	return waitq_sleep_until(q, 0);
}

/* Blocks on q until woken (the waker's result), or until the tick count
 * reaches tick (-ETIMEDOUT; 0: no limit), or -EINTR. */
int waitq_sleep_until(struct waitq *q, uint64_t tick)
{
	if (must_not_block())
		return -EINTR;
	current->waiting_on = q;
	list_push_back(&q->threads, &current->link);
	if (tick)
		add_sleeper(tick);
	return block_current();
}

void waitq_wake_all(struct waitq *q)
{
	while (!list_empty(&q->threads))
		sched_wake(list_entry(q->threads.next, struct thread, link), 0);
}

/* The idle thread: halts with interrupts on until something is runnable. */
static void idle_loop(void *arg)
{
	(void)arg;
	for (;;) {
		while (!sched.ready)
			sti_hlt();
		sched_yield();
	}
}

void sched_init(void)
{
	for (int p = 0; p < NPRIO; p++)
		list_init(&sched.runq[p]);
	list_init(&sched.sleepers);
}

/* Leaves the boot stack for good and runs the best runnable thread. */
void sched_start(void)
{
	sched.idle = thread_create_kernel("idle", idle_loop, NULL, PRIO_IDLE);
	/* thread_create_kernel queued it; idle lives outside the run queues. */
	list_remove(&sched.idle->link);
	if (list_empty(&sched.runq[PRIO_IDLE]))
		sched.ready &= ~(1u << PRIO_IDLE);
	static struct thread boot = {.state = THREAD_DEAD, .name = "boot"};
	current = &boot;
	switch_to(sched_pick(), &boot.ctx);
	panic("sched_start: returned to the boot stack");
}
