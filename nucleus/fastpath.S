/* SPDX-License-Identifier: MIT */
/*
 * The door fast path in assembly: the call and the return of a fast door
 * call (at most 16 bytes each way, in ebx esi edi ebp), entered from
 * sysenter_entry with the caller's struct sysframe complete at esp, DS and
 * ES loaded, interrupts off.
 *
 * Each is the C reference in doorcall.c (door_fast_call, door_fast_return)
 * step for step: a checklist of guards, each jumping to the C function,
 * which checks again and takes the general path for anything unusual; then
 * the POINT OF NO RETURN, after which nothing can fail; then the switch,
 * with no scheduler, no copy and no C call. Both sides are domains without
 * ports (a guard sends the others to C), so the TSS's I/O bitmap is off
 * and stays off (cpu.c): the switch has nothing to do for it. Booting with
 * "fastpath=c" runs the C reference instead (door_fast_use_c), so tests
 * can compare the two.
 *
 * Register use: on entry eax = the operation word, ebx esi edi ebp = the
 * four data words (also in the frame), ecx and edx are free (the user's
 * esp and eip are in the frame). Offsets come from offsets.h, which the C
 * side checks against the real structures.
 *
 * Entry points: door_fast_call_asm, door_fast_return_asm and their C
 * wrappers door_fast_call_c, door_fast_return_c (jumped to from trapasm.S
 * through door_fast_vectors, never called); door_fast_use_c (C callable).
 */
#include "nucleus/offsets.h"

#define USER_BASE  0x00001000
#define USER_TOP   0xC0000000
#define DEPTH_MAX  16
#define REVOKED    0x100
#define ENTRY_REGS 0x01000000
#define DEPLETED   0x04000000
#define UDATA      0x23
#define UCODE      0x1b

	.text
/*
 * The call. eax = DOOR_FAST | size << 24 | id. In the guards: edx = the
 * caller c, ecx = its domain, then ebx = slot, esi = the door d, edi =
 * size, ebp = the server's pool.
 */
	.globl door_fast_call_asm
door_fast_call_asm:
	movl current, %edx
	movl T_DOM(%edx), %ecx
	movzbl %al, %ebx                       /* slot = id & 0xff */
	movl DOM_DTABLE_DOOR(%ecx,%ebx,4), %esi
	testl %esi, %esi                       /* no door in the slot */
	jz call_c
	movl %eax, %edi
	shrl $8, %edi
	movzwl %di, %edi                       /* generation = id >> 8 */
	cmpl DOM_DTABLE_GEN(%ecx,%ebx,4), %edi  /* a stale id */
	jne call_c
	movl %eax, %edi
	shrl $24, %edi
	andl $0x3f, %edi                       /* size, and the reserved bit */
	cmpl $16, %edi
	ja call_c
	testl $REVOKED, DOOR_FLAGS_OFF(%esi)   /* also set once the server is gone */
	jnz call_c
	movl DOOR_SERVER_OFF(%esi), %ebp
	movl DOM_IO_HI(%ecx), %ebx             /* either side has ports: the C */
	orl DOM_IO_HI(%ebp), %ebx              /* path sets the TSS's I/O bitmap */
	jnz call_c
	leal DOM_POOL_IDLE(%ebp), %ebp         /* the pool's idle list */
	movl (%ebp), %ecx                      /* its first thread's link */
	cmpl %ecx, %ebp                        /* no idle server thread */
	je call_c
	cmpl $DEPTH_MAX, T_DEPTH(%edx)
	jge call_c
	cmpl $0, T_WORK(%edx)                  /* killed, or a signal to deliver first */
	jne call_c

	/* POINT OF NO RETURN: ecx = the server thread's link, edx = c,
	 * esi = d, edi = size, ebp = &pool->idle. Take s off the idle list. */
	.globl door_fast_call_switch
