/* SPDX-License-Identifier: MIT */
/*
 * String and memory routines for the nucleus and user programs. memcpy is
 * the copy routine the nucleus uses for door data too, so a user-space memcpy
 * measures exactly the same instructions: `rep movsl` then the tail bytes.
 */
#include "lib/c/libc.h"

void *memcpy(void *dst, const void *src, size_t n)
{
	void *d = dst;
	size_t words = n >> 2;
	__asm__ volatile("rep movsl" : "+D"(d), "+S"(src), "+c"(words) : : "memory");
	n &= 3;
	__asm__ volatile("rep movsb" : "+D"(d), "+S"(src), "+c"(n) : : "memory");
	return dst;
}

void *memmove(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;
	if (d <= s || d >= s + n)
		return memcpy(dst, src, n);
	while (n--)
		d[n] = s[n];
	return dst;
}

void *memset(void *dst, int c, size_t n)
{
	void *d = dst;
	size_t words = n >> 2;
	uint32_t v = (unsigned char)c * 0x01010101u;
	__asm__ volatile("rep stosl" : "+D"(d), "+c"(words) : "a"(v) : "memory");
	n &= 3;
	__asm__ volatile("rep stosb" : "+D"(d), "+c"(n) : "a"(v) : "memory");
	return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *x = a, *y = b;
	for (size_t i = 0; i < n; i++)
		if (x[i] != y[i])
			return x[i] - y[i];
	return 0;
}

size_t strlen(const char *s)
{
	size_t n = 0;
	while (s[n])
		n++;
	return n;
}

size_t strnlen(const char *s, size_t max)
{
	size_t n = 0;
	while (n < max && s[n])
		n++;
	return n;
}

int strcmp(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return (unsigned char)*a - (unsigned char)*b;
}

int strncmp(const char *a, const char *b, size_t n)
{
	for (; n; n--, a++, b++) {
		if (*a != *b)
			return (unsigned char)*a - (unsigned char)*b;
		if (!*a)
			break;
	}
	return 0;
}

char *strchr(const char *s, int c)
{
	for (; *s; s++)
		if (*s == (char)c)
			return (char *)s;
	return c ? NULL : (char *)s;
}

char *strrchr(const char *s, int c)
{
	const char *last = NULL;
	do {
		if (*s == (char)c)
			last = s;
	} while (*s++);
	return (char *)last;
}

/* Copies at most size-1 bytes and always terminates; returns strlen(src). */
size_t strlcpy(char *dst, const char *src, size_t size)
{
	size_t len = strlen(src);
	if (size) {
		size_t n = len < size - 1 ? len : size - 1;
		memcpy(dst, src, n);
		dst[n] = '\0';
	}
	return len;
}

static int digit_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'Z')
		return c - 'A' + 10;
	return 99;
}

/* Reports a result out of range (user programs: errno; the nucleus has none). */
static void range_error(void)
{
#ifndef SPRIG_NUCLEUS
	errno = ERANGE;
#endif
}

/* Parses an integer as C's strto* do: leading white space, a sign, then
 * digits in base (2..36; 0 takes a 0x or 0 prefix as C does, and 16 allows
 * 0x). Returns the magnitude, saturated at limit (then *over is set); *neg
 * tells the sign. Without digits, *end is s itself and the result 0. */
static unsigned long long parse_integer(const char *s, char **end, int base,
                                        unsigned long long limit, int *neg, int *over)
{
	const char *p = s;
	unsigned long long v = 0;
	int any = 0;
	*neg = *over = 0;
	while (*p == ' ' || (*p >= '\t' && *p <= '\r'))
		p++;
	if (*p == '-' || *p == '+')
		*neg = *p++ == '-';
	if ((base == 0 || base == 16) && p[0] == '0' && (p[1] == 'x' || p[1] == 'X') &&
	    digit_value(p[2]) < 16) {
		p += 2;
		base = 16;
	} else if (base == 0) {
		base = p[0] == '0' ? 8 : 10;
	}
	if (base >= 2 && base <= 36) {
		for (int d; (d = digit_value(*p)) < base; p++, any = 1) {
			if (v > (limit - (unsigned)d) / (unsigned)base)
				*over = 1;
			else
				v = v * (unsigned)base + (unsigned)d;
		}
	}
	if (end)
		*end = (char *)(any ? p : s);
	return *over ? limit : v;
}

unsigned long long strtoull(const char *s, char **end, int base)
{
	int neg, over;
	unsigned long long v = parse_integer(s, end, base, ~0ull, &neg, &over);
	if (over)
		range_error();
	return neg && !over ? 0 - v : v;
}

/* As C says, "-1" gives ULONG_MAX: the magnitude is range-checked, then
 * negated in the unsigned type. */
unsigned long strtoul(const char *s, char **end, int base)
{
	int neg, over;
	unsigned long v =
	        (unsigned long)parse_integer(s, end, base, (unsigned long)-1, &neg, &over);
	if (over)
		range_error();
	return neg && !over ? 0 - v : v;
}

long long strtoll(const char *s, char **end, int base)
{
	int neg, over;
	unsigned long long max = (unsigned long long)__LONG_LONG_MAX__;
	unsigned long long v = parse_integer(s, end, base, max + 1, &neg, &over);
	if (over || (!neg && v > max)) {
		range_error();
		return neg ? -__LONG_LONG_MAX__ - 1 : __LONG_LONG_MAX__;
	}
	return neg ? (long long)(0 - v) : (long long)v;
}

long strtol(const char *s, char **end, int base)
{
	int neg, over;
	unsigned long long max = (unsigned long long)__LONG_MAX__;
	unsigned long long v = parse_integer(s, end, base, max + 1, &neg, &over);
	if (over || (!neg && v > max)) {
		range_error();
		return neg ? -__LONG_MAX__ - 1 : __LONG_MAX__;
	}
	return neg ? (long)(0 - (unsigned long)v) : (long)v;
}

int atoi(const char *s)
{
	return (int)strtol(s, NULL, 10);
}
