/* SPDX-License-Identifier: MIT */
/*
 * domtest ROLE: domains as nucleus objects (sprig/kobj.h), end to end
 * (tests/system/t_domains.sh):
 *
 *   manager  the first boot module, holding the domain manager: makes
 *            domains from ELF images linked into this program (hello,
 *            fault, spin, domchild), gives them doors, starts, kills and
 *            watches them, and checks every notice of their end; then
 *            hostile requests, each of which must get its error
 *   plain    any other module: holds no door to the domain manager and
 *            cannot find one
 *
 * Each check prints "domtest: NAME: ok" or "... FAIL: why"; a role ends
 * with "domtest ROLE: N of M checks passed".
 */
#include "lib/doors/kobj.h"

#define IMAGE(name) extern const char _binary_##name##_elf_start[], _binary_##name##_elf_end[];
IMAGE(hello)
IMAGE(fault)
IMAGE(spin)
IMAGE(domchild)
#define IMAGE_AT(name)   _binary_##name##_elf_start
#define IMAGE_SIZE(name) ((uint32_t)(_binary_##name##_elf_end - _binary_##name##_elf_start))

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
		printf("domtest: %s: ok\n", what);
	} else {
		failures++;
		printf("domtest: %s: FAIL: %s\n", what, why);
	}
}

static void check_err(const char *what, int got, int want)
{
	check(what, got == want, "got %d, want %d", got, want);
}

static int finish(const char *role)
{
	printf("domtest %s: %d of %d checks passed\n", role, checks - failures, checks);
	return failures ? 1 : 0;
}

/* ------------------------------------------------------------- notices */

/* The notices received, in order; the server thread fills them. */
static struct {
	struct kobj_notice n[16];
	volatile int count;
} got;

static void notice_proc(void *cookie, const struct door_request *req, struct door_reply *rep)
{
	(void)cookie;
	rep->size = 0;
	if (!(req->flags & DOOR_ENTRY_NOTICE) || req->size != sizeof(struct kobj_notice) ||
	    got.count == 16)
		return;
	memcpy(&got.n[got.count], req->data, sizeof got.n[0]);
	got.count++;
}

/* Waits up to 5 s for the notice of domain id; NULL if none came. */
static const struct kobj_notice *notice_for(uint32_t id)
{
	for (int tries = 0; tries < 500; tries++) {
		for (int i = 0; i < got.count; i++)
			if (got.n[i].domain == id)
				return &got.n[i];
		sleep_ms(10);
	}
	return NULL;
}

/* Answers 41 + 1: the door domchild is given. */
static void answer_proc(void *cookie, const struct door_request *req, struct door_reply *rep)
{
	(void)cookie;
	int32_t n = 0;
	if (req->size == sizeof n)
		memcpy(&n, req->data, sizeof n);
	n++;
	memcpy(rep->buf, &n, sizeof n);
	rep->data = rep->buf;
	rep->size = sizeof n;
}

/* ----------------------------------------------------------- lifecycles */

static uint32_t domain_id(int dom)
{
	struct kobj_info_out info = {0, 0};
	return dom_info(dom, &info) < 0 ? 0 : info.id;
}

/* Makes a domain running image with args; returns its door (or -errno),
 * with the watch door set and, if give >= 0, that door as its start door.
 * *id is its domain id, read before it runs (and maybe ends at once). */
static int start(int dm, int watch, const char *name, const char *image, uint32_t size,
                 const char *args, int give, uint32_t *id)
{
	int dom = dm_create(dm, name, 0);
	*id = 0;
	if (dom < 0)
		return dom;
	*id = domain_id(dom);
	struct kobj_load_out at;
	int err = dom_load(dom, image, size, args, &at);
	int start_door = give >= 0 && err >= 0 ? dom_give(dom, give) : -1;
	if (err >= 0 && give >= 0 && start_door < 0)
		err = start_door;
	if (err >= 0)
		err = dom_watch(dom, watch);
	struct kobj_thread_in t = {at.entry, at.esp, at.argp, (uint32_t)start_door};
	if (err >= 0)
		err = dom_thread(dom, &t);
	return err < 0 ? err : dom;
}

/* hello runs to its end: the notice says it exited with 0. */
static void check_exit(int dm, int watch)
{
	uint32_t id;
	int dom = start(dm, watch, "hello", IMAGE_AT(hello), IMAGE_SIZE(hello),
	                "hello from a domain object", -1, &id);
	const struct kobj_notice *n = notice_for(id);
	check("a domain made from an image runs and exits: the notice says exit 0",
	      dom >= 0 && n && n->cause == KOBJ_END_EXIT && n->status == 0,
	      "door %d id %u notice %s cause %u status %d", dom, id, n ? "yes" : "no",
	      n ? n->cause : 0, n ? n->status : 0);
	struct kobj_info_out info;
	int err = dom_info(dom, &info);
	check("an ended domain's door answers -ESRCH", err == -ESRCH, "got %d", err);
	door_close(dom);
}

