/* SPDX-License-Identifier: MIT */
/*
 * drivers/ata: the master disk on the primary IDE channel (command block
 * 0x1f0-0x1f7, control 0x3f6, IRQ 14), driven by PIO from a domain of its
 * own. proc starts it with those ports granted and lets it bind IRQ 14
 * (proc_irq); each interrupt arrives as a notice on a door served here.
 *
 * At start it looks for a device (no answer on the channel: it says so and
 * exits with status 1), IDENTIFYs it (a packet device such as a CD-ROM is
 * refused the same way), and serves the disk as one block device
 * (sprite/blkdev.h) published as the boot name "disk".
 *
 * One request at a time, in order: a ticket lock on a futex. A request issues its command and
 * sleeps on a futex word the interrupt notice bumps; the status registers
 * decide what happened (a stray wake-up is harmless). The first data block
 * of a write has no interrupt, so that wait polls. Every wait has a
 * deadline: a device that does not answer gives -EIO, and the channel is
 * reset. A request whose caller is signalled or killed meanwhile is
 * finished by polling, so the device is never left mid-command.
 *
 * Entry points: main; the blkdev operations info, read, write, flush.
 */
#include <errno.h>
#include <sprite/blkdev.h>
#include <sprite/proc.h>
#include <stdio.h>

#include "drivers/portio.h"
#include "lib/doors/kobj.h"

#define ATA_IO   0x1f0 /* the command block */
#define ATA_CTRL 0x3f6 /* alternate status (read), device control (write) */
#define IRQ_LINE 14

#define REG_DATA    0 /* 16-bit data */
#define REG_ERROR   1 /* read: error; write: features */
#define REG_COUNT   2 /* sector count */
#define REG_LBA0    3 /* LBA bits 0-7 (24-31 for the LBA48 high half) */
#define REG_LBA1    4 /* 8-15 (32-39) */
#define REG_LBA2    5 /* 16-23 (40-47) */
#define REG_DEVICE  6 /* LBA mode, drive, LBA28 bits 24-27 */
#define REG_STATUS  7 /* read: status (acknowledges INTRQ) */
#define REG_COMMAND 7 /* write */

#define ST_ERR  0x01
#define ST_DRQ  0x08
#define ST_DF   0x20
#define ST_DRDY 0x40
#define ST_BSY  0x80

#define CTRL_NIEN 0x02 /* interrupts off */
#define CTRL_SRST 0x04 /* software reset */

#define DEV_LBA 0xe0 /* LBA mode, master (bits 5 and 7 set for old devices) */

#define CMD_READ         0x20
#define CMD_READ_EXT     0x24
#define CMD_WRITE        0x30
#define CMD_WRITE_EXT    0x34
#define CMD_FLUSH        0xe7
#define CMD_FLUSH_EXT    0xea
#define CMD_IDENTIFY     0xec
#define LBA28_SECTORS    0x10000000u /* LBA28 names sectors 0 .. 2^28 - 1 */
#define SECTOR_WORDS     (BLKDEV_SECTOR / 2)
#define IO_TIMEOUT_MS    10000 /* a disk spinning up may take seconds */
#define RESET_TIMEOUT_MS 3000
#define POLL_SLICE_MS    20 /* a futex wait's length: the interrupt normally ends it first */

static struct {
	uint32_t next;    /* the lock: the next ticket to hand out ... */
	uint32_t serving; /* ... and the one whose request may run (waiters sleep on it) */
	uint32_t irq_seq; /* bumped by every interrupt: requests sleep on it */
	uint8_t irq_stat; /* the status register as the last interrupt found it */
	uint32_t hz;      /* timer ticks per second */
	int line_door;    /* our interrupt line (IRQ_ACK) */
	uint64_t sectors; /* from IDENTIFY */
	int lba48;        /* the device takes 48-bit commands */
	char model[BLKDEV_MODEL_MAX];
	uint32_t interrupts, requests, errors, timeouts; /* for the log */
	struct door_binding proc;
} ata;

/* The state of one request in progress (lock held). */
struct request {
	const char *what; /* for messages */
	uint64_t lba;
	uint64_t deadline; /* timer ticks */
	int polling;       /* the caller was signalled: finish without sleeping */
};

static uint64_t now_ticks(void)
{
	struct sprig_time t;
	sprig_time(&t);
	return t.ticks;
}

