/* SPDX-License-Identifier: MIT */
/*
 * sh: the Sprig shell. Reads command lines from standard input (a prompt
 * on a terminal) and runs programs from the boot image as processes, each
 * foreground job in a process group of its own that the terminal sends ^C
 * to, never to the shell.
 *
 * A line holds commands separated by ';' or '&' (which runs the one
 * before it in the background). Words are split at blanks; '...' quotes
 * literally, "..." quotes with $ expansion, a backslash quotes the next
 * character, # starts a comment. $? is the last status, $$ the shell's
 * pid, $! the last background pid, $NAME an environment variable.
 *
 * Built in: exit [N], wait [PID...], jobs, export NAME=VALUE, unset NAME,
 * NAME=VALUE, help. A program killed by a signal is reported as a Unix
 * shell does ("Segmentation fault (core dumped)") and $? is 128 + signal.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define LINE_MAX 1024
#define WORDS    64
#define JOBS     16

static int status;      /* $? */
static pid_t last_bg;   /* $! */
static int interactive; /* stdin is a terminal */
static volatile int interrupted;

/* Background jobs: running, or ended and reported but kept for a later
 * "wait PID" to answer with their status, as Unix shells do. */
static struct job {
	pid_t pid;
	int ended, st;
	char cmd[64];
} jobs[JOBS];

/* ---- reading lines ---- */

static char inbuf[LINE_MAX];
static int inlen, inpos;

/* The next line of input, without its newline; NULL at end of input.
 * A ^C at the prompt (read interrupted) gives an empty line. */
static char *read_line(char *line, int cap)
{
	int n = 0;
	for (;;) {
		while (inpos < inlen) {
			char c = inbuf[inpos++];
			if (c == '\n') {
				line[n] = 0;
				return line;
			}
			if (n < cap - 1)
				line[n++] = c;
		}
		ssize_t got = read(0, inbuf, sizeof inbuf);
		if (got < 0 && errno == EINTR) {
			line[0] = 0;
			inlen = inpos = 0;
			return line;
		}
		if (got <= 0) {
			if (n == 0)
				return NULL;
			line[n] = 0; /* a last line without a newline */
			return line;
		}
		inlen = (int)got;
		inpos = 0;
	}
}

/* ---- words ---- */

static char wordbuf[LINE_MAX * 2];

