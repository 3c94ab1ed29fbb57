/* SPDX-License-Identifier: MIT */
/*
 * Door calls and returns: the fast path (registers only, entered from the
 * sysenter stub), the general path (vanilla copies, bulk page sharing, doors
 * passed in both directions), server pools, and what happens when a thread
 * in a call dies.
 *
 * A thread waiting in a door operation is *parked*: its nucleus stack holds
 * nothing but its entry frame, so the nucleus resumes it by leaving for user
 * mode through that frame (thread_resume_parked, sched_run_direct) and never
 * through a saved nucleus context. A call hands the CPU straight to a parked
 * server thread and a return straight back: no run queue, no swtch.
 *
 * Entry points: door_fast_call, door_fast_return (from the sysenter stub),
 * door_sys_call, door_sys_return, door_sys_bind, door_thread_exiting,
 * door_thread_killed, door_thread_signalled, door_domain_gone, door_pool_init,
 * door_pool_notify_unref, door_pool_fail_door.
 */
#include "nucleus/nucleus.h"
#include "lib/c/libc.h"
#include <sprig/errno.h>
#include <sprig/syscall.h>

/* What travels one way: in registers (fast) or in the sender's memory. */
struct payload {
	int inregs;
	uint32_t words[4];
	uint32_t size;
	uint32_t data, desc, ndesc; /* user addresses and count */
	uint32_t tail, tail_size;   /* more bytes, after data's */
	uint32_t release;           /* a word to clear once they have gone, or 0 */
};

/* One piece of a message in a domain's memory. A message is two pieces,
 * a head and a tail (door_arg_t's data and tail); either may be empty. */
struct piece {
	uint32_t va, size;
};

void door_pool_init(struct door_pool *pool)
{
	pool->idle = NULL;
	list_init(&pool->callers);
	list_init(&pool->upcalls);
	pool->nthreads = 0;
}

/* dom->fast_off counts the pieces of work queued on dom's pool (callers
 * and upcalls): every list_push_back onto pool.callers or pool.upcalls
 * adds one (pool_queued), every removal takes one (door_pool_taken in
 * nucleus.h, also for door.c and irqline.c). The fast return tests it. */
static inline void pool_queued(struct domain *dom)
{
	dom->fast_off++;
}

/* Server thread s serves nobody: on its own shuttle, at depth 0. The fast
 * return leaves the last call's caller, shuttle and depth in a thread it
 * parks (nothing reads them while it is idle), so every way off the idle
 * stack sets them: a call links the thread (link_call, or the fast call),
 * and an upcall or a thread taken out of its wait comes here. */
static void serve_nobody(struct thread *s)
{
	s->dt.caller = NULL;
	s->dt.shuttle = &s->dt.own;
	s->dt.depth = 0;
}

/* The top of the pool's idle stack, taken off it: its caller, shuttle and
 * depth are stale until linked (link_call) or reset (serve_nobody). */
static struct thread *pool_pop(struct door_pool *pool)
{
	struct thread *s = pool->idle;
	pool->idle = s->dt.next_idle;
	s->dt.wait = DW_NONE;
	return s;
}

/* Takes idle thread s off its pool's stack wherever it lies (it was killed
 * or signalled): a walk of at most the pool, on the general path only. */
static void pool_remove(struct door_pool *pool, struct thread *s)
{
	struct thread **p = &pool->idle;
	while (*p != s)
		p = &(*p)->dt.next_idle;
	*p = s->dt.next_idle;
	s->dt.wait = DW_NONE;
	serve_nobody(s);
}

/* Puts a parked server thread back in its pool, first in line: the most
 * recently used thread (and its stack) serves the next call. */
static void pool_push(struct door_pool *pool, struct thread *s)
{
	s->dt.wait = DW_POOL;
	s->dt.next_idle = pool->idle;
	pool->idle = s;
}

/* Parks the current server thread in its pool. */
static void pool_park_current(struct door_pool *pool, int mode)
{
	current->dt.mode = mode;
	current->state = THREAD_BLOCKED;
	pool_push(pool, current);
}

/* The registers a server thread starts a call with (docs/doors.md). */
static void entry_frame(struct trapframe *tf, uint32_t entry, uint32_t datum, uint32_t esp,
                        uint32_t ecx, uint32_t edx, const uint32_t w[4])
{
	*tf = (struct trapframe){
	        .eax = datum,
	        .ebx = w[0],
	        .esi = w[1],
	        .edi = w[2],
	        .ebp = w[3],
	        .ecx = ecx,
	        .edx = edx,
	        .gs = SEG_UDATA,
	        .fs = SEG_UDATA,
	        .es = SEG_UDATA,
	        .ds = SEG_UDATA,
	        .eip = entry,
	        .cs = SEG_UCODE,
	        .eflags = EFLAGS_USER,
	        .esp = esp,
	        .ss = SEG_UDATA,
	};
}

static struct sysregs *parked_regs(struct thread *t)
{
	if (t->dt.mode != DOOR_MODE_TRAP)
		return (struct sysregs *)thread_sysframe(t);
	return (struct sysregs *)thread_trapframe(t);
}

