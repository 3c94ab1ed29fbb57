/* SPDX-License-Identifier: MIT */
/*
 * doortest ROLE [ARGS]: door calls end to end, one program in several roles,
 * each a domain of its own (tests/system/t_doors*.sh start them):
 *
 *   server [THREADS]  serves the test doors (published as dt.*) until told
 *                     to quit; THREADS fixes the pool size (no growth)
 *   client            the functional checks: paths, passing, errors, unref
 *   caller-dies       one thread in a slow call while another ends the domain
 *   middle MS         serves dt.mid, which calls dt.slow; dies after MS ms
 *   chain             calls dt.mid (A -> B -> C) and expects B's death as -EINTR
 *   fifo N            N threads call dt.slow at once; checks all are served in order
 *   holder            takes a reference to dt.held and exits without closing it
 *   die               calls dt.die, whose server exits mid-call
 *   quit [MS]         waits MS ms, then tells the server to quit
 *
 * Each check prints "doortest: NAME: ok" or "... FAIL: why"; a role ends with
 * "doortest ROLE: N of M checks passed" and exits 0 only if all passed.
 */
#include "user/counter.h"

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
		printf("doortest: %s: ok\n", what);
	} else {
		failures++;
		printf("doortest: %s: FAIL: %s\n", what, why);
	}
}

static int finish(const char *role)
{
	printf("doortest %s: %d of %d checks passed\n", role, checks - failures, checks);
	return failures ? 1 : 0;
}

static uint64_t ticks_now(void)
{
	struct sprig_time t;
	sprig_time(&t);
	return t.ticks;
}

static int lookup(const char *name)
{
	int id = name_lookup(name, 5000);
	if (id < 0)
		printf("doortest: lookup %s: %s\n", name, strerror(id));
	return id;
}

/* A call with small in and out structs through door_call. */
static int call_small(int id, const void *in, uint32_t in_size, void *out, uint32_t out_size)
{
	door_arg_t a = {in, in_size, NULL, 0, out, out_size, NULL, 0};
	int err = door_call(id, &a);
	return err < 0 ? err : (int)a.data_size;
}

/* ---------------------------------------------------------------- server */

struct probe_out {
	uint32_t flags, size, sum;
};

struct slow_in {
	uint32_t ms, index;
};

static char small_buf[70000];
static char out_buf[70000];

static struct {
	struct counter counter;
	struct door_served counter_served;
	int unref, unrefm, unref_held;
	int deep_id, revokable_id;
	int order[64];
	int norder;
	volatile int quit;
} server;

static uint32_t checksum(const void *data, uint32_t size)
{
	const unsigned char *p = data;
	uint32_t sum = 0;
	for (uint32_t i = 0; i < size; i++)
		sum = sum * 31 + p[i];
	return sum;
}

static void reply_words(struct door_reply *rep, const void *data, uint32_t size)
{
	memcpy(rep->buf, data, size);
	rep->data = rep->buf;
	rep->size = size;
}

static void echo_proc(void *cookie, const struct door_request *req, struct door_reply *rep)
{
	(void)cookie;
	rep->data = req->data; /* still valid while the return copies or maps it */
	rep->size = req->size;
}

/* Answers the data followed by 8 bytes of 0xa5: always more than it got. */
static void pad_proc(void *cookie, const struct door_request *req, struct door_reply *rep)
{
	(void)cookie;
	memcpy(rep->buf, req->data, req->size);
	memset((char *)rep->buf + req->size, 0xa5, 8);
	rep->data = rep->buf;
	rep->size = req->size + 8;
}

/* Answers the data it got in two pieces: the first k bytes (k is the
 * first word) from its reply buffer, the rest as the reply's tail straight
 * from where the call landed. */
static void split_proc(void *cookie, const struct door_request *req, struct door_reply *rep)
{
	(void)cookie;
	uint32_t k = 0;
	if (req->size >= sizeof k)
		memcpy(&k, req->data, sizeof k);
	if (k > req->size || k > rep->cap)
		k = req->size < rep->cap ? req->size : rep->cap;
	memcpy(rep->buf, req->data, k);
	rep->data = rep->buf;
	rep->size = k;
	rep->tail = (const char *)req->data + k;
	rep->tail_size = req->size - k;
}

/* Answers a tail that is not the server's to give: by the first word,
 * 1: NULL, 2: nucleus memory, 3: more than any call may carry. */
static void badtail_proc(void *cookie, const struct door_request *req, struct door_reply *rep)
{
	(void)cookie;
	static const uint32_t addr[] = {0, 0, 0xC0000000u, (uint32_t)(uintptr_t)small_buf};
	static const uint32_t size[] = {0, 10, 10, DOOR_BULK_MAX + 1};
	uint32_t k = 0;
	if (req->size >= sizeof k)
		memcpy(&k, req->data, sizeof k);
	k = k < 4 ? k : 0;
	rep->data = req->data;
	rep->size = 4;
	rep->tail = (const void *)(uintptr_t)addr[k];
	rep->tail_size = size[k];
}

/* A lock the reply lets go (door_result_t.release): the first word asks
 * 1: take it and answer 64 bytes under it; 2: answer its word as it is;
 * 3: a release word in nucleus memory; 4: one not 4-byte aligned. */
static uint32_t held_lock, held_words[17];
static void held_proc(void *cookie, const struct door_request *req, struct door_reply *rep)
{
	(void)cookie;
	uint32_t k = 0;
	if (req->size >= sizeof k)
		memcpy(&k, req->data, sizeof k);
	rep->data = held_words; /* 64 bytes: by door_result_t, which carries release */
	rep->size = k == 2 ? 4 : 64;
	held_words[0] = held_lock;
	if (k == 1)
		held_lock = 1, rep->release = &held_lock;
	else if (k == 3)
		rep->release = (uint32_t *)0xC0000000u;
	else if (k == 4)
		rep->release = (uint32_t *)(void *)((char *)&held_words[16] + 1);
}

/* Pulls the tail the caller left (DOOR_CALL_PULL) in two halves, the
 * second first, and answers {entry flags, pulled size, checksum}; with no
 * tail to pull, answers what door_pull says. */
