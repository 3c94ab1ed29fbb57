/* SPDX-License-Identifier: MIT */
/*
 * imgchild MODE: a program user/imgtest.c loads from a program image
 * (sprig/kobj.h, DM_IMAGE), so that its text is shared:
 *
 *   wait    sleeps until it is killed (its frames are measured meanwhile)
 *   write   writes to its own text: a page fault ends it
 *   holder  its start door is an image door: every operation but IMG_INFO
 *           is refused, and nothing else is reachable through it
 *   hello   prints a line from its (shared) text and exits 0
 */
#include "user/check.h"

static void holder(void)
{
	check_start("imgchild", CHECK_COLON);
	struct kobj_image_info info;
	int err = kobj_invoke(sprig_start_door, IMG_INFO, NULL, 0, &info, sizeof info, -1, NULL);
	check("an image door answers IMG_INFO", err == 0 && info.shared_pages > 0, "%d", err);
	int refused = 0;
	for (uint32_t op = 2; op <= 12; op++) {
		uint8_t junk[40] = {0};
		refused += kobj_invoke(sprig_start_door, op, junk, sizeof junk, NULL, 0, -1,
		                       NULL) == -ENOSYS;
	}
	check("every other operation on an image door is ENOSYS", refused == 11, "%d of 11",
	      refused);
	struct kobj_create_in in = {"sneaky", 0};
	err = kobj_invoke(sprig_start_door, DM_CREATE + 16, &in, sizeof in, NULL, 0, -1, NULL);
	check("an image door makes no domain", err == -ENOSYS, "%d", err);
	printf("imgchild holder: %d of %d checks passed\n", checks - failures, checks);
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "hello";
	if (!strcmp(mode, "wait")) {
		for (;;)
			sleep_ms(1000);
	} else if (!strcmp(mode, "write")) {
		*(volatile uint8_t *)(uintptr_t)main = 0xc3; /* text is read-only */
		printf("imgchild: FAIL: wrote to its own text\n");
		return 1;
	} else if (!strcmp(mode, "holder")) {
		holder();
		return failures ? 1 : 0;
	}
	printf("imgchild: hello from shared text (%s)\n", mode);
	return 0;
}
