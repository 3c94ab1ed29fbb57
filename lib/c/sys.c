/* SPDX-License-Identifier: MIT */
/*
 * System-call wrappers and the C start-up (crt_main).
 *
 * Entry points: one per system call (lib/c/libc.h), crt_main.
 */
#include "lib/c/libc.h"
#include <sprig/door.h>

#define MAX_ARGS 16
#define MAX_ENV  16

int main(int argc, char **argv, char **envp);
void thread_start(void);

int sys_null(void)
{
	return sprig_syscall(SYS_NULL, 0, 0, 0, 0);
}

int console_write(const char *buf, size_t len)
{
	return sprig_syscall(SYS_CONSOLE_WRITE, (uint32_t)buf, len, 0, 0);
}

/* Starts fn(arg) on a new thread whose stack is [stack, stack + size). */
int thread_create(void (*fn)(void *), void *arg, void *stack, size_t stack_size)
{
	uint32_t *sp = (uint32_t *)(((uintptr_t)stack + stack_size) & ~(uintptr_t)15);
	sp -= 3; /* padding: 16-byte alignment at the call of fn */
	*--sp = (uint32_t)arg;
	*--sp = (uint32_t)fn; /* popped by thread_start */
	return sprig_syscall(SYS_THREAD_CREATE, (uint32_t)thread_start, (uint32_t)sp, 0, 0);
}

void thread_exit(void)
{
	sprig_syscall(SYS_THREAD_EXIT, 0, 0, 0, 0);
	__builtin_unreachable();
}

int thread_self(void)
{
	return sprig_syscall(SYS_THREAD_SELF, 0, 0, 0, 0);
}

void domain_exit(int status)
{
	sprig_syscall(SYS_DOMAIN_EXIT, (uint32_t)status, 0, 0, 0);
	__builtin_unreachable();
}

int yield(void)
{
	return sprig_syscall(SYS_YIELD, 0, 0, 0, 0);
}

int sleep_ms(unsigned ms)
{
	return sprig_syscall(SYS_SLEEP, ms, 0, 0, 0);
}

int sprig_time(struct sprig_time *t)
{
	return sprig_syscall(SYS_TIME, (uint32_t)t, 0, 0, 0);
}

int futex_wait(uint32_t *addr, uint32_t val, unsigned timeout_ms)
{
	return sprig_syscall(SYS_FUTEX_WAIT, (uint32_t)addr, val, timeout_ms, 0);
}

int futex_wake(uint32_t *addr, unsigned n)
{
	return sprig_syscall(SYS_FUTEX_WAKE, (uint32_t)addr, n, 0, 0);
}

/* Returns only when the frame is refused (-EFAULT). */
int sigreturn(struct sprig_sigframe *frame)
{
	return sprig_syscall_int80(SYS_SIGRETURN, (uint32_t)frame, 0, 0, 0);
}

uint64_t rdtsc(void)
{
	uint32_t lo, hi;
	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}

/* len bytes of fresh read-write memory (demand zero), or NULL. */
void *vm_alloc(uint32_t len)
{
	int va = sprig_syscall(SYS_VM_ALLOC, len, 3, 0, 0);
	return va < 0 && va > -SPRIG_ERRNO_MAX ? NULL : (void *)(uintptr_t)(uint32_t)va;
}

int vm_free(void *addr)
{
	return sprig_syscall(SYS_VM_FREE, (uint32_t)addr, 0, 0, 0);
}

int sprig_has_sysenter;
uint32_t sprig_door_fast_ids;

/* Whether this CPU has sysenter, as the nucleus decides it (CPUID.SEP, but
 * not on the early Pentium Pro steppings that report it wrongly). */
static int cpu_has_sep(void)
{
	uint32_t a, b, c, d;
	__asm__ volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(1), "c"(0));
	(void)b, (void)c;
	int early = ((a >> 8) & 0xf) == 6 && ((a >> 4) & 0xf) < 3 && (a & 0xf) < 3;
	return (d & (1u << 11)) && !early;
}

int sprig_proc_start(int *argc, char ***argv); /* proc.c */
void sprig_proc_none(void);

/* A program the process manager started (its argument string says so)
 * gets its arguments, environment and descriptors from proc. Any other
 * splits the argument string in place (leading NAME=value words become
 * the environment, the rest argv). Then main; exit flushes stdio. */
void crt_main(char *args)
{
	sprig_has_sysenter = cpu_has_sep();
	sprig_door_fast_ids = sprig_has_sysenter ? DOOR_FAST_ID_MASK + 1 : 0;
	if (args && !strcmp(args, "@proc")) {
		int pargc;
		char **pargv;
		if (sprig_proc_start(&pargc, &pargv) < 0)
			domain_exit(127);
		exit(main(pargc, pargv, environ));
	}
	sprig_proc_none();
	char *argv[MAX_ARGS + 1], *envp[MAX_ENV + 1];
	int argc = sprig_split_args(args, argv, MAX_ARGS, envp, MAX_ENV);
	environ = envp;
	exit(main(argc, argv, envp));
}
