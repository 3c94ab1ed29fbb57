/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for buffered stdio (lib/c/stdio.c) over fake descriptors:
 * stdout's line buffering (one write per printf call that ends a line),
 * stderr unbuffered yet one write per fprintf, full buffering, short and
 * failing writes, reading with fgetc/fgets/fread/ungetc and the EOF and
 * error indicators, setvbuf, fdopen/fclose, dprintf, sprintf, perror, and
 * exit flushing what is pending after the atexit handlers ran.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/c/libc.h"
#include "tests/unit/libc_fakes.h"

/* Each test starts with empty descriptors and the standard streams in
 * their usual modes, nothing pending. */
static int setup(void **state)
{
	(void)state;
	fflush(NULL);
	fake_reset();
	clearerr(stdin);
	clearerr(stdout);
	clearerr(stderr);
	assert_int_equal(setvbuf(stdin, NULL, _IOFBF, BUFSIZ), 0);
	assert_int_equal(setvbuf(stdout, NULL, _IOLBF, BUFSIZ), 0);
	assert_int_equal(setvbuf(stderr, NULL, _IONBF, 0), 0);
	return 0;
}

static void test_stdout_is_line_buffered(void **state)
{
	(void)state;
	printf("no newline yet");
	putchar(',');
	fputs(" still", stdout);
	assert_int_equal(fake_writes(1), 0);
	printf(" %d\nand %s\n", 42, "more");
	assert_int_equal(fake_writes(1), 1); /* the call that ended lines: one write */
	assert_string_equal(fake_output(1), "no newline yet, still 42\nand more\n");
	printf("tail");
	assert_int_equal(fake_writes(1), 1);
	fflush(stdout);
	assert_int_equal(fake_writes(1), 2);
	assert_string_equal(fake_output(1), "no newline yet, still 42\nand more\ntail");
	puts("line");
	assert_int_equal(fake_writes(1), 3);
	assert_string_equal(fake_output(1) + strlen(fake_output(1)) - 5, "line\n");
}

