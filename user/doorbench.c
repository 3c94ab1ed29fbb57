/* SPDX-License-Identifier: MIT */
/*
 * doorbench ROLE: the measurements behind `make bench` (docs/measuring.md).
 *
 *   server   serves the benchmark doors (db.*) until told to quit
 *   chain    serves db.mid, which calls the server's db.null (A->B->C->B->A)
 *   client   runs every measurement and prints one line per row:
 *            "bench: NAME,BYTES,ITERATIONS,PER_OP" (PER_OP in TSC ticks)
 *   profile fast|vanilla|bulk N
 *            only N calls of one kind, for tools/profile.sh to single-step;
 *            prints what it did and the TSC ticks per call
 *
 * Under QEMU with -icount shift=0,sleep=off the TSC counts instructions, so
 * the figures are instruction counts (nucleus and user code together).
 */
#include "user/bench.h"
#include "user/counter.h"

/* ---------------------------------------------------------------- doors */

static volatile int quitting;

/* The fast rows' doors are fast procedures (door_create_fast): their
 * words stay in registers from the client to the server and back. */
static DOOR_FAST_PROC uint32_t null_fast(void *cookie, uint32_t w[4], uint32_t size)
{
	(void)cookie, (void)w, (void)size;
	return 0;
}

static DOOR_FAST_PROC uint32_t echo_fast(void *cookie, uint32_t w[4], uint32_t size)
{
	(void)cookie, (void)w;
	return size;
}

/* The same null procedure in the general convention (a door_request). */
static void null_proc(void *cookie, const struct door_request *req, struct door_reply *rep)
{
	(void)cookie, (void)req;
	rep->size = 0;
}

/* Takes the data and answers nothing: the one-way transfer of a row. */
static void sink_proc(void *cookie, const struct door_request *req, struct door_reply *rep)
{
	(void)cookie, (void)req;
	rep->size = 0;
}

/* Hands every door it is given back to the caller, moved. */
static void pass_proc(void *cookie, const struct door_request *req, struct door_reply *rep)
{
	(void)cookie;
	door_desc_t *d = rep->buf;
	for (uint32_t i = 0; i < req->ndesc; i++)
		d[i] = (door_desc_t){req->desc[i].id, DOOR_MOVE};
	rep->size = 0;
	rep->desc = d;
	rep->ndesc = req->ndesc;
}

static void quit_proc(void *cookie, const struct door_request *req, struct door_reply *rep)
{
	(void)cookie, (void)req;
	quitting = 1;
	rep->size = 0;
}

static int mid_next; /* the door db.mid calls */

static DOOR_FAST_PROC uint32_t mid_fast(void *cookie, uint32_t w[4], uint32_t size)
{
	(void)cookie, (void)w, (void)size;
	door_arg_t a = {NULL, 0, NULL, 0, NULL, 0, NULL, 0};
	door_call(mid_next, &a);
	return 0;
}

static void publish(const char *name, int id)
{
	if (id < 0 || name_publish(name, id) < 0)
		printf("doorbench: cannot publish %s\n", name);
}

static void serve(const char *name, door_proc_t proc)
{
	publish(name, door_create(proc, NULL, 0));
}

static void serve_fast(const char *name, door_fast_proc_t proc)
{
	publish(name, door_create_fast(proc, NULL));
}

static int run_server(void)
{
	door_pool_start(2);
	serve_fast("db.null", null_fast);
	serve_fast("db.echo", echo_fast);
	serve("db.nullreq", null_proc);
	serve("db.sink", sink_proc);
	serve("db.pass", pass_proc);
	serve("db.quit", quit_proc);
	while (!quitting)
		sleep_ms(20);
	return 0;
}

static int run_chain(void)
{
	mid_next = name_lookup("db.null", 5000);
	door_pool_start(2); /* one call at a time never takes the last idle thread */
	serve_fast("db.mid", mid_fast);
	serve("db.midquit", quit_proc);
	while (!quitting)
		sleep_ms(20);
	return 0;
}

/* ---------------------------------------------------------- measurement */

static int failures;

/* A row of calls: the call must succeed (checked once, unmeasured), or the
 * row is reported as failed instead of timed. */
#define MEASURE_CALL(name, bytes, iters, call)                                                     \
	do {                                                                                       \
		int err_ = (call);                                                                 \
		if (err_ < 0) {                                                                    \
			printf("bench: %s,%u failed: %s\n", name, bytes, strerror(err_));          \
			failures++;                                                                \
			break;                                                                     \
		}                                                                                  \
		MEASURE(name, bytes, iters, call);                                                 \
	} while (0)

static uint32_t iters_for(uint32_t bytes, uint32_t small)
{
	uint32_t n = (uint32_t)(4u << 20) / (bytes ? bytes : 1);
	return n < 20 ? 20 : n > small ? small : n;
}

static const uint32_t vanilla_sizes[] = {64, 1024, 4096, 16384, 65536};
static const uint32_t bulk_sizes[] = {4096, 16384, 65536, 1048576};

