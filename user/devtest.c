/* SPDX-License-Identifier: MIT */
/*
 * devtest ROLE: the device manager (sprig/kobj.h, docs/processes.md 3),
 * end to end and as an attacker (tests/system/t_devices.sh):
 *
 *   manager  the first boot module: gets the device manager from the
 *            domain manager, starts devchild domains with ports, doors or
 *            device memory granted, and checks what each may do by how it
 *            ends (the death notices); then every refusal
 *   plain    any other module: cannot reach the device manager, and its
 *            own inb faults (the last thing it does)
 *
 * Each check prints "devtest: NAME: ok" or "... FAIL: why"; a role ends
 * with "devtest ROLE: N of M checks passed".
 */
#include "lib/doors/kobj.h"
#include "user/check.h"

extern const char _binary_devchild_elf_start[], _binary_devchild_elf_end[];
#define CHILD       _binary_devchild_elf_start
#define CHILD_SIZE  ((uint32_t)(_binary_devchild_elf_end - _binary_devchild_elf_start))
#define GP          13 /* general protection: port I/O refused */
#define PF          14
#define END_WAIT_MS 10000 /* how long to wait for a domain's end */

static int finish(const char *role)
{
	printf("devtest %s: %d of %d checks passed\n", role, checks - failures, checks);
	return failures ? 1 : 0;
}

static int dm, dev, watch;

/* A devchild domain with args, loaded, watched, not started: its door. */
static int child(const char *args, struct kobj_load_out *at)
{
	int dom = dm_create(dm, "devchild", 0);
	int err = dom < 0 ? dom : dom_load(dom, CHILD, CHILD_SIZE, args, at);
	if (err >= 0)
		err = dom_watch(dom, watch);
	if (err < 0)
		printf("devtest: making devchild '%s': error %d\n", args, err);
	return err < 0 ? err : dom;
}

/* Starts it, with start_door (or -1) as its first door; its domain id. */
static uint32_t run(int dom, const struct kobj_load_out *at, int start_door)
{
	int given = start_door >= 0 ? dom_give(dom, start_door) : -1;
	struct kobj_thread_in t = {at->entry, at->esp, at->argp, (uint32_t)given};
	uint32_t id = domain_id(dom);
	return dom_thread(dom, &t) > 0 ? id : 0;
}

/* Starts devchild with args and ports [first, first + count) (none if
 * count is 0) and waits for its end. */
static const struct kobj_notice *run_ports(const char *args, uint32_t first, uint32_t count)
{
	struct kobj_load_out at;
	int dom = child(args, &at);
	if (dom < 0 || (count && kobj_ports(dev, dom, first, count) < 0))
		return NULL;
	const struct kobj_notice *n = notice_for(run(dom, &at, -1), END_WAIT_MS);
	door_close(dom);
	return n;
}

static int exited(const struct kobj_notice *n, int status)
{
	return n && n->cause == KOBJ_END_EXIT && n->status == status;
}

static int faulted(const struct kobj_notice *n, int vector)
{
	return n && n->cause == KOBJ_END_FAULT && n->status == vector;
}

#define WHY_FMT     "notice %s cause %u status %d"
#define WHY_ARGS(n) (n) ? "yes" : "no", (n) ? (n)->cause : 0, (n) ? (n)->status : 0
#define WHY(n)      WHY_FMT, WHY_ARGS(n)

/* --------------------------------------------------------------- ports */

