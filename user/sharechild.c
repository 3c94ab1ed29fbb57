/* SPDX-License-Identifier: MIT */
/*
 * sharechild ROLE: shared clones seen from inside (tests/system/t_sharing.sh).
 * user/sharetest.c starts it with a door to its own domain as its start
 * door, through which it forks itself (share_fork, user/sharefork.S).
 *
 *   pair   forks a plain child (its own copy, which must see none of what
 *          follows), then a shared one: both write data, bss and
 *          vm_alloc'd memory, pages touched before the fork and after, and
 *          see each other's writes, but not on the stack. It kills that
 *          child and finds its memory intact; forks a second shared
 *          child and kills itself: the child finds the memory intact
 *          and goes on using it.
 *   tight  runs up to its frame limit (sharetest gives it 256 frames):
 *          a shared clone is refused with -ENOMEM and it goes on as
 *          before; with memory freed the clone is made.
 *
 * The handshake between the sides is itself shared memory (phase). Each
 * side counts its checks in a tally on its own stack, prints each
 * "sharechild WHO: what: ok" or "... FAIL: why", and ends with
 * "sharechild WHO: N of M checks passed".
 */
#include "lib/doors/kobj.h"

#define VM_PAGES 6
#define PAGE     4096u

int share_fork(int self, int shared); /* sharefork.S */
int sharechild_clone(int self, uint32_t eip, uint32_t esp, int shared);

int data_word = 100;             /* .data */
int bss_word;                    /* .bss */
static volatile int phase;       /* where the two sides are */
static volatile int parent_door; /* the second child's door to the parent */
static char *vm;                 /* vm_alloc'd before the forks */
static const char *clone_name;   /* the next clone's */

struct tally {
	const char *who;
	int checks, failures;
};

static void check(struct tally *t, const char *what, int ok, const char *fmt, ...)
        __attribute__((__format__(__printf__, 4, 5)));

static void check(struct tally *t, const char *what, int ok, const char *fmt, ...)
{
	char why[128];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(why, sizeof why, fmt, ap);
	va_end(ap);
	t->checks++;
	if (ok) {
		printf("sharechild %s: %s: ok\n", t->who, what);
	} else {
		t->failures++;
		printf("sharechild %s: %s: FAIL: %s\n", t->who, what, why);
	}
}

static int finish(struct tally *t)
{
	printf("sharechild %s: %d of %d checks passed\n", t->who, t->checks - t->failures,
	       t->checks);
	return t->failures ? 1 : 0;
}

/* share_fork's C half: the clone, with a thread at eip on esp. */
int sharechild_clone(int self, uint32_t eip, uint32_t esp, int shared)
{
	int kid = shared ? dom_clone_shared(self, clone_name) : dom_clone(self, clone_name);
	if (kid < 0)
		return kid;
	struct kobj_thread_in t = {eip, esp, 0, (uint32_t)-1};
	int err = dom_thread(kid, &t);
	if (err < 0) {
		door_close(kid); /* never started: it goes with its door */
		return err;
	}
	return kid;
}

/* Waits up to 20 s for the other side to reach phase want. */
static int wait_phase(int want)
{
	for (int i = 0; i < 4000 && phase != want; i++)
		sleep_ms(5);
	return phase == want;
}

static volatile uint32_t *vm_word(int page)
{
	return (volatile uint32_t *)(vm + page * PAGE);
}

/* The plain child: a copy of the memory as the fork found it, whatever
 * the shared pair writes afterwards. */
static int plain_child(void)
{
	struct tally t = {"plainkid", 0, 0};
	sleep_ms(500); /* the pair has written by now, on most runs */
	check(&t, "data is its own copy", data_word == 100, "data_word %d", data_word);
	check(&t, "bss is its own copy", bss_word == 0, "bss_word %d", bss_word);
	check(&t, "vm_alloc'd memory is its own copy", *vm_word(0) == 100 && *vm_word(2) == 0,
	      "vm[0] %u vm[2] %u", *vm_word(0), *vm_word(2));
	data_word = 666; /* which nobody else may see */
	check(&t, "its write is its own", data_word == 666, "data_word %d", data_word);
	return finish(&t);
}

