/*
 * test_received.c - unit tests for milter/parse/received.c: the hops of
 * a Received: chain in the forms Postfix, Sendmail, Exim, Exchange,
 * qmail and Gmail write, pasted, quoted with "> " or re-wrapped by a
 * mail client; and that hostile input (500 Received: lines, an endless
 * field, no colon, binary bytes) stays bounded and never crashes.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "parse/received.h"
#include "util/util.h"

struct row {
	const char *label;
	const char *text;
	size_t hops;
	/* the first hop: helo, rdns, addr, by, date; NULL = absent */
	const char *helo, *rdns, *addr, *by, *date;
};

static const struct row rows[] = {
	{ "postfix",
	    "Received: from mailer.versand.example (unknown [198.51.100.167])\n"
	    "\tby trap-mx.spamfalle.example.de (Postfix) with ESMTP id 4R9;\n"
	    "\tFri, 4 Dec 2026 08:12:40 +0100 (CET)\n", 1,
	    "mailer.versand.example", NULL, "198.51.100.167",
	    "trap-mx.spamfalle.example.de",
	    "Fri, 4 Dec 2026 08:12:40 +0100 (CET)" },
	{ "postfix with rdns",
	    "Received: from helo.example (relay7.bulk.example.org "
	    "[192.0.2.171]) by mx04.freemail.example.com with SMTP; "
	    "Fri, 4 Dec 2026 11:40:02 +0000\n", 1, "helo.example",
	    "relay7.bulk.example.org", "192.0.2.171",
	    "mx04.freemail.example.com", "Fri, 4 Dec 2026 11:40:02 +0000" },
	{ "gmail: a bracketed HELO is not the client",
	    "Received: from [192.0.2.202] (c2.kyoto.example.ne.jp. "
	    "[192.0.2.135])\n        by mx.google.com with ESMTPSA id nw13\n"
	    "        Fri, 18 Jul 2014 00:31:01 -0700 (PDT)\n", 1,
	    "[192.0.2.202]", "c2.kyoto.example.ne.jp", "192.0.2.135",
	    "mx.google.com", NULL },
	{ "exim",
	    "Received: from host.example.net ([198.51.100.9] helo=fake)\n"
	    "\tby mx.example.org with esmtp (Exim 4.96)\n"
	    "\tid 1abc; Mon, 01 Jan 2024 10:00:00 +0000\n", 1,
	    "host.example.net", "host.example.net", "198.51.100.9",
	    "mx.example.org", "Mon, 01 Jan 2024 10:00:00 +0000" },
	{ "exim literal helo",
	    "Received: from [198.51.100.9] (helo=x) by mx.example.org; "
	    "Mon, 01 Jan 2024 10:00:00 +0000\n", 1, "[198.51.100.9]", NULL,
	    "198.51.100.9", "mx.example.org",
	    "Mon, 01 Jan 2024 10:00:00 +0000" },
	{ "exchange",
	    "Received: from EX01.corp.example (192.0.2.10) by EX02.corp.example"
	    " (192.0.2.11) with Microsoft SMTP Server id 15.1; Tue, 2 Jan 2024"
	    " 09:00:00 +0100\n", 1, "EX01.corp.example", "EX01.corp.example",
	    "192.0.2.10", "EX02.corp.example",
	    "Tue, 2 Jan 2024 09:00:00 +0100" },
	{ "qmail",
	    "Received: from unknown (HELO mail.example) (203.0.113.5)\n"
	    "  by mx.example.org with SMTP; 3 Jan 2024 08:00:00 -0000\n", 1,
	    "unknown", "unknown", "203.0.113.5", "mx.example.org",
	    "3 Jan 2024 08:00:00 -0000" },
	{ "ipv6 literal",
	    "Received: from a.example (a.example [IPv6:2001:db8::25]) by "
	    "mx.example.org; Wed, 3 Jan 2024 08:00:00 +0000\n", 1, "a.example",
	    "a.example", "2001:db8::25", "mx.example.org",
	    "Wed, 3 Jan 2024 08:00:00 +0000" },
	{ "quoted with '> '",
	    "Pat\n\n> Received: from vps-22.cloud.example (vps-22.cloud.example"
	    " [198.51.100.196])\n>         by mx.homemail.example.com with "
	    "ESMTP id a81kz;\n>         Fri, 04 Dec 2026 17:31:09 -0600\n"
	    "> From: x@y.example\n>\n> Dear user, 203.0.113.9\n", 1,
	    "vps-22.cloud.example", "vps-22.cloud.example", "198.51.100.196",
	    "mx.homemail.example.com", "Fri, 04 Dec 2026 17:31:09 -0600" },
	{ "re-wrapped without indentation",
	    "Received: from a.example (a.example [192.0.2.1])\nby "
	    "mx.example.org with ESMTP\nid 42; Thu, 4 Jan 2024 08:00:00 +0000\n"
	    "Subject: hi\n", 1, "a.example", "a.example", "192.0.2.1",
	    "mx.example.org", "Thu, 4 Jan 2024 08:00:00 +0000" },
	{ "two hops, folded DKIM between",
	    "Received: from in.example.org (in.example.org [10.0.0.5]) by "
	    "mx2.example.org; Fri, 5 Jan 2024 08:00:01 +0000\n"
	    "DKIM-Signature: v=1; a=rsa-sha256;\n\tb=abc\n"
	    "Received: from spam.example (spam.example [192.0.2.77]) by "
	    "in.example.org; Fri, 5 Jan 2024 08:00:00 +0000\n", 2,
	    "in.example.org", "in.example.org", "10.0.0.5", "mx2.example.org",
	    "Fri, 5 Jan 2024 08:00:01 +0000" },
	{ "only the first block",
	    "Received: from a (a [192.0.2.1]) by b\n\nbody\n"
	    "Received: from c (c [192.0.2.2]) by d\n", 1, "a", "a",
	    "192.0.2.1", "b", NULL },
	{ "no from clause", "Received: by 10.194.5.104 with SMTP id r8;\n"
	    " Fri, 18 Jul 2014 00:31:04 -0700\n", 1, NULL, NULL, NULL,
	    "10.194.5.104", "Fri, 18 Jul 2014 00:31:04 -0700" },
	{ "no Received field", "From: a@b.example\nSubject: x\n\nbody\n", 0,
	    NULL, NULL, NULL, NULL, NULL },
	{ "empty", "", 0, NULL, NULL, NULL, NULL, NULL },
	{ "colon missing", "Received from a [192.0.2.1] by b\n", 0, NULL,
	    NULL, NULL, NULL, NULL },
	{ "unclosed comment hides the by clause",
	    "Received: from a (a [192.0.2.1 by b\n", 1, "a", NULL, NULL, NULL,
	    NULL },
	{ "binary before from", "Received: \x01\xff from \x80 ([\x01]) by "
	    "\xff;\n", 1, NULL, NULL, NULL, "\xff", NULL },
	{ "binary clause", "Received: from \x80 ([\x01]) by \xff;\n", 1,
	    "\x80", "\x80", "\x01", "\xff", NULL },
};

