/* SPDX-License-Identifier: MIT */
/*
 * Trap dispatch: CPU exceptions, PIC interrupts and the int $0x80 system
 * call. A user-mode exception that the VMM cannot resolve kills only the
 * faulting domain, with one log line; a nucleus-mode exception is a bug and
 * panics with the registers and a backtrace.
 *
 * Entry points: trap (from trapasm.S), irq_register.
 */
#include "nucleus/nucleus.h"
#include "nucleus/x86.h"
#include <sprig/errno.h>
#include <sprig/kobj.h>
#include <sprig/syscall.h>

#define T_DEBUG      1
#define T_PAGE_FAULT 14
#define IRQ_BASE     32
#define PF_WRITE     0x2

static const char *const exception_names[20] = {
        "divide error",
        "debug",
        "non-maskable interrupt",
        "breakpoint",
        "overflow",
        "bound range exceeded",
        "invalid opcode",
        "floating point unavailable",
        "double fault",
        "coprocessor segment overrun",
        "invalid TSS",
        "segment not present",
        "stack fault",
        "general protection fault",
        "page fault",
        "reserved",
        "x87 floating point error",
        "alignment check",
        "machine check",
        "SIMD floating point error",
};

static irq_handler irq_handlers[16];

extern const char sysenter_flags_clean[];

/* A user that sets TF and enters by sysenter gets a debug trap in the
 * nucleus before the entry code clears TF (QEMU and Bochs raise it too):
 * the first on cpu.c's entry stack, any later one on the thread's stack.
 * Drop the flag and go on. */
static int sysenter_single_step(struct trapframe *tf)
{
	if (tf->trapno != T_DEBUG || tf->eip < (uint32_t)sysenter_entry_c ||
	    tf->eip > (uint32_t)sysenter_flags_clean)
		return 0;
	tf->eflags &= ~EFLAGS_TF;
	return 1;
}

void irq_register(int irq, irq_handler fn)
{
	irq_handlers[irq] = fn;
	pic_unmask(irq);
}

/* A PIC interrupt: the nucleus's own handler (the timer), or else a user
 * driver's line (irqline.c masks it, sends EOI and notifies the driver). */
static void irq(int line)
{
	if (pic_spurious(line))
		return;
	if (!irq_handlers[line]) {
		irqline_interrupt(line);
		return;
	}
	pic_eoi(line);
	irq_handlers[line]();
}

static const char *exception_name(uint32_t trapno)
{
	return trapno < 20 ? exception_names[trapno] : "reserved exception";
}

static void dump_frame(const struct trapframe *tf)
{
	kprintf("  eax %08x ebx %08x ecx %08x edx %08x\n", tf->eax, tf->ebx, tf->ecx, tf->edx);
	kprintf("  esi %08x edi %08x ebp %08x eip %08x\n", tf->esi, tf->edi, tf->ebp, tf->eip);
	kprintf("  cs %04x eflags %08x err %08x cr2 %08x\n", tf->cs, tf->eflags, tf->err,
	        read_cr2());
}

__attribute__((noreturn)) static void nucleus_exception(struct trapframe *tf)
{
	kprintf("\nnucleus: %s (vector %u) in the nucleus at eip %#x\n", exception_name(tf->trapno),
	        tf->trapno, tf->eip);
	dump_frame(tf);
	kprintf("backtrace:\n");
	uint32_t off;
	const char *fn = ksym_lookup(tf->eip, &off);
	kprintf("  %08x %s+%#x\n", tf->eip, fn ? fn : "?", off);
	backtrace(tf->ebp);
	panic("unexpected %s in the nucleus", exception_name(tf->trapno));
}

/* A user-mode exception: page faults inside a region are served; anything
 * else kills the domain. */
static void user_exception(struct trapframe *tf)
{
	struct domain *d = current->dom;
	if (tf->trapno == T_PAGE_FAULT) {
		uint32_t va = read_cr2();
		int err = vmm_fault(&d->as, va, tf->err & PF_WRITE);
		if (err == 0)
			return;
		domain_set_end(d, err == -ENOMEM ? KOBJ_END_NUCLEUS : KOBJ_END_FAULT, T_PAGE_FAULT,
		               va);
		domain_kill(d, "%s at %#x (%s%s) eip %#x",
		            err == -ENOMEM ? "out of memory" : "page fault", va,
		            tf->err & PF_WRITE ? "write" : "read",
		            tf->err & 1 ? ", protection" : ", not mapped", tf->eip);
		return;
	}
	domain_set_end(d, KOBJ_END_FAULT, (int32_t)tf->trapno, tf->eip);
	domain_kill(d, "%s (vector %u) at eip %#x", exception_name(tf->trapno), tf->trapno,
	            tf->eip);
}

void trap(struct trapframe *tf)
{
	int from_user = (tf->cs & 3) == 3;
	if (tf->trapno == SYSCALL_VECTOR) {
		tf->eflags &= ~EFLAGS_DF; /* the ABI: clear on return, whichever way it returns */
		syscall_dispatch((struct sysregs *)tf);
	} else if (tf->trapno >= IRQ_BASE && tf->trapno < IRQ_BASE + 16) {
		irq((int)tf->trapno - IRQ_BASE);
	} else if (from_user) {
		user_exception(tf);
	} else if (!sysenter_single_step(tf)) {
		nucleus_exception(tf);
	}
	if (from_user) {
		thread_return_to_user();
		if (unlikely(current->work & THREAD_WORK_SIGNAL))
			signal_deliver(tf);
	}
}