static void check_ports(void)
{
	const struct kobj_notice *n = run_ports("devchild in 0x71", 0, 0);
	check("no ports granted: inb faults (#GP)", faulted(n, GP), WHY(n));
	n = run_ports("devchild in 0x70 0x71", 0x70, 2);
	check("ports 0x70-0x71 granted: inb on both works", exited(n, 0), WHY(n));
	n = run_ports("devchild in 0x72", 0x70, 2);
	check("one port above the grant faults", faulted(n, GP), WHY(n));
	n = run_ports("devchild in 0x6f", 0x70, 2);
	check("one port below the grant faults", faulted(n, GP), WHY(n));
	n = run_ports("devchild inw 0x71", 0x70, 2);
	check("a word access reaching one port past the grant faults", faulted(n, GP), WHY(n));
	n = run_ports("devchild in 0xfff0 0xffff", 0xfff0, 16);
	check("the top ports (the bitmap's second page)", exited(n, 0), WHY(n));
	n = run_ports("devchild com1 written", 0x3f8, 8);
	check("COM1 granted: the driver writes the UART beside the nucleus's log", exited(n, 0),
	      WHY(n));

	/* A driver with ports serves a plain domain by fast calls; the plain
	 * one then faults on the same port: every switch sets the bitmap. */
	struct kobj_load_out at, at2;
	int server = child("devchild serve", &at);
	int ports = kobj_ports(dev, server, 0x70, 2);
	uint32_t sid = run(server, &at, -1);
	int caller = child("devchild call", &at2);
	const struct kobj_notice *nc = notice_for(run(caller, &at2, -1), END_WAIT_MS);
	check("a plain caller of a port driver's door faults on the port itself",
	      ports == 0 && sid && faulted(nc, GP), "ports %d " WHY_FMT, ports, WHY_ARGS(nc));
	dom_kill(server, 0);
	n = notice_for(sid, END_WAIT_MS);
	check("the port driver was still serving (killed, not faulted)",
	      n && n->cause == KOBJ_END_KILLED, WHY(n));
	door_close(server);
	door_close(caller);
}

static void check_port_refusals(void)
{
	struct kobj_load_out at;
	int dom = child("devchild in 0x80", &at);
	static const uint32_t kept[][2] = {{0x20, 1},      {0x21, 1},  {0xa0, 2},   {0x40, 4},
	                                   {0x43, 1},      {0x60, 1},  {0x61, 1},   {0x64, 1},
	                                   {0x92, 1},      {0xf4, 1},  {0x8900, 1}, {0x1e, 4},
	                                   {0x0, 0x10000}, {0x604, 2}, {0xb004, 2}};
	int refused = 0;
	for (unsigned i = 0; i < sizeof kept / sizeof kept[0]; i++) {
		int err = kobj_ports(dev, dom, kept[i][0], kept[i][1]);
		refused += err == -EACCES;
		if (err != -EACCES)
			printf("devtest: ports %#x+%u: got %d\n", kept[i][0], kept[i][1], err);
	}
	check("the nucleus's ports (PIC, PIT, keyboard, power) are refused: -EACCES",
	      refused == (int)(sizeof kept / sizeof kept[0]), "%d refused", refused);
	check_err("an empty range", kobj_ports(dev, dom, 0x300, 0), -EINVAL);
	check_err("a range past 0xffff", kobj_ports(dev, dom, 0xffff, 2), -EINVAL);
	check_err("a first port past 0xffff", kobj_ports(dev, dom, 0x10000, 1), -EINVAL);
	check_err("a count that wraps", kobj_ports(dev, dom, 0x300, 0xffffffff), -EINVAL);
	check_err("no domain door",
	          kobj_invoke(dev, DEV_PORTS, (uint32_t[]){0x300, 1}, 8, NULL, 0, -1, NULL),
	          -EINVAL);
	check_err("a door id we do not hold", kobj_ports(dev, 4000, 0x300, 1), -EBADF);
	check_err("the device manager as the domain", kobj_ports(dev, dev, 0x300, 1), -EINVAL);
	check_err("the domain manager as the domain", kobj_ports(dev, dm, 0x300, 1), -EINVAL);
	check_err("a user door as the domain", kobj_ports(dev, watch, 0x300, 1), -EINVAL);
	check_err("a short message",
	          kobj_invoke(dev, DEV_PORTS, (uint32_t[]){0x300}, 4, NULL, 0, dom, NULL), -EINVAL);
	check_err("an unknown operation", kobj_invoke(dev, 99, NULL, 0, NULL, 0, -1, NULL),
	          -ENOSYS);
	dom_kill(dom, 0);
	check_err("a domain that has ended", kobj_ports(dev, dom, 0x300, 1), -ESRCH);
	door_close(dom);
}

/* ---------------------------------------------------------- interrupts */

static volatile int irq_notices;

