/* SPDX-License-Identifier: MIT */
/*
 * The domain manager and domain objects (sprig/kobj.h): how a domain that
 * holds the right doors makes another domain, fills it from an ELF image
 * in its own memory, gives it doors, starts its threads, kills it, and
 * hears of its end. A domain door names its domain by id, so a door
 * outliving its domain names nothing (-ESRCH), never a successor.
 *
 * Notices: each domain may have one watch door; when the domain is gone,
 * its end goes to that door's server as a notice (an upcall with 16 bytes
 * in registers), from a small table here.
 *
 * Program images are image.c's; DM_IMAGE and DOM_LOAD_IMAGE come here.
 *
 * Entry points: domobj_manager, domobj_domain (from kobj.c),
 * domobj_domain_ended (domain.c), domobj_released (door.c), notice_free
 * (doorcall.c).
 */
#include "nucleus/nucleus.h"
#include "lib/c/libc.h"
#include <sprig/errno.h>
#include <sprig/kobj.h>

#define MAX_NOTICES 64

/* Notices waiting for a server thread; interrupts off. */
static struct {
	struct notice n[MAX_NOTICES];
	int used[MAX_NOTICES];
} notices;

static struct notice *notice_alloc(void)
{
	for (int i = 0; i < MAX_NOTICES; i++)
		if (!notices.used[i]) {
			notices.used[i] = 1;
			return &notices.n[i];
		}
	return NULL;
}

/* A notice delivered or dropped: its hold on the door goes. */
void notice_free(struct notice *n)
{
	if (n->done) {
		n->done(n); /* not one of ours */
		return;
	}
	door_put(n->door);
	notices.used[n - notices.n] = 0;
}

/* d is gone: its watcher, if it can still be reached, gets the notice. */
void domobj_domain_ended(struct domain *d)
{
	struct door *w = d->watch;
	if (!w)
		return;
	d->watch = NULL;
	struct notice *n = w->server && !(w->flags & DOOR_REVOKED) ? notice_alloc() : NULL;
	if (!n) {
		if (w->server && !(w->flags & DOOR_REVOKED))
			klog(LOG_WARN, "nucleus: no room for the notice of %s#%d's end", d->name,
			     d->id);
		door_put(w);
		return;
	}
	*n = (struct notice){{LIST_INIT(n->up.link), UPCALL_NOTICE},
	                     w,
	                     {(uint32_t)d->id, d->end_cause, (uint32_t)d->end_status, d->end_addr},
	                     NULL};
	door_pool_notice(n); /* the notice holds w now */
}

/* The last door to a nucleus object is gone. A domain that never ran goes
 * with it (nobody could ever start it); one that runs goes on. An image
 * goes (image.c). */
void domobj_released(struct door *d)
{
	if (d->entry == KOBJ_IMAGE)
		image_released(d->datum);
	if (d->entry != KOBJ_DOMAIN)
		return;
	struct domain *dom = domain_by_id((int)d->datum);
	if (dom && !dom->started && !dom->dying)
		domain_discard(dom);
}

/* Copies IN of exactly size bytes from rq, or says why not. */
static int take_in(const struct kobj_request *rq, void *in, uint32_t size)
{
	if (rq->in_size != size)
		return -EINVAL;
	memcpy(in, rq->in, size);
	return 0;
}

static void put_out(struct kobj_reply *rp, const void *out, uint32_t size)
{
	memcpy(rp->out, out, size);
	rp->out_size = size;
}

/* DM_CREATE: a new empty domain, and a door to it in the reply. */
static int dm_create(const struct kobj_request *rq, struct kobj_reply *rp)
{
	struct kobj_create_in in;
	if (take_in(rq, &in, sizeof in) < 0)
		return -EINVAL;
	if (in.name[0] == 0 || strnlen(in.name, sizeof in.name) == sizeof in.name)
		return -EINVAL; /* empty, or not terminated */
	struct domain *d = domain_create(in.name);
	if (!d)
		return -EAGAIN;
	domain_set_frame_limit(d, in.frames);
	struct door *door = kobj_door(KOBJ_DOMAIN, (uint32_t)d->id);
	if (!door) {
		domain_discard(d);
		return -ENFILE;
	}
	door_get(door); /* the reply's hold */
	rp->door_out = door;
	klog(LOG_INFO, "nucleus: domain %s#%d created by %s#%d", d->name, d->id,
	     rq->caller->dom->name, rq->caller->dom->id);
	return 0;
}

/* DM_FRAMES: the machine's free and total frames. */
static int dm_frames(const struct kobj_request *rq, struct kobj_reply *rp)
{
	if (rq->in_size != 0)
		return -EINVAL;
	struct kobj_frames_out out = {frame_free_count(), frame_total_count()};
	put_out(rp, &out, sizeof out);
	return 0;
}

