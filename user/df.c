/* SPDX-License-Identifier: MIT */
/* df: each file system domain in the prefix table: its size, what is used
 * and free (1 KiB blocks), and its type; then the fs domain's block cache
 * (its size and dirty blocks, hits and misses), if "/" is on a disk. */
#include <sprite/fs.h>
#include <stdio.h>

int sprig_statfs(const char *path, struct fs_statfs *s);
int sprig_cachestat(struct fs_cachestat *c);
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
	struct fs_cachestat c;
	if (sprig_cachestat(&c) == 0 && c.blocks)
		printf("block cache: %u blocks of 4 KiB, %u dirty; %u hits, %u misses\n", c.blocks,
		       c.dirty, c.hits, c.misses);
	return 0;
}