static void pull_proc(void *cookie, const struct door_request *req, struct door_reply *rep)
{
	(void)cookie;
	static char got[DOOR_VANILLA_MAX];
	struct probe_out o = {req->flags, req->pull, 0};
	uint32_t half = req->pull / 2;
	int e2 = door_pull(half, got + half, req->pull - half);
	int e1 = door_pull(0, got, half);
	int past = door_pull(req->pull, got, 1); /* one byte past the end */
	if (e1 < 0 || e2 < 0 || past != -EINVAL || req->pull > sizeof got)
		o.sum = (uint32_t)(e1 < 0 ? e1 : e2 < 0 ? e2 : past == -EINVAL ? -E2BIG : past);
	else
		o.sum = checksum(got, req->pull);
	reply_words(rep, &o, sizeof o);
}

/* Takes the data, answers nothing. */
static void sink_proc(void *cookie, const struct door_request *req, struct door_reply *rep)
{
	(void)cookie, (void)req;
	rep->size = 0;
}

static void probe_proc(void *cookie, const struct door_request *req, struct door_reply *rep)
{
	(void)cookie;
	struct probe_out o = {req->flags, req->size, checksum(req->data, req->size)};
	reply_words(rep, &o, sizeof o);
}

/* Calls the door it is given with its 4-byte argument, then hands the door
 * back (moved) with the result. */
static void relay_proc(void *cookie, const struct door_request *req, struct door_reply *rep)
{
	(void)cookie;
	int32_t result = -EINVAL;
	if (req->ndesc == 1 && req->size == 4) {
		int32_t out;
		int n = call_small(req->desc[0].id, req->data, 4, &out, sizeof out);
		result = n == 4 ? out : n;
	}
	door_desc_t *d = (door_desc_t *)((char *)rep->buf + 8);
	*d = (door_desc_t){req->ndesc ? req->desc[0].id : -1, DOOR_MOVE};
	reply_words(rep, &result, sizeof result);
	rep->desc = d;
	rep->ndesc = req->ndesc ? 1 : 0;
}

/* Calls itself one level deeper until the nucleus refuses; answers
 * {depth reached, the refusal}. */
static void deep_proc(void *cookie, const struct door_request *req, struct door_reply *rep)
{
	(void)cookie;
	int32_t depth = *(const int32_t *)req->data + 1, out[2];
	int n = call_small(server.deep_id, &depth, sizeof depth, out, sizeof out);
	if (n < 0) {
		out[0] = depth;
		out[1] = n;
	}
	reply_words(rep, out, sizeof out);
}

static void unref_proc(void *cookie, const struct door_request *req, struct door_reply *rep)
{
	int *count = cookie;
	if (req->flags & DOOR_ENTRY_UNREF)
		__atomic_fetch_add(count, 1, __ATOMIC_SEQ_CST);
	rep->size = 0;
}

static void query_proc(void *cookie, const struct door_request *req, struct door_reply *rep)
{
	(void)cookie, (void)req;
	int32_t o[3] = {server.unref, server.unrefm, server.unref_held};
	reply_words(rep, o, sizeof o);
}

static void revokable_proc(void *cookie, const struct door_request *req, struct door_reply *rep)
{
	(void)cookie;
	sleep_ms(*(const uint32_t *)req->data);
	int32_t r = door_revoke(server.revokable_id);
	reply_words(rep, &r, sizeof r);
}

static void die_proc(void *cookie, const struct door_request *req, struct door_reply *rep)
{
	(void)cookie, (void)req, (void)rep;
	printf("doortest server: dying in the middle of a call, as asked\n");
	exit(9);
}

static void slow_proc(void *cookie, const struct door_request *req, struct door_reply *rep)
{
	(void)cookie;
	struct slow_in in;
	memcpy(&in, req->data, sizeof in);
	int n = __atomic_fetch_add(&server.norder, 1, __ATOMIC_SEQ_CST);
	if (n < 64)
		server.order[n] = (int)in.index;
	sleep_ms(in.ms);
	shuttle_info_t si;
	shuttle_info(&si);
	if (si.alerted)
		printf("doortest server: slow call %u finished with its caller gone (alerted)\n",
		       in.index);
	reply_words(rep, &in.index, sizeof in.index);
}

static void order_proc(void *cookie, const struct door_request *req, struct door_reply *rep)
{
	(void)cookie, (void)req;
	int n = server.norder < 64 ? server.norder : 64;
	reply_words(rep, server.order, (uint32_t)n * sizeof(int));
	server.norder = 0;
}

/* Burns three timer ticks, then reports the shuttle it ran on. */
static void spin_proc(void *cookie, const struct door_request *req, struct door_reply *rep)
{
	(void)cookie, (void)req;
	uint64_t until = ticks_now() + 3;
	while (ticks_now() < until)
		;
	shuttle_info_t si;
	shuttle_info(&si);
	reply_words(rep, &si, sizeof si);
}

static void quit_proc(void *cookie, const struct door_request *req, struct door_reply *rep)
{
	(void)cookie, (void)req;
	server.quit = 1;
	rep->size = 0;
}

static void publish(const char *name, door_proc_t proc, void *cookie, uint32_t flags, int *idp)
{
	int id = door_create(proc, cookie, flags);
	if (id >= 0)
		id = name_publish(name, id) < 0 ? -1 : id;
	if (id < 0)
		printf("doortest server: cannot publish %s\n", name);
	if (idp)
		*idp = id;
}