static uint64_t ticks_after(uint32_t ms)
{
	return now_ticks() + (uint64_t)ms * ata.hz / 1000 + 1;
}

static uint8_t alt_status(void)
{
	return inb(ATA_CTRL);
}

/* The 400 ns a device may take to show a new status: four reads. */
static void settle(void)
{
	for (int i = 0; i < 4; i++)
		(void)alt_status();
}

/* ---- the lock: tickets, so requests run in the order they came ---- */

/* A plain futex lock would starve: a client calling in a loop gets the
 * lock back before a woken waiter runs, because the holder sleeps (for
 * the interrupt) only while holding it. */
static void lock_give(void)
{
	uint32_t now = __atomic_add_fetch(&ata.serving, 1, __ATOMIC_RELEASE);
	if (__atomic_load_n(&ata.next, __ATOMIC_ACQUIRE) != now)
		futex_wake(&ata.serving, DOOR_POOL_MAX); /* each checks its own ticket */
}

/* Waits for this request's turn; -EINTR if the caller is signalled while
 * waiting (its turn is still taken, at once passed on, so that the line
 * behind it moves). */
static int lock_take(void)
{
	uint32_t mine = __atomic_fetch_add(&ata.next, 1, __ATOMIC_ACQ_REL);
	int interrupted = 0;
	for (;;) {
		uint32_t now = __atomic_load_n(&ata.serving, __ATOMIC_ACQUIRE);
		if (now == mine)
			break;
		if (interrupted)
			yield(); /* the futex answers -EINTR at once now */
		else if (futex_wait(&ata.serving, now, 0) == -EINTR)
			interrupted = 1;
	}
	if (interrupted) {
		lock_give();
		return -EINTR;
	}
	return 0;
}

/* ---- the interrupt ---- */

/* A notice for IRQ 14: reading the status register lowers the device's
 * INTRQ; then wake the request and let the line go. */
static void irq_proc(void *cookie, const struct door_request *req, struct door_reply *rep)
{
	(void)cookie, (void)rep;
	if (!(req->flags & DOOR_ENTRY_NOTICE))
		return;
	ata.irq_stat = inb(ATA_IO + REG_STATUS);
	ata.interrupts++;
	__atomic_fetch_add(&ata.irq_seq, 1, __ATOMIC_SEQ_CST);
	futex_wake(&ata.irq_seq, 1);
	kobj_irq_ack(ata.line_door);
}

/* ---- waiting for the device ---- */

/* Logs what the device said about r and answers -EIO. */
static int device_error(struct request *r, uint8_t st, const char *why)
{
	ata.errors++;
	printf("ata: %s at sector %llu: %s (status %#x, error %#x)\n", r->what,
	       (unsigned long long)r->lba, why, st, inb(ATA_IO + REG_ERROR));
	return -EIO;
}

/* Polls until BSY clears: the status, or -ETIMEDOUT past the deadline. */
static int wait_not_busy(uint64_t deadline)
{
	settle();
	for (;;) {
		uint8_t st = alt_status();
		if (!(st & ST_BSY))
			return st;
		if (now_ticks() > deadline)
			return -ETIMEDOUT;
		yield();
	}
}

/* Sleeps until an interrupt after `seen` (or, as a safety net, until a
 * slice's poll finds the device no longer busy), then answers the status
 * once BSY is clear, or -ETIMEDOUT. */
static int wait_device(struct request *r, uint32_t seen)
{
	while (__atomic_load_n(&ata.irq_seq, __ATOMIC_ACQUIRE) == seen) {
		if (now_ticks() > r->deadline)
			return -ETIMEDOUT;
		if (r->polling) {
			if (!(alt_status() & ST_BSY))
				break;
			yield();
			continue;
		}
		int err = futex_wait(&ata.irq_seq, seen, POLL_SLICE_MS);
		if (err == -EINTR)
			r->polling = 1; /* signalled: finish the command regardless */
		else if (err == -ETIMEDOUT && !(alt_status() & ST_BSY))
			break; /* the interrupt is late (every pool thread busy?) */
	}
	return wait_not_busy(r->deadline);
}

/* Resets the channel after a device stopped answering. */
static void channel_reset(void)
{
	outb(ATA_CTRL, CTRL_SRST | CTRL_NIEN);
	settle();
	outb(ATA_CTRL, 0);
	if (wait_not_busy(ticks_after(RESET_TIMEOUT_MS)) < 0)
		printf("ata: the channel is still busy after a reset\n");
}

