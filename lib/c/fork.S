/* SPDX-License-Identifier: MIT */
/*
 * fork() and sfork(): the parent keeps its callee-saved registers on its
 * stack and asks the process manager to clone it (sfork: Sprite's shared
 * fork, the child sharing all memory but the stack), giving the child the
 * address of label 1 and this stack pointer to start at. The child's stack
 * is a copy of the parent's as the call found it, so the child resumes
 * below with the same saved registers and returns 0. After fork, its
 * first act is to take its own door to proc (ebx) and rebuild its
 * descriptors (sprig_fork_child). After sfork it changes nothing: every
 * global is the parent's too (its door to proc, descriptors, stdio), so
 * the child goes on using them, which lib/c allows only for memory work
 * and _exit (docs/processes.md).
 */
	.text
	.globl fork, sfork
fork:
	xorl %ecx, %ecx
	jmp 0f
sfork:
	movl $1, %ecx
0:	pushl %ebp
	pushl %ebx
	pushl %esi
	pushl %edi
	pushl %ecx		/* shared: the child finds it on its stack */
	movl %esp, %eax
	pushl %ecx		/* shared */
	pushl %eax		/* esp for the child: the flag, then the saved registers */
	pushl $1f		/* eip for the child */
	call sprig_fork_call	/* -> the child's pid, or -1 with errno */
	addl $16, %esp
	popl %edi
	popl %esi
	popl %ebx
	popl %ebp
	ret
1:	popl %ecx
	testl %ecx, %ecx
	jnz 2f			/* a shared child touches no global: they are the parent's */
	movl %ebx, sprig_start_door
	subl $12, %esp		/* keep 16-byte alignment for the C call */
	call sprig_fork_child
	addl $12, %esp
2:	xorl %eax, %eax
	popl %edi
	popl %esi
	popl %ebx
	popl %ebp
	ret