/* The first shared child: writes, then finds the parent's writes. */
static void shared_child(volatile int *on_stack)
{
	struct tally t = {"sharekid", 0, 0};
	check(&t, "starts with the parent's memory",
	      data_word == 100 && bss_word == 0 && *vm_word(0) == 100 && *on_stack == 100,
	      "data %d bss %d vm[0] %u stack %d", data_word, bss_word, *vm_word(0), *on_stack);
	data_word = 201;
	bss_word = 202;
	*vm_word(0) = 203; /* a page touched before the fork */
	*vm_word(2) = 204; /* and one nobody touched */
	*on_stack = 205;
	phase = 1;
	check(&t, "the parent answers", wait_phase(2), "phase %d", phase);
	check(&t, "sees the parent's writes to data, bss and vm_alloc'd memory",
	      data_word == 301 && bss_word == 302 && *vm_word(0) == 303 && *vm_word(3) == 304,
	      "data %d bss %d vm[0] %u vm[3] %u", data_word, bss_word, *vm_word(0), *vm_word(3));
	check(&t, "but not its stack", *on_stack == 205, "stack %d", *on_stack);
	finish(&t);
	phase = 3;
	for (;;)
		sleep_ms(1000); /* until the parent kills it */
}

/* The second shared child: outlives the parent it was given a door to. */
static int survivor(void)
{
	struct tally t = {"sharekid2", 0, 0};
	struct kobj_info_out info;
	check(&t, "gets a door to the parent", wait_phase(10), "phase %d", phase);
	int gone = 0;
	for (int i = 0; i < 4000 && !gone; i++)
		gone = dom_info(parent_door, &info) == -ESRCH || (sleep_ms(5), 0);
	sleep_ms(200); /* its last thread out, its memory given back */
	check(&t, "the parent is gone", gone, "dom_info still answers");
	check(&t, "its memory is intact",
	      data_word == 401 && bss_word == 302 && *vm_word(0) == 403 && *vm_word(1) == 11 &&
	              *vm_word(2) == 204 && *vm_word(3) == 304,
	      "data %d bss %d vm %u %u %u %u", data_word, bss_word, *vm_word(0), *vm_word(1),
	      *vm_word(2), *vm_word(3));
	*vm_word(5) = 505; /* a page nobody touched: charged to it now */
	data_word = 501;
	check(&t, "and goes on using it", *vm_word(5) == 505 && data_word == 501, "vm[5] %u",
	      *vm_word(5));
	return finish(&t);
}

/* Round one: a shared child writes and reads, then is killed. */
static void pair_first(struct tally *t, int self)
{
	volatile int on_stack = 100;
	clone_name = "sharekid";
	int kid = share_fork(self, 1);
	if (kid == 0)
		shared_child(&on_stack); /* never returns */
	check(t, "a shared fork", kid > 0, "got %d", kid);
	check(t, "the child writes", wait_phase(1), "phase %d", phase);
	check(t, "its writes to data, bss and vm_alloc'd memory are seen",
	      data_word == 201 && bss_word == 202 && *vm_word(0) == 203 && *vm_word(2) == 204,
	      "data %d bss %d vm[0] %u vm[2] %u", data_word, bss_word, *vm_word(0), *vm_word(2));
	check(t, "its stack is its own", on_stack == 100, "stack %d", on_stack);
	data_word = 301;
	bss_word = 302;
	*vm_word(0) = 303;
	*vm_word(3) = 304; /* a page the parent touches first */
	on_stack = 305;
	phase = 2;
	check(t, "the child reads", wait_phase(3), "phase %d", phase);
	struct kobj_info_out info;
	int err = dom_kill(kid, 9);
	sleep_ms(200);
	check(t, "kill the shared child", err == 0 && dom_info(kid, &info) == -ESRCH, "kill %d",
	      err);
	door_close(kid);
	check(t, "the memory outlives it",
	      data_word == 301 && bss_word == 302 && *vm_word(0) == 303 && *vm_word(2) == 204,
	      "data %d bss %d vm[0] %u vm[2] %u", data_word, bss_word, *vm_word(0), *vm_word(2));
	*vm_word(1) = 11; /* a new page after its end */
	check(t, "and takes new pages", *vm_word(1) == 11, "vm[1] %u", *vm_word(1));
}

