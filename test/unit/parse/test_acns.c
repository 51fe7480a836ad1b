/*
 * test_acns.c - unit tests for acns.c (ACNS <Infringement> notices).
 *
 * One table of XML inputs runs through acns_parse_xml(): ACNS 1.2 and
 * 2.0 shapes, with and without namespaces, inline in prose, dash-escaped
 * inside PGP clear-signed text, quoted-printable left undone, truncated,
 * nested, and hostile (entity bombs, external entities). Each row states
 * the exact fields expected (or that nothing is found) and a string that
 * must never appear. Further tests feed 5 MB inputs and thousands of
 * tags, and call from several threads. acns_parse() on whole messages is
 * tested in test_acns_msg.c; the samples live in acns_samples.h.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "parse/acns.h"
#include "acns_samples.h"

#ifndef TEST_SRCDIR
#define TEST_SRCDIR "."
#endif

/* quoted-printable that nobody decoded: =3D and soft line breaks, one of
 * them inside the closing tag */
#define QP_LEFT \
	"Dear abuse team,\n" \
	"<Infringement xmlns=3D\"http://www.acns.net/ACNS\"><Case><ID>QP-1</ID>=\n" \
	"</Case><Source><IP_Addr=\n" \
	"ess>198.51.100.80</IP_Address><Port>=3D</Port></Source></Infringe=\n" \
	"ment>\nRegards\n"

#define BOMB \
	"<?xml version=\"1.0\"?>\n" \
	"<!DOCTYPE Infringement [\n" \
	" <!ENTITY lol \"lol\">\n" \
	" <!ENTITY lol1 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">\n" \
	" <!ENTITY lol2 \"&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;\">\n" \
	" <!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">\n" \
	" <!ENTITY lol4 \"&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;\">\n" \
	" <!ENTITY lol5 \"&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;\">\n" \
	" <!ENTITY lol6 \"&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;\">\n" \
	" <!ENTITY lol7 \"&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;\">\n" \
	" <!ENTITY lol8 \"&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;\">\n" \
	" <!ENTITY lol9 \"&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;\">\n" \
	"]>\n" \
	"<Infringement><Case><ID>&lol9;</ID></Case>\n" \
	"<Source><IP_Address>192.0.2.5</IP_Address></Source>\n" \
	"<Content><Item><Title>&lol9;&lol9;</Title></Item></Content>" \
	"</Infringement>\n"

#define XXE \
	"<?xml version=\"1.0\"?>\n" \
	"<!DOCTYPE Infringement [\n" \
	" <!ENTITY xxe SYSTEM \"file:///etc/passwd\">\n" \
	" <!ENTITY % dtd SYSTEM \"file:///etc/passwd\">\n" \
	" %dtd;\n" \
	"]>\n" \
	"<Infringement><Case><ID>X1</ID></Case>\n" \
	"<Source><IP_Address>&xxe;</IP_Address></Source>\n" \
	"<Content><Item><Title>t&xxe;</Title></Item></Content>" \
	"</Infringement>\n"

/* an internal entity with harmless text: still never substituted */
#define INTERNAL_ENTITY \
	"<!DOCTYPE Infringement [<!ENTITY s \"SECRETVALUE\">]>\n" \
	"<Infringement><Case><ID>E1</ID></Case>" \
	"<Content><Item><Title>&s;</Title>" \
	"<FileName>a&amp;b&#x41;</FileName></Item></Content>" \
	"</Infringement>"

struct row {
	const char *label;
	const char *in;
	size_t len;		/* 0: strlen(in) */
	const char *want;	/* every field, "key=value\n" each, or NULL:
				 * nothing found */
	const char *never;	/* must not appear in any field */
};

