/* SPDX-License-Identifier: MIT */
/*
 * The nucleus's interface: console and log, CPU tables and traps, the timer,
 * threads and the scheduler, domains, ELF loading, system calls and power.
 * Other components include this (and vmm/vmm.h) and nothing else of ours.
 *
 * Concurrency: one CPU, and the nucleus is not preemptible. It runs with
 * interrupts disabled from every entry until it returns to user mode; only
 * the idle loop enables them (sti; hlt). So nucleus data needs no locks, and
 * a thread leaves the CPU only by blocking, yielding or exiting. See
 * docs/nucleus.md.
 */
#ifndef SPRIG_NUCLEUS_H
#define SPRIG_NUCLEUS_H

#include <stddef.h>
#include <stdint.h>

#include "nucleus/door.h"
#include "nucleus/x86.h"
#include "nucleus/list.h"
#include "nucleus/panic.h"
#include "vmm/vmm.h"
#include <sprig/kobj.h>

/* console.c */
enum log_level { LOG_ERR, LOG_WARN, LOG_INFO, LOG_DEBUG };
void console_init(void);
void console_write(const char *s, size_t n);
void kprintf(const char *fmt, ...) __attribute__((__format__(__printf__, 1, 2)));
void klog(enum log_level level, const char *fmt, ...) __attribute__((__format__(__printf__, 2, 3)));
void log_set_level(enum log_level level);

/* power.c */
#define POWEROFF_OK   0
#define POWEROFF_FAIL 1
__attribute__((noreturn)) void poweroff(int status);

/* panic.c */
void backtrace(uint32_t ebp);
const char *ksym_lookup(uint32_t addr, uint32_t *offset);

/* cpu.c: segments, TSS, IDT and the sysenter MSRs. */
#define SEG_KCODE   0x08
#define SEG_KDATA   0x10
#define SEG_UCODE   0x1b
#define SEG_UDATA   0x23
#define SEG_TSS     0x28
#define EFLAGS_USER 0x202 /* IF, and the reserved bit 1 */
void cpu_init(void);
extern uint32_t *cpu_esp0; /* tss.esp0: the stack entered from user mode */
/* The I/O permission bitmap: tss.iomap is IOMAP_ON while a domain with
 * ports runs and the TSS holds its bits, IOMAP_OFF (past the TSS limit:
 * every port faults) otherwise. */
#define IOMAP_BYTES 8192 /* a bit per port, 0..0xffff */
#define IOMAP_ON    104  /* right after the TSS */
#define IOMAP_OFF   (IOMAP_ON + IOMAP_BYTES + 1)
extern uint16_t *cpu_iomap;         /* &tss.iomap */
extern struct domain *cpu_io_owner; /* whose bits the TSS holds, or NULL */
void cpu_io_load(struct domain *d);
void cpu_io_forget(struct domain *d);

/* Sets the stack the CPU switches to on entry from user mode. */
static inline void cpu_set_kstack(uint32_t top)
{
	*cpu_esp0 = top;
}
int cpu_has_sysenter(void);

/* trap.c. The general registers as pushal leaves them, lowest address
 * first: the first eight words of both entry frames (trapasm.S), so one
 * system-call dispatcher reads either. kesp is the nucleus's esp at the
 * pushal; popal skips it. */
struct sysregs {
	uint32_t edi, esi, ebp, kesp, ebx, edx, ecx, eax;
};

/* The frame pushed by the trap stubs. */
struct trapframe {
	uint32_t edi, esi, ebp, kesp, ebx, edx, ecx, eax;
	uint32_t gs, fs, es, ds;
	uint32_t trapno, err;
	uint32_t eip, cs, eflags;
	uint32_t esp, ss; /* only when coming from user mode */
};

/* The frame pushed by the sysenter entry: sysenter brings the user's eip
 * in edx and esp in ecx, and sysexit takes them back from there. */
