/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for elf_parse (nucleus/elf.c). Images are built in memory: a
 * valid ELF32 i386 executable, then the same image with one thing broken.
 * Every refusal must be -ENOEXEC with a reason that names what is wrong. The
 * parser gets its image in memory that ends at an inaccessible page, so any
 * read past the end of the image crashes the test instead of passing quietly.
 */
#define _DEFAULT_SOURCE /* mmap, sysconf */

#include "tests/unit/host.h"
#include "nucleus/nucleus.h"

#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <sprig/errno.h>
#include <sprig/syscall.h>

/* The ELF32 layouts are nucleus.h's; these are the test's extra names. */
#define ET_REL       1
#define ET_DYN       3
#define EM_X86_64    62
#define PT_NOTE      4
#define PT_GNU_STACK 0x6474e551u

#define IMAGE_MAX  0x4000
#define DATA_START 0x200 /* room for 14 program headers before the data */
#define TRAILER    0x40  /* bytes after the last segment, as section headers */

#define TEXT_VA  0x08048000u
#define DATA_VA  0x08049000u
#define ENTRY_VA (TEXT_VA + 0x8)

/* The image under construction. */
static struct {
	uint8_t bytes[IMAGE_MAX] __attribute__((aligned(8)));
	size_t size;     /* bytes handed to elf_parse */
	size_t data_end; /* end of the last segment's file data */
} img;

static struct elf32_ehdr *eh(void)
{
	return (struct elf32_ehdr *)img.bytes;
}

static struct elf32_phdr *ph(int i)
{
	return (struct elf32_phdr *)(img.bytes + sizeof(struct elf32_ehdr) +
	                             i * sizeof(struct elf32_phdr));
}

/* A header with no program headers yet. */
static void image_begin(void)
{
	memset(&img, 0, sizeof img);
	memcpy(eh()->ident, "\177ELF\1\1\1", 7); /* 32-bit, little-endian, v1 */
	eh()->type = ET_EXEC;
	eh()->machine = EM_386;
	eh()->version = 1;
	eh()->entry = ENTRY_VA;
	eh()->phoff = sizeof(struct elf32_ehdr);
	eh()->ehsize = sizeof(struct elf32_ehdr);
	eh()->phentsize = sizeof(struct elf32_phdr);
	img.data_end = DATA_START;
	img.size = DATA_START + TRAILER;
}

/* Appends a program header whose file data follows the previous one's. */
static struct elf32_phdr *image_add(uint32_t type, uint32_t vaddr, uint32_t filesz, uint32_t memsz,
                                    uint32_t flags)
{
	struct elf32_phdr *p = ph(eh()->phnum++);
	assert_true((uint8_t *)(p + 1) <= img.bytes + DATA_START);
	assert_true(img.data_end + filesz + TRAILER <= IMAGE_MAX);
	*p = (struct elf32_phdr){
	        type, (uint32_t)img.data_end, vaddr, vaddr, filesz, memsz, flags, PAGE_SIZE};
	memset(img.bytes + img.data_end, 0xcc, filesz);
	img.data_end += filesz;
	img.size = img.data_end + TRAILER;
	return p;
}

/* Text (r-x, 0x100 bytes) and data (rw-, 0x40 bytes of file, 8 KiB). */
static void image_valid(void)
{
	image_begin();
	image_add(PT_LOAD, TEXT_VA, 0x100, 0x100, PF_R | PF_X);
	image_add(PT_LOAD, DATA_VA, 0x40, 0x2000, PF_R | PF_W);
}

/* Parses the first len bytes of the image from a copy that ends exactly
 * where an inaccessible page begins. */
static int parse_len(size_t len, struct elf_info *info, const char **why)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	size_t span = (len + page - 1) / page * page;
	uint8_t *map =
	        mmap(NULL, span + page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	assert_true(map != MAP_FAILED);
	assert_int_equal(mprotect(map + span, page, PROT_NONE), 0);
	uint8_t *copy = map + span - len;
	memcpy(copy, img.bytes, len);
	int rc = elf_parse(copy, len, info, why);
	munmap(map, span + page);
	return rc;
}

static int parse(struct elf_info *info, const char **why)
{
	return parse_len(img.size, info, why);
}

/* Expects the image to parse, with no reason left behind. */
#define assert_parses(info) assert_parses_at(info, __LINE__)
static void assert_parses_at(struct elf_info *info, int line)
{
	const char *why = "unset";
	int rc = parse(info, &why);
	if (rc != 0 || why)
		fail_msg("line %d: rc %d, why \"%s\"", line, rc, why ? why : "NULL");
}

