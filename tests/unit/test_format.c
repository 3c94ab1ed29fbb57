/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for Sprig's printf-style formatting (lib/c/format.c): every
 * conversion, the flags, width and precision, the length modifiers, and
 * snprintf's truncation contract. HOST_CFLAGS renames snprintf and format to
 * sprig_snprintf and sprig_format, so the calls below reach Sprig's code,
 * not the host C library's.
 */
#include "tests/unit/host.h"
#include "lib/c/libc.h"

#include <limits.h>
#include <string.h>

#define CANARY 0x7e

static char out[128];

/* Formats into out with Sprig's snprintf; returns its result. */
#define FMT(...) snprintf(out, sizeof out, __VA_ARGS__)

/* Expects exactly `want` (out is refilled with canaries first, so a missing
 * terminator shows) and a return value of its length. */
#define CHECK(want, ...)                                                                           \
	do {                                                                                       \
		memset(out, CANARY, sizeof out);                                                   \
		int n_ = FMT(__VA_ARGS__);                                                         \
		assert_string_equal(out, want);                                                    \
		assert_int_equal(n_, strlen(want));                                                \
	} while (0)

struct collected {
	char text[64];
	size_t len;
};

static void collect(void *ctx, const char *s, size_t n)
{
	struct collected *c = ctx;
	assert_true(c->len + n < sizeof c->text);
	memcpy(c->text + c->len, s, n);
	c->len += n;
}

/* format() straight into a sink, as the nucleus log uses it. */
static int format_to(struct collected *c, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = format(collect, c, fmt, ap);
	va_end(ap);
	return n;
}

static void test_plain_text_and_percent(void **state)
{
	(void)state;
	CHECK("hello", "hello");
	CHECK("100%", "100%%");
	CHECK("%d", "%%d");
}

static void test_signed_decimal(void **state)
{
	(void)state;
	CHECK("42", "%d", 42);
	CHECK("-7", "%i", -7);
	CHECK("0", "%d", 0);
	CHECK("2147483647", "%d", INT_MAX);
	CHECK("-2147483648", "%d", INT_MIN);
	CHECK("-1 2 -3", "%d %i %d", -1, 2, -3);
}

static void test_unsigned_hex_octal(void **state)
{
	(void)state;
	CHECK("4294967295", "%u", UINT_MAX);
	CHECK("deadbeef", "%x", 0xdeadbeefu);
	CHECK("DEADBEEF", "%X", 0xdeadbeefu);
	CHECK("0", "%x", 0u);
	CHECK("755", "%o", 0755u);
	CHECK("37777777777", "%o", UINT_MAX);
}

static void test_pointer(void **state)
{
	(void)state;
	CHECK("0x1234", "%p", (void *)0x1234);
	CHECK("0xc0100000", "%p", (void *)0xc0100000u);
}

static void test_string_and_char(void **state)
{
	(void)state;
	CHECK("abc", "%s", "abc");
	CHECK("[]", "[%s]", "");
	CHECK("x", "%c", 'x');
	CHECK("a-b", "%c%c%c", 'a', '-', 'b');
	CHECK("is 3 ok", "%s %d %s", "is", 3, "ok");
}

static void test_null_string_prints_null(void **state)
{
	(void)state;
	const char *volatile nothing = NULL; /* hidden from -Wformat-overflow */
	CHECK("(null)", "%s", nothing);
}

static void test_width_right_aligns(void **state)
{
	(void)state;
	CHECK("   42", "%5d", 42);
	CHECK("  -42", "%5d", -42);
	CHECK("   ab", "%5s", "ab");
	CHECK("    x", "%5c", 'x');
	CHECK("123456", "%3d", 123456); /* width is a minimum */
}

static void test_minus_left_aligns(void **state)
{
	(void)state;
	CHECK("42   |", "%-5d|", 42);
	CHECK("ab   |", "%-5s|", "ab");
	CHECK("ff  |", "%-4x|", 0xffu);
}

static void test_zero_pads_after_sign(void **state)
{
	(void)state;
	CHECK("00042", "%05d", 42);
	CHECK("-0042", "%05d", -42);
	CHECK("0000beef", "%08x", 0xbeefu);
	CHECK("0x0000ff", "%#08x", 0xffu);
}

static void test_precision_on_strings(void **state)
{
	(void)state;
	const char unterminated[3] = {'a', 'b', 'c'};
	CHECK("ab", "%.2s", "abcdef");
	CHECK("", "%.0s", "abcdef");
	CHECK("abc", "%.10s", "abc");
	CHECK("   ab", "%5.2s", "abcdef");
	CHECK("ab   |", "%-5.2s|", "abcdef");
	CHECK("abc", "%.3s", unterminated); /* reads no further than 3 */
}

static void test_precision_on_numbers(void **state)
{
	(void)state;
	CHECK("00042", "%.5d", 42);
	CHECK("-007", "%.3d", -7);
	CHECK("     007", "%8.3d", 7);
	CHECK("", "%.0d", 0);
	CHECK("00ff", "%.4x", 0xffu);
}

