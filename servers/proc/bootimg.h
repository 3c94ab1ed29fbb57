/* SPDX-License-Identifier: MIT */
/*
 * The boot image: the programs proc can start before there is a file
 * system, linked into proc itself (tools/bootimg.sh makes the table from
 * the stripped ELF files the Makefile lists in BOOT_PROGS).
 */
#ifndef SPRIG_PROC_BOOTIMG_H
#define SPRIG_PROC_BOOTIMG_H

#include <stdint.h>

struct bootprog {
	const char *name;
	const void *image;
	uint32_t size;
};

const struct bootprog *bootimg_find(const char *name); /* NULL if absent */
int bootimg_count(void);
const struct bootprog *bootimg_at(int i); /* NULL past the end */

#endif
