/* SPDX-License-Identifier: MIT */
/*
 * Processor tables: the GDT (flat nucleus and user segments and the TSS),
 * the IDT (exceptions, 16 PIC interrupts, the int $0x80 system-call gate)
 * and the sysenter MSRs. The GDT order is fixed by sysenter: user code and
 * data must follow nucleus code and data.
 *
 * The TSS carries an I/O permission bitmap for all 65536 ports. It is in
 * force only while a domain with ports of its own runs (tss.iomap points at
 * it); for every other domain tss.iomap points past the TSS's limit, so
 * their in and out fault. It holds one domain's bits at a time (the owner),
 * copied in when a switch reaches a domain that is not the owner.
 *
 * Entry points: cpu_init, cpu_has_sysenter, cpu_io_load, cpu_io_forget;
 * cpu_esp0, cpu_iomap, cpu_io_owner (see nucleus.h).
 */
#include "nucleus/nucleus.h"
#include "nucleus/x86.h"
#include "nucleus/offsets.h"
#include "lib/c/libc.h"
#include <sprig/syscall.h>

struct tss {
	uint32_t link, esp0, ss0, esp1, ss1, esp2, ss2, cr3, eip, eflags;
	uint32_t eax, ecx, edx, ebx, esp, ebp, esi, edi;
	uint32_t es, cs, ss, ds, fs, gs, ldt;
	uint16_t trap, iomap;
};

struct gate {
	uint16_t off_lo, sel;
	uint8_t zero, type;
	uint16_t off_hi;
} __attribute__((packed));

_Static_assert(sizeof(struct gate) == 8, "IDT gate is 8 bytes");
_Static_assert(sizeof(struct tss) == 104, "TSS is 104 bytes");
_Static_assert(offsetof(struct trapframe, gs) == 32 && offsetof(struct trapframe, trapno) == 48 &&
                       offsetof(struct trapframe, eip) == 56,
               "trapasm.S frame layout: pushal, then the segments");
_Static_assert(offsetof(struct sysframe, eip) == offsetof(struct sysregs, edx) &&
                       offsetof(struct sysframe, esp) == offsetof(struct sysregs, ecx) &&
                       offsetof(struct sysframe, eax) == offsetof(struct sysregs, eax) &&
                       sizeof(struct sysframe) == 40,
               "sysenter frame layout: pushal, then GS and FS");
_Static_assert(offsetof(struct tss, esp0) == 4, "sysenter_entry reads esp0 at 4(%esp)");
_Static_assert(SEG_KCODE + 8 == SEG_KDATA && SEG_KCODE + 16 == (SEG_UCODE & ~3) &&
                       SEG_KCODE + 24 == (SEG_UDATA & ~3),
               "sysenter needs kcode, kdata, ucode, udata in a row");

extern const uint32_t trap_vectors[48];
extern void trap128(void);

/*
 * The processor tables; written once at boot, then only tss.esp0 changes.
 *
 * sysenter loads ESP from an MSR, and sysenter_entry's first instruction
 * switches to the thread's stack. A user who sets TF before sysenter gets a
 * debug trap before that instruction, on the MSR's stack. So the MSR points
 * at the top of entry_stack, a stack of its own that ends where the TSS
 * begins: the trap frame lands there, and nothing else in memory is touched
 * (pointing the MSR into the TSS let a user's trap overwrite the TSS and the
 * IDT). sysenter_entry reads tss.esp0 at a fixed offset above it.
 */
#define ENTRY_STACK_WORDS 256
struct {
	uint64_t gdt[6];
	struct gate idt[256];
	uint32_t entry_stack[ENTRY_STACK_WORDS];
	struct tss tss;
	/* The I/O bitmap, then the byte of ones the CPU wants after it. */
	uint8_t iomap[IOMAP_BYTES + 1];
	int sysenter;
	/* Bytes [io_lo, io_hi) of iomap hold io_owner's bits; the rest are ones. */
	uint32_t io_lo, io_hi;
} cpu; /* not static: fastpath.S writes tss.esp0 (CPU_TSS_ESP0) */

_Static_assert(offsetof(__typeof__(cpu), tss.esp0) == CPU_TSS_ESP0, "offsets.h: CPU_TSS_ESP0");
_Static_assert(offsetof(__typeof__(cpu), tss) ==
                       offsetof(__typeof__(cpu), entry_stack) + sizeof cpu.entry_stack,
               "the sysenter entry stack ends at the TSS");
_Static_assert(offsetof(__typeof__(cpu), iomap) == offsetof(__typeof__(cpu), tss) + IOMAP_ON,
               "the I/O bitmap follows the TSS");
_Static_assert(IOMAP_ON == sizeof(struct tss) && IOMAP_OFF > IOMAP_ON + IOMAP_BYTES,
               "IOMAP_OFF is past the TSS limit");

struct domain *cpu_io_owner; /* whose bits the TSS's I/O bitmap holds, or NULL */

static uint64_t seg_desc(uint32_t base, uint32_t limit, uint8_t access, uint8_t flags)
{
	return (limit & 0xffffull) | ((uint64_t)(base & 0xffffff) << 16) |
	       ((uint64_t)access << 40) | ((uint64_t)((limit >> 16) & 0xf) << 48) |
	       ((uint64_t)(flags & 0xf) << 52) | ((uint64_t)(base >> 24) << 56);
}