/* Round two: a second shared child, given a door to us; then we die. */
static void pair_second(struct tally *t, int self)
{
	clone_name = "sharekid2";
	int kid = share_fork(self, 1);
	if (kid == 0)
		exit(survivor());
	check(t, "a second shared fork", kid > 0, "got %d", kid);
	int id = dom_give(kid, self);
	check(t, "give it our door", id >= 0, "got %d", id);
	parent_door = id;
	data_word = 401;
	*vm_word(0) = 403;
	phase = 10;
	finish(t);
	dom_kill(self, 7); /* never returns */
}

static int role_pair(int self)
{
	struct tally t = {"sharer", 0, 0};
	vm = vm_alloc(VM_PAGES * PAGE);
	check(&t, "vm_alloc", vm != NULL, "refused");
	if (!vm)
		return finish(&t);
	*vm_word(0) = 100; /* page 0 present at the forks; the others not */
	clone_name = "plainkid";
	int plain = share_fork(self, 0); /* its pages copy-on-write now */
	if (plain == 0)
		exit(plain_child());
	check(&t, "a plain fork first", plain > 0, "got %d", plain);
	door_close(plain);
	pair_first(&t, self);
	pair_second(&t, self);
	return 1;
}

/* Touches 32 KiB of stack, so that later calls need no new stack page. */
static void touch_stack(void)
{
	volatile char deep[32768];
	for (uint32_t i = 0; i < sizeof deep; i += PAGE)
		deep[i] = 1;
}

static int role_tight(int self)
{
	struct tally t = {"tight", 0, 0};
	touch_stack();
	printf("sharechild tight: filling up to the limit\n"); /* stdio's buffers made */
	char *big = vm_alloc(1024 * PAGE);
	uint32_t filled = 0;
	int err = 0;
	while (big && filled < 1024 && (err = sprig_time((void *)(big + filled * PAGE))) == 0)
		filled++;
	check(&t, "fill to the limit", big && err == -ENOMEM && filled > 0, "err %d after %u", err,
	      filled);
	int kid = dom_clone_shared(self, "tightkid");
	check(&t, "a shared clone at the limit is refused", kid == -ENOMEM, "got %d", kid);
	uint32_t bad = 0;
	for (uint32_t i = 0; i < filled; i++)
		bad += ((struct sprig_time *)(big + i * PAGE))->hz == 0;
	data_word = 7;
	check(&t, "its memory is as it was", bad == 0 && data_word == 7, "%u bad pages", bad);
	check(&t, "free the pages", vm_free(big) == 0, "refused");
	kid = dom_clone_shared(self, "tightkid");
	check(&t, "then the shared clone is made", kid >= 0, "got %d", kid);
	door_close(kid);
	return finish(&t);
}

int main(int argc, char **argv)
{
	const char *role = argc > 1 ? argv[1] : "";
	int self = sprig_start_door;
	if (self < 0) {
		printf("sharechild: no door to my own domain\n");
		return 2;
	}
	if (!strcmp(role, "pair"))
		return role_pair(self);
	if (!strcmp(role, "tight"))
		return role_tight(self);
	printf("usage: sharechild pair|tight\n");
	return 2;
}
