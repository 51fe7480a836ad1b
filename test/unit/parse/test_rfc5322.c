/*
 * test_rfc5322.c - unit tests of milter/parse/rfc5322.c: the addr-spec and
 * msg-id grammar, address extraction (strict and lenient, on one table
 * of tricky inputs), text cleaning, and the header writer (RFC 2047
 * encoding and folding), including hostile input.
 *
 * The header writer is checked two ways: exact output for short rows
 * worked out by hand, and for long or hostile input by properties every
 * output must have (printable ASCII, lines <= 78, folded lines start
 * with a space) plus decoding it back with an independent decoder.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "parse/rfc5322.h"

struct valid_row {
	const char *label;
	const char *input;
	bool want;
};

static const struct valid_row addr_rows[] = {
	{ "plain", "abuse@example.org", true },
	{ "dots and plus", "first.last+tag@mail.example.co.uk", true },
	{ "atext specials", "a!#$%&'*/=?^_`{|}~-@x.y", true },
	{ "template-looking local part", "$TO$@example.org", true },
	{ "quoted local part", "\"john doe\"@example.org", true },
	{ "quoted pair", "\"a\\\"b\"@example.org", true },
	{ "domain literal", "x@[192.0.2.1]", true },
	{ "single-label domain", "root@localhost", true },
	{ "empty", "", false },
	{ "no at", "abuse.example.org", false },
	{ "two ats", "a@b@c", false },
	{ "empty local", "@example.org", false },
	{ "empty domain", "abuse@", false },
	{ "leading dot", ".a@example.org", false },
	{ "double dot", "a..b@example.org", false },
	{ "trailing dot domain", "a@example.org.", false },
	{ "space", "a b@example.org", false },
	{ "angle brackets", "<a@example.org>", false },
	{ "display name", "A <a@example.org>", false },
	{ "CR LF injection", "a@example.org\r\nBcc: evil@x", false },
	{ "LF in domain", "a@exa\nmple.org", false },
	{ "comma list", "a@x.org,b@y.org", false },
	{ "unterminated quote", "\"abc@example.org", false },
	{ "CR in quotes", "\"a\rb\"@example.org", false },
	{ "bad literal", "a@[1.2\n.3.4]", false },
	{ "non-ASCII", "m\xc3\xbcller@example.org", false },
	{ "leading hyphen is grammatical", "-oQ@example.org", true },
};

static const struct valid_row msgid_rows[] = {
	{ "plain", "<abc.123@mail.example.org>", true },
	{ "seed literal", "<0000528302563c07db@[74.203.235.115]>", true },
	{ "dollar signs", "<$TO$.${subject}@x.example>", true },
	{ "no brackets", "abc@example.org", false },
	{ "no at", "<abc>", false },
	{ "two ats", "<a@b@c>", false },
	{ "trailing text", "<a@b> x", false },
	{ "comment", "<a@b> (c)", false },
	{ "space inside", "<a b@c>", false },
	{ "CR LF inside", "<a@b>\r\nBcc: evil@x", false },
	{ "LF in left", "<a\n@b>", false },
	{ "quoted left", "<\"a b\"@c>", false },
	{ "empty", "", false },
	{ "only brackets", "<>", false },
	{ "unclosed", "<a@b", false },
};

/* test_valid_tables - both grammars, every row */
static void
test_valid_tables(void **state)
{
	for (size_t i = 0; i < sizeof(addr_rows) / sizeof(addr_rows[0]); i++) {
		if (rfc5322_addr_spec_valid(addr_rows[i].input) != addr_rows[i].want)
			fail_msg("addr row '%s'", addr_rows[i].label);
	}
	for (size_t i = 0; i < sizeof(msgid_rows) / sizeof(msgid_rows[0]); i++) {
		if (rfc5322_msg_id_valid(msgid_rows[i].input) != msgid_rows[i].want)
			fail_msg("msg-id row '%s'", msgid_rows[i].label);
	}
	assert_false(rfc5322_addr_spec_valid(NULL));
	assert_false(rfc5322_msg_id_valid(NULL));
}

/* test_msg_id_normalize - brackets added only where nothing else is
 * wrong; everything else outside the grammar stays refused */
static void
test_msg_id_normalize(void **state)
{
	static const struct {
		const char *label, *input, *want;
	} rows[] = {
		{ "valid", "<a.b@c.example>", "<a.b@c.example>" },
		{ "valid, padded", "  <a@c.example> ", "<a@c.example>" },
		{ "ip-echelon style", "32c9b8-1447595907@ip-echelon.com",
		  "<32c9b8-1447595907@ip-echelon.com>" },
		{ "bare with literal", "x@[192.0.2.1]", "<x@[192.0.2.1]>" },
		{ "bare without at", "abcdef", NULL },
		{ "bare with space", "a b@c.example", NULL },
		{ "bare with CR LF", "a@c.example\r\nBcc: e@x", NULL },
		{ "one bracket", "<a@c.example", NULL },
		{ "bracketed garbage", "<a b@c>", NULL },
		{ "empty", "", NULL },
	};
	char *got;

	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		got = rfc5322_msg_id_normalize(rows[i].input);
		if (rows[i].want == NULL ? got != NULL :
		    got == NULL || strcmp(got, rows[i].want) != 0)
			fail_msg("row '%s': got '%s'", rows[i].label,
			    got ? got : "(null)");
		free(got);
	}
	assert_null(rfc5322_msg_id_normalize(NULL));
}

/* test_length_limits - over-long ids and addresses are refused */
static void
test_length_limits(void **state)
{
	char *s = malloc(2000);

	s[0] = '<';
	memset(s + 1, 'a', 1990);
	strcpy(s + 1991, "@b>");
	assert_false(rfc5322_msg_id_valid(s));
	strcpy(s + 900, "@b>");
	assert_true(rfc5322_msg_id_valid(s));
	memset(s, 'a', 300);
	strcpy(s + 300, "@b");
	assert_false(rfc5322_addr_spec_valid(s));
	strcpy(s + 60, "@b");
	assert_true(rfc5322_addr_spec_valid(s));
	free(s);
}

struct str_row {
	const char *label;
	const char *input;
	const char *want;	/* NULL: expect NULL */
};

/*
 * The address table: one row per tricky input, what the strict reader
 * (rfc5322_addr_extract, reply recipients) and the lenient one
 * (rfc5322_addr_first, the reporter and reply.from) give. They were two
 * readers with two grammars before (rfc5322_addr_extract here, the
 * lenient one in evidence.c); the rows marked "was" show the strict
 * reader's old answer where the one reader changed it.
 */
struct addr_row {
	const char *label;
	const char *input;
	const char *strict;	/* rfc5322_addr_extract; NULL: none */
	const char *first;	/* rfc5322_addr_first; NULL: none */
};

static const struct addr_row extract_rows[] = {
	{ "bare", "abuse@example.org", "abuse@example.org",
	  "abuse@example.org" },
	{ "angle", "<abuse@example.org>", "abuse@example.org",
	  "abuse@example.org" },
	{ "name angle", "Abuse Desk <abuse@example.org>", "abuse@example.org",
	  "abuse@example.org" },
	{ "comment after", "j@example.org (John Doe)", "j@example.org",
	  "j@example.org" },
	{ "comment before", "(c) a@b.example", "a@b.example", "a@b.example" },
	{ "comment inside", "a(c)@b.example", "a@b.example", "a@b.example" },
	{ "unbalanced comment", "a@example.org (x", "a@example.org",
	  "a@example.org" },
	/* was User@Example.COM: one normalisation for every reader */
	{ "domain lower-cased, local part kept", "Name <User@Example.COM>",
	  "User@example.com", "User@example.com" },
	{ "spaces in angle", "X < j@example.org >", "j@example.org",
	  "j@example.org" },
	{ "quoted name with comma", "\"Doe, John\" <j@example.org>",
	  "j@example.org", "j@example.org" },
	{ "decoded name with comma", "Doe, John <j@d.example>", "j@d.example",
	  "j@d.example" },
	{ "address in quoted name", "\"a@evil.example\" <real@good.example>",
	  "real@good.example", "real@good.example" },
	{ "angle in quoted name", "\"<x@y.example>\" <z@w.example>",
	  "z@w.example", "z@w.example" },
	{ "angle in comment", "Name (see <x@y.example>) <z@w.example>",
	  "z@w.example", "z@w.example" },
	{ "decoded name holding an address",
	  "evil <x@evil.example> <real@example.org>", "real@example.org",
	  "real@example.org" },
	{ "address then angle", "a@b.example <c@d.example>", "c@d.example",
	  "c@d.example" },
	{ "trailing CRLF", "Name <a@b.example>\r\n", "a@b.example",
	  "a@b.example" },
	{ "text after the angle", "<a@b.example> trailing", "a@b.example",
	  "a@b.example" },
	{ "encoded-word name", "=?utf-8?q?J=C3=B6rg?= <j@x.example>",
	  "j@x.example", "j@x.example" },
	{ "UTF-8 name", "J\xc3\xb6rg <j@x.example>", "j@x.example",
	  "j@x.example" },
	{ "quoted local part", "\"john doe\"@example.org",
	  "\"john doe\"@example.org", "\"john doe\"@example.org" },
	{ "quoted local part with comma", "\"a,b\"@x.example",
	  "\"a,b\"@x.example", "\"a,b\"@x.example" },
	/* was NULL: the "<" inside the quotes was taken for an angle */
	{ "quoted local part with <", "\"a<b\"@x.example", "\"a<b\"@x.example",
	  "\"a<b\"@x.example" },
	{ "quoted local part with > in angle", "Name <\"a>b\"@x.example>",
	  "\"a>b\"@x.example", "\"a>b\"@x.example" },
	{ "domain literal", "Name <a@[192.0.2.1]>", "a@[192.0.2.1]",
	  "a@[192.0.2.1]" },
	{ "IDN as A-label", "j@xn--bcher-kva.example",
	  "j@xn--bcher-kva.example", "j@xn--bcher-kva.example" },
	/* lists: strict wants exactly one, lenient takes the first */
	{ "two bare addresses", "a@x.org, b@y.org", NULL, "a@x.org" },
	/* was b@y.example: the last "<" of the whole list */
	{ "two named addresses", "A <a@x.example>, B <b@y.example>", NULL,
	  "a@x.example" },
	{ "list with quoted comma", "\"a,b\"@x.example, c@y.example", NULL,
	  "\"a,b\"@x.example" },
	{ "list with comment", "a@b.example (c) , d@e.example", NULL,
	  "a@b.example" },
	/* was NULL: an empty list element is not a second address */
	{ "empty element first", ", a@b.example", "a@b.example",
	  "a@b.example" },
	{ "group", "g: a@b.example;", NULL, NULL },
	{ "group of two", "g: a@b.example, c@d.example;", NULL, NULL },
	{ "empty group", "undisclosed-recipients:;", NULL, NULL },
	/* what only the lenient reader forgives */
	{ "unclosed angle", "Name <a@example.org", NULL, "a@example.org" },
	{ "mailto", "mailto:abuse@Example.org", NULL, "abuse@example.org" },
	{ "mailto in angle", "<mailto:abuse@example.org>", NULL,
	  "abuse@example.org" },
	/* what neither takes */
	/* was a@b.example: the quote that never closes holds it all */
	{ "unclosed quote", "\"Name <a@b.example>", NULL, NULL },
	{ "trailing dot", "a@b.example.", NULL, NULL },
	{ "trailing dot in angle", "Name <a@b.example.>", NULL, NULL },
	{ "dot before @", "a.@b.example", NULL, NULL },
	{ "leading dot", ".a@b.example", NULL, NULL },
	{ "UTF-8 local part", "j\xc3\xb6rg@x.example", NULL, NULL },
	{ "UTF-8 domain", "j@b\xc3\xbc" "cher.example", NULL, NULL },
	{ "null", "<>", NULL, NULL },
	{ "name and null", "Name <>", NULL, NULL },
	{ "empty", "", NULL, NULL },
	{ "name only", "Just a Name", NULL, NULL },
	{ "garbage", "not an address", NULL, NULL },
	{ "not an address in angle", "Name <not an address>", NULL, NULL },
	{ "two at signs", "a@b@c.example", NULL, NULL },
	{ "space inside", "a b@example.org", NULL, NULL },
	{ "injection in angle", "<a@example.org\r\nBcc: e@x>", NULL, NULL },
	{ "8-bit garbage", "\xff\xfe <\xc3\x28@x>", NULL, NULL },
};

static const struct str_row name_rows[] = {
	{ "plain", "Abuse Desk <abuse@example.org>", "Abuse Desk" },
	{ "quoted", "\"Doe, John\" <j@example.org>", "Doe, John" },
	{ "escaped quote", "\"a \\\"b\\\"\" <j@example.org>", "a \"b\"" },
	{ "none", "<j@example.org>", NULL },
	{ "bare", "j@example.org", NULL },
};

/* same - got (may be NULL) is want (NULL: nothing expected) */
static bool
same(const char *got, const char *want)
{
	return want == NULL ? got == NULL :
	    got != NULL && strcmp(got, want) == 0;
}

/* test_extract - address and display name extraction, every row */
static void
test_extract(void **state)
{
	char *got;

	for (size_t i = 0; i < sizeof(extract_rows) / sizeof(extract_rows[0]); i++) {
		const struct addr_row *r = &extract_rows[i];

		got = rfc5322_addr_extract(r->input);
		if (!same(got, r->strict))
			fail_msg("extract row '%s': got '%s'", r->label,
			    got ? got : "(null)");
		free(got);
		got = rfc5322_addr_first(r->input);
		if (!same(got, r->first))
			fail_msg("first row '%s': got '%s'", r->label,
			    got ? got : "(null)");
		free(got);
	}
	assert_null(rfc5322_addr_extract(NULL));
	assert_null(rfc5322_addr_first(NULL));
	for (size_t i = 0; i < sizeof(name_rows) / sizeof(name_rows[0]); i++) {
		got = rfc5322_display_name(name_rows[i].input);
		if (!same(got, name_rows[i].want))
			fail_msg("name row '%s': got '%s'",
			    name_rows[i].label, got ? got : "(null)");
		free(got);
	}
}

struct clean_row {
	const char *label;
	const char *input;
	size_t max;
	const char *want;
};

static const struct clean_row clean_rows[] = {
	{ "ascii", "hello", 100, "hello" },
	{ "CR LF TAB", "a\r\nb\tc", 100, "a  b c" },
	{ "escape and DEL", "a\x1b[0m\x7f", 100, "a [0m " },
	{ "C1 control", "a\xc2\x85z", 100, "a z" },
	{ "valid utf-8 kept", "Gr\xc3\xbc\xc3\x9f" "e", 100, "Gr\xc3\xbc\xc3\x9f" "e" },
	{ "lone continuation", "a\x80z", 100, "a\xef\xbf\xbdz" },
	{ "overlong slash", "\xc0\xaf", 100, "\xef\xbf\xbd\xef\xbf\xbd" },
	{ "surrogate", "\xed\xa0\x80", 100,
	  "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd" },
	{ "truncated sequence at end", "ab\xe2\x82", 100,
	  "ab\xef\xbf\xbd\xef\xbf\xbd" },
	{ "cut at max", "abcdef", 4, "abcd..." },
	{ "cut before a character", "ab\xc3\xbc", 3, "ab..." },
	{ "exact fit", "abc", 3, "abc" },
};

/* test_clean - text cleaning, every row */
static void
test_clean(void **state)
{
	char *got;

	for (size_t i = 0; i < sizeof(clean_rows) / sizeof(clean_rows[0]); i++) {
		got = rfc5322_text_clean(clean_rows[i].input, clean_rows[i].max);
		if (strcmp(got, clean_rows[i].want) != 0)
			fail_msg("clean row '%s': got '%s'", clean_rows[i].label, got);
		free(got);
	}
}

static const struct str_row header_rows[] = {
	{ "plain", "Re: hello world", "Subject: Re: hello world\n" },
	{ "spaces collapse", "  a   b  ", "Subject: a b\n" },
	{ "empty", "", "Subject:\n" },
	{ "non-ASCII word", "Re: Gr\xc3\xbc\xc3\x9f" "e",
	  "Subject: Re: =?utf-8?q?Gr=C3=BC=C3=9Fe?=\n" },
	{ "run of two words", "Re: \xc3\xa4 \xc3\xb6 ok",
	  "Subject: Re: =?utf-8?q?=C3=A4_=C3=B6?= ok\n" },
	{ "decoded injection stays one line", "x\r\nBcc: evil@x",
	  "Subject: x Bcc: evil@x\n" },
	{ "encoded-word lookalike is encoded", "a =?b?= c",
	  "Subject: a =?utf-8?q?=3D=3Fb=3F=3D?= c\n" },
	{ "fold at 78",
	  "aaaaaaaaa bbbbbbbbb ccccccccc ddddddddd eeeeeeeee fffffffff ggggggggg hhhhhhhhh",
	  "Subject: aaaaaaaaa bbbbbbbbb ccccccccc ddddddddd eeeeeeeee fffffffff ggggggggg\n"
	  " hhhhhhhhh\n" },
};

/* test_header_exact - hand-computed output for short values */
static void
test_header_exact(void **state)
{
	struct buf b;

	buf_init(&b);
	for (size_t i = 0; i < sizeof(header_rows) / sizeof(header_rows[0]); i++) {
		buf_reset(&b);
		rfc5322_header_put(&b, "Subject", header_rows[i].input);
		if (strcmp(b.s, header_rows[i].want) != 0)
			fail_msg("header row '%s': got '%s'", header_rows[i].label, b.s);
	}
	buf_free(&b);
}

/* hexval - value of one hex digit, -1 if not */
static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* decode_unstructured - an independent reader: unfold, then decode
 * utf-8 Q encoded-words, dropping white space between adjacent ones */
static char *
decode_unstructured(const char *field)
{
	struct buf out;
	const char *p = strchr(field, ':') + 1;
	bool prev_ew = false;
	size_t pending_ws = 0;

	buf_init(&out);
	while (*p) {
		if (*p == ' ' || *p == '\n') {
			if (*p == ' ')
				pending_ws++;
			p++;
			continue;
		}
		bool ew = strncmp(p, "=?utf-8?q?", 10) == 0;
		if (!(ew && prev_ew) && pending_ws > 0 && out.len > 0)
			buf_putc(&out, ' ');
		pending_ws = 0;
		if (ew) {
			p += 10;
			while (*p && !(p[0] == '?' && p[1] == '=')) {
				if (*p == '_')
					buf_putc(&out, ' ');
				else if (*p == '=' && hexval(p[1]) >= 0 && hexval(p[2]) >= 0) {
					buf_putc(&out, (char)(hexval(p[1]) * 16 + hexval(p[2])));
					p += 2;
				} else
					buf_putc(&out, *p);
				p++;
			}
			if (*p)
				p += 2;
		} else {
			while (*p && *p != ' ' && *p != '\n')
				buf_putc(&out, *p++);
		}
		prev_ew = ew;
	}
	return out.s;
}

/* check_header_shape - printable ASCII only, each line <= 78, every
 * line after the first a continuation, each encoded-word <= 75 */
static void
check_header_shape(const char *h)
{
	const char *line = h, *nl;
	size_t n = 0;

	for (; (nl = strchr(line, '\n')) != NULL; line = nl + 1, n++) {
		assert_true(nl - line <= 78);
		if (n > 0)
			assert_true(line[0] == ' ');
		for (const char *c = line; c < nl; c++)
			assert_true(*c >= 0x20 && *c < 0x7f);
		for (const char *w = line; (w = strstr(w, "=?")) != NULL && w < nl; ) {
			const char *e = strstr(w + 10, "?=");
			assert_non_null(e);
			assert_true(e + 2 - w <= 75);
			w = e + 2;
		}
	}
	assert_true(*line == '\0');	/* ends with a newline */
}

#define X10 "xxxxxxxxxx"
#define LONGX X10 X10 X10 X10 X10 X10 X10 X10 X10 X10

struct shape_row {
	const char *label;
	const char *input;
	const char *decoded;	/* what a reader must see */
};

/* test_header_hostile - shape and round trip for hostile values */
static void
test_header_hostile(void **state)
{
	static const struct shape_row rows[] = {
		{ "still-encoded injection", "=?utf-8?q?x=0D=0ABcc:_evil@x?=",
		  "=?utf-8?q?x=0D=0ABcc:_evil@x?=" },
		{ "decoded injection", "Re: x\r\nBcc: evil@x\r\n\r\nbody",
		  "Re: x Bcc: evil@x body" },
		{ "invalid utf-8", "Re: \xff\xfe caf\xc3\xa9 \xc3",
		  "Re: \xef\xbf\xbd\xef\xbf\xbd caf\xc3\xa9 \xef\xbf\xbd" },
		{ "long word", "Re: " LONGX, "Re: " LONGX },
		{ "dollar variables are text", "Re: $TO$ ${subject}",
		  "Re: $TO$ ${subject}" },
	};
	struct buf b;
	char *dec;

	buf_init(&b);
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		buf_reset(&b);
		rfc5322_header_put(&b, "Subject", rows[i].input);
		check_header_shape(b.s);
		dec = decode_unstructured(b.s);
		if (strcmp(dec, rows[i].decoded) != 0)
			fail_msg("row '%s': decoded '%s'", rows[i].label, dec);
		free(dec);
	}
	buf_free(&b);
}

/* test_header_10k - a 10 KB subject of mixed text folds and round-trips */
static void
test_header_10k(void **state)
{
	struct buf in, b;
	char *dec;

	buf_init(&in);
	buf_init(&b);
	while (in.len < 10240)
		buf_puts(&in, "Gr\xc3\xbc\xc3\x9f" "e aus K\xc3\xb6ln plain words ");
	str_trim(in.s);
	rfc5322_header_put(&b, "Subject", in.s);
	check_header_shape(b.s);
	assert_true(strchr(b.s, '\n') < b.s + b.len - 1);	/* it folded */
	dec = decode_unstructured(b.s);
	assert_string_equal(dec, in.s);
	free(dec);
	buf_free(&in);
	buf_free(&b);
}

/* test_mailbox_put - the three phrase forms */
static void
test_mailbox_put(void **state)
{
	static const struct {
		const char *label, *phrase, *want;
	} rows[] = {
		{ "no phrase", NULL, "From: a@example.org\n" },
		{ "empty phrase", "", "From: a@example.org\n" },
		{ "atoms", "Abuse Desk", "From: Abuse Desk <a@example.org>\n" },
		{ "needs quotes", "Example, Inc. \"Abuse\"",
		  "From: \"Example, Inc. \\\"Abuse\\\"\" <a@example.org>\n" },
		{ "non-ASCII", "M\xc3\xbcller",
		  "From: =?utf-8?q?M=C3=BCller?= <a@example.org>\n" },
		{ "control chars", "A\r\nBcc: x",
		  "From: \"A  Bcc: x\" <a@example.org>\n" },
	};
	struct buf b;

	buf_init(&b);
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		buf_reset(&b);
		rfc5322_mailbox_put(&b, "From", rows[i].phrase, "a@example.org");
		if (strcmp(b.s, rows[i].want) != 0)
			fail_msg("row '%s': got '%s'", rows[i].label, b.s);
	}
	buf_free(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid_tables),
		cmocka_unit_test(test_msg_id_normalize),
		cmocka_unit_test(test_length_limits),
		cmocka_unit_test(test_extract),
		cmocka_unit_test(test_clean),
		cmocka_unit_test(test_header_exact),
		cmocka_unit_test(test_header_hostile),
		cmocka_unit_test(test_header_10k),
		cmocka_unit_test(test_mailbox_put),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
