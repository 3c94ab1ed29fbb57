/* SPDX-License-Identifier: MIT */
/*
 * hostile ROLE: a domain that uses doors against the nucleus and against a
 * server, as an attacker would (tests/system/t_hostile.sh):
 *
 *   frames  maps one frame more times than a frame's reference count can
 *           hold, by bulk calls to an echo door whose results land in a
 *           region walked a window at a time: every call must succeed
 *           (past the limit the nucleus maps copies), the data must be
 *           right, and nothing may panic
 *   rebind  a server thread rebinds to a smaller bulk window with its own
 *           data right behind it; the next bulk call must not touch that
 *           data
 *   doors   a client makes a server's moved doors undeliverable (a bad
 *           rdesc, no room) many times: the server's table must not fill;
 *           and it cannot take over the server's published name
 *   results results over the vanilla and bulk limits are refused with
 *           -E2BIG; a fast caller given a reply over 16 bytes gets -ERANGE
 *           with the size it needed
 *
 * Each check prints "hostile: NAME: ok" or "... FAIL: why"; a role ends
 * with "hostile ROLE: N of M checks passed".
 */
#include "lib/doors/doors.h"

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
		printf("hostile: %s: ok\n", what);
	} else {
		failures++;
		printf("hostile: %s: FAIL: %s\n", what, why);
	}
}

static int finish(const char *role)
{
	printf("hostile %s: %d of %d checks passed\n", role, checks - failures, checks);
	return failures ? 1 : 0;
}

/* Answers the data it got: a bulk call's answer is its window, shared. */
static void echo_proc(void *cookie, const struct door_request *req, struct door_reply *rep)
{
	(void)cookie;
	rep->data = req->data;
	rep->size = req->size;
}

/* ---------------------------------------------------------------- frames */

#define PAGE_SIZE    4096u
#define FRAMES_SPAN  (260u << 20) /* more pages than a frame can count */
#define WINDOW_PAGES 512u         /* lib/doors' bulk window: 2 MiB */

/* Page 0 of the region holds one frame; call k sends the first n pages
 * (all that frame by now) and has the answer land on the next n, so the
 * frame's mappings double, then grow by a window a call, past 65535. */
static int role_frames(void)
{
	int echo = door_create(echo_proc, NULL, 0);
	check("an echo door and its pool", echo >= 0 && door_pool_start(1) == 0, "door %d", echo);
	char *a = vm_alloc(FRAMES_SPAN);
	check("a region bigger than a frame's count of pages", a != NULL, "vm_alloc failed");
	if (!a || echo < 0)
		return finish("frames");
	memset(a, 0x5c, PAGE_SIZE);
	uint32_t pages = FRAMES_SPAN / PAGE_SIZE, at = 1, n = 1, calls = 0, bad = 0;
	int err = 0;
	while (at + n <= pages && !err) {
		door_arg_t arg = {
		        a, n * PAGE_SIZE, NULL, 0, a + at * PAGE_SIZE, n * PAGE_SIZE, NULL, 0};
		err = door_call(echo, &arg);
		calls++;
		bad += (unsigned char)a[(at + n - 1) * PAGE_SIZE + 100] != 0x5c;
		at += n;
		if (n < WINDOW_PAGES)
			n *= 2;
	}
	check("every bulk echo succeeded", err == 0 && at > 0x10000,
	      "error %d after %u calls, %u pages", err, calls, at);
	check("and every answer is the data sent", bad == 0, "%u of %u wrong", bad, calls);
	a[0] = 1; /* a write to the shared frame: a private copy, the others keep theirs */
	check("a write breaks the sharing for that page only",
	      a[0] == 1 && (unsigned char)a[PAGE_SIZE] == 0x5c, "bytes %d %d", a[0], a[PAGE_SIZE]);
	vm_free(a);
	return finish("frames");
}

/* ---------------------------------------------------------------- rebind */

#define OWN_DATA (64u << 10) /* the server's own data, right after its new window */
#define NEW_BULK (8u << 10)  /* the new, smaller window */

static struct {
	char *window; /* the serving thread's bulk window, seen on a bulk call */
	door_desc_t rdesc[DOOR_DESC_MAX];
} rb;

/* A bulk call: note where the window is. */
static void window_proc(void *cookie, const struct door_request *req, struct door_reply *rep)
{
	(void)cookie;
	if (req->flags & DOOR_ENTRY_BULK)
		rb.window = (char *)(uintptr_t)req->data;
	rep->size = 0;
}

/* Rebinds this thread to an 8 KiB window at the same place, then keeps its
 * own data in the 64 KiB right after it. Answers the bind's result. */
