/*
 * test_extract_origin.c - unit tests for milter/evidence/extract_origin.c:
 * which hop of a forwarded message's Received: chain is the offender
 * (the complainant's own and private hops skipped, a big provider's
 * relay looked through, hops the sender wrote never read, the webmail's
 * X-Originating-IP last), and, for whole complaints, that bounces and
 * read receipts name no origin; hostile chains stay bounded.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "evidence/extract.h"
#include "evidence/ipaddr.h"
#include "parse/message.h"
#include "util/util.h"

struct row {
	const char *label;
	const char *text;
	const char *reporter;	/* the complainant's domain, or NULL */
	const char *ip;		/* NULL: no origin */
	const char *date;
};

#define HOP(client, addr, by, date) \
	"Received: from " client " (" client " [" addr "])\n\tby " by \
	" with ESMTP id 1;\n\t" date "\n"

static const struct row rows[] = {
	{ "one hop: its client",
	    HOP("mailer.versand.example", "198.51.100.167",
	    "trap-mx.spamfalle.example.de", "Fri, 4 Dec 2026 08:12:40 +0100"),
	    "spamfalle.example.de", "198.51.100.167",
	    "Fri, 4 Dec 2026 08:12:40 +0100" },
	{ "internal hops of the receiver skipped",
	    HOP("in.isp.example.com", "192.0.2.5", "mx2.isp.example.com",
	    "Fri, 5 Jan 2024 08:00:02 +0000")
	    HOP("filter.isp.example.com", "203.0.113.7", "in.isp.example.com",
	    "Fri, 5 Jan 2024 08:00:01 +0000")
	    HOP("bulk.sender.example", "198.51.100.9", "filter.isp.example.com",
	    "Fri, 5 Jan 2024 08:00:00 +0000")
	    HOP("forged.example", "192.0.2.200", "bulk.sender.example",
	    "Fri, 5 Jan 2024 07:00:00 +0000"), NULL, "198.51.100.9",
	    "Fri, 5 Jan 2024 08:00:00 +0000" },
	{ "private client is internal",
	    HOP("localhost", "127.0.0.1", "mx.isp.example.net", "d1")
	    HOP("x.sender.example", "10.1.2.3", "mx.isp.example.net", "d2")
	    HOP("real.sender.example", "203.0.113.50", "mx.isp.example.net",
	    "d3"), NULL, "203.0.113.50", "d3" },
	{ "the reporter's own relay trusted",
	    HOP("relay.trapnet.example.org", "192.0.2.9", "mx.mailhost.example",
	    "d1")
	    HOP("spam.example", "198.51.100.44", "relay.trapnet.example.org",
	    "d2"), "trapnet.example.org", "198.51.100.44", "d2" },
	{ "below an untrusted receiver nothing is read",
	    HOP("a.example", "198.51.100.1", "mx.isp.example.com", "d1")
	    HOP("b.example", "198.51.100.2", "a.example", "d2"), NULL,
	    "198.51.100.1", "d1" },
	{ "provider relay looked through",
	    HOP("mail-sor-f41.google.com", "209.85.220.41",
	    "mx.isp.example.com", "d1")
	    "Received: from [192.0.2.202] (c2.dsl.example.ne.jp. "
	    "[203.0.113.135])\n        by smtp.gmail.com with ESMTPSA id x;\n"
	    "        d2\n", NULL, "203.0.113.135", "d2" },
	{ "a provider name alone is no reason to look further",
	    HOP("mail-sor-f41.google.com", "198.51.100.41",
	    "mx.isp.example.com", "d1")
	    HOP("x.example", "192.0.2.1", "bulk.example", "d2"), NULL,
	    "198.51.100.41", "d1" },
	{ "webmail: X-Originating-IP",
	    HOP("mail-sor-f41.google.com", "209.85.220.41",
	    "mx.isp.example.com", "d1")
	    "Received: by 10.70.22.98 with HTTP; d2\n"
	    "X-Originating-IP: [198.51.100.80]\n", NULL, "209.85.220.41",
	    "d1" },
	{ "only internal hops, X-Originating-IP",
	    HOP("web1.isp.example.com", "10.0.0.1", "mx.isp.example.com", "d1")
	    "X-Originating-IP: [198.51.100.80]\n", NULL, "198.51.100.80",
	    "d1" },
	{ "quoted forward",
	    "Pat\n\n> Received: from vps-22.cloud.example (vps-22.cloud.example"
	    " [198.51.100.196])\n>         by mx.homemail.example.com with "
	    "ESMTP id a81kz;\n>         Fri, 04 Dec 2026 17:31:09 -0600\n"
	    ">\n> 148 failed logins from IP 203.0.113.9\n",
	    "homemail.example.com", "198.51.100.196",
	    "Fri, 04 Dec 2026 17:31:09 -0600" },
	{ "ipv6 client", HOP("v6.sender.example", "IPv6:2001:DB8:a0::25",
	    "mx.isp.example.com", "d1"), NULL, "2001:db8:a0::25", "d1" },
	{ "no chain", "From: a@b.example\n\nbody 198.51.100.1\n", NULL, NULL,
	    NULL },
	{ "garbage address", HOP("x", "999.1.1.1", "mx.isp.example.com",
	    "d1"), NULL, NULL, NULL },
	{ "empty", "", NULL, NULL, NULL },
};

