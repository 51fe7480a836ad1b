/*
 * test_acns_text.c - unit tests for acns_text.c: finding <Infringement>
 * in mail text, cutting truncated notices, undoing dash-escaping and
 * quoted-printable, rewriting entity references, and choosing
 * the encoding. One table per function, each run by one loop.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include "parse/acns_text.h"

#ifndef TEST_SRCDIR
#define TEST_SRCDIR "."
#endif

#define NONE	((size_t)-1)

/* Inputs may hold NUL bytes: len 0 means strlen(in). */
static const struct find_row {
	const char *label;
	const char *in;
	size_t len;
	size_t pos;		/* where the search starts */
	size_t start;		/* NONE: no start tag */
	size_t end;		/* NONE: not closed */
} find_rows[] = {
	{"plain", "<Infringement>x</Infringement>", 0, 0, 0, 30},
	{"after prose", "ab <Infringement a='1'>", 0, 0, 3, NONE},
	{"prose only", "Notice of Claimed Infringement", 0, 0, NONE, NONE},
	{"longer name", "<InfringementX>", 0, 0, NONE, NONE},
	{"lower case", "<infringement>", 0, 0, NONE, NONE},
	{"prefix", "<a:Infringement>y</a:Infringement >", 0, 0, 0, 35},
	{"no '<' before prefix", ":Infringement>", 0, 0, NONE, NONE},
	{"empty prefix", "<:Infringement>", 0, 0, NONE, NONE},
	{"closing tag is no start", "</Infringement>", 0, 0, NONE, NONE},
	{"cut at the name", "<Infringement", 0, 0, NONE, NONE},
	{"self-closing", "<Infringement/>", 0, 0, 0, NONE},
	{"white space in tags", "<Infringement\n>\n</Infringement\n>", 0, 0,
	    0, 32},
	{"longer closing name skipped",
	    "<Infringement></InfringementX></Infringement>", 0, 0, 0, 45},
	{"nested: first close", "<Infringement><Infringement></Infringement>"
	    "</Infringement>", 0, 0, 0, 43},
	{"second start from pos",
	    "<Infringement/> <Infringement></Infringement>", 0, 1, 16, 45},
	{"nul before", "a\0<Infringement></Infringement>", 31, 0, 2, 31},
	{"close beyond len", "<Infringement></Infringement>", 20, 0, 0,
	    NONE},
};

/* same - do got and want agree (NULL only equals NULL); print the row's
 * label when they do not, so one run shows every failing row */
static bool
same(const char *label, const char *got, const char *want)
{
	if (got == want || (got && want && strcmp(got, want) == 0))
		return true;
	print_error("%s: got \"%s\", want \"%s\"\n", label,
	    got ? got : "(null)", want ? want : "(null)");
	return false;
}

/* test_find - acns_text_find_open and acns_text_find_close */
static void
test_find(void **state)
{
	int failed = 0;

	for (size_t i = 0; i < sizeof(find_rows) / sizeof(find_rows[0]); i++) {
		const struct find_row *r = &find_rows[i];
		size_t len = r->len ? r->len : strlen(r->in);
		size_t start = NONE, end = NONE;

		if (acns_text_find_open(r->in, len, r->pos, &start)) {
			if (!acns_text_find_close(r->in, len, start, &end))
				end = end == len ? NONE : len + 1;
		} else
			start = NONE;
		if (start != r->start || end != r->end) {
			print_error("%s: got %zd..%zd, want %zd..%zd\n",
			    r->label, (ssize_t)start, (ssize_t)end,
			    (ssize_t)r->start, (ssize_t)r->end);
			failed++;
		}
	}
	assert_int_equal(failed, 0);
}

/* test_cut - truncated notices end after their last complete tag */
static void
test_cut(void **state)
{
	static const char in[] = "xx<Infringement><ID>12";

	assert_int_equal(acns_text_cut(in, 2, sizeof(in) - 1), 20);
	assert_int_equal(acns_text_cut(in, 2, 10), 2);	/* no '>' at all */
	assert_int_equal(acns_text_cut(in, 2, 2), 2);	/* empty */
}

static const struct text_row {
	const char *label;
	const char *in;
	bool flag;
	const char *want;
} copy_rows[] = {
	{"pgp: escapes, once and twice", "<a>\n- - x\n- y\n-z\n", true,
	    "<a>\nx\ny\n-z\n"},
	{"pgp: crlf and last line", "<a>\r\n- b\r\n- ", true, "<a>\r\nb\r\n"},
	{"pgp: dash inside a line stays", "<a>x - y</a>", true, "<a>x - y</a>"},
	{"no pgp: untouched", "<a>\n- - x\n", false, "<a>\n- - x\n"},
}, entity_rows[] = {
	{"predefined become character references",
	    "a&amp;b&lt;&gt;&quot;&apos;", false,
	    "a&#38;b&#60;&#62;&#34;&#39;"},
	{"character references stay", "&#65;&#x41;", false, "&#65;&#x41;"},
	{"undefined dropped", "t&xxe;t&lol9;&a.b-c;", false, "tt"},
	{"near misses dropped", "&ampx;&am;&ap;", false, ""},
	{"not references", "& x; &amp &;", false, "& x; &amp &;"},
	{"at the end", "x&xxe", false, "x&xxe"},
}, qp_rows[] = {
	{"=3D", "xmlns=3D\"u\" =3d", true, "xmlns=\"u\" ="},
	{"soft breaks", "<IP_Addr=\ness>=  \r\nx", true, "<IP_Address>x"},
	{"lone '='", "a=zz =4", false, "a=zz =4"},
	{"'=' at the end", "a=", false, "a="},
	{"plain", "a = b", false, "a = b"},
};

