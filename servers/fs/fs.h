/* SPDX-License-Identifier: MIT */
/*
 * What fs.c gives main.c, and a program that links the file system in:
 * the domains, the operations served on their doors and on streams, and
 * the setup. docs/fs.md describes the whole.
 */
#ifndef SPRIG_FS_FS_H
#define SPRIG_FS_FS_H

#include "servers/fs/vfs.h"

#define NDOMS 3

extern struct fsdom doms[NDOMS]; /* "/", "/tmp", "/dev" */
extern int on_disk;              /* "/" is ext2 on the disk */
extern const struct fs_ops fs_impl;
extern const struct stream_ops stream_impl;

/* The object behind a stream door this domain serves (a linked-in client
 * binds it with door_bind_local(&b, &stream_impl, obj)), or NULL. */
void *fs_stream_object(int door);

/* What the last close of a stream does (the unreferenced notification's
 * work), for a linked-in client, whose ids never leave its domain. */
void fs_stream_close(void *obj);

/* A domain's lock, as the operations take it (none for devices). */
void fs_lock(struct fsdom *d);
void fs_unlock(struct fsdom *d);

#endif
