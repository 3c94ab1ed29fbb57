/* SPDX-License-Identifier: MIT */
/*
 * The server side of doors: door objects (a procedure and a cookie), the
 * pool of server threads, and door_dispatch, which fast.S calls for every
 * incoming call. The pool grows by one thread when the nucleus says the
 * last idle thread has just been taken (DOOR_ENTRY_DEPLETED), up to
 * DOOR_POOL_MAX.
 *
 * A door made by door_create_fast or door_create_mixed enters at
 * door_fast_server_entry (fast.S), which runs a plain fast call's
 * procedure on the spot; every other call to it comes through
 * door_fast_dispatch (door_create_fast's) or door_dispatch (a mixed
 * door's), and every call to any other door through door_dispatch.
 *
 * Entry points: door_create, door_create_fast, door_create_mixed, door_free, door_cookie,
 * door_pool_start, door_pool_threads; door_dispatch, door_fast_dispatch and door_return_failed
 * (from fast.S).
 */
#include "lib/doors/doors.h"

#define MAX_OBJECTS  256
#define THREAD_STACK 0x8000

/* A door's datum. fast.S reads cookie and fast at offsets 0 and 4. */
struct door_obj {
	void *cookie;
	door_fast_proc_t fast; /* a fast procedure, or NULL */
	door_proc_t proc;      /* the procedure, when fast is NULL */
	struct door_obj *next_free;
};
_Static_assert(offsetof(struct door_obj, cookie) == 0 && offsetof(struct door_obj, fast) == 4 &&
                       offsetof(struct door_obj, proc) == 8,
               "fast.S reads the cookie and the fast and general procedures there");
_Static_assert(DOOR_ENTRY_REGS == 0x01000000 && DOOR_FAST_SIZE_SHIFT == 24 &&
                       (DOOR_FAST | DOOR_FAST_RETURN) == 0xc0000000,
               "fast.S's copies of sprig/door.h");

/* The five registers of a return system call (fast.S loads them). */
struct door_out {
	uint32_t eax, ebx, esi, edi, ebp;
};

/* A server thread's own state, just above its stack's base E. */
struct door_self {
	door_desc_t rdesc[DOOR_DESC_MAX];
	struct door_out out;
	door_result_t result;
	char reply[DOOR_REPLY_BUF];
};

/* This domain's doors and pool; threads change it only with care for
 * preemption (a counter bumped atomically). */
static struct {
	struct door_obj obj[MAX_OBJECTS];
	int nobj;              /* slots ever used */
	struct door_obj *free; /* slots given back by door_free */
	int lock;              /* guards free */
	int nthreads;
	int bound; /* threads that have joined the nucleus's pool */
	int max;   /* 0: DOOR_POOL_MAX */
} srv;

static void lock(void)
{
	while (__atomic_exchange_n(&srv.lock, 1, __ATOMIC_ACQUIRE))
		yield();
}

static void unlock(void)
{
	__atomic_store_n(&srv.lock, 0, __ATOMIC_RELEASE);
}

static struct door_obj *obj_alloc(void)
{
	lock();
	struct door_obj *o = srv.free;
	if (o)
		srv.free = o->next_free;
	unlock();
	if (o)
		return o;
	int n = __atomic_fetch_add(&srv.nobj, 1, __ATOMIC_SEQ_CST);
	return n < MAX_OBJECTS ? &srv.obj[n] : NULL;
}

static void obj_release(struct door_obj *o)
{
	lock();
	o->proc = NULL;
	o->fast = NULL;
	o->fast = NULL;
	o->next_free = srv.free;
	srv.free = o;
	unlock();
}

static int create(door_proc_t proc, door_fast_proc_t fast, void *cookie, uint32_t flags)
{
	struct door_obj *o = obj_alloc();
	if (!o)
		return -ENOSPC;
	*o = (struct door_obj){cookie, fast, proc, NULL};
	void (*entry)(void) = fast ? door_fast_server_entry : door_server_entry;
	int id = sprig_syscall(SYS_DOOR_CREATE, (uint32_t)(uintptr_t)entry, (uint32_t)(uintptr_t)o,
	                       flags, 0);
	if (id < 0)
		obj_release(o);
	return id;
}

/* A door served by proc(cookie, ...) here; returns its id or -errno
 * (-ENOSPC: MAX_OBJECTS doors at once). */
int door_create(door_proc_t proc, void *cookie, uint32_t flags)
{
	return create(proc, NULL, cookie, flags);
}

/* A door served by the fast procedure proc(cookie, w, size) here. A call
 * of more than 16 bytes, or with doors, gets an empty reply (the doors are
 * closed) without running proc. Returns its id or -errno. */
int door_create_fast(door_fast_proc_t proc, void *cookie)
{
	return create(NULL, proc, cookie, 0);
}

