/* SPDX-License-Identifier: MIT */
/*
 * Multiboot (v1) header and the first instructions of the nucleus.
 *
 * Register contract on entry (from GRUB or QEMU -kernel): eax = 0x2BADB002,
 * ebx = physical address of the multiboot information, paging off, flat
 * 32-bit segments, interrupts off. We run at the physical load address
 * until paging is on, so every symbol is used through V2P().
 *
 * We map the first 16 MiB twice with 4 MiB pages (identity, and at KERNBASE),
 * turn on paging, jump to the upper half and call nucleus_main(magic, info)
 * on the boot stack. vmm_init() later replaces this page directory.
 */
#include "boot/layout.h"

#define MB_MAGIC 0x1BADB002
#define MB_FLAGS 0x00000003 /* page-aligned modules, memory map */

	.section .multiboot, "a"
	.align 4
	.long MB_MAGIC
	.long MB_FLAGS
	.long -(MB_MAGIC + MB_FLAGS)

	.section .bss
	.align 4096
boot_pd:
	.space 4096
	.globl boot_stack_top
boot_stack:
	.space BOOT_STACK_SIZE
boot_stack_top:

	.section .text
	.globl _start
_start:
	cli
	mov %eax, %esi                 /* keep the magic and info across setup */
	mov %ebx, %edi

	/* Four 4 MiB pages at 0 and at KERNBASE: present, writable, PS. */
	mov $V2P(boot_pd), %edx
	xor %ecx, %ecx
1:	mov %ecx, %eax
	shl $22, %eax
	or $0x83, %eax
	mov %eax, (%edx,%ecx,4)
	mov %eax, (KERNBASE >> 20)(%edx,%ecx,4)
	inc %ecx
	cmp $4, %ecx
	jne 1b

	mov %cr4, %eax
	or $0x10, %eax                 /* CR4.PSE */
	mov %eax, %cr4
	mov %edx, %cr3
	mov %cr0, %eax
	or $0x80010000, %eax           /* CR0.PG | CR0.WP */
	mov %eax, %cr0

	mov $1f, %eax                  /* jump to the upper half */
	jmp *%eax
1:	mov $boot_stack_top, %esp
	xor %ebp, %ebp                 /* ends the backtrace */
	push %edi
	push %esi
	call nucleus_main
2:	cli
	hlt
	jmp 2b
