/* SPDX-License-Identifier: MIT */
/*
 * Nucleus objects: objects the nucleus itself serves through doors
 * (docs/processes.md). A domain reaches one only through a door to it;
 * nobody has one unless given it. The first boot module starts with a door
 * to the domain manager, its id in ebx (every other module gets -1; crt0
 * keeps it as sprig_start_door).
 *
 * Wire format, as DOOR_INTERFACE's: a call is {uint32_t op; IN}, a reply
 * {int32_t status; OUT} (just the status when the operation is refused);
 * a door travels in door_arg_t's desc (in) or rdesc (out). Calls take the
 * general path; a fast call is served the same way.
 */
#ifndef SPRIG_KOBJ_H
#define SPRIG_KOBJ_H

#include <stdint.h>

#define KOBJ_MSG_MAX  256 /* bytes of a request, op included */
#define KOBJ_NAME_MAX 32

/* The domain manager. */
#define DM_CREATE  1 /* kobj_create_in -> {status}, rdesc[0]: the new domain */
#define DM_DEVICES 2 /* {} -> {status}, rdesc[0]: the device manager */
#define DM_IMAGE   3 /* kobj_image_in -> {status}, rdesc[0]: an image (below) */
#define DM_FRAMES  4 /* {} -> kobj_frames_out: the machine's free and total frames */

struct kobj_create_in {
	char name[KOBJ_NAME_MAX]; /* NUL-terminated */
	uint32_t frames;          /* frame limit; 0: the nucleus's default */
};

/* A domain. Every operation on a domain that has ended answers -ESRCH. */
#define DOM_LOAD       1  /* kobj_load_in -> kobj_load_out: an ELF image from the caller */
#define DOM_THREAD     2  /* kobj_thread_in -> {status = thread id} */
#define DOM_GIVE       3  /* desc[0]: a door -> {status = its id in the domain} */
#define DOM_KILL       4  /* {int32_t status} -> {0}: ends it */
#define DOM_WATCH      5  /* desc[0]: a door to notify when it ends -> {0} */
#define DOM_INFO       6  /* {} -> kobj_info_out */
#define DOM_CLONE      7  /* kobj_clone_in -> {status}, rdesc[0]: a new domain (below) */
#define DOM_SIGNAL     8  /* kobj_signal_in -> {0}: an upcall in its main thread (sprig/signal.h) */
#define DOM_LOAD_IMAGE 9  /* kobj_load_image_in, desc[0]: an image -> kobj_load_out */
#define DOM_FRAMES     10 /* {} -> kobj_frames_out: the frames it holds, and its limit */

struct kobj_load_in {
	uint32_t image, size; /* the ELF file in the caller's memory */
	char args[200];       /* the argument string, NUL-terminated */
};

/* Where the first thread should start (DOM_THREAD): entry with esp, and
 * eax = argp, as the nucleus starts a boot module. */
struct kobj_load_out {
	uint32_t entry, esp, argp;
};

/* The thread starts at eip with esp, eax, and ebx (crt0 keeps ebx as
 * sprig_start_door: the id of a door the starter gave it, or -1). */
struct kobj_thread_in {
	uint32_t eip, esp, eax, ebx;
};

struct kobj_info_out {
	uint32_t id, threads;
};

/* DM_FRAMES: free, total; DOM_FRAMES: held, limit (0: none). */
struct kobj_frames_out {
	uint32_t free, total;
};

/*
 * Program images (docs/processes.md §2). DM_IMAGE reads an ELF executable
 * from the caller's memory, as DOM_LOAD does, and answers a door to an
 * image: a memory object per loadable segment, filled from the file.
 * DOM_LOAD_IMAGE loads an empty domain from one: read-only segments map
 * the image's objects (the same pages in every domain loaded from it),
 * writable ones get a copy. Errors: -ENOEXEC (a malformed file), -EFAULT,
 * -ENOMEM (memory, or the frames all images may hold), -EAGAIN (no room
 * for another image); DOM_LOAD_IMAGE: -EINVAL (no image door), -EBUSY
 * (already loaded), -ENOMEM.
 */
struct kobj_image_in {
	uint32_t image, size; /* the ELF file in the caller's memory */
};

struct kobj_load_image_in {
	char args[200]; /* the argument string, NUL-terminated */
};

