/* SPDX-License-Identifier: MIT */
/*
 * The two 8259A interrupt controllers, remapped to vectors 32-47, every line
 * masked until a driver registers for it (the nucleus's timer, or a user
 * driver through an interrupt line: irqline.c).
 *
 * Entry points: pic_init, pic_unmask, pic_mask, pic_eoi, pic_spurious.
 */
#include "nucleus/nucleus.h"
#include "nucleus/x86.h"

#define PIC1 0x20
#define PIC2 0xa0

static uint16_t mask = 0xffff & ~(1u << 2); /* the cascade stays open */

static void pic_write_mask(void)
{
	outb(PIC1 + 1, (uint8_t)mask);
	outb(PIC2 + 1, (uint8_t)(mask >> 8));
}

void pic_init(void)
{
	outb(PIC1, 0x11); /* ICW1: edge triggered, cascade, ICW4 follows */
	outb(PIC2, 0x11);
	outb(PIC1 + 1, 32); /* ICW2: vector base */
	outb(PIC2 + 1, 40);
	outb(PIC1 + 1, 4); /* ICW3: slave on line 2 */
	outb(PIC2 + 1, 2);
	outb(PIC1 + 1, 1); /* ICW4: 8086 mode */
	outb(PIC2 + 1, 1);
	pic_write_mask();
}

void pic_unmask(int irq)
{
	mask &= (uint16_t) ~(1u << irq);
	pic_write_mask();
}

void pic_mask(int irq)
{
	mask |= (uint16_t)(1u << irq);
	pic_write_mask();
}

void pic_eoi(int irq)
{
	if (irq >= 8)
		outb(PIC2, 0x20);
	outb(PIC1, 0x20);
}

/* The in-service register of the controller at base. */
static uint8_t pic_isr(uint16_t base)
{
	outb(base, 0x0b); /* OCW3: read the ISR */
	uint8_t isr = inb(base);
	outb(base, 0x0a); /* back to the IRR */
	return isr;
}

/* True when irq 7 or 15 is spurious (a line that dropped before the CPU
 * took it: its in-service bit is clear). Then no EOI is due, but for 15
 * the master did see its cascade line: it gets its EOI here. */
int pic_spurious(int irq)
{
	if (irq == 7)
		return !(pic_isr(PIC1) & 0x80);
	if (irq == 15 && !(pic_isr(PIC2) & 0x80)) {
		outb(PIC1, 0x20);
		return 1;
	}
	return 0;
}
