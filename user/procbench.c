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
#include <sprite/fs.h>
#include <sprite/proc.h>
#include <stdio.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <stdlib.h>
#include <unistd.h>

#include "servers/fs/fs.h"
#include "user/bench.h"
#include "user/benchops.h"

int sprig_poweroff(void);

static int spawn_wait(void)
{
	char *argv[] = {"true", NULL};
	pid_t pid = spawnv("true", argv);
	int st;
	return pid > 0 && waitpid(pid, &st, 0) == pid && WIFEXITED(st) ? 0 : -1;
}

/* The same from a file: true written to /tmp once (from the copy linked
 * in), then each spawn through the fs (open, stat) and proc's image cache. */
extern const char _binary_true_elf_start[], _binary_true_elf_end[];
static int spawn_file_wait(void)
{
	static int written;
	if (!written) {
		int fd = open("/tmp/true", O_WRONLY | O_CREAT | O_TRUNC, 0755);
		size_t n = (size_t)(_binary_true_elf_end - _binary_true_elf_start);
		if (fd < 0 || write(fd, _binary_true_elf_start, n) != (ssize_t)n)
			return -1;
		close(fd);
		written = 1;
	}
	char *argv[] = {"/tmp/true", NULL};
	pid_t pid = spawnv("/tmp/true", argv);
	int st;
	return pid > 0 && waitpid(pid, &st, 0) == pid && WIFEXITED(st) ? 0 : -1;
}

/* Reads 8 sectors (4 KiB) from the start of the disk. */
static int disk_read(const struct door_binding *disk)
{
	static char buf[4096];
	struct door_io io = {NULL, 0, buf, sizeof buf, 0, -1, 0, -1, 0, NULL};
	int n = blkdev_read(disk, &(struct blkdev_rw){0, 8}, &(struct blkdev_none){0}, &io);
	return n == (int)sizeof buf ? 0 : -1;
}

/* The file system's operations through its stubs, bound to the fs
 * domain's door for /tmp (remote) or to the same code linked in here
 * (local): the difference is the domain boundary. */
struct fsb {
	struct door_binding dom;
	int local;
};

static int fs_open_stream(const struct fsb *f, const char *path, uint32_t flags,
                          struct door_binding *sb)
{
	struct fs_none none = {0};
	struct door_io io = {path, (uint32_t)strlen(path) + 1, NULL, 0, 0, -1, 0, -1, 0, NULL};
	int err = fs_open(&f->dom, &(struct fs_open_in){flags, 0644}, &none, &io);
	if (err < 0 || io.out_door < 0)
		return err < 0 ? err : -EIO;
	if (f->local)
		door_bind_local(sb, &stream_impl, fs_stream_object(io.out_door));
	else
		door_bind_remote(sb, io.out_door);
	return io.out_door;
}

static int fs_close_stream(const struct fsb *f, int door, const struct door_binding *sb)
{
	if (f->local)
		fs_stream_close(sb->obj); /* the notification's work: no other domain holds it */
	return door_close(door);
}

static int fs_stat_path(const struct fsb *f, const char *path)
{
	struct stream_stat st;
	struct door_io io = {path, (uint32_t)strlen(path) + 1, &st, sizeof st, 0, -1, 0, -1, 0,
	                     NULL};
	return fs_stat(&f->dom, &(struct fs_follow_in){1}, &(struct fs_none){0}, &io);
}

static int fs_rw(const struct door_binding *sb, char *block, int write)
{
	struct stream_none none = {0};
	struct door_io io = {write ? block : NULL,
	                     write ? 4096 : 0,
	                     write ? NULL : block,
	                     write ? 0 : 4096,
	                     0,
	                     -1,
	                     0,
	                     -1,
	                     0,
	                     NULL};
	int n = write ? stream_write(sb, &none, &none, &io) : stream_read(sb, &none, &none, &io);
	return n == 4096 ? 0 : -1;
}

static int fs_create_unlink(const struct fsb *f)
{
	struct door_binding sb;
	int door = fs_open_stream(f, "new", FS_O_WRONLY | FS_O_CREAT | FS_O_EXCL, &sb);
	if (door < 0)
		return -1;
	fs_close_stream(f, door, &sb);
	struct door_io io = {"new", 4, NULL, 0, 0, -1, 0, -1, 0, NULL};
	return fs_unlink(&f->dom, &(struct fs_none){0}, &(struct fs_none){0}, &io);
}

