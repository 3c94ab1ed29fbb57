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
#include <fcntl.h>
#include <sys/stat.h>
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

/* 1 MiB from a child through a pipe, read here in 4 KiB reads. */
static int pipe_mib(void)
{
	static char buf[4096];
	int p[2];
	if (pipe(p) < 0)
		return -1;
	pid_t pid = fork();
	if (pid == 0) {
		close(p[0]);
		for (int i = 0; i < 256; i++)
			if (write(p[1], buf, sizeof buf) != sizeof buf)
				_exit(1);
		_exit(0);
	}
	close(p[1]);
	long got = 0;
	ssize_t n;
	while ((n = read(p[0], buf, sizeof buf)) > 0)
		got += n;
	close(p[0]);
	int st;
	waitpid(pid, &st, 0);
	return got == 1048576 && WIFEXITED(st) && WEXITSTATUS(st) == 0 ? 0 : -1;
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

/* The file system's rows, on /tmp (in memory): each call a door call to
 * the fs domain (and a stream's door), as a program makes it. */
static int fs_rows(void)
{
	static char block[4096];
	int bad = 0, fd;
	struct stat st;
	int made = open("/tmp/bench", O_RDWR | O_CREAT | O_TRUNC, 0644);
	for (int i = 0; i < 256 && made >= 0; i++)
		bad |= write(made, block, sizeof block) != sizeof block;
	MEASURE("fs_open_close", 0, 200,
	        bad |= (fd = open("/tmp/bench", O_RDONLY)) < 0 || close(fd) < 0);
	MEASURE("fs_stat", 0, 500, bad |= stat("/tmp/bench", &st) < 0);
	fd = open("/tmp/bench", O_RDONLY);
	MEASURE("fs_read", 4096, 240, bad |= read(fd, block, sizeof block) != sizeof block);
	close(fd);
	lseek(made, 0, SEEK_SET);
	MEASURE("fs_write", 4096, 240, bad |= write(made, block, sizeof block) != sizeof block);
	close(made);
	MEASURE("fs_create_unlink", 0, 200,
	        bad |= (fd = open("/tmp/new", O_WRONLY | O_CREAT | O_EXCL, 0644)) < 0 ||
	               close(fd) < 0 || unlink("/tmp/new") < 0);
	MEASURE("pipe_1mib", 1048576, 4, bad |= pipe_mib());
	unlink("/tmp/bench");
	return bad;
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
	bad |= fs_rows();
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
