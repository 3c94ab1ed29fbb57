/* SPDX-License-Identifier: MIT */
/*
 * fuzz ROLE [SEED CALLS]: a hostile domain throwing random system calls and
 * door calls at the nucleus (tests/system/t_fuzz.sh, `make fuzz`).
 *
 *   server   a well-behaved server: publishes fuzz.echo and serves it
 *            until fuzz.quit is called
 *   attack   CALLS rounds from SEED. Each round makes one hostile call,
 *            through sysenter or int $0x80, with random numbers, ids,
 *            pointers (null, nucleus, unmapped, misaligned, our own),
 *            sizes and door_arg_t contents, and odd CPU state: DF, AC and
 *            NT set (and TF on sysenter), DS/ES/FS/GS null or the code
 *            selector, the sysenter return stack pointing anywhere. A second thread keeps
 *            duplicating, closing and revoking doors meanwhile. Every 256
 *            rounds the server must still answer an echo correctly.
 *
 * Calls that would end the domain or park its thread for good (exit,
 * thread exit, door return and bind, threads at random addresses, doors
 * with random entries) are left out: the point is that everything else
 * gets an answer. Prints "fuzz: N calls (...)" and the server's record.
 */
#include "lib/doors/doors.h"

static uint32_t rng;

static uint32_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 17;
	rng ^= rng << 5;
	return rng;
}

/* ------------------------------------------------------------- server */

static volatile int quit;

static void echo_proc(void *cookie, const struct door_request *req, struct door_reply *rep)
{
	(void)cookie;
	rep->data = req->data;
	rep->size = req->size;
}

static void quit_proc(void *cookie, const struct door_request *req, struct door_reply *rep)
{
	(void)cookie, (void)req;
	quit = 1;
	rep->size = 0;
}

static int role_server(void)
{
	int echo = door_create(echo_proc, NULL, 0), q = door_create(quit_proc, NULL, 0);
	if (echo < 0 || q < 0 || door_pool_start(2) < 0 || name_publish("fuzz.echo", echo) < 0 ||
	    name_publish("fuzz.quit", q) < 0) {
		printf("fuzz server: cannot serve\n");
		return 1;
	}
	while (!quit)
		sleep_ms(20);
	return 0;
}

/* ------------------------------------------------------------- attack */

static char scratch[8192] __attribute__((aligned(4096)));
static int keep[4]; /* ids the attacker must not close: the server's doors */
static int quit_id; /* the server's fuzz.quit: called once, at the end */

static int kept(uint32_t id)
{
	for (int k = 0; k < 4; k++)
		if (id == (uint32_t)keep[k] || id == (uint32_t)quit_id)
			return 1;
	return 0;
}
static volatile uint32_t saved_esp;

/* An address to hand the nucleus: null, nucleus, unmapped, wrapping,
 * misaligned, or ours (scratch, possibly filled with junk). */
static uint32_t any_pointer(void)
{
	static const uint32_t bad[] = {0,          1,          0xC0000000, 0xC0100000, 0xFFFFFFFC,
	                               0xBFFFFFFF, 0x70000000, 0x00000FFF, 0x08048000, 0xDEADBEEF};
	uint32_t r = rnd();
	if (r % 3 == 0)
		return bad[(r >> 8) % (sizeof bad / sizeof bad[0])];
	uint32_t off = (r >> 4) % (sizeof scratch - 64);
	if (r & 0x100)
		for (int i = 0; i < 64; i++)
			scratch[off + i] = (char)rnd();
	return (uint32_t)(uintptr_t)scratch + off;
}

static uint32_t any_size(void)
{
	static const uint32_t sizes[] = {0,    1,     4,       15,        16,         17,
	                                 4096, 65536, 0x40001, 0x1000001, 0x7FFFFFFF, 0xFFFFFFFF};
	uint32_t r = rnd();
	return r & 1 ? sizes[(r >> 1) % (sizeof sizes / sizeof sizes[0])] : r % 300;
}

static uint32_t any_id(void)
{
	uint32_t r = rnd();
	switch (r % 4) {
	case 0: return r >> 8;                     /* anything */
	case 1: return (r >> 8) & 0xff;            /* a slot, generation 0 */
	case 2: return keep[(r >> 8) % 4];         /* a real one */
	default: return (uint32_t) - (int)(r & 7); /* small negatives */
	}
}