static int run_server(int threads)
{
	server.counter_served = (struct door_served){&counter_impl, &server.counter, NULL};
	if (threads)
		door_pool_limit(threads);
	door_pool_start(threads ? threads : 2);
	publish("dt.counter", counter_dispatch, &server.counter_served, 0, NULL);
	publish("dt.echo", echo_proc, NULL, 0, NULL);
	publish("dt.pad", pad_proc, NULL, 0, NULL);
	publish("dt.probe", probe_proc, NULL, 0, NULL);
	publish("dt.sink", sink_proc, NULL, 0, NULL);
	publish("dt.split", split_proc, NULL, 0, NULL);
	publish("dt.badtail", badtail_proc, NULL, 0, NULL);
	publish("dt.locked", held_proc, NULL, 0, NULL);
	publish("dt.pull", pull_proc, NULL, 0, NULL);
	publish("dt.relay", relay_proc, NULL, 0, NULL);
	publish("dt.deep", deep_proc, NULL, 0, &server.deep_id);
	publish("dt.unref", unref_proc, &server.unref, DOOR_UNREF, NULL);
	publish("dt.unrefm", unref_proc, &server.unrefm, DOOR_UNREF_MULTI, NULL);
	publish("dt.held", unref_proc, &server.unref_held, DOOR_UNREF, NULL);
	publish("dt.query", query_proc, NULL, 0, NULL);
	publish("dt.revokable", revokable_proc, NULL, 0, &server.revokable_id);
	publish("dt.die", die_proc, NULL, 0, NULL);
	publish("dt.slow", slow_proc, NULL, 0, NULL);
	publish("dt.order", order_proc, NULL, 0, NULL);
	publish("dt.quit", quit_proc, NULL, 0, NULL);
	publish("dt.spin", spin_proc, NULL, 0, NULL);
	printf("doortest server: ready with %d threads\n", door_pool_threads());
	while (!server.quit)
		sleep_ms(20);
	printf("doortest server: quitting\n");
	return 0;
}

/* ---------------------------------------------------------------- client */

static void check_counter(void)
{
	struct door_binding remote, local;
	struct counter mine = {0};
	struct counter_value v = {0};
	struct counter_none none = {0};
	door_bind_remote(&remote, lookup("dt.counter"));
	door_bind_local(&local, &counter_impl, &mine);
	int e1 = counter_add(&remote, &(struct counter_add_in){5}, &v);
	int e2 = counter_add(&remote, &(struct counter_add_in){-2}, &v);
	check("counter stub, remote (fast path)", e1 == 0 && e2 == 0 && v.value == 3,
	      "errors %d %d, value %d", e1, e2, v.value);
	e1 = counter_add(&local, &(struct counter_add_in){5}, &v);
	e2 = counter_add(&local, &(struct counter_add_in){-2}, &v);
	check("counter stub, co-located", e1 == 0 && e2 == 0 && v.value == 3 && mine.value == 3,
	      "errors %d %d, value %d", e1, e2, v.value);
	e1 = counter_get(&remote, &none, &v);
	check("counter get", e1 == 0 && v.value == 3, "error %d value %d", e1, v.value);

	door_close(remote.id);
}

/* What one call gave: its result, the size it reported and the bytes. */
struct call_outcome {
	int err;
	uint32_t size;
	unsigned char out[16];
};

static struct call_outcome call_via(int general, int id, const void *in, uint32_t in_size,
                                    uint32_t rsize)
{
	struct call_outcome o;
	memset(&o, 0x5a, sizeof o);
	door_arg_t a = {in, in_size, NULL, 0, o.out, rsize, NULL, 0};
	o.err = general ? door_call_general(id, &a) : door_call(id, &a);
	o.size = a.data_size;
	return o;
}

/* Makes the same call through the fast entry (door_call with buffers of
 * 16 bytes or less takes it) and the general one; both must give the same
 * result, reported size and bytes. Returns 0, or says what differed. */
static int same_outcome(int id, uint32_t in_size, uint32_t rsize, char *why, size_t n)
{
	unsigned char in[16];
	for (uint32_t i = 0; i < sizeof in; i++)
		in[i] = (unsigned char)(0x31 + i * 17);
	struct call_outcome f = call_via(0, id, in, in_size, rsize);
	struct call_outcome g = call_via(1, id, in, in_size, rsize);
	uint32_t got = f.err == 0 && f.size <= rsize ? f.size : 0;
	if (f.err == g.err && f.size == g.size && memcmp(f.out, g.out, got) == 0)
		return 0;
	snprintf(why, n, "door %d, %u bytes in, room for %u: fast %d size %u, general %d size %u",
	         id, in_size, rsize, f.err, f.size, g.err, g.size);
	return -1;
}

/* The fast and the general entry agree on every answer and every error:
 * all sizes up to 16 bytes both ways, results larger than the room given,
 * unknown and closed doors. */
static void check_entries_agree(void)
{
	int echo = lookup("dt.echo"), pad = lookup("dt.pad");
	int closed = door_dup(echo);
	door_close(closed);
	char why[160] = "";
	int bad = 0;
	for (uint32_t size = 0; size <= 16 && !bad; size++) {
		bad = same_outcome(echo, size, 16, why, sizeof why) ||
		      same_outcome(pad, size, 16, why, sizeof why) ||
		      same_outcome(echo, size, size / 2, why, sizeof why);
	}
	check("fast and general entries agree on answers", !bad, "%s", why);
	bad = same_outcome(4000, 4, 4, why, sizeof why) ||
	      same_outcome(closed, 4, 4, why, sizeof why);
	check("fast and general entries agree on errors", !bad, "%s", why);
	struct call_outcome f = call_via(0, pad, "abcdefghij", 10, 16);
	check("a reply too big for the fast path: -ERANGE with the size needed",
	      f.err == -ERANGE && f.size == 18, "error %d size %u", f.err, f.size);
}

/* Sends size bytes (aligned or not) through dt.probe and dt.echo; checks
 * the path the server saw and the bytes that came back. */
static void check_transfer(int probe, int echo, char *buf, uint32_t size, uint32_t want_flags,
                           const char *what)
{
	for (uint32_t i = 0; i < size; i++)
		buf[i] = (char)(i * 7 + size);
	struct probe_out p = {0, 0, 0};
	door_arg_t a = {buf, size, NULL, 0, &p, sizeof p, NULL, 0};
	int e = door_call_general(probe, &a);
	uint32_t flags = p.flags & (DOOR_ENTRY_REGS | DOOR_ENTRY_BULK);
	char name[80];
	snprintf(name, sizeof name, "%s %u bytes: server saw the data", what, size);
	check(name, e == 0 && p.size == size && p.sum == checksum(buf, size) && flags == want_flags,
	      "error %d size %u flags %#x (want %#x)", e, p.size, flags, want_flags);
	char *out = size > sizeof out_buf ? vm_alloc(size) : out_buf;
	a = (door_arg_t){buf, size, NULL, 0, out, size, NULL, 0};
	e = door_call(echo, &a);
	snprintf(name, sizeof name, "%s %u bytes: echoed back", what, size);
	check(name, e == 0 && a.data_size == size && memcmp(out, buf, size) == 0,
	      "error %d size %u", e, a.data_size);
	if (out != out_buf) {
		out[0] ^= 1; /* a write to shared pages gets a private copy */
		check("bulk result pages are private after a write",
		      out[0] != buf[0] && out[1] == buf[1], "bytes %d %d", out[0], buf[0]);
		vm_free(out);
	}
}