/* Appends the value of the $ expansion at *p to the word at *w. */
static void expand(const char **p, char **w, char *end)
{
	char name[64], num[16];
	const char *val = "";
	const char *s = *p + 1;
	int n = 0;
	if (*s == '?' || *s == '$' || *s == '!') {
		int v = *s == '?' ? status : *s == '$' ? getpid() : last_bg;
		snprintf(num, sizeof num, "%d", v);
		val = num;
		s++;
	} else if (*s == '_' || (*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z')) {
		while ((*s == '_' || (*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') ||
		        (*s >= '0' && *s <= '9')) &&
		       n < (int)sizeof name - 1)
			name[n++] = *s++;
		name[n] = 0;
		val = getenv(name);
		if (!val)
			val = "";
	} else {
		val = "$"; /* a lone dollar */
	}
	while (*val && *w < end)
		*(*w)++ = *val++;
	*p = s;
}

/*
 * Splits one command off the line at *p into argv (pointing into
 * wordbuf from *wb on); stops after ';', '&' or the end, and says which.
 * Returns the word count, or -1 on an unclosed quote.
 */
static int split(const char **p, char **argv, char **wb, char *sep)
{
	const char *s = *p;
	char *w = *wb, *end = wordbuf + sizeof wordbuf - 1;
	int argc = 0;
	*sep = 0;
	for (;;) {
		while (*s == ' ' || *s == '\t')
			s++;
		if (!*s || *s == '#')
			break;
		if (*s == ';' || *s == '&') {
			*sep = *s++;
			break;
		}
		if (argc == WORDS - 1)
			break;
		argv[argc++] = w;
		while (*s && *s != ' ' && *s != '\t' && *s != ';' && *s != '&') {
			if (*s == '\'') {
				for (s++; *s && *s != '\''; s++)
					if (w < end)
						*w++ = *s;
				if (!*s)
					return -1;
				s++;
			} else if (*s == '"') {
				for (s++; *s && *s != '"';) {
					if (*s == '$')
						expand(&s, &w, end);
					else if (*s == '\\' &&
					         (s[1] == '"' || s[1] == '\\' || s[1] == '$'))
						*w++ = s[1], s += 2;
					else if (w < end)
						*w++ = *s++;
				}
				if (!*s)
					return -1;
				s++;
			} else if (*s == '\\' && s[1]) {
				if (w < end)
					*w++ = s[1];
				s += 2;
			} else if (*s == '$') {
				expand(&s, &w, end);
			} else {
				if (w < end)
					*w++ = *s;
				s++;
			}
		}
		*w++ = 0;
	}
	argv[argc] = NULL;
	*p = s;
	*wb = w;
	return argc;
}

/* ---- jobs ---- */

/* What a wait status means, as a Unix shell says it; sets $?. */
static void report(pid_t pid, int st, int background, const char *cmd)
{
	if (WIFEXITED(st)) {
		status = WEXITSTATUS(st);
		if (background)
			printf("[%d] Done%s%.0d\t%s\n", pid, status ? " exit " : "", status, cmd);
		return;
	}
	int sig = WTERMSIG(st);
	status = 128 + sig;
	const char *core = WCOREDUMP(st) ? " (core dumped)" : "";
	if (background)
		printf("[%d] %s%s\t%s\n", pid, strsignal(sig), core, cmd);
	else if (sig != SIGINT && sig != SIGPIPE) /* the terminal showed ^C already */
		printf("%s%s\n", strsignal(sig), core);
}

static struct job *job_of(pid_t pid)
{
	for (int i = 0; i < JOBS; i++)
		if (jobs[i].pid == pid)
			return &jobs[i];
	return NULL;
}

/* Reports background jobs that have ended, without waiting. */
static void reap(void)
{
	int st;
	pid_t pid;
	while ((pid = waitpid(-1, &st, WNOHANG)) > 0) {
		struct job *j = job_of(pid);
		int saved = status;
		report(pid, st, 1, j ? j->cmd : "?");
		status = saved; /* $? stays the last foreground command's */
		if (j) {
			j->ended = 1;
			j->st = st;
		}
	}
}

static void remember(pid_t pid, char **argv)
{
	struct job *j = job_of(0);
	for (int i = 0; !j && i < JOBS; i++)
		if (jobs[i].ended)
			j = &jobs[i]; /* the oldest ended one gives way */
	if (!j)
		return;
	j->pid = pid;
	j->ended = 0;
	j->cmd[0] = 0;
	for (int i = 0; argv[i]; i++) {
		strncat(j->cmd, argv[i], sizeof j->cmd - strlen(j->cmd) - 1);
		if (argv[i + 1])
			strncat(j->cmd, " ", sizeof j->cmd - strlen(j->cmd) - 1);
	}
}

static int builtin_wait(char **argv)
{
	int st;
	if (!argv[1]) {
		pid_t pid;
		while ((pid = waitpid(-1, &st, 0)) > 0) {
			struct job *j = job_of(pid);
			if (j)
				j->pid = 0;
			report(pid, st, 0, "");
		}
		if (errno == EINTR)
			return 130;
		return 0;
	}
	for (int i = 1; argv[i]; i++) {
		pid_t pid = (pid_t)strtol(argv[i], NULL, 0);
		struct job *ended = job_of(pid);
		if (ended && ended->ended) { /* reported already: just its status */
			ended->pid = 0;
			status = WIFEXITED(ended->st) ? WEXITSTATUS(ended->st)
			                              : 128 + WTERMSIG(ended->st);
			continue;
		}
		if (waitpid(pid, &st, 0) < 0) {
			fprintf(stderr, "wait: %s: %s\n", argv[i], strerror(errno));
			status = 127;
			continue;
		}
		struct job *j = job_of(pid);
		if (j)
			j->pid = 0;
		report(pid, st, 0, "");
	}
	return status;
}

/* ---- running ---- */

static void run(char **argv, int background)
{
	pid_t pid = spawnv(argv[0], argv);
	if (pid < 0) {
		fprintf(stderr, "sh: %s: %s\n", argv[0],
		        errno == ENOENT ? "command not found" : strerror(errno));
		status = errno == ENOENT ? 127 : 126;
		return;
	}
	setpgid(pid, pid); /* a group of its own: the terminal's ^C goes there */
	if (background) {
		last_bg = pid;
		remember(pid, argv);
		if (interactive)
			printf("[%d]\n", pid);
		status = 0;
		return;
	}
	if (interactive)
		tcsetpgrp(0, pid);
	int st = 0;
	pid_t got;
	while ((got = waitpid(pid, &st, 0)) < 0 && errno == EINTR)
		;
	if (interactive)
		tcsetpgrp(0, getpgrp());
	if (got < 0) {
		fprintf(stderr, "sh: wait: %s\n", strerror(errno));
		status = 127;
		return;
	}
	report(pid, st, 0, "");
}

static int is_assignment(const char *w)
{
	const char *eq = strchr(w, '=');
	return eq && eq != w &&
	       strspn(w, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_0123456789") ==
	               (size_t)(eq - w);
}

static void assign(const char *w)
{
	char name[64];
	const char *eq = strchr(w, '=');
	size_t n = (size_t)(eq - w) < sizeof name - 1 ? (size_t)(eq - w) : sizeof name - 1;
	memcpy(name, w, n);
	name[n] = 0;
	setenv(name, eq + 1, 1);
}

/* Runs one command; returns 0, or 1 if the shell should exit. */
static int command(char **argv, int argc, int background)
{
	if (argc == 0)
		return 0;
	if (!strcmp(argv[0], "exit")) {
		if (argv[1])
			status = (int)strtol(argv[1], NULL, 0) & 0xff;
		return 1;
	}
	if (!strcmp(argv[0], "wait")) {
		status = builtin_wait(argv);
		return 0;
	}
	if (!strcmp(argv[0], "jobs")) {
		for (int i = 0; i < JOBS; i++)
			if (jobs[i].pid && !jobs[i].ended)
				printf("[%d] Running\t%s\n", jobs[i].pid, jobs[i].cmd);
		status = 0;
		return 0;
	}
	if (!strcmp(argv[0], "export") || is_assignment(argv[0])) {
		for (int i = !strcmp(argv[0], "export"); argv[i]; i++)
			if (is_assignment(argv[i]))
				assign(argv[i]);
		status = 0;
		return 0;
	}
	if (!strcmp(argv[0], "unset")) {
		for (int i = 1; argv[i]; i++)
			unsetenv(argv[i]);
		status = 0;
		return 0;
	}
	if (!strcmp(argv[0], "help")) {
		printf("built in: exit [N], wait [PID...], jobs, export NAME=VALUE, unset NAME\n"
		       "programs: echo true false sleep ps kill poweroff sh loop fault ...\n"
		       "cmd & runs in the background; ^C stops the foreground job\n");
		status = 0;
		return 0;
	}
	run(argv, background);
	return 0;
}

static void on_sigint(int sig)
{
	(void)sig;
	interrupted = 1;
}

int main(int argc, char **argv)
{
	static char line[LINE_MAX];
	interactive = isatty(0);
	if (interactive) {
		signal(SIGINT, on_sigint); /* caught, not ignored: children get the default */
		setpgid(0, 0);
		tcsetpgrp(0, getpgrp());
	}
	if (argc > 2 && !strcmp(argv[1], "-c")) {
		interactive = 0;
		strncpy(line, argv[2], sizeof line - 1);
	}
	for (;;) {
		if (argc <= 2) {
			reap();
			if (interactive) {
				printf("$ ");
				fflush(stdout);
			}
			if (!read_line(line, sizeof line))
				break;
		}
		interrupted = 0;
		const char *p = line;
		char *wb = wordbuf;
		int done = 0;
		while (*p && !done) {
			char *words[WORDS], sep;
			int n = split(&p, words, &wb, &sep);
			if (n < 0) {
				fprintf(stderr, "sh: unclosed quote\n");
				status = 2;
				break;
			}
			done = command(words, n, sep == '&');
		}
		if (done || argc > 2)
			break;
	}
	return status;
}
