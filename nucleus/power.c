/* SPDX-License-Identifier: MIT */
/*
 * Power-off with a status, for tests: QEMU's isa-debug-exit device (port
 * 0xf4; QEMU exits with (status << 1) | 1), then Bochs's "Shutdown" port
 * 0x8900, then the ACPI PM ports of QEMU's and Bochs's chipsets, then a halt.
 *
 * Entry point: poweroff.
 */
#include "nucleus/nucleus.h"
#include "nucleus/x86.h"

void poweroff(int status)
{
	cli();
	kprintf("nucleus: power off, status %d (%s)\n", status,
	        status == POWEROFF_OK ? "ok" : "failure");
	outb(0xf4, (uint8_t)status);
	for (const char *s = "Shutdown"; *s; s++)
		outb(0x8900, (uint8_t)*s);
	outw(0x604, 0x2000);  /* QEMU i440fx/piix4 ACPI, newer layout */
	outw(0xb004, 0x2000); /* Bochs and older QEMU */
	for (;;)
		__asm__ volatile("hlt");
}