static void check_paths(void)
{
	int probe = lookup("dt.probe"), echo = lookup("dt.echo");
	check_transfer(probe, echo, small_buf + 1, 16, 0, "vanilla (general entry)");
	check_transfer(probe, echo, small_buf + 1, 64, 0, "vanilla");
	check_transfer(probe, echo, small_buf + 1, 4096, 0, "vanilla, unaligned");
	check_transfer(probe, echo, small_buf + 3, 65536, 0, "vanilla, unaligned");
	char *big = vm_alloc(1 << 20);
	check_transfer(probe, echo, big, 4096, DOOR_ENTRY_BULK, "bulk");
	check_transfer(probe, echo, big, 65536 + 100, DOOR_ENTRY_BULK, "bulk with a tail");
	check_transfer(probe, echo, big, 1 << 20, DOOR_ENTRY_BULK, "bulk");
	vm_free(big);

	uint32_t x = 0x12345678;
	struct probe_out p;
	int n = call_small(probe, &x, sizeof x, &p, sizeof p);
	/* Without sysenter there is no fast entry: the general path must give the
	 * same answer. */
	uint32_t want = sprig_has_sysenter ? DOOR_ENTRY_REGS : 0;
	check(sprig_has_sysenter ? "fast path: data in registers" : "no sysenter: the general path",
	      n == (int)sizeof p && (p.flags & DOOR_ENTRY_REGS) == want && p.sum == checksum(&x, 4),
	      "returned %d flags %#x", n, p.flags);
	/* NT set by the user must not survive into the nucleus, whose iret into
	 * the server would otherwise be a task switch. */
	__asm__ volatile("pushfl; orl $0x4000, (%%esp); popfl" ::: "memory", "cc");
	n = call_small(probe, &x, sizeof x, &p, sizeof p);
	__asm__ volatile("pushfl; andl $~0x4000, (%%esp); popfl" ::: "memory", "cc");
	check("fast path with the NT flag set", n == (int)sizeof p && p.sum == checksum(&x, 4),
	      "returned %d", n);
	/* An empty answer needs no result buffer, on either path. */
	int sink = lookup("dt.sink");
	door_arg_t s64 = {small_buf + 1, 64, NULL, 0, NULL, 0, NULL, 0};
	int e64 = door_call(sink, &s64);
	door_arg_t s8 = {small_buf + 1, 8, NULL, 0, NULL, 0, NULL, 0};
	int e8 = door_call(sink, &s8);
	check("empty answer with no result buffer",
	      e64 == 0 && s64.data_size == 0 && e8 == 0 && s8.data_size == 0, "errors %d %d", e64,
	      e8);
	door_close(sink);
	door_close(probe);
	door_close(echo);
}

/* A call of a head and a tail: the server sees them as one message, by
 * the path the tail's alignment and size choose. */
static void check_gather(int probe, const char *head, uint32_t hsize, const char *tail,
                         uint32_t tsize, uint32_t want_flags, const char *what)
{
	char *whole = vm_alloc(hsize + tsize);
	memcpy(whole, head, hsize);
	memcpy(whole + hsize, tail, tsize);
	struct probe_out p = {0, 0, 0};
	door_pieces_t x = {{head, hsize, NULL, 0, &p, sizeof p, NULL, 0}, tail, tsize, NULL, 0};
	int e = door_call_pieces(probe, &x);
	uint32_t flags = p.flags & (DOOR_ENTRY_REGS | DOOR_ENTRY_BULK);
	check(what,
	      e == 0 && p.size == hsize + tsize && p.sum == checksum(whole, hsize + tsize) &&
	              flags == want_flags,
	      "error %d size %u flags %#x (want %#x)", e, p.size, flags, want_flags);
	vm_free(whole);
}

/* Results in two pieces: rsize bytes to rbuf, the rest to rtail. */
static void check_scatter(int echo, int split)
{
	char *in = small_buf + 1, head[12], tail[200];
	for (int i = 0; i < 112; i++)
		in[i] = (char)(i * 5 + 1);
	memset(tail, 0, sizeof tail);
	door_arg_t one = {in, 112, NULL, 0, head, sizeof head, NULL, 0};
	door_pieces_t x = {one, NULL, 0, tail, sizeof tail};
	int e = door_call_pieces(echo, &x);
	check("results split between rbuf and rtail",
	      e == 0 && x.arg.data_size == 112 && memcmp(head, in, 12) == 0 &&
	              memcmp(tail, in + 12, 100) == 0 && tail[100] == 0,
	      "error %d size %u", e, x.arg.data_size);
	x = (door_pieces_t){one, NULL, 0, tail, 99};
	e = door_call_pieces(echo, &x);
	check("results too big for rbuf and rtail", e == -ERANGE && x.arg.data_size == 112,
	      "error %d size %u", e, x.arg.data_size);
	x = (door_pieces_t){one, NULL, 0, tail, ~0u};
	e = door_call_pieces(echo, &x);
	check("rtail's size at its largest", e == 0 && memcmp(tail, in + 12, 100) == 0, "error %d",
	      e);
	x = (door_pieces_t){one, NULL, 0, (void *)0xC0000000, 100};
	check("rtail in nucleus memory", door_call_pieces(echo, &x) == -EFAULT, "wrong result");
	door_arg_t a;
	/* A reply of two pieces arrives as one. */
	uint32_t k = 5;
	memcpy(in, &k, sizeof k);
	char out[128];
	a = (door_arg_t){in, 112, NULL, 0, out, sizeof out, NULL, 0};
	e = door_call(split, &a);
	check("a reply's head and tail arrive as one",
	      e == 0 && a.data_size == 112 && memcmp(out, in, 112) == 0, "error %d size %u", e,
	      a.data_size);
	uint32_t w[4] = {3, 0x11111111, 0x22222222, 0x33333333}, r[4] = {0, 0, 0, 0};
	a = (door_arg_t){w, sizeof w, NULL, 0, r, sizeof r, NULL, 0};
	e = door_call(split, &a);
	check("a reply with a tail to a fast call",
	      e == 0 && a.data_size == 16 && memcmp(r, w, sizeof w) == 0, "error %d size %u", e,
	      a.data_size);
	a = (door_arg_t){w, 8, NULL, 0, r, 4, NULL, 0};
	e = door_call(split, &a);
	check("a reply with a tail too big for a fast call", e == -ERANGE && a.data_size == 8,
	      "error %d size %u", e, a.data_size);
}

