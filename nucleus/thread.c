/* SPDX-License-Identifier: MIT */
/*
 * Threads: a fixed table of thread objects, each with its own nucleus stack.
 * A new thread's stack is laid out so that the first swtch() into it lands
 * in a start routine: kernel threads call their function, user threads
 * "return" into trapret with a trap frame that irets to user mode.
 *
 * Entry points: thread_init, thread_create_kernel, thread_create_user,
 * thread_exit, thread_kill, thread_return_to_user, thread_resume_parked,
 * thread_main.
 */
#include "nucleus/nucleus.h"
#include "lib/c/libc.h"
#include <sprig/errno.h>

struct context {
	uint32_t edi, esi, ebx, ebp, eip;
};

_Static_assert(sizeof(struct context) == 20, "swtch.S pops five words");

/* The thread table; slots are reused once the scheduler has reaped them. */
static struct {
	struct thread t[MAX_THREADS];
	void (*fn[MAX_THREADS])(void *);
	void *arg[MAX_THREADS];
	int next_id;
} threads;

static uint8_t kstacks[MAX_THREADS][KSTACK_SIZE] __attribute__((aligned(16)));

void thread_init(void)
{
	threads.next_id = 1;
}

/* Takes a free slot and fills in what every thread has; NULL when full. */
static struct thread *thread_alloc(const char *name, int prio)
{
	for (int i = 0; i < MAX_THREADS; i++) {
		struct thread *t = &threads.t[i];
		if (t->state != THREAD_FREE)
			continue;
		memset(t, 0, sizeof *t);
		t->state = THREAD_BLOCKED; /* not runnable until made so */
		t->id = threads.next_id++;
		t->kstack_top = (uint32_t)&kstacks[i][KSTACK_SIZE];
		list_init(&t->link);
		list_init(&t->sleep_link);
		list_init(&t->dom_link);
		list_init(&t->dt.link);
		shuttle_init_thread(t, prio);
		strlcpy(t->name, name, sizeof t->name);
		return t;
	}
	return NULL;
}

/* Pushes a context whose return address is eip below sp; returns it. */
static struct context *push_context(uint32_t sp, uint32_t eip)
{
	struct context *ctx = (struct context *)(sp - sizeof *ctx);
	memset(ctx, 0, sizeof *ctx);
	ctx->eip = eip;
	return ctx;
}

static void kernel_thread_start(void)
{
	sched_finish_switch();
	int slot = (int)(current - threads.t);
	threads.fn[slot](threads.arg[slot]);
	thread_exit();
}

/* Makes a runnable nucleus thread that runs fn(arg) and exits. */
struct thread *thread_create_kernel(const char *name, void (*fn)(void *), void *arg, int prio)
{
	struct thread *t = thread_alloc(name, prio);
	if (!t)
		panic("thread_create_kernel: thread table full");
	int slot = (int)(t - threads.t);
	threads.fn[slot] = fn;
	threads.arg[slot] = arg;
	t->ctx = push_context(t->kstack_top, (uint32_t)kernel_thread_start);
	sched_make_runnable(t);
	return t;
}

/* A new thread, or a parked one resumed, leaves for user mode through the
 * entry frame at the top of its stack: a trapframe, or a sysframe when it
 * came in by sysenter (dt.mode). */
static void user_thread_start(void)
{
	sched_finish_switch();
	thread_return_to_user();
	if (unlikely(current->work & THREAD_WORK_SIGNAL)) {
		if (current->dt.mode != DOOR_MODE_TRAP)
			leave_via_sysframe(thread_sysframe(current));
		signal_deliver(thread_trapframe(current));
	}
	/* returns into trapret (or sysexit_ret), below us on the stack */
}

/* Makes a runnable thread of domain d that enters user mode at eip with the
 * given stack pointer and eax. NULL when the thread table is full. */
struct thread *thread_create_user(struct domain *d, uint32_t eip, uint32_t esp, uint32_t eax)
{
	struct thread *t = thread_alloc(d->name, PRIO_USER);
	if (!t)
		return NULL;
	struct trapframe *tf = (struct trapframe *)(t->kstack_top - sizeof *tf);
	memset(tf, 0, sizeof *tf);
	tf->eax = eax;
	tf->cs = SEG_UCODE;
	tf->ds = tf->es = tf->fs = tf->gs = tf->ss = SEG_UDATA;
	tf->eflags = EFLAGS_USER;
	tf->eip = eip;
	tf->esp = esp;
	uint32_t *ret = (uint32_t *)tf - 1;
	*ret = (uint32_t)trapret;
	t->ctx = push_context((uint32_t)ret, (uint32_t)user_thread_start);
	t->dom = d;
	list_push_back(&d->threads, &t->dom_link);
	d->nthreads++;
	d->started = 1;
	sched_make_runnable(t);
	return t;
}

/* Asks t to exit: it does so at its next return to user mode, and a
 * blocking call it sleeps in returns -EINTR at once. */
void thread_kill(struct thread *t)
{
	t->work |= THREAD_WORK_KILLED;
	if (t->dt.wait != DW_NONE)
		door_thread_killed(t);
	else
		sched_wake(t, -EINTR);
}

/* Makes runnable a parked thread: one whose stack holds nothing but its
 * entry frame (t->dt.mode says which kind). It leaves for user
 * mode through that frame, or exits if it has been killed. */
void thread_resume_parked(struct thread *t)
{
	int sys = t->dt.mode != DOOR_MODE_TRAP;
	uint32_t *ret =
	        sys ? (uint32_t *)thread_sysframe(t) - 1 : (uint32_t *)thread_trapframe(t) - 1;
	*ret = sys ? (uint32_t)sysexit_ret : (uint32_t)trapret;
	t->ctx = push_context((uint32_t)ret, (uint32_t)user_thread_start);
	sched_make_runnable(t);
}

/* Called on every way back to user mode: exits if killed, and gives up
 * the CPU if the scheduler asked for it. */
void thread_return_to_user(void)
{
	for (;;) {
		if (current->work & THREAD_WORK_KILLED)
			thread_exit();
		if (!need_resched)
			return;
		sched_yield();
	}
}

/* The main thread of d: its oldest live thread (threads join the list at
 * the back), or NULL. */
struct thread *thread_main(const struct domain *d)
{
	if (list_empty(&d->threads))
		return NULL;
	return list_entry(d->threads.next, struct thread, dom_link);
}

/* Ends the current thread; its domain ends with its last thread. */
void thread_exit(void)
{
	struct thread *t = current;
	struct domain *d = t->dom;
	if (t->work & THREAD_WORK_SIGNAL)
		t->dt.shuttle->interrupted = 0; /* it will not take its signal now */
	door_thread_exiting(t);
	if (d) {
		list_remove(&t->dom_link);
		if (--d->nthreads == 0)
			domain_thread_gone(d);
		else
			signal_thread_gone(d); /* the next oldest takes its signals */
	}
	t->state = THREAD_DEAD;
	sched_yield();
	panic("thread_exit: dead thread %d was scheduled", t->id);
}