/* The bytes move_data copies, rather than shares, moving size bytes. */
static inline uint32_t copied_by_move(uint32_t dst_va, uint32_t src_va, uint32_t size)
{
	if (((dst_va | src_va) & PAGE_MASK) || size < PAGE_SIZE)
		return size;
	return size & PAGE_MASK;
}

/* Moves size bytes from src to dst: by sharing pages when both are page
 * aligned and there is at least a page (the tail is copied), else by one
 * copy. */
static int move_data(struct aspace *dst, uint32_t dst_va, struct aspace *src, uint32_t src_va,
                     uint32_t size)
{
	if (copied_by_move(dst_va, src_va, size) == size)
		return vmm_copy(dst, dst_va, src, src_va, size);
	uint32_t full = size & ~PAGE_MASK;
	int err = vmm_share(dst, dst_va, src, src_va, full >> PAGE_SHIFT);
	if (err || full == size)
		return err;
	return vmm_copy(dst, dst_va + full, src, src_va + full, size - full);
}

/* Moves the bytes of src's two pieces, in order, into dst's two pieces, in
 * order, a run at a time by move_data: a run whose ends are both page
 * aligned shares its pages. dst must have room (-ERANGE otherwise). With
 * dry set it moves nothing and counts, in *copied, the bytes it would copy
 * if dst's last piece had room for everything: what DOOR_VANILLA_MAX
 * bounds. */
static int move_pieces(struct aspace *dst_as, const struct piece *dst, struct aspace *src_as,
                       const struct piece *src, int dry, uint32_t *copied)
{
	uint32_t di = 0, doff = 0, soff = 0;
	*copied = 0;
	for (uint32_t si = 0; si < 2;) {
		uint32_t room = dry && di == 1 ? ~0u : dst[di].size - doff;
		if (soff == src[si].size) {
			si++, soff = 0;
		} else if (room == 0) {
			if (di == 1)
				return -ERANGE;
			di++, doff = 0;
		} else {
			uint32_t n = src[si].size - soff < room ? src[si].size - soff : room;
			uint32_t s = src[si].va + soff, d = dst[di].va + doff;
			*copied += copied_by_move(d, s, n);
			int err = dry ? 0 : move_data(dst_as, d, src_as, s, n);
			if (err)
				return err;
			soff += n, doff += n;
		}
	}
	return 0;
}

/* Gives `to` new ids for the n doors described at udesc in `from`, writing
 * them to urdesc (room for rmax) in `to`; closes the sender's ids marked
 * DOOR_MOVE. Checks everything before changing anything. */
static int pass_doors(struct domain *from, uint32_t udesc, uint32_t n, struct domain *to,
                      uint32_t urdesc, uint32_t rmax)
{
	door_desc_t in[DOOR_DESC_MAX], out[DOOR_DESC_MAX];
	struct door *d[DOOR_DESC_MAX];
	if (n > DOOR_DESC_MAX || n > rmax)
		return -E2BIG;
	if (copy_in(&from->as, in, udesc, n * sizeof *in) < 0)
		return -EFAULT;
	for (uint32_t i = 0; i < n; i++)
		if (!(d[i] = dtable_lookup(from, in[i].id)))
			return -EBADF;
	if (DOOR_TABLE_SIZE - to->dtable.used < n)
		return -EMFILE;
	memset(out, 0, sizeof out);
	if (copy_out(&to->as, urdesc, out, n * sizeof *out) < 0) /* now it cannot fail */
		return -EFAULT;
	for (uint32_t i = 0; i < n; i++)
		out[i].id = dtable_insert(to, d[i]);
	copy_out(&to->as, urdesc, out, n * sizeof *out);
	for (uint32_t i = 0; i < n; i++)
		if (in[i].flags & DOOR_MOVE)
			dtable_close(from, in[i].id);
	return 0;
}

/* The doors a reply moved (DOOR_MOVE) could not be delivered: they leave
 * the sender's table all the same, as it asked. Quietly skips what it
 * cannot read or ids already closed. */
static void drop_moved(struct domain *from, uint32_t udesc, uint32_t n)
{
	door_desc_t in[DOOR_DESC_MAX];
	if (n > DOOR_DESC_MAX || copy_in(&from->as, in, udesc, n * sizeof *in) < 0)
		return;
	for (uint32_t i = 0; i < n; i++)
		if (in[i].flags & DOOR_MOVE)
			dtable_close(from, in[i].id);
}

/* Puts the call's bytes (head bytes at hva, then tail bytes at tva; a
 * call of one piece is all tail) into server thread s: in rbuf, or, when the tail is page aligned
 * and a page or more (and the head at most a page), in the bulk window,
 * the tail's pages shared there and the head copied just below them, so
 * the server sees one message. Sets *at to where they start; returns the
 * entry's size and DOOR_ENTRY_BULK, or -errno. */
