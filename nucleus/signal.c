/* SPDX-License-Identifier: MIT */
/*
 * Signal upcalls (sprig/signal.h): DOM_SIGNAL queues (eip, arg) on a
 * domain, and its main thread (the oldest live one) takes it at its next
 * way out of the nucleus to user mode: its interrupted state goes on its
 * own stack as a struct sprig_sigframe and it continues at eip.
 * SYS_SIGRETURN restores a frame, checked as hostile input.
 *
 * The main thread's THREAD_WORK_SIGNAL says signals wait for it. Every way
 * out tests thread.work: trap() and the sysenter exit (sysenter_leave),
 * user_thread_start (new and resumed parked threads), sched_run_direct,
 * and the door fast path, which falls to the C path on any work. A
 * delivery leaves by iret, since only iret sets eax, edx and esp at once.
 *
 * Entry points: signal_post, signal_thread_gone, signal_deliver,
 * leave_via_trapframe, leave_via_sysframe, signal_sigreturn.
 */
#include "nucleus/nucleus.h"
#include <sprig/errno.h>
#include <sprig/kobj.h>
#include <sprig/signal.h>
#include <sprig/syscall.h>

#define T_PAGE_FAULT 14

/* t has a signal to take: get it out of whatever it waits in. */
static void signal_interrupt(struct thread *t)
{
	t->work |= THREAD_WORK_SIGNAL;
	if (t == current)
		return; /* it takes it on its way out */
	if (t->dt.wait != DW_NONE)
		door_thread_signalled(t);
	else if (t->state == THREAD_BLOCKED)
		sched_wake(t, -EINTR); /* SYS_SLEEP, SYS_FUTEX_WAIT */
}

/* DOM_SIGNAL: queues the upcall (eip, arg) for d's main thread. -ESRCH
 * when d has no thread, -EFAULT for an eip outside user space, -EAGAIN
 * when the queue is full. */
int signal_post(struct domain *d, uint32_t eip, uint32_t arg)
{
	struct thread *t = thread_main(d);
	if (!t)
		return -ESRCH;
	if (!uaccess_range_ok(eip, 1))
		return -EFAULT;
	if (d->sig_count == KOBJ_SIGNAL_QUEUE)
		return -EAGAIN;
	uint32_t slot = (d->sig_head + d->sig_count++) % KOBJ_SIGNAL_QUEUE;
	d->sig[slot].eip = eip;
	d->sig[slot].arg = arg;
	signal_interrupt(t);
	return 0;
}

/* d's main thread is exiting and others live: the next oldest takes the
 * signals still queued. */
void signal_thread_gone(struct domain *d)
{
	if (d->sig_count && !d->dying)
		signal_interrupt(thread_main(d));
}

/* The stack at the frame's address could not take it: d dies of a fault. */
__attribute__((noreturn)) static void signal_bad_stack(struct domain *d, uint32_t at, uint32_t esp,
                                                       int err)
{
	domain_set_end(d, err == -ENOMEM ? KOBJ_END_NUCLEUS : KOBJ_END_FAULT, T_PAGE_FAULT, at);
	domain_kill(d, "%s for a signal frame at %#x (esp %#x)",
	            err == -ENOMEM ? "out of memory" : "no writable stack", at, esp);
	thread_exit();
}

/* The current thread leaves for user mode through tf (a user frame): takes
 * the oldest queued signal, saving tf's state on the user stack and
 * pointing tf at the upcall. Ends the domain if the stack cannot take it. */
