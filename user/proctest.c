/* SPDX-License-Identifier: MIT */
/*
 * proctest: the process manager's semantics and its hostile input, run as
 * init (proc init=proctest), so orphans come to it. fork, exec, wait and
 * WNOHANG, exit statuses and deaths by signal, caught signals and SIGCHLD,
 * process groups, zombies in the listing, killing a process blocked in a
 * sleep, in a door call (a wait inside proc) and in a console read, a
 * fork bomb, and malformed requests on the raw door. Then it kills the
 * console driver and checks its callers get errors, and powers off.
 *
 * Prints "proctest CHECK: ok" or "... FAILED (detail)" per check and
 * "proctest: N checks, N failed".
 */
#include <errno.h>
#include <signal.h>
#include <sprite/proc.h>
#include <sprite/stream.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lib/c/libc.h"
#include "lib/doors/kobj.h"
#include "user/check.h"

int sprig_ps(struct proc_entry *e, int max);
int sprig_poweroff(void);

static int exited_with(int st, int code)
{
	return WIFEXITED(st) && WEXITSTATUS(st) == code;
}

static int killed_by(int st, int sig)
{
	return WIFSIGNALED(st) && WTERMSIG(st) == sig;
}

static int state_of(pid_t pid)
{
	static struct proc_entry e[PROC_MAX];
	int n = sprig_ps(e, PROC_MAX);
	for (int i = 0; i < n; i++)
		if (e[i].pid == pid)
			return e[i].state;
	return 0;
}

static int shared_value = 1;

static void check_fork(void)
{
	pid_t parent = getpid();
	pid_t pid = fork();
	if (pid == 0) {
		shared_value = 2; /* the child's own copy */
		_exit(getppid() == parent ? 7 : 8);
	}
	int st = reap(pid);
	check("fork: the child runs, sees its parent, exits 7; the parent's memory is its own",
	      pid > 0 && exited_with(st, 7) && shared_value == 1, "pid %d status %#x value %d", pid,
	      st, shared_value);

	shared_value = 1;
	pid = sfork();
	if (pid == 0) {
		shared_value = 42; /* the parent's memory: a shared fork */
		_exit(9);
	}
	st = reap(pid);
	check("sfork: the child shares the parent's memory",
	      exited_with(st, 9) && shared_value == 42, "status %#x value %d", st, shared_value);
	shared_value = 1;

	pid = fork();
	if (pid == 0) {
		char *argv[] = {"echo", "proctest: echo after exec", NULL};
		execv("echo", argv);
		_exit(99);
	}
	st = reap(pid);
	check("exec: a forked child becomes echo, which exits 0", exited_with(st, 0), "status %#x",
	      st);

	pid = fork();
	if (pid == 0) {
		char *argv[] = {"nosuch", NULL};
		execv("nosuch", argv);
		_exit(errno == ENOENT ? 5 : 6);
	}
	st = reap(pid);
	check("exec of a program that does not exist: ENOENT, the caller goes on",
	      exited_with(st, 5), "status %#x", st);
}

static void check_wait(void)
{
	int st;
	errno = 0;
	check("wait with no children: ECHILD", wait(&st) == -1 && errno == ECHILD, "errno %d",
	      errno);
	pid_t pid = fork();
	if (pid == 0) {
		sleep_ms(300);
		_exit(3);
	}
	pid_t now = waitpid(pid, &st, WNOHANG);
	check("waitpid WNOHANG on a running child: 0", now == 0, "got %d", now);
	st = reap(pid);
	check("then wait: its status 3", exited_with(st, 3), "status %#x", st);

	pid = fork();
	if (pid == 0)
		_exit(0);
	sleep_ms(200);
	int zombie = state_of(pid);
	st = reap(pid);
	check("a child that ended is a zombie in the listing until reaped, then gone",
	      zombie == PROC_ZOMBIE && state_of(pid) == 0, "state %d then %d", zombie,
	      state_of(pid));

	pid = fork();
	if (pid == 0)
		*(volatile int *)0 = 1;
	st = reap(pid);
	check("a child that faults: SIGSEGV, core flag", killed_by(st, SIGSEGV) && WCOREDUMP(st),
	      "status %#x", st);
}

