/* SPDX-License-Identifier: MIT */
/*
 * Trap, interrupt and system-call entry and exit.
 *
 * Vectors 0-47 and 0x80 enter through a stub that pushes an error code (0
 * when the CPU pushes none) and the vector number, then alltraps builds a
 * struct trapframe (nucleus.h, lowest first: pushal's edi esi ebp esp ebx
 * edx ecx eax, then gs fs es ds), loads
 * DS and ES and calls trap(tf). trapret undoes it and irets; new user
 * threads start there too.
 *
 * Segment registers. Whenever the nucleus runs, DS and ES hold the flat
 * user data segment (SEG_UDATA: DPL 3, base 0, so the nucleus may use it);
 * every entry loads it and nothing loads anything else. sysexit does not
 * reload DS and ES, so a thread leaving by sysexit gets that selector
 * whichever entry the CPU came in by (the nucleus's own data selector would
 * be nulled by the next iret to user mode, and the thread's next access
 * would fault). FS and GS belong to the user thread: the nucleus never
 * changes them, the trap frame and the sysframe save them, and the exits
 * restore them.
 *
 * sysenter_entry: the CPU arrives with CS/SS from the MSRs, ESP at the top
 * of cpu.c's entry stack (just below the TSS), interrupts off, the user's
 * return address in edx and stack pointer in ecx, and the rest of EFLAGS as
 * the user left it. A user's TF raises a debug trap before the first
 * instruction: it lands on the entry stack and trap() clears TF and comes
 * back; the traps after the next instructions land on the thread's stack
 * and are ignored the same way, until the popfl clears TF, NT, AC and DF.
 * The entry pushes a struct sysframe (FS, GS, then pushal, which puts the
 * user's eip and esp where sysexit wants them back: edx and ecx), loads DS
 * and ES, calls syscall_sysenter(f) and leaves by sysexit at sysexit_ret
 * (popal); when eax has
 * its top bit set (DOOR_FAST) it jumps at once to the door fast path
 * (fastpath.S), which builds the same frame. sysenter_entry_c, the MSR's
 * entry with fastpath=c, sends DOOR_FAST requests to the C reference.
 */
#include "boot/layout.h"

	.macro TRAP_NOERR n
	.globl trap\n
trap\n:
	pushl $0
	pushl $\n
	jmp alltraps
	.endm

	.macro TRAP_ERR n
	.globl trap\n
trap\n:
	pushl $\n
	jmp alltraps
	.endm

	.text
	TRAP_NOERR 0
	TRAP_NOERR 1
	TRAP_NOERR 2
	TRAP_NOERR 3
	TRAP_NOERR 4
	TRAP_NOERR 5
	TRAP_NOERR 6
	TRAP_NOERR 7
	TRAP_ERR 8
	TRAP_NOERR 9
	TRAP_ERR 10
	TRAP_ERR 11
	TRAP_ERR 12
	TRAP_ERR 13
	TRAP_ERR 14
	TRAP_NOERR 15
	TRAP_NOERR 16
	TRAP_ERR 17
	TRAP_NOERR 18
	TRAP_NOERR 19
	.irp n, 20,21,22,23,24,25,26,27,28,29,30,31
	TRAP_NOERR \n
	.endr
	.irp n, 32,33,34,35,36,37,38,39,40,41,42,43,44,45,46,47
	TRAP_NOERR \n
	.endr
	TRAP_NOERR 128

	.section .rodata
	.globl trap_vectors
trap_vectors:
	.irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23
	.long trap\n
	.endr
	.irp n, 24,25,26,27,28,29,30,31,32,33,34,35,36,37,38,39,40,41,42,43,44,45,46,47
	.long trap\n
	.endr

	.text
alltraps:
	cld                            /* the nucleus copies forwards, whatever the user set */
	pushl %ds
	pushl %es
	pushl %fs
	pushl %gs
	pushal
	movw $0x23, %ax                /* SEG_UDATA: see the top of the file */
	movw %ax, %ds
	movw %ax, %es
	pushl %esp
	call trap
	addl $4, %esp
	.globl trapret
trapret:
	popal
	popl %gs
	popl %fs
	popl %es
	popl %ds
	addl $8, %esp                  /* vector and error code */
	iret

/* fastpath=c: the MSR's entry instead of sysenter_entry (door_fast_use_c).
 * The same, but a DOOR_FAST request goes to the C reference. */
	.globl sysenter_entry_c
sysenter_entry_c:
	movl 4(%esp), %esp
	pushl $2
	popfl
	pushl %fs
	pushl %gs
	pushal
	movl $0x23, %edx
	movl %edx, %ds
	movl %edx, %es
	testl %eax, %eax
	jns sysenter_syscall
	testl $0x40000000, %eax        /* DOOR_FAST_RETURN */
	jnz door_fast_return_c
	jmp door_fast_call_c

	.globl sysenter_entry
sysenter_entry:
	movl 4(%esp), %esp             /* tss.esp0, just above: this thread's stack top */
	testl %eax, %eax               /* DOOR_FAST set: a door call or return, for */
	js door_fast_entry             /* the fast path (fastpath.S), which builds its frame */
	pushl $2                       /* sysenter leaves TF, NT, AC and DF as the */
	popfl                          /* user set them: start from clean flags */
	.globl sysenter_flags_clean
sysenter_flags_clean:
	pushl %fs                      /* struct sysframe, highest field first */
	pushl %gs
	pushal                         /* the user's eip and esp in the edx and ecx slots */
	movl $0x23, %edx               /* DS and ES: SEG_UDATA, whatever the user */
	movl %edx, %ds                 /* left in them */
	movl %edx, %es
sysenter_syscall:
	pushl %esp
	call syscall_sysenter
	addl $4, %esp
	.globl sysexit_ret
sysexit_ret:
	popal                          /* edx = return address, ecx = user stack */
	popl %gs                       /* the thread's own: another thread's may be loaded */
	popl %fs
	sti                            /* takes effect after sysexit */
	sysexit

/* exit_via_trapframe(tf), exit_via_sysframe(f): leave for user mode through
 * a frame anywhere in memory; whatever the stack held is abandoned. */
	.globl exit_via_trapframe
exit_via_trapframe:
	movl 4(%esp), %esp
	jmp trapret

	.globl exit_via_sysframe
exit_via_sysframe:
	movl 4(%esp), %esp
	jmp sysexit_ret

/* exit_to_door_entry(datum, flags, words, eip, esp): the fast path's way
 * into a server thread: iret to eip/esp with eax = datum, ecx = flags,
 * edx = 0, ebx esi edi ebp taken from the caller's sysframe `words`, and
 * FS and GS = SEG_UDATA, as the general path's entry frame has them. */
	.globl exit_to_door_entry
exit_to_door_entry:
	movl 12(%esp), %edx            /* words */
	movl 16(%esp), %ebx            /* eip */
	movl 20(%esp), %esi            /* esp */
	movl $0x23, %eax               /* not the caller's FS and GS */
	movl %eax, %fs
	movl %eax, %gs
	movl 4(%esp), %eax             /* datum */
	movl 8(%esp), %ecx             /* flags */
	pushl $0x23                    /* the iret frame: ss esp eflags cs eip */
	pushl %esi
	pushl $0x202
	pushl $0x1b
	pushl %ebx
	movl 16(%edx), %ebx            /* struct sysframe: edi esi ebp - ebx */
	movl 4(%edx), %esi
	movl (%edx), %edi
	movl 8(%edx), %ebp
	xorl %edx, %edx
	iret
