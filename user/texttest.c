/* SPDX-License-Identifier: MIT */
/*
 * texttest: shared program text through proc's image cache
 * (docs/processes.md §2), run as init (proc init=texttest;
 * tests/system/t_text.sh). A program file replaced under one name (by a
 * write in place a second later, and by a rename) runs its new code;
 * several processes of one program run together and end in any order,
 * the first (which pays for the text) killed first; a fork's and a shared
 * fork's child run the shared text, and a write to it is SIGSEGV; exec
 * of a file runs it. The scenario checks every frame comes back.
 *
 * Prints "texttest CHECK: ok" or "... FAILED (detail)" per check and
 * "texttest: N checks, N failed".
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lib/c/libc.h"
#include "user/check.h"

int sprig_poweroff(void);

#define BLOB(n) extern const char _binary_##n##_elf_start[], _binary_##n##_elf_end[];
BLOB(true)
BLOB(false)
#define AT(n)   _binary_##n##_elf_start
#define SIZE(n) ((size_t)(_binary_##n##_elf_end - _binary_##n##_elf_start))

/* Writes size bytes at image to path (made anew or truncated). */
static int put_file(const char *path, const char *image, size_t size)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0755);
	if (fd < 0)
		return -1;
	ssize_t n = write(fd, image, size);
	close(fd);
	return n == (ssize_t)size ? 0 : -1;
}

/* Spawns path with no arguments and returns its wait status. */
static int run(const char *path)
{
	char *argv[] = {(char *)path, NULL};
	pid_t pid = spawnv(path, argv);
	return pid < 0 ? pid : reap(pid);
}

static void check_status(const char *what, int st, int code)
{
	check(what, WIFEXITED(st) && WEXITSTATUS(st) == code, "status %#x, want exit %d", st, code);
}

static void replaced_files(void)
{
	check_status("a program written to /tmp runs (true)",
	             put_file("/tmp/prog", AT(true), SIZE(true)) ? -1 : run("/tmp/prog"), 0);
	check_status("run again, from the cache", run("/tmp/prog"), 0);
	sleep_ms(1100); /* mtime has whole seconds */
	check_status("the file rewritten in place (false): the new code runs",
	             put_file("/tmp/prog", AT(false), SIZE(false)) ? -1 : run("/tmp/prog"), 1);
	int err = put_file("/tmp/prog2", AT(true), SIZE(true));
	if (!err)
		err = rename("/tmp/prog2", "/tmp/prog");
	check_status("another file renamed over it (true): the new code runs",
	             err ? -1 : run("/tmp/prog"), 0);
	pid_t pid = fork();
	if (pid == 0) {
		char *argv[] = {"prog", NULL};
		execv("/tmp/prog", argv);
		_exit(99);
	}
	check_status("exec of the file runs it", reap(pid), 0);
	unlink("/tmp/prog");
}

/* Five processes of sleep, the first (the text's payer) killed first, the
 * rest ending in the order they were started and a last one killed. */
static void many(void)
{
	pid_t pid[5];
	char *argv[] = {"sleep", "1", NULL};
	for (int i = 0; i < 5; i++)
		pid[i] = spawnv("sleep", argv);
	check("five processes of one program start", pid[0] > 0 && pid[4] > 0, "%d %d", pid[0],
	      pid[4]);
	kill(pid[0], SIGKILL);
	kill(pid[3], SIGKILL);
	int st0 = reap(pid[0]), ok = 0;
	for (int i = 1; i < 5; i++) {
		int st = reap(pid[i]);
		ok += i == 3 ? WIFSIGNALED(st) : WIFEXITED(st) && WEXITSTATUS(st) == 0;
	}
	check("the payer killed first, the others run on and end", WIFSIGNALED(st0) && ok == 4,
	      "%#x, %d of 4", st0, ok);
}

static void forks(void)
{
	pid_t pid = fork();
	if (pid == 0)
		_exit(7);
	check_status("a fork's child runs the shared text", reap(pid), 7);
	pid = fork();
	if (pid == 0) {
		*(volatile char *)(uintptr_t)check_start = 0; /* text is read-only */
		_exit(0);
	}
	int st = reap(pid);
	check("a write to the text after a fork is SIGSEGV",
	      WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV, "status %#x", st);
	pid = sfork();
	if (pid == 0)
		_exit(3);
	check_status("a shared fork's child runs the shared text", reap(pid), 3);
	pid = sfork();
	if (pid == 0) {
		*(volatile char *)(uintptr_t)check_start = 0;
		_exit(0);
	}
	st = reap(pid);
	check("a write to the text after a shared fork is SIGSEGV",
	      WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV, "status %#x", st);
}

int main(void)
{
	check_start("texttest", CHECK_PAREN);
	replaced_files();
	many();
	forks();
	printf("texttest: %d checks, %d failed\n", checks, failures);
	sprig_poweroff();
	return failures != 0;
}
