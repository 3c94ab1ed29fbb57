/* SPDX-License-Identifier: MIT */
/*
 * The device manager (sprig/kobj.h, docs/processes.md 3): what a user-mode
 * driver may touch, granted to one domain at a time through a door only
 * the domain manager's holder can get (DM_DEVICES).
 *
 *   DEV_PORTS  I/O ports, as clear bits in the domain's own I/O permission
 *              bitmap (two frames at most, made on the first grant), which
 *              cpu.c puts in the TSS while the domain runs;
 *   DEV_IRQ    an interrupt line bound to a door the driver serves
 *              (irqline.c);
 *   DEV_MAP    physical memory that is not RAM, mapped uncached
 *              (vmm_map_device).
 *
 * Nothing the nucleus drives itself is ever granted: the PICs, the PIT,
 * the keyboard controller (the reset line), the power-off ports, the RAM
 * the memory map lists, the first megabyte but for the VGA window.
 *
 * Entry points: devmgr_door (DM_DEVICES, from domobj.c), devmgr_manager
 * (kobj.c), devmgr_note_ram (main.c), devmgr_domain_gone (domain.c).
 */
#include "nucleus/nucleus.h"
#include "lib/c/libc.h"
#include <sprig/errno.h>
#include <sprig/kobj.h>

#define PORTS_MAX  0x10000u
#define MAX_RAMMAP 32

/* Ports the nucleus drives: pic.c, timer.c (and the PIT gate at 0x61),
 * power.c; and the ports that reset the machine (but for 0xcf9, inside
 * the PCI configuration ports a driver may need). */
static const struct {
	uint16_t first, last;
} nucleus_ports[] = {
        {0x20, 0x21},     /* master PIC */
        {0xa0, 0xa1},     /* slave PIC */
        {0x40, 0x43},     /* PIT */
        {0x60, 0x60},     /* keyboard controller data */
        {0x61, 0x61},     /* PIT channel 2 gate, speaker */
        {0x64, 0x64},     /* keyboard controller command: reset */
        {0x92, 0x92},     /* system control port A: fast reset */
        {0xf4, 0xf4},     /* QEMU isa-debug-exit (power.c) */
        {0x604, 0x605},   /* ACPI PM, QEMU (power.c) */
        {0x8900, 0x8900}, /* Bochs shutdown (power.c) */
        {0xb004, 0xb005}, /* ACPI PM, Bochs (power.c) */
};

/* Physical memory that DEV_MAP never maps: RAM and firmware memory from
 * the boot memory map (devmgr_note_ram); set at boot, then read only. */
static struct {
	uint64_t start[MAX_RAMMAP], end[MAX_RAMMAP];
	int n;
	int overflow; /* more ranges than room: refuse everything */
} rammap;

/* Boot: [start, end) is RAM (or firmware's), never a device. */
void devmgr_note_ram(uint64_t start, uint64_t end)
{
	if (rammap.n == MAX_RAMMAP) {
		rammap.overflow = 1;
		return;
	}
	rammap.start[rammap.n] = start;
	rammap.end[rammap.n] = end;
	rammap.n++;
}

/* A door to the device manager, for DM_DEVICES (the caller holds the
 * domain manager). */
int devmgr_door(const struct kobj_request *rq, struct kobj_reply *rp)
{
	if (rq->in_size != 0 || rq->door_in)
		return -EINVAL;
	struct door *door = kobj_door(KOBJ_DEVICE_MANAGER, 0);
	if (!door)
		return -ENFILE;
	door_get(door); /* the reply's hold */
	rp->door_out = door;
	return 0;
}

/* Copies IN of exactly size bytes from rq. */
static int take_in(const struct kobj_request *rq, void *in, uint32_t size)
{
	if (rq->in_size != size)
		return -EINVAL;
	memcpy(in, rq->in, size);
	return 0;
}

/* The live domain rq's desc[0] names: -EINVAL if there is no door or it is
 * not a domain door, -ESRCH if the domain has ended. */
static int domain_of(const struct kobj_request *rq, struct domain **out)
{
	const struct door *door = rq->door_in;
	if (!door || door->server != &kobj_nucleus || door->entry != KOBJ_DOMAIN)
		return -EINVAL;
	struct domain *d = domain_by_id((int)door->datum);
	if (!d || d->dying)
		return -ESRCH;
	*out = d;
	return 0;
}

/* ---------------------------------------------------------------- ports */

static int ports_refused(uint32_t first, uint32_t last)
{
	for (size_t i = 0; i < sizeof nucleus_ports / sizeof nucleus_ports[0]; i++)
		if (first <= nucleus_ports[i].last && nucleus_ports[i].first <= last)
			return 1;
	return 0;
}

/* Gives d the bitmap halves that [first, last] needs, all ones. */
static int io_bits_ensure(struct domain *d, uint32_t first, uint32_t last)
{
	for (uint32_t h = first / (PAGE_SIZE * 8); h <= last / (PAGE_SIZE * 8); h++) {
		if (d->io_bits[h])
			continue;
		paddr_t pa = frame_alloc();
		if (!pa)
			return -ENOMEM;
		d->io_bits[h] = PHYS_TO_VIRT(pa);
		memset(d->io_bits[h], 0xff, PAGE_SIZE);
	}
	return 0;
}

