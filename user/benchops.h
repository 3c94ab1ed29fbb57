/* SPDX-License-Identifier: MIT */
/*
 * The operations user/procbench.c and tools/linuxbench/lbench.c both time
 * through the same POSIX calls, so that Sprig's rows and Linux's measure
 * one piece of code: fork + exit + wait, and 1 MiB from a child through a
 * pipe in 4 KiB writes and reads (the fork and the wait included).
 */
#ifndef SPRIG_USER_BENCHOPS_H
#define SPRIG_USER_BENCHOPS_H

#include <sys/wait.h>
#include <unistd.h>

#define BENCH_PIPE_BYTES (1024 * 1024)
#define BENCH_PIPE_CHUNK 4096

static inline int fork_exit_wait(void)
{
	pid_t pid = fork();
	if (pid == 0)
		_exit(0);
	int st;
	return pid > 0 && waitpid(pid, &st, 0) == pid && WIFEXITED(st) ? 0 : -1;
}

static inline int pipe_mib(void)
{
	static char buf[BENCH_PIPE_CHUNK];
	int p[2];
	if (pipe(p) < 0)
		return -1;
	pid_t pid = fork();
	if (pid == 0) {
		close(p[0]);
		for (int i = 0; i < BENCH_PIPE_BYTES / BENCH_PIPE_CHUNK; i++)
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
	return got == BENCH_PIPE_BYTES && WIFEXITED(st) && WEXITSTATUS(st) == 0 ? 0 : -1;
}

#endif
