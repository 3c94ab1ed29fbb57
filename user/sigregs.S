/* SPDX-License-Identifier: MIT */
/*
 * Register-exact helpers for the signal tests (user/sigtest.c and
 * user/sigchild.c): C cannot say "this value in every register, then trap,
 * then tell me what came back". Each stores the registers it ends with in
 * sig_out (eax ebx ecx edx esi edi ebp, esp after, esp before, eflags).
 * One thread at a time: they use globals.
 *
 * int sig_syscall_regs(nr, a0, a1, a2): int $0x80 with eax = nr, ebx esi
 *   edi = a0..a2, ecx edx ebp = SIG_ECX SIG_EDX SIG_EBP and CF set.
 * void sig_busy_regs(void): eax..ebp = SIG_EAX SIG_EBX SIG_ECX SIG_EDX
 *   SIG_ESI SIG_EDI SIG_EBP, spinning until sig_busy_flag is set.
 * int sig_return_to(frame, use_sysenter): SYS_SIGRETURN with the frame;
 *   returns its error if refused, or 0 once the frame's eip, sig_landing,
 *   has filled sig_out (the frame's esp must point at room for a push).
 */
#define SIG_EAX 0x0a0a0a0a
#define SIG_EBX 0x0b0b0b0b
#define SIG_ECX 0x11111111
#define SIG_EDX 0x22222222
#define SIG_ESI 0x33333333
#define SIG_EDI 0x44444444
#define SIG_EBP 0x55555555

	.bss
	.globl sig_out, sig_busy_flag
	.align 4
sig_out:
	.skip 40
sig_busy_flag:
	.skip 4
sig_esp_before:
	.skip 4

	.text
	.macro SAVE
	pushl %ebp
	pushl %edi
	pushl %esi
	pushl %ebx
	movl %esp, sig_esp_before
	.endm

/* Stores every register and the flags (pushed last) in sig_out. */
	.macro STORE
	popl sig_out+36
	movl %eax, sig_out
	movl %ebx, sig_out+4
	movl %ecx, sig_out+8
	movl %edx, sig_out+12
	movl %esi, sig_out+16
	movl %edi, sig_out+20
	movl %ebp, sig_out+24
	movl %esp, sig_out+28
	movl sig_esp_before, %eax
	movl %eax, sig_out+32
	.endm

	.macro RESTORE
	cld
	movl sig_esp_before, %esp
	popl %ebx
	popl %esi
	popl %edi
	popl %ebp
	.endm

	.globl sig_syscall_regs
sig_syscall_regs:
	SAVE
	movl 20(%esp), %eax
	movl 24(%esp), %ebx
	movl 28(%esp), %esi
	movl 32(%esp), %edi
	movl $SIG_ECX, %ecx
	movl $SIG_EDX, %edx
	movl $SIG_EBP, %ebp
	stc
	int $0x80
	pushfl
	STORE
	RESTORE
	movl sig_out, %eax
	ret

	.globl sig_busy_regs
sig_busy_regs:
	SAVE
	movl $SIG_EAX, %eax
	movl $SIG_EBX, %ebx
	movl $SIG_ECX, %ecx
	movl $SIG_EDX, %edx
	movl $SIG_ESI, %esi
	movl $SIG_EDI, %edi
	movl $SIG_EBP, %ebp
1:	cmpl $0, sig_busy_flag
	je 1b
	pushfl
	STORE
	RESTORE
	ret

	.globl sig_return_to, sig_landing
sig_return_to:
	SAVE
	movl 20(%esp), %ebx            /* the frame */
	movl 24(%esp), %ecx
	movl $24, %eax                 /* SYS_SIGRETURN */
	testl %ecx, %ecx
	jz 1f
	movl %esp, %ecx
	movl $2f, %edx
	sysenter
2:	jmp 3f                         /* refused: eax = the error */
1:	int $0x80
3:	RESTORE
	ret

sig_landing:                           /* where good frames send us */
	pushfl
	STORE
	RESTORE
	xorl %eax, %eax
	ret