static void bench_copies(int sink, char *src, char *dst)
{
	uint32_t n;
	for (unsigned i = 0; i < sizeof vanilla_sizes / sizeof vanilla_sizes[0]; i++) {
		uint32_t b = vanilla_sizes[i];
		door_arg_t a = {src + 4, b, NULL, 0, NULL, 0, NULL, 0}; /* unaligned: copied */
		n = iters_for(b, 2000);
		/* door_arg_t is in/out: a call leaves data_ptr at rbuf. */
		MEASURE_CALL("door_vanilla", b, n,
		             (a.data_ptr = src + 4, a.data_size = b, door_call(sink, &a)));
		MEASURE("memcpy", b, n, memcpy(dst, src + 4, b));
	}
	for (unsigned i = 0; i < sizeof bulk_sizes / sizeof bulk_sizes[0]; i++) {
		uint32_t b = bulk_sizes[i];
		door_arg_t a = {src, b, NULL, 0, NULL, 0, NULL, 0}; /* aligned: pages shared */
		n = iters_for(b, 1000);
		MEASURE_CALL("door_bulk", b, n,
		             (a.data_ptr = src, a.data_size = b, door_call(sink, &a)));
		if (b > 65536)
			MEASURE("memcpy", b, iters_for(b, 1000), memcpy(dst, src, b));
	}
}

/* Passes our door (moved) and takes it back (moved): d names it again. */
static int pass_back(int pass, door_arg_t *a, door_desc_t *d, door_desc_t *back)
{
	int err = door_call(pass, a);
	d->id = back->id;
	return err;
}

static int run_client(void)
{
	int null = name_lookup("db.null", 5000), echo = name_lookup("db.echo", 5000);
	int pass = name_lookup("db.pass", 5000), mid = name_lookup("db.mid", 5000);
	int nullreq = name_lookup("db.nullreq", 5000);
	if (null < 0 || echo < 0 || pass < 0 || mid < 0 || nullreq < 0) {
		printf("doorbench: a server is missing\n");
		return 1;
	}
	char w16[16] = "0123456789abcdef", r16[16];
	door_arg_t a0 = {NULL, 0, NULL, 0, NULL, 0, NULL, 0};
	door_arg_t a16 = {w16, 16, NULL, 0, r16, 16, NULL, 0};
	MEASURE("null_syscall", 0, 20000, sys_null());
	MEASURE_CALL("door_fast", 0, 5000, door_call(null, &a0));
	MEASURE_CALL("door_fast", 16, 5000, (a16.data_ptr = w16, door_call(echo, &a16)));
	MEASURE_CALL("door_chain3", 0, 3000, door_call(mid, &a0));
	MEASURE_CALL("door_request", 0, 5000, door_call(nullreq, &a0));

	int mine = door_create(null_proc, NULL, 0);
	door_desc_t d = {mine, DOOR_MOVE}, back = {-1, 0};
	door_arg_t ap = {NULL, 0, &d, 1, NULL, 0, &back, 1};
	MEASURE_CALL("door_pass", 0, 2000, pass_back(pass, &ap, &d, &back));

	struct counter local_counter = {0};
	struct counter_none none = {0};
	struct door_binding local;
	door_bind_local(&local, &counter_impl, &local_counter);
	MEASURE("door_colocated", 0, 20000, counter_null(&local, &none, &none));

	char *src = vm_alloc(1 << 21), *dst = vm_alloc(1 << 21);
	memset(src, 'x', 1 << 21);
	memset(dst, 'y', 1 << 21);
	bench_copies(name_lookup("db.sink", 0), src, dst);

	door_call(name_lookup("db.quit", 0), &a0);
	door_call(name_lookup("db.midquit", 0), &a0);
	printf("bench: done\n");
	return failures ? 1 : 0;
}

/* Only one kind of call in a loop (fast: 0 bytes; vanilla: 64 unaligned;
 * bulk: 1 MiB page aligned), for instruction profiles
 * (docs/measuring.md). Not inlined: tools/profile.py breaks on it. */
static __attribute__((noinline)) int run_profile(const char *what, int n)
{
	int null = name_lookup("db.null", 5000), sink = name_lookup("db.sink", 5000);
	door_arg_t a0 = {NULL, 0, NULL, 0, NULL, 0, NULL, 0};
	char *buf = vm_alloc(1 << 20);
	door_arg_t av = {buf + 4, 64, NULL, 0, NULL, 0, NULL, 0};
	door_arg_t ab = {buf, 1 << 20, NULL, 0, NULL, 0, NULL, 0};
	if (strcmp(what, "fast") && strcmp(what, "vanilla") && strcmp(what, "bulk")) {
		printf("doorbench profile: no kind %s (fast, vanilla or bulk)\n", what);
		what = "fast";
	}
	uint64_t t0 = rdtsc();
	if (!strcmp(what, "fast")) {
		for (int i = 0; i < n; i++)
			door_call(null, &a0);
	} else {
		door_arg_t *a = !strcmp(what, "vanilla") ? &av : &ab;
		const void *data = a->data_ptr;
		uint32_t size = a->data_size;
		for (int i = 0; i < n; i++) {
			a->data_ptr = data; /* in/out: reset what the last call changed */
			a->data_size = size;
			door_call(sink, a);
		}
	}
	printf("doorbench profile: %d %s calls, %u TSC ticks each\n", n, what,
	       (unsigned)((rdtsc() - t0) / (uint64_t)(n > 0 ? n : 1)));
	door_call(name_lookup("db.quit", 0), &a0);
	door_call(name_lookup("db.midquit", 0), &a0);
	return 0;
}

int main(int argc, char **argv)
{
	const char *role = argc > 1 ? argv[1] : "client";
	if (!strcmp(role, "profile"))
		return run_profile(argc > 2 ? argv[2] : "fast", argc > 3 ? atoi(argv[3]) : 2000);
	if (!strcmp(role, "server"))
		return run_server();
	if (!strcmp(role, "chain"))
		return run_chain();
	return run_client();
}
