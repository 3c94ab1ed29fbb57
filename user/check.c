/* SPDX-License-Identifier: MIT */
/*
 * The test programs' checks and death notices (check.h).
 *
 * Entry points: check_start, check, check_err, notice_proc, notice_for,
 * domain_id, reap.
 */
#include <errno.h>
#include <sys/wait.h>

#include "user/check.h"

#define NOTICES 32

int checks, failures;
static const char *prog = "test";
static int form;

void check_start(const char *name, int how)
{
	prog = name;
	form = how;
}

void check(const char *what, int ok, const char *fmt, ...)
{
	checks++;
	if (ok) {
		printf(form == CHECK_PAREN ? "%s %s: ok\n" : "%s: %s: ok\n", prog, what);
		return;
	}
	failures++;
	char why[160];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(why, sizeof why, fmt, ap);
	va_end(ap);
	printf(form == CHECK_PAREN ? "%s %s: FAILED (%s)\n" : "%s: %s: FAIL: %s\n", prog, what,
	       why);
}

void check_err(const char *what, int got, int want)
{
	check(what, got == want, "got %d, want %d", got, want);
}

/* The notices received, in order; a server thread fills them. */
static struct {
	struct kobj_notice n[NOTICES];
	volatile int count;
} got;

void notice_proc(void *cookie, const struct door_request *req, struct door_reply *rep)
{
	(void)cookie;
	rep->size = 0;
	if (!(req->flags & DOOR_ENTRY_NOTICE) || req->size != sizeof(struct kobj_notice) ||
	    got.count == NOTICES)
		return;
	memcpy(&got.n[got.count], req->data, sizeof got.n[0]);
	got.count++;
}

const struct kobj_notice *notice_for(uint32_t id, unsigned ms)
{
	for (unsigned waited = 0;; waited += 10) {
		for (int i = 0; i < got.count; i++)
			if (got.n[i].domain == id)
				return &got.n[i];
		if (waited >= ms)
			return NULL;
		sleep_ms(10);
	}
}

uint32_t domain_id(int dom)
{
	struct kobj_info_out info = {0, 0};
	return dom_info(dom, &info) < 0 ? 0 : info.id;
}

int reap(int pid)
{
	int st = -1;
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return -1;
	return st;
}
