/*
 * test_evidence.c - unit tests for milter/evidence/evidence.c: the old
 * name of the bare-address reader, the table of report parsers, the
 * order in which evidence_collect trusts its sources, and the evidence
 * of real complaints in ../shared/corpus/real (skipped when absent;
 * every expected value was read off the sample by hand).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "evidence/evidence.h"
#include "parse/message.h"
#include "parse/rfc5322.h"
#include "util/util.h"

#ifndef TEST_SRCDIR
#define TEST_SRCDIR "."
#endif

#define NROWS(t) (sizeof(t) / sizeof((t)[0]))

/* msg_init - an empty message as mime.c leaves it */
static void
msg_init(struct parsed_msg *m)
{
	memset(m, 0, sizeof(*m));
	buf_init(&m->text);
	buf_init(&m->evidence);
	m->hdrs = xcalloc(8, sizeof(*m->hdrs));
}

/* msg_header - add a top-level header */
static void
msg_header(struct parsed_msg *m, const char *name, const char *value)
{
	m->hdrs[m->nhdrs].name = xstrdup(name);
	m->hdrs[m->nhdrs++].value = xstrdup(value);
}

/* msg_part - add a part as mime.c would list it */
static void
msg_part(struct parsed_msg *m, const char *ct, const char *filename,
    enum part_role role, const char *data)
{
	struct msg_part *pt;

	m->parts = xrealloc(m->parts, (m->nparts + 1) * sizeof(*m->parts));
	pt = &m->parts[m->nparts++];
	pt->content_type = xstrdup(ct);
	pt->filename = filename ? xstrdup(filename) : NULL;
	pt->data = xstrdup(data);
	pt->len = strlen(data);
	pt->role = role;
}

/* fields_dump - the fields as "key=value" lines */
static char *
fields_dump(const struct kvlist *kl)
{
	struct buf b;

	buf_init(&b);
	for (size_t i = 0; i < kl->n; i++)
		buf_printf(&b, "%s=%s\n", kl->v[i].key, kl->v[i].val);
	return buf_steal(&b);
}

#define MR	"multipart/report; report-type=feedback-report"
#define FBR	"message/feedback-report"

/* report_row - one message of report parts and every field expected */
static const struct report_row {
	const char *label;
	const char *parts[3][3];	/* content type, file name, data */
	const char *want;		/* "key=value\n" lines, in order */
} report_rows[] = {
	{"XARF v3 inside ARF: JSON part handed to the X-ARF parser", {
	    {FBR, NULL, "Feedback-Type: xarf\nUser-Agent: abusix\nVersion: 1\n"},
	    {"application/json", "report.json",
		"{\"Version\":\"3\",\"ReporterInfo\":{\"ReporterOrgEmail\":"
		"\"reports@example.com\"},\"Report\":{\"ReportClass\":\"Activity\","
		"\"ReportType\":\"Spam\",\"SourceIp\":\"192.0.2.55\","
		"\"SourcePort\":52541,\"Date\":\"2018-02-05T14:17:10Z\"}}"},
	    {"message/rfc822", NULL, "Subject: x\n\ny\n"}},
	    "report=arf\narf.Feedback-Type=xarf\narf.User-Agent=abusix\n"
	    "arf.Version=1\nreport=xarf\nxarf.Reported-From=reports@example.com\n"
	    "xarf.Category=Activity\nxarf.Report-Type=Spam\n"
	    "xarf.Source=192.0.2.55\nxarf.Port=52541\n"
	    "xarf.Date=2018-02-05T14:17:10Z\nxarf.Version=3\n"
	    "xarf.Source-Type=ip-address\n"},
	{"Feedback-Type: xarf with broken JSON keeps the ARF fields", {
	    {FBR, NULL, "Feedback-Type: xarf\n"},
	    {"application/json", NULL, "{\"Report\": {"}},
	    "report=arf\narf.Feedback-Type=xarf\n"},
	{"JSON beside an abuse ARF is not read", {
	    {FBR, NULL, "Feedback-Type: abuse\n"},
	    {"application/json", NULL,
		"{\"Report\":{\"ReportClass\":\"Activity\"}}"}},
	    "report=arf\narf.Feedback-Type=abuse\n"},
};

