/*
 * test_tokens.c - unit tests of milter/classify/tokens.c: a table of
 * texts and the tokens their words give (case folding, skipped words,
 * pairs, spaceless scripts, broken bytes), then whole messages: From
 * domain, Subject, notable headers, report type, parts, quoted mail left
 * out, each token once, and the bound on the number of tokens.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "classify/tokens.h"
#include "evidence/evidence.h"
#include "parse/message.h"
#include "util/util.h"

/* joined - the tokens as one blank-separated string, malloc'd */
static char *
joined(const struct strvec *sv)
{
	struct buf b;

	buf_init(&b);
	for (size_t i = 0; i < sv->n; i++) {
		if (i)
			buf_putc(&b, ' ');
		buf_puts(&b, sv->v[i]);
	}
	return buf_steal(&b);
}

/* test_text_table - words of a text, with and without pairs */
static void
test_text_table(void **state)
{
	static const struct {
		const char *text;
		int pairs;
		const char *want;
	} rows[] = {
		{"Copyright Notice", 0, "t:copyright t:notice"},
		{"Copyright Notice", 1, "t:copyright t:notice b:copyright_notice"},
		{"SPAM spam Spam", 0, "t:spam"},
		/* one-byte words and digits are skipped and break a pair */
		{"a brute 22 force x attack", 1,
		    "t:brute t:force t:attack"},
		{"ssh2 from 198.51.100.9", 1,
		    "t:ssh2 t:from b:ssh2_from"},
		/* Unicode lower case, letters with accents stay letters */
		{"ÜBER Straße ÉTÉ", 1,
		    "t:über t:straße b:über_straße t:été b:straße_été"},
		{"СПАМ рассылка", 0, "t:спам t:рассылка"},
		/* spaceless scripts: a word per character, pairs of them */
		{"迷惑メール", 1,
		    "t:迷 t:惑 b:迷_惑 t:メ b:惑_メ t:ー b:メ_ー t:ル b:ー_ル"},
		/* a broken byte separates words */
		{"bad\xff" "byte", 0, "t:bad t:byte"},
		{"under_score it's", 0, "t:under_score t:it"},
		{"", 1, ""},
		/* 41 letters: too long; 40: kept */
		{"abcdefghijabcdefghijabcdefghijabcdefghijx ok", 1, "t:ok"},
		{"abcdefghijabcdefghijabcdefghijabcdefghij ok", 1,
		    "t:abcdefghijabcdefghijabcdefghijabcdefghij t:ok "
		    "b:abcdefghijabcdefghijabcdefghijabcdefghij_ok"},
	};

	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct strvec sv;
		char *got;

		strvec_init(&sv);
		tokens_text(rows[i].text, "t", rows[i].pairs, &sv);
		got = joined(&sv);
		if (strcmp(got, rows[i].want) != 0)
			fail_msg("row %zu: got \"%s\", want \"%s\"", i, got,
			    rows[i].want);
		free(got);
		strvec_free(&sv);
	}
}

/* tokens_of_raw - the tokens of a raw message, joined */
static char *
tokens_of_raw(const char *raw)
{
	struct parsed_msg m;
	struct evidence ev;
	struct strvec sv;
	char *got;

	assert_int_equal(mime_parse(raw, strlen(raw), 1 << 20, &m), 0);
	evidence_init(&ev);
	evidence_collect(&m, &ev);
	strvec_init(&sv);
	tokens_of(&m, &ev, NULL, &sv);
	got = joined(&sv);
	strvec_free(&sv);
	evidence_free(&ev);
	parsed_msg_free(&m);
	return got;
}

/* test_message - every kind of token of one message, quoted mail out */
static void
test_message(void **state)
{
	char *got = tokens_of_raw(
	    "From: Desk <abuse@mail.Example.COM>\n"
	    "Subject: Re: Port scan\n"
	    "Auto-Submitted: auto-replied; x=y\n"
	    "List-Id: <x.example.org>\n"
	    "\n"
	    "Port scan again.\n"
	    "> quoted words here\n");

	assert_string_equal(got,
	    "from:mail.example.com from:example.com subj:re subj:port "
	    "subj:scan hdr:auto-submitted hdr:auto-submitted=auto-replied "
	    "hdr:list-id part:text/plain w:port w:scan b:port_scan w:again "
	    "b:scan_again");
	free(got);
}

/* test_report - report: and part: tokens of an ARF report */
static void
test_report(void **state)
{
	char *got = tokens_of_raw(
	    "From: fbl@isp.example\n"
	    "Subject: FBL\n"
	    "MIME-Version: 1.0\n"
	    "Content-Type: multipart/report; report-type=feedback-report;"
	    " boundary=b\n"
	    "\n"
	    "--b\n"
	    "Content-Type: text/plain\n\n"
	    "This is an abuse report\n"
	    "--b\n"
	    "Content-Type: message/feedback-report\n\n"
	    "Feedback-Type: abuse\nUser-Agent: x/1\nVersion: 1\n"
	    "--b--\n");

	assert_non_null(strstr(got, "report:arf"));
	assert_non_null(strstr(got, "type:multipart/report"));
	assert_non_null(strstr(got, "part:message/feedback-report"));
	assert_non_null(strstr(got, "from:isp.example"));
	assert_non_null(strstr(got, "b:abuse_report"));
	/* the report's own fields are evidence, not words */
	assert_null(strstr(got, "w:feedback"));
	free(got);
}

/* test_bound - a huge text gives at most TOKENS_MAX tokens */
static void
test_bound(void **state)
{
	struct buf b;
	struct strvec sv;

	buf_init(&b);
	for (int i = 0; i < 5000; i++)
		buf_printf(&b, "w%dx ", i);
	strvec_init(&sv);
	tokens_text(b.s, "t", 1, &sv);
	assert_int_equal(sv.n, TOKENS_MAX);
	/* tokens already there count and are not repeated */
	strvec_free(&sv);
	strvec_init(&sv);
	strvec_push(&sv, "t:ab");
	tokens_text("ab cd", "t", 0, &sv);
	assert_int_equal(sv.n, 2);
	strvec_free(&sv);
	buf_free(&b);
}

/* main - run the tests */
int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_text_table),
		cmocka_unit_test(test_message),
		cmocka_unit_test(test_report),
		cmocka_unit_test(test_bound),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
