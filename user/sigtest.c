/* SPDX-License-Identifier: MIT */
/*
 * sigtest: futexes and signal upcalls (sprig/signal.h), as a user and as
 * an attacker (tests/system/t_signals.sh). It must be the first boot
 * module: it holds the domain manager, and signals sigchild domains made
 * from the image linked into it, serving them a test door:
 *
 *   futexes   wait and wake between two threads; -EAGAIN; a timeout;
 *             -EFAULT for nucleus, unmapped and misaligned addresses
 *   signals   sigchild sleep, futex, busy, call, killed and stack (see
 *             sigchild.c); the server waiting for a signalled caller gets
 *             -EINTR and sees its shuttle interrupted, for a killed one
 *             -EINTR and alerted; the queue fills (-EAGAIN); bad requests
 *   sigreturn hostile frames, through int $0x80 and sysenter: bad
 *             pointers and nucleus eips are refused; IOPL, NT, VM and RF
 *             never come back; a good frame restores every register
 *
 * Each check prints "sigtest: NAME: ok" or "... FAIL: why"; it ends with
 * "sigtest: N of M checks passed".
 */
#include "lib/doors/kobj.h"
#include "user/check.h"

#define END_WAIT_MS 10000 /* how long to wait for a domain's end */

#define IMAGE(name) extern const char _binary_##name##_elf_start[], _binary_##name##_elf_end[];
IMAGE(sigchild)
#define SIG_TEST 5
enum { OP_READY = 1, OP_WAIT, OP_KWAIT };

extern uint32_t sig_out[10];
int sig_return_to(struct sprig_sigframe *f, int use_sysenter);
void sig_landing(void);

/* ------------------------------------------------------------- futexes */

static uint32_t fword;
static volatile int waiter_result = 1;

static void futex_waiter(void *arg)
{
	(void)arg;
	waiter_result = futex_wait(&fword, 0, 0);
	thread_exit();
}

static void check_futexes(void)
{
	static char stack[8192] __attribute__((aligned(16)));
	int woken = 0, tries;
	thread_create(futex_waiter, NULL, stack, sizeof stack);
	for (tries = 0; tries < 200 && woken == 0; tries++) { /* until it waits */
		sleep_ms(5);
		woken = futex_wake(&fword, 1);
	}
	for (tries = 0; tries < 100 && waiter_result == 1; tries++)
		sleep_ms(5);
	check("futex_wake wakes a thread in futex_wait", woken == 1 && waiter_result == 0,
	      "woken %d, the waiter got %d", woken, waiter_result);
	int r = futex_wake(&fword, 10);
	check("futex_wake with nobody waiting wakes nobody", r == 0, "got %d", r);
	r = futex_wait(&fword, 1, 0);
	check("futex_wait on a changed word: -EAGAIN", r == -EAGAIN, "got %d", r);
	struct sprig_time t0, t1;
	sprig_time(&t0);
	r = futex_wait(&fword, 0, 30);
	sprig_time(&t1);
	check("futex_wait times out: -ETIMEDOUT after 30 ms",
	      r == -ETIMEDOUT && t1.ticks - t0.ticks >= 3, "got %d after %u ticks", r,
	      (unsigned)(t1.ticks - t0.ticks));
	static const uint32_t bad[] = {0xc0000000u, 0xc0100000u, 0xfffffffcu, 0x2000u, 0u};
	int faults = 0;
	for (unsigned i = 0; i < sizeof bad / sizeof bad[0]; i++)
		faults += futex_wait((uint32_t *)bad[i], 0, 0) == -EFAULT &&
		          futex_wake((uint32_t *)bad[i], 1) == -EFAULT;
	uint32_t misaligned = (uint32_t)&fword + 1;
	faults += futex_wait((uint32_t *)misaligned, 0, 0) == -EFAULT &&
	          futex_wake((uint32_t *)misaligned, 1) == -EFAULT;
	check("futex calls on nucleus, unmapped and misaligned addresses: -EFAULT", faults == 6,
	      "%d of 6 refused", faults);
}

/* --------------------------------------------------------- test server */

