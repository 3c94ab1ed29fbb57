/* SPDX-License-Identifier: MIT */
/*
 * procbench: what the Sprite process services cost, run as init under
 * proc (tools/bench.sh boots it twice, with -icount and in plain TCG):
 * getpid through proc's door, fork + exit + wait, spawn + wait of a
 * program that exits at once, and a 64-byte console write through the
 * UART driver. Rows as doorbench's (user/bench.h); then "bench: done" and
 * it powers off.
 */
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

int main(void)
{
	char line[64];
	memset(line, '.', sizeof line);
	memcpy(line, "procbench: 64 bytes to the console ", 35);
	line[sizeof line - 1] = '\n';
	int bad = 0;
	MEASURE("proc_getpid", 0, 2000, bad |= getpid() <= 0);
	MEASURE("proc_fork_wait", 0, 40, bad |= fork_exit_wait());
	MEASURE("proc_spawn_wait", 0, 40, bad |= spawn_wait());
	MEASURE("console_write", 64, 200, bad |= write(1, line, sizeof line) != sizeof line);
	if (bad)
		printf("bench: procbench failed: a call did not succeed\n");
	printf("bench: done\n");
	fflush(stdout);
	sprig_poweroff();
	return bad;
}
