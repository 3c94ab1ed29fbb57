/* SPDX-License-Identifier: MIT */
/*
 * Buffered streams over file descriptors. A FILE holds one buffer, used for
 * reading or for writing at a time: switching from writing flushes it,
 * switching from reading drops what was read ahead (the descriptors may be
 * pipes or consoles, which cannot seek back). stdin is fully buffered,
 * stdout line-buffered, stderr unbuffered.
 *
 * One printf is one write whenever it fits the buffer: a line-buffered
 * stream flushes at the end of the call that wrote a newline, not at the
 * newline, and an unbuffered one formats into a buffer on the stack first,
 * so lines from different domains on one console do not interleave. Each
 * stream has a lock (lib/c/lock.h), so threads may share one.
 *
 * The descriptors are reached only through read, write and close (POSIX:
 * -1 and errno on failure), provided by lib/c/fd.c, or until it exists by
 * the fallbacks in lib/c/fdweak.c.
 *
 * Entry points: stdin, stdout, stderr; the stdio.h functions.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include "lib/c/libc.h"
#include "lib/c/lock.h"

ssize_t read(int fd, void *buf, size_t n);
ssize_t write(int fd, const void *buf, size_t n);
int close(int fd);

#define F_READ    1u  /* opened for reading */
#define F_WRITE   2u  /* opened for writing */
#define F_EOF     4u  /* the end-of-file indicator */
#define F_ERR     8u  /* the error indicator */
#define F_READING 16u /* the buffer holds read-ahead data */
#define F_OWNBUF  32u /* buf was malloc'ed here */
#define F_ALLOC   64u /* the FILE itself was malloc'ed (fdopen) */

struct sprig_file {
	int lock;
	int fd;
	unsigned flags;
	int mode;  /* _IOFBF, _IOLBF or _IONBF */
	char *buf; /* size bytes */
	size_t size;
	size_t pos;              /* reading: next byte; writing: bytes waiting */
	size_t len;              /* reading: bytes read ahead */
	int unget;               /* a byte pushed back by ungetc, or EOF */
	char one;                /* the buffer of an unbuffered stream's reads */
	struct sprig_file *next; /* every stream, for fflush(NULL) */
};

static char stdin_buf[BUFSIZ], stdout_buf[BUFSIZ];
static FILE std_streams[3] = {
        {0, 0, F_READ, _IOFBF, stdin_buf, BUFSIZ, 0, 0, EOF, 0, &std_streams[1]},
        {0, 1, F_WRITE, _IOLBF, stdout_buf, BUFSIZ, 0, 0, EOF, 0, &std_streams[2]},
        {0, 2, F_WRITE, _IONBF, &std_streams[2].one, 1, 0, 0, EOF, 0, NULL},
};
FILE *stdin = &std_streams[0];
FILE *stdout = &std_streams[1];
FILE *stderr = &std_streams[2];

/* The list of streams (std_streams first), under its own lock. */
static struct {
	int lock;
	FILE *head;
} streams = {0, std_streams};

/* Writes all of buf to fd; 0, or -1 when the descriptor fails. */
static int write_all(int fd, const char *buf, size_t n)
{
	while (n > 0) {
		ssize_t done = write(fd, buf, n);
		if (done < 0 && errno == EINTR)
			continue;
		if (done <= 0)
			return -1;
		buf += done;
		n -= (size_t)done;
	}
	return 0;
}

/* Writes out what waits in f's buffer. f locked. */
static int flush_locked(FILE *f)
{
	if (f->flags & F_READING || f->pos == 0)
		return 0;
	int err = write_all(f->fd, f->buf, f->pos);
	f->pos = 0;
	if (err) {
		f->flags |= F_ERR;
		return EOF;
	}
	return 0;
}

/* Makes f ready to write; EOF when it is not open for writing. */
static int to_writing(FILE *f)
{
	if (!(f->flags & F_WRITE)) {
		f->flags |= F_ERR;
		errno = EBADF;
		return EOF;
	}
	if (f->flags & F_READING) {
		f->flags &= ~F_READING;
		f->pos = f->len = 0;
		f->unget = EOF;
	}
	return 0;
}

/* Adds n bytes to f's buffer, writing it out whenever it fills; bytes an
 * unbuffered stream is given go straight out. Returns n, or fewer on an
 * error. The caller flushes a line-buffered stream (put_end). f locked. */
