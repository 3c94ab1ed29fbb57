/* SPDX-License-Identifier: MIT */
/*
 * Door objects: a target domain, an entry point, a datum, flags, and two
 * reference counts — every hold (door-table entries and the nucleus's own
 * holds for calls in progress and pending notifications) and the table
 * entries held outside the server's domain, whose drop to zero is the
 * unreferenced notification.
 *
 * Entry points: door_alloc, door_hold, door_release, door_get, door_put,
 * door_revoke_object, door_fill_info, door_unref_delivered.
 */
#include "nucleus/nucleus.h"
#include "lib/c/libc.h"
#include <sprig/errno.h>

#define DOOR_UNREF_DONE 0x10000 /* a one-shot notification has been given */

/* The door table of the whole system; interrupts off. */
static struct {
	struct door d[MAX_DOORS];
	uint32_t next_serial;
} doors; /* in .bss: serials start at 1 (pre-increment) */

/* A new door served by server at entry with datum; no references yet
 * (the caller puts it in a table). NULL when the table is full. */
struct door *door_alloc(struct domain *server, uint32_t entry, uint32_t datum, uint32_t flags)
{
	for (int i = 0; i < MAX_DOORS; i++) {
		struct door *d = &doors.d[i];
		if (d->live)
			continue;
		memset(d, 0, sizeof *d);
		d->live = 1;
		d->serial = ++doors.next_serial;
		d->server = server;
		d->entry = entry;
		d->datum = datum;
		d->flags = flags & (DOOR_UNREF | DOOR_UNREF_MULTI);
		list_init(&d->unref.link);
		d->unref.kind = UPCALL_UNREF;
		return d;
	}
	return NULL;
}

/* The last hold on d is gone. */
void door_free(struct door *d)
{
	assert(!d->unref_queued && d->refs == 0);
	d->live = 0;
	if (d->server == &kobj_nucleus)
		domobj_released(d);
	if (d->server == &kobj_nucleus && d->entry == KOBJ_IRQ_LINE)
		irqline_released(d);
}

static int is_external(const struct door *d, const struct domain *holder)
{
	return holder != d->server;
}

/* A table entry of holder's now names d. */
void door_hold(struct door *d, struct domain *holder)
{
	door_get(d);
	if (!is_external(d, holder) || d->ext_refs++ != 0)
		return;
	/* First outside reference: arm the notification if the door wants one. */
	if ((d->flags & DOOR_UNREF_MULTI) ||
	    ((d->flags & DOOR_UNREF) && !(d->flags & DOOR_UNREF_DONE)))
		d->unref_armed = 1;
}

/* A table entry of holder's no longer names d. The last outside one going
 * queues the unreferenced notification, if armed. */
void door_release(struct door *d, struct domain *holder)
{
	if (is_external(d, holder) && --d->ext_refs == 0 && d->unref_armed) {
		d->unref_armed = 0;
		if (!(d->flags & DOOR_UNREF_MULTI))
			d->flags |= DOOR_UNREF_DONE;
		if (d->server && !(d->flags & DOOR_REVOKED) && !d->unref_queued) {
			door_get(d); /* held until a server thread takes it */
			d->unref_queued = 1;
			door_pool_notify_unref(d->server, d);
		}
	}
	door_put(d);
}

/* A server thread has taken d's notification off its pool's list. */
void door_unref_delivered(struct door *d)
{
	d->unref_queued = 0;
	list_remove(&d->unref.link);
	door_pool_taken(d->server); /* queued on it, so it lives */
	door_put(d);
}

/* No call through d succeeds from now on; calls in progress finish. */
void door_revoke_object(struct door *d)
{
	if (d->flags & DOOR_REVOKED)
		return;
	door_get(d); /* dropping the holds below must not free it under us */
	d->flags |= DOOR_REVOKED;
	names_drop_door(d);
	if (d->unref_queued)
		door_unref_delivered(d);
	if (d->server)
		door_pool_fail_door(d->server, d, -EBADF);
	irqline_door_revoked(d); /* a line bound to it is masked and freed */
	door_put(d);
}

void door_fill_info(const struct door *d, const struct domain *asker, door_info_t *info)
{
	memset(info, 0, sizeof *info);
	info->target = d->server ? d->server->id : -1;
	info->entry = d->entry;
	info->datum = d->datum;
	info->flags = (d->flags & (DOOR_UNREF | DOOR_UNREF_MULTI | DOOR_REVOKED)) |
	              (d->server == asker ? DOOR_LOCAL : 0) |
	              (d->ext_refs == 0 ? DOOR_IS_UNREF : 0);
	info->refs = d->refs;
	info->id = d->serial;
}

/* The domain serving its doors is gone: they stay as revoked objects until
 * their last reference goes. */
void door_server_gone(struct domain *server)
{
	for (int i = 0; i < MAX_DOORS; i++) {
		struct door *d = &doors.d[i];
		if (d->live && d->server == server) {
			door_revoke_object(d);
			d->server = NULL;
		}
	}
}

/* Revokes every door served by server (it is dying). */
void door_revoke_served(struct domain *server)
{
	for (int i = 0; i < MAX_DOORS; i++)
		if (doors.d[i].live && doors.d[i].server == server)
			door_revoke_object(&doors.d[i]);
}