/* test_reports - the report parsers run in the table's order, and the
 * XARF document beside an ARF report is read right after it */
static void
test_reports(void **state)
{
	for (size_t i = 0; i < NROWS(report_rows); i++) {
		const struct report_row *r = &report_rows[i];
		struct parsed_msg m;
		struct kvlist kl;
		char *got;

		msg_init(&m);
		msg_header(&m, "Content-Type", MR);
		for (size_t k = 0; k < 3 && r->parts[k][0] != NULL; k++)
			msg_part(&m, r->parts[k][0], r->parts[k][1],
			    strcmp(r->parts[k][0], "message/rfc822") == 0 ?
			    PART_EVIDENCE : PART_REPORT, r->parts[k][2]);
		kvlist_init(&kl);
		evidence_reports(&m, &kl);
		got = fields_dump(&kl);
		if (strcmp(got, r->want) != 0)
			fail_msg("row \"%s\":\n--- got\n%s--- want\n%s",
			    r->label, got, r->want);
		free(got);
		kvlist_free(&kl);
		parsed_msg_free(&m);
	}
}

/* ev_joined - "a,b" of the ips or ports, for comparing with a row */
static char *
ev_joined(const struct evidence *ev, bool ports)
{
	struct buf b;
	size_t n = ports ? ev->nports : ev->ips.n;

	buf_init(&b);
	for (size_t i = 0; i < n; i++) {
		if (i)
			buf_putc(&b, ',');
		if (ports)
			buf_printf(&b, "%d", ev->ports[i]);
		else
			buf_puts(&b, ev->ips.v[i]);
	}
	return b.s;
}

/* want - what one message must yield; NULL skips a check, "" for ips or
 * ports means none */
struct want {
	const char *ips;
	const char *ports;
	const char *case_id;
	const char *reporter;
	const char *timestamp;
};

/* check_str - one optional string field; counts a mismatch */
static int
check_str(const char *label, const char *what, const char *got,
    const char *want, bool check)
{
	if (!check || ((got == NULL) == (want == NULL) &&
	    (got == NULL || strcmp(got, want) == 0)))
		return 0;
	print_error("%s: %s got [%s], want [%s]\n", label, what,
	    got ? got : "NULL", want ? want : "NULL");
	return 1;
}

/* check_ev - compare evidence with a want; ids/reporter/time "-" means
 * "do not check", NULL means absent */
static int
check_ev(const char *label, const struct evidence *ev, const struct want *w)
{
	char *ips = ev_joined(ev, false), *ports = ev_joined(ev, true);
	int bad = 0;

	bad += check_str(label, "ips", ips, w->ips, w->ips != NULL);
	bad += check_str(label, "ports", ports, w->ports, w->ports != NULL);
	bad += check_str(label, "case_id", ev->case_id, w->case_id,
	    w->case_id == NULL || strcmp(w->case_id, "-") != 0);
	bad += check_str(label, "reporter", ev->reporter, w->reporter,
	    w->reporter == NULL || strcmp(w->reporter, "-") != 0);
	bad += check_str(label, "timestamp", ev->timestamp, w->timestamp,
	    w->timestamp == NULL || strcmp(w->timestamp, "-") != 0);
	free(ips);
	free(ports);
	return bad;
}

/* test_structured_first - fields a report parser left (pre-filled here,
 * as the parsers would add them) beat the Subject and the free text;
 * unusable field values fall through to the next source */
