/* SPDX-License-Identifier: MIT */
/*
 * Per-domain door tables: an id names a slot and the slot's generation, so
 * lookup is two array reads, and an id that was closed (or never given)
 * names nothing, not a later door in the same slot. Slots are handed out
 * round robin, so a slot's generation moves slowly; one that would wrap is
 * retired instead.
 *
 * Entry points: dtable_insert, dtable_lookup, dtable_close, dtable_close_all.
 */
#include "nucleus/nucleus.h"
#include <sprig/errno.h>

#define SLOT(id) ((uint32_t)(id)&0xff)
#define GEN(id)  ((uint32_t)(id) >> 8)

_Static_assert(DOOR_TABLE_SIZE == 256, "ids keep the slot in 8 bits");

/* What a retired slot holds: never found, since its key is not live. */
static struct door retired;

/* Gives d a new id in dom's table; -EMFILE when the table is full. */
int dtable_insert(struct domain *dom, struct door *d)
{
	struct dtable *t = &dom->dtable;
	if (t->used == DOOR_TABLE_SIZE)
		return -EMFILE;
	uint32_t slot = t->next;
	while (t->door[slot])
		slot = (slot + 1) % DOOR_TABLE_SIZE;
	t->door[slot] = d;
	t->used++;
	t->next = (slot + 1) % DOOR_TABLE_SIZE;
	door_hold(d, dom);
	uint32_t id = t->key[slot] | slot; /* free: the next generation << 8 */
	t->key[slot] = id | DTABLE_LIVE;
	return (int)id;
}

/* The door named by id in dom, or NULL. */
struct door *dtable_lookup(struct domain *dom, int id)
{
	return dtable_find(&dom->dtable, id);
}

/* Closes id in dom: 0, or -EBADF if it names nothing. */
int dtable_close(struct domain *dom, int id)
{
	struct door *d = dtable_lookup(dom, id);
	if (!d)
		return -EBADF;
	struct dtable *t = &dom->dtable;
	t->key[SLOT(id)] = ((uint32_t)id & ~0xffu) + (1u << 8); /* free: the next generation */
	if (GEN(t->key[SLOT(id)]) > DTABLE_GEN_MAX) {
		t->door[SLOT(id)] = &retired; /* full forever: no id can name it */
	} else {
		t->door[SLOT(id)] = NULL;
		t->used--;
	}
	door_release(d, dom);
	return 0;
}

/* Drops every reference dom holds (it is ending). */
void dtable_close_all(struct domain *dom)
{
	struct dtable *t = &dom->dtable;
	for (uint32_t slot = 0; slot < DOOR_TABLE_SIZE; slot++)
		if (t->key[slot] & DTABLE_LIVE)
			dtable_close(dom, (int)(t->key[slot] & ~DTABLE_LIVE));
}
