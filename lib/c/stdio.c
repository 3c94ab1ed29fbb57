/* SPDX-License-Identifier: MIT */
/*
 * Formatted output to the console for user programs. printf builds the
 * whole line in a buffer and writes it with one system call, so lines from
 * different domains do not interleave mid-line.
 *
 * Entry points: printf, vprintf, puts.
 */
#include "lib/c/libc.h"

struct outbuf {
	char buf[512];
	size_t len;
};

static void out_flush(struct outbuf *o)
{
	size_t done = 0;
	while (done < o->len) {
		int n = console_write(o->buf + done, o->len - done);
		if (n <= 0)
			break;
		done += (size_t)n;
	}
	o->len = 0;
}

static void out_sink(void *ctx, const char *s, size_t n)
{
	struct outbuf *o = ctx;
	for (size_t i = 0; i < n; i++) {
		if (o->len == sizeof o->buf)
			out_flush(o);
		o->buf[o->len++] = s[i];
	}
}

int vprintf(const char *fmt, va_list ap)
{
	struct outbuf o;
	o.len = 0;
	int n = format(out_sink, &o, fmt, ap);
	out_flush(&o);
	return n;
}

int printf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vprintf(fmt, ap);
	va_end(ap);
	return n;
}

int puts(const char *s)
{
	return printf("%s\n", s);
}
