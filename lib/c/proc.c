/* SPDX-License-Identifier: MIT */
/*
 * Processes: the POSIX calls over this process's door to the process
 * manager (sprite/proc.h), and the start-up of a program proc started
 * (sprig_proc_start, from crt_main: arguments, environment, descriptors).
 * A program proc did not start (a bare boot module) gets -1 with ENOSYS
 * from these calls.
 *
 * Entry points: getpid, getppid, getpgrp, setpgid, fork and sfork (fork.S) with
 * sprig_fork_call and sprig_fork_child, execv, execve, execvp, spawnv,
 * wait, waitpid, kill, raise, signal, sleep, usleep, gethostid, sprig_ps,
 * sprig_poweroff,
 * sprig_proc_start.
 */
#include <errno.h>
#include <signal.h>
#include <sprite/proc.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lib/c/libc.h"
#include "lib/doors/kobj.h"

void fd_reset(const int32_t *ids, int n);
extern int sprig_fd_console;

static struct door_binding procb;
static int started; /* by proc: procb is bound */
static sighandler_t handlers[NSIG];

/* The start-up block, and argv/envp pointing into it. */
static union {
	struct proc_start s;
	char bytes[DOOR_IO_MAX];
} block;
static char *vec[PROC_FD_MAX + 120];

static int fail(int err)
{
	errno = -err;
	return -1;
}

static int need_proc(void)
{
	return started ? 0 : -ENOSYS;
}

/* Asks proc for the start-up block and installs its descriptors. */
static int fetch_start(void)
{
	struct proc_none none = {0};
	struct door_io io = {NULL, 0, &block, sizeof block, 0, -1, 0, -1, 0, NULL};
	int err = proc_startup(&procb, &none, &none, &io);
	if (err < 0)
		return err;
	if (io.out_size < sizeof block.s ||
	    block.s.argc + block.s.envc + 2 > sizeof vec / sizeof *vec)
		return -EIO;
	fd_reset(block.s.fds, PROC_FD_MAX);
	return (int)io.out_size;
}

/* Called by crt_main when the argument string says proc started us. */
int sprig_proc_start(int *argc, char ***argv)
{
	door_bind_remote(&procb, sprig_start_door);
	started = 1;
	int size = fetch_start();
	if (size < 0)
		return size;
	char *p = block.bytes + sizeof block.s, *end = block.bytes + size;
	uint32_t n = 0;
	for (uint32_t i = 0; i < block.s.argc && p < end; i++, p += strlen(p) + 1)
		vec[n++] = p;
	vec[n++] = NULL;
	p += strlen(p) + 1; /* the empty string ending the arguments */
	environ = &vec[n];
	for (uint32_t i = 0; i < block.s.envc && p < end; i++, p += strlen(p) + 1)
		vec[n++] = p;
	vec[n] = NULL;
	*argc = (int)block.s.argc;
	*argv = vec;
	return 0;
}

/* Programs proc did not start write 1 and 2 to the nucleus console. */
void sprig_proc_none(void)
{
	sprig_fd_console = 1;
}

pid_t getpid(void)
{
	struct proc_ids ids;
	int err = need_proc();
	if (!err)
		err = proc_ids(&procb, &(struct proc_none){0}, &ids);
	return err < 0 ? fail(err) : ids.pid;
}

pid_t getppid(void)
{
	struct proc_ids ids;
	int err = need_proc();
	if (!err)
		err = proc_ids(&procb, &(struct proc_none){0}, &ids);
	return err < 0 ? fail(err) : ids.ppid;
}

pid_t getpgrp(void)
{
	struct proc_ids ids;
	int err = need_proc();
	if (!err)
		err = proc_ids(&procb, &(struct proc_none){0}, &ids);
	return err < 0 ? fail(err) : ids.pgrp;
}

int gethostid(void)
{
	struct proc_ids ids;
	int err = need_proc();
	if (!err)
		err = proc_ids(&procb, &(struct proc_none){0}, &ids);
	return err < 0 ? fail(err) : (int)PROC_PID_HOST(ids.pid);
}

int setpgid(pid_t pid, pid_t pgid)
{
	struct proc_none none;
	int err = need_proc();
	if (!err)
		err = proc_setpgid(&procb, &(struct proc_pgid_in){pid, pgid}, &none);
	return err < 0 ? fail(err) : 0;
}

