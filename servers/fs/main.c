/* SPDX-License-Identifier: MIT */
/*
 * The fs domain's start (docs/fs.md): its three domains made, each served
 * on a door, "/" published as "fs"; with "/" on the disk, this thread then
 * writes dirty blocks back as they age. The serving code is fs.c, which a
 * program may also link in and call through the same stubs (procbench's
 * linked-in rows).
 *
 * Entry point: main.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "servers/fs/fs.h"
#include "servers/fs/walk.h"

/* Writes back, every few seconds, the blocks dirty for 30 seconds. */
static void flusher(void *arg)
{
	(void)arg;
	for (;;) {
		sleep_ms(5000);
		fs_lock(&doms[0]);
		ext2vfs_age(&doms[0]);
		fs_unlock(&doms[0]);
	}
}

/* fs [disk]: with "disk", "/" is the ext2 file system on the disk proc
 * found (the boot name "disk"); else, or if it cannot be mounted, memory. */
int main(int argc, char **argv)
{
	int console = name_lookup("console", 5000), disk = -1;
	int err = -ENODEV;
	if (argc > 1 && !strcmp(argv[1], "disk")) {
		disk = name_lookup("disk", 1000);
		err = disk < 0 ? disk : ext2vfs_init(&doms[0], "/", disk);
		on_disk = err == 0;
	}
	if (!on_disk)
		err = memfs_init(&doms[0], "/", 8u << 20);
	if (!err)
		err = memfs_init(&doms[1], "/tmp", 8u << 20);
	if (!err)
		err = devfs_init(&doms[2], "/dev", console, disk);
	if (err < 0) {
		printf("fs: cannot start: %s\n", strerror(-err));
		return 1;
	}
	walk_domains(doms, NDOMS); /* their prefixes: the mount points */
	uint32_t ino;
	static const char *const dirs[] = {"tmp", "dev", "bin", "etc"};
	for (unsigned i = 0; i < sizeof dirs / sizeof *dirs;
	     i++) /* the mount points, if not there */
		if (doms[0].ops->lookup(&doms[0], doms[0].root, dirs[i], (uint32_t)strlen(dirs[i]),
		                        &ino) == -ENOENT)
			doms[0].ops->create(&doms[0], doms[0].root, dirs[i],
			                    (uint32_t)strlen(dirs[i]),
			                    FS_S_IFDIR | (i == 0 ? 01777 : 0755), NULL, &ino);
	for (int i = 0; i < NDOMS; i++) {
		doms[i].served = (struct door_served){&fs_impl, &doms[i], NULL};
		doms[i].door = door_create(fs_dispatch, &doms[i].served, 0);
		if (doms[i].door < 0) {
			printf("fs: cannot serve %s: %s\n", doms[i].prefix,
			       strerror(-doms[i].door));
			return 1;
		}
	}
	if (door_pool_start(4) < 0 || name_publish("fs", doms[0].door) < 0) {
		printf("fs: cannot start its pool or publish \"fs\"\n");
		return 1;
	}
	if (on_disk) {
		struct fs_statfs st;
		doms[0].ops->statfs(&doms[0], &st);
		printf("fs: serving / (ext2 on the disk: %u blocks of %u bytes, %u free), /tmp "
		       "(memory), /dev\n",
		       st.blocks, st.bsize, st.bfree);
		flusher(NULL); /* this thread writes back from now on */
	}
	printf("fs: serving / (memory), /tmp (memory), /dev\n");
	for (;;)
		sleep_ms(1000000);
}