/* fault null: the notice names the page fault and the address. */
static void check_fault(int dm, int watch)
{
	uint32_t id;
	int dom = start(dm, watch, "fault", IMAGE_AT(fault), IMAGE_SIZE(fault), "fault null", -1,
	                &id);
	const struct kobj_notice *n = notice_for(id);
	check("a faulting domain: the notice says page fault at 0",
	      n && n->cause == KOBJ_END_FAULT && n->status == 14 && n->addr == 0,
	      "notice %s cause %u status %d addr %#x", n ? "yes" : "no", n ? n->cause : 0,
	      n ? n->status : 0, n ? n->addr : 0);
	door_close(dom);
}

/* domchild calls the door it was given and exits with the answer. */
static void check_give(int dm, int watch, int answer)
{
	uint32_t id;
	int dom = start(dm, watch, "domchild", IMAGE_AT(domchild), IMAGE_SIZE(domchild), "domchild",
	                answer, &id);
	const struct kobj_notice *n = notice_for(id);
	check("a door given to a new domain reaches it (it exits with the answer, 42)",
	      n && n->cause == KOBJ_END_EXIT && n->status == 42, "notice %s cause %u status %d",
	      n ? "yes" : "no", n ? n->cause : 0, n ? n->status : 0);
	door_close(dom);
}

/* A running spinner killed; a domain killed before it ever ran. */
static void check_kill(int dm, int watch)
{
	uint32_t id;
	int dom = start(dm, watch, "spin", IMAGE_AT(spin), IMAGE_SIZE(spin), "spin victim 1000", -1,
	                &id);
	sleep_ms(30);
	int err = dom_kill(dom, 9);
	const struct kobj_notice *n = notice_for(id);
	check("killing a running domain: the notice says killed, status 9",
	      err == 0 && n && n->cause == KOBJ_END_KILLED && n->status == 9,
	      "kill %d notice %s cause %u status %d", err, n ? "yes" : "no", n ? n->cause : 0,
	      n ? n->status : 0);
	door_close(dom);

	dom = dm_create(dm, "unborn", 0);
	id = domain_id(dom);
	err = dom_watch(dom, watch);
	int err2 = dom_kill(dom, 3);
	n = notice_for(id);
	check("killing a domain that never ran: notice, status 3",
	      err == 0 && err2 == 0 && n && n->cause == KOBJ_END_KILLED && n->status == 3,
	      "watch %d kill %d notice %s", err, err2, n ? "yes" : "no");
	door_close(dom);
}

/* A loaded, never started hello cloned: both run from the same image and
 * stack (its arguments), each on its own copy, and both exit 0. */
static void check_clone(int dm, int watch)
{
	struct kobj_load_out at;
	int p = dm_create(dm, "parent", 0);
	int err = dom_load(p, IMAGE_AT(hello), IMAGE_SIZE(hello), "cloned before it ran", &at);
	int c = dom_clone(p, "clone");
	int w1 = dom_watch(p, watch), w2 = dom_watch(c, watch);
	struct kobj_thread_in t = {at.entry, at.esp, at.argp, (uint32_t)-1};
	uint32_t pid = domain_id(p), cid = domain_id(c); /* before they run, and maybe end */
	int t1 = dom_thread(p, &t), t2 = dom_thread(c, &t);
	const struct kobj_notice *np = notice_for(pid), *nc = notice_for(cid);
	check("a clone runs on a copy of its parent's memory; both exit 0",
	      err == 0 && c >= 0 && w1 == 0 && w2 == 0 && t1 > 0 && t2 > 0 && pid != cid && np &&
	              nc && np->cause == KOBJ_END_EXIT && nc->cause == KOBJ_END_EXIT &&
	              np->status == 0 && nc->status == 0,
	      "load %d clone %d watch %d %d threads %d %d notices %s %s", err, c, w1, w2, t1, t2,
	      np ? "yes" : "no", nc ? "yes" : "no");
	check_err("cloning an ended domain", dom_clone(p, "late"), -ESRCH);
	door_close(p);
	door_close(c);
}

/* ------------------------------------------------------------- hostile */

