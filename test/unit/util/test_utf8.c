/*
 * test_utf8.c - util/utf8.c: the strict UTF-8 reader, one row per byte
 * sequence (well-formed ones of every length, and every way to be
 * ill-formed: overlong, surrogate, past U+10FFFF, stray continuation,
 * cut short), the whole-string test, the writer, where to cut without
 * splitting a character, and the one cleaner of text for a line.
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

static const struct cut_row {
	const char *label;
	const char *in;
	size_t len;
	size_t max;
	size_t want;		/* utf8_cut */
} cut_rows[] = {
	{"short: all of it", LIT("abc"), 10, 3},
	{"exact fit", LIT("abc"), 3, 3},
	{"ASCII cut", LIT("abcdef"), 4, 4},
	{"2 bytes not split", LIT("a\xc3\xa9z"), 2, 1},
	{"2 bytes end at the cut", LIT("a\xc3\xa9z"), 3, 3},
	{"3 bytes, cut after 1", LIT("\xe2\x82\xacz"), 1, 0},
	{"3 bytes, cut after 2", LIT("\xe2\x82\xacz"), 2, 0},
	{"4 bytes, cut after 3", LIT("a\xf0\x9f\x98\x80z"), 4, 1},
	{"4 bytes end at the cut", LIT("a\xf0\x9f\x98\x80z"), 5, 5},
	{"stray continuation bytes: no step", LIT("a\x80\x80\x80\x80z"), 3, 3},
	{"ill-formed lead: no step", LIT("a\xc0\xafz"), 2, 2},
	{"well-formed until the end", LIT("ab\xe2\x82"), 3, 2},
	{"max 0", LIT("abc"), 0, 0},
};

/* test_cut - every row of the table above */
static void
test_cut(void **state)
{
	for (size_t i = 0; i < sizeof(cut_rows) / sizeof(cut_rows[0]); i++) {
		const struct cut_row *r = &cut_rows[i];
		size_t got = utf8_cut(r->in, r->len, r->max);

		if (got != r->want)
			fail_msg("row \"%s\": got %zu want %zu", r->label, got,
			    r->want);
	}
}

static const struct clean_row {
	const char *label;
	const char *in;
	size_t len;
	size_t max;
	const char *bad;
	const char *want;
	bool cut;
} clean_rows[] = {
	{"plain", LIT("hello"), 100, UTF8_REPLACEMENT, "hello", false},
	{"C0 controls", LIT("a\r\nb\tc\x1b"), 100, "?", "a  b c ", false},
	{"NUL", LIT("a\0b"), 100, "?", "a b", false},
	{"DEL and C1", LIT("a\x7f\xc2\x85\xc2\x9bz"), 100, "?", "a   z", false},
	{"valid kept", LIT("\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80"), 100, "?",
	    "\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80", false},
	{"bad byte as U+FFFD", LIT("a\x80z"), 100, UTF8_REPLACEMENT,
	    "a\xef\xbf\xbdz", false},
	{"bad bytes as ?", LIT("\xed\xa0\x80"), 100, "?", "???", false},
	{"truncated at the end", LIT("ab\xe2\x82"), 100, "?", "ab??", false},
	{"exact fit", LIT("abc"), 3, "?", "abc", false},
	{"cut", LIT("abcdef"), 4, "?", "abcd", true},
	{"cut before a character", LIT("ab\xc3\xbc"), 3, "?", "ab", true},
	{"cut before a replacement", LIT("ab\x80"), 4, UTF8_REPLACEMENT, "ab",
	    true},
	{"max 0", LIT("a"), 0, "?", "", true},
};

/* test_clean - every row of the table above, appended to what out held */
static void
test_clean(void **state)
{
	struct buf b;

	buf_init(&b);
	for (size_t i = 0; i < sizeof(clean_rows) / sizeof(clean_rows[0]); i++) {
		const struct clean_row *r = &clean_rows[i];
		bool cut;

		buf_reset(&b);
		buf_puts(&b, ">");
		cut = utf8_clean(&b, r->in, r->len, r->max, r->bad);
		if (strcmp(b.s + 1, r->want) != 0 || cut != r->cut)
			fail_msg("row \"%s\": got \"%s\" cut %d", r->label,
			    b.s + 1, cut);
		assert_true(utf8_valid(b.s, b.len, NULL));
	}
	buf_free(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_seq),
		cmocka_unit_test(test_valid),
		cmocka_unit_test(test_put),
		cmocka_unit_test(test_cut),
		cmocka_unit_test(test_clean),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