/* A failed wait: a timeout resets the channel; both answer -EIO. */
static int wait_failed(struct request *r, int err)
{
	if (err == -ETIMEDOUT) {
		ata.timeouts++;
		printf("ata: %s at sector %llu: no answer in %d ms; resetting the channel\n",
		       r->what, (unsigned long long)r->lba, IO_TIMEOUT_MS);
		channel_reset();
	}
	return -EIO;
}

/* ---- commands ---- */

/* Selects the master and writes the task file for cmd on count sectors
 * from lba (the caller noted the interrupt count first); 0 or -ETIMEDOUT. */
static int issue(struct request *r, uint8_t cmd, uint64_t lba, uint32_t count, int lba48)
{
	int st = wait_not_busy(r->deadline);
	if (st < 0)
		return st;
	uint8_t dev = lba48 ? DEV_LBA : (uint8_t)(DEV_LBA | ((lba >> 24) & 0x0f));
	outb(ATA_IO + REG_DEVICE, dev);
	settle();
	if (lba48) { /* the high halves first: each register holds two bytes */
		outb(ATA_IO + REG_COUNT, (uint8_t)(count >> 8));
		outb(ATA_IO + REG_LBA0, (uint8_t)(lba >> 24));
		outb(ATA_IO + REG_LBA1, (uint8_t)(lba >> 32));
		outb(ATA_IO + REG_LBA2, (uint8_t)(lba >> 40));
	}
	outb(ATA_IO + REG_COUNT, (uint8_t)count);
	outb(ATA_IO + REG_LBA0, (uint8_t)lba);
	outb(ATA_IO + REG_LBA1, (uint8_t)(lba >> 8));
	outb(ATA_IO + REG_LBA2, (uint8_t)(lba >> 16));
	outb(ATA_IO + REG_COMMAND, cmd);
	return 0;
}

/* Waits for the device to offer a block of data (DRQ) after `seen`. */
static int wait_data(struct request *r, uint32_t seen, int interrupt)
{
	int st = interrupt ? wait_device(r, seen) : wait_not_busy(r->deadline);
	if (st < 0)
		return wait_failed(r, st);
	if (st & (ST_ERR | ST_DF))
		return device_error(r, (uint8_t)st, "the device refused");
	if (!(st & ST_DRQ))
		return device_error(r, (uint8_t)st, "no data offered");
	return 0;
}

static uint32_t irq_seen(void)
{
	return __atomic_load_n(&ata.irq_seq, __ATOMIC_ACQUIRE);
}

/* READ SECTORS (EXT): each sector's data comes with an interrupt. */
static int pio_read(struct request *r, uint32_t count, void *buf, int lba48)
{
	uint32_t seen = irq_seen();
	int err = issue(r, lba48 ? CMD_READ_EXT : CMD_READ, r->lba, count, lba48);
	if (err < 0)
		return wait_failed(r, err);
	for (uint32_t i = 0; i < count; i++) {
		err = wait_data(r, seen, 1);
		if (err < 0)
			return err;
		seen = irq_seen(); /* the next interrupt comes only once we read this block */
		insw(ATA_IO + REG_DATA, (char *)buf + i * BLKDEV_SECTOR, SECTOR_WORDS);
	}
	return 0;
}

/* WRITE SECTORS (EXT): the first block is asked for without an
 * interrupt; each block written is acknowledged by one, the last too. */
static int pio_write(struct request *r, uint32_t count, const void *buf, int lba48)
{
	uint32_t seen = irq_seen();
	int err = issue(r, lba48 ? CMD_WRITE_EXT : CMD_WRITE, r->lba, count, lba48);
	if (err < 0)
		return wait_failed(r, err);
	for (uint32_t i = 0; i < count; i++) {
		err = wait_data(r, seen, i > 0);
		if (err < 0)
			return err;
		seen = irq_seen();
		outsw(ATA_IO + REG_DATA, (const char *)buf + i * BLKDEV_SECTOR, SECTOR_WORDS);
	}
	int st = wait_device(r, seen);
	if (st < 0)
		return wait_failed(r, st);
	if (st & (ST_ERR | ST_DF | ST_DRQ))
		return device_error(r, (uint8_t)st, "the write failed");
	return 0;
}

