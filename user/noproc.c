/* SPDX-License-Identifier: MIT */
/*
 * noproc: a plain boot module started beside the process manager. It holds
 * no door, so it can reach neither proc nor any nucleus object: every door
 * id answers EBADF and no published name leads to them.
 */
#include "lib/doors/kobj.h"

int main(void)
{
	int reached = 0;
	for (int id = 0; id < DOOR_TABLE_SIZE; id++) {
		door_info_t info;
		uint32_t op = 1;
		door_arg_t a = {&op, sizeof op, NULL, 0, NULL, 0, NULL, 0};
		if (door_info(id, &info) != -EBADF || door_call(id, &a) != -EBADF)
			reached++;
	}
	static const char *const names[] = {"proc", "proc.manager", "domains", "devices", "init"};
	for (unsigned i = 0; i < sizeof names / sizeof *names; i++)
		if (name_lookup(names[i], 0) >= 0)
			reached++;
	printf("noproc: start door %d; %d of %d ids and names reach anything: %s\n",
	       sprig_start_door, reached, DOOR_TABLE_SIZE + 5,
	       reached == 0 && sprig_start_door == -1 ? "ok" : "FAILED");
	return reached != 0;
}