door_fast_call_switch:
	movl (%ecx), %ebx
	movl %ebx, (%ebp)
	movl %ebp, 4(%ebx)
	orl $ENTRY_REGS, %edi
	cmpl %ebx, %ebp                        /* s was the last idle thread */
	jne 1f
	orl $DEPLETED, %edi
1:	subl $T_LINK, %ecx                     /* ecx = s */
	movl $TS_BLOCKED, T_STATE(%edx)        /* c waits for the reply */
	movl $MODE_FAST, T_MODE(%edx)
	movl $DWAIT_CALL, T_WAIT(%edx)
	movl %esi, T_CALLING(%edx)
	movl %ecx, T_CALLEE(%edx)
	incl DOOR_REFS_OFF(%esi)               /* the call's hold on d */
	movl $DWAIT_NONE, T_WAIT(%ecx)         /* s serves c, on c's shuttle */
	movl %edx, T_CALLER(%ecx)
	movl T_SHUTTLE(%edx), %ebx
	movl %ebx, T_SHUTTLE(%ecx)
	movl T_DEPTH(%edx), %ebx
	incl %ebx
	movl %ebx, T_DEPTH(%ecx)
	movl T_QUANTUM(%edx), %ebx             /* s runs out c's time slice */
	movl %ebx, T_QUANTUM(%ecx)
	movl %ecx, current
	movl $TS_RUNNING, T_STATE(%ecx)
	movl T_KSTACK_TOP(%ecx), %ebx
	movl cpu_esp0, %ebp
	movl %ebx, (%ebp)
	movl T_DOM(%ecx), %ebx
	movl DOM_CR3(%ebx), %ebx
	movl %cr3, %ebp
	cmpl %ebx, %ebp                        /* a call within one domain keeps it */
	je 2f
	movl %ebx, %cr3
2:	movl $UDATA, %ebx                      /* the server's FS and GS, as on */
	movl %ebx, %fs                         /* the general path */
	movl %ebx, %gs
	pushl $UDATA                           /* iret to the door's entry: */
	pushl T_SRV_ESP(%ecx)                  /* ss esp eflags cs eip */
	pushl $0x202
	pushl $UCODE
	pushl DOOR_ENTRY_OFF(%esi)
	movl DOOR_DATUM_OFF(%esi), %eax        /* eax = datum, ecx = size | flags */
	movl %edi, %ecx
	movl 20+SF_EBX(%esp), %ebx             /* the words, from c's frame */
	movl 20+SF_ESI(%esp), %esi
	movl 20+SF_EDI(%esp), %edi
	movl 20+SF_EBP(%esp), %ebp
	xorl %edx, %edx                        /* no doors */
	iret

	.globl door_fast_call_c
door_fast_call_c:
call_c:
	pushl %esp
	call door_fast_call
	addl $4, %esp
	jmp sysexit_ret

/*
 * The return. eax = DOOR_FAST | DOOR_FAST_RETURN | size << 24, the results
 * in ebx esi edi ebp (also in the frame), the frame's esp = the server's
 * esp for its next call. In the guards: eax = size, edx = the server
 * thread s, ecx = its caller c, ebx = s's domain, esi = c's door.
 */
	.globl door_fast_return_asm
