/* SPDX-License-Identifier: MIT */
/*
 * procbench: what the Sprite process services cost, run as init under
 * proc (tools/bench.sh boots it twice, with -icount and in plain TCG):
 * getpid through proc's door, fork + exit + wait, spawn + wait of a
 * program that exits at once, and a 64-byte console write through the
 * UART driver; with the argument "disk" (tools/bench.sh gives it in the
 * tcg run only: below), 4 KiB read from the disk through the ATA driver:
 * eight sectors by PIO, every time from the device, since nothing caches
 * them. It waits for the disk driver to be ready before measuring
 * anything, so that IDENTIFY runs outside every measurement. Rows as
 * doorbench's (user/bench.h); then "bench: done" and it powers off.
 *
 * Not under -icount: while the CPU idles for the disk, QEMU's sleep=off
 * moves the clock on to the next timer at once, so the figure is that
 * time, and under load enough of it passes to reach the driver's timeout.
 */
#include <sprite/blkdev.h>
#include <sprite/proc.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "user/bench.h"

int sprig_poweroff(void);

static int fork_exit_wait(void)
{
	pid_t pid = fork();
	if (pid == 0)
		_exit(0);
	int st;
	return pid > 0 && waitpid(pid, &st, 0) == pid && WIFEXITED(st) ? 0 : -1;
}

static int spawn_wait(void)
{
	char *argv[] = {"true", NULL};
	pid_t pid = spawnv("true", argv);
	int st;
	return pid > 0 && waitpid(pid, &st, 0) == pid && WIFEXITED(st) ? 0 : -1;
}

/* Reads 8 sectors (4 KiB) from the start of the disk. */
static int disk_read(const struct door_binding *disk)
{
	static char buf[4096];
	struct door_io io = {NULL, 0, buf, sizeof buf, 0, -1, 0, -1, 0};
	int n = blkdev_read(disk, &(struct blkdev_rw){0, 8}, &(struct blkdev_none){0}, &io);
	return n == (int)sizeof buf ? 0 : -1;
}

int main(int argc, char **argv)
{
	struct door_binding disk;
	int disk_id = name_lookup("disk", 5000);
	int measure_disk = argc > 1 && !strcmp(argv[1], "disk");
	door_bind_remote(&disk, disk_id);
	char line[64];
	memset(line, '.', sizeof line);
	memcpy(line, "procbench: 64 bytes to the console ", 35);
	line[sizeof line - 1] = '\n';
	int bad = 0;
	MEASURE("proc_getpid", 0, 2000, bad |= getpid() <= 0);
	MEASURE("proc_fork_wait", 0, 40, bad |= fork_exit_wait());
	MEASURE("proc_spawn_wait", 0, 40, bad |= spawn_wait());
	MEASURE("console_write", 64, 200, bad |= write(1, line, sizeof line) != sizeof line);
	if (measure_disk && disk_id >= 0)
		MEASURE("disk_read", 4096, 100, bad |= disk_read(&disk));
	else if (measure_disk)
		printf("bench: no disk: disk_read not measured\n");
	if (bad)
		printf("bench: procbench failed: a call did not succeed\n");
	printf("bench: done\n");
	fflush(stdout);
	sprig_poweroff();
	return bad;
}