/* A door whose plain fast calls (at most 16 bytes in registers, no doors)
 * run fast(cookie, ...) at once, as door_create_fast's do, and whose every
 * other call, and its unreferenced notification, go to proc(cookie, ...),
 * as door_create's do: for an interface, iface##_fast and
 * iface##_dispatch. Returns its id or -errno. */
int door_create_mixed(door_fast_proc_t fast, door_proc_t proc, void *cookie, uint32_t flags)
{
	return create(proc, fast, cookie, flags);
}

/* The cookie of a door this domain serves (door_create's), or NULL: what
 * a linked-in client binds to (door_bind_local) instead of calling it. */
void *door_cookie(int id)
{
	door_info_t info;
	if (door_info(id, &info) < 0 || !(info.flags & DOOR_LOCAL) ||
	    info.datum < (uint32_t)(uintptr_t)srv.obj ||
	    info.datum >= (uint32_t)(uintptr_t)(srv.obj + MAX_OBJECTS))
		return NULL;
	const struct door_obj *o = (const struct door_obj *)(uintptr_t)info.datum;
	return o->proc || o->fast ? o->cookie : NULL;
}

/* Ends a door this domain serves: revokes it (calls from any holder now
 * fail with -EBADF), closes id and frees its slot for a later door_create.
 * For a door per object, call it from the object's unreferenced
 * notification, when no other domain can call it any more. */
int door_free(int id)
{
	door_info_t info;
	int err = door_info(id, &info);
	if (err < 0)
		return err;
	if (!(info.flags & DOOR_LOCAL) || info.datum < (uint32_t)(uintptr_t)srv.obj ||
	    info.datum >= (uint32_t)(uintptr_t)(srv.obj + MAX_OBJECTS))
		return -EINVAL;
	door_revoke(id);
	err = door_close(id);
	obj_release((struct door_obj *)(uintptr_t)info.datum);
	return err;
}

/* Prepares the registers that return rep to the caller: by registers when
 * it fits, else through a door_result_t. */
static inline __attribute__((always_inline)) struct door_out *
prepare_return(struct door_self *self, const struct door_reply *rep)
{
	struct door_out *o = &self->out;
	if ((rep->ndesc | rep->tail_size | (uint32_t)(uintptr_t)rep->release) == 0 &&
	    rep->size <= DOOR_FAST_MAX && sprig_has_sysenter) {
		o->eax = DOOR_FAST | DOOR_FAST_RETURN | rep->size << DOOR_FAST_SIZE_SHIFT;
		typedef uint32_t __attribute__((may_alias, aligned(1))) word;
		const word *w = rep->data;
		if (rep->size == DOOR_FAST_MAX) { /* a stub's {status, OUT} of 12: no loop */
			o->ebx = w[0], o->esi = w[1], o->edi = w[2], o->ebp = w[3];
		} else {
			o->ebx = o->esi = o->edi = o->ebp = 0; /* no stale bytes from before */
			door_copy_small(&o->ebx, rep->data, rep->size); /* ebx esi edi ebp */
		}
		return o;
	}
	self->result = (door_result_t){rep->data, rep->size,      rep->desc,   rep->ndesc,
	                               rep->tail, rep->tail_size, rep->release};
	*o = (struct door_out){SYS_DOOR_RETURN, (uint32_t)(uintptr_t)&self->result,
	                       (uint32_t)(uintptr_t)self, 0, 0};
	return o;
}

static void pool_grow(void);

/* One call: called by door_server_entry with the nucleus's registers. */
__attribute__((used)) struct door_out *door_dispatch(uint32_t datum, uint32_t size_flags,
                                                     uint32_t ndesc, uint32_t *words)
{
	struct door_self *self = (struct door_self *)(words + 4);
	const struct door_obj *obj = (const struct door_obj *)(uintptr_t)datum;
	if (size_flags & DOOR_ENTRY_DEPLETED)
		pool_grow();
	struct door_request req = {(size_flags & DOOR_ENTRY_REGS)
	                                   ? (const void *)words
	                                   : (const void *)(uintptr_t)words[0],
	                           size_flags & DOOR_ENTRY_SIZE_MASK,
	                           self->rdesc,
	                           ndesc,
	                           size_flags & ~DOOR_ENTRY_SIZE_MASK,
	                           (size_flags & DOOR_ENTRY_PULL) ? words[1] : 0};
	struct door_reply rep = {NULL, 0, NULL, 0, self->reply, sizeof self->reply, NULL, 0, NULL};
	obj->proc(obj->cookie, &req, &rep);
	return prepare_return(self, &rep);
}

/* A call to a fast procedure's door that door_fast_server_entry did not
 * run itself (a general call, a pool to grow first): as door_dispatch. A
 * fast procedure takes no doors and at most 16 bytes: anything else gets
 * an empty reply, and the doors are closed. */
