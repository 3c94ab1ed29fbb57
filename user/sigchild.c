/* SPDX-License-Identifier: MIT */
/*
 * sigchild ROLE: the domain user/sigtest.c signals (t_signals.sh). Its
 * start door leads to sigtest's test server; it says "ready" through it
 * (with the address of its sprig_sigtramp, for DOM_SIGNAL) just before it
 * waits to be signalled, and ends with status 0 when every check held:
 *
 *   sleep    SYS_SLEEP (int $0x80) interrupted: -EINTR, the handler ran,
 *            every register and CF as before (sigregs.S)
 *   futex    SYS_FUTEX_WAIT interrupted, by int $0x80 (registers checked)
 *            and by sysenter
 *   busy     a busy loop (the timer interrupt's way out) with a value in
 *            every register; sigtest queues signals until -EAGAIN, and
 *            this exits with 100 + how many handlers ran
 *   call     signalled in a fast door call, while the server waits: the
 *            handler runs after the reply, which arrives intact
 *   killed   killed in a door call (sigtest checks its server)
 *   stack    signalled with its stack pointer where nothing is mapped:
 *            the domain dies of a fault
 */
#include "lib/doors/kobj.h"

#define SIG_TEST  5
#define SIG_ECX   0x11111111u
#define SIG_EDX   0x22222222u
#define SIG_ESI   0x33333333u
#define SIG_EDI   0x44444444u
#define SIG_EBP   0x55555555u
#define EFLAGS_CF 0x1u

/* sigtest's operations (the first word of a call). */
enum { OP_READY = 1, OP_WAIT, OP_KWAIT };

extern uint32_t sig_out[10];
extern volatile uint32_t sig_busy_flag;
int sig_syscall_regs(uint32_t nr, uint32_t a0, uint32_t a1, uint32_t a2);
void sig_busy_regs(void);

static volatile int handled, last_sig, in_call, in_call_seen = -1;
static const char *role = "";

static void on_signal(int sig)
{
	handled++;
	last_sig = sig;
	in_call_seen = in_call;
	sig_busy_flag = 1;
}

static int fail(const char *fmt, ...) __attribute__((__format__(__printf__, 1, 2)));

static int fail(const char *fmt, ...)
{
	char why[160];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(why, sizeof why, fmt, ap);
	va_end(ap);
	printf("sigchild %s: FAIL: %s\n", role, why);
	return 1;
}

static int32_t call_server(uint32_t op)
{
	uint32_t in[2] = {op, (uint32_t)sprig_sigtramp};
	int32_t out = -1;
	door_arg_t a = {in, sizeof in, NULL, 0, &out, sizeof out, NULL, 0};
	int err = door_call(sprig_start_door, &a);
	return err < 0 ? err : out;
}

/* What a syscall through sig_syscall_regs must give back: a0..a2 and the
 * patterns as they were, esp unmoved, CF still set. */
static int regs_kept(uint32_t a0, uint32_t a1, uint32_t a2)
{
	const uint32_t *o = sig_out;
	if (o[1] != a0 || o[2] != SIG_ECX || o[3] != SIG_EDX || o[4] != a1 || o[5] != a2 ||
	    o[6] != SIG_EBP || o[7] != o[8] || !(o[9] & EFLAGS_CF))
		return fail("registers changed: ebx %#x ecx %#x edx %#x esi %#x edi %#x ebp %#x "
		            "esp %#x/%#x eflags %#x",
		            o[1], o[2], o[3], o[4], o[5], o[6], o[7], o[8], o[9]);
	return 0;
}

static int role_sleep(void)
{
	call_server(OP_READY);
	int r = sig_syscall_regs(SYS_SLEEP, 5000, SIG_ESI, SIG_EDI);
	if (r != -EINTR || handled != 1 || last_sig != SIG_TEST)
		return fail("sleep gave %d, %d handlers ran (signal %d)", r, handled, last_sig);
	if (regs_kept(5000, SIG_ESI, SIG_EDI))
		return 1;
	printf("sigchild sleep: -EINTR, the handler ran, every register kept\n");
	return 0;
}

static int role_futex(void)
{
	static uint32_t word;
	call_server(OP_READY);
	int r = sig_syscall_regs(SYS_FUTEX_WAIT, (uint32_t)&word, 0, 0);
	if (r != -EINTR || handled != 1)
		return fail("futex_wait by int $0x80 gave %d, %d handlers ran", r, handled);
	if (regs_kept((uint32_t)&word, 0, 0))
		return 1;
	call_server(OP_READY);
	r = futex_wait(&word, 0, 0);
	if (r != -EINTR || handled != 2)
		return fail("futex_wait by sysenter gave %d, %d handlers ran", r, handled);
	printf("sigchild futex: -EINTR twice (int $0x80 and sysenter), registers kept\n");
	return 0;
}

static int role_busy(void)
{
	static const uint32_t want[7] = {0x0a0a0a0a, 0x0b0b0b0b, SIG_ECX, SIG_EDX,
	                                 SIG_ESI,    SIG_EDI,    SIG_EBP};
	call_server(OP_READY);
	sig_busy_regs();
	for (int i = 0; i < 7; i++)
		if (sig_out[i] != want[i])
			return fail("register %d: %#x, want %#x", i, sig_out[i], want[i]);
	if (sig_out[7] != sig_out[8])
		return fail("esp %#x, want %#x", sig_out[7], sig_out[8]);
	sleep_ms(100); /* any signal still queued arrives meanwhile */
	printf("sigchild busy: the loop's registers kept; %d handlers ran\n", handled);
	return 100 + handled;
}

static int role_call(void)
{
	in_call = 1;
	int32_t r = call_server(OP_WAIT);
	in_call = 0;
	if (r != 42 || handled != 1 || in_call_seen != 1)
		return fail("the call gave %d; %d handlers ran, in the call: %d", r, handled,
		            in_call_seen);
	printf("sigchild call: the reply (42) came, then the handler ran\n");
	return 0;
}

static int role_killed(void)
{
	int32_t r = call_server(OP_KWAIT);
	return fail("the call returned %d; it should have been killed", r);
}

static int role_stack(void)
{
	call_server(OP_READY);
	__asm__ volatile("movl $0x2000, %%esp\n1:\tjmp 1b" ::: "memory");
	return fail("still here");
}

int main(int argc, char **argv)
{
	static const struct {
		const char *name;
		int (*fn)(void);
	} roles[] = {{"sleep", role_sleep}, {"futex", role_futex},   {"busy", role_busy},
	             {"call", role_call},   {"killed", role_killed}, {"stack", role_stack}};
	role = argc > 1 ? argv[1] : "";
	sigtramp_set_handler(SIG_TEST, on_signal);
	for (unsigned i = 0; i < sizeof roles / sizeof roles[0]; i++)
		if (!strcmp(role, roles[i].name))
			return roles[i].fn();
	printf("usage: sigchild sleep|futex|busy|call|killed|stack\n");
	return 2;
}