static const struct row rows[] = {
	{"acns 1.2 acns.net namespace", ACNS12, 0, WANT12, "Small Host"},
	{"acns 2.0 movielabs namespace", ACNS20, 0, WANT20, "Second"},
	{"no namespace", BARE, 0, WANT_BARE, NULL},
	{"prefixed namespace",
	    "<acns:Infringement xmlns:acns=\"http://www.acns.net/ACNS\">"
	    "<acns:Case><acns:ID>P-1</acns:ID></acns:Case>"
	    "<acns:Source><acns:Port>80</acns:Port></acns:Source>"
	    "</acns:Infringement>", 0,
	    "report=acns\nacns.Case-ID=P-1\nacns.Port=80\n", NULL},
	{"prefix declared on a wrapper we cut away",
	    "<w:Notice xmlns:w=\"http://www.acns.net/ACNS\"><w:Infringement>"
	    "<w:Case><w:ID>P-2</w:ID></w:Case></w:Infringement></w:Notice>", 0,
	    "report=acns\nacns.Case-ID=P-2\n", NULL},
	{"inline in prose, white space collapsed",
	    "Hello,\n\nwe found this:\n\n<Infringement>\n<Case>\n <ID>\n  77\n"
	    " </ID></Case><Complainant><Entity>Big\n   Pictures\tInc"
	    "</Entity></Complainant></Infringement>\n\nThanks\n", 0,
	    "report=acns\nacns.Case-ID=77\nacns.Entity=Big Pictures Inc\n",
	    NULL},
	{"pgp clear-signed, dash-escaped", PGP_SIGNED, 0,
	    "report=acns\nacns.Case-ID=5512\nacns.IP_Address=192.0.2.44\n"
	    "acns.FileName=Show.S01E01 -720p.mkv\n", "- -"},
	{"quoted-printable left undone", QP_LEFT, 0,
	    "report=acns\nacns.Case-ID=QP-1\nacns.IP_Address=198.51.100.80\n"
	    "acns.Port==\n", "3D"},
	{"damaged tag, later &amp; kept",
	    "<Infringement><Case><ID>43</ID></Case><Source><IP_Address>"
	    "192.0.2.4</IP_Add\nress><Port>80</Port></Source><Content><Item>"
	    "<Title>Fast &amp; Furious</Title></Item></Content></Infringement>",
	    0, "report=acns\nacns.Case-ID=43\nacns.IP_Address=192.0.2.4\n"
	    "acns.Port=80\nacns.Title=Fast & Furious\n", NULL},
	{"cdata and character references",
	    "<Infringement><Case><ID><![CDATA[C-9]]></ID></Case><Content><Item>"
	    "<Title>R&#xE9;sum&#233; &lt;1&gt;</Title></Item></Content>"
	    "</Infringement>", 0,
	    "report=acns\nacns.Case-ID=C-9\n"
	    "acns.Title=R\xc3\xa9sum\xc3\xa9 <1>\n",
	    NULL},
	{"truncated after Source",
	    "<Infringement><Case><ID>T-1</ID></Case><Source>"
	    "<IP_Address>192.0.2.8</IP_Address><Port>4662</Port></Source>"
	    "<Content><Item><Title>Cut", 0,
	    "report=acns\nacns.Case-ID=T-1\nacns.IP_Address=192.0.2.8\n"
	    "acns.Port=4662\n", "Cut"},
	{"truncated inside a value",
	    "<Infringement><Case><ID>T-2</ID></Case><Source>"
	    "<IP_Address>192.0.2.1", 0,
	    "report=acns\nacns.Case-ID=T-2\n", "192.0.2.1"},
	{"truncated inside the only value",
	    "<Infringement><Case><ID>12", 0, NULL, NULL},
	{"no closing tag, prose after",
	    "<Infringement><Case><ID>T-3</ID></Case>\n\n"
	    "Best regards,\nThe team",
	    0, "report=acns\nacns.Case-ID=T-3\n", "regards"},
	{"nested Infringement",
	    "<Infringement><Infringement><Case><ID>N-1</ID></Case>"
	    "</Infringement></Infringement>", 0,
	    "report=acns\nacns.Case-ID=N-1\n", NULL},
	{"second notice wins over an empty first",
	    "<Infringement><Complainant><Entity>Only Me</Entity></Complainant>"
	    "</Infringement>\n" BARE, 0, WANT_BARE, "Only Me"},
	{"first good notice ends the search",
	    BARE "\n<Infringement><Case><ID>88</ID></Case></Infringement>", 0,
	    WANT_BARE, "88"},
	{"first of two partial notices is reported",
	    "<Infringement><Complainant><Entity>Only Me</Entity></Complainant>"
	    "</Infringement><Infringement><Source><Port>1</Port></Source>"
	    "</Infringement>", 0, "report=acns\nacns.Entity=Only Me\n", NULL},
	{"partial notice alone is reported",
	    "<Infringement><Complainant><Entity>Only Me</Entity></Complainant>"
	    "</Infringement>", 0, "report=acns\nacns.Entity=Only Me\n", NULL},
	{"billion laughs", BOMB, 0,
	    "report=acns\nacns.IP_Address=192.0.2.5\n", "lol"},
	{"external entities", XXE, 0,
	    "report=acns\nacns.Case-ID=X1\nacns.Title=t\n",
	    "root"},
	{"internal entity not substituted", INTERNAL_ENTITY, 0,
	    "report=acns\nacns.Case-ID=E1\nacns.FileName=a&bA\n", "SECRET"},
	{"external DTD never fetched",
	    "<!DOCTYPE Infringement SYSTEM \"http://192.0.2.1/a.dtd\">\n"
	    BARE,
	    0, WANT_BARE, NULL},
	{"invalid utf-8, no declaration: read as latin-1",
	    "<Infringement><Case><ID>U-1</ID></Case><Content><Item>"
	    "<Title>\xff\xfe" "Bad</Title></Item></Content></Infringement>", 0,
	    "report=acns\nacns.Case-ID=U-1\n"
	    "acns.Title=\xc3\xbf\xc3\xbe" "Bad\n",
	    NULL},
	{"declared windows-1252 attachment",
	    "<?xml version='1.0' encoding='windows-1252'?>\n"
	    "<Infringement><Case>"
	    "<ID>L-1</ID></Case><Content><Item><Title>5\x80</Title></Item>"
	    "</Content></Infringement>", 0,
	    "report=acns\nacns.Case-ID=L-1\nacns.Title=5\xe2\x82\xac\n", NULL},
	{"bytes that break the declared encoding",
	    "<?xml version='1.0' encoding='Shift_JIS'?>\n<Infringement>"
	    "<Notes>\xff</Notes><Case><ID>J-1</ID></Case><Content><Item>"
	    "<Title>\xe9t\xe9</Title></Item></Content></Infringement>", 0,
	    "report=acns\nacns.Case-ID=J-1\n"
	    "acns.Title=\xc3\xa9t\xc3\xa9\n", NULL},
	{"prose mentions the element only",
	    "Notice of Claimed Infringement. The <Infringement> tag below ...",
	    0, NULL, NULL},
	{"infringement without known fields",
	    "<Infringement><Notes>hello</Notes></Infringement>", 0, NULL, NULL},
	{"empty element", "<Infringement/>", 0, NULL, NULL},
	{"other element with the same start",
	    "<InfringementReport><Case><ID>1</ID></Case></InfringementReport>",
	    0, NULL, NULL},
	{"tag cut at end of input", "text <Infringement", 0, NULL, NULL},
	{"closing tag only", "</Infringement>", 0, NULL, NULL},
	{"empty input", "", 0, NULL, NULL},
	{"xml of another kind",
	    "<?xml version=\"1.0\"?><notification_message><ip>10.0.0.1</ip>"
	    "</notification_message>", 0, NULL, NULL},
};

