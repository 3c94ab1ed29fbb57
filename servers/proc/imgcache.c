/* SPDX-License-Identifier: MIT */
/*
 * proc's cache of program images (imgcache.h): a few doors to nucleus
 * images, each for one program file as it was when read, so that a spawn
 * or exec of a cached program reads nothing and shares the text every
 * other process of it maps. The nucleus frees an image's frames when its
 * door here is closed and its last process has gone; the frames of an
 * image no process maps are charged to nobody, which is why the cache
 * stays small and lets such entries go when memory is short.
 *
 * Entry points: imgcache_find, imgcache_add, imgcache_load, imgcache_stats.
 */
#include <string.h>

#include "servers/proc/imgcache.h"

struct entry {
	int door; /* the image, or -1: a free entry */
	struct imgkey key;
	uint32_t used_at; /* cache.clock at its last use */
};

/* The entries; proc's lock. */
static struct {
	struct entry e[IMGCACHE_MAX];
	int ready;
	uint32_t clock, hits, misses;
} cache;

static void init(void)
{
	if (cache.ready)
		return;
	for (int i = 0; i < IMGCACHE_MAX; i++)
		cache.e[i].door = -1;
	cache.ready = 1;
}

static void forget(struct entry *e)
{
	door_close(e->door);
	e->door = -1;
}

int imgcache_find(const struct imgkey *key)
{
	init();
	for (int i = 0; i < IMGCACHE_MAX; i++) {
		struct entry *e = &cache.e[i];
		if (e->door >= 0 && !memcmp(&e->key, key, sizeof *key)) {
			e->used_at = ++cache.clock;
			cache.hits++;
			return e->door;
		}
	}
	cache.misses++;
	return -1;
}

/* Drops every entry no process maps now (IMG_INFO's mappers). */
static void drop_unmapped(void)
{
	for (int i = 0; i < IMGCACHE_MAX; i++) {
		struct kobj_image_info info;
		struct entry *e = &cache.e[i];
		if (e->door >= 0 &&
		    (kobj_invoke(e->door, IMG_INFO, NULL, 0, &info, sizeof info, -1, NULL) < 0 ||
		     info.mappers == 0))
			forget(e);
	}
}

/* The entry a new image goes in: the one for the same path (the file has
 * changed), else a free one, else the least recently used. */
static struct entry *victim(const char *path)
{
	struct entry *v = &cache.e[0];
	for (int i = 0; i < IMGCACHE_MAX; i++) {
		struct entry *e = &cache.e[i];
		if (e->door >= 0 && !strcmp(e->key.path, path))
			return e;
		if (v->door >= 0 && (e->door < 0 || e->used_at < v->used_at))
			v = e;
	}
	return v;
}

/* DM_IMAGE: a door to a new image of the file, or -errno. */
static int make(int dm, const void *image, uint32_t size)
{
	struct kobj_image_in in = {(uint32_t)(uintptr_t)image, size};
	int door = -1;
	int err = kobj_invoke(dm, DM_IMAGE, &in, sizeof in, NULL, 0, -1, &door);
	return err < 0 ? err : door;
}

int imgcache_add(int dm, const struct imgkey *key, const void *image, uint32_t size)
{
	init();
	struct kobj_frames_out frames;
	if (kobj_invoke(dm, DM_FRAMES, NULL, 0, &frames, sizeof frames, -1, NULL) >= 0 &&
	    frames.free < IMGCACHE_LOW)
		drop_unmapped();
	struct entry *e = victim(key->path);
	if (e->door >= 0)
		forget(e); /* before the new one is made: its frames may be needed */
	int door = make(dm, image, size);
	if (door == -ENOMEM || door == -EAGAIN) {
		drop_unmapped(); /* the nucleus's room for images is full: make some */
		door = make(dm, image, size);
	}
	if (door < 0)
		return door;
	e->door = door;
	e->key = *key;
	e->used_at = ++cache.clock;
	return door;
}

int imgcache_load(int dom, int img, const char *args, struct kobj_load_out *out)
{
	struct kobj_load_image_in in;
	memset(&in, 0, sizeof in);
	strlcpy(in.args, args, sizeof in.args);
	return kobj_invoke(dom, DOM_LOAD_IMAGE, &in, sizeof in, out, sizeof *out, img, NULL);
}

void imgcache_stats(uint32_t *entries, uint32_t *hits, uint32_t *misses)
{
	init();
	*entries = 0;
	for (int i = 0; i < IMGCACHE_MAX; i++)
		*entries += cache.e[i].door >= 0;
	*hits = cache.hits;
	*misses = cache.misses;
}
