/* SPDX-License-Identifier: MIT */
/*
 * sh: the Sprig shell. Reads command lines from standard input (a prompt
 * on a terminal) and runs programs from the boot image as processes, each
 * foreground job in a process group of its own that the terminal sends ^C
 * to, never to the shell.
 *
 * A line holds pipelines separated by ';' or '&' (which runs the one
 * before it in the background); a pipeline is commands joined by '|',
 * each with its redirections: < FILE, > FILE, >> FILE, 2> FILE, 2>&1.
 * Words are split at blanks; '...' quotes literally, "..." quotes with $
 * expansion, a backslash quotes the next character, # starts a comment.
 * $? is the last status, $$ the shell's pid, $! the last background pid,
 * $NAME an environment variable.
 *
 * Built in: cd [DIR], pwd, exit [N], wait [PID...], jobs, export
 * NAME=VALUE, unset NAME, NAME=VALUE, help. A program killed by a signal is reported as a Unix
 * shell does ("Segmentation fault (core dumped)") and $? is 128 + signal.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define LINE_MAX     1024
#define WORDS        64
#define JOBS         16
#define PIPELINE_MAX 32 /* commands in one pipeline */

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

/* One command of a pipeline: its words and redirections. */
struct cmd {
	char *argv[WORDS];
	int argc;
	char *in, *out, *err; /* files, or NULL */
	int append, err_to_out;
	char sep; /* what ended it: '|', ';', '&' or 0 */
};