struct sysframe {
	uint32_t edi, esi, ebp, kesp, ebx;
	uint32_t eip, esp; /* the user's edx and ecx */
	uint32_t eax;
	uint32_t gs, fs; /* restored by sysexit_ret: another thread may have changed them */
};

void trap(struct trapframe *tf);
void trapret(void);
void sysexit_ret(void);
void sysenter_entry(void);
void sysenter_entry_c(void); /* the same with fastpath=c: door_fast_use_c */
__attribute__((noreturn)) void exit_via_trapframe(struct trapframe *tf);
__attribute__((noreturn)) void exit_via_sysframe(struct sysframe *f);
__attribute__((noreturn)) void exit_to_door_entry(uint32_t datum, uint32_t flags,
                                                  const struct sysframe *words, uint32_t eip,
                                                  uint32_t esp);
typedef void (*irq_handler)(void);
void irq_register(int irq, irq_handler fn);

/* pic.c and timer.c */
void pic_init(void);
void pic_unmask(int irq);
void pic_mask(int irq);
void pic_eoi(int irq);
int pic_spurious(int irq);
#define TIMER_HZ 100
void timer_init(void);
uint64_t timer_ticks(void);

/* thread.c and sched.c */
#define NPRIO         32
#define PRIO_USER     16
#define PRIO_IDLE     0
#define QUANTUM_TICKS 2
#define MAX_THREADS   256
#define KSTACK_SIZE   8192

struct context; /* swtch.S: callee-saved registers and the return address */

enum thread_state { THREAD_FREE, THREAD_RUNNABLE, THREAD_RUNNING, THREAD_BLOCKED, THREAD_DEAD };

struct waitq {
	struct list_node threads;
};

struct domain;

struct thread {
	struct context *ctx; /* saved stack pointer while switched out */
	enum thread_state state;
	int id;
	uint32_t work;            /* THREAD_WORK_*: to do before returning to user mode */
	int wake_result;          /* what the blocking call returns */
	struct domain *dom;       /* NULL for nucleus threads */
	struct list_node link;    /* run queue or wait queue */
	struct waitq *waiting_on; /* the wait queue, while blocked on one */
	struct list_node sleep_link;
	uint64_t wake_tick;
	struct list_node dom_link; /* the domain's threads */
	uint32_t kstack_top;
	char name[16];
	struct door_thread dt; /* door calls: door.h */
	/* futex.c: while blocked in SYS_FUTEX_WAIT, the key it waits on. */
	const struct aspace *futex_as;
	uint32_t futex_va;
};

/* thread.work: one word, so the way out (and the door fast path) tests
 * everything with one compare. */
#define THREAD_WORK_KILLED 0x1 /* exit at the next return to user mode */
#define THREAD_WORK_SIGNAL 0x2 /* its domain has signals queued for it */
#define THREAD_WORK_CALLER 0x4 /* the caller it serves has work: return by the general path */

extern struct thread *current;
extern int need_resched;

/* A thread runs at its shuttle's priority: its own, or while it serves a
 * call, that of the chain it serves. */
static inline int thread_prio(const struct thread *t)
{
	return t->dt.shuttle->prio;
}

/* The entry frames at the top of t's stack: one or the other is there. */
static inline struct sysframe *thread_sysframe(struct thread *t)
{
	return (struct sysframe *)(t->kstack_top - sizeof(struct sysframe));
}

static inline struct trapframe *thread_trapframe(struct thread *t)
{
	return (struct trapframe *)(t->kstack_top - sizeof(struct trapframe));
}

void thread_init(void);
struct thread *thread_create_kernel(const char *name, void (*fn)(void *), void *arg, int prio);
struct thread *thread_create_user(struct domain *d, uint32_t eip, uint32_t esp, uint32_t eax);
__attribute__((noreturn)) void thread_exit(void);
void thread_kill(struct thread *t);
void thread_return_to_user(void);
void thread_resume_parked(struct thread *t);
struct thread *thread_main(const struct domain *d);

