/* SPDX-License-Identifier: MIT */
/* poweroff: asks the process manager to end every process and then
 * itself; with the nucleus's poweroff=idle (make run's default) the
 * machine then turns off. */
#include <stdio.h>

int sprig_poweroff(void);

int main(void)
{
	if (sprig_poweroff() < 0) {
		perror("poweroff");
		return 1;
	}
	return 0;
}