/* A tail left with the caller for the server to pull: it sees only the
 * head, pulls what it wants, and nothing past the tail or out of a call. */
static void check_pull(void)
{
	int pull = lookup("dt.pull");
	char head[8] = "pullhed", *page = vm_alloc(3 * 4096);
	for (uint32_t i = 0; i < 3 * 4096; i++)
		page[i] = (char)(i * 11 + 5);
	static const uint32_t sizes[] = {1, 100, 4096, 3 * 4096};
	static const uint32_t offs[] = {7, 0, 0, 0};
	for (int i = 0; i < 4; i++) {
		struct probe_out p = {0, 0, 0};
		door_pieces_t x = {{head, sizeof head, NULL, 0, &p, sizeof p, NULL, 0},
		                   page + offs[i],
		                   sizes[i],
		                   NULL,
		                   0};
		int e = door_call_pull(pull, &x);
		char what[80];
		snprintf(what, sizeof what, "a pulled tail of %u bytes", sizes[i]);
		check(what,
		      e == 0 && (p.flags & DOOR_ENTRY_PULL) && p.size == sizes[i] &&
		              p.sum == checksum(page + offs[i], sizes[i]),
		      "error %d flags %#x size %u sum %#x", e, p.flags, p.size, p.sum);
	}
	struct probe_out p = {0, 0, 0};
	door_arg_t a = {head, sizeof head, NULL, 0, &p, sizeof p, NULL, 0};
	int e = door_call_general(pull, &a);
	check("door_pull with no tail to pull: EINVAL", e == 0 && p.sum == (uint32_t)-EINVAL,
	      "error %d answer %d", e, (int)p.sum);
	e = door_call(pull, &a);
	check("door_pull serving a fast call: EINVAL", e == 0 && p.sum == (uint32_t)-EINVAL,
	      "error %d answer %d", e, (int)p.sum);
	check("door_pull outside any call: EINVAL", door_pull(0, page, 1) == -EINVAL,
	      "wrong result");
	door_pieces_t x = {{head, sizeof head, NULL, 0, &p, sizeof p, NULL, 0},
	                   (void *)0xC0000000,
	                   64,
	                   NULL,
	                   0};
	e = door_call_pull(pull, &x);
	check("a pulled tail in nucleus memory: the server's pull gets EFAULT",
	      e == 0 && p.sum == (uint32_t)-EFAULT, "error %d answer %d", e, (int)p.sum);
	e = sprig_syscall(SYS_DOOR_CALL, (uint32_t)pull, (uint32_t)(uintptr_t)&x, DOOR_CALL_PULL,
	                  0);
	check("DOOR_CALL_PULL without DOOR_CALL_PIECES: EINVAL", e == -EINVAL, "error %d", e);
	vm_free(page);
	door_close(pull);
}

/* A reply under a lock: the lock is free once the reply has gone; bad
 * release words harm no one. */
static void check_release(void)
{
	int held = lookup("dt.locked");
	uint32_t k = 1, out[16];
	door_arg_t a = {&k, sizeof k, NULL, 0, out, sizeof out, NULL, 0};
	int e = door_call(held, &a);
	k = 2;
	a = (door_arg_t){&k, sizeof k, NULL, 0, out, sizeof out, NULL, 0};
	int e2 = door_call(held, &a);
	check("a lock held for a reply is free once it has gone",
	      e == 0 && e2 == 0 && a.data_size == 4 && out[0] == 0, "errors %d %d word %u", e, e2,
	      out[0]);
	for (k = 3; k <= 4; k++) {
		a = (door_arg_t){&k, sizeof k, NULL, 0, out, sizeof out, NULL, 0};
		e = door_call(held, &a);
		check(k == 3 ? "a release word in nucleus memory: the reply still goes"
		             : "a misaligned release word: the reply still goes",
		      e == 0 && a.data_size == 64, "error %d size %u", e, a.data_size);
	}
	door_close(held);
}

/* Both pieces page aligned: pages shared both ways. */
static void check_bulk_pieces(int split)
{
	char *in = vm_alloc(3 * 4096), *out = vm_alloc(3 * 4096);
	for (uint32_t i = 0; i < 3 * 4096; i++)
		in[i] = (char)(i * 3 + 7);
	uint32_t k = 4096;
	memcpy(in, &k, sizeof k);
	door_pieces_t x = {
	        {in, 3 * 4096, NULL, 0, out, 4096, NULL, 0}, NULL, 0, out + 4096, 2 * 4096};
	int e = door_call_pieces(split, &x);
	check("page-aligned pieces both ways",
	      e == 0 && x.arg.data_size == 3 * 4096 && memcmp(out, in, 3 * 4096) == 0,
	      "error %d size %u", e, x.arg.data_size);
	out[4096] ^= 1;
	check("shared result pages are private after a write",
	      out[4096] != in[4096] && out[4097] == in[4097], "bytes differ");
	vm_free(in);
	vm_free(out);
}

