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
 */
	.text
	.globl door_server_entry
door_server_entry:
	pushl %ebp                     /* the words, at E - 16 */
	pushl %edi
	pushl %esi
	pushl %ebx
	movl %esp, %esi
	pushl %esi
	pushl %edx
	pushl %ecx
	pushl %eax
	xorl %ebp, %ebp                /* ends backtraces */
	call door_dispatch
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