static int fs_rows(const struct fsb *f, const char *suffix)
{
	static char block[4096];
	char name[32];
	int bad = 0, door;
	struct door_binding sb, made;
	int file = fs_open_stream(f, "bench", FS_O_RDWR | FS_O_CREAT | FS_O_TRUNC, &made);
	for (int i = 0; i < 256 && file >= 0; i++)
		bad |= fs_rw(&made, block, 1);
	snprintf(name, sizeof name, "fs_open_close%s", suffix);
	MEASURE(name, 0, 200,
	        bad |= (door = fs_open_stream(f, "bench", FS_O_RDONLY, &sb)) < 0 ||
	               fs_close_stream(f, door, &sb) < 0);
	snprintf(name, sizeof name, "fs_stat%s", suffix);
	MEASURE(name, 0, 500, bad |= fs_stat_path(f, "bench") < 0);
	door = fs_open_stream(f, "bench", FS_O_RDONLY, &sb);
	snprintf(name, sizeof name, "fs_read%s", suffix);
	MEASURE(name, 4096, 240, bad |= fs_rw(&sb, block, 0));
	fs_close_stream(f, door, &sb);
	stream_lseek(&made, &(struct stream_seek){0, STREAM_SEEK_SET}, &(struct stream_pos){0});
	snprintf(name, sizeof name, "fs_write%s", suffix);
	MEASURE(name, 4096, 240, bad |= fs_rw(&made, block, 1));
	char *page = f->local ? NULL : vm_alloc(4096); /* a page-aligned buffer: the bulk path */
	if (page) {
		stream_lseek(&made, &(struct stream_seek){0, STREAM_SEEK_SET},
		             &(struct stream_pos){0});
		MEASURE("fs_write_bulk", 4096, 240, bad |= fs_rw(&made, page, 1));
		vm_free(page);
	}
	fs_close_stream(f, file, &made);
	snprintf(name, sizeof name, "fs_create_unlink%s", suffix);
	MEASURE(name, 0, 200, bad |= fs_create_unlink(f) < 0);
	struct door_io io = {"bench", 6, NULL, 0, 0, -1, 0, -1, 0, NULL};
	fs_unlink(&f->dom, &(struct fs_none){0}, &(struct fs_none){0}, &io);
	return bad;
}

/* The fs domain's door for /tmp, from the prefix table it publishes. */
static int tmp_door(void)
{
	int fs = name_lookup("fs", 5000);
	if (fs < 0)
		return fs;
	struct door_binding b;
	door_bind_remote(&b, fs);
	char prefix[64];
	struct door_io io = {NULL, 0, prefix, sizeof prefix, 0, -1, 0, -1, 0, NULL};
	int err = fs_prefix(&b, &(struct fs_index_in){1}, &(struct fs_none){0}, &io);
	door_close(fs);
	return err < 0 ? err : strcmp(prefix, "/tmp") ? -ENOENT : io.out_door;
}

static int all_fs_rows(void)
{
	struct fsb remote = {{-1, NULL, NULL}, 0}, local = {{-1, NULL, NULL}, 1};
	int door = tmp_door(), bad = door < 0;
	if (door >= 0) {
		door_bind_remote(&remote.dom, door);
		bad |= fs_rows(&remote, "");
	}
	/* the same code linked in: a /tmp of our own, the same stubs bound locally */
	if (memfs_init(&doms[1], "/tmp", 8u << 20) == 0) {
		door_bind_local(&local.dom, &fs_impl, &doms[1]);
		bad |= fs_rows(&local, "_local");
	} else {
		bad = 1;
	}
	MEASURE("pipe_1mib", 1048576, 4, bad |= pipe_mib());
	return bad;
}

/* Only 4 KiB reads or writes of a 1 MiB /tmp file through the fs domain
 * (or, with no stream, getpid through proc), in a loop, for
 * tools/profile.sh to single-step. Not inlined:
 * tools/profile.py breaks on it, after the file is made. */
static __attribute__((noinline)) int run_profile(const struct door_binding *sb, int write, int n)
{
	static char block[4096];
	int bad = 0;
	if (!sb) { /* getpid through proc's door */
		for (int i = 0; i < n && !bad; i++)
			bad |= getpid() <= 0;
		return bad;
	}
	for (int i = 0; i < n && !bad; i++) {
		if (i % 256 == 0) /* 1 MiB, then round again */
			stream_lseek(sb, &(struct stream_seek){0, STREAM_SEEK_SET},
			             &(struct stream_pos){0});
		bad |= fs_rw(sb, block, write);
	}
	return bad;
}

/* procbench profile fs_read|fs_write|proc_getpid N */
static int profile(const char *what, int n)
{
	if (!strcmp(what, "proc_getpid")) {
		int bad = run_profile(NULL, 0, n);
		printf("procbench profile: %d getpid calls%s\n", n, bad ? " failed" : "");
		fflush(stdout);
		sprig_poweroff();
		return bad;
	}
	static char block[4096];
	struct fsb f = {{-1, NULL, NULL}, 0};
	struct door_binding sb;
	int dir = tmp_door(), bad = dir < 0;
	door_bind_remote(&f.dom, dir);
	bad = bad || fs_open_stream(&f, "profile", FS_O_RDWR | FS_O_CREAT | FS_O_TRUNC, &sb) < 0;
	for (int i = 0; i < 256 && !bad; i++)
		bad |= fs_rw(&sb, block, 1);
	bad = bad || run_profile(&sb, !strcmp(what, "fs_write"), n);
	printf("procbench profile: %d %s calls%s\n", n, what, bad ? " failed" : "");
	fflush(stdout);
	sprig_poweroff();
	return bad;
}

int main(int argc, char **argv)
{
	if (argc > 3 && !strcmp(argv[1], "profile"))
		return profile(argv[2], atoi(argv[3]));
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
	MEASURE("proc_spawn_file_wait", 0, 40, bad |= spawn_file_wait());
	MEASURE("console_write", 64, 200, bad |= write(1, line, sizeof line) != sizeof line);
	bad |= all_fs_rows();
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
