/* SPDX-License-Identifier: MIT */
/*
 * Signal upcalls: the ABI of DOM_SIGNAL (sprig/kobj.h) and SYS_SIGRETURN.
 *
 * DOM_SIGNAL(eip, arg) makes the domain's main thread (its oldest live
 * thread), at its next way out of the nucleus to user mode, push a struct
 * sprig_sigframe holding its interrupted state on its own stack (below its
 * esp, 16-byte aligned) and continue at eip with:
 *
 *   eax  arg
 *   edx  the address of the frame
 *   esp  the address of the frame (the frame lies just above it)
 *   eflags  IF only; the other registers, FS and GS as they were
 *
 * A thread blocked in SYS_SLEEP or SYS_FUTEX_WAIT wakes with -EINTR (the
 * frame's eax holds it); a thread waiting for a door call's reply gets the
 * signal when the reply comes, and meanwhile its shuttle is marked
 * interrupted (shuttle_info_t.interrupted), so the servers' futex waits on
 * it return -EINTR; a server thread waiting for calls leaves door_return
 * with -EINTR. A stack that cannot take the frame kills the domain as a
 * fault (KOBJ_END_FAULT, vector 14, the frame's address).
 *
 * SYS_SIGRETURN(frame) restores the state a frame holds and returns
 * through iret, so every register comes back. It is checked as hostile
 * input: eip must be below USER_TOP; of eflags only the arithmetic flags,
 * TF, DF and AC are taken (IF is set, IOPL 0, NT VM RF cleared); segment
 * registers are never taken from it. -EFAULT for a bad frame or eip.
 */
#ifndef SPRIG_SIGNAL_H
#define SPRIG_SIGNAL_H

#include <stdint.h>

struct sprig_sigframe {
	uint32_t eax, ecx, edx, ebx, esp, ebp, esi, edi; /* pushad's order */
	uint32_t eip, eflags;
	uint32_t arg; /* what DOM_SIGNAL passed */
};

_Static_assert(sizeof(struct sprig_sigframe) == 44, "sigframe ABI size");

/* The flags SYS_SIGRETURN takes from a frame: CF PF AF ZF SF TF DF OF AC. */
#define SIGFRAME_EFLAGS 0x00040dd5u

#endif
