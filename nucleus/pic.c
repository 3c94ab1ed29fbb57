/* SPDX-License-Identifier: MIT */
/*
 * The two 8259A interrupt controllers, remapped to vectors 32-47, every line
 * masked until a driver registers for it.
 *
 * Entry points: pic_init, pic_unmask, pic_eoi.
 */
#include "nucleus/nucleus.h"
#include "nucleus/x86.h"

#define PIC1 0x20
#define PIC2 0xa0

static uint16_t pic_mask = 0xffff & ~(1u << 2); /* the cascade stays open */

static void pic_write_mask(void)
{
	outb(PIC1 + 1, (uint8_t)pic_mask);
	outb(PIC2 + 1, (uint8_t)(pic_mask >> 8));
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
	pic_mask &= (uint16_t) ~(1u << irq);
	pic_write_mask();
}

void pic_eoi(int irq)
{
	if (irq >= 8)
		outb(PIC2, 0x20);
	outb(PIC1, 0x20);
}