/* The system calls the fuzzer may make with any arguments. */
static uint32_t any_call(void)
{
	static const uint32_t ok[] = {SYS_NULL,         SYS_CONSOLE_WRITE,
	                              SYS_YIELD,        SYS_SLEEP,
	                              SYS_TIME,         SYS_THREAD_SELF,
	                              SYS_DOOR_CALL,    SYS_DOOR_INFO,
	                              SYS_DOOR_REVOKE,  SYS_DOOR_PULL,
	                              SYS_DOOR_DUP,     SYS_DOOR_CLOSE,
	                              SYS_SHUTTLE_INFO, SYS_VM_ALLOC,
	                              SYS_VM_FREE,      SYS_NAME_PUBLISH,
	                              SYS_NAME_LOOKUP,  SYS_FUTEX_WAIT,
	                              SYS_FUTEX_WAKE,   SYS_SIGRETURN,
	                              SYS_COUNT,        1000,
	                              0x7FFFFFFF};
	return ok[rnd() % (sizeof ok / sizeof ok[0])];
}

/* Arguments for call nr that stay within what the fuzzer survives. */
static void any_args(uint32_t nr, uint32_t a[4])
{
	for (int i = 0; i < 4; i++)
		a[i] = rnd() & 1 ? any_pointer() : any_size();
	switch (nr) {
	case SYS_SLEEP: a[0] = (rnd() & 63) == 0; break;    /* now and then, a tick */
	case SYS_NAME_LOOKUP: a[1] = 0; break;              /* no waiting */
	case SYS_FUTEX_WAIT: a[2] = 1 + (rnd() & 1); break; /* never long: a tick or two */
	case SYS_SIGRETURN: /* a frame it would take would send us anywhere: bad ones only */
		a[0] = rnd() & 1 ? USER_TOP + (rnd() & 0x3fffffff) : rnd() & 0xfff;
		break;
	case SYS_CONSOLE_WRITE: /* readable junk would garble the log: bad pointers only */
		if (a[0] >= USER_BASE && a[0] < USER_TOP)
			a[1] = 0;
		break;
	case SYS_DOOR_CALL:
		a[0] = any_id();
		if (a[0] == (uint32_t)quit_id)
			a[0] = (uint32_t)keep[0];
		break;
	case SYS_DOOR_INFO:
	case SYS_DOOR_DUP: a[0] = any_id(); break;
	case SYS_DOOR_CLOSE:
	case SYS_DOOR_REVOKE:
		a[0] = any_id();
		if (kept(a[0]))
			a[0] = 0xfff; /* never the server's doors */
		break;
	}
}

/* A door_arg_t of junk in scratch, for SYS_DOOR_CALL, and the tails a
 * door_pieces_t adds after it (DOOR_CALL_PIECES). */
static uint32_t any_door_arg(void)
{
	door_pieces_t *x = (door_pieces_t *)(scratch + 4096);
	door_arg_t *a = &x->arg;
	a->data_ptr = (void *)(uintptr_t)any_pointer();
	a->data_size = any_size();
	a->desc_ptr = (door_desc_t *)(uintptr_t)any_pointer();
	a->desc_num = rnd() % 12;
	a->rbuf = (void *)(uintptr_t)any_pointer();
	a->rsize = any_size();
	a->rdesc = (door_desc_t *)(uintptr_t)any_pointer();
	a->rdesc_num = rnd() % 12;
	x->tail_ptr = (void *)(uintptr_t)any_pointer();
	x->tail_size = any_size();
	x->rtail = (void *)(uintptr_t)any_pointer();
	x->rtail_size = any_size();
	return rnd() % 5 ? (uint32_t)(uintptr_t)a : any_pointer();
}

/* What the raw traps load, in globals: they address them absolutely, as
 * the stack moves under them. */
static volatile uint32_t fz_args[4], fz_flags, fz_seg, fz_esp;