/* test_rows - every row */
static void
test_rows(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		const struct row *r = &rows[i];
		char ip[IP_CANON_MAX], *date = NULL;
		bool ok = extract_origin(r->text, strlen(r->text), r->reporter,
		    ip, sizeof(ip), &date);

		if (ok != (r->ip != NULL))
			fail_msg("%s: found want %d got %d (%s)", r->label,
			    r->ip != NULL, ok, ok ? ip : "");
		if (ok && strcmp(ip, r->ip) != 0)
			fail_msg("%s: ip want %s got %s", r->label, r->ip, ip);
		if (ok && (date == NULL) != (r->date == NULL))
			fail_msg("%s: date want %s got %s", r->label,
			    r->date ? r->date : "-", date ? date : "-");
		if (ok && date != NULL && strcmp(date, r->date) != 0)
			fail_msg("%s: date want %s got %s", r->label, r->date,
			    date);
		free(date);
	}
}

struct msg_row {
	const char *label;
	const char *raw;
	const char *ips;	/* space separated */
};

#define ATTACHED(head, inner) \
	head "MIME-Version: 1.0\nContent-Type: multipart/mixed; " \
	"boundary=\"B\"\n\n--B\nContent-Type: text/plain\n\nSee attached.\n" \
	"--B\nContent-Type: message/rfc822\n\n" inner "\n--B--\n"

static const struct msg_row msg_rows[] = {
	{ "spam trap hit",
	    ATTACHED("From: trap@traps.example.net\nSubject: hit\n",
	    HOP("s.example", "198.51.100.167", "mx.traps.example.net", "d1")
	    "From: a@s.example\nSubject: buy\n\nbuy 203.0.113.1\n"),
	    "198.51.100.167" },
	{ "two attached messages",
	    "From: trap@traps.example.net\nMIME-Version: 1.0\nContent-Type: "
	    "multipart/mixed; boundary=\"B\"\n\n--B\nContent-Type: "
	    "message/rfc822\n\n" HOP("s.example", "198.51.100.1",
	    "mx.traps.example.net", "d1") "Subject: 1\n\nx\n--B\n"
	    "Content-Type: message/rfc822\n\n" HOP("t.example", "198.51.100.2",
	    "mx.traps.example.net", "d1") "Subject: 2\n\ny\n--B--\n",
	    "198.51.100.1 198.51.100.2" },
	{ "bounce: no sender",
	    ATTACHED("Return-Path: <>\nFrom: x@isp.example.net\n",
	    HOP("out.example.org", "192.0.2.25", "mx.isp.example.net", "d1")
	    "Subject: our reply\n\nx\n"), "" },
	{ "delivery status part",
	    "From: postmaster@isp.example.net\nMIME-Version: 1.0\n"
	    "Content-Type: multipart/report; report-type=delivery-status; "
	    "boundary=\"B\"\n\n--B\nContent-Type: text/plain\n\nfailed\n--B\n"
	    "Content-Type: message/delivery-status\n\nAction: failed\n\n--B\n"
	    "Content-Type: message/rfc822\n\n" HOP("out.example.org",
	    "192.0.2.25", "mx.isp.example.net", "d1")
	    "Subject: x\n\nx\n--B--\n",
	    "" },
	{ "read receipt",
	    "From: a@isp.example.net\nMIME-Version: 1.0\nContent-Type: "
	    "multipart/report; boundary=\"B\"\n\n--B\nContent-Type: "
	    "message/disposition-notification\n\nDisposition: displayed\n\n"
	    "--B\nContent-Type: text/rfc822-headers\n\n" HOP("out.example.org",
	    "192.0.2.25", "mx.isp.example.net", "d1") "\n--B--\n", "" },
	{ "vacation notice",
	    ATTACHED("From: a@isp.example.net\nAuto-Submitted: auto-replied\n",
	    HOP("out.example.org", "192.0.2.25", "mx.isp.example.net", "d1")
	    "Subject: x\n\nx\n"), "" },
	{ "pasted in the text",
	    "From: pat@homemail.example.com\nSubject: scam\n\nBelow.\n\n"
	    "> Received: from v.example (v.example [198.51.100.196])\n"
	    ">  by mx.homemail.example.com; Fri, 04 Dec 2026 17:31:09 -0600\n"
	    ">\n> logins from 203.0.113.9\n", "198.51.100.196" },
};

/* test_messages - whole complaints through mime_parse */
static void
test_messages(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(msg_rows) / sizeof(msg_rows[0]); i++) {
		const struct msg_row *r = &msg_rows[i];
		struct parsed_msg m;
		struct strvec ips;
		struct buf got;
		char *date;

		mime_parse(r->raw, strlen(r->raw), 0, &m);
		strvec_init(&ips);
		extract_origins(&m, &ips, &date);
		buf_init(&got);
		for (size_t k = 0; k < ips.n; k++)
			buf_printf(&got, "%s%s", k ? " " : "", ips.v[k]);
		if (strcmp(got.s, r->ips) != 0)
			fail_msg("%s: want '%s' got '%s'", r->label, r->ips,
			    got.s);
		buf_free(&got);
		free(date);
		strvec_free(&ips);
		parsed_msg_free(&m);
	}
}

/* test_hostile - 500 hops of one organisation: bounded, and the chain
 * is cut before any outside client shows */
static void
test_hostile(void **state)
{
	struct buf b;
	char ip[IP_CANON_MAX], *date;

	(void)state;
	buf_init(&b);
	for (int i = 0; i < 500; i++)
		buf_printf(&b, "Received: from h%d.isp.example.com "
		    "(h%d.isp.example.com [192.0.2.%d]) by h%d.isp.example.com;"
		    " d\n", i + 1, i + 1, i % 250 + 1, i);
	buf_puts(&b, HOP("s.example", "198.51.100.1", "h500.isp.example.com",
	    "d"));
	assert_false(extract_origin(b.s, b.len, NULL, ip, sizeof(ip), &date));
	assert_null(date);
	buf_free(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rows),
		cmocka_unit_test(test_messages),
		cmocka_unit_test(test_hostile),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
