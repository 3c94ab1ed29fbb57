/* SPDX-License-Identifier: MIT */
/* sync: writes every dirty block of the file system out. */
#include <unistd.h>

int main(void)
{
	sync();
	return 0;
}
