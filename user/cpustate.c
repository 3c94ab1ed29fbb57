/* SPDX-License-Identifier: MIT */
/*
 * cpustate ROLE: what a hostile domain can do with CPU state on the way into
 * the nucleus, and what the nucleus promises the threads it hands back
 * (tests/system/t_cpustate.sh runs each role under QEMU and Bochs):
 *
 *   ring0  the single-step attack on sysenter: with TF set, the debug trap
 *          raised on the entry's first instruction used to push its frame
 *          through the TSS into the IDT, so that edi:ebp became interrupt
 *          gate 250 pointing at a function of ours. Checks the calls still
 *          answer, then raises int $250, which must kill this domain with a
 *          general protection fault and never run cpustate_ring0 (it would
 *          print "cpustate: RING 0" on COM1 itself).
 *   segs   segment registers and flags across system calls and door calls:
 *          DS and ES are the user data segment after a sysenter call that
 *          blocked while other threads trapped in; FS and GS are this
 *          thread's own after such a call and after door calls; a server
 *          starts every call with FS = GS = the user data segment; DF is
 *          clear after int $0x80; a 16-byte fast call made where the
 *          compiler addresses the stack through esp carries all four words.
 *
 * Each check prints "cpustate: NAME: ok" or "... FAIL: why"; a role ends
 * with "cpustate ROLE: N of M checks passed".
 */
#include "lib/doors/doors.h"

#define SEL_NULL  0x00u
#define SEL_UCODE 0x1bu
#define SEL_UDATA 0x23u

static int checks, failures;

static void check(const char *what, int ok, const char *fmt, ...)
        __attribute__((__format__(__printf__, 3, 4)));

static void check(const char *what, int ok, const char *fmt, ...)
{
	char why[128];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(why, sizeof why, fmt, ap);
	va_end(ap);
	checks++;
	if (ok) {
		printf("cpustate: %s: ok\n", what);
	} else {
		failures++;
		printf("cpustate: %s: FAIL: %s\n", what, why);
	}
}

static int finish(const char *role)
{
	printf("cpustate %s: %d of %d checks passed\n", role, checks - failures, checks);
	return failures ? 1 : 0;
}

/* ----------------------------------------------------------------- ring0 */

/* The payload of the attack: if the nucleus ever enters it, it runs at
 * CPL 0, says so on COM1 directly and returns from the interrupt. */
void cpustate_ring0(void);
__asm__(".text\n"
        ".globl cpustate_ring0\n"
        "cpustate_ring0:\n\t"
        "pusha\n\t"
        "movl $ring0_msg, %esi\n\t"
        "movw $0x3f8, %dx\n"
        "1:\tlodsb\n\t"
        "testb %al, %al\n\t"
        "jz 2f\n\t"
        "outb %al, %dx\n\t"
        "jmp 1b\n"
        "2:\tpopa\n\t"
        "iret\n"
        ".section .rodata\n"
        "ring0_msg: .asciz \"cpustate: RING 0\\n\"\n"
        ".text");

/* sysenter with TF set and edi:ebp holding a DPL 3 interrupt gate to
 * cpustate_ring0: eax is the call, the result comes back in eax. */
static int sysenter_single_stepped(uint32_t eax)
{
	uint32_t arg0 = 1; /* a millisecond, for SYS_SLEEP */
	uint32_t h = (uint32_t)cpustate_ring0;
	uint32_t gate_lo = 0x00080000u | (h & 0xffffu), gate_hi = (h & 0xffff0000u) | 0xEE00u;
	__asm__ volatile("pushl %%ebp\n\t"
	                 "movl %%ecx, %%ebp\n\t"
	                 "pushfl\n\t"
	                 "orl $0x100, (%%esp)\n\t"
	                 "movl %%esp, %%ecx\n\t"
	                 "addl $4, %%ecx\n\t" /* the stack as it is after the popfl */
	                 "movl $1f, %%edx\n\t"
	                 "popfl\n\t"
	                 "sysenter\n"
	                 "1:\tpopl %%ebp"
	                 : "+a"(eax), "+b"(arg0), "+D"(gate_lo), "+c"(gate_hi)
	                 :
	                 : "edx", "esi", "memory", "cc");
	return (int)eax;
}

