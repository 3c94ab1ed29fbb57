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
 * Every other register is preserved, FS and GS included, even across a call
 * that blocks. The flags are not by sysenter (DF is clear and IF set on
 * return); int $0x80 returns the caller's flags with DF clear. sysenter also
 * resets DS and ES to the user data segment.
 */
#ifndef SPRIG_SYSCALL_H
#define SPRIG_SYSCALL_H

#define SYS_NULL          0  /* () -> 0: the cheapest call, for measuring */
#define SYS_CONSOLE_WRITE 1  /* (const char *buf, size_t len) -> bytes written */
#define SYS_THREAD_CREATE 2  /* (void *eip, void *esp) -> thread id */
#define SYS_THREAD_EXIT   3  /* () -> does not return */
#define SYS_DOMAIN_EXIT   4  /* (int status) -> does not return */
#define SYS_YIELD         5  /* () -> 0 */
#define SYS_SLEEP         6  /* (unsigned ms) -> 0, or -EINTR */
#define SYS_TIME          7  /* (struct sprig_time *out) -> 0 */
#define SYS_THREAD_SELF   8  /* () -> thread id */
#define SYS_DOOR_CREATE   9  /* (entry, datum, flags) -> door id */
#define SYS_DOOR_CALL     10 /* (id, door_arg_t *) -> 0 */
#define SYS_DOOR_RETURN   11 /* (door_result_t * or NULL, esp) -> only on error */
#define SYS_DOOR_BIND     12 /* (door_server_t *) -> 0 */
#define SYS_DOOR_INFO     13 /* (id, door_info_t *) -> 0 */
#define SYS_DOOR_REVOKE   14 /* (id) -> 0; only the serving domain */
#define SYS_DOOR_DUP      15 /* (id) -> a new id for the same door */
#define SYS_DOOR_CLOSE    16 /* (id) -> 0 */
#define SYS_SHUTTLE_INFO  17 /* (shuttle_info_t *) -> 0 */
#define SYS_VM_ALLOC      18 /* (len, prot: 1 read | 2 write) -> address */
#define SYS_VM_FREE       19 /* (address from SYS_VM_ALLOC) -> 0 */
#define SYS_NAME_PUBLISH  20 /* (const char *name, id) -> 0 */
#define SYS_NAME_LOOKUP   21 /* (const char *name, unsigned wait_ms) -> door id */
#define SYS_FUTEX_WAIT    22 /* (uint32_t *addr, uint32_t val, unsigned timeout_ms) -> 0 */
#define SYS_FUTEX_WAKE    23 /* (uint32_t *addr, unsigned n) -> threads woken */
#define SYS_SIGRETURN     24 /* (struct sprig_sigframe *) -> the frame's eax */
#define SYS_DOOR_PULL     25 /* (uint32_t off, void *dst, uint32_t n) -> n: a pulled tail's bytes */
#define SYS_COUNT         26

#define SYSCALL_VECTOR 0x80

/*
 * SYS_FUTEX_WAIT: if *addr (4-byte aligned, mapped) still holds val, sleeps
 * until a SYS_FUTEX_WAKE on the same address in the same domain (0), the
 * timeout (-ETIMEDOUT; 0 ms means none), or an interruption (-EINTR: the
 * thread is killed or has a signal pending, or its shuttle is alerted or
 * interrupted, i.e. the caller it serves has gone or been signalled).
 * *addr != val: -EAGAIN at once. A bad addr: -EFAULT. SYS_FUTEX_WAKE wakes
 * up to n waiters on addr, oldest first.
 */

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
