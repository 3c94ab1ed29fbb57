/* SPDX-License-Identifier: MIT */
/*
 * How the start-up reads a program's argument string (the boot module's
 * command line, or what its starter gave it): words separated by spaces.
 * Leading words of the form NAME=value (NAME a C identifier) are the
 * environment, as with env(1); the first other word is argv[0], the program
 * path, which is cut to its last component. Later NAME=value words are
 * ordinary arguments (boot modules take frames=N there).
 *
 * Entry points: sprig_split_args, sprig_progname.
 */
#include <ctype.h>
#include <string.h>

#include "lib/c/libc.h"

const char *sprig_progname = "";

/* Whether word starts NAME= with NAME a C identifier. */
static int is_assignment(const char *word)
{
	if (!isalpha((unsigned char)*word) && *word != '_')
		return 0;
	while (isalnum((unsigned char)*word) || *word == '_')
		word++;
	return *word == '=';
}

/* Splits args in place; fills argv (at most max_args words) and envp (at
 * most max_env), each NULL-terminated; returns argc. Words past the limits
 * are dropped. args may be NULL. */
int sprig_split_args(char *args, char **argv, int max_args, char **envp, int max_env)
{
	int argc = 0, envc = 0;
	while (args && *args) {
		while (*args == ' ')
			*args++ = '\0';
		if (!*args)
			break;
		char *word = args;
		while (*args && *args != ' ')
			args++;
		if (argc == 0 && is_assignment(word)) {
			if (envc < max_env)
				envp[envc++] = word;
		} else if (argc < max_args) {
			argv[argc++] = word;
		}
	}
	argv[argc] = NULL;
	envp[envc] = NULL;
	if (argc > 0 && strrchr(argv[0], '/'))
		argv[0] = strrchr(argv[0], '/') + 1;
	sprig_progname = argc > 0 ? argv[0] : "";
	return argc;
}
