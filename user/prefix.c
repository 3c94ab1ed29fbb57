/* SPDX-License-Identifier: MIT */
/* prefix: this process's prefix table (Sprite's): each prefix of the name
 * space and the file system domain that serves it. */
#include <sprite/fs.h>
#include <stdio.h>

int sprig_statfs(const char *path, struct fs_statfs *s);
const char *sprig_prefix(int i);

int main(void)
{
	const char *p;
	printf("%-12s %s\n", "Prefix", "Served by");
	for (int i = 0; (p = sprig_prefix(i)); i++) {
		struct fs_statfs s;
		printf("%-12s fs (%s)\n", p, sprig_statfs(p, &s) == 0 ? s.type : "?");
	}
	return 0;
}
