/* SPDX-License-Identifier: MIT */
/*
 * blktest: the ATA driver's block device (sprite/blkdev.h, drivers/ata),
 * run as init under proc with a scratch disk (tests/system/t_ata.sh):
 * `blktest SECTORS` checks IDENTIFY's size, writes a pattern to sectors
 * across the disk (the first, the last, a 16-sector run, one at each
 * power of two), reads them back, reads the whole disk checking every
 * other sector is still zero, sends ranges past the end, counts of 0 and
 * 17, sizes that do not match and raw malformed messages, reads from a
 * second thread while the first reads too, flushes, and powers off; the
 * host then finds the pattern in the image file. `blktest none` checks
 * that with no disk nothing is published and the system runs on.
 *
 * The pattern: sector n holds 32 copies of the 16-byte line
 * "sector %08u\n" (n), so the host can make the same bytes with printf.
 *
 * Prints "blktest CHECK: ok" or "... FAILED (detail)" per check and
 * "blktest: N checks, N failed".
 */
#include <errno.h>
#include <signal.h>
#include <sprite/blkdev.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lib/c/libc.h"
#include "user/check.h"

int sprig_poweroff(void);

#define SECTOR BLKDEV_SECTOR
#define RUN    BLKDEV_MAX_SECTORS

static struct door_binding disk;
static uint64_t sectors;

/* Fills n sectors from lba with the pattern. */
static void pattern(char *buf, uint64_t lba, uint32_t n)
{
	for (uint32_t s = 0; s < n; s++) {
		char line[17];
		snprintf(line, sizeof line, "sector %08u\n", (unsigned)(lba + s));
		for (int i = 0; i < SECTOR / 16; i++)
			memcpy(buf + s * SECTOR + i * 16, line, 16);
	}
}

static int blk_read(uint64_t lba, uint32_t count, void *buf, uint32_t cap)
{
	struct blkdev_none none;
	struct door_io io = {NULL, 0, buf, cap, 0, -1, 0, -1, 0, NULL};
	int err = blkdev_read(&disk, &(struct blkdev_rw){lba, count}, &none, &io);
	if (err >= 0 && io.out_size != (uint32_t)err)
		return -EIO; /* the status and the bytes disagree */
	return err;
}

static int blk_write(uint64_t lba, uint32_t count, const void *buf, uint32_t size)
{
	struct blkdev_none none;
	struct door_io io = {buf, size, NULL, 0, 0, -1, 0, -1, 0, NULL};
	return blkdev_write(&disk, &(struct blkdev_rw){lba, count}, &none, &io);
}

/* Writes the pattern to count sectors at lba and reads them back. */
static void write_read(const char *what, uint64_t lba, uint32_t count)
{
	static char want[RUN * SECTOR], got[RUN * SECTOR];
	char name[80];
	pattern(want, lba, count);
	int err = blk_write(lba, count, want, count * SECTOR);
	snprintf(name, sizeof name, "write %s (%u at %llu)", what, count, (unsigned long long)lba);
	check(name, err == (int)(count * SECTOR), "%d", err);
	memset(got, 0xee, sizeof got);
	err = blk_read(lba, count, got, sizeof got);
	snprintf(name, sizeof name, "read back %s", what);
	check(name, err == (int)(count * SECTOR) && !memcmp(got, want, count * SECTOR), "%d", err);
}

/* The sectors write_all wrote: lba 0, 1, 2, 4, ... below sectors - RUN,
 * the run of RUN ending one before the last, and the last. */
static int written(uint64_t lba)
{
	if (lba >= sectors - RUN - 1)
		return 1;
	return lba == 0 || (lba & (lba - 1)) == 0;
}

static void write_all(void)
{
	write_read("the first sector", 0, 1);
	for (uint64_t lba = 1; lba < sectors - RUN - 1; lba *= 2)
		write_read("a power of two", lba, 1);
	write_read("a run of 16", sectors - RUN - 1, RUN);
	write_read("the last sector", sectors - 1, 1);
}

/* Reads the whole disk in runs: every sector is the pattern or zero. */
static void read_all(void)
{
	static char buf[RUN * SECTOR], want[SECTOR];
	static const char zero[SECTOR];
	uint64_t bad = 0, first_bad = 0;
	int err = 0;
	for (uint64_t lba = 0; lba < sectors && err >= 0; lba += RUN) {
		uint32_t n = sectors - lba < RUN ? (uint32_t)(sectors - lba) : RUN;
		err = blk_read(lba, n, buf, sizeof buf);
		for (uint32_t s = 0; s < n && err >= 0; s++) {
			pattern(want, lba + s, 1);
			const char *w = written(lba + s) ? want : zero;
			if (memcmp(buf + s * SECTOR, w, SECTOR) && !bad++)
				first_bad = lba + s;
		}
	}
	check("the whole disk reads back as written", err >= 0 && bad == 0,
	      "err %d, %llu bad sectors, the first %llu", err, (unsigned long long)bad,
	      (unsigned long long)first_bad);
}