static void irq_proc(void *cookie, const struct door_request *req, struct door_reply *rep)
{
	(void)cookie, (void)req;
	rep->size = 0;
	irq_notices++;
}

/* Runs the RTC driver (devchild rtc) with ports 0x70-0x71 and the device
 * manager as its start door; true if it passed its checks and exited. */
static int run_rtc(const char *what)
{
	struct kobj_load_out at;
	int dom = child("devchild rtc", &at);
	int ports = dom < 0 ? dom : kobj_ports(dev, dom, 0x70, 2);
	const struct kobj_notice *n =
	        ports < 0 ? NULL : notice_for(run(dom, &at, dev), END_WAIT_MS);
	check(what, exited(n, 0), "ports %d " WHY_FMT, ports, WHY_ARGS(n));
	door_close(dom);
	return exited(n, 0);
}

static void check_irq(void)
{
	int mine = door_create(irq_proc, NULL, 0);
	check_err("line 0 (the timer)", kobj_irq(dev, 0, mine), -EINVAL);
	check_err("line 2 (the cascade)", kobj_irq(dev, 2, mine), -EINVAL);
	check_err("line 16", kobj_irq(dev, 16, mine), -EINVAL);
	check_err("line 0xffffffff", kobj_irq(dev, 0xffffffff, mine), -EINVAL);
	check_err("a nucleus door as the bound door", kobj_irq(dev, 8, dm), -EINVAL);
	check_err("no door", kobj_invoke(dev, DEV_IRQ, (uint32_t[]){8}, 4, NULL, 0, -1, NULL),
	          -EINVAL);
	check_err("a door id we do not hold", kobj_irq(dev, 8, 4000), -EBADF);

	run_rtc("the RTC driver got its notices, one per IRQ_ACK (IRQ 8)");
	/* It died with the line masked and bound: the line must be free. */
	int line = kobj_irq(dev, 8, mine);
	check("after the driver's end, IRQ 8 can be bound again", line >= 0, "got %d", line);
	check_err("... and only once", kobj_irq(dev, 8, mine), -EBUSY);
	int dup = door_dup(line);
	door_revoke(mine);
	check_err("our bound door revoked: the line door names nothing", kobj_irq_ack(line),
	          -ESRCH);
	check_err("a revoked door cannot be bound", kobj_irq(dev, 8, mine), -EBADF);
	door_close(line);
	door_close(dup);
	door_close(mine);
	run_rtc("a second RTC driver binds IRQ 8 again and gets its notices");
}

/* ------------------------------------------------------ device memory */