static inline __attribute__((always_inline)) int land_call(struct thread *c, struct thread *s,
                                                           uint32_t hva, uint32_t head,
                                                           uint32_t tva, uint32_t tail,
                                                           uint32_t *at)
{
	const door_server_t *srv = &s->dt.srv;
	uint32_t size = head + tail, below = head ? PAGE_SIZE : 0;
	uint32_t extent = below + PAGE_UP(tail);
	int bulk = tail >= PAGE_SIZE && !(tva & PAGE_MASK) && head <= PAGE_SIZE &&
	           extent <= srv->bulk_size;
	if (!bulk && (size > DOOR_VANILLA_MAX || size > srv->rsize))
		return -E2BIG;
	uint32_t dst = bulk ? (uint32_t)srv->bulk + below - head : (uint32_t)srv->rbuf;
	if (bulk && s->dt.bulk_mapped > srv->bulk_size)
		panic("deliver_call: %u bytes mapped in a window of %u", s->dt.bulk_mapped,
		      srv->bulk_size);
	if (bulk && s->dt.bulk_mapped > extent) /* drop the last call's excess */
		vmm_unmap(&s->dom->as, (uint32_t)srv->bulk + extent, s->dt.bulk_mapped - extent);
	int err = head ? vmm_copy(&s->dom->as, dst, &c->dom->as, hva, head) : 0;
	if (!err && tail)
		err = move_data(&s->dom->as, dst + head, &c->dom->as, tva, tail);
	if (bulk && extent > s->dt.bulk_mapped)
		s->dt.bulk_mapped = extent;
	*at = dst;
	return err ? err : (int)(size | (bulk ? DOOR_ENTRY_BULK : 0));
}

/* Puts caller c's request into server thread s's buffers and the entry
 * frame tf. Nothing is committed unless it returns 0. */
static int deliver_call(struct thread *c, struct thread *s, struct door *d, struct trapframe *tf)
{
	const struct door_request *rq = &c->dt.req;
	uint32_t w[4] = {0, 0, 0, 0}, ecx, edx = 0;
	if (c->dt.mode == DOOR_MODE_FAST) {
		memcpy(w, rq->words, sizeof w);
		ecx = rq->size | DOOR_ENTRY_REGS;
	} else {
		const door_arg_t *a = &rq->arg;
		int err =
		        rq->tail_size && !rq->pull
		                ? land_call(c, s, (uint32_t)a->data_ptr, a->data_size, rq->tail,
		                            rq->tail_size, &w[0])
		                : land_call(c, s, 0, 0, (uint32_t)a->data_ptr, a->data_size, &w[0]);
		if (err < 0)
			return err;
		ecx = (uint32_t)err;
		if (rq->pull) /* the tail stays with the caller until pulled */
			ecx |= DOOR_ENTRY_PULL, w[1] = rq->tail_size;
		if (a->desc_num) {
			err = pass_doors(c->dom, (uint32_t)a->desc_ptr, a->desc_num, s->dom,
			                 (uint32_t)s->dt.srv.rdesc, s->dt.srv.rdesc_num);
			if (err)
				return err;
		}
		edx = a->desc_num;
	}
	if (!s->dom->pool.idle)
		ecx |= DOOR_ENTRY_DEPLETED;
	entry_frame(tf, d->entry, d->datum, s->dt.srv_esp, ecx, edx, w);
	return 0;
}

/* Results in registers (a fast return) to a general caller: rbuf's room
 * first, then rtail's. */
static int results_from_regs(struct thread *c, const struct door_request *rq,
                             const struct payload *p)
{
	uint32_t first = p->size < rq->arg.rsize ? p->size : rq->arg.rsize;
	int err = copy_out(&c->dom->as, (uint32_t)rq->arg.rbuf, p->words, first);
	if (!err && first < p->size)
		err = copy_out(&c->dom->as, rq->rtail, (const char *)p->words + first,
		               p->size - first);
	return err;
}

/* Results to a fast caller: in its registers, at most 16 bytes. */
static int results_to_regs(struct thread *s, struct thread *c, const struct payload *p)
{
	uint32_t w[4] = {0, 0, 0, 0};
	struct sysframe *f = thread_sysframe(c);
	uint32_t size = p->size + p->tail_size;
	if (p->ndesc || p->size > DOOR_FAST_MAX || p->tail_size > DOOR_FAST_MAX ||
	    size > DOOR_FAST_MAX) {
		/* ebx: the size needed, as data_size says on the general path */
		f->ebx = size, f->esi = f->edi = f->ebp = 0;
		return -ERANGE;
	}
	if (p->inregs)
		memcpy(w, p->words, sizeof w);
	else if (copy_in(&s->dom->as, w, p->data, p->size) < 0 ||
	         copy_in(&s->dom->as, (char *)w + p->size, p->tail, p->tail_size) < 0)
		return -EFAULT;
	f->ebx = w[0], f->esi = w[1], f->edi = w[2], f->ebp = w[3];
	return (int)size;
}

/* Moves results of one piece into the caller's rbuf: shared if both are
 * page aligned and there is a page or more, else copied. Sets *size to
 * the result's size. */
