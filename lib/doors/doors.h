/* SPDX-License-Identifier: MIT */
/*
 * The user side of doors: calls, server pools, and interfaces declared once.
 * The ABI underneath is include/sprig/door.h; docs/doors.md is the guide.
 *
 *   client:  door_call(id, &arg)            (the nucleus picks fast, vanilla
 *                                             or bulk; the caller cannot tell)
 *   server:  id = door_create(proc, cookie, flags); door_pool_start(n)
 *            proc(cookie, &req, &rep) runs on a pool thread per call
 *   both:    door_info, door_revoke, door_dup, door_close,
 *            name_publish, name_lookup (the boot-time registry)
 *
 * DOOR_INTERFACE(name, OPS) turns one list of operations into client stubs,
 * a server dispatcher, and a co-located binding (the stubs call the server's
 * functions directly when it is linked into the caller).
 */
#ifndef SPRIG_DOORS_H
#define SPRIG_DOORS_H

#include <stddef.h>
#include <stdint.h>
#include <sprig/door.h>

#include "lib/c/libc.h"

/* What a server procedure is given. */
struct door_request {
	const void *data; /* the arguments (valid until the procedure returns) */
	uint32_t size;
	const door_desc_t *desc; /* doors received: new ids in this domain */
	uint32_t ndesc;
	uint32_t flags; /* DOOR_ENTRY_*: UNREF for the unreferenced notification */
	uint32_t pull;  /* DOOR_ENTRY_PULL: bytes of a tail left with the caller */
};

/* What a server procedure answers. buf is a per-thread buffer of cap bytes
 * it may use; data and tail may also point at any memory that stays valid
 * until the reply has gone. The caller gets data's size bytes and then
 * tail's tail_size, as one result. */
struct door_reply {
	const void *data;
	uint32_t size;
	const door_desc_t *desc; /* doors to return (DOOR_MOVE to hand them over) */
	uint32_t ndesc;
	void *buf;
	uint32_t cap;
	const void *tail; /* more bytes after data's (NULL, 0: none) */
	uint32_t tail_size;
	uint32_t *release; /* door_result_t.release: a lock word held for them */
};

typedef void (*door_proc_t)(void *cookie, const struct door_request *req, struct door_reply *rep);

/* A fast procedure (door_create_fast): the register convention. w holds
 * the call's size bytes (at most 16; the words past them are zero or the
 * caller's own) and takes the reply in place; it returns the reply's size,
 * at most 16. The server's entry (fast.S) runs it without building a
 * door_request, and passes the three arguments in eax, edx and ecx
 * (regparm), so declare it with DOOR_FAST_PROC. */
#define DOOR_FAST_PROC __attribute__((regparm(3)))
typedef DOOR_FAST_PROC uint32_t (*door_fast_proc_t)(void *cookie, uint32_t w[4], uint32_t size);

#define DOOR_REPLY_BUF   16384 /* bytes of door_reply.buf */
#define DOOR_POOL_MAX    16    /* server threads the pool grows to */
#define DOOR_RECV_BUF    DOOR_VANILLA_MAX
#define DOOR_BULK_WINDOW 0x200000u /* 2 MiB of bulk window per thread */

/* call.c */
int door_call_general(int id, door_arg_t *arg);     /* never the fast entry */
int door_call_pieces(int id, door_pieces_t *p);     /* a tail each way; general entry */
int door_call_pull(int id, door_pieces_t *p);       /* ... the tail pulled by the server */
int door_pull(uint32_t off, void *dst, uint32_t n); /* of the caller's tail: n or -errno */
int door_info(int id, door_info_t *info);
int door_revoke(int id);
int door_dup(int id);
int door_close(int id);
int shuttle_info(shuttle_info_t *info);
int name_publish(const char *name, int id);
int name_lookup(const char *name, unsigned wait_ms);

/* Copies a few bytes (the fast path's at most 16) without a call. */
static inline __attribute__((always_inline)) void door_copy_small(void *dst, const void *src,
                                                                  uint32_t n)
{
	typedef uint32_t __attribute__((may_alias, aligned(1))) word;
	word *d = dst;
	const word *s = src;
	for (; n >= 4; n -= 4)
		*d++ = *s++;
	for (uint32_t i = 0; i < n; i++)
		((char *)d)[i] = ((const char *)s)[i];
}

