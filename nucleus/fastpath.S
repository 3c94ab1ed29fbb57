/* SPDX-License-Identifier: MIT */
/*
 * The door fast path in assembly: the call and the return of a fast door
 * call (at most 16 bytes each way, in ebx esi edi ebp), entered from
 * sysenter_entry (trapasm.S) as soon as eax has DOOR_FAST set, with esp at
 * the thread's stack top, interrupts off and nothing else done.
 *
 * door_fast_entry builds the caller's struct sysframe as the general entry
 * does (FS, GS, pushal) and loads DS and ES, so that every guard can fall
 * back to the C reference (doorcall.c: door_fast_call, door_fast_return)
 * with the frame it expects; that function checks again and takes the
 * general path for anything unusual. Each side is a checklist of guards,
 * then the POINT OF NO RETURN, after which nothing can fail, then the
 * switch: no scheduler, no copy, no C call. Both sides are domains without
 * ports (a guard sends the others to C), so the TSS's I/O bitmap is off
 * and stays off (cpu.c); one word per domain (fast_off) says "ports, or
 * queued work in its pool", so the return tests one word for the server's
 * side (the call has no business with queues, nor the return with c's). Booting with "fastpath=c" points the sysenter MSR
 * at sysenter_entry_c, which runs the C reference instead (door_fast_use_c),
 * so tests can compare the two.
 *
 * What the asm leaves to the general path: the door's nucleus hold (a call
 * in progress needs none: doorcall.c), the time slice, which belongs to
 * the CPU (sched.c), not to a thread, and the reset of an idle server
 * thread's caller, shuttle and depth, which the return leaves as they were
 * (nothing reads them while it is idle; a call sets them, and every other
 * way off the idle stack resets them: doorcall.c).
 *
 * Register use: eax = the operation word until the switch (a return's
 * less DOOR_FAST | DOOR_FAST_RETURN: the frame keeps it as it came, for the
 * C reference); the other six are free (pushal saved them; the data words
 * are reloaded from the frame).
 * Offsets come from offsets.h, which the C side checks against the real
 * structures.
 *
 * Entry points: door_fast_entry (jumped to from sysenter_entry);
 * door_fast_call_c, door_fast_return_c (from sysenter_entry_c and from
 * every guard).
 */
#include "nucleus/offsets.h"

#define USER_BASE  0x00001000
#define USER_TOP   0xC0000000
#define DEPTH_MAX  16
#define REVOKED    0x100
#define ENTRY_REGS 0x01000000
#define DEPLETED   0x04000000
#define FAST_RETURN 0x40000000
#define UDATA      0x23
#define UCODE      0x1b
#define EFLAGS_USER 0x202
/* The largest operation words the fast path takes: DOOR_FAST (and for a
 * return DOOR_FAST_RETURN), a size of 16 at most and no reserved bit; a
 * call's id is in the low 24 bits, a return's are ignored, as in C. */
#define CALL_MAX   0x90ffffff
#define RETURN_OP  0xc0000000
#define RETURN_MAX 0xd0ffffff
#define ID_MASK    0x00ffffff

	.text
	.globl door_fast_entry
door_fast_entry:
	pushl $2                               /* clean flags: the user's NT would make the */
	popfl                                  /* iret a task switch, and DF, AC, TF are not the other side's */
	pushl %fs                              /* struct sysframe, as the general entry builds */
	pushl %gs                              /* it: the C paths and the return need it */
	pushal
	movl $UDATA, %edx                      /* DS and ES: SEG_UDATA, whatever the user */
	movl %edx, %ds                         /* left in them */
	movl %edx, %es
	cmpl $CALL_MAX, %eax                   /* a call of at most 16 bytes, no reserved */
	ja door_fast_return_asm                /* bit; else a return, or the C reference */

/*
 * The call. eax = DOOR_FAST | size << 24 | id. In the guards: edx = the
 * caller c, ebp = its domain, esi = the door d, edi = the server's domain,
 * ecx = the server thread s on top of its pool's idle stack.
 */
	.globl door_fast_call_asm