/* A command without data (FLUSH CACHE): one interrupt at its end. */
static int no_data(struct request *r, uint8_t cmd)
{
	uint32_t seen = irq_seen();
	int err = issue(r, cmd, 0, 0, 0);
	if (err < 0)
		return wait_failed(r, err);
	int st = wait_device(r, seen);
	if (st < 0)
		return wait_failed(r, st);
	if (st & (ST_ERR | ST_DF))
		return device_error(r, (uint8_t)st, "the command failed");
	return 0;
}

/* ---- finding the disk ---- */

/* Whether anything answers on the channel: a register that keeps what is
 * written to it (an empty channel reads 0 or 0xff from every one). */
static int channel_present(void)
{
	outb(ATA_IO + REG_DEVICE, DEV_LBA);
	settle();
	if (inb(ATA_IO + REG_STATUS) == 0xff)
		return 0; /* a floating bus: no controller */
	outb(ATA_IO + REG_LBA0, 0x55);
	outb(ATA_IO + REG_LBA1, 0xaa);
	return inb(ATA_IO + REG_LBA0) == 0x55 && inb(ATA_IO + REG_LBA1) == 0xaa;
}

/* IDENTIFY's string words: two characters each, the first in the high
 * byte; trailing spaces dropped. */
static void id_string(char *dst, uint32_t cap, const uint16_t *w, uint32_t words)
{
	uint32_t n = 0;
	for (uint32_t i = 0; i < words && n + 2 < cap; i++) {
		dst[n++] = (char)(w[i] >> 8);
		dst[n++] = (char)w[i];
	}
	while (n > 0 && (dst[n - 1] == ' ' || dst[n - 1] == 0))
		n--;
	dst[n] = 0;
}

/* IDENTIFY DEVICE on the master: its size, addressing and model. Fails
 * with a message for a packet device or one that does not answer. */
static int identify(void)
{
	static uint16_t id[SECTOR_WORDS];
	struct request r = {"identify", 0, ticks_after(IO_TIMEOUT_MS), 0};
	uint32_t seen = irq_seen();
	outb(ATA_IO + REG_DEVICE, DEV_LBA);
	settle();
	outb(ATA_IO + REG_COMMAND, CMD_IDENTIFY);
	if (alt_status() == 0) {
		printf("ata: no device on the primary IDE channel's master\n");
		return -ENODEV;
	}
	int st = wait_device(&r, seen);
	if (st >= 0 && (st & ST_ERR)) {
		uint8_t mid = inb(ATA_IO + REG_LBA1), high = inb(ATA_IO + REG_LBA2);
		if ((mid == 0x14 && high == 0xeb) || (mid == 0x69 && high == 0x96)) {
			printf("ata: the primary master is a packet device (a CD-ROM?), not a "
			       "disk\n");
			return -ENODEV;
		}
	}
	if (st < 0)
		return wait_failed(&r, st);
	if (st & (ST_ERR | ST_DF) || !(st & ST_DRQ))
		return device_error(&r, (uint8_t)st, "IDENTIFY failed");
	insw(ATA_IO + REG_DATA, id, SECTOR_WORDS);
	ata.sectors = (uint32_t)id[60] | (uint32_t)id[61] << 16;
	if (id[83] & (1u << 10)) { /* the 48-bit feature set */
		uint64_t n48 = 0;
		for (int i = 3; i >= 0; i--)
			n48 = n48 << 16 | id[100 + i];
		if (n48 > ata.sectors) {
			ata.sectors = n48;
			ata.lba48 = 1;
		}
	}
	id_string(ata.model, sizeof ata.model, &id[27], 20);
	if (ata.sectors == 0) {
		printf("ata: the master (%s) has no LBA sectors\n", ata.model);
		return -ENODEV;
	}
	return 0;
}

/* ---- the block device ---- */

/* A range inside the disk of 1 .. BLKDEV_MAX_SECTORS sectors; its bytes. */
static int check_range(const struct blkdev_rw *in, uint32_t *bytes)
{
	if (in->count == 0 || in->count > BLKDEV_MAX_SECTORS)
		return -EINVAL;
	if (in->lba >= ata.sectors || in->count > ata.sectors - in->lba)
		return -EINVAL;
	*bytes = in->count * BLKDEV_SECTOR;
	return 0;
}

