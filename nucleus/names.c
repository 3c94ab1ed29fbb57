/* SPDX-License-Identifier: MIT */
/*
 * The boot-time name registry: how the first domains find each other's
 * doors before any name server exists. A domain publishes a door under a
 * short name; another looks the name up and gets its own id for the door.
 * The registry holds the door (a nucleus hold, not a client reference);
 * revoking the door removes its name.
 *
 * Entry points: names_publish, names_lookup, names_drop_door.
 */
#include "nucleus/nucleus.h"
#include "lib/c/libc.h"
#include <sprig/errno.h>

#define MAX_NAMES 32
#define NAME_LEN  32

/* The registry; interrupts off. A name belongs to the domain that
 * published it (owner, and its id, since slots are reused) while that
 * domain lives. */
static struct {
	char name[MAX_NAMES][NAME_LEN];
	struct door *door[MAX_NAMES];
	struct domain *owner[MAX_NAMES];
	int owner_id[MAX_NAMES];
} names;

/* Whether entry i belongs to a live domain other than dom. */
static int owned_by_another(int i, const struct domain *dom)
{
	const struct domain *o = names.owner[i];
	return o && o != dom && o->live && o->id == names.owner_id[i];
}

static int find(const char *name)
{
	for (int i = 0; i < MAX_NAMES; i++)
		if (names.door[i] && strcmp(names.name[i], name) == 0)
			return i;
	return -1;
}

/* Publishes dom's door id under name, replacing an older entry of dom's
 * own or of a domain that has ended; -EPERM if a live domain owns it. */
int names_publish(struct domain *dom, const char *name, int id)
{
	struct door *d = dtable_lookup(dom, id);
	if (!d || (d->flags & DOOR_REVOKED))
		return -EBADF;
	if (!name[0] || strlen(name) >= NAME_LEN)
		return -EINVAL;
	int i = find(name);
	if (i >= 0 && owned_by_another(i, dom))
		return -EPERM;
	if (i >= 0) {
		door_put(names.door[i]);
		names.door[i] = NULL;
	}
	for (i = 0; i < MAX_NAMES && names.door[i]; i++)
		;
	if (i == MAX_NAMES)
		return -ENOSPC;
	strlcpy(names.name[i], name, NAME_LEN);
	names.door[i] = d;
	names.owner[i] = dom;
	names.owner_id[i] = dom->id;
	door_get(d);
	return 0;
}

/* A new id in dom for the door published as name; -ENOENT if none. */
int names_lookup(struct domain *dom, const char *name)
{
	int i = find(name);
	return i < 0 ? -ENOENT : dtable_insert(dom, names.door[i]);
}

void names_drop_door(struct door *d)
{
	for (int i = 0; i < MAX_NAMES; i++)
		if (names.door[i] == d) {
			names.door[i] = NULL;
			door_put(d);
		}
}
