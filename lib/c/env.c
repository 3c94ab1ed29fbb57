/* SPDX-License-Identifier: MIT */
/*
 * The environment: environ (set by the start-up), getenv, setenv,
 * unsetenv.
 *
 * Entry points: environ, getenv, setenv, unsetenv.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "lib/c/libc.h"

/* The environment: crt_main points environ at the words it was given;
 * setenv and unsetenv first copy the array to one of their own (own_env,
 * own_cap entries), so a program may also set environ itself. Strings that
 * setenv replaces are not freed: someone may still hold them. */
static char *no_env[1];
char **environ = no_env;
static char **own_env;
static size_t own_cap;

/* The entry for name in environ, or NULL. */
static char **env_find(const char *name, size_t len)
{
	for (char **e = environ; e && *e; e++)
		if (strncmp(*e, name, len) == 0 && (*e)[len] == '=')
			return e;
	return NULL;
}

static int env_name_ok(const char *name)
{
	if (!name || !*name || strchr(name, '=')) {
		errno = EINVAL;
		return 0;
	}
	return 1;
}

char *getenv(const char *name)
{
	size_t len = strlen(name);
	char **e = env_find(name, len);
	return e ? *e + len + 1 : NULL;
}

/* Makes environ our own array with room for one more entry; -1 (ENOMEM)
 * when memory runs out. */
static int env_make_room(void)
{
	size_t n = 0;
	while (environ && environ[n])
		n++;
	if (environ == own_env && n + 1 < own_cap)
		return 0;
	size_t cap = n + 8;
	char **e = malloc(cap * sizeof *e);
	if (!e)
		return -1;
	memcpy(e, environ ? environ : no_env, n * sizeof *e);
	e[n] = NULL;
	if (environ == own_env)
		free(own_env);
	environ = own_env = e;
	own_cap = cap;
	return 0;
}

int setenv(const char *name, const char *value, int overwrite)
{
	if (!env_name_ok(name))
		return -1;
	size_t len = strlen(name), vlen = strlen(value);
	char **e = env_find(name, len);
	if (e && !overwrite)
		return 0;
	char *entry = malloc(len + vlen + 2);
	if (!entry || env_make_room() < 0) {
		free(entry);
		return -1;
	}
	memcpy(entry, name, len);
	entry[len] = '=';
	memcpy(entry + len + 1, value, vlen + 1);
	e = env_find(name, len); /* the array may have moved */
	if (!e) {
		for (e = environ; *e; e++)
			;
		e[1] = NULL;
	}
	*e = entry;
	return 0;
}

int unsetenv(const char *name)
{
	if (!env_name_ok(name))
		return -1;
	size_t len = strlen(name);
	for (char **e; (e = env_find(name, len)) != NULL;)
		do
			e[0] = e[1];
		while (*e++);
	return 0;
}