/* What the children told us and what the server saw waiting for them. */
static struct {
	volatile int ready;      /* OP_READY calls */
	volatile uint32_t tramp; /* their sprig_sigtramp */
	volatile int waiting;    /* a server thread waits for OP_WAIT or OP_KWAIT */
	volatile int done;       /* ... and has finished */
	int wait1, wait2;        /* OP_WAIT: the two futex waits; OP_KWAIT: the one */
	shuttle_info_t si;       /* between them */
} srv;

static uint32_t never; /* nobody wakes it */

static void test_proc(void *cookie, const struct door_request *req, struct door_reply *rep)
{
	(void)cookie;
	uint32_t in[2] = {0, 0};
	int32_t answer = 0;
	memcpy(in, req->data, req->size < sizeof in ? req->size : sizeof in);
	if (in[0] == OP_READY) {
		srv.tramp = in[1];
		srv.ready++;
	} else if (in[0] == OP_WAIT || in[0] == OP_KWAIT) {
		srv.waiting = 1;
		srv.wait1 = futex_wait(&never, 0, 5000);
		shuttle_info(&srv.si);
		srv.wait2 = in[0] == OP_WAIT ? futex_wait(&never, 0, 5000) : 0;
		srv.done = 1;
		answer = 42;
	}
	memcpy(rep->buf, &answer, sizeof answer);
	rep->data = rep->buf;
	rep->size = sizeof answer;
}

/* ------------------------------------------------------------ children */

static int dm, watch, testdoor;

/* A sigchild domain playing role, with the test door as its start door;
 * returns its door, and its id in *id. */
static int start_child(const char *role, uint32_t *id)
{
	char args[64];
	snprintf(args, sizeof args, "sigchild %s", role);
	int dom = dm_create(dm, role, 0);
	if (dom < 0)
		return dom;
	struct kobj_load_out at;
	uint32_t size = (uint32_t)(_binary_sigchild_elf_end - _binary_sigchild_elf_start);
	int err = dom_load(dom, _binary_sigchild_elf_start, size, args, &at);
	int sd = err >= 0 ? dom_give(dom, testdoor) : err;
	err = sd < 0 ? sd : dom_watch(dom, watch);
	struct kobj_thread_in t = {at.entry, at.esp, at.argp, (uint32_t)sd};
	if (err >= 0)
		err = dom_thread(dom, &t);
	struct kobj_info_out info = {0, 0};
	if (err >= 0)
		err = dom_info(dom, &info);
	*id = info.id;
	return err < 0 ? err : dom;
}

/* Waits (up to 5 s) until the children have said ready n times, then
 * gives the one that did 50 ms to start waiting. */
static int await_ready(int n)
{
	for (int tries = 0; tries < 500 && srv.ready < n; tries++)
		sleep_ms(10);
	sleep_ms(50);
	return srv.ready >= n;
}

static int await_flag(volatile int *flag)
{
	for (int tries = 0; tries < 500 && !*flag; tries++)
		sleep_ms(10);
	sleep_ms(20);
	return *flag;
}

/* Runs sigchild role, signalling it once each time it says ready (times
 * readies); returns its end notice. */
static const struct kobj_notice *run_signalled(const char *role, int times)
{
	uint32_t id;
	int dom = start_child(role, &id), err = dom < 0 ? dom : 0;
	for (int i = 0; i < times && err == 0; i++) {
		err = await_ready(srv.ready + 1) ? 0 : -ETIMEDOUT;
		if (err == 0)
			err = kobj_signal(dom, srv.tramp, SIG_TEST);
	}
	const struct kobj_notice *n = err ? NULL : notice_for(id, END_WAIT_MS);
	if (err)
		printf("sigtest: %s: error %d (%s)\n", role, err, strerror(err));
	if (dom >= 0)
		door_close(dom);
	return n;
}

static int exited_with(const struct kobj_notice *n, int status)
{
	return n && n->cause == KOBJ_END_EXIT && n->status == status;
}

