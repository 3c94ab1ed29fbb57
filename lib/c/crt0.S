/* SPDX-License-Identifier: MIT */
/*
 * Program entry. The nucleus starts the first thread with eax pointing at
 * the argument string (the module's command line) and esp below it; crt_main
 * splits it into argv, runs main and exits with its status.
 */
	.text
	.globl _start
_start:
	xorl %ebp, %ebp
	andl $-16, %esp
	subl $12, %esp
	pushl %eax
	call crt_main
	ud2
