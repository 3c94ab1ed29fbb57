/* SPDX-License-Identifier: MIT */
/*
 * The nucleus console: COM1 at 115200 8N1, mirrored to the VGA text screen,
 * and the leveled log on top of it. Output waits for the UART's transmitter
 * before every byte, so nothing is ever dropped.
 *
 * COM1 may be granted to a user driver (devmgr.c), so after console_init
 * the nucleus only polls LSR and writes THR: it never changes the UART's
 * interrupt enable, line control or FIFO settings, which are the driver's.
 *
 * Entry points: console_init, console_write, kprintf, klog, log_set_level.
 */
#include "nucleus/nucleus.h"
#include "nucleus/x86.h"
#include "lib/c/libc.h"

#define COM1          0x3f8
#define UART_LSR_THRE 0x20
#define VGA_COLS      80
#define VGA_ROWS      25
#define VGA_ATTR      0x0700

/* Console state: the VGA cursor and the log threshold. */
static struct {
	uint16_t *vga;
	int row, col;
	enum log_level level;
} con = {.level = LOG_INFO};

void console_init(void)
{
	outb(COM1 + 1, 0x00); /* no UART interrupts */
	outb(COM1 + 3, 0x80); /* DLAB: set the divisor */
	outb(COM1 + 0, 0x01); /* 115200 baud */
	outb(COM1 + 1, 0x00);
	outb(COM1 + 3, 0x03); /* 8 bits, no parity, one stop bit */
	outb(COM1 + 2, 0xc7); /* FIFO on, cleared */
	outb(COM1 + 4, 0x03); /* DTR, RTS */
	con.vga = P2V(0xb8000);
	for (int i = 0; i < VGA_COLS * VGA_ROWS; i++)
		con.vga[i] = VGA_ATTR | ' ';
}

static void serial_putc(char c)
{
	while (!(inb(COM1 + 5) & UART_LSR_THRE))
		;
	outb(COM1, (uint8_t)c);
}

static void vga_putc(char c)
{
	if (c == '\n') {
		con.col = 0;
		con.row++;
	} else if (c == '\b') {
		if (con.col)
			con.col--;
	} else if (c != '\r') {
		con.vga[con.row * VGA_COLS + con.col] = VGA_ATTR | (uint8_t)c;
		if (++con.col == VGA_COLS) {
			con.col = 0;
			con.row++;
		}
	}
	if (con.row == VGA_ROWS) {
		memmove(con.vga, con.vga + VGA_COLS, (VGA_ROWS - 1) * VGA_COLS * 2);
		for (int i = 0; i < VGA_COLS; i++)
			con.vga[(VGA_ROWS - 1) * VGA_COLS + i] = VGA_ATTR | ' ';
		con.row--;
	}
}

void console_write(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\n')
			serial_putc('\r');
		serial_putc(s[i]);
		if (con.vga)
			vga_putc(s[i]);
	}
}

static void console_sink(void *ctx, const char *s, size_t n)
{
	(void)ctx;
	console_write(s, n);
}

void kprintf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	format(console_sink, NULL, fmt, ap);
	va_end(ap);
}

void log_set_level(enum log_level level)
{
	con.level = level;
}

/* Prints one log line (a newline is added) if level passes the threshold. */
void klog(enum log_level level, const char *fmt, ...)
{
	static const char *const prefix[] = {"error: ", "warning: ", "", "debug: "};
	if (level > con.level)
		return;
	console_write(prefix[level], strlen(prefix[level]));
	va_list ap;
	va_start(ap, fmt);
	format(console_sink, NULL, fmt, ap);
	va_end(ap);
	console_write("\n", 1);
}
