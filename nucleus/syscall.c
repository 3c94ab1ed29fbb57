/* SPDX-License-Identifier: MIT */
/*
 * System calls (include/sprig/syscall.h). Both entries, sysenter and
 * int $0x80, come through syscall_dispatch with the arguments in a struct
 * sysregs; each handler reads its arguments from there and returns the
 * value for eax. User pointers are only ever used through copy_in/copy_out.
 *
 * Entry points: syscall_dispatch, syscall_sysenter.
 */
#include "nucleus/nucleus.h"
#include "nucleus/x86.h"
#include <sprig/errno.h>
#include <sprig/syscall.h>

#define CONSOLE_WRITE_MAX 4096 /* longer writes are partial, as in Unix */

typedef int (*syscall_fn)(struct sysregs *r);

static int sys_null(struct sysregs *r)
{
	(void)r;
	return 0;
}

/* (buf, len): writes up to CONSOLE_WRITE_MAX bytes; returns the count. */
static int sys_console_write(struct sysregs *r)
{
	char chunk[256];
	uint32_t buf = r->ebx, len = r->esi;
	if (len > CONSOLE_WRITE_MAX)
		len = CONSOLE_WRITE_MAX;
	if (!uaccess_range_ok(buf, len))
		return -EFAULT;
	for (uint32_t done = 0; done < len;) {
		uint32_t n = len - done < sizeof chunk ? len - done : sizeof chunk;
		if (copy_in(&current->dom->as, chunk, buf + done, n) < 0)
			return done ? (int)done : -EFAULT;
		console_write(chunk, n);
		done += n;
	}
	return (int)len;
}

/* (eip, esp): a new thread of this domain; returns its id. */
static int sys_thread_create(struct sysregs *r)
{
	if (!uaccess_range_ok(r->ebx, 1) || !uaccess_range_ok(r->esi, 0))
		return -EFAULT;
	struct thread *t = thread_create_user(current->dom, r->ebx, r->esi, 0);
	return t ? t->id : -EAGAIN;
}

static int sys_thread_exit(struct sysregs *r)
{
	(void)r;
	thread_exit();
}

static int sys_domain_exit(struct sysregs *r)
{
	domain_exit(current->dom, (int)r->ebx);
	thread_exit();
}

static int sys_yield(struct sysregs *r)
{
	(void)r;
	sched_yield();
	return 0;
}

/* (ms): sleeps at least ms milliseconds, rounded up to whole ticks. */
static int sys_sleep(struct sysregs *r)
{
	uint64_t ticks = ((uint64_t)r->ebx * TIMER_HZ + 999) / 1000;
	if (ticks == 0) {
		sched_yield();
		return 0;
	}
	return sched_sleep_until(timer_ticks() + ticks + 1); /* + the partial tick */
}

/* (struct sprig_time *out) */
static int sys_time(struct sysregs *r)
{
	struct sprig_time t = {rdtsc(), timer_ticks(), TIMER_HZ, 0};
	return copy_out(&current->dom->as, r->ebx, &t, sizeof t);
}

static int sys_thread_self(struct sysregs *r)
{
	(void)r;
	return current->id;
}

static const syscall_fn syscalls[SYS_COUNT] = {
        [SYS_NULL] = sys_null,
        [SYS_CONSOLE_WRITE] = sys_console_write,
        [SYS_THREAD_CREATE] = sys_thread_create,
        [SYS_THREAD_EXIT] = sys_thread_exit,
        [SYS_DOMAIN_EXIT] = sys_domain_exit,
        [SYS_YIELD] = sys_yield,
        [SYS_SLEEP] = sys_sleep,
        [SYS_TIME] = sys_time,
        [SYS_THREAD_SELF] = sys_thread_self,
};

/* Runs the call numbered r->eax and puts its result in r->eax. */
void syscall_dispatch(struct sysregs *r)
{
	uint32_t nr = r->eax;
	r->eax = likely(nr < SYS_COUNT) ? (uint32_t)syscalls[nr](r) : (uint32_t)-ENOSYS;
}

/* The sysenter entry: as dispatch, then the checks for going back. */
void syscall_sysenter(struct sysframe *f)
{
	syscall_dispatch((struct sysregs *)f);
	if (unlikely(need_resched || current->killed))
		thread_return_to_user();
}
