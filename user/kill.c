/* SPDX-License-Identifier: MIT */
/* kill [-SIGNAL] PID...: sends SIGNAL (a number or a name such as TERM,
 * INT, KILL; TERM by default) to each process; a negative PID names a
 * process group. kill -l lists the names. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const struct {
	const char *name;
	int sig;
} names[] = {{"HUP", SIGHUP},   {"INT", SIGINT},   {"QUIT", SIGQUIT}, {"ILL", SIGILL},
             {"TRAP", SIGTRAP}, {"ABRT", SIGABRT}, {"BUS", SIGBUS},   {"FPE", SIGFPE},
             {"KILL", SIGKILL}, {"USR1", SIGUSR1}, {"SEGV", SIGSEGV}, {"USR2", SIGUSR2},
             {"PIPE", SIGPIPE}, {"ALRM", SIGALRM}, {"TERM", SIGTERM}, {"CHLD", SIGCHLD}};

static int parse_signal(const char *s)
{
	if (*s >= '0' && *s <= '9') {
		char *end;
		long n = strtol(s, &end, 10);
		return *end || n >= NSIG ? -1 : (int)n;
	}
	if (!strncasecmp(s, "SIG", 3))
		s += 3;
	for (size_t i = 0; i < sizeof names / sizeof *names; i++)
		if (!strcasecmp(s, names[i].name))
			return names[i].sig;
	return -1;
}

int main(int argc, char **argv)
{
	int sig = SIGTERM, i = 1, bad = 0;
	if (argc > 1 && !strcmp(argv[1], "-l")) {
		for (size_t n = 0; n < sizeof names / sizeof *names; n++)
			printf("%2d %s\n", names[n].sig, names[n].name);
		return 0;
	}
	if (argc > 1 && argv[1][0] == '-' && argv[1][1] &&
	    !(argv[1][1] >= '0' && argv[1][1] <= '9' && argc == 2)) {
		sig = parse_signal(argv[1] + 1);
		if (sig < 0) {
			fprintf(stderr, "kill: %s: invalid signal specification\n", argv[1] + 1);
			return 1;
		}
		i++;
	}
	if (i >= argc) {
		fprintf(stderr, "usage: kill [-SIGNAL] PID...\n");
		return 2;
	}
	for (; i < argc; i++) {
		char *end;
		long pid = strtol(argv[i], &end, 0);
		if (*end || !*argv[i]) {
			fprintf(stderr, "kill: %s: arguments must be process ids\n", argv[i]);
			bad = 1;
			continue;
		}
		if (kill((pid_t)pid, sig) < 0) {
			fprintf(stderr, "kill: (%ld) - %s\n", pid,
			        errno == ESRCH ? "No such process" : strerror(errno));
			bad = 1;
		}
	}
	return bad;
}
