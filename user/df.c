/* SPDX-License-Identifier: MIT */
/* df: each file system domain in the prefix table: its size, what is used
 * and free (1 KiB blocks), and its type. */
#include <sprite/fs.h>
#include <stdio.h>

int sprig_statfs(const char *path, struct fs_statfs *s);
const char *sprig_prefix(int i);

int main(void)
{
	printf("%-12s %-8s %10s %10s %10s\n", "Prefix", "Type", "1K-blocks", "Used", "Available");
	const char *p;
	for (int i = 0; (p = sprig_prefix(i)); i++) {
		struct fs_statfs s;
		if (sprig_statfs(p, &s) < 0) {
			perror(p);
			continue;
		}
		unsigned long k = s.bsize / 1024 ? s.bsize / 1024 : 1;
		printf("%-12s %-8.8s %10lu %10lu %10lu\n", p, s.type, s.blocks * k,
		       (s.blocks - s.bfree) * k, s.bfree * k);
	}
	return 0;
}
