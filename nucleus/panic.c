/* SPDX-License-Identifier: MIT */
/*
 * panic(), the stack backtrace, and the nucleus symbol table that names the
 * frames. The table is generated from the linked nucleus (tools/ksyms.sh)
 * into the .ksyms section, which the linker script places after all code, so
 * regenerating it moves no code.
 *
 * Entry points: panic, backtrace, ksym_lookup.
 */
#include "nucleus/nucleus.h"
#include "nucleus/x86.h"
#include "boot/layout.h"
#include "lib/c/libc.h"

struct ksym {
	uint32_t addr;
	const char *name;
};

extern const uint32_t ksyms_count;
extern const struct ksym ksyms_table[];
extern const char _etext[];

/* Returns the name of the function containing addr and the offset into it,
 * or NULL when addr is outside the nucleus text. */
const char *ksym_lookup(uint32_t addr, uint32_t *offset)
{
	*offset = 0;
	if (ksyms_count == 0 || addr < ksyms_table[0].addr || addr >= (uint32_t)_etext)
		return NULL;
	uint32_t lo = 0, hi = ksyms_count; /* binary search: last addr <= target */
	while (hi - lo > 1) {
		uint32_t mid = (lo + hi) / 2;
		if (ksyms_table[mid].addr <= addr)
			lo = mid;
		else
			hi = mid;
	}
	*offset = addr - ksyms_table[lo].addr;
	return ksyms_table[lo].name;
}

/* Follows the frame-pointer chain from ebp, printing each return address. */
void backtrace(uint32_t ebp)
{
	for (int depth = 0; depth < 32 && ebp >= KERNBASE && !(ebp & 3); depth++) {
		uint32_t *frame = (uint32_t *)ebp;
		uint32_t ret = frame[1], off;
		if (ret == 0)
			break;
		const char *fn = ksym_lookup(ret, &off);
		kprintf("  %08x %s+%#x\n", ret, fn ? fn : "?", off);
		ebp = frame[0];
	}
}

void panic(const char *fmt, ...)
{
	static int panicking;
	cli();
	if (panicking++)
		poweroff(POWEROFF_FAIL);
	kprintf("\npanic: ");
	char msg[256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	kprintf("%s\n", msg);
	uint32_t esp;
	__asm__ volatile("mov %%esp, %0" : "=r"(esp));
	kprintf("  thread %s#%d  esp %08x ebp %08x\n", current ? current->name : "boot",
	        current ? current->id : 0, esp, read_ebp());
	kprintf("  cr0 %08x cr2 %08x cr3 %08x cr4 %08x\n", read_cr0(), read_cr2(), read_cr3(),
	        read_cr4());
	kprintf("backtrace:\n");
	backtrace(read_ebp());
	poweroff(POWEROFF_FAIL);
}
