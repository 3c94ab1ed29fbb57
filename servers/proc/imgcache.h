/* SPDX-License-Identifier: MIT */
/*
 * proc's cache of program images (docs/processes.md §2): doors to the
 * nucleus's images (sprig/kobj.h, DM_IMAGE), so that every process of one
 * program shares its text. An entry is keyed by the program's identity:
 * its path and the file's dev, ino, size and mtime (a boot-image program:
 * "boot:NAME", its size, the rest 0), so a changed file makes a new one.
 * Callers hold proc's lock.
 */
#ifndef SPRIG_PROC_IMGCACHE_H
#define SPRIG_PROC_IMGCACHE_H

#include <stdint.h>

#include "lib/doors/kobj.h"

#define IMGCACHE_MAX  16   /* entries */
#define IMGCACHE_LOW  2048 /* free frames below which unmapped entries go */
#define IMGCACHE_PATH 128  /* longer paths are not cached */

struct imgkey {
	char path[IMGCACHE_PATH];
	uint32_t dev, ino, size;
	long mtime;
};

/* The image door cached for key (still the cache's), or -1. */
int imgcache_find(const struct imgkey *key);
/* Makes an image of the ELF file image[0..size) through the domain
 * manager dm and caches it for key (replacing an entry for the same path,
 * else the least recently used); returns its door (the cache's) or
 * -errno. Drops the unmapped entries first when memory is short. */
int imgcache_add(int dm, const struct imgkey *key, const void *image, uint32_t size);
/* Loads the empty domain dom from image door img (DOM_LOAD_IMAGE). */
int imgcache_load(int dom, int img, const char *args, struct kobj_load_out *out);
/* How many entries there are, and lookups that found one / did not. */
void imgcache_stats(uint32_t *entries, uint32_t *hits, uint32_t *misses);

#endif
