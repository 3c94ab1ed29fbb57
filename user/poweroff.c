/* SPDX-License-Identifier: MIT */
/* poweroff: writes the file system's dirty blocks out (sync), then asks
 * the process manager to end every process and then itself; with the
 * nucleus's poweroff=idle (make run's default) the machine then turns
 * off. */
#include <stdio.h>
#include <unistd.h>

int sprig_poweroff(void);

int main(void)
{
	sync(); /* the disk first: what was written is there when the machine stops */
	if (sprig_poweroff() < 0) {
		perror("poweroff");
		return 1;
	}
	return 0;
}
