/* SPDX-License-Identifier: MIT */
/*
 * lbench: Sprig's benchmark rows measured on Linux, for comparison. It is
 * not a Sprig program: tools/linuxbench.sh (make bench-linux) builds it
 * static for i686 Linux with glibc and boots it as /init of an initramfs
 * under QEMU -icount, on the machine make bench uses, so that the TSC
 * deltas it reads are instruction counts, the kernel's included.
 *
 * As init it mounts devtmpfs on /dev, proc, sysfs and a tmpfs on /tmp,
 * makes the serial console (/dev/ttyS0) its standard input and outputs,
 * prints what the kernel is ("lbench-info: KEY: VALUE": release, command
 * line, its security modules, the CPU, the state of each CPU
 * vulnerability mitigation), then each row as "lbench: NAME,BYTES,
 * ITERATIONS,PER_OP" with PER_OP in TSC ticks per operation, then
 * "lbench: done" (or "lbench: failed ..." first, if an operation did not
 * succeed), and powers off.
 *
 * Each row is timed as procbench times its own (user/bench.h): eight
 * unmeasured runs, then the TSC around ITERATIONS runs. The rows have
 * Sprig's names where they do the same work (docs/measuring.md lists them).
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

extern char **environ;

#define BENCH_PREFIX "lbench"
#include "user/bench.h"    /* MEASURE and report, as Sprig's rows */
#include "user/benchops.h" /* fork+exit+wait and the pipe, as procbench's */

#define FILE_BYTES (1024 * 1024) /* the file fs_read and fs_write run over */
#define BLOCK      4096

/* Mounts what the rows need and makes the serial console fds 0, 1, 2.
 * Before that there is nowhere to say what went wrong: -1 powers off. */
static int setup(void)
{
	if (mount("devtmpfs", "/dev", "devtmpfs", 0, NULL) < 0)
		return -1;
	int fd = open("/dev/ttyS0", O_RDWR | O_NOCTTY);
	if (fd < 0)
		return -1;
	for (int i = 0; i < 3; i++)
		dup2(fd, i);
	if (fd > 2)
		close(fd);
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (mount("proc", "/proc", "proc", 0, NULL) < 0 ||
	    mount("sysfs", "/sys", "sysfs", 0, NULL) < 0 ||
	    mount("tmpfs", "/tmp", "tmpfs", 0, "size=8m") < 0 || chdir("/tmp") < 0) {
		perror("lbench: failed to mount /proc, /sys or /tmp");
		return -1;
	}
	return 0;
}

/* Prints "lbench-info: KEY: " and the first line of PATH. */
static void info_file(const char *key, const char *path)
{
	char line[512] = "(unreadable)";
	FILE *f = fopen(path, "r");
	if (f) {
		if (!fgets(line, sizeof line, f))
			strcpy(line, "(empty)");
		fclose(f);
	}
	line[strcspn(line, "\n")] = 0;
	printf("lbench-info: %s: %s\n", key, line);
}

/* Prints the first line of /proc/cpuinfo that starts with field. */
static void info_cpu(const char *field)
{
	char line[512];
	FILE *f = fopen("/proc/cpuinfo", "r");
	while (f && fgets(line, sizeof line, f))
		if (!strncmp(line, field, strlen(field))) {
			line[strcspn(line, "\n")] = 0;
			printf("lbench-info: cpu %s\n", line);
			break;
		}
	if (f)
		fclose(f);
}

/* What the figures belong to: the kernel, its command line, its security
 * modules, the CPU and what the kernel says of each CPU vulnerability
 * (which mitigations run). */
static void info(void)
{
	struct utsname u;
	if (uname(&u) == 0)
		printf("lbench-info: kernel: %s %s %s\n", u.sysname, u.release, u.version);
	info_file("cmdline", "/proc/cmdline");
	if (mount("securityfs", "/sys/kernel/security", "securityfs", 0, NULL) == 0)
		info_file("lsm", "/sys/kernel/security/lsm");
	info_cpu("model name");
	info_cpu("flags");
	const char *dir = "/sys/devices/system/cpu/vulnerabilities";
	struct dirent **names;
	int n = scandir(dir, &names, NULL, alphasort);
	for (int i = 0; i < n; i++) {
		char path[512];
		snprintf(path, sizeof path, "%s/%s", dir, names[i]->d_name);
		if (names[i]->d_name[0] != '.')
			info_file(names[i]->d_name, path);
		free(names[i]);
	}
	if (n >= 0)
		free(names);
}

/* posix_spawn (glibc: clone with CLONE_VM|CLONE_VFORK, then execve) of a
 * static program that returns 0 from main, and its reaping. */
