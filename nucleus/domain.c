/* SPDX-License-Identifier: MIT */
/*
 * Domains: an address space and the threads that run in it. A domain ends
 * when its last thread exits, whether it asked to (domain_exit) or was killed
 * for a fault (domain_kill); then every frame it used goes back.
 *
 * Entry points: domain_create, domain_kill, domain_exit, domain_thread_gone,
 * domain_count.
 */
#include "nucleus/nucleus.h"
#include "lib/c/libc.h"

/* The domain table and the number of live domains. */
static struct {
	struct domain d[MAX_DOMAINS];
	int next_id;
	int live;
} domains; /* in .bss: ids start at 1 (pre-increment) */

struct waitq domains_ended = {LIST_INIT(domains_ended.threads)};

/* Returns a new domain with an empty address space and no threads, or NULL
 * when the table or memory is full. */
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
		list_init(&d->threads);
		door_pool_init(&d->pool);
		domains.live++;
		return d;
	}
	return NULL;
}

static void kill_threads(struct domain *d)
{
	struct list_node *pos, *tmp;
	d->dying = 1;
	door_revoke_served(d); /* no new calls; queued callers get -EBADF */
	list_for_each_safe(pos, tmp, &d->threads)
	        thread_kill(list_entry(pos, struct thread, dom_link));
}

/* Kills d for the reason given, logging one line. Its threads exit on their
 * way back to user mode; the current thread may be one of them. */
void domain_kill(struct domain *d, const char *fmt, ...)
{
	if (d->dying)
		return;
	char why[128];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(why, sizeof why, fmt, ap);
	va_end(ap);
	klog(LOG_WARN, "nucleus: domain %s#%d killed: %s", d->name, d->id, why);
	d->exit_status = -1;
	kill_threads(d);
}

/* Ends d with status, as its own request. */
void domain_exit(struct domain *d, int status)
{
	if (d->dying)
		return;
	klog(LOG_INFO, "nucleus: domain %s#%d exited with status %d", d->name, d->id, status);
	d->exit_status = status;
	kill_threads(d);
}

/* The last thread of d is exiting (it is current): free the address space
 * after leaving it. */
void domain_thread_gone(struct domain *d)
{
	if (!d->dying)
		klog(LOG_INFO, "nucleus: domain %s#%d ended with its last thread", d->name, d->id);
	door_domain_gone(d);
	aspace_activate(NULL);
	aspace_destroy(&d->as);
	d->live = 0;
	if (--domains.live == 0)
		waitq_wake_all(&domains_ended);
}

int domain_count(void)
{
	return domains.live;
}
