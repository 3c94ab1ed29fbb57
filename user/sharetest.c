/* SPDX-License-Identifier: MIT */
/*
 * sharetest manager: shared clones (DOM_CLONE with KOBJ_CLONE_SHARED),
 * end to end (tests/system/t_sharing.sh). The first boot module, holding
 * the domain manager: it tries DOM_CLONE's input as an attacker would,
 * then starts user/sharechild.c twice, each with a door to its own domain
 * (so that it can fork itself), and checks each one's end: "pair" kills
 * itself after its shared children have run (status 7), "tight" exits 0.
 *
 * Each check prints "sharetest: NAME: ok" or "... FAIL: why"; it ends with
 * "sharetest manager: N of M checks passed".
 */
#include "lib/doors/kobj.h"
#include "user/check.h"

#define END_WAIT_MS 60000 /* how long to wait for a domain's end (Bochs is slow) */

extern const char _binary_sharechild_elf_start[], _binary_sharechild_elf_end[];
#define IMAGE_AT   _binary_sharechild_elf_start
#define IMAGE_SIZE ((uint32_t)(_binary_sharechild_elf_end - _binary_sharechild_elf_start))

/* sharechild with args, holding a door to its own domain, watched;
 * returns its id (0 if it could not be started). */
static uint32_t start(int dm, int watch, const char *name, uint32_t frames, const char *args)
{
	struct kobj_load_out at = {0, 0, 0};
	struct kobj_info_out info = {0, 0};
	int dom = dm_create(dm, name, frames);
	int err = dom < 0 ? dom : dom_load(dom, IMAGE_AT, IMAGE_SIZE, args, &at);
	int self = err < 0 ? err : dom_give(dom, dom);
	err = self < 0 ? self : dom_watch(dom, watch);
	struct kobj_thread_in t = {at.entry, at.esp, at.argp, (uint32_t)self};
	if (err >= 0)
		err = dom_info(dom, &info);
	if (err >= 0)
		err = dom_thread(dom, &t);
	check(args, err > 0, "starting it: %d", err);
	if (dom >= 0)
		door_close(dom);
	return err > 0 ? info.id : 0;
}

/* DOM_CLONE's input as an attacker sends it. */
static void check_bad_clones(int dm)
{
	int dom = dm_create(dm, "victim", 0);
	struct kobj_clone_in in = {"badflags", 2};
	int door = -1;
	check_err("a clone with an unknown flag",
	          kobj_invoke(dom, DOM_CLONE, &in, sizeof in, NULL, 0, -1, &door), -EINVAL);
	in.flags = 0x80000000u | KOBJ_CLONE_SHARED;
	check_err("a clone with SHARED and an unknown flag",
	          kobj_invoke(dom, DOM_CLONE, &in, sizeof in, NULL, 0, -1, &door), -EINVAL);
	in.flags = KOBJ_CLONE_SHARED;
	check_err("a clone input one byte short",
	          kobj_invoke(dom, DOM_CLONE, &in, sizeof in - 1, NULL, 0, -1, &door), -EINVAL);
	char longer[sizeof in + 4] = "longer";
	check_err("a clone input four bytes long",
	          kobj_invoke(dom, DOM_CLONE, longer, sizeof longer, NULL, 0, -1, &door), -EINVAL);
	memset(in.name, 'x', sizeof in.name);
	check_err("a shared clone with an unterminated name",
	          kobj_invoke(dom, DOM_CLONE, &in, sizeof in, NULL, 0, -1, &door), -EINVAL);
	int kid = dom_clone_shared(dom, "emptykid");
	check("a shared clone of an empty domain", kid >= 0, "got %d", kid);
	if (kid >= 0)
		door_close(kid);
	dom_kill(dom, 0);
	check_err("a shared clone of an ended domain", dom_clone_shared(dom, "late"), -ESRCH);
	door_close(dom);
}

static int role_manager(void)
{
	int dm = sprig_start_door;
	check("the first module holds the domain manager", dm >= 0, "start door %d", dm);
	if (dm < 0)
		return 1;
	int watch = door_create(notice_proc, NULL, 0);
	check("our watch door and pool", watch >= 0 && door_pool_start(1) == 0, "watch %d", watch);
	check_bad_clones(dm);
	uint32_t id = start(dm, watch, "sharer", 0, "sharechild pair");
	const struct kobj_notice *n = id ? notice_for(id, END_WAIT_MS) : NULL;
	check("sharer ends by killing itself (status 7)",
	      n && n->cause == KOBJ_END_KILLED && n->status == 7, "notice %s cause %u status %d",
	      n ? "yes" : "no", n ? n->cause : 0, n ? n->status : 0);
	id = start(dm, watch, "tight", 256, "sharechild tight");
	n = id ? notice_for(id, END_WAIT_MS) : NULL;
	check("tight exits 0", n && n->cause == KOBJ_END_EXIT && n->status == 0,
	      "notice %s cause %u status %d", n ? "yes" : "no", n ? n->cause : 0,
	      n ? n->status : 0);
	printf("sharetest manager: %d of %d checks passed\n", checks - failures, checks);
	return failures ? 1 : 0;
}

int main(int argc, char **argv)
{
	check_start("sharetest", CHECK_COLON);
	if (argc > 1 && !strcmp(argv[1], "manager"))
		return role_manager();
	printf("usage: sharetest manager\n");
	return 2;
}