static size_t put_locked(FILE *f, const char *s, size_t n)
{
	if (to_writing(f) == EOF)
		return 0;
	if (f->mode == _IONBF) {
		if (write_all(f->fd, s, n) == 0)
			return n;
		f->flags |= F_ERR;
		return 0;
	}
	size_t done = 0;
	while (done < n) {
		if (f->pos == 0 && n - done >= f->size) /* too big to buffer */
			return write_all(f->fd, s + done, n - done) == 0
			               ? n
			               : (f->flags |= F_ERR, done);
		size_t room = f->size - f->pos, k = n - done < room ? n - done : room;
		memcpy(f->buf + f->pos, s + done, k);
		f->pos += k;
		done += k;
		if (f->pos == f->size && flush_locked(f) == EOF)
			return done - k;
	}
	return n;
}

/* Ends one call that wrote to f: a line-buffered stream is flushed when
 * the call wrote a newline. Returns EOF when that flush failed. */
static int put_end(FILE *f, int newline)
{
	return f->mode == _IOLBF && newline ? flush_locked(f) : 0;
}

/* Writes n bytes as one call: put, then the line-buffered flush. */
static size_t put(FILE *f, const char *s, size_t n)
{
	libc_lock(&f->lock);
	size_t done = put_locked(f, s, n);
	if (put_end(f, memchr(s, '\n', n) != NULL) == EOF)
		done = 0;
	libc_unlock(&f->lock);
	return done;
}

size_t fwrite(const void *buf, size_t size, size_t n, FILE *f)
{
	if (!size || !n)
		return 0;
	if (n > (size_t)-1 / size) {
		errno = EOVERFLOW;
		return 0;
	}
	return put(f, buf, size * n) / size;
}

int fputs(const char *s, FILE *f)
{
	size_t n = strlen(s);
	return put(f, s, n) == n ? 0 : EOF;
}

int fputc(int c, FILE *f)
{
	char ch = (char)c;
	return put(f, &ch, 1) == 1 ? (unsigned char)ch : EOF;
}

int putc(int c, FILE *f)
{
	return fputc(c, f);
}

int putchar(int c)
{
	return fputc(c, stdout);
}

/* s and a newline, in one call (so in one write on a line-buffered stream). */
int puts(const char *s)
{
	size_t n = strlen(s);
	libc_lock(&stdout->lock);
	int ok = put_locked(stdout, s, n) == n && put_locked(stdout, "\n", 1) == 1;
	ok = put_end(stdout, 1) == 0 && ok;
	libc_unlock(&stdout->lock);
	return ok ? 0 : EOF;
}

/* What vfprintf's sink writes to: the stream, or for an unbuffered stream a
 * buffer on the stack that goes out whenever it fills and at the end. */
struct fmt_out {
	FILE *f;
	int newline; /* a newline was written */
	int failed;
	size_t len;
	char tmp[256];
};

static void fmt_sink(void *ctx, const char *s, size_t n)
{
	struct fmt_out *o = ctx;
	if (memchr(s, '\n', n))
		o->newline = 1;
	if (o->f->mode != _IONBF) {
		o->failed |= put_locked(o->f, s, n) != n;
		return;
	}
	if (o->len + n > sizeof o->tmp) {
		o->failed |= put_locked(o->f, o->tmp, o->len) != o->len;
		o->len = 0;
	}
	if (n > sizeof o->tmp) {
		o->failed |= put_locked(o->f, s, n) != n;
		return;
	}
	memcpy(o->tmp + o->len, s, n);
	o->len += n;
}

int vfprintf(FILE *f, const char *fmt, va_list ap)
{
	struct fmt_out o = {.f = f};
	libc_lock(&f->lock);
	int n = format(fmt_sink, &o, fmt, ap);
	if (o.len)
		o.failed |= put_locked(f, o.tmp, o.len) != o.len;
	o.failed |= put_end(f, o.newline) == EOF;
	libc_unlock(&f->lock);
	return o.failed ? -1 : n;
}

int fprintf(FILE *f, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vfprintf(f, fmt, ap);
	va_end(ap);
	return n;
}

int vprintf(const char *fmt, va_list ap)
{
	return vfprintf(stdout, fmt, ap);
}

int printf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vfprintf(stdout, fmt, ap);
	va_end(ap);
	return n;
}

/* dprintf: formatted straight to a descriptor, through an unbuffered FILE
 * of the moment (so one write when the text fits its stack buffer). */
int vdprintf(int fd, const char *fmt, va_list ap)
{
	FILE f = {0, fd, F_WRITE, _IONBF, NULL, 0, 0, 0, EOF, 0, NULL};
	return vfprintf(&f, fmt, ap);
}

