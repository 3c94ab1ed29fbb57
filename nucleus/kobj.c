/* SPDX-License-Identifier: MIT */
/*
 * Nucleus objects: doors the nucleus serves itself (sprig/kobj.h). Their
 * server is kobj_nucleus, a domain with no threads and no memory, so the
 * fast path (whose pool check always fails for it) and every door
 * operation treat them like any door; call_door sends their calls here,
 * and the operation runs at once in the caller's thread, like a system
 * call. The door's entry says which kind of object, its datum which one.
 *
 * A call carries {uint32_t op; IN} and gets {int32_t status; OUT}, and at
 * most one door each way (desc[0], rdesc[0]).
 *
 * Entry points: kobj_call, kobj_door; kobj_nucleus.
 */
#include "nucleus/nucleus.h"
#include "lib/c/libc.h"
#include <sprig/errno.h>
#include <sprig/kobj.h>

/* The server of every nucleus object: no threads, so its pool's idle
 * stack stays empty and the fast path never enters it. */
struct domain kobj_nucleus = {
        .name = "nucleus",
        .pool = {.idle = NULL,
                 .callers = LIST_INIT(kobj_nucleus.pool.callers),
                 .upcalls = LIST_INIT(kobj_nucleus.pool.upcalls)},
};

/* A new door to a nucleus object, with no references yet; NULL when the
 * door table is full. */
struct door *kobj_door(enum kobj_kind kind, uint32_t datum)
{
	return door_alloc(&kobj_nucleus, kind, datum, 0);
}

/* Reads c's request into buf (room for KOBJ_MSG_MAX) and rq. */
static int read_request(struct thread *c, int mode, uint8_t *buf, struct kobj_request *rq)
{
	const struct door_request *r = &c->dt.req;
	uint32_t size = mode == DOOR_MODE_FAST ? r->size : r->arg.data_size;
	door_desc_t desc;
	*rq = (struct kobj_request){c, 0, buf + 4, 0, NULL};
	if (size < sizeof rq->op)
		return -EINVAL;
	if (size > KOBJ_MSG_MAX)
		return -E2BIG;
	if (mode == DOOR_MODE_FAST)
		memcpy(buf, r->words, size);
	else if (copy_in(&c->dom->as, buf, (uint32_t)r->arg.data_ptr, size) < 0)
		return -EFAULT;
	memcpy(&rq->op, buf, sizeof rq->op);
	rq->in_size = size - sizeof rq->op;
	if (mode == DOOR_MODE_FAST || r->arg.desc_num == 0)
		return 0;
	if (r->arg.desc_num > 1)
		return -E2BIG;
	if (copy_in(&c->dom->as, &desc, (uint32_t)r->arg.desc_ptr, sizeof desc) < 0)
		return -EFAULT;
	if (!(rq->door_in = dtable_lookup(c->dom, desc.id)))
		return -EBADF;
	return 0;
}

/* Hands rp to a fast caller: in its registers, 16 bytes at most and no
 * door. Returns the size (the call's result) or -ERANGE. */
static int reply_fast(struct thread *c, const struct kobj_reply *rp, uint32_t size)
{
	uint32_t w[4] = {0, 0, 0, 0};
	if (size > sizeof w || rp->door_out)
		return -ERANGE;
	memcpy(w, &rp->status, sizeof rp->status);
	memcpy((char *)w + sizeof rp->status, rp->out, size - sizeof rp->status);
	struct sysframe *f = thread_sysframe(c);
	f->ebx = w[0], f->esi = w[1], f->edi = w[2], f->ebp = w[3];
	return (int)size;
}

/* Hands rp to a general caller: the data to its rbuf, the door (if any)
 * into its table and rdesc[0], and its door_arg_t updated. Returns 0, or
 * -ERANGE with data_size set when the room given is too small. */
static int reply_general(struct thread *c, const struct kobj_reply *rp, uint32_t size)
{
	door_arg_t out = c->dt.req.arg;
	int err = 0;
	if (size > out.rsize || (rp->door_out && out.rdesc_num < 1))
		err = -ERANGE;
	else if (copy_out(&c->dom->as, (uint32_t)out.rbuf, &rp->status, sizeof rp->status) < 0 ||
	         copy_out(&c->dom->as, (uint32_t)out.rbuf + 4, rp->out, size - 4) < 0)
		return -EFAULT;
	if (!err && rp->door_out) {
		if (c->dom->dtable.used >= DOOR_TABLE_SIZE)
			return -EMFILE;
		door_desc_t desc = {0, 0};
		if (copy_out(&c->dom->as, (uint32_t)out.rdesc, &desc, sizeof desc) < 0)
			return -EFAULT;
		desc.id = dtable_insert(c->dom, rp->door_out);
		copy_out(&c->dom->as, (uint32_t)out.rdesc, &desc, sizeof desc);
	}
	if (!err) {
		out.data_ptr = out.rbuf;
		out.rdesc_num = rp->door_out ? 1 : 0;
	}
	out.data_size = size;
	if (copy_out(&c->dom->as, c->dt.req.argp, &out, sizeof out) < 0)
		return -EFAULT;
	return err;
}

/* Runs c's call on nucleus object d and answers it; returns what c's door
 * call returns (the reply's size on the fast entry, 0 on the general one,
 * or -errno when the call itself failed). */
int kobj_call(struct thread *c, struct door *d, int mode)
{
	uint8_t buf[KOBJ_MSG_MAX];
	struct kobj_request rq;
	struct kobj_reply rp = {0, {0}, 0, NULL};
	int err = read_request(c, mode, buf, &rq);
	if (err < 0)
		return err;
	switch (d->entry) {
	case KOBJ_DOMAIN_MANAGER: domobj_manager(&rq, &rp); break;
	case KOBJ_DOMAIN: domobj_domain(d->datum, &rq, &rp); break;
	case KOBJ_DEVICE_MANAGER: devmgr_manager(&rq, &rp); break;
	case KOBJ_IRQ_LINE: irqline_call(d->datum, &rq, &rp); break;
	case KOBJ_IMAGE: image_call(d->datum, &rq, &rp); break;
	default: rp.status = -ENOSYS; break;
	}
	if (rp.status < 0)
		rp.out_size = 0; /* a refusal is just the status */
	uint32_t size = sizeof rp.status + rp.out_size;
	err = mode == DOOR_MODE_FAST ? reply_fast(c, &rp, size) : reply_general(c, &rp, size);
	if (rp.door_out)
		door_put(rp.door_out); /* the caller's table holds it now, or nobody */
	return err;
}
