/* SPDX-License-Identifier: MIT */
/*
 * The small C library of Sprig: string routines and formatted output (also
 * linked into the nucleus), and for user programs the system-call wrappers
 * and printf. One header, so a program includes just this.
 */
#ifndef SPRIG_LIBC_H
#define SPRIG_LIBC_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

/* string.c */
void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strchr(const char *s, int c);
char *strrchr(const char *s, int c);
size_t strlcpy(char *dst, const char *src, size_t size);
long strtol(const char *s, char **end, int base);
unsigned long strtoul(const char *s, char **end, int base);
int atoi(const char *s);

/* format.c: printf-style formatting into any sink. Supports %d %i %u %x %X
 * %o %p %s %c %% with the flags '-' '0' ' ' '+', a width and precision
 * ('*' too), and the length modifiers h, l, ll, z. */
typedef void (*format_sink)(void *ctx, const char *s, size_t n);
int format(format_sink sink, void *ctx, const char *fmt, va_list ap);
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int snprintf(char *buf, size_t size, const char *fmt, ...)
        __attribute__((__format__(__printf__, 3, 4)));

#ifndef SPRIG_NUCLEUS
#include <sprig/errno.h>
#include <sprig/syscall.h>

/* syscall.S: the raw entry; returns eax. sprig_syscall uses sysenter when
 * the CPU has it (sprig_has_sysenter, set at start-up) and int $0x80
 * otherwise. */
extern int sprig_has_sysenter;
int sprig_syscall(int nr, uint32_t a0, uint32_t a1, uint32_t a2, uint32_t a3);
int sprig_syscall_int80(int nr, uint32_t a0, uint32_t a1, uint32_t a2, uint32_t a3);

/* sys.c: one wrapper per system call; negative results are -errno. */
int sys_null(void);
int console_write(const char *buf, size_t len);
int thread_create(void (*fn)(void *), void *arg, void *stack, size_t stack_size);
void thread_exit(void) __attribute__((noreturn));
int thread_self(void);
void domain_exit(int status) __attribute__((noreturn));
void exit(int status) __attribute__((noreturn));
int yield(void);
int sleep_ms(unsigned ms);
int sprig_time(struct sprig_time *t);
uint64_t rdtsc(void);
const char *strerror(int err);
int futex_wait(uint32_t *addr, uint32_t val, unsigned timeout_ms);
int futex_wake(uint32_t *addr, unsigned n);

/* signal.S and signal.c: the user side of signal upcalls (sprig/signal.h).
 * sprig_sigtramp is the eip to give DOM_SIGNAL, with the signal number as
 * arg: it calls the handler set for that number (none: it does nothing)
 * and returns to the interrupted code with SYS_SIGRETURN. */
#include <sprig/signal.h>
#define SIGTRAMP_MAX 32 /* signal numbers 0 .. SIGTRAMP_MAX - 1 */
void sprig_sigtramp(void);
int sigtramp_set_handler(int sig, void (*fn)(int));
int sigreturn(struct sprig_sigframe *frame);

/* stdio.c */
int printf(const char *fmt, ...) __attribute__((__format__(__printf__, 1, 2)));
int vprintf(const char *fmt, va_list ap);
int puts(const char *s);
#endif

#endif
