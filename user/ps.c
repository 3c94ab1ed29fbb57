/* SPDX-License-Identifier: MIT */
/* ps: every process on this host, from the process manager's table: its
 * pid, parent, process group, home and current host, state and command. */
#include <stdio.h>
#include <sprite/proc.h>
#include <unistd.h>

int sprig_ps(struct proc_entry *e, int max);

int main(void)
{
	static struct proc_entry e[PROC_MAX];
	int n = sprig_ps(e, PROC_MAX);
	if (n < 0) {
		perror("ps");
		return 1;
	}
	printf("%8s %8s %8s %4s %4s %-5s %s\n", "PID", "PPID", "PGRP", "HOME", "HOST", "STATE",
	       "COMMAND");
	for (int i = 0; i < n; i++)
		printf("%8d %8d %8d %4u %4u %-5s %s\n", e[i].pid, e[i].ppid, e[i].pgrp, e[i].home,
		       e[i].current, e[i].state == PROC_ZOMBIE ? "Z" : "R", e[i].name);
	return 0;
}
