/* SPDX-License-Identifier: MIT */
/*
 * The shared halves of DOOR_IO operations (doors.h): the remote call, the
 * linked-in call, and the server's unpacking and packing. The rule they
 * keep on both bindings: a door received is the receiver's own id, to keep
 * (setting in_door to -1) or to leave, and then it is closed for it.
 *
 * Entry points: door_io_call, door_io_local, door_io_serve_begin,
 * door_io_serve_end, door_drop_received.
 */
#include "lib/doors/doors.h"

static uint32_t min_u32(uint32_t a, uint32_t b)
{
	return a < b ? a : b;
}

/* A call or reply of at most this many bytes is gathered on the stack
 * and sent as one piece: below it a copy here costs less than the
 * nucleus's second piece (a page-table walk for each). */
#define DOOR_IO_SMALL 512

/* A DOOR_IO call through door id: msg holds the call's head bytes (op,
 * IN, out_cap: the stub filled them), and io->in's bytes follow it as the
 * message's tail; the reply's head (status and OUT) lands in reply and its
 * bytes straight in io->out. So big transfers are copied only by the
 * nucleus, and a page-aligned io->in of a page or more goes by the bulk
 * path (its pages are shared with the server, not copied); small ones are
 * gathered here. With pull (DOOR_IO_PULL) bigger bytes sent are not sent:
 * the server copies them from io->in itself, once, where they go.
 * Returns -errno, 0 with the whole reply, or 1 when the server refused
 * the operation and sent only a status. */
int door_io_call(int id, struct door_io *io, const void *msg, uint32_t head, void *reply,
                 uint32_t rhead, int pull)
{
	char in[DOOR_IO_SMALL], out[DOOR_IO_SMALL];
	io->out_size = 0;
	io->out_door = -1;
	if (io->in_size > DOOR_IO_MAX)
		return -E2BIG;
	if (io->in_size && !io->in)
		return -EFAULT;
	uint32_t cap = min_u32(io->out_cap, DOOR_IO_MAX);
	int gather = io->in_size && head + io->in_size <= sizeof in;
	int scatter = cap && rhead + cap <= sizeof out;
	door_desc_t d = {io->in_door, io->in_flags & DOOR_MOVE}, rd = {-1, 0};
	door_pieces_t p = {{msg, head, &d, io->in_door >= 0 ? 1 : 0, reply, rhead, &rd, 1},
	                   io->in,
	                   io->in_size,
	                   io->out,
	                   cap};
	if (gather) {
		memcpy(in, msg, head);
		memcpy(in + head, io->in, io->in_size);
		p.arg.data_ptr = in;
		p.arg.data_size = head + io->in_size;
		p.tail_size = 0;
	}
	if (scatter) {
		p.arg.rbuf = out;
		p.arg.rsize = rhead + cap;
		p.rtail_size = 0;
	}
	const door_arg_t *a = &p.arg;
	int err;
	if (pull && p.tail_size)
		err = door_call_pull(id, &p);
	else if (p.tail_size || p.rtail_size)
		err = door_call_pieces(id, &p);
	else
		err = door_call_general(id, &p.arg);
	if (err < 0)
		return err;
	if (scatter) {
		memcpy(reply, out, min_u32(a->data_size, rhead));
		if (a->data_size > rhead)
			memcpy(io->out, out + rhead, a->data_size - rhead);
	}
	if (a->rdesc_num > 0)
		io->out_door = rd.id;
	if (a->data_size == sizeof(int32_t))
		return 1;
	if (a->data_size < rhead) {
		if (io->out_door >= 0)
			door_close(io->out_door);
		io->out_door = -1;
		return -EIO;
	}
	io->out_size = a->data_size - rhead;
	return 0;
}

/* The same operation on a server linked into the caller: fn is called
 * directly, and the doors are copied as a door call would copy them. */
int door_io_local(struct door_io *io, void *obj, const void *in, void *out, door_io_fn fn)
{
	if (io->in_size > DOOR_IO_MAX)
		return -E2BIG;
	struct door_io sio = *io;
	sio.out_cap = min_u32(io->out_cap, DOOR_IO_MAX);
	sio.out_size = 0;
	sio.out_door = -1;
	sio.out_flags = 0;
	if (io->in_door >= 0 && !(io->in_flags & DOOR_MOVE)) {
		sio.in_door = door_dup(io->in_door);
		if (sio.in_door < 0)
			return sio.in_door;
	}
	sio.release = NULL;
	int status = fn(obj, in, out, &sio);
	if (sio.out != io->out && sio.out_size) /* answered from its own memory */
		memcpy(io->out, sio.out, min_u32(sio.out_size, sio.out_cap));
	if (sio.release)
		door_release_word((uint32_t *)sio.release);
	if (sio.in_door >= 0)
		door_close(sio.in_door);
	io->out_size = min_u32(sio.out_size, sio.out_cap);
	io->out_door = sio.out_door;
	if (sio.out_door >= 0 && !(sio.out_flags & DOOR_MOVE)) {
		io->out_door = door_dup(sio.out_door);
		if (io->out_door < 0)
			return io->out_door;
	}
	return status;
}