static void rebind_proc(void *cookie, const struct door_request *req, struct door_reply *rep)
{
	(void)cookie, (void)req;
	door_server_t s = {vm_alloc(DOOR_RECV_BUF), DOOR_RECV_BUF, rb.rdesc,
	                   DOOR_DESC_MAX,           rb.window,     NEW_BULK};
	int32_t err = rb.window && s.rbuf
	                      ? sprig_syscall(SYS_DOOR_BIND, (uint32_t)(uintptr_t)&s, 0, 0, 0)
	                      : -EINVAL;
	if (err == 0)
		memset(rb.window + NEW_BULK, 0x77, OWN_DATA);
	memcpy(rep->buf, &err, sizeof err);
	rep->data = rep->buf;
	rep->size = sizeof err;
}

/* Answers how many bytes of the server's own data are no longer its. */
static void verify_proc(void *cookie, const struct door_request *req, struct door_reply *rep)
{
	(void)cookie, (void)req;
	int32_t lost = 0;
	for (uint32_t i = 0; i < OWN_DATA; i++)
		lost += (unsigned char)rb.window[NEW_BULK + i] != 0x77;
	memcpy(rep->buf, &lost, sizeof lost);
	rep->data = rep->buf;
	rep->size = sizeof lost;
}

static int32_t call_for_int(int id, const void *data, uint32_t size)
{
	int32_t out = -1;
	door_arg_t a = {data, size, NULL, 0, &out, sizeof out, NULL, 0};
	int err = door_call(id, &a);
	return err < 0 ? err : out;
}

/* One server thread: a 1 MiB bulk call fills much of its 2 MiB window; it
 * rebinds to 8 KiB with its data behind; a 4 KiB bulk call follows. The
 * nucleus must unmap only within the window it now has. */
static int role_rebind(void)
{
	door_pool_limit(1);
	int win = door_create(window_proc, NULL, 0), rebind = door_create(rebind_proc, NULL, 0),
	    verify = door_create(verify_proc, NULL, 0);
	check("doors and a pool of one thread",
	      win >= 0 && rebind >= 0 && verify >= 0 && door_pool_start(1) == 0, "doors %d %d %d",
	      win, rebind, verify);
	char *big = vm_alloc(1u << 20);
	memset(big, 1, 1u << 20);
	door_arg_t a = {big, 1u << 20, NULL, 0, NULL, 0, NULL, 0};
	int err = door_call(win, &a);
	check("a 1 MiB bulk call", err == 0 && rb.window != NULL, "error %d", err);
	int32_t bound = call_for_int(rebind, NULL, 0);
	check("the server rebinds to an 8 KiB window", bound == 0, "got %d", bound);
	a = (door_arg_t){big, PAGE_SIZE, NULL, 0, NULL, 0, NULL, 0};
	err = door_call(win, &a);
	check("a 4 KiB bulk call after the rebind", err == 0, "error %d", err);
	int32_t lost = call_for_int(verify, NULL, 0);
	check("the server's own data behind its window is intact", lost == 0, "%d bytes lost",
	      lost);
	vm_free(big);
	return finish("rebind");
}

/* ----------------------------------------------------------------- doors */

#define UNDELIVERABLE 300 /* more than a door table holds */

static int give_self = -1;
static volatile int doorsrv_quit;

static void quit_proc(void *cookie, const struct door_request *req, struct door_reply *rep)
{
	(void)cookie, (void)req;
	doorsrv_quit = 1;
	rep->size = 0;
}

/* Answers a new id for its own door, moved: the server gives it up. */
static void give_proc(void *cookie, const struct door_request *req, struct door_reply *rep)
{
	(void)cookie, (void)req;
	door_desc_t *d = rep->buf;
	*d = (door_desc_t){door_dup(give_self), DOOR_MOVE};
	rep->desc = d;
	rep->ndesc = d->id >= 0;
	rep->size = 0;
}

/* Answers whether a door_dup still finds room in the server's table. */
static void room_proc(void *cookie, const struct door_request *req, struct door_reply *rep)
{
	(void)cookie, (void)req;
	int32_t id = door_dup(give_self);
	if (id >= 0)
		door_close(id);
	memcpy(rep->buf, &id, sizeof id);
	rep->data = rep->buf;
	rep->size = sizeof id;
}

static int role_doorsrv(void)
{
	give_self = door_create(give_proc, NULL, 0);
	int room = door_create(room_proc, NULL, 0), quit = door_create(quit_proc, NULL, 0);
	/* Threads before names: a client must never find a door with none. */
	if (give_self < 0 || room < 0 || quit < 0 || door_pool_start(2) < 0 ||
	    name_publish("hostile.give", give_self) < 0 || name_publish("hostile.room", room) < 0 ||
	    name_publish("hostile.quit", quit) < 0) {
		printf("hostile doorsrv: cannot serve\n");
		return 1;
	}
	while (!doorsrv_quit)
		sleep_ms(20);
	return 0;
}

/* The server moves a door to us each call; we make each one undeliverable,
 * a bad rdesc or no room for it. The server's table must not fill. */