/* eq - two optional strings are the same */
static void
eq(const char *label, const char *want, const char *got)
{
	if (want == NULL && got == NULL)
		return;
	if (want == NULL || got == NULL || strcmp(want, got) != 0)
		fail_msg("%s: want %s got %s", label, want ? want : "(null)",
		    got ? got : "(null)");
}

/* test_rows - every row of the table */
static void
test_rows(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		const struct row *r = &rows[i];
		struct rcvd_chain ch;

		rcvd_chain_init(&ch);
		if (rcvd_chain_read(r->text, strlen(r->text), &ch) != r->hops)
			fail_msg("%s: hops want %zu got %zu", r->label, r->hops,
			    ch.n);
		if (ch.n > 0) {
			eq(r->label, r->helo, ch.hop[0].helo);
			eq(r->label, r->rdns, ch.hop[0].rdns);
			eq(r->label, r->addr, ch.hop[0].addr);
			eq(r->label, r->by, ch.hop[0].by);
			eq(r->label, r->date, ch.hop[0].date);
		}
		rcvd_chain_free(&ch);
	}
}

/* test_originating - X-Originating-IP of the same block */
static void
test_originating(void **state)
{
	const char *t = "Received: from x by y\nX-Originating-IP: "
	    "[198.51.100.8]\nX-Originating-IP: [192.0.2.1]\n";
	struct rcvd_chain ch;

	(void)state;
	rcvd_chain_init(&ch);
	rcvd_chain_read(t, strlen(t), &ch);
	assert_string_equal(ch.originating, "[198.51.100.8]");
	rcvd_chain_free(&ch);
}

/* test_hostile - 500 Received: lines keep RCVD_MAX_HOPS hops; a field
 * of a megabyte is cut; NUL bytes inside the length end nothing */
static void
test_hostile(void **state)
{
	struct buf b;
	struct rcvd_chain ch;
	char *big;

	(void)state;
	buf_init(&b);
	for (int i = 0; i < 500; i++)
		buf_printf(&b, "Received: from h%d (h%d [192.0.2.%d]) by m%d;"
		    " Fri, 5 Jan 2024 08:00:00 +0000\n", i, i, i % 250 + 1, i);
	rcvd_chain_init(&ch);
	assert_int_equal(rcvd_chain_read(b.s, b.len, &ch), RCVD_MAX_HOPS);
	assert_string_equal(ch.hop[0].addr, "192.0.2.1");
	assert_string_equal(ch.hop[RCVD_MAX_HOPS - 1].by, "m63");
	rcvd_chain_free(&ch);
	buf_free(&b);

	big = xmalloc(1 << 20);
	memset(big, 'a', 1 << 20);
	memcpy(big, "Received: from ", 15);
	big[(1 << 20) - 1] = '\0';
	rcvd_chain_init(&ch);
	assert_int_equal(rcvd_chain_read(big, (1 << 20) - 1, &ch), 1);
	assert_true(ch.hop[0].helo == NULL ||
	    strlen(ch.hop[0].helo) < 4096);
	rcvd_chain_free(&ch);
	memset(big, '\n', 1 << 20);
	big[3] = '\0';
	rcvd_chain_init(&ch);
	assert_int_equal(rcvd_chain_read(big, 1 << 20, &ch), 0);
	rcvd_chain_free(&ch);
	free(big);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rows),
		cmocka_unit_test(test_originating),
		cmocka_unit_test(test_hostile),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
