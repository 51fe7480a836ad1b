/*
 * test_echo.c - unit tests of milter/reply/echo.c: a table of texts a
 * complaint may carry in its Subject or display name and what a reply
 * may repeat of them (links, addresses and host names gone, ordinary
 * words, IP addresses and case ids kept, the cut at REPLY_ECHO_MAX
 * characters).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "reply/echo.h"
#include "util/util.h"

/* test_rows - input and the text a reply may repeat */
static void
test_rows(void **state)
{
	static const struct {
		const char *in, *want;
	} rows[] = {
		{ "Cheap pills at http://pills.example/buy",
		  "Cheap pills at" },
		{ "Cheap pills at pills.example", "Cheap pills at" },
		{ "Visit www.pills.example now!", "Visit now!" },
		{ "visit (pills.example/buy).", "visit" },
		{ "mail victim@third.example today", "mail today" },
		{ "<victim@third.example>", "" },
		{ "hxxps://defanged.example", "" },
		{ "SSH brute force from 203.0.113.77 [Ticket#RS-70417]",
		  "SSH brute force from 203.0.113.77 [Ticket#RS-70417]" },
		{ "Version 2.0 of v1.2", "Version 2.0 of v1.2" },
		{ "i.e. e.g. U.S.", "i.e. e.g. U.S." },
		{ "Jane Doe", "Jane Doe" },
		{ "Urheberrechtsverletzung \xc3\xbc", "Urheberrechtsverletzung \xc3\xbc" },
		{ "shop.xn--p1ai and \xd0\xbf.\xd1\x80\xd1\x84", "and" },
		{ "a\r\nBcc: evil@x.example", "a Bcc:" },
		{ "  spaced \t out  ", "spaced out" },
		{ "", "" },
	};
	char *got;

	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		got = reply_echo_clean(rows[i].in);
		if (strcmp(got, rows[i].want) != 0)
			fail_msg("'%s': got '%s'", rows[i].in, got);
		free(got);
	}
	got = reply_echo_clean(NULL);
	assert_string_equal(got, "");
	free(got);
}

/* count_chars - code points of well-formed UTF-8 */
static size_t
count_chars(const char *s)
{
	size_t n = 0;

	for (; *s != '\0'; s++)
		n += ((unsigned char)*s & 0xc0) != 0x80;
	return n;
}

/* test_cut - long texts end at a blank near the limit, with "...";
 * a word longer than the limit is cut inside, never inside a character */
static void
test_cut(void **state)
{
	struct buf b;
	char *got;

	buf_init(&b);
	while (b.len < 300)
		buf_puts(&b, "word ");
	got = reply_echo_clean(b.s);
	assert_true(count_chars(got) <= REPLY_ECHO_MAX + 3);
	assert_true(count_chars(got) >= REPLY_ECHO_MAX - 20);
	assert_string_equal(got + strlen(got) - 7, "word...");
	free(got);
	buf_reset(&b);
	while (b.len < 300)
		buf_puts(&b, "\xc3\xa4");	/* one long word of 2-byte chars */
	got = reply_echo_clean(b.s);
	assert_int_equal(count_chars(got), REPLY_ECHO_MAX + 3);
	assert_int_equal(strlen(got), 2 * REPLY_ECHO_MAX + 3);
	free(got);
	buf_reset(&b);
	while (count_chars(b.s) < REPLY_ECHO_MAX)
		buf_puts(&b, "x");
	got = reply_echo_clean(b.s);	/* exactly the limit: not cut */
	assert_string_equal(got, b.s);
	free(got);
	buf_free(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rows),
		cmocka_unit_test(test_cut),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