static int results_one(struct thread *s, struct thread *c, const struct payload *p, uint32_t *size)
{
	const door_arg_t *out = &c->dt.req.arg;
	int bulk = !(((uint32_t)out->rbuf | p->data) & PAGE_MASK) && p->size >= PAGE_SIZE;
	*size = p->size;
	if (p->size > (bulk && !p->inregs ? DOOR_BULK_MAX : DOOR_VANILLA_MAX))
		return -E2BIG; /* the limits that bound a call bound its results */
	if (p->size > out->rsize || p->ndesc > out->rdesc_num)
		return -ERANGE;
	if (!p->size) /* nothing to copy: any rbuf will do, even NULL */
		return 0;
	return p->inregs
	               ? copy_out(&c->dom->as, (uint32_t)out->rbuf, p->words, p->size)
	               : move_data(&c->dom->as, (uint32_t)out->rbuf, &s->dom->as, p->data, p->size);
}

/* Moves results of two pieces (a server's tail), or into two (a caller's
 * rtail): rbuf's room first, then rtail's; runs page aligned at both ends
 * and a page or more are shared, and only copied bytes count against
 * DOOR_VANILLA_MAX. Sets *size to the result's size. */
static int results_pieces(struct thread *s, struct thread *c, const struct payload *p,
                          uint32_t *size)
{
	const struct door_request *rq = &c->dt.req;
	struct piece src[2] = {{p->data, p->size}, {p->tail, p->tail_size}};
	struct piece dst[2] = {{(uint32_t)rq->arg.rbuf, rq->arg.rsize},
	                       {rq->rtail, rq->rtail_size}};
	if (p->size > DOOR_BULK_MAX || p->tail_size > DOOR_BULK_MAX)
		return -E2BIG;
	uint32_t copied = *size = p->size + p->tail_size;
	if (*size > DOOR_VANILLA_MAX) /* then only what is copied counts */
		move_pieces(&c->dom->as, dst, &s->dom->as, src, 1, &copied);
	if (*size > DOOR_BULK_MAX || copied > DOOR_VANILLA_MAX)
		return -E2BIG;
	if ((uint64_t)*size > (uint64_t)rq->arg.rsize + rq->rtail_size ||
	    p->ndesc > rq->arg.rdesc_num)
		return -ERANGE;
	if (!*size)
		return 0;
	if (p->inregs)
		return results_from_regs(c, rq, p);
	return move_pieces(&c->dom->as, dst, &s->dom->as, src, 0, &copied);
}

/* Hands the results p from server s to caller c (parked); returns what
 * the caller's call returns. */
static int deliver_results(struct thread *s, struct thread *c, const struct payload *p)
{
	struct door_request *rq = &c->dt.req;
	if (c->dt.mode == DOOR_MODE_FAST)
		return results_to_regs(s, c, p);
	door_arg_t out = rq->arg;
	uint32_t size;
	int err = (p->tail_size | rq->rtail_size) ? results_pieces(s, c, p, &size)
	                                          : results_one(s, c, p, &size);
	if (!err && p->ndesc)
		err = pass_doors(s->dom, p->desc, p->ndesc, c->dom, (uint32_t)out.rdesc,
		                 out.rdesc_num);
	if (err && err != -ERANGE)
		return err; /* the caller's door_arg_t is left as it was */
	if (!err) {
		out.data_ptr = out.rbuf;
		out.rdesc_num = p->ndesc;
	}
	out.data_size = size; /* on -ERANGE: the size that was needed */
	if (copy_out(&c->dom->as, rq->argp, &out, sizeof out) < 0)
		return -EFAULT;
	return err;
}

/* Ties caller c to server thread s: s runs on c's shuttle. */
static void link_call(struct thread *c, struct thread *s)
{
	c->dt.wait = DW_CALL;
	c->dt.callee = s;
	s->dt.caller = c;
	s->dt.shuttle = c->dt.shuttle;
	s->dt.depth = c->dt.depth + 1;
	if (c->work & THREAD_WORK_SIGNAL)
		s->work |= THREAD_WORK_CALLER;
}

/* Ends c's call with result (its eax); c stays parked. */
static void finish_call(struct thread *c, int result)
{
	struct thread *s = c->dt.callee;
	parked_regs(c)->eax = (uint32_t)result;
	if (s) {
		s->dt.caller = NULL;
		s->dt.shuttle = &s->dt.own;
		s->dt.depth = 0;
		s->work &= ~THREAD_WORK_CALLER;
	}
	c->dt.callee = NULL;
	c->dt.wait = DW_NONE;
	if (c->dt.calling) /* it was still queued */
		door_put(c->dt.calling);
	c->dt.calling = NULL;
}

/* Puts the oldest upcall (an unreferenced notification or a notice) of
 * server thread s's pool into the entry frame tf and takes it off the
 * queue. The queue must not be empty. */
static void take_upcall(struct thread *s, struct trapframe *tf)
{
	static const uint32_t none[4];
	struct door_pool *pool = &s->dom->pool;
	struct upcall *u = list_entry(pool->upcalls.next, struct upcall, link);
	uint32_t depleted = !pool->idle ? DOOR_ENTRY_DEPLETED : 0;
	serve_nobody(s);
	if (u->kind == UPCALL_NOTICE) {
		struct notice *n = list_entry(u, struct notice, up);
		uint32_t flags = DOOR_ENTRY_NOTICE | DOOR_ENTRY_REGS | sizeof n->words | depleted;
		list_remove(&u->link);
		door_pool_taken(s->dom);
		entry_frame(tf, n->door->entry, n->door->datum, s->dt.srv_esp, flags, 0, n->words);
		notice_free(n);
		return;
	}
	struct door *d = list_entry(u, struct door, unref);
	entry_frame(tf, d->entry, d->datum, s->dt.srv_esp, DOOR_ENTRY_UNREF | depleted, 0, none);
	door_unref_delivered(d);
}

