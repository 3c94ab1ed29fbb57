/* SPDX-License-Identifier: MIT */
/*
 * System calls (include/sprig/syscall.h). Both entries, sysenter and
 * int $0x80, come through syscall_dispatch with the arguments in a struct
 * sysregs; each handler reads its arguments from there and returns the
 * value for eax. User pointers are only ever used through copy_in/copy_out.
 *
 * Entry points: syscall_dispatch, syscall_sysenter, sysenter_leave.
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

/* True when r is the frame the sysenter entry pushed (not int $0x80's). */
static int via_sysenter(const struct sysregs *r)
{
	return (const void *)r == (const void *)thread_sysframe(current);
}

static struct domain *cur_dom(void)
{
	return current->dom;
}

/* (entry, datum, flags) */
static int sys_door_create(struct sysregs *r)
{
	uint32_t flags = r->edi;
	if (flags & ~(uint32_t)(DOOR_UNREF | DOOR_UNREF_MULTI) ||
	    flags == (DOOR_UNREF | DOOR_UNREF_MULTI))
		return -EINVAL;
	if (!uaccess_range_ok(r->ebx, 1))
		return -EFAULT;
	struct door *d = door_alloc(cur_dom(), r->ebx, r->esi, flags);
	if (!d)
		return -ENOSPC;
	door_get(d); /* so the failure below frees it */
	int id = dtable_insert(cur_dom(), d);
	door_put(d);
	return id;
}

static int sys_door_call(struct sysregs *r)
{
	return door_sys_call((int)r->ebx, r->esi, r->edi, via_sysenter(r));
}

static int sys_door_pull(struct sysregs *r)
{
	return door_sys_pull(r->ebx, r->esi, r->edi);
}

static int sys_door_return(struct sysregs *r)
{
	return door_sys_return(r->ebx, r->esi, via_sysenter(r));
}

static int sys_door_bind(struct sysregs *r)
{
	return door_sys_bind(r->ebx);
}

/* (id, door_info_t *) */
static int sys_door_info(struct sysregs *r)
{
	struct door *d = dtable_lookup(cur_dom(), (int)r->ebx);
	door_info_t info;
	if (!d)
		return -EBADF;
	door_fill_info(d, cur_dom(), &info);
	return copy_out(&cur_dom()->as, r->esi, &info, sizeof info);
}

static int sys_door_revoke(struct sysregs *r)
{
	struct door *d = dtable_lookup(cur_dom(), (int)r->ebx);
	if (!d)
		return -EBADF;
	if (d->server != cur_dom())
		return -EPERM;
	door_revoke_object(d);
	return 0;
}

static int sys_door_dup(struct sysregs *r)
{
	struct door *d = dtable_lookup(cur_dom(), (int)r->ebx);
	return d ? dtable_insert(cur_dom(), d) : -EBADF;
}

static int sys_door_close(struct sysregs *r)
{
	return dtable_close(cur_dom(), (int)r->ebx);
}

static int sys_shuttle_info(struct sysregs *r)
{
	shuttle_info_t info;
	shuttle_fill_info(current, &info);
	return copy_out(&cur_dom()->as, r->ebx, &info, sizeof info);
}

/* (len, prot): a new demand-zero region. */
static int sys_vm_alloc(struct sysregs *r)
{
	uint32_t prot = r->esi;
	if (prot & ~(uint32_t)(VM_READ | VM_WRITE) || r->ebx == 0)
		return -EINVAL;
	uint32_t va = aspace_alloc_region(&cur_dom()->as, r->ebx, prot | VM_ANON);
	return va ? (int)va : -ENOMEM;
}

static int sys_vm_free(struct sysregs *r)
{
	const struct region *reg = aspace_find_region(&cur_dom()->as, r->ebx);
	if (!reg || reg->start != r->ebx || !(reg->prot & VM_ANON))
		return -EINVAL;
	return aspace_remove_region(&cur_dom()->as, r->ebx);
}

/* Copies a NUL-terminated name of fewer than size bytes from user memory. */
static int copy_in_name(uint32_t uaddr, char *buf, size_t size)
{
	for (size_t i = 0; i < size; i++) {
		if (copy_in(&cur_dom()->as, &buf[i], uaddr + i, 1) < 0)
			return -EFAULT;
		if (!buf[i])
			return 0;
	}
	return -EINVAL;
}

static int sys_name_publish(struct sysregs *r)
{
	char name[32];
	int err = copy_in_name(r->ebx, name, sizeof name);
	return err ? err : names_publish(cur_dom(), name, (int)r->esi);
}

/* (name, wait_ms): waits up to wait_ms for the name to appear. */
static int sys_name_lookup(struct sysregs *r)
{
	char name[32];
	int err = copy_in_name(r->ebx, name, sizeof name);
	if (err)
		return err;
	uint64_t until = timer_ticks() + ((uint64_t)r->esi * TIMER_HZ + 999) / 1000;
	for (;;) {
		int id = names_lookup(cur_dom(), name);
		if (id != -ENOENT || timer_ticks() >= until)
			return id;
		if (sched_sleep_until(timer_ticks() + 1) < 0)
			return -EINTR;
	}
}

/* (addr, val, timeout_ms) */
static int sys_futex_wait(struct sysregs *r)
{
	return futex_wait(r->ebx, r->esi, r->edi);
}

/* (addr, n) */
static int sys_futex_wake(struct sysregs *r)
{
	return futex_wake(r->ebx, r->esi);
}

/* (struct sprig_sigframe *): returns the frame's eax, or never (sysenter). */
static int sys_sigreturn(struct sysregs *r)
{
	return signal_sigreturn(r, via_sysenter(r));
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
        [SYS_DOOR_CREATE] = sys_door_create,
        [SYS_DOOR_CALL] = sys_door_call,
        [SYS_DOOR_RETURN] = sys_door_return,
        [SYS_DOOR_BIND] = sys_door_bind,
        [SYS_DOOR_INFO] = sys_door_info,
        [SYS_DOOR_REVOKE] = sys_door_revoke,
        [SYS_DOOR_DUP] = sys_door_dup,
        [SYS_DOOR_CLOSE] = sys_door_close,
        [SYS_SHUTTLE_INFO] = sys_shuttle_info,
        [SYS_VM_ALLOC] = sys_vm_alloc,
        [SYS_VM_FREE] = sys_vm_free,
        [SYS_NAME_PUBLISH] = sys_name_publish,
        [SYS_NAME_LOOKUP] = sys_name_lookup,
        [SYS_FUTEX_WAIT] = sys_futex_wait,
        [SYS_FUTEX_WAKE] = sys_futex_wake,
        [SYS_SIGRETURN] = sys_sigreturn,
        [SYS_DOOR_PULL] = sys_door_pull,
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
	sysenter_leave(f);
}

/* The checks before leaving by sysexit through f (current's frame): the
 * scheduler, an exit, a signal (which leaves by iret instead). */
void sysenter_leave(struct sysframe *f)
{
	if (likely(!need_resched && !current->work))
		return;
	thread_return_to_user();
	if (current->work & THREAD_WORK_SIGNAL)
		leave_via_sysframe(f);
}
