# SPDX-License-Identifier: MIT
#
# t_libc.sh — the C library in the booted system (user/libctest.c): malloc
# over the nucleus's vm_alloc, stdio to the console, qsort, the environment;
# exit runs the atexit handler and flushes a fully buffered stdout; every
# frame comes back.

boot libc --modules build/user/libctest.elf --append poweroff=idle
expect_count 7 '^libctest: PASS '
expect_not 'libctest: FAIL'
expect '^libctest: to stderr, unbuffered$'
expect_order '^libctest: buffered until exit$' '^libctest: atexit handler ran; all passed$'
expect_order '^libctest: to stderr, unbuffered$' '^libctest: buffered until exit$'
expect 'domain libctest#1 exited with status 0'
expect_frames_balanced
expect_status ok
verdict libc
