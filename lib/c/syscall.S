/* SPDX-License-Identifier: MIT */
/*
 * User-side system-call entry (the ABI is in include/sprig/syscall.h).
 *
 * int sprig_syscall(nr, a0, a1, a2, a3): cdecl; loads eax = nr, ebx esi edi
 * ebp = a0..a3, ecx = esp and edx = the return address, and enters by
 * sysenter (int $0x80 on a CPU without it). sprig_syscall_int80 always uses
 * int $0x80. Both save and restore the callee-saved registers they use.
 */
/* Saves the callee-saved registers and loads the five arguments. */
	.macro SYSCALL_ARGS
	pushl %ebp
	pushl %edi
	pushl %esi
	pushl %ebx
	movl 20(%esp), %eax
	movl 24(%esp), %ebx
	movl 28(%esp), %esi
	movl 32(%esp), %edi
	movl 36(%esp), %ebp
	.endm

	.macro SYSCALL_RETURN
	popl %ebx
	popl %esi
	popl %edi
	popl %ebp
	ret
	.endm

	.text
	.globl sprig_syscall
sprig_syscall:
	SYSCALL_ARGS
	cmpl $0, %ss:sprig_has_sysenter /* through SS: DS may be anything here */
	je 2f
	movl %esp, %ecx
	movl $1f, %edx
	sysenter
1:	SYSCALL_RETURN
2:	int $0x80                      /* no sysenter on this CPU */
	SYSCALL_RETURN

	.globl sprig_syscall_int80
sprig_syscall_int80:
	SYSCALL_ARGS
	int $0x80
	SYSCALL_RETURN

/* The first instruction of a thread made by thread_create(): the stack holds
 * fn and arg (lib/c/sys.c); call fn(arg), then end the thread. */
	.globl thread_start
thread_start:
	popl %eax                      /* fn; arg is now at (%esp) */
	xorl %ebp, %ebp
	call *%eax
	movl $3, %eax                  /* SYS_THREAD_EXIT */
	int $0x80
	ud2