static void
test_structured_first(void **state)
{
	static const struct want w = {
	    "192.0.2.1,2001:db8::1,192.0.2.5,2001:db8::5", "35657,22",
	    "314620451", "reports@example.net", "2015-05-06T05:00:00Z"};
	struct parsed_msg m;
	struct evidence ev;

	msg_init(&m);
	msg_header(&m, "From", "Someone <someone@example.org>");
	msg_header(&m, "Subject", "Ticket #48213");
	buf_puts(&m.text, "198.51.100.7 attacked port 8080 at "
	    "2016-01-01 00:00:00 UTC. Case ID 777888\n");
	evidence_init(&ev);
	kvlist_add(&ev.fields, "acns.IP_Address", " 192.0.2.1 ");
	kvlist_add(&ev.fields, "xarf.Source", "2001:DB8::0:1");
	kvlist_add(&ev.fields, "xarf.Source", "www.example.com");
	kvlist_add(&ev.fields, "xarf.Source", "http://www.example.com/x");
	kvlist_add(&ev.fields, "xarf.Source", "http://192.0.2.5:8080/phish/");
	kvlist_add(&ev.fields, "xarf.Source", "https://[2001:db8::5]/x");
	kvlist_add(&ev.fields, "xarf.Source", "http://[2001:db8::6/x");
	kvlist_add(&ev.fields, "arf.Source-IP", "192.0.2.1");
	kvlist_add(&ev.fields, "acns.Port", "35657");
	kvlist_add(&ev.fields, "acns.Port", "abc");
	kvlist_add(&ev.fields, "xarf.Port", "22/tcp");
	kvlist_add(&ev.fields, "xarf.Port", "99999");
	kvlist_add(&ev.fields, "xarf.Report-ID", "xarf-loses-1");
	kvlist_add(&ev.fields, "acns.Case-ID", " #314620451 ");
	kvlist_add(&ev.fields, "acns.Email", "not an address");
	kvlist_add(&ev.fields, "xarf.Reported-From",
	    "Reports <reports@Example.NET>");
	kvlist_add(&ev.fields, "acns.TimeStamp", "garbage");
	kvlist_add(&ev.fields, "xarf.Date", "2015-05-06T05-00-00UTC");
	evidence_collect(&m, &ev);
	assert_int_equal(check_ev("structured", &ev, &w), 0);
	evidence_free(&ev);
	evidence_free(&ev);	/* a second free is harmless */
	parsed_msg_free(&m);
}

/* test_report_id_forms - an X-ARF id written as an address is printed
 * bare; one without a digit is not an id in that form: kept as written */
static void
test_report_id_forms(void **state)
{
	static const struct { const char *in, *want; } rows[] = {
		{"123456789@blocklist.de", "123456789"},
		{"takedown-response+0536145@netcraft.com", "0536145"},
		{"91942290@postfix.clean-mx.de", "91942290"},
		{"case-77@reports.example", "case-77"},
		{"nodigits@example.org", "nodigits@example.org"},
		{"A-1234", "A-1234"},
		{"x@localhost", "x@localhost"},
	};

	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct parsed_msg m;
		struct evidence ev;

		msg_init(&m);
		evidence_init(&ev);
		kvlist_add(&ev.fields, "xarf.Report-ID", rows[i].in);
		evidence_collect(&m, &ev);
		if (ev.case_id == NULL || strcmp(ev.case_id, rows[i].want) != 0)
			fail_msg("%s: got %s, want %s", rows[i].in,
			    ev.case_id ? ev.case_id : "(null)", rows[i].want);
		evidence_free(&ev);
		parsed_msg_free(&m);
	}
}

/* test_fallbacks - xarf.Report-ID and arf.Arrival-Date when ACNS is
 * absent; a control character makes an id field unusable */
static void
test_fallbacks(void **state)
{
	static const struct want w = {"", "", "123456789",
	    "someone@example.org", "2005-03-08T18:00:00Z"};
	struct parsed_msg m;
	struct evidence ev;

	msg_init(&m);
	msg_header(&m, "From", "Someone <someone@Example.ORG>");
	evidence_init(&ev);
	kvlist_add(&ev.fields, "acns.Case-ID", "12\x01" "34");
	kvlist_add(&ev.fields, "xarf.Report-ID", "123456789@blocklist.de");
	kvlist_add(&ev.fields, "arf.Arrival-Date",
	    "Tue, 8 Mar 2005 14:00:00 EDT");
	evidence_collect(&m, &ev);
	assert_int_equal(check_ev("fallbacks", &ev, &w), 0);
	evidence_free(&ev);
	parsed_msg_free(&m);
}

