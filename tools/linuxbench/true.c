/* SPDX-License-Identifier: MIT */
/*
 * true: the program lbench's proc_spawn_wait row spawns on Linux, as
 * procbench spawns Sprig's user/true.c: it exits at once with status 0.
 * Linked static with glibc, as lbench is (tools/linuxbench.sh).
 */
int main(void)
{
	return 0;
}