static void check_map(void)
{
	struct kobj_load_out at;
	int dom = dm_create(dm, "devchild", 0);
	uint32_t addr = 0;
	check_err("RAM at 1 MiB", kobj_map(dev, dom, 0x100000, 4096, &addr), -EACCES);
	check_err("the first page", kobj_map(dev, dom, 0, 4096, &addr), -EACCES);
	check_err("low memory (0x9f000)", kobj_map(dev, dom, 0x9f000, 4096, &addr), -EACCES);
	check_err("the nucleus's text screen (0xb8000)", kobj_map(dev, dom, 0xb8000, 4096, &addr),
	          -EACCES);
	check_err("the VGA window running into it", kobj_map(dev, dom, 0xb0000, 0x9000, &addr),
	          -EACCES);
	check_err("the BIOS area", kobj_map(dev, dom, 0xf0000, 4096, &addr), -EACCES);
	check_err("a range from the BIOS area into RAM", kobj_map(dev, dom, 0xff000, 0x2000, &addr),
	          -EACCES);
	check_err("the local APIC", kobj_map(dev, dom, 0xfee00000, 4096, &addr), -EACCES);
	check_err("the I/O APIC", kobj_map(dev, dom, 0xfec00000, 4096, &addr), -EACCES);
	check_err("RAM the frame allocator hands out (16 MiB)",
	          kobj_map(dev, dom, 0x1000000, 4096, &addr), -EACCES);
	check_err("size 0", kobj_map(dev, dom, 0xa0000, 0, &addr), -EINVAL);
	check_err("a range that wraps", kobj_map(dev, dom, 0xfffff000, 0x2000, &addr), -EINVAL);
	check_err("a size that wraps", kobj_map(dev, dom, 0xa0000, 0xffffffff, &addr), -EINVAL);
	check_err("a user door as the domain", kobj_map(dev, watch, 0xa0000, 4096, &addr), -EINVAL);
	int err = kobj_map(dev, dom, 0xa0010, 0x1000, &addr);
	check("the VGA window (0xa0010, 4 KiB: two pages)",
	      err == 0 && addr && (addr & 0xfff) == 0x10, "got %d addr %#x", err, addr);
	uint32_t base = addr & ~0xfffu;
	char args[64];
	snprintf(args, sizeof args, "devchild peek %#x", base);
	err = dom_load(dom, CHILD, CHILD_SIZE, args, &at);
	int clone = err < 0 ? err : dom_clone(dom, "devclone");
	if (err >= 0)
		err = dom_watch(dom, watch);
	int cw = clone < 0 ? clone : dom_watch(clone, watch);
	uint32_t id = err < 0 ? 0 : run(dom, &at, -1), cid = cw < 0 ? 0 : run(clone, &at, -1);
	const struct kobj_notice *n = notice_for(id, END_WAIT_MS),
	                         *nc = notice_for(cid, END_WAIT_MS);
	check("a mapped driver uses its device memory; the nucleus copies none of it", exited(n, 0),
	      "load %d " WHY_FMT, err, WHY_ARGS(n));
	check("a clone does not get the device memory (it faults there)",
	      faulted(nc, PF) && nc->addr == base, "clone %d " WHY_FMT, clone, WHY_ARGS(nc));
	check_err("mapping into a domain that has ended", kobj_map(dev, dom, 0xa0000, 4096, &addr),
	          -ESRCH);
	door_close(dom);
	door_close(clone);
}

static int role_manager(void)
{
	dm = sprig_start_door;
	dev = dm < 0 ? -1 : kobj_devices(dm);
	check("the domain manager gives the device manager", dev >= 0, "dm %d dev %d", dm, dev);
	watch = door_create(notice_proc, NULL, 0);
	check("our own doors and pool", watch >= 0 && door_pool_start(2) == 0, "watch %d", watch);
	if (dev < 0 || watch < 0)
		return finish("manager");
	check_err("DM_DEVICES with arguments",
	          kobj_invoke(dm, DM_DEVICES, &dev, 4, NULL, 0, -1, NULL), -EINVAL);
	check_err("DM_DEVICES asked of the device manager",
	          kobj_invoke(dev, DM_DEVICES, NULL, 0, NULL, 0, -1, NULL), -EINVAL);
	check_ports();
	check_port_refusals();
	check_irq();
	check_map();
	return finish("manager");
}

static inline uint8_t inb(uint16_t port)
{
	uint8_t v;
	__asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

/* Holds no door: the device manager is out of reach, and so are ports. */
static int role_plain(void)
{
	int found = 0;
	door_info_t info;
	for (int gen = 0; gen < 4; gen++)
		for (int slot = 0; slot < DOOR_TABLE_SIZE; slot++)
			found += door_info(gen << 8 | slot, &info) == 0;
	check("a plain module starts with no door", sprig_start_door == -1 && found == 0,
	      "start door %d, %d ids answer", sprig_start_door, found);
	check_err("DM_DEVICES through a guessed id", kobj_devices(0), -EBADF);
	check_err("DEV_PORTS through a guessed id", kobj_ports(0, 0, 0x70, 2), -EBADF);
	finish("plain");
	sleep_ms(200); /* while the manager's drivers run: the bitmap must be off for us */
	printf("devtest plain: inb 0x71 = %#x\n", inb(0x71)); /* must fault */
	return 1;
}

int main(int argc, char **argv)
{
	const char *role = argc > 1 ? argv[1] : "";
	check_start("devtest", CHECK_COLON);
	if (!strcmp(role, "manager"))
		return role_manager();
	if (!strcmp(role, "plain"))
		return role_plain();
	printf("usage: devtest manager|plain\n");
	return 2;
}