/* Flags that C says to ignore; the compiler warns about them, rightly, when
 * snprintf's format attribute is in force, so the warning is off here. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat"
#pragma GCC diagnostic ignored "-Wformat-zero-length"
static void test_ignored_flags_and_empty_format(void **state)
{
	(void)state;
	CHECK("", "");
	CHECK("42   |", "%-05d|", 42);  /* '-' beats '0' */
	CHECK("     007", "%08.3d", 7); /* a precision turns '0' off */
}
#pragma GCC diagnostic pop

static void test_star_width_and_precision(void **state)
{
	(void)state;
	CHECK("   42", "%*d", 5, 42);
	CHECK("42   |", "%*d|", -5, 42); /* negative width means '-' */
	CHECK("ab", "%.*s", 2, "abc");
	CHECK("  007", "%*.*d", 5, 3, 7);
}

static void test_plus_and_space_flags(void **state)
{
	(void)state;
	CHECK("+5", "%+d", 5);
	CHECK("-5", "%+d", -5);
	CHECK(" 5", "% d", 5);
	CHECK("0xff", "%#x", 0xffu);
	CHECK("0XFF", "%#X", 0xffu);
}

static void test_long_long(void **state)
{
	(void)state;
	CHECK("-9223372036854775808", "%lld", LLONG_MIN);
	CHECK("9223372036854775807", "%lld", LLONG_MAX);
	CHECK("18446744073709551615", "%llu", ULLONG_MAX);
	CHECK("123456789abcdef0", "%llx", 0x123456789abcdef0ull);
	CHECK("1099511627776 5", "%lld %d", 1ll << 40, 5); /* 64 bits consumed */
	CHECK("5 1099511627776", "%d %llu", 5, 1ull << 40);
}

static void test_long_and_size(void **state)
{
	(void)state;
	CHECK("-123456", "%ld", -123456l);
	CHECK("4294967295", "%lu", 4294967295ul);
	CHECK("123 x", "%zu %c", (size_t)123, 'x');
	CHECK("0", "%zu", (size_t)0);
}

static void test_h_modifier_narrows(void **state)
{
	(void)state;
	signed char byte = -1;
	CHECK("ff", "%hhx", byte);
	CHECK("-1", "%hd", 65535);
	CHECK("5", "%hu", 65536 + 5);
}

static void test_truncation_returns_full_length(void **state)
{
	(void)state;
	char small[8];
	memset(small, CANARY, sizeof small);
	assert_int_equal(snprintf(small, 5, "%s", "abcdefgh"), 8);
	assert_string_equal(small, "abcd");
	assert_int_equal(small[5], CANARY); /* nothing written past size */
	assert_int_equal(snprintf(small, 4, "%8d", 1), 8);
	assert_string_equal(small, "   ");
	assert_int_equal(snprintf(small, 1, "xyz"), 3);
	assert_string_equal(small, "");
	assert_int_equal(snprintf(small, 6, "%d", -12345), 6);
	assert_string_equal(small, "-1234");
}

static void test_size_zero_writes_nothing(void **state)
{
	(void)state;
	char small[4];
	memset(small, CANARY, sizeof small);
	assert_int_equal(snprintf(small, 0, "%s", "abc"), 3);
	for (size_t i = 0; i < sizeof small; i++)
		assert_int_equal(small[i], CANARY);
	assert_int_equal(snprintf(NULL, 0, "%d", 12345), 5);
}

static void test_exact_fit(void **state)
{
	(void)state;
	char small[4];
	assert_int_equal(snprintf(small, sizeof small, "abc"), 3);
	assert_string_equal(small, "abc");
}

static void test_format_to_sink_counts_what_it_emits(void **state)
{
	(void)state;
	struct collected c = {{0}, 0};
	int n = format_to(&c, "a%5db%-3sc%%", 7, "x");
	assert_int_equal(n, (int)c.len);
	c.text[c.len] = '\0';
	assert_string_equal(c.text, "a    7bx  c%");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_plain_text_and_percent),
	        cmocka_unit_test(test_signed_decimal),
	        cmocka_unit_test(test_unsigned_hex_octal),
	        cmocka_unit_test(test_pointer),
	        cmocka_unit_test(test_string_and_char),
	        cmocka_unit_test(test_null_string_prints_null),
	        cmocka_unit_test(test_width_right_aligns),
	        cmocka_unit_test(test_minus_left_aligns),
	        cmocka_unit_test(test_zero_pads_after_sign),
	        cmocka_unit_test(test_precision_on_strings),
	        cmocka_unit_test(test_precision_on_numbers),
	        cmocka_unit_test(test_ignored_flags_and_empty_format),
	        cmocka_unit_test(test_star_width_and_precision),
	        cmocka_unit_test(test_plus_and_space_flags),
	        cmocka_unit_test(test_long_long),
	        cmocka_unit_test(test_long_and_size),
	        cmocka_unit_test(test_h_modifier_narrows),
	        cmocka_unit_test(test_truncation_returns_full_length),
	        cmocka_unit_test(test_size_zero_writes_nothing),
	        cmocka_unit_test(test_exact_fit),
	        cmocka_unit_test(test_format_to_sink_counts_what_it_emits),
	};
	return cmocka_run_group_tests_name("format", tests, NULL, NULL);
}
