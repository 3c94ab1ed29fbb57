/* SPDX-License-Identifier: MIT */
/*
 * Buffered standard input and output over file descriptors (lib/c/stdio.c).
 * stdin (fd 0) is fully buffered, stdout (fd 1) line-buffered, stderr
 * (fd 2) unbuffered; exit() flushes every stream. FILE is opaque.
 */
#ifndef _STDIO_H
#define _STDIO_H

#include <stdarg.h>
#include <stddef.h>

#define EOF      (-1)
#define BUFSIZ   1024
#define _IOFBF   0 /* fully buffered */
#define _IOLBF   1 /* line-buffered */
#define _IONBF   2 /* unbuffered */
#define SEEK_SET 0
#define SEEK_CUR 1
#define SEEK_END 2

typedef struct sprig_file FILE;

extern FILE *stdin;
extern FILE *stdout;
extern FILE *stderr;
#ifndef stdin /* C says they are macros (the host unit tests rename them) */
#define stdin  stdin
#define stdout stdout
#define stderr stderr
#endif

#define __printflike(f, a) __attribute__((__format__(__printf__, f, a)))

int printf(const char *fmt, ...) __printflike(1, 2);
int fprintf(FILE *f, const char *fmt, ...) __printflike(2, 3);
int dprintf(int fd, const char *fmt, ...) __printflike(2, 3);
int sprintf(char *buf, const char *fmt, ...) __printflike(2, 3);
int snprintf(char *buf, size_t size, const char *fmt, ...) __printflike(3, 4);
int vprintf(const char *fmt, va_list ap);
int vfprintf(FILE *f, const char *fmt, va_list ap);
int vdprintf(int fd, const char *fmt, va_list ap);
int vsprintf(char *buf, const char *fmt, va_list ap);
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);

int fputc(int c, FILE *f);
int putc(int c, FILE *f);
int putchar(int c);
int fputs(const char *s, FILE *f);
int puts(const char *s);
size_t fwrite(const void *buf, size_t size, size_t n, FILE *f);

int fgetc(FILE *f);
int getc(FILE *f);
int getchar(void);
int ungetc(int c, FILE *f);
char *fgets(char *buf, int size, FILE *f);
size_t fread(void *buf, size_t size, size_t n, FILE *f);

int fflush(FILE *f);
int setvbuf(FILE *f, char *buf, int mode, size_t size);
void setbuf(FILE *f, char *buf);
int feof(FILE *f);
int ferror(FILE *f);
void clearerr(FILE *f);
int fileno(FILE *f);
FILE *fdopen(int fd, const char *mode);
FILE *fopen(const char *path, const char *mode); /* lib/c/file.c */
int remove(const char *path);
int rename(const char *from, const char *to);
int fclose(FILE *f);
void perror(const char *s);

#endif
