/* SPDX-License-Identifier: MIT */
/*
 * Port I/O for drivers: the x86 in and out instructions as inlines, for a
 * domain the device manager has granted the ports (docs/processes.md §3);
 * anywhere else they fault with #GP. Entry points: inb, outb, inw, outw,
 * insw, outsw.
 */
#ifndef SPRIG_DRIVERS_PORTIO_H
#define SPRIG_DRIVERS_PORTIO_H

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

static inline uint16_t inw(uint16_t port)
{
	uint16_t v;
	__asm__ volatile("inw %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline void outw(uint16_t port, uint16_t v)
{
	__asm__ volatile("outw %0, %1" : : "a"(v), "Nd"(port));
}

/* n 16-bit words from port into buf (rep insw). */
static inline void insw(uint16_t port, void *buf, uint32_t n)
{
	__asm__ volatile("rep insw" : "+D"(buf), "+c"(n) : "d"(port) : "memory");
}

/* n 16-bit words from buf out to port (rep outsw). */
static inline void outsw(uint16_t port, const void *buf, uint32_t n)
{
	__asm__ volatile("rep outsw" : "+S"(buf), "+c"(n) : "d"(port) : "memory");
}

#endif
