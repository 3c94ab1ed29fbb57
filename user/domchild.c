/* SPDX-License-Identifier: MIT */
/*
 * domchild: a program domtest starts through a domain object. It calls the
 * door its starter gave it (sprig_start_door) with the number 41 and exits
 * with the answer, so the starter's notice says the door arrived and
 * worked. Without a door it exits with 99.
 */
#include "lib/doors/kobj.h"

int main(int argc, char **argv)
{
	(void)argc, (void)argv;
	int32_t n = 41, answer = -1;
	door_arg_t a = {&n, sizeof n, NULL, 0, &answer, sizeof answer, NULL, 0};
	if (sprig_start_door < 0)
		return 99;
	int err = door_call(sprig_start_door, &a);
	printf("domchild: door %d answered %d (error %d)\n", sprig_start_door, answer, err);
	return err < 0 ? 98 : answer;
}
