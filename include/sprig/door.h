/* SPDX-License-Identifier: MIT */
/*
 * The door ABI shared by the nucleus and user space; docs/doors.md explains
 * it. A door id is a small integer meaningful only in its own domain; ids
 * carry a generation, so a closed id never names a later door.
 */
#ifndef SPRIG_DOOR_H
#define SPRIG_DOOR_H

#include <stdint.h>

#define DOOR_FAST_MAX    16         /* bytes each way in registers */
#define DOOR_VANILLA_MAX 0x40000u   /* 256 KiB: the most one call copies */
#define DOOR_BULK_MAX    0x1000000u /* 16 MiB: the most one call maps */
#define DOOR_DESC_MAX    8          /* doors passed in one call or return */
#define DOOR_DEPTH_MAX   16         /* nested calls on one shuttle */
#define DOOR_TABLE_SIZE  256        /* ids per domain */

/* door_create flags */
#define DOOR_UNREF       0x1 /* invoke once with DOOR_ENTRY_UNREF when unreferenced */
#define DOOR_UNREF_MULTI 0x2 /* ... and again each time it becomes unreferenced */

/* door_info flags (plus the creation flags above) */
#define DOOR_REVOKED  0x100 /* calls fail with -EBADF */
#define DOOR_LOCAL    0x200 /* served by the calling domain itself */
#define DOOR_IS_UNREF 0x400 /* no references outside the server's domain */

/* door_desc flags */
#define DOOR_MOVE 0x1 /* the sender's id is closed when the door is delivered */

typedef struct door_desc {
	int32_t id;     /* in the sender's table; rewritten for the receiver */
	uint32_t flags; /* DOOR_MOVE */
} door_desc_t;

/* The caller's side of door_call; every field is in/out as noted. */
typedef struct door_arg {
	const void *data_ptr;  /* in: arguments; out: = rbuf */
	uint32_t data_size;    /* in: argument bytes; out: result bytes */
	door_desc_t *desc_ptr; /* in: doors to pass */
	uint32_t desc_num;     /* in: how many */
	void *rbuf;            /* in: where results go */
	uint32_t rsize;        /* in: its size */
	door_desc_t *rdesc;    /* in: where returned doors go */
	uint32_t rdesc_num;    /* in: its capacity; out: doors returned */
} door_arg_t;

/* A call of two pieces each way (SYS_DOOR_CALL with DOOR_CALL_PIECES), so
 * a head and a buffer travel as one message with no copy into one place
 * first. The nucleus rewrites arg as for any call. */
typedef struct door_pieces {
	door_arg_t arg;
	const void *tail_ptr; /* in: argument bytes sent after arg.data_ptr's */
	uint32_t tail_size;   /* in: how many */
	void *rtail;          /* in: where result bytes past arg.rsize go */
	uint32_t rtail_size;  /* in: its size */
} door_pieces_t;

/* SYS_DOOR_CALL's third argument */
#define DOOR_CALL_PIECES 0x1 /* the second is a door_pieces_t * */
#define DOOR_CALL_PULL                                                                             \
	0x2 /* with PIECES: the tail is not sent; the server                                       \
	     * copies what it wants of it, where it wants                                          \
	     * it, with SYS_DOOR_PULL while the call lasts */

/* What door_return hands back to the caller: data's bytes, then tail's. */
typedef struct door_result {
	const void *data_ptr;
	uint32_t data_size;
	const door_desc_t *desc_ptr;
	uint32_t desc_num;
	const void *tail_ptr;
	uint32_t tail_size;
	/* A 32-bit word the results were kept stable under (a lock the server
	 * holds: 0 free, 1 held, 2 held with threads waiting on it as a
	 * futex), or NULL: once they have gone it is set to 0, and if it was
	 * 2 one waiter is woken. So a server can answer from memory another
	 * thread may change as soon as the lock is free. */
	uint32_t *release;
} door_result_t;

/* A server thread's buffers, given once by door_bind. */
typedef struct door_server {
	void *rbuf; /* vanilla data lands here */
	uint32_t rsize;
	door_desc_t *rdesc; /* received doors land here */
	uint32_t rdesc_num;
	void *bulk;         /* page aligned: bulk data is mapped here */
	uint32_t bulk_size; /* a multiple of the page size, or 0 */
} door_server_t;

typedef struct door_info {
	int32_t target; /* the serving domain's id, or -1 once it has gone */
	uint32_t entry; /* entry point in the server */
	uint32_t datum; /* the server's name for the object */
	uint32_t flags; /* creation flags | DOOR_REVOKED | DOOR_LOCAL | DOOR_IS_UNREF */
	uint32_t refs;  /* references held by all domains */
	uint32_t id;    /* a number naming the door object system-wide */
} door_info_t;

typedef struct shuttle_info {
	uint32_t alerted; /* the call's originator has gone: results are discarded */
	uint32_t depth;   /* calls in the chain above this thread */
	uint32_t prio;
	uint32_t ticks;       /* timer ticks charged to this shuttle */
	uint32_t interrupted; /* a thread above this one in the chain has a signal pending */
} shuttle_info_t;

/*
 * Server entry: a server thread starts each call at the door's entry point,
 * with esp as it gave to door_return and:
 *   eax  the door's datum
 *   ecx  data size (bits 0-23) | DOOR_ENTRY_* flags
 *   edx  number of doors received (in door_server_t.rdesc)
 *   ebx  data pointer (rbuf or the bulk window), or with DOOR_ENTRY_REGS
 *        ebx esi edi ebp hold the data itself, 16 bytes at most
 *   esi  with DOOR_ENTRY_PULL: the size of the tail left to pull
 *   ds es fs gs  the user data segment, whichever path the call took
 */
#define DOOR_ENTRY_SIZE_MASK 0x00ffffffu
#define DOOR_ENTRY_REGS      0x01000000u /* data in ebx esi edi ebp */
#define DOOR_ENTRY_UNREF     0x02000000u /* the unreferenced notification */
#define DOOR_ENTRY_DEPLETED  0x04000000u /* the pool is empty: add threads */
#define DOOR_ENTRY_BULK      0x08000000u /* data mapped in the bulk window */
#define DOOR_ENTRY_NOTICE    0x10000000u /* a notice from the nucleus (sprig/kobj.h) */
#define DOOR_ENTRY_PULL      0x20000000u /* a tail to pull: esi = its size */

/*
 * The fast entry (sysenter only), in eax:
 *   call:   DOOR_FAST | size << 24 | id       (ebx esi edi ebp: data)
 *   return: DOOR_FAST | DOOR_FAST_RETURN | size << 24 (ebx..ebp: results,
 *           ecx: esp for the next call)
 * The caller gets back eax = result size or -errno, results in ebx..ebp.
 */
#define DOOR_FAST            0x80000000u
#define DOOR_FAST_RETURN     0x40000000u
#define DOOR_FAST_RESERVED   0x20000000u /* must be 0 */
#define DOOR_FAST_SIZE_SHIFT 24
#define DOOR_FAST_ID_MASK    0x00ffffffu

#endif