/* test_table - every row of the table through acns_parse_xml */
static void
test_table(void **state)
{
	int failed = 0;

	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		const struct row *r = &rows[i];
		struct kvlist kv;
		bool found;

		kvlist_init(&kv);
		found = acns_parse_xml(r->in, r->len ? r->len : strlen(r->in),
		    &kv);
		if (!check_result(r->label, found, &kv, r->want, r->never))
			failed++;
		kvlist_free(&kv);
	}
	assert_int_equal(failed, 0);
}

/* test_keeps_caller_fields - fields already present stay, acns appends */
static void
test_keeps_caller_fields(void **state)
{
	struct kvlist kv;

	kvlist_init(&kv);
	kvlist_add(&kv, "report", "arf");
	assert_true(acns_parse_xml(BARE, strlen(BARE), &kv));
	assert_true(check_result("caller fields", true, &kv,
	    "report=arf\n" WANT_BARE, NULL));
	kvlist_free(&kv);
	kvlist_add(&kv, "x", "y");
	assert_false(acns_parse_xml("nothing", 7, &kv));
	assert_int_equal(kv.n, 1);
	kvlist_free(&kv);
}

/* test_silent - libxml2 prints nothing, whatever it is fed: the table,
 * and encodings that fail inside the converter, outside any parser */