static void check_tails(void)
{
	int probe = lookup("dt.probe"), echo = lookup("dt.echo"), split = lookup("dt.split");
	int bad = lookup("dt.badtail");
	char head[16] = "head of a call.";
	char *page = vm_alloc(4 * 4096);
	for (uint32_t i = 0; i < 4 * 4096; i++)
		page[i] = (char)(i * 13 + 3);
	check_gather(probe, head, 12, small_buf + 1, 100, 0, "head and tail: one message");
	check_gather(probe, head, 0, small_buf + 1, 100, 0, "an empty head");
	check_gather(probe, head, 12, page, 8192, DOOR_ENTRY_BULK,
	             "head and page-aligned tail: bulk");
	check_gather(probe, page + 4096, 4096, page, 4096, DOOR_ENTRY_BULK,
	             "a head of a whole page");
	check_gather(probe, small_buf, 4097, page, 4096, 0, "a head over a page: vanilla");
	check_gather(probe, head, 12, page + 100, 5000, 0, "an unaligned tail: vanilla");
	vm_free(page);
	char buf[64];
	door_pieces_t x = {{head, 12, NULL, 0, buf, sizeof buf, NULL, 0}, NULL, 10, NULL, 0};
	check("a tail at NULL", door_call_pieces(echo, &x) == -EFAULT, "wrong result");
	x.tail_ptr = (void *)0xC0000000;
	check("a tail in nucleus memory", door_call_pieces(echo, &x) == -EFAULT, "wrong result");
	x.tail_ptr = small_buf;
	x.tail_size = DOOR_BULK_MAX + 1;
	check("a tail over the bulk limit", door_call_pieces(echo, &x) == -E2BIG, "wrong result");
	x.arg.data_size = 16;
	x.tail_size = DOOR_BULK_MAX - 8;
	check("head and tail over the bulk limit together", door_call_pieces(echo, &x) == -E2BIG,
	      "wrong result");
	x.arg.data_size = 8;
	x.tail_size = DOOR_VANILLA_MAX;
	check("unaligned head and tail over the vanilla limit",
	      door_call_pieces(echo, &x) == -E2BIG, "wrong result");
	check("unknown call flags",
	      sprig_syscall(SYS_DOOR_CALL, (uint32_t)echo, (uint32_t)(uintptr_t)&x, 0x80, 0) ==
	              -EINVAL,
	      "wrong result");
	door_arg_t a;
	for (uint32_t k = 1; k < 4; k++) {
		a = (door_arg_t){&k, sizeof k, NULL, 0, buf, sizeof buf, NULL, 0};
		int e = door_call(bad, &a);
		check(k == 3 ? "a server's tail over the limit: the caller gets E2BIG"
		             : "a server's tail at a bad address: the caller gets EFAULT",
		      e == (k == 3 ? -E2BIG : -EFAULT), "error %d", e);
	}
	check_scatter(echo, split);
	check_bulk_pieces(split);
	check_release();
	check_pull();
	door_close(probe);
	door_close(echo);
	door_close(split);
	door_close(bad);
}

static int32_t callback_base = 1000;

static void callback_proc(void *cookie, const struct door_request *req, struct door_reply *rep)
{
	(void)cookie;
	int32_t v = *(const int32_t *)req->data + callback_base;
	reply_words(rep, &v, sizeof v);
}

/* Passes our own door to dt.relay, which calls it (a nested call back into
 * this domain) and returns the door to us. */
static void check_passing(void)
{
	door_pool_start(1);
	int cb = door_create(callback_proc, NULL, 0), relay = lookup("dt.relay");
	door_info_t before, after;
	door_info(cb, &before);
	int32_t in = 7, out = 0;
	door_desc_t d = {cb, 0}, back = {-1, 0};
	door_arg_t a = {&in, sizeof in, &d, 1, &out, sizeof out, &back, 1};
	int e = door_call(relay, &a);
	int ok = door_info(back.id, &after) == 0;
	check("door passed in and returned (copied)",
	      e == 0 && out == 1007 && a.rdesc_num == 1 && ok && after.id == before.id &&
	              back.id != cb,
	      "error %d out %d returned %u doors, id %d", e, out, a.rdesc_num, back.id);
	door_close(back.id);
	d.flags = DOOR_MOVE;
	a.data_ptr = &in; /* door_call pointed it at the results */
	a.data_size = sizeof in;
	e = door_call(relay, &a);
	check("door passed moved: the sender's id is closed",
	      e == 0 && out == 1007 && door_info(cb, &after) == -EBADF &&
	              door_info(back.id, &after) == 0,
	      "error %d out %d", e, out);
	door_close(back.id);
	door_close(relay);
}

static void check_errors(void)
{
	int echo = lookup("dt.echo"), probe = lookup("dt.probe");
	char buf[64];
	struct probe_out p;
	door_arg_t a = {buf, 8, NULL, 0, &p, sizeof p, NULL, 0};
	int dup = door_dup(echo);
	door_close(dup);
	check("closed id", door_call(dup, &a) == -EBADF && door_info(dup, NULL) == -EBADF,
	      "wrong result");
	check("id never given", door_call(0x777777, &a) == -EBADF, "wrong result");
	check("negative id", door_call(-5, &a) == -EBADF, "wrong result");
	check("door_arg_t at NULL", door_call_general(echo, NULL) == -EFAULT, "wrong result");
	check("door_arg_t in nucleus memory",
	      door_call_general(echo, (door_arg_t *)0xC0001000) == -EFAULT, "wrong result");
	a.data_ptr = (void *)0x10; /* door_call would read it itself: use the system call */
	check("arguments at a bad address", door_call_general(probe, &a) == -EFAULT,
	      "wrong result");
	a.data_ptr = buf;
	a.rbuf = (void *)0xC0000000;
	a.rsize = 64;
	a.data_size = 40;
	check("result buffer in nucleus memory",
	      door_call(echo, &a) == -EFAULT && a.data_ptr == buf, "wrong result");
	char small[4];
	a.rbuf = small;
	a.rsize = sizeof small;
	int e = door_call(echo, &a);
	check("result buffer too small", e == -ERANGE && a.data_size == 40, "error %d size %u", e,
	      a.data_size);
	a.rbuf = buf;
	a.data_size = 12;
	a.rsize = 8;
	e = door_call(echo, &a);
	check("result buffer too small, fast path", e == -ERANGE && a.data_size == 12,
	      "error %d size %u", e, a.data_size);
	a = (door_arg_t){small_buf + 1, DOOR_VANILLA_MAX + 1, NULL, 0, buf, 64, NULL, 0};
	check("unaligned arguments over the vanilla limit", door_call(echo, &a) == -E2BIG,
	      "wrong result");
	a.data_size = DOOR_BULK_MAX + 1;
	check("arguments over the bulk limit", door_call(echo, &a) == -E2BIG, "wrong result");
	door_desc_t ds[DOOR_DESC_MAX + 1] = {{echo, 0}};
	a = (door_arg_t){buf, 4, ds, DOOR_DESC_MAX + 1, buf, 64, NULL, 0};
	check("too many doors passed", door_call(echo, &a) == -E2BIG, "wrong result");
	ds[0].id = 0x555555;
	a.desc_num = 1;
	check("passing a bad door id", door_call(echo, &a) == -EBADF, "wrong result");
	check("revoking someone else's door", door_revoke(echo) == -EPERM, "wrong result");
	door_close(echo);
	door_close(probe);
}

