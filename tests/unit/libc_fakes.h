/* SPDX-License-Identifier: MIT */
/*
 * The nucleus and descriptors as the C-library unit tests see them
 * (tests/unit/libc_fakes.c): vm_alloc over host memory with a limit, and
 * read/write over in-memory files, each call recorded.
 *
 * Entry points: fake_reset, fake_vm_*, fake_input, fake_output,
 * fake_writes, fake_reads, fake_catch_exit.
 */
#ifndef SPRIG_TESTS_UNIT_LIBC_FAKES_H
#define SPRIG_TESTS_UNIT_LIBC_FAKES_H

#include <stddef.h>

#define FAKE_FDS 8

/* Forgets every region, input and output; no limits, nothing failing. */
void fake_reset(void);

/* vm_alloc: regions live and bytes in them; the calls made; a limit on the
 * bytes live at once (0: none) past which vm_alloc returns NULL. */
extern size_t fake_vm_regions, fake_vm_bytes, fake_vm_calls, fake_vm_limit;
/* Whether [p, p + n) lies inside one live region. */
int fake_vm_owns(const void *p, size_t n);

/* read(fd) gives these bytes, at most fake_read_max per call (0: no
 * limit), then end-of-file; fake_read_fail makes reads fail with EIO. */
void fake_input(int fd, const char *data, size_t n);
extern size_t fake_read_max;
extern int fake_read_fail;
int fake_reads(int fd); /* calls made */

/* Everything written to fd (terminated, for string compares), and the
 * write calls made; fake_write_max bounds a call (0: none), fake_write_fail
 * makes writes fail with EIO. */
const char *fake_output(int fd);
size_t fake_output_len(int fd);
int fake_writes(int fd);
extern size_t fake_write_max;
extern int fake_write_fail;
int fake_closed(int fd); /* close(fd) was called */

/* Runs fn; returns the status it passed to domain_exit (through exit or
 * _exit), or -1000 if it returned. */
int fake_catch_exit(void (*fn)(void));

#endif