/* fast.S */
void door_server_entry(void);
void door_fast_server_entry(void);

/* The four words of a fast call or reply, in registers (ebx esi edi ebp). */
struct door_words {
	uint32_t w[4];
};

/* The fast entry itself: eax = op, the words in ebx esi edi ebp, by
 * sysenter (ecx = esp, edx = where to come back); the words come back
 * replaced by the results. ebp is the frame pointer, so it is saved here,
 * and word 3 comes in and goes out through ecx: a memory operand could be
 * addressed through esp, which the push moves. Returns eax. */
static inline __attribute__((always_inline)) int
door_fast_trap(uint32_t op, uint32_t *w0, uint32_t *w1, uint32_t *w2, uint32_t *w3)
{
	__asm__ volatile("pushl %%ebp\n\t"
	                 "movl %%ecx, %%ebp\n\t"
	                 "movl %%esp, %%ecx\n\t"
	                 "movl $1f, %%edx\n\t"
	                 "sysenter\n"
	                 "1:\tmovl %%ebp, %%ecx\n\t"
	                 "popl %%ebp"
	                 : "+a"(op), "+b"(*w0), "+S"(*w1), "+D"(*w2), "+c"(*w3)
	                 :
	                 : "edx", "memory", "cc");
	return (int)op;
}

/* call.c: the words of n bytes at p (n below 16; the rest zero), and n
 * bytes of v to p; out of line, since the common sizes (0 and 16) need no
 * loop. */
struct door_words door_words_load(const void *p, uint32_t n);
void door_words_store(void *p, const struct door_words *v, uint32_t n);

/* lib/c/sys.c; declared here too, for the host tests, which see no more of libc.h */
extern uint32_t sprig_door_fast_ids;

/* Calls door id. Arguments and results of 16 bytes or less, and no doors
 * either way, take the fast entry. The caller's buffers decide, never the
 * server's answer, so the choice cannot change what the call returns.
 * Inline, so that a stub's constant sizes fold away; a size of 0 or 16
 * moves no byte through memory but the caller's own. One compare decides
 * both the id's range and whether the CPU has sysenter: sprig_door_fast_ids
 * is 0 without it (lib/c/sys.c). */
static inline __attribute__((always_inline)) int door_call(int id, door_arg_t *arg)
{
	typedef uint32_t __attribute__((may_alias, aligned(1))) word;
	if (!arg || arg->data_size > DOOR_FAST_MAX || arg->desc_num || arg->rdesc_num ||
	    arg->rsize > DOOR_FAST_MAX || (uint32_t)id >= sprig_door_fast_ids)
		return door_call_general(id, arg);
	uint32_t size = arg->data_size, op = DOOR_FAST | (uint32_t)id;
	uint32_t w0 = 0, w1 = 0, w2 = 0, w3 = 0; /* no stray stack bytes to the server */
	if (size == DOOR_FAST_MAX) { /* the size in op per case: constants for 0 and 16 */
		const word *p = arg->data_ptr;
		w0 = p[0], w1 = p[1], w2 = p[2], w3 = p[3];
		op |= DOOR_FAST_MAX << DOOR_FAST_SIZE_SHIFT;
	} else if (size) {
		struct door_words v = door_words_load(arg->data_ptr, size);
		w0 = v.w[0], w1 = v.w[1], w2 = v.w[2], w3 = v.w[3];
		op |= size << DOOR_FAST_SIZE_SHIFT;
	}
	int n = door_fast_trap(op, &w0, &w1, &w2, &w3);
	if (__builtin_expect((uint32_t)n > arg->rsize, 0)) { /* an error, or too big */
		if (n >= 0) {
			arg->data_size = (uint32_t)n; /* how much was needed */
			return -ERANGE;
		}
		if (n == -ERANGE)
			arg->data_size = w0; /* the size the reply needed */
		return n;
	}
	arg->data_size = (uint32_t)n;
	arg->data_ptr = arg->rbuf;
	if (n == DOOR_FAST_MAX) {
		word *p = arg->rbuf;
		p[0] = w0, p[1] = w1, p[2] = w2, p[3] = w3;
	} else if (n) {
		struct door_words v = {{w0, w1, w2, w3}};
		door_words_store(arg->rbuf, &v, (uint32_t)n);
	}
	return 0;
}