door_fast_call_asm:
	movl %edx, %fs                         /* the server's FS and GS (a C path gives c */
	movl %edx, %gs                         /* back its own, from the frame) */
	movl current, %edx                     /* 1. (above: size and reserved bits) */
	movl T_DOM(%edx), %ebp
	movzbl %al, %ebx                       /* 2. the id names a door of c's: its */
	movl %eax, %ecx                        /* slot's key is the id with DOOR_FAST, */
	andl $(DTABLE_LIVE_BIT | ID_MASK), %ecx /* which no free or retired slot's is */
	cmpl DOM_DTABLE_KEY(%ebp,%ebx,4), %ecx
	jne door_fast_call_c
	movl DOM_DTABLE_DOOR(%ebp,%ebx,4), %esi
	testl $REVOKED, DOOR_FLAGS_OFF(%esi)   /* 3. not revoked (nor its server gone) */
	jnz door_fast_call_c
	movl DOOR_SERVER_OFF(%esi), %edi
	movl DOM_IO_HI(%ebp), %ecx             /* 4. neither side has ports: the C path */
	orl DOM_IO_HI(%edi), %ecx              /* switches the TSS's I/O bitmap */
	jnz door_fast_call_c
	movl DOM_POOL_IDLE(%edi), %ecx         /* 5. an idle server thread s */
	testl %ecx, %ecx
	jz door_fast_call_c
	cmpl $DEPTH_MAX, T_DEPTH(%edx)         /* 6. the chain may grow by one */
	jge door_fast_call_c
	cmpl $0, T_WORK(%edx)                  /* 7. c has nothing to do first (killed, */
	jne door_fast_call_c                   /* a signal) */

	/* POINT OF NO RETURN */
	.globl door_fast_call_switch
door_fast_call_switch:
	shrl $24, %eax                         /* the server's ecx: size | DOOR_ENTRY_REGS */
	xorl $(0x80 | ENTRY_REGS), %eax        /* (0x80: DOOR_FAST, shifted) */
	movl T_NEXT_IDLE(%ecx), %ebx           /* s off the idle stack */
	movl %ebx, DOM_POOL_IDLE(%edi)
	testl %ebx, %ebx                       /* s was the last: ask for more threads */
	jnz 1f
	orl $DEPLETED, %eax
1:	movl $TS_BLOCKED, T_STATE(%edx)        /* c waits for the reply */
	movl $WAIT_MODE(DWAIT_CALL, MODE_FAST), T_WAIT(%edx)
	movl %ecx, T_CALLEE(%edx)
	movw $DWAIT_NONE, T_WAIT(%ecx)         /* s serves c, on c's shuttle, one deeper */
	movl %edx, T_CALLER(%ecx)
	movl T_SHUTTLE(%edx), %ebx
	movl %ebx, T_SHUTTLE(%ecx)
	movl T_DEPTH(%edx), %ebx
	incl %ebx
	movl %ebx, T_DEPTH(%ecx)
	movl %ecx, current                     /* s runs, and enters the nucleus on its */
	movl $TS_RUNNING, T_STATE(%ecx)        /* own stack */
	movl T_KSTACK_TOP(%ecx), %ebx
	movl %ebx, cpu+CPU_TSS_ESP0
	cmpl T_DOM(%edx), %edi                 /* a call within one domain keeps its */
	je 2f                                  /* address space */
	movl DOM_CR3(%edi), %ebx
	movl %ebx, %cr3
2:	pushl $UDATA                           /* iret to the door's entry: */
	pushl T_SRV_ESP(%ecx)                  /* ss esp eflags cs eip */
	pushl $EFLAGS_USER
	pushl $UCODE
	pushl DOOR_ENTRY_OFF(%esi)
	movl %eax, %ecx                        /* ecx = size | flags, eax = datum, */
	movl DOOR_DATUM_OFF(%esi), %eax        /* edx = no doors, ebx esi edi ebp = */
	xorl %edx, %edx                        /* the words, from c's frame */
	movl 20+SF_EBX(%esp), %ebx
	movl 20+SF_ESI(%esp), %esi
	movl 20+SF_EDI(%esp), %edi
	movl 20+SF_EBP(%esp), %ebp
	iret

/*
 * The return. eax = DOOR_FAST | DOOR_FAST_RETURN | size << 24, the results
 * in ebx esi edi ebp (and in the frame), the frame's esp = the server's esp
 * for its next call. In the guards: eax = size << 24, edx = the server
 * thread s, ecx = its caller c, ebx = that esp, ebp = s's domain, edi = c's
 * domain.
 */
	.globl door_fast_return_asm