/* int $0x80 with flags and ES/FS/GS as given; everything restored after. */
static uint32_t trap_int80(uint32_t nr, const uint32_t a[4], uint32_t flags, uint32_t seg)
{
	uint32_t eax = nr;
	memcpy((void *)fz_args, a, sizeof fz_args);
	fz_flags = flags, fz_seg = seg;
	__asm__ volatile("pushl %%ebp\n\t"
	                 "pushfl\n\t"
	                 "pushl fz_flags\n\t"
	                 "movl fz_args+12, %%ebp\n\t"
	                 "movl fz_args+8, %%edi\n\t"
	                 "movl fz_args+4, %%esi\n\t"
	                 "movl fz_args, %%ebx\n\t"
	                 "movl fz_seg, %%ecx\n\t"
	                 "movl %%ecx, %%fs\n\t"
	                 "movl %%ecx, %%gs\n\t"
	                 "movl %%ecx, %%es\n\t"
	                 "popfl\n\t"
	                 "int $0x80\n\t"
	                 "movl $0x23, %%ecx\n\t"
	                 "movl %%ecx, %%es\n\t"
	                 "movl %%ecx, %%fs\n\t"
	                 "movl %%ecx, %%gs\n\t"
	                 "popfl\n\t"
	                 "popl %%ebp"
	                 : "+a"(eax)
	                 :
	                 : "ebx", "ecx", "edx", "esi", "edi", "memory", "cc");
	return eax;
}

/* sysenter with flags and DS/ES/FS/GS as given, and the return stack
 * pointer the nucleus is handed set to esp_for_nucleus; our own esp comes
 * back from saved_esp. */
static uint32_t trap_sysenter(uint32_t nr, const uint32_t a[4], uint32_t flags, uint32_t seg,
                              uint32_t esp_for_nucleus)
{
	uint32_t eax = nr;
	memcpy((void *)fz_args, a, sizeof fz_args);
	fz_flags = flags, fz_seg = seg, fz_esp = esp_for_nucleus;
	__asm__ volatile("pushl %%ebp\n\t"
	                 "movl %%esp, saved_esp\n\t"
	                 "pushl fz_flags\n\t"
	                 "movl fz_args+12, %%ebp\n\t"
	                 "movl fz_args+8, %%edi\n\t"
	                 "movl fz_args+4, %%esi\n\t"
	                 "movl fz_args, %%ebx\n\t"
	                 "movl fz_esp, %%ecx\n\t"
	                 "movl fz_seg, %%edx\n\t"
	                 "movl %%edx, %%fs\n\t"
	                 "movl %%edx, %%gs\n\t"
	                 "movl %%edx, %%es\n\t"
	                 "movl %%edx, %%ds\n\t"
	                 "movl $1f, %%edx\n\t"
	                 "popfl\n\t" /* a TF set here traps after sysenter, in the nucleus */
	                 "sysenter\n"
	                 "1:\tmovl $0x23, %%ecx\n\t" /* DS/ES are 0x23 already: the ABI */
	                 "movl %%ecx, %%fs\n\t"
	                 "movl %%ecx, %%gs\n\t"
	                 "movl saved_esp, %%esp\n\t"
	                 "cld\n\t"
	                 "popl %%ebp"
	                 : "+a"(eax)
	                 :
	                 : "ebx", "ecx", "edx", "esi", "edi", "memory", "cc");
	return eax;
}

static uint32_t any_flags(void)
{
	uint32_t r = rnd();
	return 0x202 | (r & 1 ? 0x400 : 0) | (r & 2 ? 0x40000 : 0) | (r & 4 ? 0x4000 : 0) |
	       (r & 8 ? 0xcd5 : 0); /* DF, AC, NT, arithmetic flags */
}

static uint32_t any_segment(int data_too)
{
	static const uint32_t segs[] = {0x23, 0x23, 0x00, 0x1b, 0x03};
	uint32_t s = segs[rnd() % 5];
	return data_too || s == 0x23 ? s : 0x23;
}

static volatile int racing = 1;

/* The second thread: duplicates, closes and revokes doors all the time. */
static void racer(void *arg)
{
	(void)arg;
	while (racing) {
		int id = door_dup(keep[rnd() % 2]);
		if (rnd() & 1)
			door_revoke((int)(rnd() & 0xff));
		if (id >= 0)
			door_close(id);
		int victim = (int)(rnd() & 0xff) | (int)(rnd() & 3) << 8;
		if (!kept((uint32_t)victim))
			door_close(victim);
		yield();
	}
	thread_exit();
}

