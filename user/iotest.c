/* SPDX-License-Identifier: MIT */
/*
 * iotest ROLE: DOOR_IO operations (lib/doors/doors.h) — bytes of any size
 * and doors in arguments and results, one door per object, objects freed
 * on their unreferenced notification — across a door and linked in, and
 * hostile messages against the dispatcher.
 *
 *   server  serves "iotest.notes": a directory whose open answers a door
 *           to a new note; each note is a buffer read and written in bytes
 *           (every door door_create_mixed's: small fixed operations in
 *           registers, the rest through the dispatcher)
 *   client  runs the checks through the door, then linked in
 *
 * Prints "iotest CHECK: ok" or "iotest CHECK: FAILED ..." per check and
 * "iotest client: N checks, N failed".
 */
#include "lib/doors/doors.h"

#define NOTE_MAX (3 * DOOR_IO_MAX)

struct note_name {
	char name[12];
};
struct note_at {
	uint32_t off;
};
struct note_len {
	uint32_t len;
};
struct note_none {
	uint32_t unused;
};
struct note_where {
	uint32_t size, aligned, sum; /* of the bytes the server got, where they landed */
};

#define NOTE_OPS(OP)                                                                               \
	OP(note, open, 1, struct note_name, struct note_none, DOOR_IO)                             \
	OP(note, write, 2, struct note_at, struct note_len, DOOR_IO_PULL)                          \
	OP(note, read, 3, struct note_at, struct note_len, DOOR_IO)                                \
	OP(note, size_of, 4, struct note_none, struct note_len, DOOR_IO)                           \
	OP(note, live, 5, struct note_none, struct note_len)                                       \
	OP(note, quit, 6, struct note_none, struct note_none)                                      \
	OP(note, where, 7, struct note_none, struct note_where, DOOR_IO)                           \
	OP(note, view, 8, struct note_at, struct note_len, DOOR_IO)

DOOR_INTERFACE(note, NOTE_OPS)

struct note {
	struct door_served served;
	int door; /* the server's id for the note's door */
	uint32_t len;
	char name[12];
	char data[NOTE_MAX];
};

static int live_notes;
static volatile int quit;

static void note_unref(void *obj)
{
	struct note *n = obj;
	door_free(n->door);
	vm_free(n);
	__atomic_fetch_sub(&live_notes, 1, __ATOMIC_SEQ_CST);
}

static const struct note_ops note_impl;

/* On the directory (obj NULL): a new note, answered as a door of its own. */
static int open_impl(void *obj, const struct note_name *in, struct note_none *out,
                     struct door_io *io)
{
	(void)out;
	if (obj)
		return -EINVAL;
	struct note *n = vm_alloc(sizeof *n);
	if (!n)
		return -ENOMEM;
	n->served = (struct door_served){&note_impl, n, note_unref};
	memcpy(n->name, in->name, sizeof n->name);
	n->name[sizeof n->name - 1] = 0;
	n->door = door_create_mixed(note_fast, note_dispatch, &n->served, DOOR_UNREF);
	if (n->door < 0) {
		int err = n->door;
		vm_free(n);
		return err;
	}
	__atomic_fetch_add(&live_notes, 1, __ATOMIC_SEQ_CST);
	io->out_door = n->door; /* a copy: the server keeps its id for door_free */
	return 0;
}

static int write_impl(void *obj, const struct note_at *in, struct note_len *out, struct door_io *io)
{
	struct note *n = obj;
	if (!n || in->off > NOTE_MAX)
		return -EINVAL;
	uint32_t len = io->in_size < NOTE_MAX - in->off ? io->in_size : NOTE_MAX - in->off;
	int err = door_io_take(io, n->data + in->off, 0, len); /* DOOR_IO_PULL */
	if (err < 0)
		return err;
	if (in->off + len > n->len)
		n->len = in->off + len;
	out->len = len;
	return 0;
}

static int read_impl(void *obj, const struct note_at *in, struct note_len *out, struct door_io *io)
{
	struct note *n = obj;
	if (!n)
		return -EINVAL;
	uint32_t len = in->off < n->len ? n->len - in->off : 0;
	if (len > io->out_cap)
		len = io->out_cap;
	memcpy(io->out, n->data + in->off, len);
	io->out_size = len;
	out->len = n->len; /* the note's whole length */
	return 0;
}

/* As read, but answered in place from the note's own memory, which
 * stays as it is until the reply has gone (nothing else writes it then). */