static void check_children(void)
{
	const struct kobj_notice *n = run_signalled("sleep", 1);
	check("a signal interrupts a sleep: -EINTR, the handler ran, registers kept",
	      exited_with(n, 0), "notice %s status %d", n ? "yes" : "no", n ? n->status : -1);
	n = run_signalled("futex", 2);
	check("a signal interrupts a futex wait (int $0x80 and sysenter)", exited_with(n, 0),
	      "notice %s status %d", n ? "yes" : "no", n ? n->status : -1);

	/* busy: signals queue until -EAGAIN; every one runs its handler */
	uint32_t id;
	int posted = 0, err = 0;
	int dom = start_child("busy", &id);
	if (dom >= 0 && await_ready(srv.ready + 1))
		while (posted < 20 && (err = kobj_signal(dom, srv.tramp, SIG_TEST)) == 0)
			posted++;
	n = notice_for(id, END_WAIT_MS);
	check("signals to a busy loop (the timer's way out) queue up to the limit, then -EAGAIN",
	      err == -EAGAIN && posted == KOBJ_SIGNAL_QUEUE, "%d posted, then %d", posted, err);
	check("every queued signal is delivered, registers kept", exited_with(n, 100 + posted),
	      "notice %s status %d, posted %d", n ? "yes" : "no", n ? n->status : -1, posted);
	err = kobj_signal(dom, srv.tramp, SIG_TEST);
	check("signalling an ended domain: -ESRCH", err == -ESRCH, "got %d", err);
	door_close(dom);
}

/* A signal in a fast door call: the server's futex wait returns -EINTR,
 * its shuttle says interrupted, its next wait fails at once; the caller
 * gets the reply, then its handler. */
static void check_call(void)
{
	uint32_t id;
	srv.waiting = srv.done = 0;
	int dom = start_child("call", &id), err = -1;
	if (dom >= 0 && await_flag(&srv.waiting))
		err = kobj_signal(dom, srv.tramp, SIG_TEST);
	const struct kobj_notice *n = notice_for(id, END_WAIT_MS);
	check("the server waiting for a signalled caller: -EINTR, shuttle interrupted",
	      err == 0 && srv.done && srv.wait1 == -EINTR && srv.si.interrupted == 1 &&
	              srv.wait2 == -EINTR,
	      "signal %d, waits %d then %d, interrupted %u", err, srv.wait1, srv.wait2,
	      srv.si.interrupted);
	check("a signal in a fast door call arrives after the reply", exited_with(n, 0),
	      "notice %s status %d", n ? "yes" : "no", n ? n->status : -1);
	door_close(dom);
}

static void check_killed(void)
{
	uint32_t id;
	srv.waiting = srv.done = 0;
	int dom = start_child("killed", &id), err = -1;
	if (dom >= 0 && await_flag(&srv.waiting))
		err = dom_kill(dom, 7);
	const struct kobj_notice *n = notice_for(id, END_WAIT_MS);
	await_flag(&srv.done);
	check("the server waiting for a killed caller: -EINTR, shuttle alerted",
	      err == 0 && srv.done && srv.wait1 == -EINTR && srv.si.alerted == 1,
	      "kill %d, wait %d, alerted %u", err, srv.wait1, srv.si.alerted);
	check("the killed caller's notice", n && n->cause == KOBJ_END_KILLED && n->status == 7,
	      "notice %s cause %u", n ? "yes" : "no", n ? n->cause : 0);
	door_close(dom);
}

static void check_stack(void)
{
	const struct kobj_notice *n = run_signalled("stack", 1);
	check("a signal with no stack for its frame kills the domain as a fault",
	      n && n->cause == KOBJ_END_FAULT && n->status == 14 && n->addr == 0x1fd0,
	      "notice %s cause %u status %d addr %#x", n ? "yes" : "no", n ? n->cause : 0,
	      n ? n->status : 0, n ? n->addr : 0);
}

static void check_bad_requests(void)
{
	int dom = dm_create(dm, "empty", 0);
	int err = kobj_signal(dom, 0x08048000, 1);
	check("signalling a domain with no thread: -ESRCH", err == -ESRCH, "got %d", err);
	door_close(dom);
	uint32_t id;
	srv.waiting = 0;
	dom = start_child("killed", &id); /* waits in a call until killed */
	await_flag(&srv.waiting);
	int e1 = kobj_signal(dom, 0xc0001000u, 1), e2 = kobj_signal(dom, 0, 1);
	uint32_t small = 1;
	int e3 = kobj_invoke(dom, DOM_SIGNAL, &small, sizeof small, NULL, 0, -1, NULL);
	check("DOM_SIGNAL refuses nucleus and null eips (-EFAULT) and short input (-EINVAL)",
	      e1 == -EFAULT && e2 == -EFAULT && e3 == -EINVAL, "got %d %d %d", e1, e2, e3);
	dom_kill(dom, 0);
	notice_for(id, END_WAIT_MS);
	door_close(dom);
}