/* Expects a refusal whose reason mentions keyword. */
#define assert_refused(keyword) assert_refused_at(keyword, __LINE__)
static void assert_refused_at(const char *keyword, int line)
{
	struct elf_info info;
	const char *why = NULL;
	int rc = parse(&info, &why);
	if (rc != -ENOEXEC || !why || !strstr(why, keyword))
		fail_msg("line %d: want -ENOEXEC for \"%s\", got rc %d, why \"%s\"", line, keyword,
		         rc, why ? why : "NULL");
}

static void assert_segment(const struct elf_segment *s, uint32_t vaddr, uint32_t memsz,
                           uint32_t filesz, uint32_t prot)
{
	assert_int_equal(s->vaddr, vaddr);
	assert_int_equal(s->memsz, memsz);
	assert_int_equal(s->filesz, filesz);
	assert_int_equal(s->prot, prot);
}

static void test_valid_image_parses(void **state)
{
	(void)state;
	struct elf_info info;
	image_valid();
	assert_parses(&info);
	assert_int_equal(info.entry, ENTRY_VA);
	assert_int_equal(info.nsegments, 2);
	assert_segment(&info.seg[0], TEXT_VA, 0x100, 0x100, VM_READ | VM_EXEC);
	assert_int_equal(info.seg[0].offset, DATA_START);
	assert_segment(&info.seg[1], DATA_VA, 0x2000, 0x40, VM_READ | VM_WRITE);
	assert_int_equal(info.seg[1].offset, DATA_START + 0x100);
}

static void test_prot_follows_each_flag(void **state)
{
	(void)state;
	struct elf_info info;
	image_begin();
	image_add(PT_LOAD, TEXT_VA, 0x10, 0x10, PF_X);
	image_add(PT_LOAD, TEXT_VA + 0x1000, 0x10, 0x10, PF_R);
	image_add(PT_LOAD, TEXT_VA + 0x2000, 0x10, 0x10, PF_W);
	image_add(PT_LOAD, TEXT_VA + 0x3000, 0x10, 0x10, PF_R | PF_W | PF_X);
	assert_parses(&info);
	assert_int_equal(info.seg[0].prot, VM_EXEC);
	assert_int_equal(info.seg[1].prot, VM_READ);
	assert_int_equal(info.seg[2].prot, VM_WRITE);
	assert_int_equal(info.seg[3].prot, VM_READ | VM_WRITE | VM_EXEC);
}

static void test_too_short_refused(void **state)
{
	(void)state;
	struct elf_info info;
	const char *why;
	image_valid();
	for (size_t len = 0; len < sizeof(struct elf32_ehdr);
	     len += sizeof(struct elf32_ehdr) - 1) {
		why = NULL;
		assert_int_equal(parse_len(len, &info, &why), -ENOEXEC);
		assert_non_null(why);
		assert_non_null(strstr(why, "too short"));
	}
}

static void test_bad_magic_refused(void **state)
{
	(void)state;
	for (int i = 0; i < 4; i++) {
		image_valid();
		eh()->ident[i] ^= 0x20;
		assert_refused("magic");
	}
}

static void test_64bit_class_refused(void **state)
{
	(void)state;
	image_valid();
	eh()->ident[4] = 2; /* ELFCLASS64 */
	assert_refused("32-bit");
}

static void test_big_endian_refused(void **state)
{
	(void)state;
	image_valid();
	eh()->ident[5] = 2; /* ELFDATA2MSB */
	assert_refused("little-endian");
}

static void test_relocatable_refused(void **state)
{
	(void)state;
	image_valid();
	eh()->type = ET_REL;
	assert_refused("EXEC");
}

static void test_shared_object_refused(void **state)
{
	(void)state;
	image_valid();
	eh()->type = ET_DYN;
	assert_refused("EXEC");
}

static void test_other_machine_refused(void **state)
{
	(void)state;
	image_valid();
	eh()->machine = EM_X86_64;
	assert_refused("i386");
}

static void test_wrong_phentsize_refused(void **state)
{
	(void)state;
	image_valid();
	eh()->phentsize = 56; /* an ELF64 program header */
	assert_refused("program header size");
	eh()->phentsize = 0;
	assert_refused("program header size");
}

static void test_no_program_headers_refused(void **state)
{
	(void)state;
	image_valid();
	eh()->phnum = 0;
	assert_refused("no program headers");
}

static void test_program_headers_past_end_refused(void **state)
{
	(void)state;
	image_valid();
	eh()->phoff = (uint32_t)img.size - sizeof(struct elf32_phdr); /* one fits, two do not */
	assert_refused("past the end");
	eh()->phoff = (uint32_t)img.size + 1;
	assert_refused("past the end");
	image_valid();
	eh()->phnum = 0xffff;
	assert_refused("past the end");
}

static void test_program_header_offset_overflow_refused(void **state)
{
	(void)state;
	image_valid();
	eh()->phoff = 0xffffffe0u; /* + 2 * 32 wraps to 0x20 in 32 bits */
	assert_refused("past the end");
	eh()->phoff = 0xffffffffu;
	eh()->phnum = 1;
	assert_refused("past the end");
}