__attribute__((used)) struct door_out *door_fast_dispatch(uint32_t datum, uint32_t size_flags,
                                                          uint32_t ndesc, uint32_t *words)
{
	struct door_self *self = (struct door_self *)(words + 4);
	const struct door_obj *obj = (const struct door_obj *)(uintptr_t)datum;
	uint32_t size = size_flags & DOOR_ENTRY_SIZE_MASK, *w = (uint32_t *)self->reply;
	struct door_reply rep = {w, 0, NULL, 0, NULL, 0, NULL, 0, NULL};
	if (size_flags & DOOR_ENTRY_DEPLETED)
		pool_grow();
	for (uint32_t i = 0; i < ndesc; i++)
		door_close(self->rdesc[i].id);
	if (size <= DOOR_FAST_MAX && !ndesc &&
	    !(size_flags & ~(DOOR_ENTRY_SIZE_MASK | DOOR_ENTRY_REGS | DOOR_ENTRY_DEPLETED))) {
		memset(w, 0, DOOR_FAST_MAX);
		memcpy(w, (size_flags & DOOR_ENTRY_REGS) ? words : (uint32_t *)(uintptr_t)words[0],
		       size);
		rep.size = obj->fast(obj->cookie, w, size);
	}
	return prepare_return(self, &rep);
}

/* The return system call failed (err): say so, and return nothing. A second
 * failure means this thread cannot serve; it ends. -EINTR is no failure:
 * a signal came first (sprig/signal.h), and the thread waits again. */
struct door_out *door_return_failed(int err, struct door_self *self)
{
	struct door_out *o = &self->out;
	if (err != -EINTR && o->ebx == (uint32_t)(uintptr_t)&self->result && self->result.release)
		door_release_word(self->result.release); /* the nucleus did not: no one else will */
	if (err == -EINTR) { /* a signal came first; any results went: wait again */
		*o = (struct door_out){SYS_DOOR_RETURN, 0, (uint32_t)(uintptr_t)self, 0, 0};
		return o;
	}
	if (o->eax == SYS_DOOR_RETURN && o->ebx == 0) {
		printf("doors: thread %d cannot return (%s); it exits\n", thread_self(),
		       strerror(err));
		thread_exit();
	}
	printf("doors: thread %d: return failed: %s\n", thread_self(), strerror(err));
	*o = (struct door_out){SYS_DOOR_RETURN, 0, (uint32_t)(uintptr_t)self, 0, 0};
	return o;
}

/* A new server thread: binds its buffers, then waits in the pool. */
static void server_thread(void *arg)
{
	struct door_self *self = arg;
	door_server_t s = {vm_alloc(DOOR_RECV_BUF),    DOOR_RECV_BUF,   self->rdesc, DOOR_DESC_MAX,
	                   vm_alloc(DOOR_BULK_WINDOW), DOOR_BULK_WINDOW};
	int err = s.rbuf && s.bulk ? sprig_syscall(SYS_DOOR_BIND, (uint32_t)(uintptr_t)&s, 0, 0, 0)
	                           : -ENOMEM;
	if (err == 0) {
		__atomic_fetch_add(&srv.bound, 1, __ATOMIC_SEQ_CST);
		do /* -EINTR: a signal (sprig/signal.h) came first */
			err = sprig_syscall(SYS_DOOR_RETURN, 0, (uint32_t)(uintptr_t)self, 0, 0);
		while (err == -EINTR);
	}
	printf("doors: server thread %d could not start: %s\n", thread_self(), strerror(err));
	__atomic_fetch_sub(&srv.nthreads, 1, __ATOMIC_SEQ_CST);
	thread_exit();
}

static int add_thread(void)
{
	char *block = vm_alloc(THREAD_STACK + sizeof(struct door_self));
	if (!block)
		return -ENOMEM;
	struct door_self *self = (struct door_self *)(block + THREAD_STACK);
	__atomic_fetch_add(&srv.nthreads, 1, __ATOMIC_SEQ_CST);
	int id = thread_create(server_thread, self, block, THREAD_STACK);
	if (id < 0) {
		__atomic_fetch_sub(&srv.nthreads, 1, __ATOMIC_SEQ_CST);
		vm_free(block);
	}
	return id;
}

/* The upcall: the nucleus took our last idle thread. */
static void pool_grow(void)
{
	if (srv.nthreads < (srv.max ? srv.max : DOOR_POOL_MAX))
		add_thread();
}

/* Caps the pool at max threads (it grows on demand up to that). */
void door_pool_limit(int max)
{
	srv.max = max;
}

/* Starts n server threads for this domain's doors and waits until they
 * take calls. Returns 0 or -errno. */
int door_pool_start(int n)
{
	int want = srv.bound + n;
	for (int i = 0; i < n; i++) {
		int err = add_thread();
		if (err < 0)
			return err;
	}
	while (srv.bound < want && srv.nthreads >= want)
		yield();
	return srv.bound >= want ? 0 : -ENOMEM;
}

int door_pool_threads(void)
{
	return srv.nthreads;
}
