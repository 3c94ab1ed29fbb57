/* SPDX-License-Identifier: MIT */
/*
 * Doors, door tables, server pools and shuttles: the nucleus side of the
 * door ABI in include/sprig/door.h (docs/doors.md). Included by nucleus.h;
 * the rest of the nucleus calls only the functions declared here.
 *
 * Objects: door.c (doors, references, revocation, unreferenced delivery),
 * dtable.c (per-domain tables of ids), shuttle.c (the scheduling identity
 * of a call chain), doorcall.c (call, return, the fast path, failures),
 * names.c (the boot-time name registry).
 */
#ifndef SPRIG_NUCLEUS_DOOR_H
#define SPRIG_NUCLEUS_DOOR_H

#include <stdint.h>
#include <sprig/door.h>

#include "nucleus/list.h"

struct thread;
struct domain;
struct sysregs;
struct sysframe;

#define MAX_DOORS 1024

/* Work a server pool does on nobody's call, queued on pool->upcalls in
 * order: a door's unreferenced notification, or a notice (domobj.c). */
enum upcall_kind { UPCALL_UNREF = 1, UPCALL_NOTICE };
struct upcall {
	struct list_node link;
	enum upcall_kind kind;
};

struct door;

/* A notice to a door's server from the nucleus (a watched domain's end):
 * 16 bytes for the server thread's registers. domobj.c makes them. */
struct notice {
	struct upcall up;
	struct door *door; /* held until delivered or dropped */
	uint32_t words[4];
	/* Called when delivered or dropped instead of freeing a domobj.c
	 * notice: an interrupt line's own notice (irqline.c); else NULL. */
	void (*done)(struct notice *n);
};

struct door {
	int live;
	uint32_t serial;       /* system-wide number, for door_info */
	struct domain *server; /* NULL once the serving domain is gone */
	uint32_t entry, datum;
	uint32_t flags;    /* DOOR_UNREF* | DOOR_REVOKED */
	uint32_t refs;     /* table entries anywhere, plus nucleus holds */
	uint32_t ext_refs; /* table entries outside the server domain */
	int unref_armed;   /* an unreferenced notification is due when ext_refs hits 0 */
	int unref_queued;  /* on the server pool's upcalls list */
	struct upcall unref;
};

/* A domain's door ids. An id is gen << 8 | slot; a closed slot's generation
 * moves on, so its old id never names another door. A slot whose generation
 * has run out is retired for good rather than wrapped. key[slot] is the id
 * of the slot's door with DTABLE_LIVE set, so a lookup is one compare (the
 * fast path's too: DTABLE_LIVE is DOOR_FAST, which its operation word has);
 * while the slot is free it is the generation its next door gets, << 8 (a
 * table filled with zeros is empty, at generation 0), and a retired slot's
 * is past the last generation. Neither is live, so neither matches. */
#define DTABLE_GEN_MAX 0xffffu
#define DTABLE_LIVE    0x80000000u
struct dtable {
	struct door *door[DOOR_TABLE_SIZE];
	uint32_t key[DOOR_TABLE_SIZE];
	uint32_t next; /* where the search for a free slot starts */
	uint32_t used;
};

/* A domain's server threads and what waits for them. */
struct door_pool {
	struct thread *idle;      /* parked server threads, a stack through */
	                          /* dt.next_idle: the warmest first; NULL if none */
	struct list_node callers; /* callers waiting for a thread, FIFO (dt.link) */
	struct list_node upcalls; /* notifications and notices waiting for a thread */
	int nthreads;             /* bound server threads, idle or busy */
};

/* The scheduling identity of a call chain: its priority, its CPU time and
 * whether its originator has gone. Every thread owns one; a server thread
 * borrows its caller's for the length of a call. */
struct shuttle {
	int prio;
	uint32_t ticks;
	int alerted;
	int interrupted; /* a thread on it waiting for a reply has a signal pending */
};

enum door_wait {
	DW_NONE,   /* not in a door operation */
	DW_POOL,   /* server thread parked, waiting for a call */
	DW_QUEUED, /* caller waiting for a server thread */
	DW_CALL,   /* caller waiting for its server's return */
};

/* How a thread entered the nucleus, so how a parked one is resumed: a
 * trapframe (int $0x80) or a sysframe (sysenter); a fast caller has its
 * request and will get its results in registers. */
#define DOOR_MODE_TRAP     0
#define DOOR_MODE_SYSENTER 1
#define DOOR_MODE_FAST     2

/* What a caller asks: four words in registers (fast) or the caller's
 * door_arg_t, read once at the call. */
struct door_request {
	uint32_t size;
	uint32_t words[4];
	uint32_t argp; /* user address of the door_arg_t */
	door_arg_t arg;
	uint32_t tail, tail_size;   /* DOOR_CALL_PIECES: more argument bytes */
	uint32_t rtail, rtail_size; /* and where result bytes past rsize go */
	int pull;                   /* DOOR_CALL_PULL: the server pulls the tail */
};

/* The door state of a thread. The frame fields say how to resume a parked
 * thread: its entry frame sits at the top of its nucleus stack. */
