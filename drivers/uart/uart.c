/* SPDX-License-Identifier: MIT */
/*
 * drivers/uart: the console, a 16550 UART (COM1, ports 0x3f8-0x3ff, IRQ 4)
 * driven from a domain of its own. proc starts it with the ports granted
 * and lets it bind its interrupt line (proc_irq); each interrupt arrives
 * as a notice on a door served here, and the line stays masked until the
 * driver has emptied the receive FIFO and acknowledged it.
 *
 * It serves the console as one stream object (sprite/stream.h), published
 * as "console", with a cooked line discipline: input is echoed, erased by
 * backspace (DEL or ^H) and ^U, handed to readers a line at a time; ^D ends
 * the input (end of file on an empty line); ^C throws the line away and
 * sends SIGINT to the terminal's foreground process group. Output goes out
 * in the order written, each write whole, never dropped (it waits for the
 * transmitter); "\n" is sent as "\r\n".
 *
 * Threads: a pool of door threads. Readers wait on a futex word (`seq`)
 * which the interrupt handler bumps; a reader whose caller is signalled or
 * killed leaves with -EINTR (its shuttle is interrupted: the futex says so).
 */
#include <errno.h>
#include <sprite/proc.h>
#include <sprite/stream.h>

#include "drivers/portio.h"
#include "lib/doors/kobj.h"

#define COM1     0x3f8
#define IRQ_LINE 4

#define REG_DATA 0 /* RBR / THR */
#define REG_IER  1
#define REG_IIR  2 /* FCR on write */
#define REG_LCR  3
#define REG_MCR  4
#define REG_LSR  5

#define LSR_DR   0x01 /* a byte is waiting */
#define LSR_THRE 0x20 /* the transmitter can take a byte */

#define LINE_MAX  1024 /* the line being typed */
#define READY_MAX 4096 /* finished input no reader has taken yet */

#define CTRL(c) ((c)&0x1f)

static struct {
	int out_lock; /* one writer at a time on the transmitter */
	int in_lock;  /* the input buffers */
	uint32_t seq; /* bumped when input is ready: readers wait on it */
	char line[LINE_MAX];
	uint32_t len;
	char ready[READY_MAX]; /* a ring of finished input */
	uint32_t head, count;
	uint32_t eofs;   /* ^D on an empty line: reads that answer 0 */
	int32_t fg_pgrp; /* the foreground process group (tcsetpgrp) */
	int line_door;   /* our interrupt line */
	struct door_binding proc;
	uint32_t interrupts, dropped;
} con;

static void lock(int *l)
{
	while (__atomic_exchange_n(l, 1, __ATOMIC_ACQUIRE))
		yield();
}

static void unlock(int *l)
{
	__atomic_store_n(l, 0, __ATOMIC_RELEASE);
}

static void put_byte(char c)
{
	while (!(inb(COM1 + REG_LSR) & LSR_THRE))
		;
	outb(COM1 + REG_DATA, (uint8_t)c);
}

/* Sends n bytes as one piece (out_lock held by the caller). */
static void put_bytes(const char *s, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++) {
		if (s[i] == '\n')
			put_byte('\r');
		put_byte(s[i]);
	}
}

static void echo(const char *s, uint32_t n)
{
	lock(&con.out_lock);
	put_bytes(s, n);
	unlock(&con.out_lock);
}

/* Moves the typed line (and a newline, if nl) to the ready ring. in_lock held. */
static void finish_line(int nl)
{
	if (nl && con.len < LINE_MAX)
		con.line[con.len++] = '\n';
	for (uint32_t i = 0; i < con.len; i++) {
		if (con.count == READY_MAX) {
			con.dropped++;
			break;
		}
		con.ready[(con.head + con.count++) % READY_MAX] = con.line[i];
	}
	con.len = 0;
	__atomic_fetch_add(&con.seq, 1, __ATOMIC_SEQ_CST);
	futex_wake(&con.seq, 1000);
}

/* The line discipline, for one byte typed. */
static void input(char c)
{
	static const char erase[] = "\b \b";
	if (c == '\r')
		c = '\n';
	lock(&con.in_lock);
	switch (c) {
	case '\n':
		finish_line(1);
		unlock(&con.in_lock);
		echo("\n", 1);
		return;
	case 0x7f:
	case CTRL('H'):
		if (con.len > 0) {
			con.len--;
			unlock(&con.in_lock);
			echo(erase, 3);
			return;
		}
		break;
	case CTRL('U'):
		while (con.len > 0) {
			con.len--;
			echo(erase, 3);
		}
		break;
	case CTRL('D'):
		if (con.len == 0)
			con.eofs++;
		finish_line(0);
		break;
	case CTRL('C'): {
		con.len = 0;
		int32_t pgrp = con.fg_pgrp;
		unlock(&con.in_lock);
		echo("^C\n", 3);
		if (pgrp > 0)
			proc_kill(&con.proc, &(struct proc_kill_in){-pgrp, SIGINT},
			          &(struct proc_none){0});
		return;
	}
	default:
		if ((unsigned char)c < 0x20 && c != '\t')
			break; /* other control characters are ignored */
		if (con.len < LINE_MAX - 1) {
			con.line[con.len++] = c;
			unlock(&con.in_lock);
			echo(&c, 1);
			return;
		}
		con.dropped++;
	}
	unlock(&con.in_lock);
}

/* The interrupt: take every byte the FIFO holds, then let the line go. */
static void irq_proc(void *cookie, const struct door_request *req, struct door_reply *rep)
{
	(void)cookie, (void)rep;
	if (!(req->flags & DOOR_ENTRY_NOTICE))
		return;
	con.interrupts++;
	(void)inb(COM1 + REG_IIR);
	while (inb(COM1 + REG_LSR) & LSR_DR)
		input((char)inb(COM1 + REG_DATA));
	kobj_irq_ack(con.line_door);
}

