/* SPDX-License-Identifier: MIT */
/*
 * Thin inline wrappers for the x86 instructions the nucleus needs: port I/O,
 * control registers, MSRs, the TSC, interrupt flag and TLB control. Nothing
 * here has policy; it lets the rest of the nucleus be plain C.
 */
#ifndef SPRIG_X86_H
#define SPRIG_X86_H

#include <stdint.h>

static inline uint8_t inb(uint16_t port)
{
	uint8_t v;
	__asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline void outb(uint16_t port, uint8_t v)
{
	__asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static inline void outw(uint16_t port, uint16_t v)
{
	__asm__ volatile("outw %0, %1" : : "a"(v), "Nd"(port));
}

static inline uint32_t read_cr0(void)
{
	uint32_t v;
	__asm__ volatile("mov %%cr0, %0" : "=r"(v));
	return v;
}

static inline void write_cr0(uint32_t v)
{
	__asm__ volatile("mov %0, %%cr0" : : "r"(v) : "memory");
}

static inline uint32_t read_cr2(void)
{
	uint32_t v;
	__asm__ volatile("mov %%cr2, %0" : "=r"(v));
	return v;
}

static inline uint32_t read_cr3(void)
{
	uint32_t v;
	__asm__ volatile("mov %%cr3, %0" : "=r"(v));
	return v;
}

static inline void write_cr3(uint32_t v)
{
	__asm__ volatile("mov %0, %%cr3" : : "r"(v) : "memory");
}

static inline uint32_t read_cr4(void)
{
	uint32_t v;
	__asm__ volatile("mov %%cr4, %0" : "=r"(v));
	return v;
}

static inline void write_cr4(uint32_t v)
{
	__asm__ volatile("mov %0, %%cr4" : : "r"(v) : "memory");
}

static inline void invlpg(uint32_t va)
{
	__asm__ volatile("invlpg (%0)" : : "r"(va) : "memory");
}

static inline void wrmsr(uint32_t msr, uint64_t v)
{
	__asm__ volatile("wrmsr" : : "c"(msr), "a"((uint32_t)v), "d"((uint32_t)(v >> 32)));
}

static inline uint64_t rdtsc(void)
{
	uint32_t lo, hi;
	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}

static inline void cpuid(uint32_t leaf, uint32_t *a, uint32_t *b, uint32_t *c, uint32_t *d)
{
	__asm__ volatile("cpuid" : "=a"(*a), "=b"(*b), "=c"(*c), "=d"(*d) : "a"(leaf), "c"(0));
}

static inline void cli(void)
{
	__asm__ volatile("cli" : : : "memory");
}

static inline void sti(void)
{
	__asm__ volatile("sti" : : : "memory");
}

/* Enable interrupts and halt until the next one; the sti shadow makes the
 * pair atomic, so a wakeup cannot slip in between. */
static inline void sti_hlt(void)
{
	__asm__ volatile("sti; hlt; cli" : : : "memory");
}

static inline uint32_t read_ebp(void)
{
	uint32_t v;
	__asm__ volatile("mov %%ebp, %0" : "=r"(v));
	return v;
}

#define MSR_SYSENTER_CS  0x174
#define MSR_SYSENTER_ESP 0x175
#define MSR_SYSENTER_EIP 0x176

#define CR0_WP  0x00010000u
#define CR0_EM  0x00000004u
#define CR0_MP  0x00000002u
#define CR4_PSE 0x00000010u
#define CR4_PGE 0x00000080u

#define CPUID_EDX_PSE (1u << 3)
#define CPUID_EDX_TSC (1u << 4)
#define CPUID_EDX_SEP (1u << 11)
#define CPUID_EDX_PGE (1u << 13)

#define EFLAGS_TF 0x00000100u
#define EFLAGS_IF 0x00000200u
#define EFLAGS_DF 0x00000400u

#endif