static int view_impl(void *obj, const struct note_at *in, struct note_len *out, struct door_io *io)
{
	struct note *n = obj;
	if (!n)
		return -EINVAL;
	uint32_t len = in->off < n->len ? n->len - in->off : 0;
	io->out = n->data + (in->off < n->len ? in->off : 0);
	io->out_size = len < io->out_cap ? len : io->out_cap;
	out->len = n->len;
	return 0;
}

static uint32_t sum_of(const void *p, uint32_t n)
{
	uint32_t sum = 0;
	for (uint32_t i = 0; i < n; i++)
		sum = sum * 31 + ((const unsigned char *)p)[i];
	return sum;
}

/* Where the bytes sent landed: page aligned in the bulk window, or not. */
static int where_impl(void *obj, const struct note_none *in, struct note_where *out,
                      struct door_io *io)
{
	(void)obj, (void)in;
	out->size = io->in_size;
	out->aligned = ((uintptr_t)io->in & 4095) == 0;
	out->sum = sum_of(io->in, io->in_size);
	return 0;
}

/* The length of the note whose door is passed in: a call through it. */
static int size_of_impl(void *obj, const struct note_none *in, struct note_len *out,
                        struct door_io *io)
{
	(void)obj, (void)in;
	if (io->in_door < 0)
		return -EBADF;
	struct door_binding b;
	door_bind_remote(&b, io->in_door);
	char byte;
	struct door_io r = {NULL, 0, &byte, 0, 0, -1, 0, -1, 0, NULL};
	return note_read(&b, &(struct note_at){0}, out, &r);
}

static int live_impl(void *obj, const struct note_none *in, struct note_len *out)
{
	(void)obj, (void)in;
	out->len = (uint32_t)live_notes;
	return 0;
}

static int quit_impl(void *obj, const struct note_none *in, struct note_none *out)
{
	(void)obj, (void)in, (void)out;
	quit = 1;
	return 0;
}

static const struct note_ops note_impl = {open_impl, write_impl, read_impl,  size_of_impl,
                                          live_impl, quit_impl,  where_impl, view_impl};
static struct door_served directory = {&note_impl, NULL, NULL};

/* ---- the checks ---- */

static int checks, failed;

static void check(const char *what, int ok, int got)
{
	checks++;
	if (ok) {
		printf("iotest %s: ok\n", what);
		return;
	}
	failed++;
	printf("iotest %s: FAILED (got %d)\n", what, got);
}

static int live(const struct door_binding *dir)
{
	struct note_len n = {0};
	int err = note_live(dir, &(struct note_none){0}, &n);
	return err < 0 ? err : (int)n.len;
}

/* Waits until the server has freed its notes back to want. */
static int settle(const struct door_binding *dir, int want)
{
	int n = -1;
	for (int i = 0; i < 200 && (n = live(dir)) != want; i++)
		sleep_ms(5);
	return n;
}

static char big[DOOR_IO_MAX + 1], back[DOOR_IO_MAX];