/* Gives server thread s (not running) its next piece of queued work in tf:
 * a pending upcall first, then the oldest caller. Returns 0 when there is
 * none. */
static int take_work(struct thread *s, struct trapframe *tf)
{
	struct door_pool *pool = &s->dom->pool;
	if (!list_empty(&pool->upcalls)) {
		take_upcall(s, tf);
		return 1;
	}
	while (!list_empty(&pool->callers)) {
		struct thread *c =
		        list_entry(list_pop_front(&pool->callers), struct thread, dt.link);
		door_pool_taken(s->dom);
		int err = deliver_call(c, s, c->dt.calling, tf);
		if (err == 0) {
			door_put(c->dt.calling); /* the queue's hold: the call has started */
			c->dt.calling = NULL;
			link_call(c, s);
			return 1;
		}
		finish_call(c, err);
		thread_resume_parked(c);
	}
	return 0;
}

/* Runs dom's queued work on idle threads other than the current one. */
static void pool_dispatch(struct domain *dom)
{
	struct door_pool *pool = &dom->pool;
	while (pool->idle && (!list_empty(&pool->upcalls) || !list_empty(&pool->callers))) {
		struct thread *s = pool_pop(pool);
		if (!take_work(s, thread_trapframe(s))) {
			pool_push(pool, s);
			break;
		}
		s->dt.mode = DOOR_MODE_TRAP;
		thread_resume_parked(s);
	}
}

/* Current thread c calls d with c->dt.req filled in. Returns only on an
 * error, with nothing changed; otherwise c parks and the CPU goes to a
 * server thread (or, with none idle, c waits in the pool's FIFO). */
static int call_door(struct thread *c, struct door *d, int mode)
{
	struct domain *sd = d->server;
	if (!sd || (d->flags & DOOR_REVOKED) || sd->dying)
		return -EBADF;
	if (c->dt.depth >= DOOR_DEPTH_MAX)
		return -EDEADLK;
	if (sd == &kobj_nucleus)
		return kobj_call(c, d, mode);
	if (sd->pool.nthreads == 0)
		return -EAGAIN;
	if (c->work & (THREAD_WORK_KILLED | THREAD_WORK_SIGNAL))
		return -EINTR;
	c->dt.mode = mode;
	if (!sd->pool.idle) {
		c->dt.calling = d; /* held while queued */
		door_get(d);
		c->dt.wait = DW_QUEUED;
		list_push_back(&sd->pool.callers, &c->dt.link);
		pool_queued(sd);
		c->state = THREAD_BLOCKED;
		sched_leave_parked();
	}
	struct thread *s = pool_pop(&sd->pool);
	int err = deliver_call(c, s, d, thread_trapframe(s));
	if (err) {
		pool_push(&sd->pool, s);
		return err;
	}
	link_call(c, s);
	s->dt.mode = DOOR_MODE_TRAP;
	c->state = THREAD_BLOCKED;
	sched_run_direct(s);
}

/* The results a server kept stable under a lock have gone (or could not):
 * the lock's word is cleared, and one futex waiter woken if it said there
 * were some (2). A bad address is the server's own mistake and harms only
 * it: nothing is written. */
static void release_word(uint32_t va)
{
	uint32_t *word = (va & 3) ? NULL : user_span(&current->dom->as, va, sizeof *word, 1);
	if (!word) /* not there and writable (a page not yet touched would be) */
		return;
	uint32_t old = *word;
	*word = 0;
	if (old == 2)
		futex_wake_word(va, 1);
}

/* The server thread s (current) is done with its call: results p go to its
 * caller, if it still has one, and s takes the next queued work or parks.
 * Returns when s itself made a mistake (then it keeps the call), and with
 * -EINTR when s has a signal to take (then the call is over). */
static int serve_return(struct thread *s, const struct payload *p, uint32_t esp, int mode)
{
	struct thread *c = s->dt.caller;
	if (s->work & THREAD_WORK_KILLED)
		thread_exit(); /* its caller gets -EINTR */
	if (!uaccess_range_ok(esp, 0))
		return -EFAULT;
	s->dt.srv_esp = esp;
	int result = c ? deliver_results(s, c, p) : -EINTR;
	if (result < 0 && p->ndesc)
		drop_moved(s->dom, p->desc, p->ndesc);
	if (p->release)
		release_word(p->release);
	if (c)
		finish_call(c, result);
	s->dt.own.alerted = 0; /* back on its own shuttle, which serves nobody gone */
	if (unlikely(s->work & THREAD_WORK_SIGNAL)) {
		if (c)
			thread_resume_parked(c);
		return -EINTR; /* the signal first; door_return again after it */
	}
	struct trapframe tf;
	if (take_work(s, &tf)) {
		if (c)
			thread_resume_parked(c);
		exit_via_trapframe(&tf);
	}
	pool_park_current(&s->dom->pool, mode);
	if (c)
		sched_run_direct(c);
	sched_leave_parked();
}

