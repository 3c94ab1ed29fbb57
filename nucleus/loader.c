/* SPDX-License-Identifier: MIT */
/*
 * Makes a domain from an ELF executable in memory (a boot module): a region
 * per loadable segment with the segment's permissions, its file bytes copied
 * in and the rest zero, a demand-zero stack, and a first thread.
 *
 * The first thread starts at the ELF entry with esp just below a copy of the
 * argument string (the module's command line) and eax pointing at it.
 *
 * Entry point: elf_load_domain.
 */
#include "nucleus/nucleus.h"
#include "lib/c/libc.h"
#include <sprig/errno.h>
#include <sprig/syscall.h>

static const char *load_segments(struct domain *d, const void *image, const struct elf_info *info)
{
	for (int i = 0; i < info->nsegments; i++) {
		const struct elf_segment *s = &info->seg[i];
		uint32_t lo = PAGE_DOWN(s->vaddr), hi = PAGE_UP(s->vaddr + s->memsz);
		if (aspace_add_region(&d->as, lo, hi, s->prot) < 0)
			return "too many segments for one address space";
		if (vmm_populate(&d->as, lo, hi) < 0)
			return "out of memory";
		if (vmm_load(&d->as, s->vaddr, (const char *)image + s->offset, s->filesz) < 0)
			return "could not copy a segment";
	}
	return NULL;
}

/* Copies args to the top of the stack; returns their user address, or 0. */
static uint32_t push_args(struct domain *d, const char *args)
{
	size_t len = strnlen(args, PAGE_SIZE - 1);
	uint32_t at = (USER_STACK_TOP - len - 1) & ~15u;
	if (vmm_load(&d->as, at, args, len) < 0 || zero_out(&d->as, at + len, 1) < 0)
		return 0;
	return at;
}

/* Creates domain `name` running the ELF image; NULL with *why on failure,
 * having returned whatever it took. */
struct domain *elf_load_domain(const char *name, const void *image, size_t size, const char *args,
                               const char **why)
{
	struct elf_info info;
	if (elf_parse(image, size, &info, why) < 0)
		return NULL;
	struct domain *d = domain_create(name);
	if (!d) {
		*why = "no free domain or out of memory";
		return NULL;
	}
	*why = load_segments(d, image, &info);
	uint32_t argp = 0;
	if (!*why && aspace_add_region(&d->as, USER_STACK_TOP - USER_STACK_SIZE, USER_STACK_TOP,
	                               VM_READ | VM_WRITE) < 0)
		*why = "no room for the stack";
	if (!*why && !(argp = push_args(d, args)))
		*why = "out of memory for the stack";
	if (!*why && !thread_create_user(d, info.entry, argp - 16, argp))
		*why = "thread table full";
	if (*why) {
		d->dying = 1; /* no thread ever ran: just return the memory */
		domain_thread_gone(d);
		return NULL;
	}
	return d;
}