int dprintf(int fd, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vdprintf(fd, fmt, ap);
	va_end(ap);
	return n;
}

/* The caller promises the room: sprintf is vsnprintf without a bound. */
int vsprintf(char *buf, const char *fmt, va_list ap)
{
	return vsnprintf(buf, (size_t)__PTRDIFF_MAX__, fmt, ap);
}

int sprintf(char *buf, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsprintf(buf, fmt, ap);
	va_end(ap);
	return n;
}

/* Makes f ready to read; EOF when it is not open for reading. Pending
 * output is written first, stdout's too, so a prompt shows before input is
 * awaited. */
static int to_reading(FILE *f)
{
	if (!(f->flags & F_READ)) {
		f->flags |= F_ERR;
		errno = EBADF;
		return EOF;
	}
	if (!(f->flags & F_READING)) {
		if (flush_locked(f) == EOF)
			return EOF;
		f->flags |= F_READING;
		f->pos = f->len = 0;
	}
	return 0;
}

/* Reads more into f's buffer; EOF at the end of the input or on an error
 * (the indicators say which). f locked, reading, and its buffer used up. */
static int fill(FILE *f)
{
	if (f != stdout)
		fflush(stdout);
	ssize_t n;
	do
		n = read(f->fd, f->buf, f->mode == _IONBF ? 1 : f->size);
	while (n < 0 && errno == EINTR);
	f->pos = f->len = 0;
	if (n <= 0) {
		f->flags |= n == 0 ? F_EOF : F_ERR;
		return EOF;
	}
	f->len = (size_t)n;
	return 0;
}

/* The next byte of f, or EOF (at the end, which stays until clearerr, or on
 * an error). f locked. */
static int get_locked(FILE *f)
{
	if (to_reading(f) == EOF)
		return EOF;
	if (f->unget != EOF) {
		int c = f->unget;
		f->unget = EOF;
		return c;
	}
	if (f->flags & F_EOF)
		return EOF;
	if (f->pos == f->len && fill(f) == EOF)
		return EOF;
	return (unsigned char)f->buf[f->pos++];
}

int fgetc(FILE *f)
{
	libc_lock(&f->lock);
	int c = get_locked(f);
	libc_unlock(&f->lock);
	return c;
}

int getc(FILE *f)
{
	return fgetc(f);
}

int getchar(void)
{
	return fgetc(stdin);
}

/* Pushes c back (one byte is guaranteed; a second replaces the first) and
 * clears the end-of-file indicator. */
int ungetc(int c, FILE *f)
{
	if (c == EOF)
		return EOF;
	libc_lock(&f->lock);
	int ok = to_reading(f) != EOF;
	if (ok) {
		f->unget = (unsigned char)c;
		f->flags &= ~F_EOF;
	}
	libc_unlock(&f->lock);
	return ok ? (unsigned char)c : EOF;
}

/* A line of at most size-1 bytes, its newline kept, terminated; NULL when
 * nothing was read before the end or an error. */
char *fgets(char *buf, int size, FILE *f)
{
	int n = 0, c = 0;
	if (size <= 0)
		return NULL;
	libc_lock(&f->lock);
	while (n < size - 1 && c != '\n' && (c = get_locked(f)) != EOF)
		buf[n++] = (char)c;
	libc_unlock(&f->lock);
	if (n == 0 || (c == EOF && f->flags & F_ERR))
		return NULL;
	buf[n] = '\0';
	return buf;
}

/* Reads n elements of size bytes; returns how many were read whole. Large
 * reads past the buffered bytes go straight into buf. */
size_t fread(void *buf, size_t size, size_t n, FILE *f)
{
	char *p = buf;
	if (!size || !n)
		return 0;
	if (n > (size_t)-1 / size) {
		errno = EOVERFLOW;
		return 0;
	}
	size_t want = size * n, got = 0;
	libc_lock(&f->lock);
	while (got < want) {
		if (f->unget != EOF || f->pos < f->len || want - got < f->size) {
			int c = get_locked(f);
			if (c == EOF)
				break;
			p[got++] = (char)c;
			size_t k = f->len - f->pos < want - got ? f->len - f->pos : want - got;
			memcpy(p + got, f->buf + f->pos, k);
			f->pos += k;
			got += k;
			continue;
		}
		if (to_reading(f) == EOF || f->flags & F_EOF)
			break;
		if (f != stdout)
			fflush(stdout);
		ssize_t r = read(f->fd, p + got, want - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			f->flags |= r == 0 ? F_EOF : F_ERR;
			break;
		}
		got += (size_t)r;
	}
	libc_unlock(&f->lock);
	return got / size;
}