static void payload_from_regs(struct payload *p, const struct sysframe *f, uint32_t size)
{
	*p = (struct payload){1, {f->ebx, f->esi, f->edi, f->ebp}, size, 0, 0, 0, 0, 0, 0};
}

/* The operation word's size and reserved bits, as one number: anything
 * above DOOR_FAST_MAX is a size too big or a reserved bit set. */
#define FAST_SIZE_FIELD(op) (((op) >> DOOR_FAST_SIZE_SHIFT) & 0x3f)

/* A fast request the checks turned away: the general path takes it as it
 * came, and reports bad ids, sizes and encodings. */
__attribute__((noinline, cold)) static void door_fast_slow_call(struct sysframe *f)
{
	struct thread *c = current;
	uint32_t op = f->eax, size = FAST_SIZE_FIELD(op);
	struct door *d = dtable_lookup(c->dom, (int)(op & DOOR_FAST_ID_MASK));
	if (size > DOOR_FAST_MAX)
		f->eax = (uint32_t)(size & 0x20 ? -ENOSYS : -E2BIG);
	else if (!d)
		f->eax = (uint32_t)-EBADF;
	if (size > DOOR_FAST_MAX || !d) {
		sysenter_leave(f);
		return;
	}
	c->dt.req = (struct door_request){.size = size, .words = {f->ebx, f->esi, f->edi, f->ebp}};
	f->eax = (uint32_t)call_door(c, d, DOOR_MODE_FAST);
	sysenter_leave(f);
}

/*
 * The fast call, from the sysenter stub: eax = DOOR_FAST | size << 24 | id,
 * the data in ebx esi edi ebp. Each check sends anything unusual to the
 * general path, which gives the same results; then nothing can fail.
 */
void door_fast_call(struct sysframe *f)
{
	uint32_t op = f->eax;
	struct thread *c = current;
	struct door *d = dtable_find(&c->dom->dtable, (int)(op & DOOR_FAST_ID_MASK));
	if (unlikely(!d || FAST_SIZE_FIELD(op) > DOOR_FAST_MAX))
		goto slow;
	if (unlikely(d->flags & DOOR_REVOKED)) /* also set once the server is gone */
		goto slow;
	struct door_pool *pool = &d->server->pool;
	struct thread *s = pool->idle;
	if (unlikely(!s || c->dt.depth >= DOOR_DEPTH_MAX || c->work))
		goto slow;

	/* POINT OF NO RETURN */
	pool->idle = s->dt.next_idle;
	uint32_t flags =
	        FAST_SIZE_FIELD(op) | DOOR_ENTRY_REGS | (!pool->idle ? DOOR_ENTRY_DEPLETED : 0);
	c->state = THREAD_BLOCKED;
	c->dt.mode = DOOR_MODE_FAST;
	c->dt.wait = DW_CALL;
	c->dt.callee = s;
	s->dt.wait = DW_NONE;
	s->dt.caller = c;
	s->dt.shuttle = c->dt.shuttle;
	s->dt.depth = c->dt.depth + 1;
	sched_become(s);
	exit_to_door_entry(d->datum, flags, f, d->entry, s->dt.srv_esp);
slow:
	door_fast_slow_call(f);
}

/* A fast return the checks turned away: the general return, with the
 * results as they came. */
__attribute__((noinline, cold)) static void door_fast_slow_return(struct sysframe *f)
{
	struct thread *s = current;
	uint32_t op = f->eax, size = FAST_SIZE_FIELD(op);
	if ((op & DOOR_FAST_ID_MASK) || size > DOOR_FAST_MAX) {
		f->eax = (uint32_t)((op & DOOR_FAST_ID_MASK) || (size & 0x20) ? -ENOSYS : -E2BIG);
	} else if (!s->dt.bound) {
		f->eax = (uint32_t)-EINVAL;
	} else {
		struct payload p;
		payload_from_regs(&p, f, size);
		f->eax = (uint32_t)serve_return(s, &p, f->esp, DOOR_MODE_SYSENTER);
	}
	sysenter_leave(f);
}

/*
 * The fast return, from the sysenter stub: eax = DOOR_FAST |
 * DOOR_FAST_RETURN | size << 24, results in ebx esi edi ebp, ecx = esp for
 * the next call. Straight back to a fast caller by sysexit.
 */
