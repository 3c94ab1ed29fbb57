/* SPDX-License-Identifier: MIT */
/*
 * sprig_sigtramp: where a signal upcall enters (sprig/signal.h), given as
 * DOM_SIGNAL's eip with the signal number as its arg. The nucleus starts
 * it with eax = the signal number, edx = the saved frame and esp = edx,
 * 16-byte aligned, the frame just above. It calls sprig_sighandlers[eax]
 * (lib/c/signal.c) if there is one, with the number as its argument, then
 * SYS_SIGRETURN with the frame, which does not return; a refused frame
 * ends in ud2 (a fault that ends the domain).
 *
 * The handler is a C function: ebx (callee-saved) keeps the frame across
 * it. Everything else the interrupted code had is in the frame.
 */
#define SYS_SIGRETURN 24
#define SIGTRAMP_MAX  32

	.text
	.globl sprig_sigtramp
sprig_sigtramp:
	movl %edx, %ebx                /* the frame */
	cld                            /* the C ABI, whatever was interrupted */
	xorl %ebp, %ebp                /* ends backtraces */
	cmpl $SIGTRAMP_MAX, %eax
	jae 1f
	movl sprig_sighandlers(,%eax,4), %ecx
	testl %ecx, %ecx
	jz 1f
	subl $12, %esp                 /* esp 16-byte aligned at the call */
	pushl %eax
	call *%ecx
1:	movl $SYS_SIGRETURN, %eax      /* ebx = the frame */
	int $0x80                      /* iret: every register comes back */
	ud2