static void test_stderr_unbuffered_one_write_per_call(void **state)
{
	(void)state;
	fprintf(stderr, "error %d: %s (%x)\n", 7, "bad thing", 255);
	assert_int_equal(fake_writes(2), 1);
	assert_string_equal(fake_output(2), "error 7: bad thing (ff)\n");
	fputc('x', stderr);
	assert_int_equal(fake_writes(2), 2);
	/* Longer than the stack buffer: still all of it, in order. */
	char big[1000];
	memset(big, 'a', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	fprintf(stderr, "<%s>", big);
	assert_int_equal(fake_output_len(2), 24 + 1 + 1 + 999 + 1);
	assert_int_equal(fake_output(2)[24 + 1 + 1 + 999], '>');
}

static void test_full_buffering_and_large_writes(void **state)
{
	(void)state;
	static char buf[64];
	assert_int_equal(setvbuf(stdout, buf, _IOFBF, sizeof buf), 0);
	printf("line one\nline two\n");
	assert_int_equal(fake_writes(1), 0);
	char data[200];
	for (int i = 0; i < 200; i++)
		data[i] = (char)('a' + i % 26);
	assert_int_equal(fwrite(data, 1, 200, stdout), 200);
	assert_true(fake_writes(1) >= 1);
	fflush(stdout);
	assert_int_equal(fake_output_len(1), 18 + 200);
	assert_memory_equal(fake_output(1) + 18, data, 200);
	/* Elements: fwrite counts whole ones. */
	assert_int_equal(fwrite(data, 10, 3, stdout), 3);
	assert_int_equal(fwrite(data, 0, 3, stdout), 0);
	fflush(stdout);
	assert_int_equal(fake_output_len(1), 18 + 230);
}

static void test_short_and_failing_writes(void **state)
{
	(void)state;
	fake_write_max = 3; /* the descriptor takes 3 bytes a call */
	printf("hello, world\n");
	assert_string_equal(fake_output(1), "hello, world\n");
	assert_int_equal(fake_writes(1), 5);
	assert_false(ferror(stdout));
	fake_write_max = 0;
	fake_write_fail = 1;
	assert_int_equal(printf("lost\n"), -1);
	assert_true(ferror(stdout));
	assert_int_equal(fputs("x\n", stdout), EOF);
	clearerr(stdout);
	assert_false(ferror(stdout));
	fake_write_fail = 0;
	assert_int_equal(printf("back\n"), 5);
	assert_string_equal(fake_output(1), "hello, world\nback\n");
}

static const char text[] = "first line\nsecond\n\nlast without newline";

static void test_reading_lines_and_bytes(void **state)
{
	(void)state;
	char line[64];
	fake_input(0, text, sizeof text - 1);
	fake_read_max = 7; /* reads come back short */
	assert_int_equal(getchar(), 'f');
	assert_int_equal(ungetc('F', stdin), 'F');
	assert_ptr_equal(fgets(line, sizeof line, stdin), line);
	assert_string_equal(line, "First line\n");
	assert_non_null(fgets(line, 4, stdin)); /* at most size - 1 bytes */
	assert_string_equal(line, "sec");
	assert_non_null(fgets(line, sizeof line, stdin));
	assert_string_equal(line, "ond\n");
	assert_non_null(fgets(line, sizeof line, stdin));
	assert_string_equal(line, "\n");
	assert_non_null(fgets(line, sizeof line, stdin));
	assert_string_equal(line, "last without newline");
	assert_true(feof(stdin));
	assert_null(fgets(line, sizeof line, stdin));
	assert_int_equal(fgetc(stdin), EOF);
	/* End-of-file stays until cleared, even when more input arrives. */
	fake_input(0, "more", 4);
	assert_int_equal(getc(stdin), EOF);
	clearerr(stdin);
	assert_int_equal(getc(stdin), 'm');
	assert_false(ferror(stdin));
}

static void test_fread_buffered_and_direct(void **state)
{
	(void)state;
	static char data[5000], got[5000];
	for (int i = 0; i < 5000; i++)
		data[i] = (char)(i * 31);
	fake_input(0, data, sizeof data);
	assert_int_equal(fread(got, 1, 10, stdin), 10);         /* through the buffer */
	assert_int_equal(fread(got + 10, 10, 400, stdin), 400); /* mostly direct */
	assert_int_equal(fread(got + 4010, 1, 2000, stdin), 990);
	assert_true(feof(stdin));
	assert_memory_equal(got, data, sizeof data);
	assert_int_equal(fread(got, 1, 1, stdin), 0);
}

static void test_read_error_and_prompt_flush(void **state)
{
	(void)state;
	printf("name? ");
	assert_int_equal(fake_writes(1), 0);
	fake_read_fail = 1;
	assert_int_equal(getchar(), EOF);
	assert_string_equal(fake_output(1), "name? "); /* shown before reading */
	assert_true(ferror(stdin));
	assert_false(feof(stdin));
	/* A stream opened for reading only refuses writes. */
	assert_int_equal(fputc('x', stdin), EOF);
	assert_int_equal(getc(stdout), EOF);
}

static void test_setvbuf_unbuffered_and_bad_mode(void **state)
{
	(void)state;
	assert_int_equal(setvbuf(stdout, NULL, _IONBF, 0), 0);
	printf("a");
	printf("b\n");
	assert_int_equal(fake_writes(1), 2);
	assert_int_equal(setvbuf(stdout, NULL, 99, 0), EOF);
	fake_input(0, "xyz", 3);
	assert_int_equal(setvbuf(stdin, NULL, _IONBF, 0), 0);
	assert_int_equal(getchar(), 'x');
	assert_int_equal(getchar(), 'y');
	assert_int_equal(fake_reads(0), 2); /* one byte a read */
}

static void test_fdopen_fclose(void **state)
{
	(void)state;
	errno = 0;
	assert_null(fdopen(5, "q"));
	assert_int_equal(errno, EINVAL);
	FILE *f = fdopen(5, "w");
	assert_non_null(f);
	assert_int_equal(fileno(f), 5);
	fprintf(f, "to five %d\n", 5);
	assert_int_equal(fake_writes(5), 0); /* fully buffered */
	assert_int_equal(fclose(f), 0);
	assert_string_equal(fake_output(5), "to five 5\n");
	assert_true(fake_closed(5));

	fake_input(6, "in six", 6);
	FILE *g = fdopen(6, "r+");
	char buf[16];
	assert_non_null(fgets(buf, sizeof buf, g));
	assert_string_equal(buf, "in six");
	fputs("out", g); /* switching to writing drops the read-ahead */
	assert_int_equal(fflush(g), 0);
	assert_string_equal(fake_output(6), "out");
	assert_int_equal(fclose(g), 0);

	FILE *h = fdopen(7, "a");
	fputs("pending", h);
	assert_int_equal(fflush(NULL), 0); /* every stream */
	assert_string_equal(fake_output(7), "pending");
	fclose(h);
}

static void test_dprintf_sprintf_perror(void **state)
{
	(void)state;
	assert_int_equal(dprintf(3, "fd %d says %s\n", 3, "hi"), 13);
	assert_int_equal(fake_writes(3), 1);
	assert_string_equal(fake_output(3), "fd 3 says hi\n");
	char buf[32];
	assert_int_equal(sprintf(buf, "%05d|%-3s|%c", 42, "a", 'z'), 11);
	assert_string_equal(buf, "00042|a  |z");
	assert_int_equal(snprintf(buf, 4, "%s", "truncated"), 9);
	assert_string_equal(buf, "tru");
	errno = ENOENT;
	perror("open x");
	assert_string_equal(fake_output(2), "open x: no such file or object\n");
	assert_int_equal(fake_writes(2), 1);
}

static void say_goodbye(void)
{
	printf("bye from atexit\n");
	printf("unfinished");
}

static void exit_with_pending_output(void)
{
	atexit(say_goodbye);
	printf("pending");
	exit(3);
}

static void test_exit_runs_atexit_and_flushes(void **state)
{
	(void)state;
	assert_int_equal(fake_catch_exit(exit_with_pending_output), 3);
	assert_string_equal(fake_output(1), "pendingbye from atexit\nunfinished");
}

static void abort_now(void)
{
	printf("lost");
	abort();
}

static void test_abort_does_not_flush(void **state)
{
	(void)state;
	assert_int_equal(fake_catch_exit(abort_now), 134);
	assert_string_equal(fake_output(1), "");
	assert_non_null(strstr(fake_output(2), "abort"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test_setup(test_stdout_is_line_buffered, setup),
	        cmocka_unit_test_setup(test_stderr_unbuffered_one_write_per_call, setup),
	        cmocka_unit_test_setup(test_full_buffering_and_large_writes, setup),
	        cmocka_unit_test_setup(test_short_and_failing_writes, setup),
	        cmocka_unit_test_setup(test_reading_lines_and_bytes, setup),
	        cmocka_unit_test_setup(test_fread_buffered_and_direct, setup),
	        cmocka_unit_test_setup(test_read_error_and_prompt_flush, setup),
	        cmocka_unit_test_setup(test_setvbuf_unbuffered_and_bad_mode, setup),
	        cmocka_unit_test_setup(test_fdopen_fclose, setup),
	        cmocka_unit_test_setup(test_dprintf_sprintf_perror, setup),
	        cmocka_unit_test_setup(test_exit_runs_atexit_and_flushes, setup),
	        cmocka_unit_test_setup(test_abort_does_not_flush, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