static int role_doors(void)
{
	int give = name_lookup("hostile.give", 5000), room = name_lookup("hostile.room", 5000);
	check("the server's doors", give >= 0 && room >= 0, "%d %d", give, room);
	int bad_rdesc = 0, no_room = 0, other1 = 0, other2 = 0;
	for (int i = 0; i < UNDELIVERABLE; i++) {
		door_arg_t a = {NULL, 0, NULL, 0, NULL, 0, (door_desc_t *)4, 1};
		int e = door_call(give, &a);
		bad_rdesc += e == -EFAULT;
		other1 = e != -EFAULT ? e : other1;
		door_desc_t d;
		a = (door_arg_t){NULL, 0, NULL, 0, NULL, 0, &d, 0};
		e = door_call_general(give, &a);
		no_room += e == -ERANGE;
		other2 = e != -ERANGE ? e : other2;
	}
	check("replies with a bad rdesc fail with -EFAULT", bad_rdesc == UNDELIVERABLE,
	      "%d of %d (another result: %d)", bad_rdesc, UNDELIVERABLE, other1);
	check("replies with no room for a door fail with -ERANGE", no_room == UNDELIVERABLE,
	      "%d of %d (another result: %d)", no_room, UNDELIVERABLE, other2);
	int32_t id = call_for_int(room, NULL, 0);
	check("the server's table still has room", id >= 0, "door_dup gave %d", id);
	door_desc_t d = {-1, 0};
	door_arg_t a = {NULL, 0, NULL, 0, NULL, 0, &d, 1};
	int err = door_call(give, &a);
	check("a deliverable door still arrives", err == 0 && a.rdesc_num == 1 && d.id >= 0,
	      "error %d, %u doors", err, a.rdesc_num);
	int mine = door_create(echo_proc, NULL, 0);
	err = name_publish("hostile.give", mine);
	check("the server's name cannot be taken over", err == -EPERM, "got %d", err);
	call_for_int(name_lookup("hostile.quit", 0), NULL, 0);
	return finish("doors");
}

/* --------------------------------------------------------------- results */

static char *reply_area; /* 17 MiB, page aligned, for replies of any size */

/* Answers as many bytes as asked ({size, offset}), from reply_area +
 * offset: offset 0 is page aligned, 4 is not. */
static void sized_proc(void *cookie, const struct door_request *req, struct door_reply *rep)
{
	(void)cookie;
	uint32_t ask[2] = {0, 0};
	if (req->size == sizeof ask)
		memcpy(ask, req->data, sizeof ask);
	rep->data = reply_area + ask[1];
	rep->size = ask[0];
}

/* Asks sized for size bytes at offset into rbuf (room for rsize). */
static int ask_sized(int id, uint32_t size, uint32_t offset, void *rbuf, uint32_t rsize,
                     uint32_t *got)
{
	uint32_t ask[2] = {size, offset};
	door_arg_t a = {ask, sizeof ask, NULL, 0, rbuf, rsize, NULL, 0};
	int err = door_call(id, &a);
	*got = a.data_size;
	return err;
}

static int role_results(void)
{
	reply_area = vm_alloc(17u << 20);
	char *rbuf = vm_alloc(17u << 20);
	int sized = door_create(sized_proc, NULL, 0);
	check("a door answering any size",
	      reply_area && rbuf && sized >= 0 && door_pool_start(1) == 0, "door %d", sized);
	uint32_t got;
	int err = ask_sized(sized, DOOR_VANILLA_MAX + 4096, 4, rbuf + 4, 17u << 20, &got);
	check("a copied result over the vanilla limit: -E2BIG", err == -E2BIG, "got %d", err);
	err = ask_sized(sized, DOOR_BULK_MAX + 4096, 0, rbuf, 17u << 20, &got);
	check("a mapped result over the bulk limit: -E2BIG", err == -E2BIG, "got %d", err);
	err = ask_sized(sized, 200u << 10, 4, rbuf + 4, 17u << 20, &got);
	check("a copied result within the limit", err == 0 && got == 200u << 10, "got %d, %u bytes",
	      err, got);
	err = ask_sized(sized, 4u << 20, 0, rbuf, 17u << 20, &got);
	check("a mapped result within the limit", err == 0 && got == 4u << 20, "got %d, %u bytes",
	      err, got);
	uint32_t small[4];
	err = ask_sized(sized, 20, 0, small, sizeof small, &got);
	check("a fast caller given 20 bytes: -ERANGE, and the size needed",
	      err == -ERANGE && got == 20, "got %d, data_size %u", err, got);
	return finish("results");
}

int main(int argc, char **argv)
{
	const char *role = argc > 1 ? argv[1] : "";
	if (!strcmp(role, "frames"))
		return role_frames();
	if (!strcmp(role, "rebind"))
		return role_rebind();
	if (!strcmp(role, "doorsrv"))
		return role_doorsrv();
	if (!strcmp(role, "doors"))
		return role_doors();
	if (!strcmp(role, "results"))
		return role_results();
	printf("usage: hostile frames|rebind|doors|results\n");
	return 2;
}