void signal_deliver(struct trapframe *tf)
{
	struct thread *t = current;
	struct domain *d = t->dom;
	if (!d->sig_count) {
		t->work &= ~THREAD_WORK_SIGNAL;
		return;
	}
	uint32_t eip = d->sig[d->sig_head].eip, arg = d->sig[d->sig_head].arg;
	d->sig_head = (d->sig_head + 1) % KOBJ_SIGNAL_QUEUE;
	if (--d->sig_count == 0)
		t->work &= ~THREAD_WORK_SIGNAL;
	t->dt.shuttle->interrupted = 0; /* its call, if any, is over */
	struct sprig_sigframe fr = {tf->eax, tf->ecx, tf->edx, tf->ebx,    tf->esp, tf->ebp,
	                            tf->esi, tf->edi, tf->eip, tf->eflags, arg};
	uint32_t at = (tf->esp - sizeof fr) & ~15u;
	int err = at < tf->esp ? copy_out(&d->as, at, &fr, sizeof fr) : -EFAULT;
	if (err < 0)
		signal_bad_stack(d, at, tf->esp, err);
	tf->eip = eip;
	tf->esp = at;
	tf->eax = arg;
	tf->edx = at;
	tf->eflags = EFLAGS_USER;
}

/* Leaves for user mode through tf (anywhere in memory), after the checks
 * of every way out: the scheduler, an exit, a signal. */
void leave_via_trapframe(struct trapframe *tf)
{
	thread_return_to_user();
	if (current->work & THREAD_WORK_SIGNAL)
		signal_deliver(tf);
	exit_via_trapframe(tf);
}

/* Leaves by iret with the state sysexit would give from f: ecx = the user
 * stack, edx = the return address, IF set. */
void leave_via_sysframe(struct sysframe *f)
{
	struct trapframe tf = {
	        .eax = f->eax,
	        .ebx = f->ebx,
	        .esi = f->esi,
	        .edi = f->edi,
	        .ebp = f->ebp,
	        .ecx = f->esp,
	        .edx = f->eip,
	        .gs = f->gs,
	        .fs = f->fs,
	        .es = SEG_UDATA,
	        .ds = SEG_UDATA,
	        .eip = f->eip,
	        .cs = SEG_UCODE,
	        .eflags = EFLAGS_USER,
	        .esp = f->esp,
	        .ss = SEG_UDATA,
	};
	leave_via_trapframe(&tf);
}

/* SYS_SIGRETURN (frame): the state in the frame, by iret. The frame is
 * hostile: eip must be a user address, eflags gives only SIGFRAME_EFLAGS,
 * and no segment register comes from it. Returns the frame's eax (through
 * int $0x80), never (sysenter: r is the sysframe), or -EFAULT. */
int signal_sigreturn(struct sysregs *r, int via_sysenter)
{
	struct sprig_sigframe fr;
	if (copy_in(&current->dom->as, &fr, r->ebx, sizeof fr) < 0 || fr.eip >= USER_TOP)
		return -EFAULT;
	uint32_t eflags = (fr.eflags & SIGFRAME_EFLAGS) | EFLAGS_USER;
	if (via_sysenter) {
		const struct sysframe *f = (const struct sysframe *)r;
		struct trapframe tf = {
		        .eax = fr.eax,
		        .ebx = fr.ebx,
		        .esi = fr.esi,
		        .edi = fr.edi,
		        .ebp = fr.ebp,
		        .ecx = fr.ecx,
		        .edx = fr.edx,
		        .gs = f->gs,
		        .fs = f->fs,
		        .es = SEG_UDATA,
		        .ds = SEG_UDATA,
		        .eip = fr.eip,
		        .cs = SEG_UCODE,
		        .eflags = eflags,
		        .esp = fr.esp,
		        .ss = SEG_UDATA,
		};
		leave_via_trapframe(&tf);
	}
	struct trapframe *tf = (struct trapframe *)r;
	tf->ebx = fr.ebx, tf->esi = fr.esi, tf->edi = fr.edi, tf->ebp = fr.ebp;
	tf->ecx = fr.ecx, tf->edx = fr.edx;
	tf->eip = fr.eip, tf->esp = fr.esp, tf->eflags = eflags;
	tf->cs = SEG_UCODE, tf->ss = SEG_UDATA;
	return (int)fr.eax;
}