static void
test_silent(void **state)
{
	static const char *const more[] = {
		"<?xml version='1.0' encoding='UTF-16'?>\n<Infringement>\xff"
		    "</Infringement>",
		"<?xml encoding='no-such-charset'?><Infringement>\xff<Case>"
		    "</Infringement>",
		"<?xml encoding='Shift_JIS'?><Infringement><Case><ID>\x81\xff"
		    "\xa0</ID></Case></Infringement>",
		"<?xml encoding='UTF-8'?><Infringement><a>\xc3</b></Infringement>",
	};
	FILE *tmp = tmpfile();
	int saved = dup(2);
	struct kvlist kv;

	assert_non_null(tmp);
	assert_true(saved >= 0);
	fflush(stderr);
	assert_int_equal(dup2(fileno(tmp), 2), 2);
	kvlist_init(&kv);
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
		acns_parse_xml(rows[i].in, strlen(rows[i].in), &kv);
	for (size_t i = 0; i < sizeof(more) / sizeof(more[0]); i++)
		acns_parse_xml(more[i], strlen(more[i]), &kv);
	kvlist_free(&kv);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	/* bytes written to the redirected stderr */
	assert_int_equal(lseek(fileno(tmp), 0, SEEK_END), 0);
	fclose(tmp);
}

/* test_nul_bytes - a NUL inside the notice: what precedes it is read,
 * nothing crashes; what libxml2 makes of the rest is its business */
static void
test_nul_bytes(void **state)
{
	static const char in[] = "<Infringement><Case><ID>Z-1</ID></Case>"
	    "<Content><Item><Title>ab\0cd</Title></Item></Content>"
	    "<Source><IP_Address>\0</IP_Address></Source></Infringement>";
	struct kvlist kv;

	kvlist_init(&kv);
	assert_true(acns_parse_xml(in, sizeof(in) - 1, &kv));
	assert_string_equal(kvlist_get(&kv, "acns.Case-ID"), "Z-1");
	assert_null(kvlist_get(&kv, "acns.IP_Address"));
	kvlist_free(&kv);
}

/* make_big - a notice whose Content holds `size` bytes of filler */
static char *
make_big(size_t size, const char *filler, bool close)
{
	struct buf b;

	buf_init(&b);
	buf_puts(&b, "<?xml version=\"1.0\"?>\n<Infringement><Case><ID>B-5"
	    "</ID></Case><Source><IP_Address>192.0.2.77</IP_Address>"
	    "</Source><Content>");
	while (b.len < size)
		buf_puts(&b, filler);
	if (close)
		buf_puts(&b, "</Content></Infringement>\n");
	return b.s;
}