static uint32_t eflags_now(void)
{
	uint32_t f;
	__asm__ volatile("pushfl; popl %0" : "=r"(f));
	return f;
}

static int role_ring0(void)
{
	int r = sysenter_single_stepped(SYS_NULL);
	check("null system call by sysenter with TF set", r == 0, "returned %d", r);
	check("TF is clear after it", !(eflags_now() & 0x100), "eflags %#x", eflags_now());
	r = sysenter_single_stepped(DOOR_FAST | 999);
	check("fast door call to no door with TF set", r == -EBADF, "returned %d", r);
	r = sysenter_single_stepped(SYS_SLEEP);
	check("sleep by sysenter with TF set", r == 0, "returned %d", r);
	finish("ring0");
	printf("cpustate: int $250 next: this domain must die of a general protection fault\n");
	__asm__ volatile("int $250");
	printf("cpustate: int $250 returned: FAIL\n");
	return 1;
}

/* ------------------------------------------------------------------ segs */

struct segs {
	uint32_t ds, es, fs, gs;
};

static struct segs segs_now(void)
{
	struct segs s;
	__asm__ volatile("movl %%ds, %0; movl %%es, %1; movl %%fs, %2; movl %%gs, %3"
	                 : "=r"(s.ds), "=r"(s.es), "=r"(s.fs), "=r"(s.gs));
	return s;
}

static void set_fs_gs(uint32_t fs, uint32_t gs)
{
	__asm__ volatile("movl %0, %%fs; movl %1, %%gs" : : "r"(fs), "r"(gs));
}

static volatile int spinner_stop;

/* Another thread with other FS and GS that keeps entering the nucleus by
 * int $0x80 and by the timer, so the sleeper below is resumed from paths
 * that came in through the trap entry. */
static void spinner(void *arg)
{
	(void)arg;
	set_fs_gs(SEL_NULL, SEL_UCODE);
	while (!spinner_stop) {
		sprig_syscall_int80(SYS_YIELD, 0, 0, 0, 0);
		for (volatile int i = 0; i < 2000; i++)
			;
	}
	thread_exit();
}

static volatile int probe;

/* Sleeps by sysenter many times while the spinner runs; after each, the
 * data segments must be the user's and FS/GS this thread's own. Then an
 * int $0x80 and a data access: its iret back to user mode nulls a nucleus
 * selector left in DS on a CPU that checks (Bochs), and the access faults. */
static void check_blocking_sysenter(void)
{
	static char stack[8192];
	int bad_ds = 0, bad_fsgs = 0;
	struct segs last = {0, 0, 0, 0};
	spinner_stop = 0;
	int t = thread_create(spinner, NULL, stack, sizeof stack);
	check("a second thread starts", t >= 0, "error %d", t);
	probe = 0;
	for (int i = 0; i < 20; i++) {
		set_fs_gs(SEL_UDATA, SEL_NULL);
		sprig_syscall(SYS_SLEEP, 3, 0, 0, 0);
		struct segs s = segs_now();
		sprig_syscall_int80(SYS_NULL, 0, 0, 0, 0);
		probe++;
		set_fs_gs(SEL_UDATA, SEL_UDATA);
		bad_ds += s.ds != SEL_UDATA || s.es != SEL_UDATA;
		bad_fsgs += s.fs != SEL_UDATA || s.gs != SEL_NULL;
		if (s.ds != SEL_UDATA || s.es != SEL_UDATA || s.fs != SEL_UDATA || s.gs != SEL_NULL)
			last = s;
	}
	spinner_stop = 1;
	sleep_ms(20);
	check("DS and ES after a blocking sysenter call", bad_ds == 0,
	      "%d of 20 wrong, last ds %#x es %#x", bad_ds, last.ds, last.es);
	check("FS and GS after a blocking sysenter call", bad_fsgs == 0,
	      "%d of 20 wrong, last fs %#x gs %#x (want 0x23 0)", bad_fsgs, last.fs, last.gs);
	check("data access after each call and an iret", probe == 20, "count %d", probe);
}