/* As door_call, for a call of isize bytes answered by at most osize, both
 * at most 16 and known when compiled (a stub's): the words come from in
 * and the results go to out with no door_arg_t in memory unless the fast
 * entry cannot take the call. *got is the result's size (on -ERANGE, the
 * size needed). */
static inline __attribute__((always_inline)) int
door_call_small(int id, const void *in, uint32_t isize, void *out, uint32_t osize, uint32_t *got)
{
	uint32_t v[4] = {0, 0, 0, 0};
	__builtin_memcpy(v, in, isize);
	uint32_t w0 = v[0], w1 = v[1], w2 = v[2], w3 = v[3];
	if (__builtin_expect((uint32_t)id >= sprig_door_fast_ids, 0)) {
		uint32_t copy[4] = {w0, w1, w2, w3}; /* so that in need not be in memory */
		door_arg_t a = {copy, isize, NULL, 0, out, osize, NULL, 0};
		int err = door_call_general(id, &a);
		*got = a.data_size;
		return err;
	}
	int n = door_fast_trap(DOOR_FAST | (uint32_t)id | isize << DOOR_FAST_SIZE_SHIFT, &w0, &w1,
	                       &w2, &w3);
	if (__builtin_expect((uint32_t)n > osize, 0)) { /* an error, or too big */
		if (n >= 0 || n == -ERANGE)
			*got = n >= 0 ? (uint32_t)n : w0; /* the size needed */
		return n >= 0 ? -ERANGE : n;
	}
	uint32_t r[4] = {w0, w1, w2, w3};
	*got = (uint32_t)n;
	if ((uint32_t)n == osize)
		__builtin_memcpy(out, r, osize);
	else
		door_copy_small(out, r, (uint32_t)n);
	return 0;
}

/* server.c */
int door_create(door_proc_t proc, void *cookie, uint32_t flags);
int door_create_fast(door_fast_proc_t proc, void *cookie);
int door_create_mixed(door_fast_proc_t fast, door_proc_t proc, void *cookie, uint32_t flags);
int door_pool_start(int nthreads);
int door_pool_threads(void);
int door_free(int id);     /* closes a door this domain serves and frees its slot */
void *door_cookie(int id); /* the cookie of a door this domain serves, or NULL */
void door_pool_limit(int max);

/*
 * Interfaces. A service lists its operations once:
 *
 *   #define ECHO_OPS(OP) \
 *           OP(echo, ping, 1, struct ping_in, struct ping_out) \
 *           OP(echo, read, 2, struct read_in, struct read_out, DOOR_IO)
 *   DOOR_INTERFACE(echo, ECHO_OPS)
 *
 * and gets: struct echo_ops (the server's functions, one per operation:
 * int ping(void *obj, const struct ping_in *, struct ping_out *)), client
 * stubs int echo_ping(const struct door_binding *, const struct ping_in *,
 * struct ping_out *), and echo_dispatch, the door_proc_t that serves them.
 * Bind a stub to a door with door_bind_remote, or to a linked-in server
 * with door_bind_local: the stub code is the same.
 *
 * An operation marked DOOR_IO also carries, in a struct door_io, bytes of
 * any size up to DOOR_IO_MAX each way beside its fixed IN and OUT, and a
 * door each way: its stub and its server function take a struct door_io *
 * last. A door received is the receiver's to keep or close, whether the
 * server is remote or linked in. A server may answer bytes from memory of
 * its own by pointing io->out there, if that memory stays as it is until
 * the reply has gone (after the function returns): memory under a lock
 * it holds and names in io->release, which is let go then.
 *
 * On the wire a call is {uint32_t op; IN} and a reply {int32_t status; OUT},
 * so an operation whose IN and OUT are 12 bytes or less rides the fast path;
 * a DOOR_IO call is {uint32_t op; IN; uint32_t out_cap; bytes} and its reply
 * {int32_t status; OUT; bytes}. The stub sends the bytes as the message's
 * tail (door_pieces_t.tail_ptr) and takes the reply's into io->out
 * (door_pieces_t.rtail): the bytes are never copied into one buffer with the
 * head, and a page-aligned io->in of a page or more has its pages shared
 * with the server (the bulk path), as does a page-aligned answer of a
 * page or more that lands page aligned in io->out.
 */