static void set_gate(int vec, uint32_t handler, int dpl)
{
	/* Interrupt gates (type 0xE): the nucleus always runs with IF clear. */
	cpu.idt[vec] = (struct gate){(uint16_t)handler, SEG_KCODE, 0, (uint8_t)(0x8e | (dpl << 5)),
	                             (uint16_t)(handler >> 16)};
}

static void load_tables(void)
{
	struct {
		uint16_t limit;
		uint32_t base;
	} __attribute__((packed)) gdtr = {sizeof cpu.gdt - 1, (uint32_t)cpu.gdt},
	                          idtr = {sizeof cpu.idt - 1, (uint32_t)cpu.idt};
	__asm__ volatile("lgdt %0" : : "m"(gdtr));
	__asm__ volatile("ljmp %0, $1f\n1:" : : "i"(SEG_KCODE));
	/* DS and ES hold the flat user data segment whenever the nucleus runs
	 * (trapasm.S says why); SS must be the nucleus's own. */
	__asm__ volatile("mov %0, %%ss" : : "r"(SEG_KDATA));
	__asm__ volatile("mov %0, %%ds; mov %0, %%es" : : "r"(SEG_UDATA));
	__asm__ volatile("mov %0, %%fs; mov %0, %%gs" : : "r"(SEG_UDATA));
	__asm__ volatile("ltr %w0" : : "r"(SEG_TSS));
	__asm__ volatile("lidt %0" : : "m"(idtr));
}

void cpu_init(void)
{
	cpu.gdt[1] = seg_desc(0, 0xfffff, 0x9a, 0xc);
	cpu.gdt[2] = seg_desc(0, 0xfffff, 0x92, 0xc);
	cpu.gdt[3] = seg_desc(0, 0xfffff, 0xfa, 0xc);
	cpu.gdt[4] = seg_desc(0, 0xfffff, 0xf2, 0xc);
	/* The limit covers the TSS, the I/O bitmap and its final byte. */
	cpu.gdt[5] = seg_desc((uint32_t)&cpu.tss, IOMAP_ON + IOMAP_BYTES, 0x89, 0);
	cpu.tss.ss0 = SEG_KDATA;
	cpu.tss.iomap = IOMAP_OFF; /* past the limit: user port I/O faults */
	memset(cpu.iomap, 0xff, sizeof cpu.iomap);
	for (int v = 0; v < 48; v++)
		set_gate(v, trap_vectors[v], 0);
	set_gate(3, trap_vectors[3], 3); /* int3 and into raise their own exceptions */
	set_gate(4, trap_vectors[4], 3);
	set_gate(SYSCALL_VECTOR, (uint32_t)trap128, 3);
	load_tables();

	/* No FPU context is kept: floating point in user mode faults (#NM). */
	write_cr0((read_cr0() | CR0_EM | CR0_WP) & ~CR0_MP);

	uint32_t a, b, c, d;
	cpuid(1, &a, &b, &c, &d);
	if (!(d & CPUID_EDX_TSC))
		panic("cpu_init: this CPU has no time-stamp counter");
	/* Family 6 models below 3 with stepping below 3 report SEP wrongly. */
	cpu.sysenter = (d & CPUID_EDX_SEP) &&
	               !(((a >> 8) & 0xf) == 6 && ((a >> 4) & 0xf) < 3 && (a & 0xf) < 3);
	if (cpu.sysenter) {
		wrmsr(MSR_SYSENTER_CS, SEG_KCODE);
		wrmsr(MSR_SYSENTER_ESP, (uint32_t)&cpu.tss);
		wrmsr(MSR_SYSENTER_EIP, (uint32_t)sysenter_entry);
	}
}

uint32_t *cpu_esp0 = &cpu.tss.esp0;

/* From now on the sysenter entry sends fast door calls and returns to the
 * C reference (doorcall.c) instead of fastpath.S: the "fastpath=c" boot
 * option, for tests that compare the two. */
void door_fast_use_c(void)
{
	if (cpu.sysenter)
		wrmsr(MSR_SYSENTER_EIP, (uint32_t)sysenter_entry_c);
}
uint16_t *cpu_iomap = &cpu.tss.iomap;

/* Byte i of domain d's bitmap (ones where it has no bitmap page). */
static uint8_t io_byte(const struct domain *d, uint32_t i)
{
	const uint8_t *half = d->io_bits[i / PAGE_SIZE];
	return half ? half[i % PAGE_SIZE] : 0xff;
}

/* Makes the TSS's I/O bitmap hold d's bits (d has a bitmap): ones over the
 * old owner's extent, then d's extent copied in. Does not change
 * tss.iomap: that is cpu_io_switch's, for the domain that runs. */
void cpu_io_load(struct domain *d)
{
	memset(cpu.iomap + cpu.io_lo, 0xff, cpu.io_hi - cpu.io_lo);
	for (uint32_t i = d->io_lo; i < d->io_hi; i++)
		cpu.iomap[i] = io_byte(d, i);
	cpu.io_lo = d->io_lo;
	cpu.io_hi = d->io_hi;
	cpu_io_owner = d;
}

/* d's bitmap is going: if the TSS holds it, back to all ones and off. */
void cpu_io_forget(struct domain *d)
{
	if (cpu_io_owner != d)
		return;
	memset(cpu.iomap + cpu.io_lo, 0xff, cpu.io_hi - cpu.io_lo);
	cpu.io_lo = cpu.io_hi = 0;
	cpu_io_owner = NULL;
	cpu.tss.iomap = IOMAP_OFF;
}

int cpu_has_sysenter(void)
{
	return cpu.sysenter;
}