static void check_int80_df(void)
{
	uint32_t f;
	__asm__ volatile("std\n\t"
	                 "movl %1, %%eax\n\t"
	                 "int $0x80\n\t"
	                 "pushfl\n\t"
	                 "popl %0\n\t"
	                 "cld"
	                 : "=r"(f)
	                 : "i"(SYS_NULL)
	                 : "eax", "memory", "cc");
	check("DF is clear after int $0x80", !(f & 0x400), "eflags %#x", f);
}

/* The server side: answers its entry FS and GS, then loads others, which
 * must not reach the caller. Echoes anything longer than 8 bytes. */
static void segs_server(void *cookie, const struct door_request *req, struct door_reply *rep)
{
	(void)cookie;
	struct segs s = segs_now();
	uint32_t *out = rep->buf;
	if (req->size > 8) {
		memcpy(rep->buf, req->data, req->size);
		rep->data = rep->buf;
		rep->size = req->size;
	} else {
		out[0] = s.fs, out[1] = s.gs, out[2] = s.ds, out[3] = s.es;
		rep->data = out;
		rep->size = req->size == 8 ? 16 : 40; /* 8 bytes in: fast; else general */
		memset(out + 4, 0, 24);
	}
	set_fs_gs(SEL_UCODE, SEL_UCODE);
}

/* One call with the caller's FS = GS = null: the server must start with
 * the user data segment in all four, and the caller keep its own. */
static void check_door_entry(int id, uint32_t in_size, const char *path)
{
	uint32_t in[2] = {1, 2}, out[10] = {0};
	door_arg_t a = {in, in_size, NULL, 0, out, in_size == 8 ? 16 : 40, NULL, 0};
	set_fs_gs(SEL_NULL, SEL_NULL);
	int e = door_call(id, &a);
	struct segs after = segs_now();
	set_fs_gs(SEL_UDATA, SEL_UDATA);
	char name[80];
	snprintf(name, sizeof name, "%s call: the server starts with the user data segment", path);
	check(name,
	      e == 0 && out[0] == SEL_UDATA && out[1] == SEL_UDATA && out[2] == SEL_UDATA &&
	              out[3] == SEL_UDATA,
	      "error %d fs %#x gs %#x ds %#x es %#x", e, out[0], out[1], out[2], out[3]);
	snprintf(name, sizeof name, "%s call: the caller keeps its FS and GS", path);
	check(name, after.fs == SEL_NULL && after.gs == SEL_NULL, "fs %#x gs %#x", after.fs,
	      after.gs);
}

/* A 16-byte fast call from a function whose locals are addressed through
 * esp (no frame pointer): the fourth word used to be read 4 bytes off. */
__attribute__((noinline, optimize("omit-frame-pointer"))) static int
echo16_no_frame_pointer(int id, uint32_t out[4])
{
	uint32_t in[4] = {0x11111111, 0x22222222, 0x33333333, 0x44444444};
	door_arg_t a = {in, 16, NULL, 0, out, 16, NULL, 0};
	return door_call(id, &a);
}

static int role_segs(void)
{
	check_int80_df();
	check_blocking_sysenter();
	int id = door_create(segs_server, NULL, 0);
	int n = door_pool_start(2);
	check("a door of our own", id >= 0 && n == 0, "door %d pool %d", id, n);
	if (id < 0 || n < 0)
		return finish("segs");
	check_door_entry(id, 8, "fast");
	check_door_entry(id, 4, "general");
	uint32_t out[4] = {0, 0, 0, 0};
	int e = echo16_no_frame_pointer(id, out);
	check("16-byte fast call from an esp-addressed frame",
	      e == 0 && out[0] == 0x11111111 && out[1] == 0x22222222 && out[2] == 0x33333333 &&
	              out[3] == 0x44444444,
	      "error %d words %08x %08x %08x %08x", e, out[0], out[1], out[2], out[3]);
	return finish("segs");
}

int main(int argc, char **argv)
{
	const char *role = argc > 1 ? argv[1] : "";
	if (strcmp(role, "ring0") == 0)
		return role_ring0();
	if (strcmp(role, "segs") == 0)
		return role_segs();
	printf("usage: cpustate ring0|segs\n");
	return 2;
}