/* Ranges and sizes the driver must refuse without touching the disk. */
static void check_refused(void)
{
	static char buf[(RUN + 1) * SECTOR];
	struct {
		const char *what;
		uint64_t lba;
		uint32_t count;
	} bad[] = {
	        {"one past the end", sectors, 1},
	        {"two from the last sector", sectors - 1, 2},
	        {"far past the end", 1ull << 40, 1},
	        {"an lba that wraps", ~0ull, 2},
	        {"count 0", 0, 0},
	        {"count 17", 0, RUN + 1},
	        {"count 2^32 - 1", 0, ~0u},
	};
	for (unsigned i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		char name[80];
		int r = blk_read(bad[i].lba, bad[i].count, buf, DOOR_IO_MAX);
		int w = blk_write(bad[i].lba, bad[i].count, buf,
		                  bad[i].count <= RUN ? bad[i].count * SECTOR : 0);
		snprintf(name, sizeof name, "%s: EINVAL", bad[i].what);
		check(name, r == -EINVAL && w == -EINVAL, "read %d, write %d", r, w);
	}
	int err = blk_read(0, 2, buf, SECTOR);
	check("a read of 2 sectors into room for 1: EINVAL", err == -EINVAL, "%d", err);
	err = blk_write(0, 2, buf, SECTOR);
	check("a write of 2 sectors with 1 sector's bytes: EINVAL", err == -EINVAL, "%d", err);
	err = blk_write(0, 1, buf, 2 * SECTOR);
	check("a write of 1 sector with 2 sectors' bytes: EINVAL", err == -EINVAL, "%d", err);
	err = blk_write(0, 1, buf, 0);
	check("a write with no bytes: EINVAL", err == -EINVAL, "%d", err);
}

/* Messages no stub would send, straight at the door. */
static void check_raw(void)
{
	int door = disk.id;
	static union {
		uint32_t w[3000];
		char b[12000];
	} msg, rep;
	door_arg_t a = {&msg, 2, NULL, 0, &rep, sizeof rep, NULL, 0};
	memset(&msg, 0, sizeof msg);
	int err = door_call(door, &a);
	check("raw: a 2-byte message is refused", err == 0 && rep.w[0] == (uint32_t)-EINVAL,
	      "%d %d", err, (int)rep.w[0]);
	msg.w[0] = 99;
	a = (door_arg_t){&msg, 16, NULL, 0, &rep, sizeof rep, NULL, 0};
	err = door_call(door, &a);
	check("raw: an unknown operation is refused", err == 0 && rep.w[0] == (uint32_t)-EINVAL,
	      "%d %d", err, (int)rep.w[0]);
	msg.w[0] = 2; /* read, with its head cut short: op, lba, no count, no out_cap */
	a = (door_arg_t){&msg, 12, NULL, 0, &rep, sizeof rep, NULL, 0};
	err = door_call(door, &a);
	check("raw: a read cut short is refused", err == 0 && rep.w[0] == (uint32_t)-EINVAL,
	      "%d %d", err, (int)rep.w[0]);
	msg.w[0] = 1; /* info with bytes after it */
	a = (door_arg_t){&msg, 40, NULL, 0, &rep, sizeof rep, NULL, 0};
	err = door_call(door, &a);
	check("raw: info with extra bytes is refused", err == 0 && rep.w[0] == (uint32_t)-EINVAL,
	      "%d %d", err, (int)rep.w[0]);
	/* a read asking for 16 sectors with out_cap ~0 but room for 100 bytes */
	uint32_t head[5] = {2, 0, 0, RUN, ~0u};
	memcpy(&msg, head, sizeof head);
	a = (door_arg_t){&msg, sizeof head, NULL, 0, &rep, 100, NULL, 0};
	err = door_call(door, &a);
	check("raw: a read answering more than the caller holds: ERANGE", err == -ERANGE, "%d",
	      err);
	/* a write of 16 sectors with more than DOOR_IO_MAX bytes after the head */
	uint32_t whead[5] = {3, 0, 0, RUN, 0};
	memcpy(&msg, whead, sizeof whead);
	a = (door_arg_t){&msg, sizeof whead + DOOR_IO_MAX + 4, NULL, 0, &rep, sizeof rep, NULL, 0};
	err = door_call(door, &a);
	check("raw: a write with too many bytes is refused",
	      err == 0 && rep.w[0] == (uint32_t)-EINVAL, "%d %d", err, (int)rep.w[0]);
	/* a write of 1 sector to the last sector + 1, with its bytes */
	uint32_t past[5] = {3, (uint32_t)sectors, (uint32_t)(sectors >> 32), 1, 0};
	memcpy(&msg, past, sizeof past);
	a = (door_arg_t){&msg, sizeof past + SECTOR, NULL, 0, &rep, sizeof rep, NULL, 0};
	err = door_call(door, &a);
	check("raw: a write past the end is refused", err == 0 && (int)rep.w[0] == -EINVAL, "%d %d",
	      err, (int)rep.w[0]);
}