static volatile int got_usr1, got_chld;

static void on_usr1(int sig)
{
	got_usr1 = sig;
}

static void on_chld(int sig)
{
	(void)sig;
	got_chld++;
}

static void check_signals(void)
{
	signal(SIGUSR1, on_usr1);
	int err = kill(getpid(), SIGUSR1);
	for (int i = 0; i < 100 && !got_usr1; i++)
		sleep_ms(5);
	check("a caught signal runs its handler", err == 0 && got_usr1 == SIGUSR1,
	      "kill %d handler %d", err, got_usr1);

	signal(SIGCHLD, on_chld);
	pid_t pid = fork();
	if (pid == 0)
		_exit(0);
	int st = reap(pid);
	for (int i = 0; i < 100 && !got_chld; i++)
		sleep_ms(5);
	check("SIGCHLD when a child ends", got_chld > 0 && exited_with(st, 0), "chld %d", got_chld);
	signal(SIGCHLD, SIG_DFL);

	signal(SIGUSR2, SIG_IGN);
	err = kill(getpid(), SIGUSR2);
	check("an ignored signal does nothing", err == 0, "kill %d", err);
	signal(SIGUSR2, SIG_DFL);

	pid = fork();
	if (pid == 0) {
		sleep_ms(10000);
		_exit(0);
	}
	sleep_ms(50);
	kill(pid, SIGTERM);
	st = reap(pid);
	check("SIGTERM ends a process blocked in a sleep", killed_by(st, SIGTERM), "status %#x",
	      st);

	pid = fork();
	if (pid == 0) {
		signal(SIGTERM, SIG_IGN);
		sleep_ms(10000);
		_exit(0);
	}
	sleep_ms(50);
	kill(pid, SIGTERM);
	kill(pid, SIGKILL);
	st = reap(pid);
	check("SIGKILL ends a process that ignores SIGTERM", killed_by(st, SIGKILL), "status %#x",
	      st);

	/* A handler interrupts a blocked sleep: the sleep ends early. */
	pid = fork();
	if (pid == 0) {
		signal(SIGUSR1, on_usr1);
		got_usr1 = 0;
		unsigned left = sleep(20);
		_exit(got_usr1 == SIGUSR1 && left > 0 ? 11 : 12);
	}
	sleep_ms(100);
	kill(pid, SIGUSR1);
	st = reap(pid);
	check("a caught signal cuts a sleep short", exited_with(st, 11), "status %#x", st);

	errno = 0;
	check("kill with a bad signal: EINVAL", kill(getpid(), 99) == -1 && errno == EINVAL,
	      "errno %d", errno);
	errno = 0;
	check("kill of no such process: ESRCH",
	      kill(PROC_PID(77, gethostid(), 63), SIGTERM) == -1 && errno == ESRCH, "errno %d",
	      errno);
	errno = 0;
	check("SIGKILL cannot be caught", signal(SIGKILL, on_usr1) == SIG_ERR && errno == EINVAL,
	      "errno %d", errno);
}

static void check_groups(void)
{
	pid_t a = fork();
	if (a == 0) {
		setpgid(0, 0);
		sleep_ms(10000);
		_exit(0);
	}
	pid_t b = fork();
	if (b == 0) {
		sleep_ms(10000);
		_exit(0);
	}
	int e1 = setpgid(a, a), e2 = setpgid(b, a);
	sleep_ms(50);
	int err = kill(-a, SIGTERM);
	int sa = reap(a), sb = reap(b);
	check("kill of a process group ends each process in it",
	      e1 == 0 && e2 == 0 && err == 0 && killed_by(sa, SIGTERM) && killed_by(sb, SIGTERM),
	      "setpgid %d %d kill %d status %#x %#x", e1, e2, err, sa, sb);

	errno = 0;
	check("setpgid of a process that is not a child: ESRCH",
	      setpgid(getppid() > 0 ? getppid() : PROC_PID(9, 1, 60), 0) == -1 && errno == ESRCH,
	      "errno %d", errno);
}

