/* SPDX-License-Identifier: MIT */
/*
 * printf-style formatting into a sink, shared by the nucleus log and user
 * printf. Entry points: format(), vsnprintf(), snprintf().
 */
#include "lib/c/libc.h"

struct spec {
	int left, zero, plus, space, alt;
	int width, prec; /* -1: not given */
	int size;        /* 0 int, 1 long, 2 long long, -1 short */
};

static void emit_pad(format_sink sink, void *ctx, char c, int n)
{
	char buf[16];
	memset(buf, c, sizeof buf);
	for (; n > 0; n -= 16)
		sink(ctx, buf, n < 16 ? (size_t)n : 16);
}

/* Emits s[0..n) padded to the width; returns the characters written. */
static int emit_field(format_sink sink, void *ctx, const struct spec *sp, const char *prefix,
                      const char *s, int n)
{
	int plen = (int)strlen(prefix);
	int zeros = sp->prec > n ? sp->prec - n : 0;
	int pad = sp->width - plen - zeros - n;
	if (sp->zero && !sp->left && sp->prec < 0 && pad > 0) {
		zeros += pad;
		pad = 0;
	}
	if (!sp->left)
		emit_pad(sink, ctx, ' ', pad);
	sink(ctx, prefix, (size_t)plen);
	emit_pad(sink, ctx, '0', zeros);
	sink(ctx, s, (size_t)n);
	if (sp->left)
		emit_pad(sink, ctx, ' ', pad);
	return plen + zeros + n + (pad > 0 ? pad : 0);
}

static int emit_number(format_sink sink, void *ctx, struct spec *sp, unsigned long long v, int neg,
                       unsigned base, int upper)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char buf[24];
	int i = sizeof buf;
	while (v) {
		buf[--i] = digits[v % base];
		v /= base;
	}
	if (i == (int)sizeof buf && sp->prec != 0)
		buf[--i] = '0';
	const char *prefix = neg ? "-" : sp->plus ? "+" : sp->space ? " " : "";
	if (sp->alt && base == 16)
		prefix = upper ? "0X" : "0x";
	return emit_field(sink, ctx, sp, prefix, buf + i, (int)sizeof buf - i);
}

/* Parses flags, width, precision and size at *fmt; advances past them. */
static void parse_spec(const char **fmt, va_list *ap, struct spec *sp)
{
	const char *f = *fmt;
	memset(sp, 0, sizeof *sp);
	sp->prec = -1;
	for (;; f++) {
		if (*f == '-')
			sp->left = 1;
		else if (*f == '0')
			sp->zero = 1;
		else if (*f == '+')
			sp->plus = 1;
		else if (*f == ' ')
			sp->space = 1;
		else if (*f == '#')
			sp->alt = 1;
		else
			break;
	}
	if (*f == '*') {
		sp->width = va_arg(*ap, int);
		if (sp->width < 0) {
			sp->left = 1;
			sp->width = -sp->width;
		}
		f++;
	}
	while (*f >= '0' && *f <= '9')
		sp->width = sp->width * 10 + (*f++ - '0');
	if (*f == '.') {
		f++;
		sp->prec = 0;
		if (*f == '*') {
			sp->prec = va_arg(*ap, int);
			f++;
		}
		while (*f >= '0' && *f <= '9')
			sp->prec = sp->prec * 10 + (*f++ - '0');
	}
	for (; *f == 'l' || *f == 'h' || *f == 'z'; f++)
		sp->size += *f == 'l' ? 1 : *f == 'h' ? -1 : 0;
	*fmt = f;
}

/* Reads the argument, narrowed as h (short) or hh (char) say. */
static unsigned long long arg_unsigned(va_list *ap, int size)
{
	if (size >= 2)
		return va_arg(*ap, unsigned long long);
	if (size == 1)
		return va_arg(*ap, unsigned long);
	unsigned int v = va_arg(*ap, unsigned int);
	return size == -1 ? (unsigned short)v : size <= -2 ? (unsigned char)v : v;
}

static long long arg_signed(va_list *ap, int size)
{
	if (size >= 2)
		return va_arg(*ap, long long);
	if (size == 1)
		return va_arg(*ap, long);
	int v = va_arg(*ap, int);
	return size == -1 ? (short)v : size <= -2 ? (signed char)v : v;
}

/* Formats one conversion (the character at *f); returns characters written. */
static int convert(format_sink sink, void *ctx, struct spec *sp, char c, va_list *ap)
{
	switch (c) {
	case 'd':
	case 'i': {
		long long v = arg_signed(ap, sp->size);
		unsigned long long u = v < 0 ? 0ull - (unsigned long long)v : (unsigned long long)v;
		return emit_number(sink, ctx, sp, u, v < 0, 10, 0);
	}
	case 'u': return emit_number(sink, ctx, sp, arg_unsigned(ap, sp->size), 0, 10, 0);
	case 'x':
	case 'X': return emit_number(sink, ctx, sp, arg_unsigned(ap, sp->size), 0, 16, c == 'X');
	case 'o': return emit_number(sink, ctx, sp, arg_unsigned(ap, sp->size), 0, 8, 0);
	case 'p':
		sp->alt = 1;
		return emit_number(sink, ctx, sp, (uintptr_t)va_arg(*ap, void *), 0, 16, 0);
	case 'c': {
		char ch = (char)va_arg(*ap, int);
		return emit_field(sink, ctx, sp, "", &ch, 1);
	}
	case 's': {
		const char *s = va_arg(*ap, const char *);
		if (!s)
			s = "(null)";
		int n = (int)(sp->prec >= 0 ? strnlen(s, (size_t)sp->prec) : strlen(s));
		sp->prec = -1;
		return emit_field(sink, ctx, sp, "", s, n);
	}
	default:
		sink(ctx, "%", 1);
		sink(ctx, &c, c ? 1 : 0);
		return c ? 2 : 1;
	}
}

int format(format_sink sink, void *ctx, const char *fmt, va_list ap)
{
	va_list args;
	int total = 0;
	va_copy(args, ap);
	while (*fmt) {
		const char *run = fmt;
		while (*fmt && *fmt != '%')
			fmt++;
		sink(ctx, run, (size_t)(fmt - run));
		total += (int)(fmt - run);
		if (!*fmt)
			break;
		if (*++fmt == '%') {
			sink(ctx, fmt++, 1);
			total++;
			continue;
		}
		struct spec sp;
		parse_spec(&fmt, &args, &sp);
		total += convert(sink, ctx, &sp, *fmt, &args);
		if (*fmt)
			fmt++;
	}
	va_end(args);
	return total;
}

struct strbuf {
	char *buf;
	size_t size, len;
};

static void strbuf_sink(void *ctx, const char *s, size_t n)
{
	struct strbuf *b = ctx;
	for (size_t i = 0; i < n; i++, b->len++)
		if (b->len + 1 < b->size)
			b->buf[b->len] = s[i];
}

/* Like C's vsnprintf: always terminates when size > 0; returns the length
 * the whole output would have had. */
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct strbuf b = {buf, size, 0};
	int n = format(strbuf_sink, &b, fmt, ap);
	if (size)
		buf[b.len < size ? b.len : size - 1] = '\0';
	return n;
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