void sched_init(void);
void sched_make_runnable(struct thread *t);
void sched_yield(void);
void sched_tick(void);
__attribute__((noreturn)) void sched_start(void);
void sched_finish_switch(void);
int waitq_sleep(struct waitq *q);
int waitq_sleep_until(struct waitq *q, uint64_t tick);
void waitq_wake_all(struct waitq *q);
int sched_sleep_until(uint64_t tick);
void sched_wake(struct thread *t, int result);
__attribute__((noreturn)) void sched_leave_parked(void);
__attribute__((noreturn)) void sched_run_direct(struct thread *next);

/* domain.c */
#define MAX_DOMAINS 64

struct domain {
	int id;
	int live;  /* slot in use */
	int dying; /* being torn down: no new threads */
	int exit_status;
	char name[32];
	struct aspace as; /* its memory, and its frame limit (domain_set_frame_limit) */
	struct list_node threads;
	int nthreads;
	struct dtable dtable;  /* its door ids */
	struct door_pool pool; /* its server threads */
	/* As a nucleus object (domobj.c, sprig/kobj.h): */
	int loaded;         /* has memory from an image (DOM_LOAD) */
	int started;        /* has had a thread */
	uint32_t end_cause; /* KOBJ_END_*, once it is ending; 0 before */
	int32_t end_status; /* the notice's status (exit status, or vector) */
	uint32_t end_addr;  /* the notice's address (faults) */
	struct door *watch; /* notified when it ends (held), or NULL */
	/* signal.c: DOM_SIGNAL upcalls waiting for delivery, oldest at sig_head */
	struct {
		uint32_t eip, arg;
	} sig[KOBJ_SIGNAL_QUEUE];
	uint32_t sig_head, sig_count;
	/* Device access (devmgr.c); fastpath.S reads io_hi (offsets.h): */
	uint8_t *io_bits[2];   /* its I/O bitmap, ports 0-0x7fff and 0x8000-0xffff: a
	                        * frame each (a set bit refuses the port), or NULL */
	uint32_t io_lo, io_hi; /* bytes [io_lo, io_hi) of it hold every clear bit;
	                        * io_hi == 0: no ports, in and out fault */
	/* The pieces of work queued on its pool (callers, upcalls: doorcall.c
	 * counts them), plus DOMAIN_FAST_OFF_PORTS while it has ports: the fast
	 * return tests this one word for the server's side (fastpath.S). */
	uint32_t fast_off;
};
#define DOMAIN_FAST_OFF_PORTS 0x80000000u

/* A piece of work queued on dom's pool has been taken off its queue
 * (doorcall.c counts them in fast_off). */
static inline void door_pool_taken(struct domain *dom)
{
	assert((dom->fast_off & ~DOMAIN_FAST_OFF_PORTS) != 0);
	dom->fast_off--;
}

/* Sets the TSS for d's port I/O; d is about to run. A switch between two
 * domains without ports writes one word. */
static inline void cpu_io_switch(struct domain *d)
{
	if (!d->io_hi) {
		*cpu_iomap = IOMAP_OFF;
		return;
	}
	if (d != cpu_io_owner)
		cpu_io_load(d);
	*cpu_iomap = IOMAP_ON;
}

extern struct waitq domains_ended; /* woken when the last domain ends */
/* The frames a domain may hold unless its creator says otherwise: 32 MiB
 * (the kernel command line's frames=N changes it). */
#define DOMAIN_FRAMES_DEFAULT 8192
struct domain *domain_create(const char *name);
void domain_set_frame_limit(struct domain *d, uint32_t frames);
void domain_set_default_frame_limit(uint32_t frames);
struct domain *domain_by_id(int id);
void domain_discard(struct domain *d);
void domain_set_end(struct domain *d, uint32_t cause, int32_t status, uint32_t addr);
void domain_kill(struct domain *d, const char *fmt, ...)
        __attribute__((__format__(__printf__, 2, 3)));
void domain_kill_info(struct domain *d, const char *fmt, ...)
        __attribute__((__format__(__printf__, 2, 3)));