/* test_free_text - no report: own text only, never the quoted reply nor
 * the evidence parts; Reply-To beats From */
static void
test_free_text(void **state)
{
	static const struct want w = {"198.51.100.7", "22", "AB-2015-7",
	    "desk@example.net", "2015-05-06T03:00:00Z"};
	struct parsed_msg m;
	struct evidence ev;

	msg_init(&m);
	msg_header(&m, "From", "Site Owner <owner@example.com>");
	msg_header(&m, "Reply-To", "Desk <desk@Example.Net>");
	msg_header(&m, "Subject", "Attack from your network");
	msg_header(&m, "Date", "Thu, 07 May 2015 10:00:00 +0000");
	buf_puts(&m.text, "Hello,\n\nOur reference: AB-2015-7\n\n"
	    "The host 198.51.100.7 attacked our SSH server on port 22 at "
	    "06.05.2015 05:00:00 CEST.\n\n"
	    "On Tue, 5 May 2015, Abuse <abuse@example.org> wrote:\n"
	    "> Ticket #48213: 203.0.113.9 port 443 at 2015-05-01 01:00:00\n");
	buf_puts(&m.evidence, "Received: from [192.0.2.55]\n");
	evidence_init(&ev);
	evidence_collect(&m, &ev);
	assert_int_equal(check_ev("free text", &ev, &w), 0);
	evidence_free(&ev);
	parsed_msg_free(&m);
}

/* subject_row - which case id wins between Subject and own text */
struct subject_row {
	const char *subject;
	const char *text;
	const char *want;
};

/* the Subject before the own text, also in a reply */
static const struct subject_row subject_rows[] = {
	{"Case ID 5551234", "See Ticket #999888\n", "5551234"},
	{"Re: Case ID 5551234", "See Ticket #999888\n", "5551234"},
	{"Re: thanks", "See Ticket #999888\n", "999888"},
	{"Re: thanks", "> See Ticket #999888\n", NULL},
	{"", "", NULL},
};

/* test_subject_and_text - the Subject's id beats the text's */
static void
test_subject_and_text(void **state)
{
	int bad = 0;

	for (size_t i = 0; i < NROWS(subject_rows); i++) {
		const struct want w = {NULL, NULL, subject_rows[i].want, "-",
		    "-"};
		struct parsed_msg m;
		struct evidence ev;

		msg_init(&m);
		msg_header(&m, "Subject", subject_rows[i].subject);
		buf_puts(&m.text, subject_rows[i].text);
		evidence_init(&ev);
		evidence_collect(&m, &ev);
		bad += check_ev(subject_rows[i].subject, &ev, &w);
		evidence_free(&ev);
		parsed_msg_free(&m);
	}
	assert_int_equal(bad, 0);
}

/* test_empty - a message with nothing in it */
static void
test_empty(void **state)
{
	static const struct want w = {"", "", NULL, NULL, NULL};
	struct parsed_msg m;
	struct evidence ev;

	msg_init(&m);
	evidence_init(&ev);
	evidence_collect(&m, &ev);
	assert_int_equal(check_ev("empty", &ev, &w), 0);
	/* no report field but the count of offenders */
	assert_int_equal(ev.fields.n, 1);
	assert_string_equal(kvlist_get(&ev.fields, "offenders"), "0");
	evidence_free(&ev);
	parsed_msg_free(&m);
}

/* test_bad_input - a 1 MB From and Subject, and report fields that do
 * not hold what they should: every value absent or taken from the next
 * source, nothing crashes */
