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
 *           rdesc, no room) many times: the server's table must not fill
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

#define PAGE_SIZE   4096u
#define FRAMES_SPAN (260u << 20) /* more pages than a frame can count */
#define WINDOW_PAGES 512u       /* lib/doors' bulk window: 2 MiB */

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
		door_arg_t arg = {a, n * PAGE_SIZE, NULL, 0, a + at * PAGE_SIZE, n * PAGE_SIZE, NULL,
		                  0};
		err = door_call(echo, &arg);
		calls++;
		bad += (unsigned char)a[(at + n - 1) * PAGE_SIZE + 100] != 0x5c;
		at += n;
		if (n < WINDOW_PAGES)
			n *= 2;
	}
	check("every bulk echo succeeded", err == 0 && at > 0x10000, "error %d after %u calls, %u pages",
	      err, calls, at);
	check("and every answer is the data sent", bad == 0, "%u of %u wrong", bad, calls);
	a[0] = 1; /* a write to the shared frame: a private copy, the others keep theirs */
	check("a write breaks the sharing for that page only",
	      a[0] == 1 && (unsigned char)a[PAGE_SIZE] == 0x5c, "bytes %d %d", a[0], a[PAGE_SIZE]);
	vm_free(a);
	return finish("frames");
}

int main(int argc, char **argv)
{
	const char *role = argc > 1 ? argv[1] : "";
	if (!strcmp(role, "frames"))
		return role_frames();
	printf("usage: hostile frames|rebind|doors|results\n");
	return 2;
}