/* An image door's one operation. */
#define IMG_INFO 1 /* {} -> kobj_image_info */
struct kobj_image_info {
	uint32_t shared_pages; /* pages of its read-only segments: mapped, not copied */
	uint32_t copied_pages; /* pages of file data in its writable segments */
	uint32_t frames;       /* frames its objects hold now */
	uint32_t mappers;      /* domains mapping its shared segments */
};

/* DOM_CLONE: a new domain named name, with no threads and no doors (the
 * caller gives those), whose memory is a copy-on-write copy of this one's
 * (fork); with KOBJ_CLONE_SHARED, every region but the main stack is the
 * same memory in both, pages either side touches later included (Sprite's
 * shared fork), and only the main stack is copied. Device regions are
 * never cloned. The old input, the name alone (KOBJ_NAME_MAX bytes), is
 * flags 0. -EINVAL for an unknown flag; -ENOMEM when a frame limit or
 * memory refuses the copy. */
#define KOBJ_CLONE_SHARED 1u
struct kobj_clone_in {
	char name[KOBJ_NAME_MAX]; /* NUL-terminated */
	uint32_t flags;           /* KOBJ_CLONE_* */
};

/* DOM_SIGNAL: the domain's main thread (its oldest) enters eip with
 * eax = arg at its next way out of the nucleus (sprig/signal.h). -EAGAIN
 * when KOBJ_SIGNAL_QUEUE signals already wait; -EFAULT when eip is not a
 * user address; -ESRCH when the domain has no thread. */
#define KOBJ_SIGNAL_QUEUE 8
struct kobj_signal_in {
	uint32_t eip, arg;
};

/*
 * The notice a watch door gets when its domain ends: its server thread is
 * entered with DOOR_ENTRY_NOTICE | DOOR_ENTRY_REGS and 16 bytes in ebx esi
 * edi ebp: struct kobj_notice. No caller waits; the reply is dropped.
 */
#define KOBJ_END_EXIT 1 /* status: what it passed to exit (0 if its threads just ended) */
#define KOBJ_END_FAULT                                                                             \
	2                  /* detail: the vector, addr: the faulting address (page                 \
	                    * faults) or instruction */
#define KOBJ_END_KILLED  3 /* status: what DOM_KILL passed */
#define KOBJ_END_NUCLEUS 4 /* the nucleus ended it (out of memory, over its limit) */

struct kobj_notice {
	uint32_t domain; /* its id (kobj_info_out.id) */
	uint32_t cause;  /* KOBJ_END_* */
	int32_t status;  /* EXIT, KILLED: the status; FAULT: the vector */
	uint32_t addr;   /* FAULT: the address */
};

/*
 * The device manager (docs/processes.md, 3): what a user-mode driver may
 * touch, each granted to one domain. A domain door in desc[0] names the
 * domain; one that has ended answers -ESRCH.
 */
#define DEV_PORTS 1 /* kobj_ports_in, desc[0]: a domain -> {0} */
#define DEV_IRQ   2 /* kobj_irq_in, desc[0]: a door the driver serves -> {0}, rdesc[0]: the line */
#define DEV_MAP   3 /* kobj_map_in, desc[0]: a domain -> kobj_map_out */

/* The I/O ports [first, first + count) become the domain's to use. */
struct kobj_ports_in {
	uint32_t first, count;
};

/* Interrupt line 1..15 (not 2, the cascade) is bound to the door given. */
struct kobj_irq_in {
	uint32_t line;
};

/* The physical range [phys, phys + size), page-rounded, mapped uncached,
 * read/write, into the domain at addr. Never RAM. */
struct kobj_map_in {
	uint32_t phys, size;
};

struct kobj_map_out {
	uint32_t addr;
};

/* An interrupt line (DEV_IRQ's door). Its last door closed, or its bound
 * door revoked or its server gone, and the line is masked and free. */
#define IRQ_ACK 1 /* {} -> {0}: unmasks the line, for the next interrupt */

/*
 * What the bound door's server thread gets on an interrupt: it is entered
 * with DOOR_ENTRY_NOTICE | DOOR_ENTRY_REGS and 16 bytes in ebx esi edi ebp.
 * The line stays masked until IRQ_ACK. count: interrupts since the bind.
 */
struct kobj_irq_notice {
	uint32_t line, count, zero[2];
};

#endif