static void
test_bad_input(void **state)
{
	static const struct want w = {"198.51.100.7", "", NULL, NULL, NULL};
	struct parsed_msg m;
	struct evidence ev;
	struct buf big;

	buf_init(&big);
	while (big.len < 1024 * 1024)
		buf_puts(&big, "x<y@ (\"Case ID ,");
	msg_init(&m);
	msg_header(&m, "From", big.s);
	msg_header(&m, "Subject", big.s);
	buf_puts(&m.text, "The host 198.51.100.7 attacked our server.\n");
	evidence_init(&ev);
	kvlist_add(&ev.fields, "acns.IP_Address", "999.1.1.1");
	kvlist_add(&ev.fields, "xarf.Source", "");
	kvlist_add(&ev.fields, "acns.Port", "0");
	kvlist_add(&ev.fields, "xarf.Port", "-22");
	kvlist_add(&ev.fields, "acns.Case-ID", "   ");
	kvlist_add(&ev.fields, "xarf.Report-ID", big.s + big.len - 200);
	kvlist_add(&ev.fields, "acns.Email", "");
	kvlist_add(&ev.fields, "xarf.Date", "2015-02-30T05:00:00Z");
	evidence_collect(&m, &ev);
	assert_int_equal(check_ev("bad input", &ev, &w), 0);
	evidence_free(&ev);
	parsed_msg_free(&m);
	buf_free(&big);
}

/* raw_row - a whole message through mime_parse and evidence_collect */
struct raw_row {
	const char *label;
	const char *raw;
	struct want w;
};

static const struct raw_row raw_rows[] = {
	{"arf: the original spam is evidence",
	    "From: FBL <fbl@isp.example>\r\n"
	    "Subject: Abuse report 4711\r\n"
	    "MIME-Version: 1.0\r\n"
	    "Content-Type: multipart/report; report-type=feedback-report;"
	    " boundary=\"b1\"\r\n\r\n"
	    "--b1\r\nContent-Type: text/plain\r\n\r\n"
	    "This is an abuse report.\r\n"
	    "--b1\r\nContent-Type: message/feedback-report\r\n\r\n"
	    "Feedback-Type: abuse\r\nUser-Agent: test/1\r\nVersion: 1\r\n"
	    "Source-IP: 192.0.2.89\r\n"
	    "Arrival-Date: Thu, 8 Mar 2005 14:00:00 EDT\r\n"
	    "--b1\r\nContent-Type: message/rfc822\r\n\r\n"
	    "Received: from [203.0.113.5] by mx; Wed, 7 Mar 2005 01:00:00 "
	    "+0000\r\nFrom: spammer@spam.example\r\nSubject: Ticket #999888"
	    "\r\n\r\nBuy now, case 31337, 198.51.100.99 port 8080\r\n"
	    "--b1--\r\n",
	    {"192.0.2.89", "", NULL, "fbl@isp.example",
	    "2005-03-08T18:00:00Z"}},
	{"x-arf: report.txt fields win",
	    "From: Reports <reports@blocklist.example>\n"
	    "Reply-To: <desk@blocklist.example>\n"
	    "Subject: abuse report about 192.0.2.150 - Case ID 5551234\n"
	    "X-ARF: YES\n"
	    "MIME-Version: 1.0\n"
	    "Content-Type: multipart/mixed; boundary=\"xb\"\n\n"
	    "--xb\nContent-Type: text/plain; charset=utf-8\n\n"
	    "The host 203.0.113.77 attacked us at 2015-01-01 00:00:00 UTC.\n"
	    "--xb\nContent-Type: text/plain; name=\"report.txt\"\n\n"
	    "---\nReported-From: abuse@blocklist.example\n"
	    "Category: abuse\nReport-Type: login-attack\nService: ssh\n"
	    "Port: 22\nDate: Fri, 31 Jan 2014 07:19:02 +0100\n"
	    "Source-Type: ip-address\nSource: 192.0.2.150\n"
	    "Report-ID: 123456789@blocklist.example\n"
	    "--xb--\n",
	    {"192.0.2.150", "22", "123456789",
	    "abuse@blocklist.example", "2014-01-31T06:19:02Z"}},
};