/* Hands every open descriptor to proc for the next child. */
static int stage_all(void)
{
	struct proc_none none;
	struct door_io io = DOOR_IO_NONE;
	int err = proc_stage(&procb, &(struct proc_stage_in){-1}, &none, &io);
	for (int fd = 0; fd < PROC_FD_MAX && err >= 0; fd++) {
		int door = fd_door(fd);
		if (door < 0)
			continue;
		io = (struct door_io){NULL, 0, NULL, 0, 0, door, 0, -1, 0, NULL};
		err = proc_stage(&procb, &(struct proc_stage_in){fd}, &none, &io);
	}
	return err;
}

int sprig_fork_call(uint32_t eip, uint32_t esp, uint32_t shared)
{
	int err = need_proc();
	if (!err && !shared)
		err = stage_all(); /* a shared child cannot use them: its globals are ours */
	if (!err)
		err = proc_fork(&procb, &(struct proc_fork_in){eip, esp, shared},
		                &(struct proc_none){0});
	return err < 0 ? fail(err) : err;
}

/* A forked child's first steps: its own door to proc, its own descriptors. */
void sprig_file_forked(void);

void sprig_fork_child(void)
{
	door_bind_remote(&procb, sprig_start_door);
	sprig_file_forked();
	if (fetch_start() < 0)
		fd_reset(NULL, 0);
}

/* Packs path, the arguments and the environment as spawn and exec take
 * them; returns the size or -E2BIG. */
static int pack(char *out, uint32_t cap, const char *path, char *const argv[], char *const envp[])
{
	uint32_t n = 0;
	const char *const *lists[2] = {(const char *const *)argv, (const char *const *)envp};
	char dir[1025] = "";
	if (strchr(path, '/') && path[0] != '/' && getcwd(dir, sizeof dir))
		strlcat(dir, strcmp(dir, "/") ? "/" : "", sizeof dir); /* proc resolves from "/" */
	size_t len = strlen(dir) + strlen(path) + 1;
	if (len > cap)
		return -E2BIG;
	memcpy(out, dir, strlen(dir));
	memcpy(out + strlen(dir), path, strlen(path) + 1);
	n += len;
	for (int l = 0; l < 2; l++) {
		for (int i = 0; lists[l] && lists[l][i]; i++) {
			len = strlen(lists[l][i]) + 1;
			if (n + len + 2 > cap)
				return -E2BIG;
			memcpy(out + n, lists[l][i], len);
			n += len;
		}
		out[n++] = 0;
	}
	return (int)n;
}

static char packed[DOOR_IO_MAX];

int execve(const char *path, char *const argv[], char *const envp[])
{
	int err = need_proc();
	int n = err < 0 ? err : pack(packed, sizeof packed, path, argv, envp);
	if (n >= 0)
		err = stage_all();
	if (n >= 0 && err >= 0) {
		struct door_io io = {packed, (uint32_t)n, NULL, 0, 0, -1, 0, -1, 0, NULL};
		err = proc_exec(&procb, &(struct proc_spawn_in){0}, &(struct proc_none){0}, &io);
	}
	return fail(n < 0 ? n : err < 0 ? err : -EIO);
}

int execv(const char *path, char *const argv[])
{
	return execve(path, argv, environ);
}

int execvp(const char *file, char *const argv[])
{
	return execve(file, argv, environ);
}

pid_t spawnv(const char *path, char *const argv[])
{
	int err = need_proc();
	int n = err < 0 ? err : pack(packed, sizeof packed, path, argv, environ);
	if (n < 0)
		return fail(n);
	err = stage_all();
	if (err >= 0) {
		struct door_io io = {packed, (uint32_t)n, NULL, 0, 0, -1, 0, -1, 0, NULL};
		err = proc_spawn(&procb, &(struct proc_spawn_in){0}, &(struct proc_none){0}, &io);
	}
	return err < 0 ? fail(err) : err;
}

/* spawnv, with the child's descriptors 0, 1 and 2 being fds[0..2] of
 * ours, and no other (posix_spawn's file actions, in their simplest form). */
pid_t spawnvfd(const char *path, char *const argv[], const int fds[3])
{
	int err = need_proc();
	int n = err < 0 ? err : pack(packed, sizeof packed, path, argv, environ);
	if (n < 0)
		return fail(n);
	struct proc_none none;
	struct door_io io = DOOR_IO_NONE;
	err = proc_stage(&procb, &(struct proc_stage_in){-1}, &none, &io);
	for (int fd = 0; fd < 3 && err >= 0; fd++) {
		int door = fd_door(fds[fd]);
		if (door < 0)
			continue;
		io = (struct door_io){NULL, 0, NULL, 0, 0, door, 0, -1, 0, NULL};
		err = proc_stage(&procb, &(struct proc_stage_in){fd}, &none, &io);
	}
	if (err >= 0) {
		io = (struct door_io){packed, (uint32_t)n, NULL, 0, 0, -1, 0, -1, 0, NULL};
		err = proc_spawn(&procb, &(struct proc_spawn_in){0}, &none, &io);
	}
	return err < 0 ? fail(err) : err;
}

