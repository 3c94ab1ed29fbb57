/* SPDX-License-Identifier: MIT */
/*
 * init [PROG ARGS...]: the first process. Runs the shell (or PROG) on the
 * console, waits for every process that becomes its child (orphans come
 * to init, and it reaps them), and starts the shell again when it ends,
 * at most five times in ten seconds (then it gives up and ends too).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <signal.h>
#include <unistd.h>

#include "lib/c/libc.h"

int main(int argc, char **argv)
{
	char *sh[] = {"sh", NULL};
	char **prog = argc > 1 ? argv + 1 : sh;
	int quick = 0;
	for (;;) {
		struct sprig_time t0;
		sprig_time(&t0);
		pid_t pid = spawnv(prog[0], prog);
		if (pid < 0) {
			fprintf(stderr, "init: cannot start %s: %s\n", prog[0], strerror(errno));
			return 1;
		}
		int st;
		pid_t got;
		while ((got = wait(&st)) != pid) {
			if (got < 0 && errno != EINTR)
				return 1;
		}
		if (WIFEXITED(st))
			printf("init: %s (pid %d) exited with status %d\n", prog[0], pid,
			       WEXITSTATUS(st));
		else
			printf("init: %s (pid %d) ended by signal %d (%s)\n", prog[0], pid,
			       WTERMSIG(st), strsignal(WTERMSIG(st)));
		struct sprig_time t1;
		sprig_time(&t1);
		quick = t1.ticks - t0.ticks < 2ull * t0.hz ? quick + 1 : 0;
		if (quick >= 5) {
			printf("init: %s keeps ending; not starting it again\n", prog[0]);
			return 1;
		}
		printf("init: starting %s again\n", prog[0]);
	}
}
