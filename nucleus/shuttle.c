/* SPDX-License-Identifier: MIT */
/*
 * Shuttles: the scheduling identity of a chain of door calls. A call lends
 * the caller's shuttle to the server thread, so A->B->C runs on one
 * shuttle: one priority, one account of CPU ticks. When a thread in the
 * middle of a chain dies, the part below it gets a shuttle of its own,
 * marked alerted, so its results can be discarded.
 *
 * Entry points: shuttle_init_thread, shuttle_charge_tick,
 * shuttle_split_below, shuttle_interrupt, shuttle_fill_info.
 */
#include "nucleus/nucleus.h"

void shuttle_init_thread(struct thread *t, int prio)
{
	t->dt.own = (struct shuttle){prio, 0, 0, 0};
	t->dt.shuttle = &t->dt.own;
}

void shuttle_charge_tick(struct thread *t)
{
	t->dt.shuttle->ticks++;
}

/* t is leaving its chain: the threads below it (serving its call, and
 * their callees) continue on a new, alerted shuttle. */
void shuttle_split_below(struct thread *t)
{
	struct thread *below = t->dt.callee;
	if (!below)
		return;
	struct shuttle *s = &below->dt.own;
	*s = (struct shuttle){below->dt.shuttle->prio, 0, 1, 0};
	for (struct thread *x = below; x; x = x->dt.callee) {
		x->dt.shuttle = s;
		futex_interrupt(x); /* nobody waits for what it waits for */
	}
	below->dt.caller = NULL;
	below->work &= ~THREAD_WORK_CALLER;
	t->dt.callee = NULL;
}

/* t, waiting for a reply, has a signal to take: its shuttle is marked
 * interrupted until t takes it, the threads serving its call leave their
 * futex waits with -EINTR, and the one it called returns by the general
 * path (which gives t the signal on its way out). */
void shuttle_interrupt(struct thread *t)
{
	struct thread *below = t->dt.callee;
	t->dt.shuttle->interrupted = 1;
	if (below)
		below->work |= THREAD_WORK_CALLER;
	for (struct thread *x = below; x; x = x->dt.callee)
		futex_interrupt(x);
}

void shuttle_fill_info(const struct thread *t, shuttle_info_t *info)
{
	info->alerted = (uint32_t)t->dt.shuttle->alerted;
	info->depth = (uint32_t)t->dt.depth;
	info->prio = (uint32_t)t->dt.shuttle->prio;
	info->ticks = t->dt.shuttle->ticks;
	info->interrupted = (uint32_t)t->dt.shuttle->interrupted;
}