void door_fast_return(struct sysframe *f)
{
	uint32_t op = f->eax;
	struct thread *s = current, *c = s->dt.caller;
	struct door_pool *pool = &s->dom->pool;
	if (unlikely((op & (DOOR_FAST_ID_MASK | 0x3f000000)) >
	             (DOOR_FAST_MAX << DOOR_FAST_SIZE_SHIFT)))
		goto slow; /* an id given, a reserved bit, or too big */
	if (unlikely(!c || c->dt.mode != DOOR_MODE_FAST || s->work || !uaccess_range_ok(f->esp, 0)))
		goto slow;
	if (unlikely(s->dom->fast_off)) /* queued work (or ports) for the general return */
		goto slow;

	/* POINT OF NO RETURN */
	struct sysframe *cf = thread_sysframe(c);
	cf->eax = FAST_SIZE_FIELD(op);
	cf->ebx = f->ebx, cf->esi = f->esi, cf->edi = f->edi, cf->ebp = f->ebp;
	c->dt.wait = DW_NONE;
	c->dt.callee = NULL;
	s->dt.srv_esp = f->esp; /* caller, shuttle, depth left stale: serve_nobody */
	s->dt.mode = DOOR_MODE_SYSENTER;
	s->dt.wait = DW_POOL;
	s->state = THREAD_BLOCKED;
	s->dt.next_idle = pool->idle;
	pool->idle = s;
	sched_become(c);
	exit_via_sysframe(cf);
slow:
	door_fast_slow_return(f);
}

/* A door_pieces_t at argp into c's request, whose arg and tails are laid
 * out as one; flags say whether the tail is to be pulled. */
static __attribute__((noinline)) int pieces_in(struct thread *c, uint32_t argp, uint32_t flags)
{
	struct door_request *rq = &c->dt.req;
	if (copy_in(&c->dom->as, &rq->arg, argp, sizeof(door_pieces_t)) < 0)
		return -EFAULT;
	rq->pull = (flags & DOOR_CALL_PULL) != 0;
	return rq->tail_size > DOOR_BULK_MAX ? -E2BIG : 0;
}
_Static_assert(offsetof(struct door_request, tail) - offsetof(struct door_request, arg) ==
                               offsetof(door_pieces_t, tail_ptr) &&
                       offsetof(struct door_request, rtail_size) -
                                       offsetof(struct door_request, arg) ==
                               offsetof(door_pieces_t, rtail_size),
               "door_request's arg and tails are a door_pieces_t");

/* SYS_DOOR_CALL (id, door_arg_t *, flags): the general entry; with
 * DOOR_CALL_PIECES the second argument is a door_pieces_t *. */
int door_sys_call(int id, uint32_t argp, uint32_t flags, int mode)
{
	struct thread *c = current;
	struct door *d = dtable_lookup(c->dom, id);
	if (!d)
		return -EBADF;
	if (unlikely(flags & ~(DOOR_CALL_PIECES | DOOR_CALL_PULL)) || flags == DOOR_CALL_PULL)
		return -EINVAL;
	struct door_request *rq = &c->dt.req;
	if (unlikely(flags)) {
		int err = pieces_in(c, argp, flags);
		if (err)
			return err;
	} else {
		if (copy_in(&c->dom->as, &rq->arg, argp, sizeof rq->arg) < 0)
			return -EFAULT;
		rq->tail_size = rq->rtail_size = 0; /* no tails: their addresses mean nothing */
		rq->pull = 0;
	}
	const door_arg_t *a = &rq->arg;
	if (a->data_size > DOOR_BULK_MAX - rq->tail_size || a->desc_num > DOOR_DESC_MAX)
		return -E2BIG;
	if (rq->arg.rdesc_num > DOOR_DESC_MAX)
		rq->arg.rdesc_num = DOOR_DESC_MAX;
	rq->argp = argp;
	return call_door(c, d, mode);
}

/* SYS_DOOR_PULL (off, dst, n): n bytes at off of the tail the current
 * thread's caller left to pull (DOOR_CALL_PULL) to dst here; shared, not
 * copied, where both are page aligned and there is a page or more.
 * -EINVAL without such a tail or past its end, -EINTR when the caller has
 * gone, -EFAULT for a bad address on either side. */
int door_sys_pull(uint32_t off, uint32_t dst, uint32_t n)
{
	struct thread *s = current, *c = s->dt.caller;
	if (!s->dt.bound)
		return -EINVAL;
	if (!c)
		return -EINTR;
	const struct door_request *rq = &c->dt.req;
	if (c->dt.mode == DOOR_MODE_FAST || !rq->pull || off > rq->tail_size ||
	    n > rq->tail_size - off)
		return -EINVAL;
	int err = n ? move_data(&s->dom->as, dst, &c->dom->as, rq->tail + off, n) : 0;
	return err ? err : (int)n;
}

/* SYS_DOOR_RETURN (door_result_t * or NULL, esp for the next call). */
int door_sys_return(uint32_t resultp, uint32_t esp, int mode)
{
	struct thread *s = current;
	struct payload p = {0, {0, 0, 0, 0}, 0, 0, 0, 0, 0, 0, 0};
	if (!s->dt.bound)
		return -EINVAL;
	if (resultp) {
		door_result_t r;
		if (copy_in(&s->dom->as, &r, resultp, sizeof r) < 0)
			return -EFAULT;
		if (r.desc_num > DOOR_DESC_MAX)
			return -E2BIG;
		p = (struct payload){0,
		                     {0, 0, 0, 0},
		                     r.data_size,
		                     (uint32_t)r.data_ptr,
		                     (uint32_t)r.desc_ptr,
		                     r.desc_num,
		                     (uint32_t)r.tail_ptr,
		                     r.tail_size,
		                     (uint32_t)r.release};
	}
	return serve_return(s, &p, esp, mode);
}

