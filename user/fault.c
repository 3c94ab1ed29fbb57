/* SPDX-License-Identifier: MIT */
/*
 * fault KIND: does one thing a user program must not do, so that the nucleus
 * kills this domain and only this domain. KIND is one of: null, kernel,
 * write-text, divide, ud, gp, port, fpu, breakpoint, stack, wild-jump.
 */
#include "lib/c/libc.h"

/* Recurses until the stack region (1 MiB) runs out; depth stops it in
 * principle, which keeps the compiler from calling it infinite. */
static int recurse(int n, int depth)
{
	volatile char pad[1024];
	pad[0] = (char)n;
	if (depth == 0)
		return pad[0];
	return recurse(n + 1, depth - 1) + pad[0];
}

int main(int argc, char **argv);

static void do_fault(const char *kind)
{
	volatile int zero = 0;
	if (!strcmp(kind, "null"))
		printf("%d\n", *(volatile int *)0);
	else if (!strcmp(kind, "kernel"))
		printf("%d\n", *(volatile int *)0xC0100000);
	else if (!strcmp(kind, "write-text"))
		*(volatile char *)(uintptr_t)main = 0;
	else if (!strcmp(kind, "divide"))
		__asm__ volatile("cltd; idivl %1" : : "a"(1), "r"(zero) : "edx");
	else if (!strcmp(kind, "ud"))
		__asm__ volatile("ud2");
	else if (!strcmp(kind, "gp"))
		__asm__ volatile("cli");
	else if (!strcmp(kind, "port"))
		__asm__ volatile("outb %%al, $0x80" : : "a"(0));
	else if (!strcmp(kind, "fpu"))
		__asm__ volatile("fld1");
	else if (!strcmp(kind, "breakpoint"))
		__asm__ volatile("int3");
	else if (!strcmp(kind, "stack"))
		recurse(0, 1 << 30);
	else if (!strcmp(kind, "wild-jump"))
		((void (*)(void))0xdeadbeef)();
	else
		printf("fault: unknown kind '%s'\n", kind);
}

int main(int argc, char **argv)
{
	const char *kind = argc > 1 ? argv[1] : "null";
	printf("fault: about to do '%s'\n", kind);
	do_fault(kind);
	printf("fault: '%s' did not fault\n", kind);
	return 1;
}