static void run(const char *how, const struct door_binding *dir, int remote)
{
	char what[64];
	int base = live(dir);
	struct note_none none = {0};
	struct door_io io = DOOR_IO_NONE;
	int err = note_open(dir, &(struct note_name){"first"}, &none, &io);
	snprintf(what, sizeof what, "%s open answers a door", how);
	check(what, err == 0 && io.out_door >= 0, err);
	int a = io.out_door;
	struct door_binding na;
	door_bind_remote(&na, a);

	for (uint32_t i = 0; i < sizeof big; i++)
		big[i] = (char)(i * 7 + 3);
	struct note_len len = {0};
	io = (struct door_io){big, 5000, NULL, 0, 0, -1, 0, -1, 0, NULL};
	err = note_write(&na, &(struct note_at){0}, &len, &io);
	snprintf(what, sizeof what, "%s write 5000 bytes", how);
	check(what, err == 0 && len.len == 5000 && io.out_size == 0, err);

	io = (struct door_io){NULL, 0, back, sizeof back, 0, -1, 0, -1, 0, NULL};
	err = note_read(&na, &(struct note_at){0}, &len, &io);
	snprintf(what, sizeof what, "%s read answers the 5000 bytes", how);
	check(what, err == 0 && io.out_size == 5000 && !memcmp(back, big, 5000), (int)io.out_size);

	io = (struct door_io){NULL, 0, back, 10, 0, -1, 0, -1, 0, NULL};
	err = note_read(&na, &(struct note_at){100}, &len, &io);
	snprintf(what, sizeof what, "%s read at most out_cap", how);
	check(what, err == 0 && io.out_size == 10 && !memcmp(back, big + 100, 10),
	      (int)io.out_size);

	io = (struct door_io){NULL, 0, back, sizeof back, 0, -1, 0, -1, 0, NULL};
	memset(back, 0, sizeof back);
	err = note_view(&na, &(struct note_at){0}, &len, &io);
	snprintf(what, sizeof what, "%s an answer from the server's own memory", how);
	check(what, err == 0 && io.out_size == 5000 && !memcmp(back, big, 5000), (int)io.out_size);

	io = (struct door_io){NULL, 0, back, 10, 0, -1, 0, -1, 0, NULL};
	err = note_view(&na, &(struct note_at){100}, &len, &io);
	snprintf(what, sizeof what, "%s ... at most out_cap of it", how);
	check(what, err == 0 && io.out_size == 10 && !memcmp(back, big + 100, 10),
	      (int)io.out_size);

	char *page = vm_alloc(DOOR_IO_MAX);
	memcpy(page, big, DOOR_IO_MAX);
	struct note_where w = {0, 0, 0};
	io = (struct door_io){page, DOOR_IO_MAX, NULL, 0, 0, -1, 0, -1, 0, NULL};
	err = note_where(&na, &(struct note_none){0}, &w, &io);
	snprintf(what, sizeof what, "%s page-aligned bytes arrive whole%s", how,
	         remote ? ", by the bulk path" : "");
	check(what,
	      err == 0 && w.size == DOOR_IO_MAX && w.sum == sum_of(big, DOOR_IO_MAX) && w.aligned,
	      err);
	vm_free(page);
	io = (struct door_io){big + 1, 4096, NULL, 0, 0, -1, 0, -1, 0, NULL};
	err = note_where(&na, &(struct note_none){0}, &w, &io);
	snprintf(what, sizeof what, "%s unaligned bytes arrive whole", how);
	check(what, err == 0 && w.size == 4096 && w.sum == sum_of(big + 1, 4096), err);

	io = (struct door_io){big, DOOR_IO_MAX, NULL, 0, 0, -1, 0, -1, 0, NULL};
	err = note_write(&na, &(struct note_at){5000}, &len, &io);
	snprintf(what, sizeof what, "%s write DOOR_IO_MAX bytes", how);
	check(what, err == 0 && len.len == DOOR_IO_MAX, err);

	io = (struct door_io){big, DOOR_IO_MAX + 1, NULL, 0, 0, -1, 0, -1, 0, NULL};
	err = note_write(&na, &(struct note_at){0}, &len, &io);
	snprintf(what, sizeof what, "%s more than DOOR_IO_MAX: E2BIG", how);
	check(what, err == -E2BIG, err);

	io = (struct door_io){NULL, 0, NULL, 0, 0, a, 0, -1, 0, NULL};
	err = note_size_of(dir, &none, &len, &io);
	snprintf(what, sizeof what, "%s a door in: its note's size", how);
	check(what, err == 0 && len.len == 5000 + DOOR_IO_MAX, err);
	door_info_t info;
	snprintf(what, sizeof what, "%s a door sent is still the sender's", how);
	err = door_info(a, &info);
	check(what, err == 0, err);

	io = (struct door_io){NULL, 0, NULL, 0, 0, -1, 0, -1, 0, NULL};
	err = note_size_of(dir, &none, &len, &io);
	snprintf(what, sizeof what, "%s no door where one is needed: EBADF", how);
	check(what, err == -EBADF, err);

	err = note_open(&na, &(struct note_name){"nested"}, &none, &io);
	snprintf(what, sizeof what, "%s open on a note: EINVAL", how);
	check(what, err == -EINVAL && io.out_door < 0, err);

	/* A second note, moved to the server as an argument: the sender's id
	 * goes with it, and the note dies when the server drops it. */
	io = (struct door_io)DOOR_IO_NONE;
	note_open(dir, &(struct note_name){"moved"}, &none, &io);
	int b = io.out_door;
	io = (struct door_io){NULL, 0, NULL, 0, 0, b, DOOR_MOVE, -1, 0, NULL};
	err = note_size_of(dir, &none, &len, &io);
	snprintf(what, sizeof what, "%s a door moved in", how);
	check(what, err == 0 && len.len == 0 && door_info(b, &info) == -EBADF, err);

	door_close(a);
	if (!remote)
		return; /* linked in, every id is the server domain's own: no notification */
	snprintf(what, sizeof what, "%s closed notes are freed (unreferenced)", how);
	int n = settle(dir, base);
	check(what, n == base, n);
}

