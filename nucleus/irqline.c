/* SPDX-License-Identifier: MIT */
/*
 * Interrupt lines as nucleus objects (sprig/kobj.h): DEV_IRQ binds a PIC
 * line to a door a driver serves and answers a door to the line. On the
 * interrupt the nucleus masks the line, sends EOI and queues the line's one
 * notice on the bound door's pool, as a domain's end is queued (domobj.c):
 * no allocation at interrupt time, and a line whose notice is still queued
 * only counts. IRQ_ACK on the line's door unmasks it.
 *
 * A binding ends, masking the line, when the line's last door goes, when
 * the bound door is revoked, or when its server ends (which revokes it).
 * The line door's datum carries the binding's serial, so a door that
 * outlives its binding never reaches the next one (-ESRCH).
 *
 * Entry points: irqline_bind (devmgr.c), irqline_call (kobj.c),
 * irqline_interrupt (trap.c), irqline_released (door.c),
 * irqline_door_revoked (door.c).
 */
#include "nucleus/nucleus.h"
#include "lib/c/libc.h"
#include <sprig/errno.h>
#include <sprig/kobj.h>

#define NLINES 16

/* The lines; interrupts off. */
static struct irq_line {
	struct door *bound;   /* the driver's door (held), or NULL: free */
	uint32_t serial;      /* of the current (or last) binding */
	uint32_t count;       /* interrupts since the bind */
	int queued;           /* the notice is on the bound door's pool */
	struct notice notice; /* holds bound while queued */
} lines[NLINES];

static uint32_t line_datum(int line)
{
	return lines[line].serial << 4 | (uint32_t)line;
}

/* The notice is delivered or dropped: its hold on the door goes. */
static void notice_done(struct notice *n)
{
	struct irq_line *l = (struct irq_line *)((char *)n - offsetof(struct irq_line, notice));
	l->queued = 0;
	door_put(n->door);
}

/* Ends line's binding: masked, its queued notice dropped, the door let go. */
static void unbind(int line)
{
	struct irq_line *l = &lines[line];
	if (!l->bound)
		return;
	pic_mask(line);
	if (l->queued) {
		list_remove(&l->notice.up.link);
		door_pool_taken(l->notice.door->server); /* queued on it */
		notice_done(&l->notice);
	}
	struct door *d = l->bound;
	l->bound = NULL;
	l->serial++; /* old line doors name nothing now */
	klog(LOG_INFO, "nucleus: interrupt line %d unbound (masked)", line);
	door_put(d);
}

/* DEV_IRQ: binds a line to rq's door, answering a door to the line. */
int irqline_bind(const struct kobj_request *rq, struct kobj_reply *rp)
{
	struct kobj_irq_in in;
	struct door *d = rq->door_in;
	if (rq->in_size != sizeof in || !d)
		return -EINVAL;
	memcpy(&in, rq->in, sizeof in);
	if (in.line >= NLINES || in.line == 0 || in.line == 2)
		return -EINVAL; /* the timer is the nucleus's; 2 is the cascade */
	if (d->server == &kobj_nucleus)
		return -EINVAL; /* the nucleus takes no notices */
	if (!d->server || (d->flags & DOOR_REVOKED) || d->server->dying)
		return -EBADF;
	struct irq_line *l = &lines[in.line];
	if (l->bound)
		return -EBUSY;
	l->serial++;
	struct door *ld = kobj_door(KOBJ_IRQ_LINE, line_datum((int)in.line));
	if (!ld)
		return -ENFILE;
	door_get(d);
	l->bound = d;
	l->count = 0;
	l->queued = 0;
	l->notice =
	        (struct notice){{LIST_INIT(l->notice.up.link), UPCALL_NOTICE}, d, {0}, notice_done};
	door_get(ld); /* the reply's hold; the line goes with its last door */
	rp->door_out = ld;
	klog(LOG_INFO, "nucleus: interrupt line %u bound to %s#%d", in.line, d->server->name,
	     d->server->id);
	pic_unmask((int)in.line);
	return 0;
}

/* The binding the line door with this datum names, or -1. */
static int line_of(uint32_t datum)
{
	int line = (int)(datum & 0xf);
	return lines[line].bound && lines[line].serial == datum >> 4 ? line : -1;
}

/* A call on a line door. */
void irqline_call(uint32_t datum, const struct kobj_request *rq, struct kobj_reply *rp)
{
	int line = line_of(datum);
	if (line < 0) {
		rp->status = -ESRCH;
		return;
	}
	switch (rq->op) {
	case IRQ_ACK:
		rp->status = rq->in_size == 0 && !rq->door_in ? 0 : -EINVAL;
		if (rp->status == 0)
			pic_unmask(line);
		break;
	default: rp->status = -ENOSYS; break;
	}
}

/* An interrupt on line (not the timer's, not spurious): mask, EOI, and the
 * bound driver hears of it; an unbound line just stays masked. */
void irqline_interrupt(int line)
{
	struct irq_line *l = &lines[line];
	pic_mask(line);
	pic_eoi(line);
	if (!l->bound)
		return;
	l->count++;
	l->notice.words[0] = (uint32_t)line;
	l->notice.words[1] = l->count; /* a queued notice carries the latest */
	if (l->queued)
		return;
	l->queued = 1;
	door_get(l->bound); /* the notice's hold */
	door_pool_notice(&l->notice);
}

/* The last door to a line is gone: its binding ends. */
void irqline_released(struct door *d)
{
	int line = line_of(d->datum);
	if (line >= 0)
		unbind(line);
}

/* d is revoked (by its server, or as its server ends): lines bound to it
 * are unbound. */
void irqline_door_revoked(struct door *d)
{
	for (int i = 0; i < NLINES; i++)
		if (lines[i].bound == d)
			unbind(i);
}