/* ---------------------------------------------------------- sigreturn */

/* A frame with a value in every register that lands at sig_landing on a
 * scratch stack, with flags. */
static struct sprig_sigframe good_frame(uint32_t eflags)
{
	static uint32_t scratch[64] __attribute__((aligned(16)));
	return (struct sprig_sigframe){0xa1,
	                               0xc1,
	                               0xd1,
	                               0xb1,
	                               (uint32_t)&scratch[60],
	                               0xe1,
	                               0x51,
	                               0xd2,
	                               (uint32_t)sig_landing,
	                               eflags,
	                               0};
}

static void check_sigreturn(int sysenter)
{
	const char *how = sysenter ? "sysenter" : "int $0x80";
	char what[120];
	struct sprig_sigframe f = good_frame(0x202);
	int e1 = sig_return_to(NULL, sysenter), e2 = sig_return_to((void *)0xc0001000, sysenter),
	    e3 = sig_return_to((void *)0x2000, sysenter);
	snprintf(what, sizeof what, "sigreturn (%s) of a null, nucleus or unmapped frame: -EFAULT",
	         how);
	check(what, e1 == -EFAULT && e2 == -EFAULT && e3 == -EFAULT, "got %d %d %d", e1, e2, e3);
	f.eip = 0xc0100000u;
	e1 = sig_return_to(&f, sysenter);
	f.eip = 0xffffffffu;
	e2 = sig_return_to(&f, sysenter);
	snprintf(what, sizeof what, "sigreturn (%s) to a nucleus eip: -EFAULT", how);
	check(what, e1 == -EFAULT && e2 == -EFAULT, "got %d %d", e1, e2);

	/* CF ZF OF DF come back; IOPL 3, NT, RF and VM never do; IF is set */
	f = good_frame(0x202 | 0x1 | 0x40 | 0x800 | 0x400 | 0x3000 | 0x4000 | 0x10000 | 0x20000);
	int r = sig_return_to(&f, sysenter);
	const uint32_t *o = sig_out;
	int regs = o[0] == f.eax && o[1] == f.ebx && o[2] == f.ecx && o[3] == f.edx &&
	           o[4] == f.esi && o[5] == f.edi && o[6] == f.ebp && o[7] == f.esp;
	uint32_t fl = o[9];
	snprintf(what, sizeof what, "sigreturn (%s) restores every register and the user's flags",
	         how);
	check(what, r == 0 && regs && (fl & 0xcc1) == 0xc41 && (fl & 0x200),
	      "returned %d, regs %s, eflags %#x", r, regs ? "ok" : "changed", fl);
	snprintf(what, sizeof what, "sigreturn (%s) never gives IOPL, NT, RF or VM", how);
	check(what, r == 0 && !(fl & (0x3000 | 0x4000 | 0x10000 | 0x20000)), "eflags %#x", fl);
}

int main(int argc, char **argv)
{
	(void)argc, (void)argv;
	check_start("sigtest", CHECK_COLON);
	dm = sprig_start_door;
	check("the first module holds the domain manager", dm >= 0, "start door %d", dm);
	if (dm < 0)
		return 1;
	check_futexes();
	watch = door_create(notice_proc, NULL, 0);
	testdoor = door_create(test_proc, NULL, 0);
	check("our doors and pool", watch >= 0 && testdoor >= 0 && door_pool_start(3) == 0,
	      "watch %d test %d", watch, testdoor);
	check_children();
	check_call();
	check_killed();
	check_stack();
	check_bad_requests();
	check_sigreturn(0);
	if (sprig_has_sysenter)
		check_sigreturn(1);
	printf("sigtest: %d of %d checks passed\n", checks - failures, checks);
	return failures ? 1 : 0;
}
