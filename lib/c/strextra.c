/* SPDX-License-Identifier: MIT */
/*
 * The string routines only user programs have: copying and joining, search,
 * tokens, case-insensitive comparison, and the ones that allocate (strdup).
 * The nucleus's share is string.c.
 *
 * Entry points: memchr, strcpy, strncpy, strcat, strncat, strlcat, strdup,
 * strndup, strstr, strspn, strcspn, strpbrk, strtok, strtok_r, strcasecmp,
 * strncasecmp, strcoll.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

void *memchr(const void *s, int c, size_t n)
{
	const unsigned char *p = s;
	for (; n; n--, p++)
		if (*p == (unsigned char)c)
			return (void *)p;
	return NULL;
}

char *strcpy(char *dst, const char *src)
{
	char *d = dst;
	while ((*d++ = *src++) != '\0')
		;
	return dst;
}

/* Copies at most n bytes and pads with NULs to n; no terminator when src
 * has n bytes or more (C's rule; strlcpy is the safer one). */
char *strncpy(char *dst, const char *src, size_t n)
{
	size_t len = strnlen(src, n);
	memcpy(dst, src, len);
	memset(dst + len, 0, n - len);
	return dst;
}

char *strcat(char *dst, const char *src)
{
	strcpy(dst + strlen(dst), src);
	return dst;
}

/* Appends at most n bytes of src, then always a terminator. */
char *strncat(char *dst, const char *src, size_t n)
{
	char *d = dst + strlen(dst);
	size_t len = strnlen(src, n);
	memcpy(d, src, len);
	d[len] = '\0';
	return dst;
}

/* Appends to the string in dst[0..size), always terminating; returns the
 * length the result would have had. */
size_t strlcat(char *dst, const char *src, size_t size)
{
	size_t used = strnlen(dst, size);
	if (used == size)
		return size + strlen(src);
	return used + strlcpy(dst + used, src, size - used);
}

char *strdup(const char *s)
{
	return strndup(s, (size_t)-1);
}

/* A malloc'ed copy of at most n bytes of s, terminated; NULL (errno ENOMEM)
 * when memory runs out. */
char *strndup(const char *s, size_t n)
{
	size_t len = strnlen(s, n);
	char *d = malloc(len + 1);
	if (d) {
		memcpy(d, s, len);
		d[len] = '\0';
	}
	return d;
}

char *strstr(const char *haystack, const char *needle)
{
	size_t n = strlen(needle);
	if (!n)
		return (char *)haystack;
	for (; *haystack; haystack++)
		if (*haystack == *needle && strncmp(haystack, needle, n) == 0)
			return (char *)haystack;
	return NULL;
}

size_t strspn(const char *s, const char *accept)
{
	size_t n = 0;
	while (s[n] && strchr(accept, s[n]))
		n++;
	return n;
}

size_t strcspn(const char *s, const char *reject)
{
	size_t n = 0;
	while (s[n] && !strchr(reject, s[n]))
		n++;
	return n;
}

char *strpbrk(const char *s, const char *accept)
{
	s += strcspn(s, accept);
	return *s ? (char *)s : NULL;
}

/* Splits s at any of delim's bytes, in place; *save keeps the position for
 * the next call (with s NULL). Returns NULL when no token is left. */
char *strtok_r(char *s, const char *delim, char **save)
{
	if (!s)
		s = *save;
	if (!s)
		return NULL;
	s += strspn(s, delim);
	if (!*s) {
		*save = NULL;
		return NULL;
	}
	char *tok = s;
	s += strcspn(s, delim);
	if (*s)
		*s++ = '\0';
	*save = s;
	return tok;
}

/* strtok_r with one hidden position: not reentrant, by C's definition. */
char *strtok(char *s, const char *delim)
{
	static char *save;
	return strtok_r(s, delim, &save);
}

int strcasecmp(const char *a, const char *b)
{
	return strncasecmp(a, b, (size_t)-1);
}

int strncasecmp(const char *a, const char *b, size_t n)
{
	for (; n; n--, a++, b++) {
		int x = tolower((unsigned char)*a), y = tolower((unsigned char)*b);
		if (x != y || !x)
			return x - y;
	}
	return 0;
}

/* Only the "C" locale: byte order. */
int strcoll(const char *a, const char *b)
{
	return strcmp(a, b);
}