struct door_binding {
	int id;          /* remote: the door */
	const void *ops; /* local: the server's operations */
	void *obj;       /* local: the server object */
};

static inline void door_bind_remote(struct door_binding *b, int id)
{
	*b = (struct door_binding){id, NULL, NULL};
}

static inline void door_bind_local(struct door_binding *b, const void *ops, void *obj)
{
	*b = (struct door_binding){-1, ops, obj};
}

/* The object a dispatcher serves: the door's cookie. unref, if set, is
 * called with obj on the door's unreferenced notification (create the door
 * with DOOR_UNREF): the place to free an object served by a door of its
 * own. */
struct door_served {
	const void *ops;
	void *obj;
	void (*unref)(void *obj);
};

/* The variable part of a DOOR_IO operation. */
#define DOOR_IO_MAX 8192 /* bytes each way in one call */

/* The sixth word of an operation: its bytes sent travel with the call
 * (DOOR_IO), or, when there are more than a few hundred, stay with the
 * caller until the server takes them where it wants them (DOOR_IO_PULL:
 * its server function reads them only through door_io_take or door_io_in,
 * as io->in is NULL until then). */
#define DOOR_IO      0
#define DOOR_IO_PULL 1

struct door_io {
	const void *in;     /* bytes sent */
	uint32_t in_size;   /* how many (at most DOOR_IO_MAX) */
	void *out;          /* where bytes answered go */
	uint32_t out_cap;   /* its size: the most the server may answer */
	uint32_t out_size;  /* out: bytes answered */
	int in_door;        /* a door sent, or -1; a server keeping the one it
	                     * got sets it to -1, else it is closed after */
	uint32_t in_flags;  /* DOOR_MOVE: the sender's id goes with it */
	int out_door;       /* out: a door answered, or -1 */
	uint32_t out_flags; /* server: DOOR_MOVE to hand its id over */
	int *release;       /* server: a lock word (0 free) it still holds for
	                     * the bytes at out, cleared once they have gone */
};

/* An empty door_io: no bytes, no doors. */
#define DOOR_IO_NONE                                                                               \
	{                                                                                          \
		NULL, 0, NULL, 0, 0, -1, 0, -1, 0, NULL                                            \
	}

#define DOOR_IFACE_PICK(a, b, c, d, e, f, g, ...) g
#define DOOR_IFACE_CAT_(a, b)                     a##b
#define DOOR_IFACE_CAT(a, b)                      DOOR_IFACE_CAT_(a, b)
/* DOOR_IFACE_SEL(X, args) is X_IO(args) for a DOOR_IO operation, else X_FIXED(args). */
#define DOOR_IFACE_SEL(X, ...)                                                                     \
	DOOR_IFACE_CAT(X, DOOR_IFACE_PICK(__VA_ARGS__, _IO, _FIXED, -))(__VA_ARGS__)

#define DOOR_IFACE_FIELD(...) DOOR_IFACE_SEL(DOOR_IFACE_FIELD, __VA_ARGS__)
#define DOOR_IFACE_FAST(...)  DOOR_IFACE_SEL(DOOR_IFACE_FAST, __VA_ARGS__)
#define DOOR_IFACE_STUB(...)  DOOR_IFACE_SEL(DOOR_IFACE_STUB, __VA_ARGS__)
#define DOOR_IFACE_CASE(...)  DOOR_IFACE_SEL(DOOR_IFACE_CASE, __VA_ARGS__)

#define DOOR_IFACE_FIELD_FIXED(iface, op, num, IN, OUT)                                            \
	int (*op)(void *obj, const IN *in, OUT *out);
#define DOOR_IFACE_FIELD_IO(iface, op, num, IN, OUT, iotag)                                        \
	int (*op)(void *obj, const IN *in, OUT *out, struct door_io *io);

