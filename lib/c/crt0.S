/* SPDX-License-Identifier: MIT */
/*
 * Program entry. The nucleus starts the first thread with eax pointing at
 * the argument string (the module's command line) and esp below it, and
 * ebx the id of a door its starter gave it, or -1 (sprig/kobj.h), kept in
 * sprig_start_door; crt_main splits the string into argv, runs main and
 * exits with its status.
 */
	.data
	.globl sprig_start_door
sprig_start_door:
	.long -1

	.text
	.globl _start
_start:
	movl %ebx, sprig_start_door
	xorl %ebp, %ebp
	andl $-16, %esp
	subl $12, %esp
	pushl %eax
	call crt_main
	ud2