/* test_raw_messages - the parsers and the combiner together */
static void
test_raw_messages(void **state)
{
	int bad = 0;

	for (size_t i = 0; i < NROWS(raw_rows); i++) {
		struct parsed_msg m;
		struct evidence ev;

		mime_parse(raw_rows[i].raw, strlen(raw_rows[i].raw),
		    1024 * 1024, &m);
		evidence_init(&ev);
		evidence_collect(&m, &ev);
		bad += check_ev(raw_rows[i].label, &ev, &raw_rows[i].w);
		evidence_free(&ev);
		parsed_msg_free(&m);
	}
	assert_int_equal(bad, 0);
}

/* sample_row - a real complaint and what it says */
struct sample_row {
	const char *file;
	struct want w;
};

static const struct sample_row sample_rows[] = {
	/* ACNS inline (PGP clear-signed) and attached */
	{"abuseio-ipechelon-1.eml", {"192.168.2.200", "35657", "314620451",
	    "copyright@ip-echelon.com", "2015-11-13T20:35:03Z"}},
	/* ACNS inside dash-escaped PGP text; the Subject's number loses */
	{"abuseio-copyrightcompliance-1.eml", {"10.0.2.100", "34890",
	    "312-200234534", "starz_media@copyright-compliance.com",
	    "2015-09-04T13:19:53Z"}},
	/* X-ARF 0.2: Report-ID "123456789@blocklist.de", printed bare */
	{"abuseio-blocklistde-1.eml", {"10.0.2.150", "80",
	    "123456789", "abuse-team@blocklist.de",
	    "2014-01-31T06:19:02Z"}},
	/* X-ARF Report-ID "takedown-response+0317484@..." beats "Issue 1234567" */
	{"abuseio-netcraft-1-malware.eml", {"10.0.2.2", NULL,
	    "0317484", "takedown@netcraft.com",
	    "2015-07-23T01:58:17Z"}},
	/* ARF: the original spam's addresses and dates are evidence */
	{"abuseio-spamexperts-1-arf.eml", {"172.16.10.13", NULL, NULL,
	    "admin@server1.test17.example.com", "2015-08-04T08:51:18Z"}},
	/* JMRP: no report, no text, only the attached spam: the Subject's
	 * address before the spam's own Received hops; the time is when
	 * the spam reached the receiver (its top hop) */
	{"sisimai-arf-22-hotmail-jmrp.eml", {"192.0.2.222", NULL, NULL,
	    "staff@hotmail.com", "2016-04-29T23:34:45Z"}},
	/* ARF with the older Received-Date */
	{"abuseio-fbl-aol-1.eml", {"10.17.18.1", NULL, NULL, "scomp@aol.net",
	    "2016-01-19T19:32:40Z"}},
	/* an OTRS ticket tag in the Subject; Reply-To beats From */
	{"abuseio-cyscon-1.eml", {NULL, NULL, "2015092310000001",
	    "sitesecurity@cyscon.de", "-"}},
};

/* test_real_samples - evidence of real complaints, when present */
static void
test_real_samples(void **state)
{
	int bad = 0, seen = 0;

	for (size_t i = 0; i < NROWS(sample_rows); i++) {
		char *path = xasprintf("%s/../shared/corpus/real/%s",
		    TEST_SRCDIR, sample_rows[i].file);
		struct parsed_msg m;
		struct evidence ev;
		size_t len;
		char *raw = util_read_file(path, &len);

		free(path);
		if (raw == NULL)
			continue;
		seen++;
		mime_parse(raw, len, 2 * 1024 * 1024, &m);
		evidence_init(&ev);
		evidence_collect(&m, &ev);
		bad += check_ev(sample_rows[i].file, &ev, &sample_rows[i].w);
		evidence_free(&ev);
		parsed_msg_free(&m);
		free(raw);
	}
	if (seen == 0)
		skip();
	assert_int_equal(bad, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reports),
		cmocka_unit_test(test_structured_first),
		cmocka_unit_test(test_fallbacks),
		cmocka_unit_test(test_report_id_forms),
		cmocka_unit_test(test_free_text),
		cmocka_unit_test(test_subject_and_text),
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_bad_input),
		cmocka_unit_test(test_raw_messages),
		cmocka_unit_test(test_real_samples),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