door_fast_return_asm:
	andl $0x3fffffff, %eax                 /* the size field, reserved bits, id */
	cmpl $(16 << 24), %eax                 /* an id given, a reserved bit, or */
	ja return_c                            /* over 16 bytes */
	shrl $24, %eax                         /* eax = size */
	movl current, %edx
	movl T_CALLER(%edx), %ecx
	testl %ecx, %ecx                       /* no caller (gone, or not a call) */
	jz return_c
	cmpl $MODE_FAST, T_MODE(%ecx)          /* a general-path caller */
	jne return_c
	cmpl $0, T_WORK(%edx)                  /* s killed or signalled, or c has */
	jne return_c                           /* work (THREAD_WORK_CALLER) */
	movl SF_ESP(%esp), %ebx                /* the next call's esp is a user one */
	cmpl $USER_TOP, %ebx
	ja return_c
	cmpl $USER_BASE, %ebx
	jb return_c
	movl T_DOM(%edx), %ebx
	leal DOM_POOL_CALLS(%ebx), %esi        /* queued callers or notifications: */
	cmpl %esi, (%esi)                      /* the general return takes them */
	jne return_c
	leal DOM_POOL_UPCALLS(%ebx), %esi
	cmpl %esi, (%esi)
	jne return_c
	movl T_CALLING(%ecx), %esi
	cmpl $1, DOOR_REFS_OFF(%esi)           /* the last hold: the C path frees it */
	je return_c
	movl T_DOM(%ecx), %edi                 /* either side has ports: the C */
	movl DOM_IO_HI(%edi), %edi             /* path sets the TSS's I/O bitmap */
	orl DOM_IO_HI(%ebx), %edi
	jnz return_c

	/* POINT OF NO RETURN: eax = size, edx = s, ecx = c, ebx = s's domain,
	 * esi = the door called. */
	.globl door_fast_return_switch
door_fast_return_switch:
	decl DOOR_REFS_OFF(%esi)
	movl $DWAIT_NONE, T_WAIT(%ecx)
	movl $0, T_CALLEE(%ecx)
	movl $0, T_CALLER(%edx)                /* s back on its own shuttle */
	leal T_OWN(%edx), %esi
	movl %esi, T_SHUTTLE(%edx)
	movl $0, T_DEPTH(%edx)
	movl SF_ESP(%esp), %esi
	movl %esi, T_SRV_ESP(%edx)
	movl $MODE_SYSENTER, T_MODE(%edx)
	movl $DWAIT_POOL, T_WAIT(%edx)
	movl $TS_BLOCKED, T_STATE(%edx)
	leal DOM_POOL_IDLE(%ebx), %esi         /* s first in its pool's idle list */
	movl (%esi), %edi
	leal T_LINK(%edx), %ebp
	movl %edi, (%ebp)
	movl %esi, 4(%ebp)
	movl %ebp, 4(%edi)
	movl %ebp, (%esi)
	movl T_QUANTUM(%edx), %ebx             /* c runs out s's time slice */
	movl %ebx, T_QUANTUM(%ecx)
	movl %ecx, current
	movl $TS_RUNNING, T_STATE(%ecx)
	movl T_KSTACK_TOP(%ecx), %ebx
	movl cpu_esp0, %ebp
	movl %ebx, (%ebp)
	movl T_DOM(%ecx), %ebp
	movl DOM_CR3(%ebp), %ebp
	movl %cr3, %esi
	cmpl %ebp, %esi
	je 3f
	movl %ebp, %cr3
3:	subl $SF_SIZE, %ebx                    /* c's frame: its eip, esp, FS, GS */
	movl SF_FS(%ebx), %edx
	movl %edx, %fs
	movl SF_GS(%ebx), %edx
	movl %edx, %gs
	movl SF_EIP(%ebx), %edx
	movl SF_ESP(%ebx), %ecx
	movl SF_EBX(%esp), %ebx                /* the results, from s's frame */
	movl SF_ESI(%esp), %esi
	movl SF_EDI(%esp), %edi
	movl SF_EBP(%esp), %ebp
	sti                                    /* takes effect after sysexit */
	sysexit

	.globl door_fast_return_c
door_fast_return_c:
return_c:
	pushl %esp
	call door_fast_return
	addl $4, %esp
	jmp sysexit_ret

/* door_fast_use_c(): from now on the fast entry runs the C reference. */
	.globl door_fast_use_c
door_fast_use_c:
	movl $door_fast_call_c, door_fast_vectors
	movl $door_fast_return_c, door_fast_vectors+4
	ret

	.data
	.globl door_fast_vectors
door_fast_vectors:                     /* where trapasm.S's door_fast goes */
	.long door_fast_call_asm, door_fast_return_asm