static void test_filesz_above_memsz_refused(void **state)
{
	(void)state;
	image_valid();
	ph(1)->memsz = ph(1)->filesz - 1;
	assert_refused("exceeds");
}

static void test_segment_data_past_end_refused(void **state)
{
	(void)state;
	image_valid();
	ph(1)->offset = (uint32_t)img.size - 0x10; /* 0x40 bytes wanted */
	assert_refused("past the end");
	ph(1)->offset = (uint32_t)img.size + 1;
	ph(1)->filesz = 0;
	assert_refused("past the end");
}

static void test_segment_offset_overflow_refused(void **state)
{
	(void)state;
	image_valid();
	ph(1)->offset = 0xfffffff0u; /* + 0x40 wraps to 0x30 in 32 bits */
	assert_refused("past the end");
}

/* Every prefix of a valid image either parses or is refused with a reason;
 * a prefix that cuts segment data is refused; nothing reads past the end. */
static void test_truncated_images_refused_never_crash(void **state)
{
	(void)state;
	struct elf_info info;
	image_valid();
	for (size_t len = 0; len <= img.size; len++) {
		const char *why = NULL;
		int rc = parse_len(len, &info, &why);
		if (len < img.data_end) {
			if (rc != -ENOEXEC || !why)
				fail_msg("length %zu of %zu: rc %d, why %s", len, img.size, rc,
				         why ? why : "NULL");
		} else if (rc != 0) {
			fail_msg("length %zu (all segment data present) refused: %s", len,
			         why ? why : "NULL");
		}
	}
}

static void test_segment_below_user_base_refused(void **state)
{
	(void)state;
	image_valid();
	ph(0)->vaddr = 0;
	assert_refused("outside user space");
	ph(0)->vaddr = USER_BASE - 0x10; /* straddles USER_BASE */
	assert_refused("outside user space");
}

static void test_segment_past_user_top_refused(void **state)
{
	(void)state;
	image_valid();
	ph(1)->vaddr = USER_TOP - 0x1000;
	ph(1)->memsz = 0x1001;
	assert_refused("outside user space");
	ph(1)->vaddr = USER_TOP;
	ph(1)->memsz = 0x40;
	assert_refused("outside user space");
}

static void test_segment_wrapping_refused(void **state)
{
	(void)state;
	image_valid();
	ph(1)->memsz = 0xfffff000u; /* DATA_VA + memsz wraps into user space */
	assert_refused("outside user space");
	ph(1)->vaddr = 0xfffff000u;
	ph(1)->memsz = 0x2000; /* ends at 0x1000 after wrapping */
	assert_refused("outside user space");
}

static void test_segment_ending_at_user_top_accepted(void **state)
{
	(void)state;
	struct elf_info info;
	image_valid();
	ph(1)->vaddr = USER_TOP - 0x2000;
	assert_parses(&info);
	assert_int_equal(info.seg[1].vaddr + info.seg[1].memsz, USER_TOP);
}

static void test_segments_sharing_a_page_refused(void **state)
{
	(void)state;
	image_valid();
	ph(1)->vaddr = TEXT_VA + 0x800; /* text's page, past its end */
	assert_refused("share a page");
	ph(1)->vaddr = TEXT_VA - 0x1000 + 0x800; /* the page below, ending in text's */
	ph(1)->memsz = 0x1000;
	assert_refused("share a page");
}

static void test_segments_on_adjacent_pages_accepted(void **state)
{
	(void)state;
	struct elf_info info;
	image_begin();
	image_add(PT_LOAD, TEXT_VA, 0x10, 0x1000, PF_R | PF_X); /* ends on a page boundary */
	image_add(PT_LOAD, TEXT_VA + 0x1000, 0x10, 0x10, PF_R | PF_W);
	assert_parses(&info);
	assert_int_equal(info.nsegments, 2);
}

static void test_max_segments_accepted(void **state)
{
	(void)state;
	struct elf_info info;
	image_begin();
	for (uint32_t i = 0; i < ELF_MAX_SEGMENTS; i++)
		image_add(PT_LOAD, TEXT_VA + i * 0x1000, 0x10, 0x10, PF_R);
	assert_parses(&info);
	assert_int_equal(info.nsegments, ELF_MAX_SEGMENTS);
}

static void test_too_many_segments_refused(void **state)
{
	(void)state;
	image_begin();
	for (uint32_t i = 0; i <= ELF_MAX_SEGMENTS; i++)
		image_add(PT_LOAD, TEXT_VA + i * 0x1000, 0x10, 0x10, PF_R);
	assert_refused("too many");
}