/* Writes out f's pending output (every stream's when f is NULL). */
int fflush(FILE *f)
{
	if (!f) {
		int err = 0;
		libc_lock(&streams.lock);
		for (FILE *s = streams.head; s; s = s->next)
			err |= fflush(s);
		libc_unlock(&streams.lock);
		return err ? EOF : 0;
	}
	libc_lock(&f->lock);
	int err = flush_locked(f);
	libc_unlock(&f->lock);
	return err;
}

/* Gives f a new buffer (buf, or one of size bytes malloc'ed here when buf
 * is NULL) and mode; pending output is written first. EOF on a bad mode or
 * when the buffer cannot be had. */
int setvbuf(FILE *f, char *buf, int mode, size_t size)
{
	if (mode != _IOFBF && mode != _IOLBF && mode != _IONBF) {
		errno = EINVAL;
		return EOF;
	}
	char *own = NULL;
	if (mode != _IONBF && !buf) {
		size = size ? size : BUFSIZ;
		if (!(buf = own = malloc(size)))
			return EOF;
	}
	libc_lock(&f->lock);
	flush_locked(f);
	if (f->flags & F_OWNBUF)
		free(f->buf);
	f->flags &= ~(F_OWNBUF | F_READING);
	f->flags |= own ? F_OWNBUF : 0;
	f->pos = f->len = 0;
	f->unget = EOF;
	f->mode = mode;
	f->buf = mode == _IONBF ? &f->one : buf;
	f->size = mode == _IONBF ? 1 : size;
	libc_unlock(&f->lock);
	return 0;
}

void setbuf(FILE *f, char *buf)
{
	setvbuf(f, buf, buf ? _IOFBF : _IONBF, BUFSIZ);
}

int feof(FILE *f)
{
	return (f->flags & F_EOF) != 0;
}

int ferror(FILE *f)
{
	return (f->flags & F_ERR) != 0;
}

void clearerr(FILE *f)
{
	libc_lock(&f->lock);
	f->flags &= ~(F_EOF | F_ERR);
	libc_unlock(&f->lock);
}

int fileno(FILE *f)
{
	return f->fd;
}

/* The open flags a mode string ("r", "w+", "ab", ...) gives, or 0 when it
 * is not one. */
static unsigned mode_flags(const char *mode)
{
	unsigned fl = *mode == 'r' ? F_READ : *mode == 'w' || *mode == 'a' ? F_WRITE : 0;
	for (mode++; fl && *mode; mode++)
		if (*mode == '+')
			fl = F_READ | F_WRITE;
		else if (*mode != 'b')
			return 0;
	return fl;
}

/* A fully buffered stream over the open descriptor fd. NULL with errno
 * EINVAL for a bad mode, ENOMEM when memory runs out. */
FILE *fdopen(int fd, const char *mode)
{
	unsigned fl = mode_flags(mode);
	if (!fl || fd < 0) {
		errno = fd < 0 ? EBADF : EINVAL;
		return NULL;
	}
	FILE *f = malloc(sizeof *f + BUFSIZ);
	if (!f)
		return NULL;
	*f = (FILE){0, fd, fl | F_ALLOC, _IOFBF, (char *)(f + 1), BUFSIZ, 0, 0, EOF, 0, NULL};
	libc_lock(&streams.lock);
	f->next = streams.head;
	streams.head = f;
	libc_unlock(&streams.lock);
	return f;
}

/* Flushes f, closes its descriptor and frees it (a standard stream is
 * closed but stays in place). EOF when the flush or the close failed. */
int fclose(FILE *f)
{
	int err = fflush(f);
	if (close(f->fd) < 0)
		err = EOF;
	libc_lock(&streams.lock);
	for (FILE **p = &streams.head; *p; p = &(*p)->next)
		if (*p == f && f->flags & F_ALLOC) {
			*p = f->next;
			break;
		}
	libc_unlock(&streams.lock);
	if (f->flags & F_OWNBUF)
		free(f->buf);
	if (f->flags & F_ALLOC)
		free(f);
	else
		f->flags &= ~(F_READ | F_WRITE | F_OWNBUF);
	return err;
}

/* "s: message" for errno on stderr, in one write. */
void perror(const char *s)
{
	const char *msg = strerror(errno);
	if (s && *s)
		fprintf(stderr, "%s: %s\n", s, msg);
	else
		fprintf(stderr, "%s\n", msg);
}