/* SYS_DOOR_BIND (door_server_t *): makes the current thread a server
 * thread of its domain's pool, with these buffers. */
int door_sys_bind(uint32_t serverp)
{
	struct thread *t = current;
	door_server_t srv;
	if (copy_in(&t->dom->as, &srv, serverp, sizeof srv) < 0)
		return -EFAULT;
	if (srv.rdesc_num > DOOR_DESC_MAX)
		srv.rdesc_num = DOOR_DESC_MAX;
	uint32_t bulk = (uint32_t)srv.bulk;
	const struct region *r = aspace_find_region(&t->dom->as, bulk);
	if (!uaccess_range_ok((uint32_t)srv.rbuf, srv.rsize) ||
	    !uaccess_range_ok((uint32_t)srv.rdesc, srv.rdesc_num * sizeof(door_desc_t)))
		return -EFAULT;
	if (srv.bulk_size && ((bulk | srv.bulk_size) & PAGE_MASK || !r || !(r->prot & VM_WRITE) ||
	                      (r->prot & VM_DEVICE) || srv.bulk_size > r->end - bulk))
		return -EINVAL;
	if (!t->dt.bound)
		t->dom->pool.nthreads++;
	t->dt.bound = 1;
	t->dt.srv = srv;
	/* What the old window has mapped is the thread's own memory now; the
	 * count of mapped bytes is about the new window, which has none. */
	t->dt.bulk_mapped = 0;
	return 0;
}

/* Fails every caller queued in server's pool for door d (all doors if d is
 * NULL) with err, and drops the notices queued for it. */
void door_pool_fail_door(struct domain *server, struct door *d, int err)
{
	struct list_node *pos, *tmp;
	list_for_each_safe(pos, tmp, &server->pool.upcalls)
	{
		struct upcall *u = list_entry(pos, struct upcall, link);
		struct notice *n = list_entry(u, struct notice, up);
		if (u->kind != UPCALL_NOTICE || (d && n->door != d))
			continue;
		list_remove(&u->link);
		door_pool_taken(server);
		notice_free(n);
	}
	list_for_each_safe(pos, tmp, &server->pool.callers)
	{
		struct thread *c = list_entry(pos, struct thread, dt.link);
		if (d && c->dt.calling != d)
			continue;
		list_remove(&c->dt.link);
		door_pool_taken(server);
		finish_call(c, err);
		thread_resume_parked(c);
	}
}

/* A notice for n->door's server (live, not revoked): a server thread
 * delivers it when one is free. */
void door_pool_notice(struct notice *n)
{
	struct domain *server = n->door->server;
	list_push_back(&server->pool.upcalls, &n->up.link);
	pool_queued(server);
	pool_dispatch(server);
}

/* d's last outside reference is gone: a server thread delivers the news. */
void door_pool_notify_unref(struct domain *server, struct door *d)
{
	list_push_back(&server->pool.upcalls, &d->unref.link);
	pool_queued(server);
	pool_dispatch(server);
}

/* The current thread t is exiting: its caller, if any, gets -EINTR now. */
void door_thread_exiting(struct thread *t)
{
	struct thread *c = t->dt.caller;
	if (c) {
		finish_call(c, -EINTR);
		thread_resume_parked(c);
	}
	if (t->dt.bound) {
		struct door_pool *pool = &t->dom->pool;
		t->dt.bound = 0;
		if (--pool->nthreads == 0)
			door_pool_fail_door(t->dom, NULL, -EINTR);
	}
}

/* A parked thread t was killed: take it out of its wait and let it run to
 * its exit. Threads serving t's call go on, alerted, on their own shuttle. */
void door_thread_killed(struct thread *t)
{
	switch (t->dt.wait) {
	case DW_POOL: pool_remove(&t->dom->pool, t); break;
	case DW_QUEUED:
		list_remove(&t->dt.link);
		door_pool_taken(t->dt.calling->server); /* queued: its server lives */
		door_put(t->dt.calling);
		t->dt.calling = NULL;
		break;
	case DW_CALL: shuttle_split_below(t); break;
	case DW_NONE: return;
	}
	t->dt.wait = DW_NONE;
	thread_resume_parked(t);
}

/* A parked thread t has a signal to take (signal.c). A server thread
 * waiting for calls, or a caller still queued, leaves with -EINTR (the
 * queued call never started); a caller being served takes it with the
 * reply, and meanwhile the threads serving it are interrupted. */
void door_thread_signalled(struct thread *t)
{
	switch (t->dt.wait) {
	case DW_POOL:
		pool_remove(&t->dom->pool, t);
		parked_regs(t)->eax = (uint32_t)-EINTR;
		thread_resume_parked(t);
		break;
	case DW_QUEUED:
		list_remove(&t->dt.link);
		door_pool_taken(t->dt.calling->server); /* queued: its server lives */
		finish_call(t, -EINTR);
		thread_resume_parked(t);
		break;
	case DW_CALL: shuttle_interrupt(t); break;
	case DW_NONE: break;
	}
}

/* dom's last thread is gone: drop its references, orphan its doors. */
void door_domain_gone(struct domain *dom)
{
	dtable_close_all(dom);
	door_server_gone(dom);
}
