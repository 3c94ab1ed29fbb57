/* SPDX-License-Identifier: MIT */
/*
 * The system-call ABI shared by the nucleus and user space.
 *
 * Entry is by `sysenter` (the fast path) or `int $0x80` (the general path);
 * both take the same registers and give the same results:
 *
 *   eax  system-call number on entry; result (>= 0) or -errno on return
 *   ebx, esi, edi, ebp   arguments 0..3 on entry; preserved on return
 *   ecx, edx  sysenter only: the user stack pointer and the return address,
 *             which the nucleus hands back to `sysexit`; clobbered
 *
 * Every other register and the flags except IF are preserved.
 */
#ifndef SPRIG_SYSCALL_H
#define SPRIG_SYSCALL_H

#define SYS_NULL          0 /* () -> 0: the cheapest call, for measuring */
#define SYS_CONSOLE_WRITE 1 /* (const char *buf, size_t len) -> bytes written */
#define SYS_THREAD_CREATE 2 /* (void *eip, void *esp) -> thread id */
#define SYS_THREAD_EXIT   3 /* () -> does not return */
#define SYS_DOMAIN_EXIT   4 /* (int status) -> does not return */
#define SYS_YIELD         5 /* () -> 0 */
#define SYS_SLEEP         6 /* (unsigned ms) -> 0, or -EINTR */
#define SYS_TIME          7 /* (struct sprig_time *out) -> 0 */
#define SYS_THREAD_SELF   8 /* () -> thread id */
#define SYS_COUNT         9

#define SYSCALL_VECTOR 0x80

/* Filled by SYS_TIME. */
struct sprig_time {
	unsigned long long tsc;   /* time-stamp counter */
	unsigned long long ticks; /* timer interrupts since boot */
	unsigned int hz;          /* timer interrupts per second */
	unsigned int pad;
};

/* The user address space: [USER_BASE, USER_TOP). The nucleus lives above. */
#define USER_BASE 0x00001000u
#define USER_TOP  0xC0000000u

/* The main thread's stack: the top megabyte below USER_TOP, demand-zero. */
#define USER_STACK_TOP  USER_TOP
#define USER_STACK_SIZE 0x00100000u

#endif
