/* SPDX-License-Identifier: MIT */
/*
 * badptr: hands the nucleus bad pointers, lengths and system-call numbers,
 * through both entries (sysenter and int $0x80), and checks that each gets
 * the documented error and nothing worse. Prints one line per check and a
 * summary; exits 0 only if every check passed.
 */
#include "lib/c/libc.h"

static int failures, checks;

static void check(const char *what, int got, int want)
{
	checks++;
	if (got == want) {
		printf("badptr: %s: ok (%d)\n", what, got);
	} else {
		failures++;
		printf("badptr: %s: FAIL: got %d, want %d\n", what, got, want);
	}
}

typedef int (*entry_fn)(int, uint32_t, uint32_t, uint32_t, uint32_t);

static void run_checks(const char *via, entry_fn sys)
{
	char what[80];
#define CHECK(desc, got, want)                                                                     \
	do {                                                                                       \
		snprintf(what, sizeof what, "%s: %s", via, desc);                                  \
		check(what, got, want);                                                            \
	} while (0)
	CHECK("write from NULL", sys(SYS_CONSOLE_WRITE, 0, 10, 0, 0), -EFAULT);
	CHECK("write from nucleus memory", sys(SYS_CONSOLE_WRITE, 0xC0100000, 16, 0, 0), -EFAULT);
	CHECK("write of a wrapping range", sys(SYS_CONSOLE_WRITE, 0xFFFFF000, 0x2000, 0, 0),
	      -EFAULT);
	CHECK("write from unmapped memory", sys(SYS_CONSOLE_WRITE, 0x40000000, 8, 0, 0), -EFAULT);
	CHECK("write crossing into nucleus", sys(SYS_CONSOLE_WRITE, 0xBFFFFFF0, 64, 0, 0), -EFAULT);
	CHECK("write of zero bytes", sys(SYS_CONSOLE_WRITE, (uint32_t) "x", 0, 0, 0), 0);
	CHECK("time into read-only text", sys(SYS_TIME, (uint32_t)run_checks, 0, 0, 0), -EFAULT);
	CHECK("time into nucleus memory", sys(SYS_TIME, 0xC0000000, 0, 0, 0), -EFAULT);
	CHECK("time into NULL", sys(SYS_TIME, 0, 0, 0, 0), -EFAULT);
	CHECK("thread at a nucleus address", sys(SYS_THREAD_CREATE, 0xC0100000, 0x1000, 0, 0),
	      -EFAULT);
	CHECK("thread with a nucleus stack", sys(SYS_THREAD_CREATE, 0x1000, 0xC0001000, 0, 0),
	      -EFAULT);
	CHECK("one past the last system call", sys(SYS_COUNT, 0, 0, 0, 0), -ENOSYS);
	CHECK("system call 1000", sys(1000, 0, 0, 0, 0), -ENOSYS);
	CHECK("system call -1", sys(-1, 0, 0, 0, 0), -ENOSYS);
	CHECK("vm_alloc of nothing", sys(SYS_VM_ALLOC, 0, 3, 0, 0), -EINVAL);
	CHECK("vm_alloc of 4 GiB", sys(SYS_VM_ALLOC, 0xFFFFF000, 3, 0, 0), -ENOMEM);
	CHECK("vm_alloc with a bad protection", sys(SYS_VM_ALLOC, 4096, 0x10, 0, 0), -EINVAL);
	CHECK("vm_free of the program text", sys(SYS_VM_FREE, 0x08048000, 0, 0, 0), -EINVAL);
	CHECK("vm_free of nothing", sys(SYS_VM_FREE, 0x50000000, 0, 0, 0), -EINVAL);
	CHECK("door_create with bad flags", sys(SYS_DOOR_CREATE, 0x08048000, 0, 0x80, 0), -EINVAL);
	CHECK("door_create at a nucleus entry", sys(SYS_DOOR_CREATE, 0xC0100000, 0, 0, 0), -EFAULT);
	CHECK("door_info of no door", sys(SYS_DOOR_INFO, 3, 0x08048000, 0, 0), -EBADF);
	CHECK("door_close of -1", sys(SYS_DOOR_CLOSE, (uint32_t)-1, 0, 0, 0), -EBADF);
	CHECK("door_bind from NULL", sys(SYS_DOOR_BIND, 0, 0, 0, 0), -EFAULT);
	CHECK("door_return without door_bind", sys(SYS_DOOR_RETURN, 0, 0xBFFF0000, 0, 0), -EINVAL);
	CHECK("shuttle_info into NULL", sys(SYS_SHUTTLE_INFO, 0, 0, 0, 0), -EFAULT);
	CHECK("name_lookup from nucleus memory", sys(SYS_NAME_LOOKUP, 0xC0000000, 0, 0, 0),
	      -EFAULT);
	CHECK("name_publish of a bad id", sys(SYS_NAME_PUBLISH, (uint32_t) "x", 12345, 0, 0),
	      -EBADF);
#undef CHECK
}

/* A null selector in DS and ES must not make the nucleus fault on entry:
 * sysenter gives the nucleus the flat user segment back. */
static void null_segments(void)
{
	int r;
	__asm__ volatile("push %%ds\n\t"
	                 "push %%es\n\t"
	                 "xor %%eax, %%eax\n\t"
	                 "mov %%ax, %%ds\n\t"
	                 "mov %%ax, %%es\n\t"
	                 "call sys_null\n\t"
	                 "pop %%es\n\t"
	                 "pop %%ds"
	                 : "=a"(r)
	                 :
	                 : "ecx", "edx", "memory");
	check("system call with null DS and ES", r, 0);
}

/* The direction flag set by the user must not make the nucleus copy
 * backwards. */
static void direction_flag(void)
{
	struct sprig_time t = {0, 0, 0, 0};
	__asm__ volatile("std" ::: "memory");
	int r = sprig_time(&t);
	__asm__ volatile("cld" ::: "memory");
	check("time with the direction flag set", r == 0 && t.hz == 100 && t.pad == 0, 1);
}

int main(void)
{
	printf("badptr: this CPU %s sysenter\n", sprig_has_sysenter ? "has" : "lacks");
	null_segments();
	direction_flag();
	run_checks(sprig_has_sysenter ? "sysenter" : "default entry", sprig_syscall);
	run_checks("int80", sprig_syscall_int80);
	/* A good call after all that still works. */
	struct sprig_time t;
	check("time into the stack", sprig_time(&t), 0);
	check("null system call", sys_null(), 0);
	printf("badptr: %d of %d checks passed\n", checks - failures, checks);
	return failures ? 1 : 0;
}