static void check_bad_loads(int dm)
{
	static char garbage[4096];
	struct kobj_load_out at;
	memset(garbage, 0x5a, sizeof garbage);
	int dom = dm_create(dm, "target", 0);
	check_err("load from NULL", dom_load(dom, NULL, 4096, "", &at), -EFAULT);
	check_err("load from nucleus memory", dom_load(dom, (void *)0xC0100000, 4096, "", &at),
	          -EFAULT);
	check_err("load from unmapped memory", dom_load(dom, (void *)0x70000000, 8192, "", &at),
	          -EFAULT);
	check_err("load of garbage", dom_load(dom, garbage, sizeof garbage, "", &at), -ENOEXEC);
	check_err("load of a truncated image", dom_load(dom, IMAGE_AT(hello), 300, "", &at),
	          -ENOEXEC);
	check_err("load of a zero-length image", dom_load(dom, IMAGE_AT(hello), 0, "", &at),
	          -ENOEXEC);
	int err = dom_load(dom, IMAGE_AT(hello), IMAGE_SIZE(hello), "after failures", &at);
	check("a good load after the bad ones", err == 0, "got %d", err);
	err = dom_load(dom, IMAGE_AT(hello), IMAGE_SIZE(hello), "again", &at);
	check("a second load is refused", err == -EBUSY, "got %d", err);
	struct kobj_thread_in t = {0xC0100000, at.esp, 0, 0};
	check_err("a thread at a nucleus address", dom_thread(dom, &t), -EFAULT);
	t = (struct kobj_thread_in){at.entry, 0xC0001000, 0, 0};
	check_err("a thread with a nucleus stack", dom_thread(dom, &t), -EFAULT);
	door_close(dom); /* never started: it goes with its last door */
}

static void check_bad_requests(int dm)
{
	struct kobj_create_in c = {{0}, 0};
	int door = -1;
	int err = kobj_invoke(dm, DM_CREATE, &c, sizeof c, NULL, 0, -1, &door);
	check("create with an empty name", err == -EINVAL, "got %d", err);
	memset(c.name, 'x', sizeof c.name);
	err = kobj_invoke(dm, DM_CREATE, &c, sizeof c, NULL, 0, -1, &door);
	check("create with an unterminated name", err == -EINVAL, "got %d", err);
	err = kobj_invoke(dm, DM_CREATE, &c, 3, NULL, 0, -1, &door);
	check("create with a short message", err == -EINVAL, "got %d", err);
	err = kobj_invoke(dm, 99, NULL, 0, NULL, 0, -1, NULL);
	check("an unknown operation (fast entry)", err == -ENOSYS, "got %d", err);
	uint16_t two = 1;
	door_arg_t a = {&two, sizeof two, NULL, 0, NULL, 0, NULL, 0};
	err = door_call_general(dm, &a);
	check("a message shorter than its op word", err == -EINVAL, "got %d", err);
	static char big[1024];
	a = (door_arg_t){big, sizeof big, NULL, 0, NULL, 0, NULL, 0};
	err = door_call_general(dm, &a);
	check("a message over KOBJ_MSG_MAX", err == -E2BIG, "got %d", err);
	int dom = dm_create(dm, "victim", 0);
	err = dom_give(dom, 4000);
	check("give a door we do not hold", err == -EBADF, "got %d", err);
	err = kobj_invoke(dom, DOM_GIVE, NULL, 0, NULL, 0, -1, NULL);
	check("give without a door", err == -EINVAL, "got %d", err);
	err = dom_watch(dom, dm);
	check("a nucleus object as a watch door", err == -EINVAL, "got %d", err);
	err = dom_kill(dom, 0);
	int err2 = dom_kill(dom, 0);
	check("a killed domain's door answers -ESRCH", err == 0 && err2 == -ESRCH, "got %d %d", err,
	      err2);
	door_close(dom);
}

static int role_manager(void)
{
	int dm = sprig_start_door;
	check("the first module holds the domain manager", dm >= 0, "start door %d", dm);
	if (dm < 0)
		return finish("manager");
	int watch = door_create(notice_proc, NULL, 0), answer = door_create(answer_proc, NULL, 0);
	check("our own doors and pool", watch >= 0 && answer >= 0 && door_pool_start(1) == 0,
	      "watch %d answer %d", watch, answer);
	check_exit(dm, watch);
	check_fault(dm, watch);
	check_give(dm, watch, answer);
	check_kill(dm, watch);
	check_clone(dm, watch);
	check_bad_loads(dm);
	check_bad_requests(dm);
	return finish("manager");
}

/* Holds nothing: every id in its table is empty, whatever it tries. */
static int role_plain(void)
{
	int found = 0;
	door_info_t info;
	for (int gen = 0; gen < 4; gen++)
		for (int slot = 0; slot < DOOR_TABLE_SIZE; slot++)
			found += door_info(gen << 8 | slot, &info) == 0;
	check("a plain module starts with no door", sprig_start_door == -1 && found == 0,
	      "start door %d, %d ids answer", sprig_start_door, found);
	int err = dm_create(0, "intruder", 0);
	check("and cannot create a domain through a guessed id", err == -EBADF, "got %d", err);
	return finish("plain");
}

int main(int argc, char **argv)
{
	const char *role = argc > 1 ? argv[1] : "";
	if (!strcmp(role, "manager"))
		return role_manager();
	if (!strcmp(role, "plain"))
		return role_plain();
	printf("usage: domtest manager|plain\n");
	return 2;
}
