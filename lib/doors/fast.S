/* SPDX-License-Identifier: MIT */
/*
 * The register paths of doors (include/sprig/door.h gives the encodings).
 *
 * (The client's fast entry is inline: door_fast_trap in doors.h.)
 *
 * door_server_entry: where every call to a door made by lib/doors arrives.
 * The nucleus starts it with esp = the thread's base E (its struct
 * door_self lies at E), eax = datum, ecx = size|flags, edx = doors received,
 * and the data pointer or the four data words in ebx esi edi ebp. It calls
 * door_dispatch(datum, size_flags, ndesc, words), which runs the procedure
 * and returns the five registers of the return system call (a fast return,
 * or SYS_DOOR_RETURN); these are loaded and sysenter is done with esp back at
 * E, so the next call starts where this one did. A return that fails comes
 * back here; door_return_failed() gives the registers to try next.
 *
 * door_fast_server_entry: the entry of a door made by door_create_fast or
 * door_create_mixed (datum = its struct door_obj: cookie at 0, fast
 * procedure at 4, general procedure, for a mixed door, at 8). A plain
 * fast call (ecx = size | DOOR_ENTRY_REGS and nothing else) runs the
 * procedure here: the words go on the stack, proc(cookie, words, size) in
 * eax edx ecx (regparm), the reply's words come back off the stack into
 * ebx esi edi ebp and the fast return goes with eax = its size. Any other
 * entry (a general call, a depleted pool) goes to door_dispatch for a
 * mixed door, else to door_fast_dispatch.
 */
#define DOOR_FAST_MAX        16         /* sprig/door.h, which is C */
#define DOOR_ENTRY_REGS      0x01000000
#define DOOR_FAST_SIZE_SHIFT 24
#define DOOR_FAST_RETURN_OP  0xc0000000 /* DOOR_FAST | DOOR_FAST_RETURN */

/* The words on the stack at E - 16, then dispatch(datum, size|flags,
 * doors, words); esi = the words. */
	.macro DISPATCH fn
	pushl %ebp
	pushl %edi
	pushl %esi
	pushl %ebx
	movl %esp, %esi
	pushl %esi
	pushl %edx
	pushl %ecx
	pushl %eax
	xorl %ebp, %ebp                /* ends backtraces */
	call \fn
	.endm

	.text
	.globl door_server_entry
door_server_entry:
	DISPATCH door_dispatch
2:	leal 16(%esi), %esp            /* back to E */
	movl 4(%eax), %ebx             /* struct door_out: eax ebx esi edi ebp */
	movl 8(%eax), %esi
	movl 12(%eax), %edi
	movl 16(%eax), %ebp
	movl (%eax), %eax
	cmpl $0, sprig_has_sysenter
	je 4f
	movl %esp, %ecx
	movl $3f, %edx
	sysenter
4:	int $0x80                      /* no sysenter: door_dispatch chose the general return */
3:	movl %esp, %esi                /* only errors come back: esp is E */
	pushl %esi
	pushl %eax
	subl $16, %esi
	call door_return_failed        /* (err, E) */
	jmp 2b

	.globl door_fast_server_entry
door_fast_server_entry:
	xorl $DOOR_ENTRY_REGS, %ecx    /* ecx = the size, if nothing else is set */
	cmpl $DOOR_FAST_MAX, %ecx
	ja 5f
	pushl %ebp                     /* the words, at E - 16 */
	pushl %edi
	pushl %esi
	pushl %ebx
	movl %esp, %edx                /* proc(cookie, words, size) */
	movl 4(%eax), %ebx
	movl (%eax), %eax
	call *%ebx
	popl %ebx                      /* the reply, back at E */
	popl %esi
	popl %edi
	popl %ebp
	shll $DOOR_FAST_SIZE_SHIFT, %eax
	orl $DOOR_FAST_RETURN_OP, %eax
	movl %esp, %ecx
	movl $3b, %edx                 /* only errors come back, as above */
	sysenter
5:	xorl $DOOR_ENTRY_REGS, %ecx    /* as it came */
	cmpl $0, 8(%eax)               /* door_create_mixed: its general procedure */
	jne 6f
	DISPATCH door_fast_dispatch
	jmp 2b
6:	DISPATCH door_dispatch
	jmp 2b