static void test_no_load_segment_refused(void **state)
{
	(void)state;
	image_valid();
	ph(0)->type = PT_NOTE;
	ph(1)->type = PT_GNU_STACK;
	assert_refused("no loadable segments");
}

static void test_entry_outside_segments_refused(void **state)
{
	(void)state;
	image_valid();
	eh()->entry = TEXT_VA - 1;
	assert_refused("entry point");
	eh()->entry = TEXT_VA + 0x100; /* one past text */
	assert_refused("entry point");
	eh()->entry = DATA_VA + 0x2000; /* one past data's memory */
	assert_refused("entry point");
	eh()->entry = 0;
	assert_refused("entry point");
}

static void test_entry_at_last_byte_accepted(void **state)
{
	(void)state;
	struct elf_info info;
	image_valid();
	eh()->entry = DATA_VA + 0x2000 - 1; /* in memory, beyond the file data */
	assert_parses(&info);
}

static void test_non_load_headers_ignored(void **state)
{
	(void)state;
	struct elf_info info;
	image_valid();
	/* Garbage that would be refused in a PT_LOAD. */
	struct elf32_phdr *note = image_add(PT_NOTE, 0, 0x10, 0, 0);
	note->offset = 0xffffff00u;
	image_add(PT_GNU_STACK, 0, 0, 0, PF_R | PF_W);
	assert_parses(&info);
	assert_int_equal(info.nsegments, 2);
	assert_int_equal(info.seg[1].vaddr, DATA_VA);
}

static void test_empty_load_segment_ignored(void **state)
{
	(void)state;
	struct elf_info info;
	image_valid();
	image_add(PT_LOAD, 0, 0, 0, PF_R);       /* below user space */
	image_add(PT_LOAD, TEXT_VA, 0, 0, PF_R); /* on text's page */
	assert_parses(&info);
	assert_int_equal(info.nsegments, 2);
}

static void test_only_empty_load_segments_refused(void **state)
{
	(void)state;
	image_valid();
	ph(0)->memsz = ph(0)->filesz = 0;
	ph(1)->memsz = ph(1)->filesz = 0;
	assert_refused("no loadable segments");
}

static void test_empty_load_segment_not_counted_toward_limit(void **state)
{
	(void)state;
	struct elf_info info;
	image_begin();
	for (uint32_t i = 0; i < ELF_MAX_SEGMENTS; i++)
		image_add(PT_LOAD, TEXT_VA + i * 0x1000, 0x10, 0x10, PF_R);
	image_add(PT_LOAD, 0, 0, 0, PF_R);
	assert_parses(&info);
	assert_int_equal(info.nsegments, ELF_MAX_SEGMENTS);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_valid_image_parses),
	        cmocka_unit_test(test_prot_follows_each_flag),
	        cmocka_unit_test(test_too_short_refused),
	        cmocka_unit_test(test_bad_magic_refused),
	        cmocka_unit_test(test_64bit_class_refused),
	        cmocka_unit_test(test_big_endian_refused),
	        cmocka_unit_test(test_relocatable_refused),
	        cmocka_unit_test(test_shared_object_refused),
	        cmocka_unit_test(test_other_machine_refused),
	        cmocka_unit_test(test_wrong_phentsize_refused),
	        cmocka_unit_test(test_no_program_headers_refused),
	        cmocka_unit_test(test_program_headers_past_end_refused),
	        cmocka_unit_test(test_program_header_offset_overflow_refused),
	        cmocka_unit_test(test_filesz_above_memsz_refused),
	        cmocka_unit_test(test_segment_data_past_end_refused),
	        cmocka_unit_test(test_segment_offset_overflow_refused),
	        cmocka_unit_test(test_truncated_images_refused_never_crash),
	        cmocka_unit_test(test_segment_below_user_base_refused),
	        cmocka_unit_test(test_segment_past_user_top_refused),
	        cmocka_unit_test(test_segment_wrapping_refused),
	        cmocka_unit_test(test_segment_ending_at_user_top_accepted),
	        cmocka_unit_test(test_segments_sharing_a_page_refused),
	        cmocka_unit_test(test_segments_on_adjacent_pages_accepted),
	        cmocka_unit_test(test_max_segments_accepted),
	        cmocka_unit_test(test_too_many_segments_refused),
	        cmocka_unit_test(test_no_load_segment_refused),
	        cmocka_unit_test(test_entry_outside_segments_refused),
	        cmocka_unit_test(test_entry_at_last_byte_accepted),
	        cmocka_unit_test(test_non_load_headers_ignored),
	        cmocka_unit_test(test_empty_load_segment_ignored),
	        cmocka_unit_test(test_only_empty_load_segments_refused),
	        cmocka_unit_test(test_empty_load_segment_not_counted_toward_limit),
	};
	return cmocka_run_group_tests_name("elf", tests, NULL, NULL);
}
