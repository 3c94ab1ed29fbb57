/* SPDX-License-Identifier: MIT */
/*
 * The C library of Sprig, as one header. Its first part (string routines
 * and formatted output) is shared with the nucleus, which is built
 * freestanding and sees only that part. User programs get, besides, the
 * standard headers of lib/c/include (stdio.h, stdlib.h, string.h, ...; a
 * program may include those instead) and Sprig's own calls: the system-call
 * wrappers and the start-up. docs/libc.md describes the library.
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
long long strtoll(const char *s, char **end, int base);
unsigned long long strtoull(const char *s, char **end, int base);
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
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/types.h>
#include <sprig/syscall.h>

/* syscall.S: the raw entry; returns eax. sprig_syscall uses sysenter when
 * the CPU has it (sprig_has_sysenter, set at start-up) and int $0x80
 * otherwise. */
extern int sprig_has_sysenter;
/* Door ids below this may take the fast entry (lib/doors/doors.h: door_call):
 * 1 << 24 (every id the fast entry can name) when the CPU has sysenter, 0
 * when it has not, so that one compare checks both. */
extern uint32_t sprig_door_fast_ids;
int sprig_syscall(int nr, uint32_t a0, uint32_t a1, uint32_t a2, uint32_t a3);
int sprig_syscall_int80(int nr, uint32_t a0, uint32_t a1, uint32_t a2, uint32_t a3);

/* sys.c: one wrapper per system call; negative results are -errno. */
int sys_null(void);
int console_write(const char *buf, size_t len);
int thread_create(void (*fn)(void *), void *arg, void *stack, size_t stack_size);
void thread_exit(void) __attribute__((noreturn));
int thread_self(void);
void domain_exit(int status) __attribute__((noreturn));
int yield(void);
int sleep_ms(unsigned ms);
int sprig_time(struct sprig_time *t);
uint64_t rdtsc(void);
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
void *vm_alloc(uint32_t len); /* len bytes, page-aligned, demand zero; NULL if refused */
int vm_free(void *addr);      /* an address vm_alloc gave */

/* malloc.c: for tests. malloc_check returns 0 when the heap is
 * consistent, -1 when an invariant is broken. */
struct malloc_stats {
	size_t arenas, arena_bytes; /* regions holding small blocks */
	size_t free_bytes;          /* free in them (headers included) */
	size_t large, large_bytes;  /* blocks with a region of their own */
};
int malloc_check(void);
void malloc_stats(struct malloc_stats *st);

/* exit.c, env.c: _exit ends the domain at once (no atexit, no flush); POSIX
 * declares it in unistd.h. environ is the environment (NULL-terminated
 * "NAME=value" strings); setenv copies into a fresh array. */
void _exit(int status) __attribute__((noreturn));
extern char **environ;

/* args.c: the start-up's parsing of the argument string (crt_main). */
extern const char *sprig_progname; /* argv[0] without its directory, for messages */
int sprig_split_args(char *args, char **argv, int max_args, char **envp, int max_env);
#endif

#endif