struct door_thread {
	/* wait and mode share a word, so the fast path sets both in one store */
	uint16_t wait;            /* enum door_wait */
	uint16_t mode;            /* DOOR_MODE_*: how it entered, so how it leaves */
	struct list_node link;    /* on a pool's callers list */
	struct thread *next_idle; /* server: below it on its pool's idle stack */
	struct door *calling;     /* caller: the door called, held while queued; NULL */
	                          /* once the call has started */
	struct thread *caller;    /* server: the thread served, NULL if gone; */
	                          /* idle: stale, like shuttle and depth (pool_pop) */
	struct thread *callee;    /* caller: the server thread, NULL while queued */
	struct door_request req;  /* caller: the request */
	struct shuttle own;
	struct shuttle *shuttle; /* &own, or the caller's while serving */
	int depth;               /* calls above this thread in its chain */
	int bound;               /* a server thread of its domain's pool */
	door_server_t srv;       /* server: its buffers */
	uint32_t srv_esp;        /* server: esp for the next call */
	uint32_t bulk_mapped;    /* server: bytes mapped in the bulk window */
};

/* door.c */
struct door *door_alloc(struct domain *server, uint32_t entry, uint32_t datum, uint32_t flags);
void door_hold(struct door *d, struct domain *holder);
void door_release(struct door *d, struct domain *holder);
void door_free(struct door *d);
void door_revoke_object(struct door *d);
void door_revoke_served(struct domain *server);
void door_server_gone(struct domain *server);
void door_fill_info(const struct door *d, const struct domain *asker, door_info_t *info);
void door_unref_delivered(struct door *d);

/* A nucleus hold: keeps the object alive, says nothing about clients. */
static inline void door_get(struct door *d)
{
	d->refs++;
}

static inline void door_put(struct door *d)
{
	if (--d->refs == 0)
		door_free(d);
}

/* dtable.c */
int dtable_insert(struct domain *dom, struct door *d);
int dtable_close(struct domain *dom, int id);
void dtable_close_all(struct domain *dom);
struct door *dtable_lookup(struct domain *dom, int id);

/* shuttle.c */
void shuttle_init_thread(struct thread *t, int prio);
void shuttle_charge_tick(struct thread *t);
void shuttle_split_below(struct thread *t);
void shuttle_fill_info(const struct thread *t, shuttle_info_t *info);
void shuttle_interrupt(struct thread *t);

/* doorcall.c */
void door_fast_call(struct sysframe *f);
void door_fast_return(struct sysframe *f);

/* fastpath.S has the same two in assembly, which the sysenter entry takes
 * unless door_fast_use_c() (cpu.c) was called: the "fastpath=c" boot
 * option. */
void door_fast_use_c(void);
int door_sys_call(int id, uint32_t argp, uint32_t flags, int mode);
int door_sys_pull(uint32_t off, uint32_t dst, uint32_t n);
int door_sys_return(uint32_t resultp, uint32_t esp, int mode);
int door_sys_bind(uint32_t serverp);
void door_thread_exiting(struct thread *t);
void door_thread_killed(struct thread *t);
void door_thread_signalled(struct thread *t);
void door_domain_gone(struct domain *dom);
void door_pool_notify_unref(struct domain *server, struct door *d);
void door_pool_fail_door(struct domain *server, struct door *d, int err);
void door_pool_init(struct door_pool *pool);
void door_pool_notice(struct notice *n);

/* kobj.c: doors the nucleus serves itself (sprig/kobj.h). */
enum kobj_kind {
	KOBJ_DOMAIN_MANAGER = 1,
	KOBJ_DOMAIN,
	KOBJ_DEVICE_MANAGER,
	KOBJ_IRQ_LINE,
	KOBJ_IMAGE
};
struct kobj_request {
	struct thread *caller;
	uint32_t op;
	const void *in; /* the rest of the message */
	uint32_t in_size;
	struct door *door_in; /* a door passed in, or NULL (the caller holds it) */
};
struct kobj_reply {
	int32_t status;
	uint8_t out[64]; /* OUT, out_size bytes of it */
	uint32_t out_size;
	struct door *door_out; /* a door to give back (a new hold), or NULL */
};
extern struct domain kobj_nucleus;
int kobj_call(struct thread *c, struct door *d, int mode);
struct door *kobj_door(enum kobj_kind kind, uint32_t datum);

/* domobj.c: the domain manager and domain objects. */
void domobj_manager(const struct kobj_request *rq, struct kobj_reply *rp);
void domobj_domain(uint32_t id, const struct kobj_request *rq, struct kobj_reply *rp);
void domobj_domain_ended(struct domain *d);
void domobj_released(struct door *d);
void notice_free(struct notice *n);

/* devmgr.c: the device manager; irqline.c: interrupt lines. */
int devmgr_door(const struct kobj_request *rq, struct kobj_reply *rp);
void devmgr_manager(const struct kobj_request *rq, struct kobj_reply *rp);
int irqline_bind(const struct kobj_request *rq, struct kobj_reply *rp);
void irqline_call(uint32_t datum, const struct kobj_request *rq, struct kobj_reply *rp);
void irqline_released(struct door *d);
void irqline_door_revoked(struct door *d);

/* names.c */
int names_publish(struct domain *dom, const char *name, int id);
int names_lookup(struct domain *dom, const char *name);
void names_drop_door(struct door *d);

/* The door named by id in table t, or NULL: one compare. A negative id is
 * turned away first: it has DTABLE_LIVE set already, so it would match as
 * the id without that bit. */
static inline struct door *dtable_find(const struct dtable *t, int id)
{
	uint32_t slot = (uint32_t)id & 0xff;
	if ((int32_t)id < 0 || t->key[slot] != ((uint32_t)id | DTABLE_LIVE))
		return NULL;
	return t->door[slot];
}

#endif