/* Messages no stub would send, straight at the dispatcher. */
static void hostile(int dir)
{
	uint32_t msg[8] = {1, 0, 0, 0, 0, 0, 0, 0};
	int32_t rep[4];
	door_arg_t a = {msg, 2, NULL, 0, rep, sizeof rep, NULL, 0};
	int err = door_call(dir, &a);
	check("hostile: short message refused", err == 0 && a.data_size == 4 && rep[0] == -EINVAL,
	      err);

	a = (door_arg_t){msg, 12, NULL, 0, rep, sizeof rep, NULL, 0};
	err = door_call(dir, &a);
	check("hostile: open without room for its head refused",
	      err == 0 && a.data_size == 4 && rep[0] == -EINVAL, err);

	/* A huge out_cap: the server answers no more than fits. */
	struct {
		uint32_t op, off, out_cap;
	} rd = {3, 0, 0xffffffffu};
	a = (door_arg_t){&rd, sizeof rd, NULL, 0, rep, sizeof rep, NULL, 0};
	err = door_call(dir, &a);
	check("hostile: read with out_cap 2^32-1 on the directory", err == 0 && rep[0] == -EINVAL,
	      err);

	/* Bytes left to pull by an operation that takes them with the call
	 * (read is DOOR_IO): refused, whatever its server would do. */
	struct {
		uint32_t op, off, out_cap;
	} rq = {3, 0, 16};
	door_pieces_t x = {{&rq, sizeof rq, NULL, 0, rep, sizeof rep, NULL, 0}, msg, 4, NULL, 0};
	err = door_call_pull(dir, &x);
	check("hostile: bytes to pull for an operation that does not pull: refused",
	      err == 0 && rep[0] == -EINVAL, err);

	/* A DOOR_IO operation's head alone, in registers: the fast procedure
	 * serves only the small fixed operations, and refuses it. */
	struct {
		uint32_t op, unused, out_cap;
	} head = {4, 0, 0};
	a = (door_arg_t){&head, sizeof head, NULL, 0, rep, sizeof rep, NULL, 0};
	err = door_call(dir, &a);
	check("hostile: a DOOR_IO operation in registers is refused",
	      err == 0 && a.data_size == 4 && rep[0] == -EINVAL, err);

	/* Three doors where one is taken: the others are closed, not leaked. */
	door_desc_t d[3];
	for (int i = 0; i < 3; i++)
		d[i] = (door_desc_t){dir, 0};
	door_info_t before, after;
	door_info(dir, &before);
	struct {
		uint32_t op, unused, out_cap;
	} sz = {4, 0, 0};
	a = (door_arg_t){&sz, sizeof sz, d, 3, rep, sizeof rep, NULL, 0};
	err = door_call(dir, &a);
	door_info(dir, &after);
	check("hostile: extra doors closed by the dispatcher",
	      err == 0 && after.refs == before.refs, (int)after.refs);

	/* Doors riding along with a fixed-size operation, or a refused one. */
	struct {
		uint32_t op, unused;
	} lv = {5, 0};
	a = (door_arg_t){&lv, sizeof lv, d, 3, rep, sizeof rep, NULL, 0};
	err = door_call(dir, &a);
	door_info(dir, &after);
	check("hostile: doors sent with a fixed-size operation are closed",
	      err == 0 && after.refs == before.refs, (int)after.refs);
	lv.op = 99;
	a = (door_arg_t){&lv, sizeof lv, d, 3, rep, sizeof rep, NULL, 0};
	err = door_call(dir, &a);
	door_info(dir, &after);
	check("hostile: doors sent with a refused operation are closed",
	      err == 0 && rep[0] == -EINVAL && after.refs == before.refs, (int)after.refs);
}

static int server(void)
{
	int id = door_create_mixed(note_fast, note_dispatch, &directory, 0);
	if (id < 0 || door_pool_start(3) < 0 || name_publish("iotest.notes", id) < 0)
		return 1;
	printf("iotest server: serving iotest.notes\n");
	while (!quit)
		sleep_ms(20);
	return 0;
}

static int client(void)
{
	int id = name_lookup("iotest.notes", 5000);
	if (id < 0)
		return 1;
	struct door_binding remote, local;
	door_bind_remote(&remote, id);
	run("remote", &remote, 1);
	hostile(id);
	if (door_pool_start(2) < 0)
		return 1;
	door_bind_local(&local, &note_impl, NULL);
	run("local", &local, 0);
	printf("iotest client: %d checks, %d failed\n", checks, failed);
	struct note_none none = {0};
	note_quit(&remote, &none, &none);
	return failed != 0;
}

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "server"))
		return server();
	return client();
}
