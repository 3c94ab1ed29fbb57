/* SPDX-License-Identifier: MIT */
/*
 * Structure offsets and constants the assembly fast path (fastpath.S)
 * uses. C files that include this check every offset against the real
 * layout at compile time (cpu.c does), so a moved field breaks the build,
 * not the nucleus.
 */
#ifndef SPRIG_OFFSETS_H
#define SPRIG_OFFSETS_H

/* struct thread, and its struct door_thread at T_DT */
#define T_STATE      4
#define T_WORK       12
#define T_DOM        20
#define T_KSTACK_TOP 60
#define T_DT         80
#define T_WAIT       (T_DT + 0)
#define T_MODE       (T_DT + 2)
#define T_LINK       (T_DT + 4)
#define T_NEXT_IDLE  (T_DT + 12)
#define T_CALLING    (T_DT + 16)
#define T_CALLER     (T_DT + 20)
#define T_CALLEE     (T_DT + 24)
#define T_OWN        (T_DT + 104)
#define T_SHUTTLE    (T_DT + 120)
#define T_DEPTH      (T_DT + 124)
#define T_SRV_ESP    (T_DT + 156)

/* struct domain */
#define DOM_CR3         (48 + 4) /* as.cr3 */
#define DOM_DTABLE_DOOR 2132     /* dtable.door[] */
#define DOM_DTABLE_KEY  (2132 + 1024)
#define DOM_POOL_IDLE   4188 /* pool.idle: the idle stack's top */
#define DOM_IO_HI       4320 /* io_hi: non-zero if it has ports */
#define DOM_FAST_OFF    4324 /* fast_off: ports or queued work */

/* cpu.c's processor tables: tss.esp0, which fastpath.S sets directly */
#define CPU_TSS_ESP0 (48 + 2048 + 1024 + 4)

/* struct door */
#define DOOR_SERVER_OFF 8
#define DOOR_ENTRY_OFF  12
#define DOOR_DATUM_OFF  16
#define DOOR_FLAGS_OFF  20
#define DOOR_REFS_OFF   24

/* struct sysframe */
#define SF_EDI  0
#define SF_ESI  4
#define SF_EBP  8
#define SF_EBX  16
#define SF_EIP  20
#define SF_ESP  24
#define SF_EAX  28
#define SF_GS   32
#define SF_FS   36
#define SF_SIZE 40

/* enum thread_state, enum door_wait, DOOR_MODE_*; dt.wait and dt.mode
 * share a word, which WAIT_MODE(w, m) fills in one store */
#define TS_RUNNING      2
#define TS_BLOCKED      3
#define DWAIT_NONE      0
#define DWAIT_POOL      1
#define DWAIT_CALL      3
#define MODE_SYSENTER   1
#define MODE_FAST       2
#define WAIT_MODE(w, m) ((m) << 16 | (w))
#define DTABLE_LIVE_BIT 0x80000000

#ifndef __ASSEMBLER__
#define OFFSET_IS(off, type, field) _Static_assert((off) == offsetof(type, field), #off)
OFFSET_IS(T_STATE, struct thread, state);
OFFSET_IS(T_WORK, struct thread, work);
OFFSET_IS(T_DOM, struct thread, dom);
OFFSET_IS(T_KSTACK_TOP, struct thread, kstack_top);
OFFSET_IS(T_WAIT, struct thread, dt.wait);
OFFSET_IS(T_MODE, struct thread, dt.mode);
OFFSET_IS(T_LINK, struct thread, dt.link);
OFFSET_IS(T_NEXT_IDLE, struct thread, dt.next_idle);
OFFSET_IS(T_CALLING, struct thread, dt.calling);
OFFSET_IS(T_CALLER, struct thread, dt.caller);
OFFSET_IS(T_CALLEE, struct thread, dt.callee);
OFFSET_IS(T_OWN, struct thread, dt.own);
OFFSET_IS(T_SHUTTLE, struct thread, dt.shuttle);
OFFSET_IS(T_DEPTH, struct thread, dt.depth);
OFFSET_IS(T_SRV_ESP, struct thread, dt.srv_esp);
OFFSET_IS(DOM_CR3, struct domain, as.cr3);
OFFSET_IS(DOM_DTABLE_DOOR, struct domain, dtable.door);
OFFSET_IS(DOM_DTABLE_KEY, struct domain, dtable.key);
OFFSET_IS(DOM_POOL_IDLE, struct domain, pool.idle);
OFFSET_IS(DOM_IO_HI, struct domain, io_hi);
OFFSET_IS(DOM_FAST_OFF, struct domain, fast_off);
OFFSET_IS(DOOR_SERVER_OFF, struct door, server);
OFFSET_IS(DOOR_ENTRY_OFF, struct door, entry);
OFFSET_IS(DOOR_DATUM_OFF, struct door, datum);
OFFSET_IS(DOOR_FLAGS_OFF, struct door, flags);
OFFSET_IS(DOOR_REFS_OFF, struct door, refs);
OFFSET_IS(SF_EAX, struct sysframe, eax);
OFFSET_IS(SF_EBX, struct sysframe, ebx);
OFFSET_IS(SF_ESI, struct sysframe, esi);
OFFSET_IS(SF_EDI, struct sysframe, edi);
OFFSET_IS(SF_EBP, struct sysframe, ebp);
OFFSET_IS(SF_EIP, struct sysframe, eip);
OFFSET_IS(SF_ESP, struct sysframe, esp);
OFFSET_IS(SF_GS, struct sysframe, gs);
OFFSET_IS(SF_FS, struct sysframe, fs);
_Static_assert(SF_SIZE == sizeof(struct sysframe), "SF_SIZE");
_Static_assert(offsetof(struct list_node, next) == 0 && offsetof(struct list_node, prev) == 4,
               "list_node layout");
_Static_assert(TS_RUNNING == THREAD_RUNNING && TS_BLOCKED == THREAD_BLOCKED, "thread states");
_Static_assert(DWAIT_NONE == DW_NONE && DWAIT_POOL == DW_POOL && DWAIT_CALL == DW_CALL,
               "door waits");
_Static_assert(MODE_SYSENTER == DOOR_MODE_SYSENTER && MODE_FAST == DOOR_MODE_FAST, "modes");
_Static_assert(T_MODE == T_WAIT + 2 && sizeof(((struct door_thread *)0)->wait) == 2 &&
                       sizeof(((struct door_thread *)0)->mode) == 2,
               "wait and mode: one word, wait low");
_Static_assert(DTABLE_LIVE_BIT == DTABLE_LIVE && DTABLE_LIVE == DOOR_FAST,
               "a fast call's word, id masked, is its slot's live key");
#endif

#endif
