/* SPDX-License-Identifier: MIT */
/*
 * Looking programs up in the boot image (bootimg.h). The table itself is
 * generated: bootimg_table, ended by an entry with a NULL name.
 */
#include "servers/proc/bootimg.h"

#include "lib/c/libc.h"

extern const struct bootprog bootimg_table[];

const struct bootprog *bootimg_at(int i)
{
	for (int n = 0; bootimg_table[n].name; n++)
		if (n == i)
			return &bootimg_table[n];
	return NULL;
}

int bootimg_count(void)
{
	int n = 0;
	while (bootimg_table[n].name)
		n++;
	return n;
}

const struct bootprog *bootimg_find(const char *name)
{
	for (int n = 0; bootimg_table[n].name; n++)
		if (!strcmp(bootimg_table[n].name, name))
			return &bootimg_table[n];
	return NULL;
}