void domain_exit(struct domain *d, int status);
void domain_thread_gone(struct domain *d);
int domain_count(void);

/* devmgr.c and irqline.c: the device manager (the rest is in door.h). */
void devmgr_note_ram(uint64_t start, uint64_t end);
void devmgr_domain_gone(struct domain *d);
void irqline_interrupt(int line);

/* Makes next the running thread: its nucleus stack, address space and I/O
 * bitmap (a nucleus thread keeps whichever are loaded). No context switch; next
 * runs out the current time slice (the CPU's, sched.c), as the same shuttle
 * would. */
static inline void sched_become(struct thread *next)
{
	current = next;
	next->state = THREAD_RUNNING;
	cpu_set_kstack(next->kstack_top);
	if (!next->dom)
		return;
	if (read_cr3() != next->dom->as.cr3)
		write_cr3(next->dom->as.cr3);
	cpu_io_switch(next->dom);
}

/* elf.c: validates an ELF32 executable image; on success fills info. The
 * file format's layouts (the unit tests build images with them): */
struct elf32_ehdr {
	uint8_t ident[16];
	uint16_t type, machine;
	uint32_t version, entry, phoff, shoff, flags;
	uint16_t ehsize, phentsize, phnum, shentsize, shnum, shstrndx;
};

struct elf32_phdr {
	uint32_t type, offset, vaddr, paddr, filesz, memsz, flags, align;
};

_Static_assert(sizeof(struct elf32_ehdr) == 52, "ELF32 header size");
_Static_assert(sizeof(struct elf32_phdr) == 32, "ELF32 program header size");

#define ET_EXEC 2
#define EM_386  3
#define PT_LOAD 1
#define PF_X    1
#define PF_W    2
#define PF_R    4

#define ELF_MAX_SEGMENTS 8
struct elf_segment {
	uint32_t vaddr, memsz, offset, filesz, prot; /* prot: VM_* */
};
struct elf_info {
	uint32_t entry;
	int nsegments;
	struct elf_segment seg[ELF_MAX_SEGMENTS];
};
int elf_parse(const void *image, size_t size, struct elf_info *info, const char **why);
struct domain *elf_load_domain(const char *name, const void *image, size_t size, const char *args,
                               uint32_t frames, const char **why);
struct elf_start {
	uint32_t entry, esp, argp; /* the first thread's eip, esp and eax */
};
int elf_load_user(struct domain *d, struct aspace *src_as, uint32_t image, uint32_t size,
                  const char *args, struct elf_start *start, const char **why);
int elf_parse_user(struct aspace *as, uint32_t image, uint32_t size, struct elf_info *info,
                   const char **why);
int elf_add_stack(struct domain *d, uint32_t entry, const char *args, struct elf_start *start,
                  const char **why);

/* image.c: program images, whose read-only segments domains share. */
int image_make(const struct kobj_request *rq, struct kobj_reply *rp);
int image_load(struct domain *d, uint32_t id, const char *args, struct elf_start *start,
               const char **why);
void image_call(uint32_t id, const struct kobj_request *rq, struct kobj_reply *rp);
void image_released(uint32_t id);

/* syscall.c */
void syscall_dispatch(struct sysregs *r);
void syscall_sysenter(struct sysframe *f);
void sysenter_leave(struct sysframe *f);

/* futex.c */
int futex_wait(uint32_t va, uint32_t val, uint32_t timeout_ms);
int futex_wake(uint32_t va, uint32_t n);
int futex_wake_word(uint32_t va, uint32_t n);
void futex_interrupt(struct thread *t);

/* signal.c */
int signal_post(struct domain *d, uint32_t eip, uint32_t arg);
void signal_thread_gone(struct domain *d);
void signal_deliver(struct trapframe *tf);
__attribute__((noreturn)) void leave_via_trapframe(struct trapframe *tf);
__attribute__((noreturn)) void leave_via_sysframe(struct sysframe *f);
int signal_sigreturn(struct sysregs *r, int via_sysenter);

#endif