void domobj_manager(const struct kobj_request *rq, struct kobj_reply *rp)
{
	switch (rq->op) {
	case DM_CREATE: rp->status = dm_create(rq, rp); break;
	case DM_DEVICES: rp->status = devmgr_door(rq, rp); break;
	case DM_IMAGE: rp->status = image_make(rq, rp); break;
	case DM_FRAMES: rp->status = dm_frames(rq, rp); break;
	default: rp->status = -ENOSYS; break;
	}
}

/* The end of a load of d: on failure (err < 0) the reason is logged and
 * d is empty again, for another try; on success d is loaded and start
 * goes in the reply. Returns err. */
static int load_done(struct domain *d, int err, const struct elf_start *start, const char *why,
                     struct kobj_reply *rp)
{
	if (err < 0) {
		klog(LOG_WARN, "nucleus: loading %s#%d: %s", d->name, d->id, why);
		uint32_t limit = d->as.frame_limit;
		aspace_destroy(&d->as); /* back to empty, for another try */
		if (aspace_create(&d->as) < 0)
			domain_discard(d);
		else
			d->as.frame_limit = limit;
		return err;
	}
	d->loaded = 1;
	struct kobj_load_out out = {start->entry, start->esp, start->argp};
	put_out(rp, &out, sizeof out);
	return 0;
}

/* DOM_LOAD: the caller's ELF image into the empty domain d. */
static int dom_load(struct domain *d, const struct kobj_request *rq, struct kobj_reply *rp)
{
	struct kobj_load_in in;
	if (take_in(rq, &in, sizeof in) < 0)
		return -EINVAL;
	if (strnlen(in.args, sizeof in.args) == sizeof in.args)
		return -EINVAL;
	if (d->loaded || d->started)
		return -EBUSY;
	struct elf_start start;
	const char *why;
	int err = elf_load_user(d, &rq->caller->dom->as, in.image, in.size, in.args, &start, &why);
	return load_done(d, err, &start, why, rp);
}

/* DOM_LOAD_IMAGE: the empty domain d from the image door passed
 * (image.c): its text shared with every domain loaded from it. */
static int dom_load_image(struct domain *d, const struct kobj_request *rq, struct kobj_reply *rp)
{
	struct kobj_load_image_in in;
	if (take_in(rq, &in, sizeof in) < 0)
		return -EINVAL;
	if (strnlen(in.args, sizeof in.args) == sizeof in.args)
		return -EINVAL;
	const struct door *img = rq->door_in;
	if (!img || img->server != &kobj_nucleus || img->entry != KOBJ_IMAGE)
		return -EINVAL;
	if (d->loaded || d->started)
		return -EBUSY;
	struct elf_start start;
	const char *why;
	int err = image_load(d, img->datum, in.args, &start, &why);
	return load_done(d, err, &start, why, rp);
}

/* DOM_THREAD: a thread of d at eip with esp and eax. */
static int dom_thread(struct domain *d, const struct kobj_request *rq)
{
	struct kobj_thread_in in;
	if (take_in(rq, &in, sizeof in) < 0)
		return -EINVAL;
	if (!uaccess_range_ok(in.eip, 1) || !uaccess_range_ok(in.esp, 0))
		return -EFAULT;
	struct thread *t = thread_create_user(d, in.eip, in.esp, in.eax);
	if (!t)
		return -EAGAIN;
	thread_trapframe(t)->ebx = in.ebx;
	return t->id;
}

/* DOM_GIVE: a copy of the door passed, into d's table. */
static int dom_give(struct domain *d, const struct kobj_request *rq)
{
	if (!rq->door_in || rq->in_size != 0)
		return -EINVAL;
	if (d->dtable.used >= DOOR_TABLE_SIZE)
		return -EMFILE;
	return dtable_insert(d, rq->door_in);
}

/* DOM_KILL: d ends, its end says KILLED with the status given. */
static int dom_kill(struct domain *d, const struct kobj_request *rq)
{
	int32_t status;
	if (take_in(rq, &status, sizeof status) < 0)
		return -EINVAL;
	domain_set_end(d, KOBJ_END_KILLED, status, 0);
	if (!d->started) {
		domain_discard(d);
		return 0;
	}
	domain_kill_info(d, "by %s#%d (status %d)", rq->caller->dom->name, rq->caller->dom->id,
	                 status);
	return 0;
}

