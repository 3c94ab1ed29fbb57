/* SPDX-License-Identifier: MIT */
/*
 * Makes a domain from an ELF executable in memory (a boot module): a region
 * per loadable segment with the segment's permissions, its file bytes copied
 * in and the rest zero, a demand-zero stack, and a first thread.
 *
 * The first thread starts at the ELF entry with esp just below a copy of the
 * argument string (the module's command line) and eax pointing at it.
 *
 * The same code loads an image from a caller's memory into a domain object
 * (elf_load_user, for DOM_LOAD), copying it a page at a time. A program
 * image (image.c) uses its halves: elf_parse_user to read the headers
 * from a caller's memory, elf_add_stack to give a domain its stack.
 *
 * Entry points: elf_load_domain, elf_load_user, elf_parse_user,
 * elf_add_stack.
 */
#include "nucleus/nucleus.h"
#include "lib/c/libc.h"
#include <sprig/errno.h>
#include <sprig/syscall.h>

/* Where an image's bytes come from: nucleus memory (a boot module), or a
 * caller's address space (a domain object's DOM_LOAD). */
struct image_src {
	const char *mem; /* nucleus copy, or NULL */
	struct aspace *as;
	uint32_t uaddr;
};

/* Copies n bytes at offset off of the image into dst (nucleus memory). */
static int image_read(const struct image_src *src, void *dst, uint32_t off, uint32_t n)
{
	if (src->mem) {
		memcpy(dst, src->mem + off, n);
		return 0;
	}
	return copy_in(src->as, dst, src->uaddr + off, n);
}

/* A page for moving user images: the nucleus runs one thing at a time. */
static char bounce[PAGE_SIZE];

/* Copies a segment's file bytes into d (whatever its permissions). */
static int copy_segment(struct domain *d, const struct image_src *src, const struct elf_segment *s)
{
	if (src->mem)
		return vmm_load(&d->as, s->vaddr, src->mem + s->offset, s->filesz);
	for (uint32_t done = 0; done < s->filesz;) {
		uint32_t n = s->filesz - done < PAGE_SIZE ? s->filesz - done : PAGE_SIZE;
		if (image_read(src, bounce, s->offset + done, n) < 0 ||
		    vmm_load(&d->as, s->vaddr + done, bounce, n) < 0)
			return -EFAULT;
		done += n;
	}
	return 0;
}

/* Gives d a region per segment, filled from the image. 0 or -errno, with
 * *why. */
static int load_segments(struct domain *d, const struct image_src *src, const struct elf_info *info,
                         const char **why)
{
	for (int i = 0; i < info->nsegments; i++) {
		const struct elf_segment *s = &info->seg[i];
		uint32_t lo = PAGE_DOWN(s->vaddr), hi = PAGE_UP(s->vaddr + s->memsz);
		if (aspace_add_region(&d->as, lo, hi, s->prot) < 0) {
			*why = "too many segments for one address space";
			return -ENOEXEC;
		}
		if (vmm_populate(&d->as, lo, hi) < 0) {
			*why = "out of memory";
			return -ENOMEM;
		}
		if (copy_segment(d, src, s) < 0) {
			*why = "the image is not readable at the address given";
			return -EFAULT;
		}
	}
	return 0;
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

/* Parses the image's headers: all of a nucleus image, or the first page
 * of a user one (the headers must lie there). */
static int parse_headers(const struct image_src *src, uint32_t size, struct elf_info *info,
                         const char **why)
{
	if (src->mem)
		return elf_parse(src->mem, size, info, why);
	uint32_t n = size < PAGE_SIZE ? size : PAGE_SIZE;
	if (image_read(src, bounce, 0, n) < 0) {
		*why = "the image is not readable at the address given";
		return -EFAULT;
	}
	const struct elf32_ehdr *h = (const struct elf32_ehdr *)bounce;
	if (n < sizeof *h || memcmp(h->ident, "\177ELF", 4) != 0)
		return elf_parse(bounce, n, info, why); /* says what is wrong */
	if (h->phoff > n || h->phnum > (n - h->phoff) / sizeof(struct elf32_phdr)) {
		*why = "program headers beyond the first page";
		return -ENOEXEC;
	}
	return elf_parse(bounce, size, info, why);
}

/* Gives d, its segments loaded, the main stack holding args, and in start
 * where its first thread should begin (at entry). 0, or -ENOEXEC or
 * -ENOMEM with *why. */
int elf_add_stack(struct domain *d, uint32_t entry, const char *args, struct elf_start *start,
                  const char **why)
{
	if (aspace_add_region(&d->as, USER_STACK_TOP - USER_STACK_SIZE, USER_STACK_TOP,
	                      VM_READ | VM_WRITE) < 0) {
		*why = "no room for the stack";
		return -ENOEXEC;
	}
	uint32_t argp = push_args(d, args);
	if (!argp) {
		*why = "out of memory for the stack";
		return -ENOMEM;
	}
	*start = (struct elf_start){entry, argp - 16, argp};
	*why = NULL;
	return 0;
}

/* Fills the empty domain d from an image: its segments, a stack holding
 * args, and in start where its first thread should begin. Returns 0, or
 * -ENOEXEC, -ENOMEM or -EFAULT with *why naming the reason (d is then
 * left for the caller to discard). */
static int load_image(struct domain *d, const struct image_src *src, uint32_t size,
                      const char *args, struct elf_start *start, const char **why)
{
	struct elf_info info;
	int err = parse_headers(src, size, &info, why);
	if (err < 0 || (err = load_segments(d, src, &info, why)) < 0)
		return err;
	return elf_add_stack(d, info.entry, args, start, why);
}

/* Checks the ELF image at user address image (size bytes) of as and
 * describes its segments in info. 0, or -ENOEXEC / -EFAULT with *why. */
int elf_parse_user(struct aspace *as, uint32_t image, uint32_t size, struct elf_info *info,
                   const char **why)
{
	struct image_src src = {NULL, as, image};
	if (!uaccess_range_ok(image, size)) {
		*why = "the image is not in user space";
		return -EFAULT;
	}
	return parse_headers(&src, size, info, why);
}

/* Loads the ELF image at user address image (size bytes) of src_as into
 * the empty domain d; on success start says where to begin. Returns 0, or
 * -ENOEXEC / -EFAULT / -ENOMEM with *why naming the reason. */
int elf_load_user(struct domain *d, struct aspace *src_as, uint32_t image, uint32_t size,
                  const char *args, struct elf_start *start, const char **why)
{
	struct image_src src = {NULL, src_as, image};
	if (!uaccess_range_ok(image, size)) {
		*why = "the image is not in user space";
		return -EFAULT;
	}
	return load_image(d, &src, size, args, start, why);
}

/* Creates domain `name` running the ELF image, holding at most `frames`
 * frames (0: the default); NULL with *why on failure, having returned
 * whatever it took. */
struct domain *elf_load_domain(const char *name, const void *image, size_t size, const char *args,
                               uint32_t frames, const char **why)
{
	struct image_src src = {image, NULL, 0};
	struct elf_start start;
	struct domain *d = domain_create(name);
	if (!d) {
		*why = "no free domain or out of memory";
		return NULL;
	}
	domain_set_frame_limit(d, frames);
	load_image(d, &src, size, args, &start, why);
	if (!*why && !thread_create_user(d, start.entry, start.esp, start.argp))
		*why = "thread table full";
	if (*why) {
		domain_discard(d);
		return NULL;
	}
	return d;
}