pid_t waitpid(pid_t pid, int *status, int options)
{
	struct proc_wait_out out = {0, 0};
	int err = need_proc();
	if (!err)
		err = proc_wait(&procb, &(struct proc_wait_in){pid, (uint32_t)options}, &out);
	if (err < 0)
		return fail(err);
	if (status && out.pid > 0)
		*status = out.status;
	return out.pid;
}

pid_t wait(int *status)
{
	return waitpid(-1, status, 0);
}

int kill(pid_t pid, int sig)
{
	int err = need_proc();
	if (!err)
		err = proc_kill(&procb, &(struct proc_kill_in){pid, sig}, &(struct proc_none){0});
	return err < 0 ? fail(err) : 0;
}

int raise(int sig)
{
	pid_t self = getpid();
	return self < 0 ? -1 : kill(self, sig);
}

sighandler_t signal(int sig, sighandler_t handler)
{
	if (sig <= 0 || sig >= NSIG || sig == SIGKILL || handler == SIG_ERR)
		return fail(-EINVAL), SIG_ERR;
	uint32_t how = handler == SIG_DFL   ? PROC_SIG_DFL
	               : handler == SIG_IGN ? PROC_SIG_IGN
	                                    : PROC_SIG_CATCH;
	int err = need_proc();
	if (!err && how == PROC_SIG_CATCH)
		err = sigtramp_set_handler(sig, handler);
	if (!err)
		err = proc_sigaction(
		        &procb,
		        &(struct proc_sigaction_in){sig, how, (uint32_t)(uintptr_t)sprig_sigtramp},
		        &(struct proc_none){0});
	if (err < 0)
		return fail(err), SIG_ERR;
	sighandler_t old = handlers[sig];
	handlers[sig] = handler;
	return old;
}

static const char *const signames[NSIG] = {
        [SIGHUP] = "Hangup",
        [SIGINT] = "Interrupt",
        [SIGQUIT] = "Quit",
        [SIGILL] = "Illegal instruction",
        [SIGTRAP] = "Trace/breakpoint trap",
        [SIGABRT] = "Aborted",
        [SIGBUS] = "Bus error",
        [SIGFPE] = "Floating point exception",
        [SIGKILL] = "Killed",
        [SIGUSR1] = "User defined signal 1",
        [SIGSEGV] = "Segmentation fault",
        [SIGUSR2] = "User defined signal 2",
        [SIGPIPE] = "Broken pipe",
        [SIGALRM] = "Alarm clock",
        [SIGTERM] = "Terminated",
        [SIGCHLD] = "Child exited",
};

const char *strsignal(int sig)
{
	if (sig > 0 && sig < NSIG && signames[sig])
		return signames[sig];
	return "Unknown signal";
}

unsigned sleep(unsigned seconds)
{
	struct sprig_time t0, t1;
	sprig_time(&t0);
	if (sleep_ms(seconds * 1000) == 0)
		return 0;
	sprig_time(&t1);
	unsigned slept = (unsigned)((t1.ticks - t0.ticks) / (t0.hz ? t0.hz : 100));
	return slept < seconds ? seconds - slept : 0;
}

int usleep(useconds_t usec)
{
	int err = sleep_ms((usec + 999) / 1000);
	return err < 0 ? fail(err) : 0;
}

/* The process table, as ps shows it: up to max rows; returns how many. */
int sprig_ps(struct proc_entry *e, int max)
{
	struct door_io io = {NULL, 0, e, (uint32_t)max * sizeof *e, 0, -1, 0, -1, 0, NULL};
	int err = need_proc();
	if (!err)
		err = proc_list(&procb, &(struct proc_none){0}, &(struct proc_none){0}, &io);
	return err < 0 ? fail(err) : (int)(io.out_size / sizeof *e);
}

int sprig_poweroff(void)
{
	int err = need_proc();
	if (!err)
		err = proc_shutdown(&procb, &(struct proc_none){0}, &(struct proc_none){0});
	return err < 0 ? fail(err) : 0;
}
