/* SPDX-License-Identifier: MIT */
/*
 * devchild ROLE ...: the domains devtest starts (tests/system/t_devices.sh),
 * each with the ports, doors or device memory devtest granted it first:
 *
 *   in PORT...     reads each port (inb), printing each value; exit 0
 *   inw PORT       reads a word (two ports' permission bits)
 *   com1 TEXT      writes a line to COM1 itself, polling the UART; exit 0
 *   serve          serves a door (published as devtest.cmos) that reads a
 *                  CMOS register through ports 0x70/0x71; runs until killed
 *   call           fast-calls devtest.cmos 100 times, then reads port 0x71
 *                  itself: it has no ports, so it must die of #GP
 *   rtc            the RTC driver: its start door is the device manager;
 *                  binds IRQ 8 to its own door, turns on the periodic
 *                  interrupt, and checks the notices; exits with the
 *                  number of checks that failed
 *   peek ADDR      reads device memory mapped at ADDR, and checks that the
 *                  nucleus copies neither from nor to it; exit 0 if so
 *
 * A role that works exits 0; one that should fault never gets to exit.
 */
#include "lib/doors/kobj.h"
#include "user/check.h"

static inline uint8_t inb(uint16_t port)
{
	uint8_t v;
	__asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline uint16_t inw(uint16_t port)
{
	uint16_t v;
	__asm__ volatile("inw %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline void outb(uint16_t port, uint8_t v)
{
	__asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

#define CMOS_INDEX 0x70
#define CMOS_DATA  0x71
#define COM1       0x3f8

static uint32_t number(const char *s)
{
	uint32_t v = 0;
	int base = 10;
	if (s[0] == '0' && s[1] == 'x')
		base = 16, s += 2;
	for (; *s; s++) {
		int d = *s >= '0' && *s <= '9' ? *s - '0' : (*s | 0x20) - 'a' + 10;
		v = v * (uint32_t)base + (uint32_t)d;
	}
	return v;
}

static uint8_t cmos_read(uint8_t reg)
{
	outb(CMOS_INDEX, reg);
	return inb(CMOS_DATA);
}

static int role_in(int argc, char **argv)
{
	for (int i = 2; i < argc; i++) {
		uint32_t port = number(argv[i]);
		printf("devchild: inb %#x = %#x\n", port, inb((uint16_t)port));
	}
	return 0;
}

static int role_com1(const char *text)
{
	char line[96];
	int n = snprintf(line, sizeof line, "devchild: %s through COM1\r\n", text);
	for (int i = 0; i < n; i++) {
		while (!(inb(COM1 + 5) & 0x20)) /* LSR: transmitter holding register empty */
			;
		outb(COM1, (uint8_t)line[i]);
	}
	return 0;
}

/* devtest.cmos: {uint32_t reg} -> {uint32_t value}, read in the server. */
static void cmos_proc(void *cookie, const struct door_request *req, struct door_reply *rep)
{
	(void)cookie;
	uint32_t reg = 0, v;
	if (req->size == sizeof reg)
		memcpy(&reg, req->data, sizeof reg);
	v = cmos_read((uint8_t)(reg & 0x7f));
	memcpy(rep->buf, &v, sizeof v);
	rep->data = rep->buf;
	rep->size = sizeof v;
}

static int role_serve(void)
{
	int door = door_create(cmos_proc, NULL, 0);
	if (door < 0 || door_pool_start(1) < 0 || name_publish("devtest.cmos", door) < 0)
		return 1;
	sleep_ms(20000); /* devtest kills it */
	return 2;
}

static int role_call(void)
{
	int door = name_lookup("devtest.cmos", 5000), ok = 0;
	for (int i = 0; door >= 0 && i < 100; i++) {
		uint32_t reg = 0x0a, v = 0xffffffff; /* register A: bit 7 is update-in-progress */
		door_arg_t a = {&reg, sizeof reg, NULL, 0, &v, sizeof v, NULL, 0};
		ok += door_call(door, &a) == 0 && a.data_size == sizeof v && v <= 0xff;
	}
	printf("devchild: %d of 100 fast calls to the port server answered\n", ok);
	printf("devchild: inb %#x = %#x\n", CMOS_DATA, inb(CMOS_DATA)); /* must fault */
	return 1;
}

/* ------------------------------------------------------------------ rtc */

/* The notices, as the server thread got them. */
static struct {
	struct kobj_irq_notice n[32];
	volatile int count;
} got;

/* An interrupt notice: note it and read register C, which lets the RTC
 * raise its next periodic interrupt. No IRQ_ACK here: main decides. */
static void irq_proc(void *cookie, const struct door_request *req, struct door_reply *rep)
{
	(void)cookie;
	rep->size = 0;
	if (!(req->flags & DOOR_ENTRY_NOTICE) || req->size != sizeof(struct kobj_irq_notice))
		return;
	if (got.count < 32)
		memcpy(&got.n[got.count], req->data, sizeof got.n[0]);
	cmos_read(0x0c);
	got.count++;
}

/* Waits up to 3 s for the n-th notice; true if it came. */
static int wait_notices(int n)
{
	for (int i = 0; i < 300 && got.count < n; i++)
		sleep_ms(10);
	return got.count >= n;
}

static int role_rtc(void)
{
	check_start("devchild rtc", CHECK_COLON);
	int dev = sprig_start_door, door = door_create(irq_proc, NULL, 0);
	check("the device manager and our own door",
	      dev >= 0 && door >= 0 && door_pool_start(1) == 0, "start door %d door %d", dev, door);
	int line = kobj_irq(dev, 8, door);
	check("IRQ 8 bound to our door", line >= 0, "got %d", line);
	int again = kobj_irq(dev, 8, door);
	check("binding IRQ 8 again: -EBUSY", again == -EBUSY, "got %d", again);
	/* 64 interrupts a second: rate 10 in register A, PIE in register B. */
	outb(CMOS_INDEX, 0x0a);
	uint8_t a = inb(CMOS_DATA);
	outb(CMOS_INDEX, 0x0a);
	outb(CMOS_DATA, (uint8_t)((a & 0xf0) | 10));
	cmos_read(0x0c);
	outb(CMOS_INDEX, 0x0b);
	uint8_t b = inb(CMOS_DATA);
	outb(CMOS_INDEX, 0x0b);
	outb(CMOS_DATA, b | 0x40);
	int first = wait_notices(1);
	check("a notice for the periodic interrupt",
	      first && got.n[0].line == 8 && got.n[0].count == 1, "came %d line %u count %u", first,
	      got.n[0].line, got.n[0].count);
	sleep_ms(300); /* 19 periods */
	check("no second notice before IRQ_ACK", got.count == 1, "%d notices", got.count);
	int err = kobj_irq_ack(line);
	int second = wait_notices(2);
	check("IRQ_ACK re-arms it: the next notice, count 2",
	      err == 0 && second && got.n[1].line == 8 && got.n[1].count == 2,
	      "ack %d came %d count %u", err, second, got.n[1].count);
	int acked = 0;
	for (int i = 3; i <= 8; i++)
		acked += kobj_irq_ack(line) == 0 && wait_notices(i) &&
		         got.n[i - 1].count == (uint32_t)i;
	check("six more, one per IRQ_ACK, counted in order", acked == 6, "%d of 6", acked);
	err = kobj_invoke(line, 99, NULL, 0, NULL, 0, -1, NULL);
	check("an unknown line operation: -ENOSYS", err == -ENOSYS, "got %d", err);
	uint32_t junk = 0;
	err = kobj_invoke(line, IRQ_ACK, &junk, sizeof junk, NULL, 0, -1, NULL);
	check("IRQ_ACK with arguments: -EINVAL", err == -EINVAL, "got %d", err);
	/* We end with the line masked and the RTC still on: the nucleus must
	 * leave it masked and free for the next driver. */
	printf("devchild rtc: %d of %d checks passed\n", checks - failures, checks);
	return failures;
}

/* ----------------------------------------------------------------- peek */

/* Echoes what it gets. */
static void echo_proc(void *cookie, const struct door_request *req, struct door_reply *rep)
{
	(void)cookie;
	rep->data = req->data;
	rep->size = req->size;
}

/* Device memory at addr (a page at least): we use it; the nucleus copies
 * neither from nor to it, whichever path a call takes. */
static int role_peek(uint32_t addr)
{
	static char page[4096] __attribute__((aligned(4096)));
	volatile uint8_t *p = (volatile uint8_t *)addr;
	uint8_t v = p[0];
	p[1] = v; /* writable too */
	int w = console_write((const char *)addr, 16);
	int door = door_create(echo_proc, NULL, 0);
	if (door < 0 || door_pool_start(1) < 0)
		return 3;
	door_arg_t a = {(void *)addr, 8, NULL, 0, page, sizeof page, NULL, 0};
	int c1 = door_call_general(door, &a);
	a = (door_arg_t){(void *)addr, 4096, NULL, 0, page, sizeof page, NULL, 0};
	int c2 = door_call_general(door, &a);
	a = (door_arg_t){page, 4096, NULL, 0, (void *)addr, 4096, NULL, 0};
	int c3 = door_call_general(door, &a);
	printf("devchild: read %#x at %#x; from it: console_write %d, door calls %d %d; "
	       "a reply into it %d\n",
	       v, addr, w, c1, c2, c3);
	return w == -EFAULT && c1 == -EFAULT && c2 == -EFAULT && c3 < 0 ? 0 : 1;
}

int main(int argc, char **argv)
{
	const char *role = argc > 1 ? argv[1] : "";
	if (!strcmp(role, "in"))
		return role_in(argc, argv);
	if (!strcmp(role, "inw") && argc > 2)
		printf("devchild: inw %s = %#x\n", argv[2], inw((uint16_t)number(argv[2])));
	else if (!strcmp(role, "com1") && argc > 2)
		return role_com1(argv[2]);
	else if (!strcmp(role, "serve"))
		return role_serve();
	else if (!strcmp(role, "call"))
		return role_call();
	else if (!strcmp(role, "rtc"))
		return role_rtc();
	else if (!strcmp(role, "peek") && argc > 2)
		return role_peek(number(argv[2]));
	else
		printf("usage: devchild in|inw|com1|serve|call|rtc|peek ...\n");
	return 0;
}
