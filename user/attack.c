/* SPDX-License-Identifier: MIT */
/*
 * attack ROLE [LIMIT]: a domain that tries to take the machine's memory
 * (tests/system/t_attack.sh).
 *
 *   hog LIMIT  takes frames a page at a time through a system call until
 *              refused, expecting -ENOMEM a little before LIMIT (what it
 *              already holds counts); checks a door call whose results
 *              need a frame gets -ENOMEM too, and that frames given back
 *              can be taken again; publishes attack.hog, then touches
 *              memory past its limit and is killed
 *   bystander  waits for attack.hog, then takes 4096 frames of its own
 *
 * Each check prints "attack: NAME: ok" or "... FAIL: why"; a role ends with
 * "attack ROLE: N of M checks passed".
 */
#include "lib/doors/doors.h"

#define PAGE_SIZE 4096u

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
		printf("attack: %s: ok\n", what);
	} else {
		failures++;
		printf("attack: %s: FAIL: %s\n", what, why);
	}
}

static int finish(const char *role)
{
	printf("attack %s: %d of %d checks passed\n", role, checks - failures, checks);
	return failures ? 1 : 0;
}

static void echo_proc(void *cookie, const struct door_request *req, struct door_reply *rep)
{
	(void)cookie;
	rep->data = req->data;
	rep->size = req->size;
}

/* Touches 16 KiB of stack now, so that nothing later needs a new stack
 * page once memory is refused (a refused page fault kills the domain). */
static void touch_stack(void)
{
	volatile char pad[16384];
	for (uint32_t i = 0; i < sizeof pad; i += 512)
		pad[i] = 0;
}

static char msg[2048], answer[2048];

/* Takes a frame a page at a time (SYS_TIME writes to each fresh page)
 * until refused; returns how many it got, *err the refusal. */
static uint32_t take_frames(char *region, uint32_t pages, int *err)
{
	uint32_t n = 0;
	*err = 0;
	while (n < pages && (*err = sprig_time((struct sprig_time *)(region + n * PAGE_SIZE))) == 0)
		n++;
	return n;
}

static int role_hog(uint32_t limit)
{
	touch_stack();
	door_pool_limit(1); /* no thread may start once memory is refused */
	int echo = door_create(echo_proc, NULL, 0);
	int started = echo >= 0 ? door_pool_start(1) : echo;
	door_arg_t a = {msg + 1, 1000, NULL, 0, answer + 1, 1000, NULL, 0};
	int e = door_call(echo, &a); /* the server's pages are there from now on */
	check("a door this domain serves", echo >= 0 && started == 0 && e == 0,
	      "door %d pool %d call %d", echo, started, e);

	uint32_t span = limit + 256;
	char *region = vm_alloc(span * PAGE_SIZE);
	int err = 0;
	uint32_t taken = region ? take_frames(region, span, &err) : 0;
	check("a system call needing a frame over the limit gets -ENOMEM", err == -ENOMEM,
	      "got %d after %u pages", err, taken);
	check("a little before the limit (what it held counts)",
	      taken < limit && taken + 128 > limit, "%u pages of %u", taken, limit);
	err = region ? sprig_time((struct sprig_time *)(region + taken * PAGE_SIZE)) : 0;
	check("and again while it holds them", err == -ENOMEM, "got %d", err);

	char *fresh = vm_alloc(2 * PAGE_SIZE);
	a = (door_arg_t){msg + 1, 1000, NULL, 0, fresh + 1, 1000, NULL, 0};
	e = fresh ? door_call(echo, &a) : -1;
	check("a door call whose results need a frame gets -ENOMEM", e == -ENOMEM, "got %d", e);

	vm_free(region);
	err = sprig_time((struct sprig_time *)fresh);
	check("frames given back can be taken again", err == 0, "got %d", err);
	int status = finish("hog");

	name_publish("attack.hog", echo);
	sleep_ms(300); /* the bystander sees the name */
	region = vm_alloc(span * PAGE_SIZE);
	for (uint32_t i = 0; region && i < span; i++)
		region[i * PAGE_SIZE] = 1; /* past the limit: killed */
	printf("attack hog: FAIL: %u pages touched, not killed\n", span);
	return status ? status : 1;
}

static int role_bystander(void)
{
	int hog = name_lookup("attack.hog", 30000);
	check("the hog has reached its limit", hog >= 0, "lookup: %d", hog);
	uint32_t pages = 4096, bad = 0;
	char *region = vm_alloc(pages * PAGE_SIZE);
	for (uint32_t i = 0; region && i < pages; i++)
		region[i * PAGE_SIZE] = (char)i;
	for (uint32_t i = 0; region && i < pages; i++)
		bad += region[i * PAGE_SIZE] != (char)i;
	check("another domain still gets 4096 frames", region && bad == 0, "%u bad", bad);
	return finish("bystander");
}

int main(int argc, char **argv)
{
	const char *role = argc > 1 ? argv[1] : "";
	if (!strcmp(role, "hog") && argc > 2)
		return role_hog((uint32_t)atoi(argv[2]));
	if (!strcmp(role, "bystander"))
		return role_bystander();
	printf("attack: unknown role '%s'\n", role);
	return 2;
}
