/* SPDX-License-Identifier: MIT */
/*
 * Client stubs for the nucleus objects (include/sprig/kobj.h): the domain
 * manager and domain objects, the device manager and interrupt lines. Each returns the operation's
 * status (>= 0) or -errno, from the call or from the nucleus. A program's first door, if its
 * starter gave it one, is sprig_start_door (-1 otherwise).
 */
#ifndef SPRIG_LIB_KOBJ_H
#define SPRIG_LIB_KOBJ_H

#include <sprig/kobj.h>

#include "lib/doors/doors.h"

extern int sprig_start_door; /* crt0.S */

int dm_create(int dm, const char *name, uint32_t frames); /* -> a door to the domain */
int dom_load(int dom, const void *image, uint32_t size, const char *args,
             struct kobj_load_out *out);
int dom_thread(int dom, const struct kobj_thread_in *in); /* -> thread id */
int dom_give(int dom, int door);                          /* -> its id there */
int dom_kill(int dom, int32_t status);
int dom_watch(int dom, int door);
int dom_info(int dom, struct kobj_info_out *out);
int dom_clone(int dom, const char *name);             /* -> a door to the copy */
int dom_clone_shared(int dom, const char *name);      /* -> a door to the shared clone */
int kobj_signal(int dom, uint32_t eip, uint32_t arg); /* DOM_SIGNAL -> 0 */

/* The device manager (from the domain manager) and what it grants. */
int kobj_devices(int dm);                                         /* -> its door */
int kobj_ports(int dev, int dom, uint32_t first, uint32_t count); /* -> 0 */
int kobj_irq(int dev, uint32_t line, int door);                   /* -> the line's door */
int kobj_irq_ack(int line_door);                                  /* -> 0 */
int kobj_map(int dev, int dom, uint32_t phys, uint32_t size, uint32_t *addr); /* -> 0 */

/* The raw call: op and in_size bytes of IN; OUT of out_size bytes; a door
 * passed in (door_in >= 0) and one received (*door_out, if not NULL). */
int kobj_invoke(int id, uint32_t op, const void *in, uint32_t in_size, void *out, uint32_t out_size,
                int door_in, int *door_out);

#endif
