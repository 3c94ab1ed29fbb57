/* SPDX-License-Identifier: MIT */
/*
 * Domains: an address space and the threads that run in it. A domain ends
 * when its last thread exits, whether it asked to (domain_exit) or was killed
 * for a fault (domain_kill); then every frame it used goes back.
 *
 * How it ended (end_cause, end_status, end_addr) is recorded once, by the
 * first of domain_exit, domain_kill, domain_set_end, and goes to its
 * watcher, if it has one (domobj.c), when it is gone.
 *
 * Every domain has a limit on the frames it holds (vmm.h says what
 * counts), set by whoever creates it, else a default; the VMM refuses a
 * frame beyond it with -ENOMEM and reports the first refusal here
 * (vmm_limit_reached), which logs it once.
 *
 * Entry points: domain_create, domain_set_frame_limit,
 * domain_set_default_frame_limit, domain_by_id, domain_kill, domain_exit,
 * domain_set_end, domain_thread_gone, domain_discard, domain_count,
 * vmm_limit_reached.
 */
#include "nucleus/nucleus.h"
#include "lib/c/libc.h"
#include <sprig/kobj.h>

/* The domain table and the number of live domains. */
static struct {
	struct domain d[MAX_DOMAINS];
	int next_id;
	int live;
	uint32_t default_frames; /* a new domain's frame limit; 0: DOMAIN_FRAMES_DEFAULT */
} domains;                       /* in .bss: ids start at 1 (pre-increment) */

struct waitq domains_ended = {LIST_INIT(domains_ended.threads)};

/* Returns a new domain with an empty address space, no threads and the
 * default frame limit, or NULL when the table or memory is full. */
struct domain *domain_create(const char *name)
{
	for (int i = 0; i < MAX_DOMAINS; i++) {
		struct domain *d = &domains.d[i];
		if (d->live)
			continue;
		memset(d, 0, sizeof *d);
		if (aspace_create(&d->as) < 0)
			return NULL;
		d->live = 1;
		d->id = ++domains.next_id;
		strlcpy(d->name, name, sizeof d->name);
		domain_set_frame_limit(d, 0);
		list_init(&d->threads);
		door_pool_init(&d->pool);
		domains.live++;
		return d;
	}
	return NULL;
}

/* Sets how many frames d may hold (0: the default). A limit below what d
 * holds already refuses only its next frames. */
void domain_set_frame_limit(struct domain *d, uint32_t frames)
{
	if (!frames)
		frames = domains.default_frames ? domains.default_frames : DOMAIN_FRAMES_DEFAULT;
	d->as.frame_limit = frames;
}

/* Sets the limit of domains made from now on without one of their own
 * (0: DOMAIN_FRAMES_DEFAULT). */
void domain_set_default_frame_limit(uint32_t frames)
{
	domains.default_frames = frames;
}

/* The VMM refused a domain a frame over its limit, for the first time:
 * one log line (the refusals themselves are -ENOMEM). */
void vmm_limit_reached(const struct aspace *as)
{
	const struct domain *d =
	        (const struct domain *)((const char *)as - offsetof(struct domain, as));
	klog(LOG_WARN, "nucleus: domain %s#%d reached its limit of %u frames", d->name, d->id,
	     as->frame_limit);
}

/* The live domain with this id, or NULL (ids are never reused). */
struct domain *domain_by_id(int id)
{
	for (int i = 0; i < MAX_DOMAINS; i++)
		if (domains.d[i].live && domains.d[i].id == id)
			return &domains.d[i];
	return NULL;
}

/* Records how d ends, unless something already did. */
void domain_set_end(struct domain *d, uint32_t cause, int32_t status, uint32_t addr)
{
	if (d->end_cause || d->dying)
		return;
	d->end_cause = cause;
	d->end_status = status;
	d->end_addr = addr;
}

static void kill_threads(struct domain *d)
{
	struct list_node *pos, *tmp;
	d->dying = 1;
	door_revoke_served(d); /* no new calls; queued callers get -EBADF */
	list_for_each_safe(pos, tmp, &d->threads)
	        thread_kill(list_entry(pos, struct thread, dom_link));
}

/* Kills d for the reason given, logging one line at level. Its threads
 * exit on their way back to user mode; the current thread may be one of
 * them. domain_kill is for the nucleus's own verdicts (a warning);
 * domain_kill_info for a kill its manager asked for (DOM_KILL). */
static void kill_logged(struct domain *d, enum log_level level, const char *fmt, va_list ap)
{
	if (d->dying)
		return;
	char why[128];
	vsnprintf(why, sizeof why, fmt, ap);
	klog(level, "nucleus: domain %s#%d killed: %s", d->name, d->id, why);
	domain_set_end(d, KOBJ_END_NUCLEUS, -1, 0);
	d->exit_status = -1;
	kill_threads(d);
}

void domain_kill(struct domain *d, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	kill_logged(d, LOG_WARN, fmt, ap);
	va_end(ap);
}

void domain_kill_info(struct domain *d, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	kill_logged(d, LOG_INFO, fmt, ap);
	va_end(ap);
}

/* Ends d with status, as its own request. */
void domain_exit(struct domain *d, int status)
{
	if (d->dying)
		return;
	klog(LOG_INFO, "nucleus: domain %s#%d exited with status %d", d->name, d->id, status);
	domain_set_end(d, KOBJ_END_EXIT, status, 0);
	d->exit_status = status;
	kill_threads(d);
}

/* d is gone: its watcher hears, its doors go, its memory goes back (after
 * leaving its address space, if it is the one loaded). */
static void domain_end(struct domain *d)
{
	domain_set_end(d, KOBJ_END_EXIT, 0, 0); /* its threads just ended */
	d->dying = 1;
	domobj_domain_ended(d);
	door_domain_gone(d);
	if (read_cr3() == d->as.cr3)
		aspace_activate(NULL);
	devmgr_domain_gone(d);
	aspace_destroy(&d->as);
	d->live = 0;
	if (--domains.live == 0)
		waitq_wake_all(&domains_ended);
}

/* The last thread of d is exiting (it is current). */
void domain_thread_gone(struct domain *d)
{
	if (!d->dying)
		klog(LOG_INFO, "nucleus: domain %s#%d ended with its last thread", d->name, d->id);
	domain_end(d);
}

/* Ends d, which has no thread (it never started, or its loading failed). */
void domain_discard(struct domain *d)
{
	domain_end(d);
}

int domain_count(void)
{
	return domains.live;
}
