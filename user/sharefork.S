/* SPDX-License-Identifier: MIT */
/*
 * share_fork(int self, int shared): fork through the program's own domain
 * door, for user/sharechild.c (lib/c's fork goes through proc). The caller
 * keeps its callee-saved registers on its stack and sharechild_clone
 * (self, eip, esp, shared) clones the domain (shared: DOM_CLONE with
 * KOBJ_CLONE_SHARED) and starts a thread in the clone at label 1 with
 * this esp. The clone's main stack is a copy of this one as the clone
 * found it, so there it resumes with the same saved registers and
 * returns 0; here it returns the clone's door, or -errno. Only from the
 * main thread: its stack is the one a shared clone copies.
 */
	.text
	.globl share_fork
share_fork:
	movl 4(%esp), %ecx	/* self */
	movl 8(%esp), %edx	/* shared */
	pushl %ebp
	pushl %ebx
	pushl %esi
	pushl %edi
	movl %esp, %eax
	pushl %edx		/* shared */
	pushl %eax		/* esp for the clone: the saved registers */
	pushl $1f		/* eip for the clone */
	pushl %ecx		/* self */
	call sharechild_clone	/* -> the clone's door, or -errno */
	addl $16, %esp
	popl %edi
	popl %esi
	popl %ebx
	popl %ebp
	ret
1:	xorl %eax, %eax
	popl %edi
	popl %esi
	popl %ebx
	popl %ebp
	ret