/* DEV_PORTS: ports [first, first + count) become d's. */
static int dev_ports(const struct kobj_request *rq)
{
	struct kobj_ports_in in;
	struct domain *d;
	int err = take_in(rq, &in, sizeof in);
	if (err < 0 || (err = domain_of(rq, &d)) < 0)
		return err;
	if (in.count == 0 || in.first >= PORTS_MAX || in.count > PORTS_MAX - in.first)
		return -EINVAL;
	uint32_t last = in.first + in.count - 1;
	if (ports_refused(in.first, last))
		return -EACCES;
	if ((err = io_bits_ensure(d, in.first, last)) < 0)
		return err;
	for (uint32_t p = in.first; p <= last; p++)
		d->io_bits[p / (PAGE_SIZE * 8)][p / 8 % PAGE_SIZE] &= (uint8_t) ~(1u << (p % 8));
	uint32_t lo = in.first / 8, hi = last / 8 + 1;
	if (!d->io_hi || lo < d->io_lo)
		d->io_lo = lo;
	if (hi > d->io_hi)
		d->io_hi = hi;
	d->fast_off |= DOMAIN_FAST_OFF_PORTS; /* its returns leave the fast path */
	/* The TSS holds d's old bits, or d runs now: load the new ones. */
	if (cpu_io_owner == d || current->dom == d) {
		cpu_io_load(d);
		cpu_io_switch(current->dom);
	}
	klog(LOG_INFO, "nucleus: ports %#x-%#x granted to %s#%d", in.first, last, d->name, d->id);
	return 0;
}

/* ------------------------------------------------------- physical memory */

/* The local APIC and I/O APIC: whoever programs them decides whether the
 * PIC's interrupts (the nucleus's timer) reach the CPU at all. */
#define APIC_START 0xfec00000ull
#define APIC_END   0xfef00000ull

/* True when [start, end) is memory a driver may map: no RAM the memory map
 * or the frame allocator knows, no APIC, nothing below 1 MiB but the VGA
 * graphics window (the nucleus writes the text screen at 0xb8000). */
static int is_device_memory(uint64_t start, uint64_t end)
{
	if (rammap.overflow || start < 0xa0000 || (start < 0x100000 && end > 0xb8000) ||
	    (start < APIC_END && APIC_START < end))
		return 0;
	for (int i = 0; i < rammap.n; i++)
		if (start < rammap.end[i] && rammap.start[i] < end)
			return 0;
	for (uint64_t pa = start; pa < end; pa += PAGE_SIZE)
		if (frame_is_ram((paddr_t)pa))
			return 0;
	return 1;
}

/* DEV_MAP: [phys, phys + size), page-rounded, into d, uncached; answers
 * the address of phys there. */
static int dev_map(const struct kobj_request *rq, struct kobj_reply *rp)
{
	struct kobj_map_in in;
	struct domain *d;
	int err = take_in(rq, &in, sizeof in);
	if (err < 0 || (err = domain_of(rq, &d)) < 0)
		return err;
	uint64_t start = PAGE_DOWN(in.phys),
	         end = ((uint64_t)in.phys + in.size + PAGE_MASK) & ~0xfffull;
	if (in.size == 0 || end > 0x100000000ull)
		return -EINVAL;
	if (!is_device_memory(start, end))
		return -EACCES;
	uint32_t va = vmm_map_device(&d->as, (paddr_t)start, (uint32_t)(end - start));
	if (!va)
		return -ENOMEM;
	struct kobj_map_out out = {va + (in.phys & PAGE_MASK)};
	memcpy(rp->out, &out, sizeof out);
	rp->out_size = sizeof out;
	klog(LOG_INFO, "nucleus: physical %#x-%#x mapped into %s#%d at %#x", (uint32_t)start,
	     (uint32_t)(end - 1), d->name, d->id, va);
	return 0;
}

void devmgr_manager(const struct kobj_request *rq, struct kobj_reply *rp)
{
	switch (rq->op) {
	case DEV_PORTS: rp->status = dev_ports(rq); break;
	case DEV_IRQ: rp->status = irqline_bind(rq, rp); break;
	case DEV_MAP: rp->status = dev_map(rq, rp); break;
	default: rp->status = -ENOSYS; break;
	}
}

/* d is gone: its I/O bitmap goes (its device pages went with its space,
 * uncounted; its interrupt lines went with its doors). */
void devmgr_domain_gone(struct domain *d)
{
	cpu_io_forget(d);
	for (int h = 0; h < 2; h++)
		if (d->io_bits[h]) {
			frame_free(V2P(d->io_bits[h]));
			d->io_bits[h] = NULL;
		}
	d->io_lo = d->io_hi = 0;
	d->fast_off &= ~DOMAIN_FAST_OFF_PORTS;
}