static void check_unref(void)
{
	int query = lookup("dt.query"), counts[3] = {0, 0, 0};
	int u = lookup("dt.unref"), d = door_dup(u);
	door_close(u);
	sleep_ms(30);
	call_small(query, NULL, 0, counts, sizeof counts);
	check("no notification while a reference remains", counts[0] == 0, "%d", counts[0]);
	door_close(d);
	sleep_ms(30);
	call_small(query, NULL, 0, counts, sizeof counts);
	check("unreferenced notification after the last close", counts[0] == 1, "%d", counts[0]);
	door_close(lookup("dt.unref"));
	sleep_ms(30);
	call_small(query, NULL, 0, counts, sizeof counts);
	check("DOOR_UNREF notifies only once", counts[0] == 1, "%d", counts[0]);
	for (int i = 0; i < 2; i++) {
		door_close(lookup("dt.unrefm"));
		sleep_ms(30);
	}
	call_small(query, NULL, 0, counts, sizeof counts);
	check("DOOR_UNREF_MULTI notifies each time", counts[1] == 2, "%d", counts[1]);
	check("a domain that ends drops its references (holder's dt.held)", counts[2] == 1, "%d",
	      counts[2]);
	door_close(query);
}

/* The server runs on the caller's shuttle: its priority, its depth below
 * the caller, and the CPU it burns charged to the caller's account. */
static void check_shuttle(void)
{
	int spin = lookup("dt.spin");
	shuttle_info_t before, after, server;
	door_arg_t a = {NULL, 0, NULL, 0, &server, sizeof server, NULL, 0};
	shuttle_info(&before);
	int e = door_call_general(spin, &a);
	shuttle_info(&after);
	check("shuttle: the server runs at the caller's priority, one call deep",
	      e == 0 && server.depth == 1 && server.prio == before.prio && !server.alerted,
	      "error %d depth %u prio %u (caller %u)", e, server.depth, server.prio, before.prio);
	check("shuttle: the server's CPU time is charged to the caller",
	      after.ticks - before.ticks >= 2 && server.ticks >= before.ticks + 2,
	      "caller %u -> %u ticks, server saw %u", before.ticks, after.ticks, server.ticks);
	door_close(spin);
}

static void check_depth(void)
{
	int deep = lookup("dt.deep");
	int32_t start = 0, out[2] = {0, 0};
	int n = call_small(deep, &start, sizeof start, out, sizeof out);
	check("call depth limit gives -EDEADLK",
	      n == 8 && out[0] == DOOR_DEPTH_MAX && out[1] == -EDEADLK,
	      "returned %d, depth %d, error %d", n, out[0], out[1]);
	door_close(deep);
}

static void quit_server(void);

static struct {
	int id;
	int result[3];
} revoke_test;
static char revoke_stacks[3][8192] __attribute__((aligned(16)));

static void revoke_caller(void *arg)
{
	int i = (int)(uintptr_t)arg;
	uint32_t ms = i == 0 ? 200 : 0;
	int32_t r = -1;
	int n = call_small(revoke_test.id, &ms, sizeof ms, &r, sizeof r);
	revoke_test.result[i] = n < 0 ? n : r == 0 ? 1 : r;
}

/* Three calls to a server with one thread: the first is being served
 * (its handler revokes the door), the other two wait in the queue. The one
 * in progress completes; the queued ones and any later call get -EBADF. */
static char busy_stack[8192] __attribute__((aligned(16)));

static void busy_caller(void *arg)
{
	struct slow_in in = {200, 7};
	uint32_t out;
	(void)arg;
	call_small(lookup("dt.slow"), &in, sizeof in, &out, sizeof out);
}

/* With the server's only thread busy, the unreferenced notification waits
 * in the pool and is delivered when the thread comes back. */
static void check_queued_unref(void)
{
	int query = lookup("dt.query"), counts[3] = {0, 0, 0};
	int u = lookup("dt.unref");
	thread_create(busy_caller, NULL, busy_stack, sizeof busy_stack);
	sleep_ms(30); /* the busy call is in progress */
	door_close(u);
	call_small(query, NULL, 0, counts, sizeof counts); /* queued behind it */
	check("unreferenced notification waits for a thread, then arrives", counts[0] == 1, "%d",
	      counts[0]);
	door_close(query);
}

static int run_revoke(void)
{
	check_queued_unref();
	revoke_test.id = lookup("dt.revokable");
	for (int i = 0; i < 3; i++) {
		revoke_test.result[i] = 99;
		thread_create(revoke_caller, (void *)(uintptr_t)i, revoke_stacks[i], 8192);
		sleep_ms(20);
	}
	sleep_ms(400);
	int after = call_small(revoke_test.id, NULL, 0, NULL, 0);
	door_info_t info;
	door_info(revoke_test.id, &info);
	check("revoke: the call in progress completes", revoke_test.result[0] == 1, "%d",
	      revoke_test.result[0]);
	check("revoke: calls made later fail with -EBADF",
	      after == -EBADF && (info.flags & DOOR_REVOKED), "%d flags %#x", after, info.flags);
	check("revoke: queued calls fail with -EBADF",
	      revoke_test.result[1] == -EBADF && revoke_test.result[2] == -EBADF, "%d %d",
	      revoke_test.result[1], revoke_test.result[2]);
	door_close(revoke_test.id);
	quit_server();
	return finish("revoke");
}

static void quit_server(void)
{
	int quit = lookup("dt.quit");
	int e = call_small(quit, NULL, 0, NULL, 0);
	check("server still serves, and quits when asked", e == 0, "%d", e);
	door_close(quit);
}

static int run_client(void)
{
	check_counter();
	check_entries_agree();
	check_paths();
	check_tails();
	check_passing();
	check_errors();
	check_unref();
	check_depth();
	check_shuttle();
	quit_server();
	return finish("client");
}

/* ------------------------------------------------------ failure roles */

static char caller_stack[8192] __attribute__((aligned(16)));