/* test_five_megabytes - 5 MB notices are cut, read in part, and fast */
static void
test_five_megabytes(void **state)
{
	static const char *const fillers[] = {
		"<Item><Title>Some Title</Title></Item>\n",	/* many items */
		"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",	/* one long text */
		"<Item><Title>unclosed ",	/* deeper and deeper */
	};
	struct kvlist kv;

	for (size_t i = 0; i < 3; i++)
		for (int close = 0; close <= 1; close++) {
			char *in = make_big(5 << 20, fillers[i], close);

			kvlist_init(&kv);
			assert_true(acns_parse_xml(in, strlen(in), &kv));
			assert_string_equal(kvlist_get(&kv, "acns.Case-ID"),
			    "B-5");
			assert_string_equal(kvlist_get(&kv,
			    "acns.IP_Address"), "192.0.2.77");
			kvlist_free(&kv);
			free(in);
		}
}

/* test_many_tags - thousands of start tags cost a bounded number of
 * parses; a huge value is capped, not copied whole into a field */
static void
test_many_tags(void **state)
{
	struct buf b;
	struct kvlist kv;
	const char *title;

	buf_init(&b);
	for (int i = 0; i < 200000; i++)
		buf_puts(&b, "<Infringement> ");
	kvlist_init(&kv);
	assert_false(acns_parse_xml(b.s, b.len, &kv));
	assert_int_equal(kv.n, 0);
	buf_reset(&b);
	for (int i = 0; i < 200000; i++)
		buf_puts(&b, "<Infringement></Infringement>\n");
	assert_false(acns_parse_xml(b.s, b.len, &kv));
	/* the work per message is bounded: after eight fragments that say
	 * nothing, a ninth is no longer parsed */
	buf_puts(&b, BARE);
	assert_false(acns_parse_xml(b.s, b.len, &kv));
	assert_true(acns_parse_xml(b.s + b.len - strlen(BARE) - 7 * 30,
	    strlen(BARE) + 7 * 30, &kv));
	kvlist_free(&kv);
	buf_reset(&b);
	buf_puts(&b, "<Infringement><Case><ID>H-1</ID></Case><Content><Item>"
	    "<Title>");
	for (int i = 0; i < 100000; i++)
		buf_puts(&b, "\xc3\xa9");
	buf_puts(&b, "</Title></Item></Content></Infringement>");
	assert_true(acns_parse_xml(b.s, b.len, &kv));
	title = kvlist_get(&kv, "acns.Title");
	assert_non_null(title);
	assert_in_range(strlen(title), 512, 4096);
	assert_int_equal(strlen(title) % 2, 0);	/* no cut character */
	kvlist_free(&kv);
	buf_free(&b);
}

/* thread_body - parse the same notices many times */
static void *
thread_body(void *arg)
{
	for (int i = 0; i < 300; i++) {
		struct kvlist kv;

		kvlist_init(&kv);
		if (!acns_parse_xml(ACNS12 BOMB, strlen(ACNS12 BOMB), &kv) ||
		    strcmp(kvlist_get(&kv, "acns.Case-ID"), "A-7731") != 0)
			*(int *)arg += 1;
		kvlist_free(&kv);
	}
	return NULL;
}

/* test_threads - concurrent callers in fresh threads get the same
 * answers (libxml2 initialised once, per-thread error handlers) */
static void
test_threads(void **state)
{
	pthread_t t[4];
	int bad[4] = {0};

	for (int i = 0; i < 4; i++)
		assert_int_equal(pthread_create(&t[i], NULL, thread_body,
		    &bad[i]), 0);
	for (int i = 0; i < 4; i++) {
		pthread_join(t[i], NULL);
		assert_int_equal(bad[i], 0);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_keeps_caller_fields),
		cmocka_unit_test(test_silent),
		cmocka_unit_test(test_nul_bytes),
		cmocka_unit_test(test_five_megabytes),
		cmocka_unit_test(test_many_tags),
		cmocka_unit_test(test_threads),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