/* An orphan comes to init, which is this program. */
static void check_orphans(void)
{
	pid_t init = getpid();
	pid_t child = fork();
	if (child == 0) {
		pid_t grandchild = fork();
		if (grandchild == 0) {
			sleep_ms(300);
			_exit(getppid() == init ? 20 : 21);
		}
		_exit(grandchild > 0 ? 0 : 1);
	}
	int st = reap(child);
	/* Now the grandchild's parent is init (us): we can wait for it. */
	pid_t got;
	int gst = -1;
	while ((got = wait(&gst)) < 0 && errno == EINTR)
		;
	check("an orphan is given to init, which reaps it",
	      exited_with(st, 0) && got > 0 && exited_with(gst, 20),
	      "child %#x, then wait %d status %#x", st, got, gst);
}

/* Ends every child of ours and reaps it. */
static void kill_children(void)
{
	static struct proc_entry e[PROC_MAX];
	int n = sprig_ps(e, PROC_MAX), st;
	for (int i = 0; i < n; i++)
		if (e[i].ppid == getpid())
			kill(e[i].pid, SIGKILL);
	while (wait(&st) > 0 || errno == EINTR)
		;
}

/* A process blocked in a door call (a wait inside proc) or in a console
 * read dies when killed, and the servers go on. */
static void check_blocked(void)
{
	pid_t pid = fork();
	if (pid == 0) {
		pid_t inner = fork();
		if (inner == 0) {
			sleep_ms(10000);
			_exit(0);
		}
		int st;
		waitpid(inner, &st, 0); /* blocks in proc */
		_exit(1);
	}
	sleep_ms(200);
	kill(pid, SIGKILL);
	int st = reap(pid);
	pid_t me = getpid();
	check("a process blocked in a door call (a wait in proc) is killed; proc answers",
	      killed_by(st, SIGKILL) && me > 0, "status %#x pid %d", st, me);
	kill_children(); /* its child is ours now */

	pid = fork();
	if (pid == 0) {
		char buf[16];
		read(0, buf, sizeof buf); /* nothing is typed: blocks in the driver */
		_exit(1);
	}
	sleep_ms(200);
	kill(pid, SIGKILL);
	st = reap(pid);
	ssize_t put = write(1, "", 0);
	check("a process blocked in a console read is killed; the console answers",
	      killed_by(st, SIGKILL) && put == 0, "status %#x write %d", st, (int)put);

	pid = fork();
	if (pid == 0) {
		signal(SIGUSR1, on_usr1);
		char buf[16];
		ssize_t n = read(0, buf, sizeof buf);
		_exit(n < 0 && errno == EINTR ? 30 : 31);
	}
	sleep_ms(200);
	kill(pid, SIGUSR1);
	st = reap(pid);
	check("a caught signal ends a console read with EINTR", exited_with(st, 30), "status %#x",
	      st);
}

static void check_fork_bomb(void)
{
	pid_t leader = fork();
	if (leader == 0) {
		setpgid(0, 0);
		int made = 0, err = 0;
		for (;;) {
			pid_t p = fork();
			if (p == 0) {
				sleep_ms(20000);
				_exit(0);
			}
			if (p < 0) {
				err = errno;
				break;
			}
			made++;
		}
		printf("proctest: the bomb made %d processes, then %s\n", made, strerror(err));
		_exit(err == EAGAIN || err == ENOMEM ? 40 : 41);
	}
	int st = reap(leader);
	int err = kill(-leader, SIGKILL);
	int n = 0;
	while (wait(&st) > 0 || errno == EINTR)
		n++;
	pid_t p = fork();
	if (p == 0)
		_exit(4);
	int after = reap(p);
	check("a fork bomb ends in EAGAIN or ENOMEM; the system still answers",
	      err == 0 && n > 0 && exited_with(after, 4), "kill %d reaped %d then %#x", err, n,
	      after);
}