/* Runs one read (into rbuf) or write (from wbuf) with the device held. */
static int transfer(const char *what, const struct blkdev_rw *in, void *rbuf, const void *wbuf)
{
	int err = lock_take();
	if (err < 0)
		return err;
	struct request r = {what, in->lba, ticks_after(IO_TIMEOUT_MS), 0};
	int lba48 = in->lba + in->count > LBA28_SECTORS;
	ata.requests++;
	if (rbuf)
		err = pio_read(&r, in->count, rbuf, lba48);
	else
		err = pio_write(&r, in->count, wbuf, lba48);
	lock_give();
	return err;
}

static int info_impl(void *obj, const struct blkdev_none *in, struct blkdev_info *out)
{
	(void)obj, (void)in;
	out->sector_size = BLKDEV_SECTOR;
	out->max_sectors = BLKDEV_MAX_SECTORS;
	out->sectors = ata.sectors;
	out->flags = ata.lba48 ? BLKDEV_LBA48 : 0;
	memcpy(out->model, ata.model, sizeof out->model);
	return 0;
}

static int read_impl(void *obj, const struct blkdev_rw *in, struct blkdev_none *out,
                     struct door_io *io)
{
	(void)obj, (void)out;
	uint32_t bytes;
	int err = check_range(in, &bytes);
	if (err < 0)
		return err;
	if (io->out_cap < bytes)
		return -EINVAL; /* the reply could not hold the sectors */
	err = transfer("read", in, io->out, NULL);
	if (err < 0)
		return err;
	io->out_size = bytes;
	return (int)bytes;
}

static int write_impl(void *obj, const struct blkdev_rw *in, struct blkdev_none *out,
                      struct door_io *io)
{
	(void)obj, (void)out;
	uint32_t bytes;
	int err = check_range(in, &bytes);
	if (err < 0)
		return err;
	if (io->in_size != bytes)
		return -EINVAL;
	err = transfer("write", in, NULL, io->in);
	return err < 0 ? err : (int)bytes;
}

static int flush_impl(void *obj, const struct blkdev_none *in, struct blkdev_none *out)
{
	(void)obj, (void)in, (void)out;
	int err = lock_take();
	if (err < 0)
		return err;
	struct request r = {"flush", 0, ticks_after(IO_TIMEOUT_MS), 0};
	ata.requests++;
	err = no_data(&r, ata.lba48 ? CMD_FLUSH_EXT : CMD_FLUSH);
	lock_give();
	return err;
}

static const struct blkdev_ops disk_impl = {info_impl, read_impl, write_impl, flush_impl};
static struct door_served disk = {&disk_impl, NULL, NULL};

/* Binds IRQ 14 to a door served here (proc checks we may). */
static int bind_irq(void)
{
	int notices = door_create(irq_proc, NULL, 0);
	if (notices < 0)
		return notices;
	struct door_io io = {NULL, 0, NULL, 0, 0, notices, 0, -1, 0, NULL};
	int err = proc_irq(&ata.proc, &(struct proc_irq_in){IRQ_LINE}, &(struct proc_none){0}, &io);
	if (err < 0)
		return err;
	if (io.out_door < 0)
		return -EIO;
	ata.line_door = io.out_door;
	return 0;
}

int main(void)
{
	if (sprig_start_door < 0) {
		printf("ata: not started by proc: no door to it\n");
		return 1;
	}
	door_bind_remote(&ata.proc, sprig_start_door);
	struct sprig_time t;
	sprig_time(&t);
	ata.hz = t.hz ? t.hz : 100;
	if (!channel_present()) {
		printf("ata: no disk: nothing answers on the primary IDE channel\n");
		return 1;
	}
	int err = door_pool_start(4);
	if (err >= 0)
		err = bind_irq();
	if (err < 0) {
		printf("ata: cannot bind IRQ %d: %s\n", IRQ_LINE, strerror(-err));
		return 1;
	}
	outb(ATA_CTRL, 0); /* interrupts on */
	if (identify() < 0)
		return 1;
	int door = door_create(blkdev_dispatch, &disk, 0);
	if (door < 0 || (err = name_publish("disk", door)) < 0) {
		printf("ata: cannot publish the disk: %d %d\n", door, err);
		return 1;
	}
	printf("ata: disk \"%s\", %llu sectors (%llu MiB), LBA%d\n", ata.model,
	       (unsigned long long)ata.sectors, (unsigned long long)(ata.sectors >> 11),
	       ata.lba48 ? 48 : 28);
	for (;;)
		sleep_ms(1000000);
}