/* DOM_WATCH: the door to notify when d ends (replacing any earlier one). */
static int dom_watch(struct domain *d, const struct kobj_request *rq)
{
	if (!rq->door_in || rq->in_size != 0)
		return -EINVAL;
	if (rq->door_in->server == &kobj_nucleus)
		return -EINVAL; /* the nucleus takes no notices */
	door_get(rq->door_in);
	if (d->watch)
		door_put(d->watch);
	d->watch = rq->door_in;
	return 0;
}

/* The input of DOM_CLONE: kobj_clone_in, or the name alone (flags 0), as
 * callers before the flags sent it. */
static int take_clone_in(const struct kobj_request *rq, struct kobj_clone_in *in)
{
	memset(in, 0, sizeof *in);
	if (rq->in_size != sizeof in->name && rq->in_size != sizeof *in)
		return -EINVAL;
	memcpy(in, rq->in, rq->in_size);
	if (in->name[0] == 0 || strnlen(in->name, sizeof in->name) == sizeof in->name)
		return -EINVAL;
	return (in->flags & ~KOBJ_CLONE_SHARED) ? -EINVAL : 0;
}

/* DOM_CLONE: a new domain with a copy-on-write copy of d's memory (with
 * KOBJ_CLONE_SHARED, sharing all of it but the main stack), and a door to
 * it in the reply; no threads, no doors (the caller gives those). */
static int dom_clone(struct domain *d, const struct kobj_request *rq, struct kobj_reply *rp)
{
	struct kobj_clone_in in;
	if (take_clone_in(rq, &in) < 0)
		return -EINVAL;
	struct domain *c = domain_create(in.name);
	if (!c)
		return -EAGAIN;
	struct door *door = kobj_door(KOBJ_DOMAIN, (uint32_t)c->id);
	if (!door) {
		domain_discard(c);
		return -ENFILE;
	}
	door_get(door); /* the reply's hold */
	/* The parent's limit, set before the copy that it bounds. */
	c->as.frame_limit = d->as.frame_limit;
	int shared = in.flags & KOBJ_CLONE_SHARED;
	if ((shared ? vmm_clone_shared(&c->as, &d->as) : vmm_clone(&c->as, &d->as)) < 0) {
		domain_discard(c);
		door_put(door);
		return -ENOMEM;
	}
	c->loaded = 1;
	rp->door_out = door;
	klog(LOG_INFO, "nucleus: domain %s#%d cloned from %s#%d%s", c->name, c->id, d->name, d->id,
	     shared ? ", sharing its memory" : "");
	return 0;
}

/* DOM_SIGNAL: an upcall in d's main thread (signal.c). */
static int dom_signal(struct domain *d, const struct kobj_request *rq)
{
	struct kobj_signal_in in;
	if (take_in(rq, &in, sizeof in) < 0)
		return -EINVAL;
	return signal_post(d, in.eip, in.arg);
}

/* DOM_FRAMES: the frames d holds (vmm.h's count), and its limit. */
static int dom_frames(struct domain *d, const struct kobj_request *rq, struct kobj_reply *rp)
{
	if (rq->in_size != 0)
		return -EINVAL;
	struct kobj_frames_out out = {d->as.nframes, d->as.frame_limit};
	put_out(rp, &out, sizeof out);
	return 0;
}

static int dom_info(struct domain *d, const struct kobj_request *rq, struct kobj_reply *rp)
{
	if (rq->in_size != 0)
		return -EINVAL;
	struct kobj_info_out out = {(uint32_t)d->id, (uint32_t)d->nthreads};
	put_out(rp, &out, sizeof out);
	return 0;
}

void domobj_domain(uint32_t id, const struct kobj_request *rq, struct kobj_reply *rp)
{
	struct domain *d = domain_by_id((int)id);
	if (!d || d->dying) {
		rp->status = -ESRCH;
		return;
	}
	switch (rq->op) {
	case DOM_LOAD: rp->status = dom_load(d, rq, rp); break;
	case DOM_THREAD: rp->status = dom_thread(d, rq); break;
	case DOM_GIVE: rp->status = dom_give(d, rq); break;
	case DOM_KILL: rp->status = dom_kill(d, rq); break;
	case DOM_WATCH: rp->status = dom_watch(d, rq); break;
	case DOM_INFO: rp->status = dom_info(d, rq, rp); break;
	case DOM_CLONE: rp->status = dom_clone(d, rq, rp); break;
	case DOM_SIGNAL: rp->status = dom_signal(d, rq); break;
	case DOM_LOAD_IMAGE: rp->status = dom_load_image(d, rq, rp); break;
	case DOM_FRAMES: rp->status = dom_frames(d, rq, rp); break;
	default: rp->status = -ENOSYS; break;
	}
}