/* Two threads read at once: each gets its own sectors, whole. */
static struct {
	uint32_t done;
	int bad;
} second;
static char second_stack[32768] __attribute__((aligned(16)));

static int read_check(uint64_t lba, uint32_t n, char *buf, char *want)
{
	int err = blk_read(lba, n, buf, n * SECTOR);
	pattern(want, lba, n);
	return err == (int)(n * SECTOR) && !memcmp(buf, want, n * SECTOR) ? 0 : 1;
}

static void second_reader(void *arg)
{
	(void)arg;
	static char buf[RUN * SECTOR], want[RUN * SECTOR];
	for (int i = 0; i < 40; i++)
		second.bad += read_check(sectors - RUN - 1, RUN, buf, want);
	__atomic_store_n(&second.done, 1, __ATOMIC_RELEASE);
	futex_wake(&second.done, 1);
	thread_exit();
}

static void check_concurrent(void)
{
	static char buf[RUN * SECTOR], want[RUN * SECTOR];
	int bad = 0;
	int t = thread_create(second_reader, NULL, second_stack, sizeof second_stack);
	for (int i = 0; i < 40 && t >= 0; i++)
		bad += read_check(sectors - 1, 1, buf, want) + read_check(0, 1, buf, want);
	while (t >= 0 && !__atomic_load_n(&second.done, __ATOMIC_ACQUIRE))
		futex_wait(&second.done, 0, 1000);
	check("two threads reading at once each get their sectors", t >= 0 && !bad && !second.bad,
	      "thread %d, bad %d and %d", t, bad, second.bad);
}

/* A child reading in a loop is killed, so a request loses its caller in
 * the middle (the driver finishes it by polling); the driver answers on. */
static void check_killed_reader(void)
{
	static char buf[RUN * SECTOR], want[RUN * SECTOR];
	int fd = fd_install(door_dup(disk.id)); /* a descriptor: fork passes it on */
	pid_t pid = fd >= 0 ? fork() : -1;
	if (pid == 0) {
		struct door_binding mine;
		door_bind_remote(&mine, fd_door(fd));
		for (;;) {
			struct door_io io = {NULL, 0, buf, sizeof buf, 0, -1, 0, -1, 0, NULL};
			blkdev_read(&mine, &(struct blkdev_rw){sectors - RUN - 1, RUN},
			            &(struct blkdev_none){0}, &io);
		}
	}
	int bad = 0, st = 0;
	for (int round = 0; round < 5 && pid > 0; round++) {
		usleep(20000 + round * 7000);
		bad += read_check(0, 1, buf, want);
	}
	if (pid > 0) {
		kill(pid, SIGKILL);
		waitpid(pid, &st, 0);
	}
	check("a reader killed in the middle: killed", pid > 0 && WIFSIGNALED(st), "pid %d st %#x",
	      pid, st);
	for (int i = 0; i < 5; i++)
		bad += read_check(sectors - RUN - 1, RUN, buf, want) + read_check(0, 1, buf, want);
	check("after the killed reader, reads still come back whole", bad == 0, "%d bad", bad);
	if (fd >= 0)
		close(fd);
}

static int no_disk(void)
{
	int id = name_lookup("disk", 2000);
	check("with no disk, no \"disk\" is published", id == -ENOENT, "%d", id);
	printf("blktest: %d checks, %d failed\n", checks, failures);
	fflush(stdout);
	sprig_poweroff();
	return failures != 0;
}

int main(int argc, char **argv)
{
	check_start("blktest", CHECK_PAREN);
	if (argc < 2) {
		printf("usage: blktest SECTORS | blktest none\n");
		return 2;
	}
	if (!strcmp(argv[1], "none"))
		return no_disk();
	uint64_t want = strtoull(argv[1], NULL, 0);
	int id = name_lookup("disk", 5000);
	check("the driver publishes \"disk\"", id >= 0, "%d", id);
	if (id >= 0) {
		door_bind_remote(&disk, id);
		struct blkdev_info info;
		int err = blkdev_info(&disk, &(struct blkdev_none){0}, &info);
		sectors = info.sectors;
		check("info gives the image's size",
		      err == 0 && info.sectors == want && info.sector_size == SECTOR &&
		              info.max_sectors == RUN,
		      "err %d, %llu sectors of %u", err, (unsigned long long)info.sectors,
		      info.sector_size);
		printf("blktest: disk \"%s\", %llu sectors\n", info.model,
		       (unsigned long long)info.sectors);
	}
	if (sectors == want && sectors > 4 * RUN) {
		write_all();
		read_all();
		check_refused();
		check_raw();
		check_concurrent();
		check_killed_reader();
		int err = blkdev_flush(&disk, &(struct blkdev_none){0}, &(struct blkdev_none){0});
		check("flush", err == 0, "%d", err);
		struct blkdev_info info;
		err = blkdev_info(&disk, &(struct blkdev_none){0}, &info);
		check("after all that, the driver still answers", err == 0, "%d", err);
	}
	printf("blktest: %d checks, %d failed\n", checks, failures);
	fflush(stdout);
	sprig_poweroff();
	return failures != 0;
}