door_fast_return_asm:
	subl $RETURN_OP, %eax                  /* 1. a return of at most 16 bytes, no */
	cmpl $(RETURN_MAX - RETURN_OP), %eax   /* reserved bit, no id: eax = size << 24 */
	ja door_fast_bad_op
	movl current, %edx
	movl T_CALLER(%edx), %ecx              /* 2. s serves a caller, */
	testl %ecx, %ecx
	jz door_fast_return_c
	cmpw $MODE_FAST, T_MODE(%ecx)          /* who came by the fast entry */
	jne door_fast_return_c
	cmpl $0, T_WORK(%edx)                  /* 3. s has nothing to do first (killed, a */
	jne door_fast_return_c                 /* signal, or c has: THREAD_WORK_CALLER) */
	movl SF_ESP(%esp), %ebx                /* 4. the next call's esp is a user address: */
	leal -USER_BASE(%ebx), %esi            /* USER_BASE <= esp <= USER_TOP, as */
	cmpl $(USER_TOP - USER_BASE), %esi     /* uaccess_range_ok(esp, 0) */
	ja door_fast_return_c
	movl T_DOM(%edx), %ebp                 /* 5. neither side has ports, and nothing */
	movl T_DOM(%ecx), %edi                 /* waits for s's pool (the general return */
	movl DOM_IO_HI(%edi), %esi             /* takes queued callers and upcalls): */
	orl DOM_FAST_OFF(%ebp), %esi           /* s's fast_off says both for its side */
	jnz door_fast_return_c

	/* POINT OF NO RETURN */
	.globl door_fast_return_switch
door_fast_return_switch:
	movw $DWAIT_NONE, T_WAIT(%ecx)         /* c's call is over */
	movl $0, T_CALLEE(%ecx)
	movl %ebx, T_SRV_ESP(%edx)             /* s parked on top of its pool's idle */
	movl $WAIT_MODE(DWAIT_POOL, MODE_SYSENTER), T_WAIT(%edx) /* stack (the most */
	movl $TS_BLOCKED, T_STATE(%edx)        /* recently used stack is the warmest), */
	movl DOM_POOL_IDLE(%ebp), %esi         /* its caller, shuttle and depth left */
	movl %esi, T_NEXT_IDLE(%edx)           /* for serve_nobody (doorcall.c) */
	movl %edx, DOM_POOL_IDLE(%ebp)
	movl %ecx, current                     /* c runs */
	movl $TS_RUNNING, T_STATE(%ecx)
	movl T_KSTACK_TOP(%ecx), %ebx
	movl %ebx, cpu+CPU_TSS_ESP0
	cmpl T_DOM(%edx), %edi                 /* a call within one domain keeps its */
	je 3f                                  /* address space */
	movl DOM_CR3(%edi), %esi
	movl %esi, %cr3
3:	movw SF_FS-SF_SIZE(%ebx), %fs          /* sysexit to c: its FS, GS, eip and esp */
	movw SF_GS-SF_SIZE(%ebx), %gs          /* from its frame, */
	movl SF_EIP-SF_SIZE(%ebx), %edx
	movl SF_ESP-SF_SIZE(%ebx), %ecx
	shrl $24, %eax                         /* eax = the size */
	movl SF_EBX(%esp), %ebx                /* the results from s's */
	movl SF_ESI(%esp), %esi
	movl SF_EDI(%esp), %edi
	movl SF_EBP(%esp), %ebp
	sti                                    /* takes effect after sysexit */
	sysexit

/* Neither a call nor a return the asm takes (a size too big, a reserved
 * bit, an id in a return): the C reference reports it. */
door_fast_bad_op:
	testl $FAST_RETURN, SF_EAX(%esp)       /* the word as it came (eax is changed) */
	jnz door_fast_return_c
	jmp door_fast_call_c

/* The C reference, with the sysframe at esp: from a guard, or from
 * sysenter_entry_c. Each leaves by sysexit_ret unless it switched. */
	.globl door_fast_call_c
door_fast_call_c:
	pushl %esp
	call door_fast_call
	addl $4, %esp
	jmp sysexit_ret

	.globl door_fast_return_c
door_fast_return_c:
	pushl %esp
	call door_fast_return
	addl $4, %esp
	jmp sysexit_ret