/* test_copy - dash-escaping undone only in PGP clear-signed text */
static void
test_copy(void **state)
{
	struct buf b;
	int failed = 0;

	buf_init(&b);
	for (size_t i = 0; i < sizeof(copy_rows) / sizeof(copy_rows[0]); i++) {
		buf_reset(&b);
		acns_text_copy(copy_rows[i].in, strlen(copy_rows[i].in),
		    copy_rows[i].flag, &b);
		if (!same(copy_rows[i].label, b.s, copy_rows[i].want) ||
		    b.len != strlen(b.s))
			failed++;
	}
	buf_free(&b);
	assert_int_equal(failed, 0);
}

/* test_fix_entities - predefined references become character references,
 * character references stay, all others go */
static void
test_fix_entities(void **state)
{
	struct buf b;
	int failed = 0;

	buf_init(&b);
	for (size_t i = 0; i < sizeof(entity_rows) / sizeof(entity_rows[0]);
	    i++) {
		buf_reset(&b);
		buf_puts(&b, entity_rows[i].in);
		acns_text_fix_entities(&b);
		if (!same(entity_rows[i].label, b.s, entity_rows[i].want) ||
		    b.len != strlen(b.s))
			failed++;
	}
	buf_free(&b);
	assert_int_equal(failed, 0);
}

/* test_qp - detection (flag) and decoding of quoted-printable */
static void
test_qp(void **state)
{
	struct buf b;
	int failed = 0;

	buf_init(&b);
	for (size_t i = 0; i < sizeof(qp_rows) / sizeof(qp_rows[0]); i++) {
		const struct text_row *r = &qp_rows[i];

		buf_reset(&b);
		acns_text_qp_decode(r->in, strlen(r->in), &b);
		if (!same(r->label, b.s, r->want) ||
		    !same(r->label, acns_text_has_qp(r->in, strlen(r->in)) ?
		    "qp" : "plain", r->flag ? "qp" : "plain"))
			failed++;
	}
	buf_free(&b);
	assert_int_equal(failed, 0);
}

#define FRAG_OK		"<Infringement>caf\xc3\xa9</Infringement>"
#define FRAG_BAD	"<Infringement>caf\xe9</Infringement>"

static const struct enc_row {
	const char *label;
	const char *in;		/* the fragment is everything from '<I' */
	const char *want;	/* NULL: UTF-8 */
} enc_rows[] = {
	{"utf-8", "<?xml encoding=\"koi8-r\"?>" FRAG_OK, NULL},
	{"declared", "<?xml version=\"1.0\" encoding=\"windows-1252\"?>\n"
	    FRAG_BAD, "windows-1252"},
	{"single quotes", "<?xml encoding = 'ISO-8859-15' ?>" FRAG_BAD,
	    "ISO-8859-15"},
	{"last declaration wins", "<?xml encoding='a1'?> <?xml encoding='b2'?>"
	    FRAG_BAD, "b2"},
	{"no declaration", "text " FRAG_BAD, "ISO-8859-1"},
	{"declaration without encoding", "<?xml version='1.0'?>" FRAG_BAD,
	    "ISO-8859-1"},
	{"unterminated declaration", "<?xml encoding='x'" FRAG_BAD,
	    "ISO-8859-1"},
	{"unterminated name", "<?xml encoding='abc?>" FRAG_BAD, "ISO-8859-1"},
	{"bad name", "<?xml encoding='x y'?>" FRAG_BAD, "ISO-8859-1"},
	{"truncated sequence", "<Infringement>\xe2\x82", "ISO-8859-1"},
	{"overlong lead byte", "<Infringement>\xc0\xaf", "ISO-8859-1"},
	{"out of range", "<Infringement>\xf5\x80\x80\x80", "ISO-8859-1"},
	{"four bytes fine", "<Infringement>\xf0\x9f\x98\x80", NULL},
	/* the check is strict (util/utf8.c): structurally fine sequences
	 * that no UTF-8 encoder writes are not UTF-8 */
	{"overlong 3-byte form", "<Infringement>\xe0\x80\xaf", "ISO-8859-1"},
	{"surrogate", "<Infringement>\xed\xa0\x80", "ISO-8859-1"},
	{"past U+10FFFF", "<Infringement>\xf4\x90\x80\x80", "ISO-8859-1"},
};

/* test_encoding - which encoding a fragment is parsed with */
static void
test_encoding(void **state)
{
	struct buf frag, name;
	const char *got;
	int failed = 0;

	buf_init(&frag);
	buf_init(&name);
	for (size_t i = 0; i < sizeof(enc_rows) / sizeof(enc_rows[0]); i++) {
		const struct enc_row *r = &enc_rows[i];
		size_t start = (size_t)(strstr(r->in, "<Infringement") - r->in);

		buf_reset(&frag);
		buf_puts(&frag, r->in + start);
		got = acns_text_encoding(r->in, start, &frag, &name);
		if (!same(r->label, got, r->want))
			failed++;
	}
	assert_int_equal(failed, 0);
	/* a declaration more than 512 bytes before the element is not its */
	buf_reset(&frag);
	buf_puts(&frag, "<?xml encoding='koi8-r'?>");
	for (int i = 0; i < 600; i++)
		buf_putc(&frag, ' ');
	buf_puts(&frag, FRAG_BAD);
	got = acns_text_encoding(frag.s, frag.len - strlen(FRAG_BAD), &frag,
	    &name);
	assert_string_equal(got, "ISO-8859-1");
	buf_free(&frag);
	buf_free(&name);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_find),
		cmocka_unit_test(test_cut),
		cmocka_unit_test(test_copy),
		cmocka_unit_test(test_fix_entities),
		cmocka_unit_test(test_qp),
		cmocka_unit_test(test_encoding),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