/* Reads one word at s into w (quotes, escapes, $); -1 on an unclosed quote. */
static int read_word(const char **sp, char **wp, char *end)
{
	const char *s = *sp;
	char *w = *wp;
	while (*s && *s != ' ' && *s != '\t' && *s != ';' && *s != '&' && *s != '|' && *s != '<' &&
	       *s != '>') {
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
				else if (*s == '\\' && (s[1] == '"' || s[1] == '\\' || s[1] == '$'))
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
	*sp = s;
	*wp = w;
	return 0;
}

/*
 * Parses one command at *p into c (words in wordbuf from *wb on), up to
 * and past the '|', ';' or '&' that ends it. Returns 0, or -1 with a
 * message for a syntax error.
 */
static int parse_command(const char **p, struct cmd *c, char **wb)
{
	const char *s = *p;
	char *end = wordbuf + sizeof wordbuf - 1;
	memset(c, 0, sizeof *c);
	for (;;) {
		while (*s == ' ' || *s == '\t')
			s++;
		if (!*s || *s == '#')
			break;
		if (*s == ';' || *s == '&' || *s == '|') {
			c->sep = *s++;
			break;
		}
		char **target = NULL;
		if (s[0] == '2' && s[1] == '>' && s[2] == '&' && s[3] == '1') {
			c->err_to_out = 1;
			s += 4;
			continue;
		}
		if (*s == '<') {
			target = &c->in;
			s++;
		} else if (s[0] == '>' && s[1] == '>') {
			target = &c->out;
			c->append = 1;
			s += 2;
		} else if (*s == '>') {
			target = &c->out;
			c->append = 0;
			s++;
		} else if (s[0] == '2' && s[1] == '>') {
			target = &c->err;
			s += 2;
		}
		if (target) {
			while (*s == ' ' || *s == '\t')
				s++;
			if (!*s || strchr(";&|<>", *s)) {
				fprintf(stderr, "sh: a redirection without a file name\n");
				return -1;
			}
		} else if (c->argc == WORDS - 1) {
			fprintf(stderr, "sh: too many words\n");
			return -1;
		}
		char *w = *wb;
		if (read_word(&s, wb, end) < 0) {
			fprintf(stderr, "sh: unclosed quote\n");
			return -1;
		}
		if (target)
			*target = w;
		else
			c->argv[c->argc++] = w;
	}
	c->argv[c->argc] = NULL;
	*p = s;
	return 0;
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

/* Opens c's redirections over fds[3] (which start as the pipe ends or
 * the shell's own); opened ones are recorded in mine[] for closing. */
static int redirect(const struct cmd *c, int fds[3], int mine[3])
{
	if (c->in) {
		int fd = open(c->in, O_RDONLY);
		if (fd < 0) {
			fprintf(stderr, "sh: %s: %s\n", c->in, strerror(errno));
			return -1;
		}
		fds[0] = mine[0] = fd;
	}
	if (c->out) {
		int fd = open(c->out, O_WRONLY | O_CREAT | (c->append ? O_APPEND : O_TRUNC), 0666);
		if (fd < 0) {
			fprintf(stderr, "sh: %s: %s\n", c->out, strerror(errno));
			return -1;
		}
		fds[1] = mine[1] = fd;
	}
	if (c->err) {
		int fd = open(c->err, O_WRONLY | O_CREAT | O_TRUNC, 0666);
		if (fd < 0) {
			fprintf(stderr, "sh: %s: %s\n", c->err, strerror(errno));
			return -1;
		}
		fds[2] = mine[2] = fd;
	} else if (c->err_to_out) {
		fds[2] = fds[1];
	}
	return 0;
}

/* Runs n commands joined by pipes, each a process in one new process
 * group (the first's pid); waits for them unless in the background. */
static void run_pipeline(struct cmd *cmds, int n, int background)
{
	pid_t pids[WORDS], pgid = 0;
	int spawned = 0, in = 0; /* the read end the next command takes, or 0 */
	status = 0;
	for (int i = 0; i < n; i++) {
		int fds[3] = {in, 1, 2}, mine[3] = {-1, -1, -1}, pfd[2] = {-1, -1};
		if (i + 1 < n && pipe(pfd) < 0) {
			fprintf(stderr, "sh: pipe: %s\n", strerror(errno));
			status = 1;
			break;
		}
		if (pfd[1] >= 0)
			fds[1] = pfd[1];
		pid_t pid = -1;
		if (redirect(&cmds[i], fds, mine) == 0) {
			pid = spawnvfd(cmds[i].argv[0], cmds[i].argv, fds);
			if (pid < 0) {
				fprintf(stderr, "sh: %s: %s\n", cmds[i].argv[0],
				        errno == ENOENT ? "command not found" : strerror(errno));
				status = errno == ENOENT ? 127 : 126;
			}
		} else {
			status = 1;
		}
		for (int k = 0; k < 3; k++)
			if (mine[k] >= 0)
				close(mine[k]);
		if (in > 0)
			close(in);
		if (pfd[1] >= 0)
			close(pfd[1]);
		in = pfd[0] >= 0 ? pfd[0] : 0;
		if (pid > 0) {
			if (!pgid)
				pgid = pid;
			setpgid(pid, pgid); /* the terminal's ^C goes to the whole pipeline */
			pids[spawned++] = pid;
		}
	}
	if (in > 0)
		close(in);
	if (!spawned)
		return;
	if (background) {
		last_bg = pids[spawned - 1];
		remember(last_bg, cmds[0].argv);
		if (interactive)
			printf("[%d]\n", last_bg);
		return;
	}
	if (interactive)
		tcsetpgrp(0, pgid);
	for (int i = 0; i < spawned; i++) {
		int st = 0;
		pid_t got;
		while ((got = waitpid(pids[i], &st, 0)) < 0 && errno == EINTR)
			;
		if (got < 0)
			continue;
		if (i == spawned - 1)
			report(pids[i], st, 0,
			       ""); /* the pipeline's status is its last command's */
	}
	if (interactive)
		tcsetpgrp(0, getpgrp());
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

/* Runs argv if it is built in (1; *done when the shell should exit), or
 * says it is not (0). */
static int builtin(char **argv, int argc, int *done)
{
	*done = 0;
	if (argc == 0)
		return 1;
	if (!strcmp(argv[0], "cd")) {
		const char *dir = argv[1] ? argv[1] : getenv("HOME") ? getenv("HOME") : "/";
		status = chdir(dir) == 0 ? 0 : 1;
		if (status)
			fprintf(stderr, "cd: %s: %s\n", dir, strerror(errno));
		return 1;
	}
	if (!strcmp(argv[0], "pwd")) {
		char buf[FS_PATH_MAX + 1];
		status = getcwd(buf, sizeof buf) ? (printf("%s\n", buf), 0) : 1;
		return 1;
	}
	if (!strcmp(argv[0], "exit")) {
		if (argv[1])
			status = (int)strtol(argv[1], NULL, 0) & 0xff;
		*done = 1;
		return 1;
	}
	if (!strcmp(argv[0], "wait")) {
		status = builtin_wait(argv);
		return 1;
	}
	if (!strcmp(argv[0], "jobs")) {
		for (int i = 0; i < JOBS; i++)
			if (jobs[i].pid && !jobs[i].ended)
				printf("[%d] Running\t%s\n", jobs[i].pid, jobs[i].cmd);
		status = 0;
		return 1;
	}
	if (!strcmp(argv[0], "export") || is_assignment(argv[0])) {
		for (int i = !strcmp(argv[0], "export"); argv[i]; i++)
			if (is_assignment(argv[i]))
				assign(argv[i]);
		status = 0;
		return 1;
	}
	if (!strcmp(argv[0], "unset")) {
		for (int i = 1; argv[i]; i++)
			unsetenv(argv[i]);
		status = 0;
		return 1;
	}
	if (!strcmp(argv[0], "help")) {
		printf("built in: cd [DIR], pwd, exit [N], wait [PID...], jobs, export NAME=VALUE, "
		       "unset NAME\n"
		       "programs: echo true false sleep ps kill poweroff sh loop fault ...\n"
		       "cmd & runs in the background; ^C stops the foreground job\n");
		status = 0;
		return 1;
	}
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
			static struct cmd cmds[PIPELINE_MAX];
			int n = 0, bad = 0;
			do {
				if (n == PIPELINE_MAX || parse_command(&p, &cmds[n], &wb) < 0) {
					if (n == PIPELINE_MAX)
						fprintf(stderr, "sh: a pipeline of more than %d\n",
						        PIPELINE_MAX);
					bad = 1;
					break;
				}
				n++;
			} while (cmds[n - 1].sep == '|');
			if (bad) {
				status = 2;
				break;
			}
			struct cmd *last = &cmds[n - 1];
			if (n == 1 && !last->in && !last->out && !last->err &&
			    builtin(last->argv, last->argc, &done))
				continue;
			if (cmds[0].argc == 0 || last->argc == 0) {
				if (n > 1 || cmds[0].in || cmds[0].out) {
					fprintf(stderr, "sh: a command is missing\n");
					status = 2;
				}
				continue;
			}
			run_pipeline(cmds, n, last->sep == '&');
		}
		if (done || argc > 2)
			break;
	}
	return status;
}