static int spawn_wait(void)
{
	char *argv[] = {"true", NULL};
	pid_t pid;
	int st;
	if (posix_spawn(&pid, "/true", NULL, NULL, argv, environ) != 0)
		return -1;
	return waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 0 ? 0 : -1;
}

/* The next 4 KiB of the file, back to its start at its end. */
static int read_next(int fd, char *block)
{
	ssize_t n = read(fd, block, BLOCK);
	if (n == 0 && lseek(fd, 0, SEEK_SET) == 0)
		n = read(fd, block, BLOCK);
	return n == BLOCK ? 0 : -1;
}

/* 4 KiB over the file, back to its start at its end (never growing it). */
static int write_next(int fd, const char *block)
{
	if (lseek(fd, 0, SEEK_CUR) >= FILE_BYTES && lseek(fd, 0, SEEK_SET) != 0)
		return -1;
	return write(fd, block, BLOCK) == BLOCK ? 0 : -1;
}

static int open_close(void)
{
	int fd = open("bench", O_RDONLY);
	return fd >= 0 && close(fd) == 0 ? 0 : -1;
}

static int create_unlink(void)
{
	int fd = open("new", O_WRONLY | O_CREAT | O_EXCL, 0644);
	if (fd < 0 || close(fd) < 0)
		return -1;
	return unlink("new");
}

/* The file-system rows on the tmpfs at /tmp (the current directory), in
 * procbench's order: open+close, stat, read, write, create+unlink. */
static int fs_rows(void)
{
	static char block[BLOCK];
	struct stat st;
	int bad = 0;
	int file = open("bench", O_RDWR | O_CREAT | O_TRUNC, 0644);
	for (int i = 0; i < FILE_BYTES / BLOCK; i++)
		bad |= write(file, block, BLOCK) != BLOCK;
	MEASURE("fs_open_close", 0, 200, bad |= open_close());
	MEASURE("fs_stat", 0, 500, bad |= stat("bench", &st));
	int fd = open("bench", O_RDONLY);
	MEASURE("fs_read", BLOCK, 240, bad |= read_next(fd, block));
	close(fd);
	bad |= lseek(file, 0, SEEK_SET) != 0;
	MEASURE("fs_write", BLOCK, 240, bad |= write_next(file, block));
	close(file);
	MEASURE("fs_create_unlink", 0, 200, bad |= create_unlink());
	return bad | unlink("bench") | (file < 0);
}

/* One byte to a child over an AF_UNIX stream socket pair and one back. */
static int unix_roundtrip(int s)
{
	char c = 'x';
	return write(s, &c, 1) == 1 && read(s, &c, 1) == 1 ? 0 : -1;
}

/* The round-trip row: a child echoes each byte until the socket closes. */
static int unix_rows(void)
{
	int sv[2], bad = 0, st;
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0)
		return -1;
	pid_t pid = fork();
	if (pid == 0) {
		char c;
		close(sv[0]);
		while (read(sv[1], &c, 1) == 1 && write(sv[1], &c, 1) == 1)
			;
		_exit(0);
	}
	close(sv[1]);
	MEASURE("unix_roundtrip", 1, 2000, bad |= unix_roundtrip(sv[0]));
	close(sv[0]);
	return bad | (pid < 0 || waitpid(pid, &st, 0) != pid);
}

static int all_rows(void)
{
	char line[64];
	int bad = 0;
	memset(line, '.', sizeof line);
	memcpy(line, "lbench: 64 bytes to the console ", 32);
	line[sizeof line - 1] = '\n';
	MEASURE("null_syscall", 0, 20000, bad |= getppid() < 0);
	MEASURE("proc_getpid", 0, 2000, bad |= getpid() <= 0);
	MEASURE("proc_fork_wait", 0, 40, bad |= fork_exit_wait());
	MEASURE("proc_spawn_wait", 0, 40, bad |= spawn_wait());
	MEASURE("console_write", 64, 200, bad |= write(1, line, sizeof line) != sizeof line);
	bad |= fs_rows();
	MEASURE("pipe_1mib", FILE_BYTES, 4, bad |= pipe_mib());
	bad |= unix_rows();
	return bad;
}

int main(void)
{
	if (setup() == 0) {
		info();
		if (all_rows())
			printf("lbench: failed: an operation did not succeed\n");
		printf("lbench: done\n");
		fflush(stdout);
		tcdrain(1);
	}
	reboot(RB_POWER_OFF);
	return 1; /* init exits: the kernel panics, and panic=-1 ends QEMU */
}
