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

/* The registry; interrupts off. */
static struct {
	char name[MAX_NAMES][NAME_LEN];
	struct door *door[MAX_NAMES];
} names;

static int find(const char *name)
{
	for (int i = 0; i < MAX_NAMES; i++)
		if (names.door[i] && strcmp(names.name[i], name) == 0)
			return i;
	return -1;
}

/* Publishes dom's door id under name (replacing an older entry). */
int names_publish(struct domain *dom, const char *name, int id)
{
	struct door *d = dtable_lookup(dom, id);
	if (!d || (d->flags & DOOR_REVOKED))
		return -EBADF;
	if (!name[0] || strlen(name) >= NAME_LEN)
		return -EINVAL;
	int i = find(name);
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
