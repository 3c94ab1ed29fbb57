/* SPDX-License-Identifier: MIT */
/*
 * fork(): the parent keeps its callee-saved registers on its stack and asks
 * the process manager to clone it, giving the child the address of label 1
 * and this stack pointer to start at. The child's memory is a copy of the
 * parent's as the call found it, so the child resumes below with the same
 * saved registers and returns 0 from fork; its first act is to take its
 * own door to proc (ebx) and rebuild its descriptors (sprig_fork_child).
 */
	.text
	.globl fork
fork:
	pushl %ebp
	pushl %ebx
	pushl %esi
	pushl %edi
	movl %esp, %eax
	pushl %eax		/* esp for the child: the saved registers */
	pushl $1f		/* eip for the child */
	call sprig_fork_call	/* -> the child's pid, or -1 with errno */
	addl $8, %esp
	popl %edi
	popl %esi
	popl %ebx
	popl %ebp
	ret
1:	movl %ebx, sprig_start_door
	subl $12, %esp		/* keep 16-byte alignment for the C call */
	call sprig_fork_child
	addl $12, %esp
	xorl %eax, %eax
	popl %edi
	popl %esi
	popl %ebx
	popl %ebp
	ret
