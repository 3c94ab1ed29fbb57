/* SPDX-License-Identifier: MIT */
/*
 * swtch(struct context **save, struct context *next): saves the callee-saved
 * registers of the running thread on its stack, stores the stack pointer in
 * *save, and resumes next, whose stack holds the same five words
 * (edi esi ebx ebp, then the return address). Interrupts stay off.
 */
	.text
	.globl swtch
swtch:
	movl 4(%esp), %eax
	movl 8(%esp), %edx
	pushl %ebp
	pushl %ebx
	pushl %esi
	pushl %edi
	movl %esp, (%eax)
	movl %edx, %esp
	popl %edi
	popl %esi
	popl %ebx
	popl %ebp
	ret