/* Requests no library would send, straight at the door. */
static void check_hostile(void)
{
	int door = sprig_start_door;
	int32_t rep[64];
	struct {
		uint32_t op;
		uint8_t rest[64];
	} msg;
	memset(&msg, 0, sizeof msg);
	door_arg_t a = {&msg, 2, NULL, 0, rep, sizeof rep, NULL, 0};
	int err = door_call(door, &a);
	check("hostile: a 2-byte request is refused", err == 0 && rep[0] == -EINVAL, "err %d %d",
	      err, rep[0]);
	msg.op = 999;
	a = (door_arg_t){&msg, 4, NULL, 0, rep, sizeof rep, NULL, 0};
	err = door_call(door, &a);
	check("hostile: an unknown operation is refused", err == 0 && rep[0] == -EINVAL,
	      "err %d %d", err, rep[0]);

	struct door_binding b;
	door_bind_remote(&b, door);
	struct proc_none none = {0};
	struct door_io io = DOOR_IO_NONE;
	err = proc_stage(&b, &(struct proc_stage_in){99}, &none, &io);
	check("hostile: stage of descriptor 99: EBADF", err == -EBADF, "%d", err);
	err = proc_stage(&b, &(struct proc_stage_in){0}, &none, &io);
	check("hostile: stage with no door: EBADF", err == -EBADF, "%d", err);

	static const char unterminated[] = {'e', 'c', 'h', 'o'};
	io = (struct door_io){unterminated, sizeof unterminated, NULL, 0, 0, -1, 0, -1, 0, NULL};
	err = proc_spawn(&b, &(struct proc_spawn_in){0}, &none, &io);
	check("hostile: spawn with unterminated strings: EINVAL", err == -EINVAL, "%d", err);
	static const char noargs[] = "echo\0\0";
	io = (struct door_io){noargs, sizeof noargs - 1, NULL, 0, 0, -1, 0, -1, 0, NULL};
	err = proc_spawn(&b, &(struct proc_spawn_in){0}, &none, &io);
	check("hostile: spawn with no argv: EINVAL", err == -EINVAL, "%d", err);
	io = (struct door_io){NULL, 0, NULL, 0, 0, -1, 0, -1, 0, NULL};
	err = proc_spawn(&b, &(struct proc_spawn_in){0}, &none, &io);
	check("hostile: spawn with nothing: EINVAL", err == -EINVAL, "%d", err);

	err = proc_fork(&b, &(struct proc_fork_in){0xc0001000u, 0x1000, 0}, &none);
	check("hostile: fork into the nucleus's addresses: EFAULT", err == -EFAULT, "%d", err);
	err = proc_fork(&b, &(struct proc_fork_in){0x1000, 0x1000, 7}, &none);
	check("hostile: fork with an unknown sharing: EINVAL", err == -EINVAL, "%d", err);
	struct proc_wait_out wo;
	err = proc_wait(&b, &(struct proc_wait_in){-1, 0x80}, &wo);
	check("hostile: wait with unknown options: EINVAL", err == -EINVAL, "%d", err);
	err = proc_sigaction(&b, &(struct proc_sigaction_in){SIGUSR1, PROC_SIG_CATCH, 0xc0100000u},
	                     &none);
	check("hostile: a handler in the nucleus: EINVAL", err == -EINVAL, "%d", err);
	err = proc_sigaction(&b, &(struct proc_sigaction_in){-3, PROC_SIG_IGN, 0}, &none);
	check("hostile: sigaction of signal -3: EINVAL", err == -EINVAL, "%d", err);
	io = (struct door_io){NULL, 0, NULL, 0, 0, door, 0, -1, 0, NULL};
	err = proc_irq(&b, &(struct proc_irq_in){4}, &none, &io);
	check("hostile: an interrupt line for a process that is no driver: EPERM", err == -EPERM,
	      "%d", err);
	struct proc_ids ids = {0, 0, 0};
	err = proc_ids(&b, &none, &ids);
	check("after all that, proc still answers", err == 0 && ids.pid == getpid(), "%d", err);
}

