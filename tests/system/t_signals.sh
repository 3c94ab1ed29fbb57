# SPDX-License-Identifier: MIT
#
# t_signals.sh — futexes and signal upcalls (user/sigtest.c, which signals
# sigchild domains it makes): futex wait and wake, -EAGAIN, timeouts,
# -EFAULT; signals that interrupt a sleep and a futex wait (every register
# kept), reach a busy loop, queue to the limit, arrive after a fast door
# call's reply; a server waiting for a signalled or killed caller gets
# -EINTR; a signal with no stack kills its domain as a fault; hostile
# sigreturn frames never get ring 0, IOPL or a panic. Every frame comes
# back. It runs twice: on the assembly fast path and on its C reference.

signals_boot() {
	boot "$1" --modules "build/user/sigtest.elf" --append "poweroff=idle $2" --timeout 90
	expect '^sigchild sleep: -EINTR, the handler ran, every register kept$'
	expect '^sigchild futex: -EINTR twice'
	expect '^sigchild call: the reply \(42\) came, then the handler ran$'
	expect '^sigchild busy: the loop.s registers kept; 8 handlers ran$'
	expect 'domain stack#[0-9]+ killed: no writable stack for a signal frame at 0x1fd0'
	expect '^sigtest: 27 of 27 checks passed$'
	expect_not 'FAIL'
	expect_not 'panic'
	expect_frames_balanced
	expect_status ok
	verdict "$1"
}

signals_boot signals ""
signals_boot signals_fastpath_c fastpath=c