/* Unpacks a DOOR_IO call: its head (op, IN, out_cap) into msg, the bytes
 * and the door into io, and where the answer goes. Returns 0 if malformed. */
int door_io_serve_begin(const struct door_request *req, struct door_reply *rep, struct door_io *io,
                        void *msg, uint32_t head, uint32_t rhead, int pull)
{
	uint32_t out_cap;
	if (req->size < head || req->size - head > DOOR_IO_MAX || req->pull > DOOR_IO_MAX ||
	    (req->pull && (!pull || req->size != head)))
		return 0;
	memcpy(msg, req->data, head);
	memcpy(&out_cap, (const char *)req->data + head - sizeof out_cap, sizeof out_cap);
	uint32_t room = rep->cap - rhead - (uint32_t)sizeof(door_desc_t);
	*io = (struct door_io){(const char *)req->data + head,
	                       req->size - head,
	                       (char *)rep->buf + rhead,
	                       min_u32(min_u32(out_cap, DOOR_IO_MAX), room),
	                       0,
	                       req->ndesc ? req->desc[0].id : -1,
	                       0,
	                       -1,
	                       0,
	                       NULL};
	if (req->pull) /* the bytes are still the caller's: door_io_take */
		io->in = NULL, io->in_size = req->pull;
	for (uint32_t i = 1; i < req->ndesc; i++)
		door_close(req->desc[i].id); /* more than the one an operation takes */
	return 1;
}

/* n of the bytes sent, from off, to dst: from io->in, or from the caller
 * (DOOR_IO_PULL). 0, or -errno (-EINTR: the caller has gone). */
int door_io_take(const struct door_io *io, void *dst, uint32_t off, uint32_t n)
{
	if (off > io->in_size || n > io->in_size - off)
		return -EINVAL;
	if (io->in) {
		memcpy(dst, (const char *)io->in + off, n);
		return 0;
	}
	int got = n ? door_pull(off, dst, n) : 0;
	return got < 0 ? got : 0;
}

/* The bytes sent, in memory here: io->in, or pulled into buf (room for
 * DOOR_IO_MAX). NULL with errno set if they could not be had. */
const void *door_io_in(const struct door_io *io, void *buf)
{
	if (io->in || !io->in_size)
		return io->in;
	int err = door_io_take(io, buf, 0, io->in_size);
	if (err < 0) {
		errno = -err;
		return NULL;
	}
	return buf;
}

/* Packs the answer: rhead bytes of status and OUT are in rep->buf, the
 * bytes after them, or where the server pointed io->out (memory of its own
 * that stays as it is until the reply has gone: the reply's tail); a door
 * goes in a descriptor at the buffer's end. */
void door_io_serve_end(struct door_reply *rep, struct door_io *io, uint32_t rhead)
{
	uint32_t n = min_u32(io->out_size, io->out_cap);
	if (io->in_door >= 0)
		door_close(io->in_door);
	rep->data = rep->buf;
	rep->size = rhead + n;
	rep->release = (uint32_t *)io->release;
	if (io->out != (char *)rep->buf + rhead) {
		rep->size = rhead;
		rep->tail = io->out;
		rep->tail_size = n;
	}
	if (io->out_door >= 0) {
		door_desc_t *d = (door_desc_t *)((char *)rep->buf + rep->cap - sizeof *d);
		*d = (door_desc_t){io->out_door, io->out_flags & DOOR_MOVE};
		rep->desc = d;
		rep->ndesc = 1;
	}
}

/* What the nucleus does with door_result_t.release, for the linked-in
 * binding and a failed return: the lock's word cleared, and a waiter woken
 * if it said there were some (2). */
void door_release_word(uint32_t *word)
{
	if (__atomic_exchange_n(word, 0, __ATOMIC_RELEASE) == 2)
		futex_wake(word, 1);
}

/* A request that keeps none of its doors (a fixed-size operation, or one
 * refused): they are closed, so a caller cannot fill the server's door
 * table by sending doors along. */
void door_drop_received(const struct door_request *req)
{
	for (uint32_t i = 0; i < req->ndesc; i++)
		door_close(req->desc[i].id);
}
