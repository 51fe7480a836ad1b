/*
 * test_fields.c - unit tests of milter/parse/fields.c: the "Name: value"
 * lines of report bodies (folding, cuts, floods of fields), the value
 * cleaner row by row, and the cheap "reads like a report" test.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "parse/fields.h"

/* test_fields_long_folded - folded lines stop growing a value at the cut */
static void
test_fields_long_folded(void **state)
{
	struct buf in;
	struct kvlist kl;

	buf_init(&in);
	buf_puts(&in, "Reported-URI: x\n");
	for (size_t i = 0; i < 5000; i++)
		buf_puts(&in, " yy\n");
	buf_puts(&in, "Source-IP: 192.0.2.2\n");
	kvlist_init(&kl);
	assert_int_equal(fields_split(in.s, in.len, &kl), 2);
	/* "x" then " yy" per folded line: 4096 = 1 + 3 * 1365, the cut
	 * falls after a 'y' */
	assert_true(strncmp(kvlist_get(&kl, "Reported-URI"), "x yy yy", 7) == 0);
	assert_int_equal(strlen(kvlist_get(&kl, "Reported-URI")), FIELDS_VALUE_MAX);
	assert_string_equal(kvlist_get(&kl, "Source-IP"), "192.0.2.2");
	kvlist_free(&kl);
	buf_free(&in);
}

/* test_fields_many_fields - a flood of fields stops at FIELDS_MAX */
static void
test_fields_many_fields(void **state)
{
	struct buf in;
	struct kvlist kl;

	buf_init(&in);
	for (size_t i = 0; i < 1000; i++)
		buf_printf(&in, "X-F%zu: %zu\n", i, i);
	kvlist_init(&kl);
	assert_int_equal(fields_split(in.s, in.len, &kl), FIELDS_MAX);
	assert_int_equal(kl.n, FIELDS_MAX);
	assert_string_equal(kl.v[0].key, "X-F0");
	kvlist_free(&kl);
	buf_free(&in);
}

/* test_fields_clean_value - the value sanitiser, row by row */
static void
test_fields_clean_value(void **state)
{
	static const struct {
		const char *label, *in;
		size_t len;
		const char *want;
	} t[] = {
		{"trim", "  a b \t", 0, "a b"},
		{"controls", "a\tb\rc\x01" "d\x7f", 0, "a b c d"},
		/* C1 (NEL, CSI) as well: a terminal reads U+009B as ESC [ */
		{"C1 controls", "a\xc2\x85" "b\xc2\x9b" "c", 0, "a b c"},
		{"NUL inside", "a\0b", 3, "a b"},
		{"only blanks", " \t ", 0, ""},
		{"valid 2/3/4-byte UTF-8", "\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80", 0,
		    "\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80"},
		{"overlong", "\xc0\xaf", 0, "??"},
		{"surrogate", "\xed\xa0\x80", 0, "???"},
		{"past U+10FFFF", "\xf4\x90\x80\x80", 0, "????"},
		{"cut sequence at end", "ab\xe2\x82", 0, "ab??"},
		{"lone continuation", "\x80x", 0, "?x"},
	};

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		size_t n = t[i].len ? t[i].len : strlen(t[i].in);
		char *got = fields_clean_value(t[i].in, n);

		if (strcmp(got, t[i].want) != 0)
			fail_msg("row \"%s\": got \"%s\" want \"%s\"", t[i].label,
			    got, t[i].want);
		free(got);
	}
}

/* test_fields_clean_cut - a cut never splits a UTF-8 character */
static void
test_fields_clean_cut(void **state)
{
	struct buf in;
	char *got;

	buf_init(&in);
	buf_putc(&in, 'x');
	for (size_t i = 0; i < FIELDS_VALUE_MAX; i++)
		buf_puts(&in, "\xc3\xa9");
	got = fields_clean_value(in.s, in.len);
	/* 1 + 2k bytes fit: the last whole character ends before the limit */
	assert_int_equal(strlen(got), FIELDS_VALUE_MAX - 1);
	free(got);
	buf_free(&in);
}

/* test_fields_line_has_key - the cheap report sniffing */
static void
test_fields_line_has_key(void **state)
{
	const char *d = "Hello\nfeedback-type  : abuse\nX: y";

	assert_true(fields_line_has_key(d, strlen(d), "Feedback-Type"));
	assert_true(fields_line_has_key(d, strlen(d), "X"));
	assert_false(fields_line_has_key(d, strlen(d), "Hello"));
	assert_false(fields_line_has_key(d, 8, "Feedback-Type"));
	assert_false(fields_line_has_key("Feedback-Typed: x", 17, "Feedback-Type"));
	assert_false(fields_line_has_key("", 0, "X"));
}

/* test_fields_unquote - YAML quotes go, inner blanks are trimmed, a
 * lone or mismatched quote stays */
static void
test_fields_unquote(void **state)
{
	static const char *const t[][2] = {
		{"\"a b\"", "a b"}, {"' x '", "x"}, {"\"", "\""},
		{"\"a'", "\"a'"}, {"\"\"", ""}, {"plain", "plain"},
	};
	struct kvlist kl;

	kvlist_init(&kl);
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		kvlist_add(&kl, "k", t[i][0]);
	fields_unquote(&kl);
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		assert_string_equal(kl.v[i].val, t[i][1]);
	kvlist_free(&kl);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fields_long_folded),
		cmocka_unit_test(test_fields_many_fields),
		cmocka_unit_test(test_fields_clean_value),
		cmocka_unit_test(test_fields_clean_cut),
		cmocka_unit_test(test_fields_line_has_key),
		cmocka_unit_test(test_fields_unquote),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