/* Requests no library would send, at the console's door. */
static void check_console_hostile(void)
{
	int door = fd_door(1);
	int32_t rep[8] = {0};
	uint32_t msg[4] = {77, 0, 0, 0};
	door_arg_t a = {msg, sizeof msg, NULL, 0, rep, sizeof rep, NULL, 0};
	int err = door_call(door, &a);
	check("console hostile: an unknown operation is refused", err == 0 && rep[0] == -EINVAL,
	      "err %d %d", err, rep[0]);
	a = (door_arg_t){msg, 3, NULL, 0, rep, sizeof rep, NULL, 0};
	err = door_call(door, &a);
	check("console hostile: a 3-byte request is refused", err == 0 && rep[0] == -EINVAL,
	      "err %d %d", err, rep[0]);
	struct door_binding b;
	door_bind_remote(&b, door);
	struct stream_none none = {0};
	struct door_io io = {NULL, 0, NULL, 0, 0, -1, 0, -1, 0, NULL};
	err = stream_write(&b, &none, &none, &io);
	check("console hostile: a write of nothing writes nothing", err == 0, "%d", err);
	err = stream_setpgrp(&b, &(struct stream_pgrp){-5}, &none);
	check("console hostile: a negative foreground group: EINVAL", err == -EINVAL, "%d", err);
	/* A read asking for 2^32-1 bytes, with three doors riding along: the
	 * reply is capped, the doors closed; a caught signal ends the wait. */
	pid_t pid = fork();
	if (pid == 0) {
		signal(SIGUSR1, on_usr1);
		struct {
			uint32_t op, unused, out_cap;
		} rd = {1, 0, 0xffffffffu};
		door_desc_t d[3] = {{door, 0}, {door, 0}, {door, 0}};
		door_arg_t r = {&rd, sizeof rd, d, 3, rep, sizeof rep, NULL, 0};
		int e = door_call(fd_door(0), &r);
		_exit(e == 0 && rep[0] == -EINTR ? 50 : 51);
	}
	sleep_ms(200);
	kill(pid, SIGUSR1);
	int st = reap(pid);
	door_info_t info;
	door_info(door, &info);
	check("console hostile: a huge read with extra doors waits, then EINTR; no door kept",
	      exited_with(st, 50), "status %#x refs %u", st, info.refs);
}

/* Kills the console driver: the console's callers get errors, not hangs. */
static void check_driver_death(void)
{
	static struct proc_entry e[PROC_MAX];
	int n = sprig_ps(e, PROC_MAX);
	pid_t uart = 0;
	for (int i = 0; i < n; i++)
		if (!strcmp(e[i].name, "uart"))
			uart = e[i].pid;
	printf("proctest: %d checks, %d failed before the driver dies\n", checks, failures);
	fflush(stdout);
	int err = kill(uart, SIGKILL);
	sleep_ms(200);
	ssize_t put = write(1, "x", 1);
	int werr = errno;
	char line[160];
	snprintf(line, sizeof line,
	         "proctest the console driver killed: writes fail with EBADF: %s (kill %d write %d "
	         "errno %d)\n",
	         uart && err == 0 && put < 0 && werr == EBADF ? "ok" : "FAILED", err, (int)put,
	         werr);
	console_write(line, strlen(line));
	if (!(uart && err == 0 && put < 0 && werr == EBADF))
		failures++;
	checks++;
	snprintf(line, sizeof line, "proctest: %d checks, %d failed\n", checks, failures);
	console_write(line, strlen(line));
}

int main(void)
{
	check_start("proctest", CHECK_PAREN);
	printf("proctest: pid %d, parent %d, host %d\n", getpid(), getppid(), gethostid());
	check_fork();
	check_wait();
	check_signals();
	check_groups();
	check_orphans();
	check_blocked();
	check_fork_bomb();
	check_hostile();
	check_console_hostile();
	check_driver_death();
	sprig_poweroff();
	return failures != 0;
}