static void slow_caller(void *arg)
{
	(void)arg;
	int slow = lookup("dt.slow");
	struct slow_in in = {300, 1};
	uint32_t out;
	printf("doortest caller-dies: calling dt.slow\n");
	int n = call_small(slow, &in, sizeof in, &out, sizeof out);
	printf("doortest caller-dies: FAIL: the call returned %d to a dead domain\n", n);
}

/* One thread sits in a 300 ms call; the domain ends 50 ms in. */
static int run_caller_dies(void)
{
	thread_create(slow_caller, NULL, caller_stack, sizeof caller_stack);
	sleep_ms(50);
	printf("doortest caller-dies: ending the domain mid-call\n");
	return 0;
}

static struct {
	int slow;
	uint32_t die_ms;
} middle;

static void mid_proc(void *cookie, const struct door_request *req, struct door_reply *rep)
{
	(void)cookie, (void)req;
	struct slow_in in = {300, 2};
	uint32_t out = 0;
	int n = call_small(middle.slow, &in, sizeof in, &out, sizeof out);
	printf("doortest middle: FAIL: the inner call returned %d in a dead domain\n", n);
	reply_words(rep, &out, sizeof out);
}

/* B in A -> B -> C: serves dt.mid by calling C's dt.slow, and faults after
 * die_ms while that call is in progress. */
static int run_middle(uint32_t die_ms)
{
	middle.slow = lookup("dt.slow");
	middle.die_ms = die_ms;
	door_pool_start(1);
	int mid = door_create(mid_proc, NULL, 0);
	name_publish("dt.mid", mid);
	sleep_ms(die_ms);
	printf("doortest middle: faulting now\n");
	return *(volatile int *)0;
}

/* A in A -> B -> C. */
static int run_chain(void)
{
	int mid = lookup("dt.mid");
	uint32_t out = 0, none = 0;
	uint64_t t0 = ticks_now();
	int n = call_small(mid, &none, sizeof none, &out, sizeof out);
	uint64_t waited = ticks_now() - t0;
	check("chain: A gets -EINTR when B dies mid-chain", n == -EINTR, "returned %d", n);
	check("chain: promptly, not when C finishes", waited < 25, "waited %u ticks",
	      (unsigned)waited);
	check("chain: B's doors are revoked", call_small(mid, &none, 4, &out, 4) == -EBADF,
	      "wrong result");
	return finish("chain");
}

static struct {
	int slow;
	int served[64];
} fifo;
static char fifo_stacks[64][4096] __attribute__((aligned(16)));

static void fifo_caller(void *arg)
{
	struct slow_in in = {5, (uint32_t)(uintptr_t)arg};
	uint32_t out = 0;
	int n = call_small(fifo.slow, &in, sizeof in, &out, sizeof out);
	fifo.served[in.index] = n == 4 && out == in.index ? 1 : n;
}

/* n callers at once against a server with a fixed pool: every call is
 * served, and in the order the callers arrived. */
static int run_fifo(int n)
{
	fifo.slow = lookup("dt.slow");
	for (int i = 0; i < n; i++) {
		thread_create(fifo_caller, (void *)(uintptr_t)i, fifo_stacks[i], 4096);
		yield(); /* the new thread calls (and queues) before the next starts */
	}
	for (int waited = 0; waited < 3000; waited += 10) {
		int done = 0;
		for (int i = 0; i < n; i++)
			done += fifo.served[i] != 0;
		if (done == n)
			break;
		sleep_ms(10);
	}
	int served = 0;
	for (int i = 0; i < n; i++)
		served += fifo.served[i] == 1;
	check("fifo: every call served", served == n, "%d of %d", served, n);
	int order[64], inorder = 1;
	int order_door = lookup("dt.order");
	int got = call_small(order_door, NULL, 0, order, sizeof order);
	for (int i = 1; i < got / 4; i++)
		inorder &= order[i] == order[i - 1] + 1;
	check("fifo: served in arrival order", got == n * 4 && inorder, "%d bytes, in order %d",
	      got, inorder);
	quit_server();
	return finish("fifo");
}

/* The server dies in the middle of our call (dt.die exits its domain). */
static int run_die_client(void)
{
	int die = lookup("dt.die"), counter = lookup("dt.counter");
	uint32_t none = 0, out;
	uint64_t t0 = ticks_now();
	int n = call_small(die, &none, sizeof none, &out, sizeof out);
	check("server dies mid-call: the caller gets -EINTR", n == -EINTR, "returned %d", n);
	check("server dies mid-call: promptly", ticks_now() - t0 < 25, "waited %u ticks",
	      (unsigned)(ticks_now() - t0));
	n = call_small(counter, &none, sizeof none, &out, sizeof out);
	check("server dead: its other doors give -EBADF", n == -EBADF, "returned %d", n);
	door_info_t info;
	door_info(counter, &info);
	check("server dead: door_info shows no target", info.target == -1, "target %d",
	      info.target);
	return finish("die");
}

/* Takes a reference to dt.held and ends without closing it. */
static int run_holder(void)
{
	int id = lookup("dt.held");
	printf("doortest holder: holding door %d, exiting\n", id);
	return id < 0;
}

static int run_quit(uint32_t ms)
{
	sleep_ms(ms);
	quit_server();
	return finish("quit");
}

int main(int argc, char **argv)
{
	const char *role = argc > 1 ? argv[1] : "client";
	uint32_t arg = argc > 2 ? (uint32_t)atoi(argv[2]) : 0;
	if (!strcmp(role, "server"))
		return run_server((int)arg);
	if (!strcmp(role, "client"))
		return run_client();
	if (!strcmp(role, "revoke"))
		return run_revoke();
	if (!strcmp(role, "caller-dies"))
		return run_caller_dies();
	if (!strcmp(role, "middle"))
		return run_middle(arg);
	if (!strcmp(role, "chain"))
		return run_chain();
	if (!strcmp(role, "fifo"))
		return run_fifo(arg > 64 ? 64 : (int)arg);
	if (!strcmp(role, "holder"))
		return run_holder();
	if (!strcmp(role, "die"))
		return run_die_client();
	if (!strcmp(role, "quit"))
		return run_quit(arg);
	printf("doortest: unknown role '%s'\n", role);
	return 2;
}