/* ---- the console stream ---- */

static int read_impl(void *obj, const struct stream_none *in, struct stream_none *out,
                     struct door_io *io)
{
	(void)obj, (void)in, (void)out;
	for (;;) {
		lock(&con.in_lock);
		uint32_t seen = con.seq;
		if (con.count > 0) {
			uint32_t n = 0;
			char *dst = io->out;
			while (n < io->out_cap && con.count > 0) {
				char c = con.ready[con.head];
				con.head = (con.head + 1) % READY_MAX;
				con.count--;
				dst[n++] = c;
				if (c == '\n')
					break; /* a line at a time, as a terminal does */
			}
			unlock(&con.in_lock);
			io->out_size = n;
			return (int)n;
		}
		if (con.eofs > 0) {
			con.eofs--;
			unlock(&con.in_lock);
			return 0;
		}
		unlock(&con.in_lock);
		int err = futex_wait(&con.seq, seen, 0);
		if (err == -EINTR)
			return -EINTR; /* the reader was signalled or killed */
	}
}

static int write_impl(void *obj, const struct stream_none *in, struct stream_none *out,
                      struct door_io *io)
{
	(void)obj, (void)in, (void)out;
	char buf[DOOR_IO_MAX];
	const char *bytes = door_io_in(io, buf); /* stream_write is DOOR_IO_PULL */
	if (!bytes && io->in_size)
		return -errno;
	lock(&con.out_lock);
	put_bytes(bytes, io->in_size);
	unlock(&con.out_lock);
	return (int)io->in_size;
}

static int info_impl(void *obj, const struct stream_none *in, struct stream_info *out)
{
	(void)obj, (void)in;
	*out = (struct stream_info){STREAM_CONSOLE, 0, 0};
	return 0;
}

static int setpgrp_impl(void *obj, const struct stream_pgrp *in, struct stream_none *out)
{
	(void)obj, (void)out;
	if (in->pgrp < 0)
		return -EINVAL;
	con.fg_pgrp = in->pgrp;
	return 0;
}

static int getpgrp_impl(void *obj, const struct stream_none *in, struct stream_pgrp *out)
{
	(void)obj, (void)in;
	out->pgrp = con.fg_pgrp;
	return 0;
}

static int lseek_impl(void *obj, const struct stream_seek *in, struct stream_pos *out)
{
	(void)obj, (void)in, (void)out;
	return -ESPIPE;
}

static int stat_impl(void *obj, const struct stream_none *in, struct stream_stat *out)
{
	(void)obj, (void)in;
	*out = (struct stream_stat){.mode = 0020620, .nlink = 1, .rdev = 0x0401}; /* crw--w---- */
	return 0;
}

static int truncate_impl(void *obj, const struct stream_size *in, struct stream_none *out)
{
	(void)obj, (void)in, (void)out;
	return -EINVAL;
}

static int readdir_impl(void *obj, const struct stream_none *in, struct stream_none *out,
                        struct door_io *io)
{
	(void)obj, (void)in, (void)out, (void)io;
	return -ENOTDIR;
}

static int pipe_writer_impl(void *obj, const struct stream_none *in, struct stream_none *out,
                            struct door_io *io)
{
	(void)obj, (void)in, (void)out, (void)io;
	return -EINVAL;
}

static const struct stream_ops console_impl = {
        read_impl,  write_impl, info_impl,     setpgrp_impl, getpgrp_impl,
        lseek_impl, stat_impl,  truncate_impl, readdir_impl, pipe_writer_impl};
static struct door_served console = {&console_impl, NULL, NULL};

int main(void)
{
	if (sprig_start_door < 0) {
		printf("uart: not started by proc: no door to it\n");
		return 1;
	}
	door_bind_remote(&con.proc, sprig_start_door);
	int notices = door_create(irq_proc, NULL, 0);
	int stream = door_create_mixed(stream_fast, stream_dispatch, &console, 0);
	if (notices < 0 || stream < 0 || door_pool_start(4) < 0) {
		printf("uart: cannot serve: %d %d\n", notices, stream);
		return 1;
	}
	/* The nucleus set the line up (115200 8N1, FIFO on); left as it is, so
	 * bytes typed before we listened stay in the FIFO. OUT2 lets the line
	 * reach the PIC; interrupts on received data only (output is polled). */
	outb(COM1 + REG_MCR, 0x0b);
	struct door_io io = {NULL, 0, NULL, 0, 0, notices, 0, -1, 0, NULL};
	int err = proc_irq(&con.proc, &(struct proc_irq_in){IRQ_LINE}, &(struct proc_none){0}, &io);
	if (err < 0 || io.out_door < 0) {
		printf("uart: cannot bind IRQ %d: %s\n", IRQ_LINE, strerror(-err));
		return 1;
	}
	con.line_door = io.out_door;
	/* Bytes typed before we listened: take them. The first read is made
	 * even with none waiting: an emulated UART that was reset with input
	 * pending may wait for a read of the data register before it passes
	 * on more (QEMU's does). */
	if (!(inb(COM1 + REG_LSR) & LSR_DR))
		(void)inb(COM1 + REG_DATA);
	while (inb(COM1 + REG_LSR) & LSR_DR)
		input((char)inb(COM1 + REG_DATA));
	outb(COM1 + REG_IER, 0x01);
	err = name_publish("console", stream);
	if (err < 0) {
		printf("uart: cannot publish the console: %s\n", strerror(-err));
		return 1;
	}
	for (;;)
		sleep_ms(1000000);
}
