/* SPDX-License-Identifier: MIT */
/*
 * ELF32 executable validation. elf_parse() trusts nothing in the image: every
 * offset and size is checked against the image and every segment against user
 * space before the loader touches memory, and a refusal names its reason.
 *
 * Entry point: elf_parse.
 */
#include "nucleus/nucleus.h"
#include "lib/c/libc.h"
#include <sprig/errno.h>
#include <sprig/syscall.h>

static const char *check_header(const struct elf32_ehdr *h, size_t size)
{
	if (memcmp(h->ident, "\177ELF", 4) != 0)
		return "not an ELF file (bad magic)";
	if (h->ident[4] != 1 || h->ident[5] != 1)
		return "not a 32-bit little-endian ELF file";
	if (h->type != ET_EXEC)
		return "not an executable (ELF type is not EXEC)";
	if (h->machine != EM_386)
		return "not an i386 executable";
	if (h->phentsize != sizeof(struct elf32_phdr))
		return "bad program header size";
	if (h->phnum == 0)
		return "no program headers";
	if (h->phoff > size || (size - h->phoff) / sizeof(struct elf32_phdr) < h->phnum)
		return "program headers run past the end of the file (truncated?)";
	return NULL;
}

/* Checks one loadable segment and appends it to info. */
static const char *add_segment(const struct elf32_phdr *ph, size_t size, struct elf_info *info)
{
	if (ph->filesz > ph->memsz)
		return "segment file size exceeds its memory size";
	if (ph->offset > size || size - ph->offset < ph->filesz)
		return "segment data runs past the end of the file (truncated?)";
	if (ph->memsz == 0)
		return NULL;
	if (ph->vaddr < USER_BASE || ph->vaddr >= USER_TOP || ph->memsz > USER_TOP - ph->vaddr)
		return "segment outside user space";
	uint32_t lo = PAGE_DOWN(ph->vaddr), hi = PAGE_UP(ph->vaddr + ph->memsz);
	for (int i = 0; i < info->nsegments; i++) {
		const struct elf_segment *s = &info->seg[i];
		if (lo < PAGE_UP(s->vaddr + s->memsz) && PAGE_DOWN(s->vaddr) < hi)
			return "segments share a page";
	}
	if (info->nsegments == ELF_MAX_SEGMENTS)
		return "too many loadable segments";
	uint32_t prot = (ph->flags & PF_R ? VM_READ : 0) | (ph->flags & PF_W ? VM_WRITE : 0) |
	                (ph->flags & PF_X ? VM_EXEC : 0);
	info->seg[info->nsegments++] =
	        (struct elf_segment){ph->vaddr, ph->memsz, ph->offset, ph->filesz, prot};
	return NULL;
}

static int entry_is_loaded(const struct elf_info *info)
{
	for (int i = 0; i < info->nsegments; i++) {
		const struct elf_segment *s = &info->seg[i];
		if (info->entry >= s->vaddr && info->entry - s->vaddr < s->memsz)
			return 1;
	}
	return 0;
}

/* Validates the ELF32 i386 executable image[0..size) and describes its
 * loadable segments in info. Returns 0, or -ENOEXEC with *why set. */
int elf_parse(const void *image, size_t size, struct elf_info *info, const char **why)
{
	struct elf32_ehdr h;
	memset(info, 0, sizeof *info);
	*why = NULL;
	if (size < sizeof h) {
		*why = "file too short for an ELF header (truncated?)";
		return -ENOEXEC;
	}
	memcpy(&h, image, sizeof h);
	*why = check_header(&h, size);
	for (uint32_t i = 0; !*why && i < h.phnum; i++) {
		struct elf32_phdr ph;
		memcpy(&ph, (const char *)image + h.phoff + i * sizeof ph, sizeof ph);
		if (ph.type == PT_LOAD)
			*why = add_segment(&ph, size, info);
	}
	info->entry = h.entry;
	if (!*why && info->nsegments == 0)
		*why = "no loadable segments";
	if (!*why && !entry_is_loaded(info))
		*why = "entry point outside the loaded segments";
	return *why ? -ENOEXEC : 0;
}