/* One hostile round. */
static void one_round(void)
{
	uint32_t r = rnd(), a[4], nr;
	if (r % 8 == 0) { /* a raw fast door operation: any id, size, flags */
		nr = DOOR_FAST | (rnd() & 0x7fffffff);
		if ((nr & DOOR_FAST_ID_MASK) == (uint32_t)quit_id)
			nr ^= 0x100; /* another generation: a stale id */
		for (int i = 0; i < 4; i++)
			a[i] = rnd();
	} else {
		nr = any_call();
		any_args(nr, a);
		if (nr == SYS_DOOR_CALL) {
			a[1] = any_door_arg();
			static const uint32_t flags[] = {DOOR_CALL_PIECES,
			                                 DOOR_CALL_PIECES | DOOR_CALL_PULL,
			                                 DOOR_CALL_PULL, 0x80};
			a[2] = rnd() % 3 ? 0 : flags[rnd() % 4];
		}
	}
	uint32_t flags = any_flags();
	if (r & 0x10) {
		uint32_t esp = rnd() & 0x20 ? saved_esp - 64 - (rnd() & 7) : any_pointer();
		if (r & 0x40)
			flags |= 0x100; /* TF: sysenter clears it (int $0x80 would trap after) */
		trap_sysenter(nr, a, flags, any_segment(1), esp);
	} else if (!(nr & DOOR_FAST)) {
		trap_int80(nr, a, flags, any_segment(0));
	}
}

/* The server must answer an echo of a known pattern. */
static int server_answers(int echo, uint32_t round)
{
	uint32_t in[8], out[8] = {0};
	for (int i = 0; i < 8; i++)
		in[i] = round * 8 + (uint32_t)i;
	door_arg_t a = {in, sizeof in, NULL, 0, out, sizeof out, NULL, 0};
	return door_call_general(echo, &a) == 0 && a.data_size == sizeof in &&
	       memcmp(in, out, sizeof in) == 0;
}

static int role_attack(uint32_t seed, uint32_t calls)
{
	static char stack[8192];
	rng = seed ? seed : 1;
	keep[0] = name_lookup("fuzz.echo", 5000);
	quit_id = name_lookup("fuzz.quit", 5000);
	keep[1] = door_dup(keep[0]);
	keep[2] = door_dup(keep[0]);
	keep[3] = keep[0];
	if (keep[0] < 0 || quit_id < 0) {
		printf("fuzz: no server\n");
		return 1;
	}
	thread_create(racer, NULL, stack, sizeof stack);
	struct sprig_time t0, t1;
	sprig_time(&t0);
	uint32_t checks = 0, answered = 0;
	for (uint32_t i = 0; i < calls; i++) {
		one_round();
		if ((i & 255) == 255) {
			checks++;
			answered += server_answers(keep[0], i);
		}
	}
	sprig_time(&t1);
	racing = 0;
	checks++;
	answered += server_answers(keep[0], calls);
	uint64_t ticks = t1.ticks - t0.ticks;
	printf("fuzz: %u calls from seed %u in %u ticks (%u calls per second)\n", calls, seed,
	       (unsigned)ticks, ticks ? (unsigned)((uint64_t)calls * t1.hz / ticks) : 0);
	printf("fuzz: the server answered %u of %u checks\n", answered, checks);
	door_arg_t q = {NULL, 0, NULL, 0, NULL, 0, NULL, 0};
	door_call(quit_id, &q);
	sleep_ms(50);
	return answered == checks ? 0 : 1;
}

int main(int argc, char **argv)
{
	const char *role = argc > 1 ? argv[1] : "";
	if (!strcmp(role, "server"))
		return role_server();
	if (!strcmp(role, "attack"))
		return role_attack(argc > 2 ? (uint32_t)strtoul(argv[2], NULL, 0) : 1,
		                   argc > 3 ? (uint32_t)strtoul(argv[3], NULL, 0) : 10000);
	printf("usage: fuzz server | fuzz attack SEED CALLS\n");
	return 2;
}
