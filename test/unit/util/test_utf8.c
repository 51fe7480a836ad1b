/*
 * test_utf8.c - util/utf8.c: the strict UTF-8 reader, one row per byte
 * sequence (well-formed ones of every length, and every way to be
 * ill-formed: overlong, surrogate, past U+10FFFF, stray continuation,
 * cut short), the whole-string test and the writer.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "util/utf8.h"

/* LIT - a literal with NUL bytes and its real length */
#define LIT(s)	s, sizeof(s) - 1

static const struct seq_row {
	const char *label;
	const char *in;
	size_t len;
	int want;		/* utf8_seq at in[0] */
	uint32_t cp;		/* code point when want > 0 */
} seq_rows[] = {
	{"ASCII", LIT("A"), 1, 'A'},
	{"NUL is ASCII", LIT("\0"), 1, 0},
	{"2 bytes", LIT("\xc3\xa9"), 2, 0xe9},
	{"3 bytes", LIT("\xe2\x82\xac"), 3, 0x20ac},
	{"4 bytes", LIT("\xf0\x9f\x98\x80"), 4, 0x1f600},
	{"lowest 3-byte", LIT("\xe0\xa0\x80"), 3, 0x800},
	{"highest BMP before surrogates", LIT("\xed\x9f\xbf"), 3, 0xd7ff},
	{"U+10FFFF", LIT("\xf4\x8f\xbf\xbf"), 4, 0x10ffff},
	{"overlong 2-byte C0", LIT("\xc0\xaf"), 0, 0},
	{"overlong 2-byte C1", LIT("\xc1\xbf"), 0, 0},
	{"overlong 3-byte", LIT("\xe0\x80\xaf"), 0, 0},
	{"overlong 4-byte", LIT("\xf0\x80\x80\xaf"), 0, 0},
	{"surrogate high", LIT("\xed\xa0\x80"), 0, 0},
	{"surrogate low", LIT("\xed\xbf\xbf"), 0, 0},
	{"past U+10FFFF", LIT("\xf4\x90\x80\x80"), 0, 0},
	{"F5 lead", LIT("\xf5\x80\x80\x80"), 0, 0},
	{"FF byte", LIT("\xff"), 0, 0},
	{"lone continuation", LIT("\x80"), 0, 0},
	{"second byte not continuation", LIT("\xc3\x41"), 0, 0},
	{"third byte not continuation", LIT("\xe2\x82\x41"), 0, 0},
	{"truncated 2-byte", LIT("\xc3"), -1, 0},
	{"truncated 3-byte", LIT("\xe2\x82"), -1, 0},
	{"truncated 4-byte", LIT("\xf0\x9f\x98"), -1, 0},
	{"truncated overlong is bad, not cut", LIT("\xe0\x80"), 0, 0},
};

/* test_seq - every row of the table */
static void
test_seq(void **state)
{
	for (size_t i = 0; i < sizeof(seq_rows) / sizeof(seq_rows[0]); i++) {
		const struct seq_row *r = &seq_rows[i];
		uint32_t cp = 0xdead;
		int got = utf8_seq(r->in, r->len, &cp);

		if (got != r->want)
			fail_msg("row \"%s\": got %d want %d", r->label, got,
			    r->want);
		if (got > 0 && cp != r->cp)
			fail_msg("row \"%s\": code point %x want %x", r->label,
			    (unsigned)cp, (unsigned)r->cp);
	}
	assert_int_equal(utf8_seq("\xc3\xa9", 2, NULL), 2);
}

/* test_valid - whole strings, and the 8-bit flag */
static void
test_valid(void **state)
{
	bool high = true;

	assert_true(utf8_valid(LIT("plain"), &high));
	assert_false(high);
	assert_true(utf8_valid(LIT("caf\xc3\xa9 \xe2\x82\xac"), &high));
	assert_true(high);
	assert_true(utf8_valid("", 0, NULL));
	assert_true(utf8_valid(LIT("a\0b"), NULL));
	/* overlong, surrogate, past U+10FFFF, truncated */
	assert_false(utf8_valid(LIT("a\xc0\xafz"), NULL));
	assert_false(utf8_valid(LIT("a\xed\xa0\x80z"), NULL));
	assert_false(utf8_valid(LIT("a\xf4\x90\x80\x80"), NULL));
	assert_false(utf8_valid(LIT("ab\xe2\x82"), &high));
	assert_true(high);
}

/* test_put - the writer, and what it refuses to write */
static void
test_put(void **state)
{
	struct buf b;

	buf_init(&b);
	utf8_put(&b, 'A');
	utf8_put(&b, 0xe9);
	utf8_put(&b, 0x20ac);
	utf8_put(&b, 0x1f600);
	assert_string_equal(b.s, "A\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80");
	buf_reset(&b);
	utf8_put(&b, 0);
	utf8_put(&b, 0xd800);
	utf8_put(&b, 0x110000);
	assert_string_equal(b.s, "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");
	assert_true(utf8_valid(b.s, b.len, NULL));
	buf_free(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_seq),
		cmocka_unit_test(test_valid),
		cmocka_unit_test(test_put),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