#define DOOR_IFACE_STUB_FIXED(iface, op, num, IN, OUT)                                             \
	static inline int iface##_##op(const struct door_binding *b, const IN *in, OUT *out)       \
	{                                                                                          \
		if (b->ops)                                                                        \
			return ((const struct iface##_ops *)b->ops)->op(b->obj, in, out);          \
		struct {                                                                           \
			uint32_t op;                                                               \
			IN in;                                                                     \
		} msg = {num, *in};                                                                \
		struct {                                                                           \
			int32_t status;                                                            \
			OUT out;                                                                   \
		} rep;                                                                             \
		uint32_t got;                                                                      \
		int err;                                                                           \
		if (sizeof msg <= DOOR_FAST_MAX && sizeof rep <= DOOR_FAST_MAX) {                  \
			err = door_call_small(b->id, &msg, sizeof msg, &rep, sizeof rep, &got);    \
		} else {                                                                           \
			door_arg_t a = {&msg, sizeof msg, NULL, 0, &rep, sizeof rep, NULL, 0};     \
			err = door_call(b->id, &a);                                                \
			got = a.data_size;                                                         \
		}                                                                                  \
		if (err < 0)                                                                       \
			return err;                                                                \
		if (got == sizeof(int32_t))                                                        \
			return rep.status; /* the server refused the operation */                  \
		if (got != sizeof rep)                                                             \
			return -EIO;                                                               \
		*out = rep.out;                                                                    \
		return rep.status;                                                                 \
	}

#define DOOR_IFACE_STUB_IO(iface, op, num, IN, OUT, iotag)                                         \
	static inline int iface##_##op(const struct door_binding *b, const IN *in, OUT *out,       \
	                               struct door_io *io)                                         \
	{                                                                                          \
		if (b->ops)                                                                        \
			return door_io_local(                                                      \
			        io, b->obj, in, out,                                               \
			        (door_io_fn)((const struct iface##_ops *)b->ops)->op);             \
		struct {                                                                           \
			uint32_t op;                                                               \
			IN in;                                                                     \
			uint32_t out_cap;                                                          \
		} m = {num, *in, io->out_cap};                                                     \
		struct {                                                                           \
			int32_t status;                                                            \
			OUT out;                                                                   \
		} r;                                                                               \
		int err = door_io_call(b->id, io, &m, sizeof m, &r, sizeof r, iotag);              \
		if (err < 0)                                                                       \
			return err;                                                                \
		if (err == 0)                                                                      \
			*out = r.out;                                                              \
		return r.status;                                                                   \
	}

/* In iface##_fast: a fixed operation whose call and reply fit in the four
 * words, served in place (sizes are constants: the others fold away). */
#define DOOR_IFACE_FAST_FIXED(iface, op, num, IN, OUT)                                             \
	case num: {                                                                                \
		struct {                                                                           \
			uint32_t op;                                                               \
			IN in;                                                                     \
		} m;                                                                               \
		struct {                                                                           \
			int32_t status;                                                            \
			OUT out;                                                                   \
		} r;                                                                               \
		if (sizeof m > DOOR_FAST_MAX || sizeof r > DOOR_FAST_MAX || size != sizeof m)      \
			break;                                                                     \
		__builtin_memcpy(&m, w, sizeof m <= DOOR_FAST_MAX ? sizeof m : 0);                 \
		__builtin_memset(&r, 0, sizeof r);                                                 \
		r.status = ops->op(s->obj, &m.in, &r.out);                                         \
		__builtin_memcpy(w, &r, sizeof r <= DOOR_FAST_MAX ? sizeof r : 0);                 \
		return sizeof r;                                                                   \
	}
#define DOOR_IFACE_FAST_IO(iface, op, num, IN, OUT, iotag) /* never in registers */

#define DOOR_IFACE_CASE_FIXED(iface, op, num, IN, OUT)                                             \
	case num: {                                                                                \
		struct {                                                                           \
			int32_t status;                                                            \
			OUT out;                                                                   \
		} *r = rep->buf;                                                                   \
		if (req->size != sizeof(uint32_t) + sizeof(IN))                                    \
			break;                                                                     \
		IN in;                                                                             \
		__builtin_memcpy(&in, (const char *)req->data + sizeof(uint32_t), sizeof in);      \
		__builtin_memset(r, 0, sizeof *r);                                                 \
		if (req->ndesc)                                                                    \
			door_drop_received(req); /* it takes no doors: none stay behind */         \
		r->status = ops->op(s->obj, &in, &r->out);                                         \
		rep->data = r;                                                                     \
		rep->size = sizeof *r;                                                             \
		return;                                                                            \
	}

#define DOOR_IFACE_CASE_IO(iface, op, num, IN, OUT, iotag)                                         \
	case num: {                                                                                \
		struct {                                                                           \
			uint32_t op;                                                               \
			IN in;                                                                     \
			uint32_t out_cap;                                                          \
		} msg;                                                                             \
		struct {                                                                           \
			int32_t status;                                                            \
			OUT out;                                                                   \
		} *r = rep->buf;                                                                   \
		struct door_io io;                                                                 \
		if (!door_io_serve_begin(req, rep, &io, &msg, sizeof msg, sizeof *r, iotag))       \
			break;                                                                     \
		__builtin_memset(r, 0, sizeof *r);                                                 \
		r->status = ops->op(s->obj, &msg.in, &r->out, &io);                                \
		door_io_serve_end(rep, &io, sizeof *r);                                            \
		return;                                                                            \
	}

/* The helpers DOOR_IO stubs and dispatchers share (call.c). */
typedef int (*door_io_fn)(void *obj, const void *in, void *out, struct door_io *io);
int door_io_call(int id, struct door_io *io, const void *msg, uint32_t head, void *reply,
                 uint32_t rhead, int pull);
int door_io_local(struct door_io *io, void *obj, const void *in, void *out, door_io_fn fn);
int door_io_serve_begin(const struct door_request *req, struct door_reply *rep, struct door_io *io,
                        void *msg, uint32_t head, uint32_t rhead, int pull);
int door_io_take(const struct door_io *io, void *dst, uint32_t off, uint32_t n);
const void *door_io_in(const struct door_io *io, void *buf);
void door_io_serve_end(struct door_reply *rep, struct door_io *io, uint32_t rhead);
void door_drop_received(const struct door_request *req); /* closes every door it brought */
void door_release_word(uint32_t *word); /* as door_result_t.release: 0, a waiter woken if 2 */

#define DOOR_INTERFACE(iface, OPS)                                                                 \
	struct iface##_ops {                                                                       \
		OPS(DOOR_IFACE_FIELD)                                                              \
	};                                                                                         \
	OPS(DOOR_IFACE_STUB)                                                                       \
	static inline void iface##_dispatch(void *cookie, const struct door_request *req,          \
	                                    struct door_reply *rep)                                \
	{                                                                                          \
		const struct door_served *s = cookie;                                              \
		const struct iface##_ops *ops = s->ops;                                            \
		static const int32_t bad = -EINVAL;                                                \
		uint32_t op = 0;                                                                   \
		if (req->flags & DOOR_ENTRY_UNREF) {                                               \
			if (s->unref)                                                              \
				s->unref(s->obj);                                                  \
			rep->size = 0;                                                             \
			return;                                                                    \
		}                                                                                  \
		if (req->size >= sizeof op)                                                        \
			__builtin_memcpy(&op, req->data, sizeof op);                               \
		switch (op) {                                                                      \
			OPS(DOOR_IFACE_CASE)                                                       \
		}                                                                                  \
		door_drop_received(req); /* refused: the doors it brought go */                    \
		rep->data = &bad;                                                                  \
		rep->size = sizeof bad;                                                            \
	}                                                                                          \
	/* The fast procedure of a door made with door_create_mixed(iface##_fast,                  \
	 * iface##_dispatch, ...): the small fixed operations, in the four                         \
	 * words, without a door_request; any other message in registers (no                       \
	 * stub sends one) is refused as the dispatcher refuses what it does                       \
	 * not know. */                                                                            \
	static inline DOOR_FAST_PROC uint32_t iface##_fast(void *cookie, uint32_t w[4],            \
	                                                   uint32_t size)                          \
	{                                                                                          \
		const struct door_served *s = cookie;                                              \
		const struct iface##_ops *ops = s->ops;                                            \
		switch (size >= sizeof(uint32_t) ? w[0] : 0) {                                     \
			OPS(DOOR_IFACE_FAST)                                                       \
		}                                                                                  \
		w[0] = (uint32_t)-EINVAL;                                                          \
		return sizeof(int32_t);                                                            \
	}

#endif
