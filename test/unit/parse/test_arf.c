/*
 * test_arf.c - unit tests of milter/parse/arf.c (RFC 5965 feedback reports).
 *
 * Messages are built by hand (no mime.c), one table row per shape: the
 * fields arf_parse appends are printed as "key=value" lines and compared
 * with the row's expectation, so order, spelling and absence all count.
 * Bad input (empty, binary, NUL bytes, a 1 MB value, lines without
 * colon) must give a clean "absent" or the readable part of the report.
 * The line grammar itself is tested in test_fields.c, the hand-over of
 * the XARF document beside a report in test_evidence.c.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "parse/arf.h"
#include "parse/fields.h"

#ifndef TEST_SRCDIR
#define TEST_SRCDIR "."
#endif

#define MAXP	4

struct part_spec {
	const char *ct;
	const char *filename;
	enum part_role role;
	const char *data;
	size_t len;		/* 0: strlen(data) */
};

struct row {
	const char *label;
	const char *top_ct;	/* top-level Content-Type, or NULL */
	struct part_spec parts[MAXP];
	bool want_found;
	const char *want;	/* "key=value\n" lines, in order */
};

/* msg_build - a parsed_msg as mime.c would leave it */
static void
msg_build(struct parsed_msg *m, const char *top_ct,
    const struct part_spec *ps, size_t np)
{
	memset(m, 0, sizeof(*m));
	buf_init(&m->text);
	buf_init(&m->evidence);
	m->hdrs = xcalloc(2, sizeof(*m->hdrs));
	m->hdrs[m->nhdrs].name = xstrdup("Subject");
	m->hdrs[m->nhdrs++].value = xstrdup("complaint");
	if (top_ct != NULL) {
		m->hdrs[m->nhdrs].name = xstrdup("Content-Type");
		m->hdrs[m->nhdrs++].value = xstrdup(top_ct);
	}
	m->parts = xcalloc(np ? np : 1, sizeof(*m->parts));
	for (size_t i = 0; i < np; i++) {
		size_t len = ps[i].len ? ps[i].len : strlen(ps[i].data);
		struct msg_part *pt = &m->parts[i];

		pt->content_type = ps[i].ct ? xstrdup(ps[i].ct) : NULL;
		pt->filename = ps[i].filename ? xstrdup(ps[i].filename) : NULL;
		pt->data = xmalloc(len + 1);
		memcpy(pt->data, ps[i].data, len);
		pt->data[len] = '\0';
		pt->len = len;
		pt->role = ps[i].role;
	}
	m->nparts = np;
}

/* dump - the kvlist as "key=value" lines */
static char *
dump(const struct kvlist *kl)
{
	struct buf b;
	char *s;

	buf_init(&b);
	for (size_t i = 0; i < kl->n; i++)
		buf_printf(&b, "%s=%s\n", kl->v[i].key, kl->v[i].val);
	s = buf_steal(&b);
	return s;
}

/* LIT - a literal with NUL bytes and its real length */
#define LIT(s)	s, sizeof(s) - 1
#define MR	"multipart/report; report-type=feedback-report"
#define FBR	"message/feedback-report"

static const struct row rows[] = {
	{"aol: Received-Date is Arrival-Date, unknown fields as written", MR, {
	    {"text/plain", NULL, PART_TEXT, "This is an email abuse report\n", 0},
	    {FBR, NULL, PART_REPORT,
		"Feedback-Type: abuse\nUser-Agent: AOL SComp\nVersion: 0.1\n"
		"Received-Date: Tue, 19 Jan 2016 14:32:40 -0500 (EST)\n"
		"Source-IP: 10.17.18.1\nReported-Domain: server.domain5.tld\n"
		"Redacted-Address: redacted\nRedacted-Address: redacted@\n\n\n", 0},
	    {"message/rfc822", NULL, PART_EVIDENCE, "From: x@y\n\nspam\n", 0}},
	    true,
	    "report=arf\narf.Feedback-Type=abuse\narf.User-Agent=AOL SComp\n"
	    "arf.Version=0.1\n"
	    "arf.Arrival-Date=Tue, 19 Jan 2016 14:32:40 -0500 (EST)\n"
	    "arf.Source-IP=10.17.18.1\narf.Reported-Domain=server.domain5.tld\n"
	    "arf.Redacted-Address=redacted\narf.Redacted-Address=redacted@\n"},
	{"lower-case names, CRLF, repeated Original-Rcpt-To", MR, {
	    {FBR, NULL, PART_REPORT,
		"source-ip: 10.0.0.1\r\nUSER-AGENT: ReturnPathFBL/2.0\r\n"
		"original-rcpt-to: a@example.com\r\n"
		"Original-Rcpt-To: <b@example.net>\r\n"
		"feedback-type: abuse\r\n", 0}},
	    true,
	    "report=arf\narf.Source-IP=10.0.0.1\narf.User-Agent=ReturnPathFBL/2.0\n"
	    "arf.Original-Rcpt-To=a@example.com\n"
	    "arf.Original-Rcpt-To=<b@example.net>\narf.Feedback-Type=abuse\n"},
	{"folded value, blank space around colon, Reported-URI repeats", MR, {
	    {FBR, NULL, PART_REPORT,
		"Feedback-Type :  abuse  \nAuthentication-Results: mx.example;\n"
		"\tspf=fail smtp.mailfrom=example.com\n"
		"Reported-URI: http://a.example/\nReported-URI: http://b.example/\n"
		"Incidents: 3\n", 0}},
	    true,
	    "report=arf\narf.Feedback-Type=abuse\n"
	    "arf.Authentication-Results=mx.example; spf=fail "
	    "smtp.mailfrom=example.com\n"
	    "arf.Reported-URI=http://a.example/\narf.Reported-URI=http://b.example/\n"
	    "arf.Incidents=3\n"},
	{"report part typed text/plain inside multipart/report", MR, {
	    {"text/plain", NULL, PART_TEXT, "Please see below.\n", 0},
	    {"text/plain", NULL, PART_REPORT,
		"Feedback-Type: fraud\nSource-IP: 192.0.2.7\n", 0}},
	    true, "report=arf\narf.Feedback-Type=fraud\narf.Source-IP=192.0.2.7\n"},
	{"Feedback-Type text without multipart/report is no ARF", "text/plain", {
	    {"text/plain", NULL, PART_TEXT,
		"Feedback-Type: abuse\nSource-IP: 192.0.2.7\n", 0}},
	    false, ""},
	{"no report part", "multipart/mixed", {
	    {"text/plain", NULL, PART_TEXT, "You spammed us from 192.0.2.1\n", 0}},
	    false, ""},
	{"report quoted inside evidence is not ours", "multipart/mixed", {
	    {"text/plain", NULL, PART_TEXT, "fwd\n", 0},
	    {FBR, NULL, PART_EVIDENCE, "Feedback-Type: abuse\n", 0}},
	    false, ""},
	{"empty report part", MR, {{FBR, NULL, PART_REPORT, "", 0}}, false, ""},
	{"blank report part", MR, {{FBR, NULL, PART_REPORT, "\n\r\n  \n", 0}},
	    false, ""},
	{"binary garbage", MR, {{FBR, NULL, PART_REPORT,
	    LIT("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\xff\x08\x06")}},
	    false, ""},
	{"NUL bytes: in a value become space, in a name drop the line", MR, {
	    {FBR, NULL, PART_REPORT,
		LIT("Feedback-Type: ab\0use\nSource\0-IP: 192.0.2.1\n"
		"Reported-Domain: example.org\0\n")}},
	    true, "report=arf\narf.Feedback-Type=ab use\n"
	    "arf.Reported-Domain=example.org\n"},
	{"field line without colon is skipped", MR, {
	    {FBR, NULL, PART_REPORT,
		"Feedback-Type abuse\nSource-IP: 192.0.2.9\nno colon here\n", 0}},
	    true, "report=arf\narf.Source-IP=192.0.2.9\n"},
	{"prose with a colon is no field", MR, {
	    {FBR, NULL, PART_REPORT,
		"Dear abuse team: see below\nFeedback-Type: abuse\n", 0}},
	    true, "report=arf\narf.Feedback-Type=abuse\n"},
	{"empty values are no fields", MR, {
	    {FBR, NULL, PART_REPORT,
		"Reported-Domain:\nFeedback-Type: abuse\nSource-IP:   \n", 0}},
	    true, "report=arf\narf.Feedback-Type=abuse\n"},
	{"only lines without colon: absent", MR, {
	    {FBR, NULL, PART_REPORT, "hello\nworld\n", 0}}, false, ""},
	{"invalid UTF-8 is replaced, valid kept", MR, {
	    {FBR, NULL, PART_REPORT,
		"Feedback-Type: abuse\nUser-Agent: Caf\xc3\xa9 \xff\xfe FBL\n", 0}},
	    true, "report=arf\narf.Feedback-Type=abuse\n"
	    "arf.User-Agent=Caf\xc3\xa9 ?? FBL\n"},
	{"continuation line before any field is ignored", MR, {
	    {FBR, NULL, PART_REPORT, "  stray\nFeedback-Type: abuse\n", 0}},
	    true, "report=arf\narf.Feedback-Type=abuse\n"},
	{"quoted report-type parameter", "multipart/report; report-type=\"feedback-report\"; boundary=x", {
	    {"text/plain", NULL, PART_REPORT, "Feedback-Type: virus\n", 0}},
	    true, "report=arf\narf.Feedback-Type=virus\n"},
	{"delivery-status report is no ARF", "multipart/report; report-type=delivery-status", {
	    {"message/delivery-status", NULL, PART_REPORT,
		"Reporting-MTA: dns; mx.example\nFeedback-Type: abuse\n", 0}},
	    false, ""},
	{"Feedback-Type: xarf with broken JSON keeps the ARF fields", MR, {
	    {FBR, NULL, PART_REPORT, "Feedback-Type: xarf\n", 0},
	    {"application/json", NULL, PART_REPORT, "{\"Report\": {", 0}},
	    true, "report=arf\narf.Feedback-Type=xarf\n"},
	{"JSON beside an abuse ARF is not read", MR, {
	    {FBR, NULL, PART_REPORT, "Feedback-Type: abuse\n", 0},
	    {"application/json", NULL, PART_REPORT,
		"{\"Report\":{\"ReportClass\":\"Activity\"}}", 0}},
	    true, "report=arf\narf.Feedback-Type=abuse\n"},
};

/* count_parts - rows list parts up to the first empty slot */
static size_t
count_parts(const struct row *r)
{
	size_t n = 0;

	while (n < MAXP && r->parts[n].data != NULL)
		n++;
	return n;
}

/* test_arf_rows - every row of the table */
static void
test_arf_rows(void **state)
{
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		const struct row *r = &rows[i];
		struct parsed_msg m;
		struct kvlist kl;
		bool found;
		char *got;

		msg_build(&m, r->top_ct, r->parts, count_parts(r));
		kvlist_init(&kl);
		found = arf_parse(&m, &kl);
		got = dump(&kl);
		if (found != r->want_found || strcmp(got, r->want) != 0)
			fail_msg("row \"%s\": found=%d want %d\n--- got\n%s--- want\n%s",
			    r->label, found, r->want_found, got, r->want);
		free(got);
		kvlist_free(&kl);
		parsed_msg_free(&m);
	}
}

/* test_arf_long_value - a 1 MB value is cut, the rest still read */
static void
test_arf_long_value(void **state)
{
	size_t big = 1024 * 1024;
	struct buf in;
	struct part_spec ps = {FBR, NULL, PART_REPORT, NULL, 0};
	struct parsed_msg m;
	struct kvlist kl;
	const char *v;

	buf_init(&in);
	buf_puts(&in, "Feedback-Type: abuse\nReported-URI: ");
	for (size_t i = 0; i < big; i++)
		buf_putc(&in, 'a');
	buf_puts(&in, "\n\tcontinued\nSource-IP: 192.0.2.1\n");
	ps.data = in.s;
	ps.len = in.len;
	msg_build(&m, MR, &ps, 1);
	kvlist_init(&kl);
	assert_true(arf_parse(&m, &kl));
	assert_string_equal(kvlist_get(&kl, "arf.Feedback-Type"), "abuse");
	v = kvlist_get(&kl, "arf.Reported-URI");
	assert_non_null(v);
	assert_int_equal(strlen(v), FIELDS_VALUE_MAX);
	assert_int_equal(strspn(v, "a"), FIELDS_VALUE_MAX);
	/* the scan stops long before: Source-IP lies 1 MB deep */
	assert_null(kvlist_get(&kl, "arf.Source-IP"));
	kvlist_free(&kl);
	parsed_msg_free(&m);
	buf_free(&in);
}

/* test_arf_xarf_json - the JSON part beside a "Feedback-Type: xarf"
 * report, found for the caller (evidence.c) to hand to the XARF parser;
 * none beside other reports, none without a report */
static void
test_arf_xarf_json(void **state)
{
	static const char json[] =
	    "{\"Report\":{\"ReportClass\":\"Activity\"}}";
	const struct part_spec xarf[] = {
		{FBR, NULL, PART_REPORT, "Feedback-Type: xarf\n", 0},
		{"text/plain", NULL, PART_TEXT, "see attached\n", 0},
		{"application/octet-stream", "REPORT.JSON", PART_REPORT, json,
		    0},
	};
	const struct part_spec abuse[] = {
		{FBR, NULL, PART_REPORT, "Feedback-Type: abuse\n", 0},
		{"application/json", NULL, PART_REPORT, json, 0},
	};
	const struct part_spec bare[] = {
		{"text/plain", NULL, PART_TEXT, "{\"not\": \"a report\"}\n", 0},
		{"application/json", NULL, PART_REPORT, json, 0},
	};
	struct parsed_msg m;

	msg_build(&m, MR, xarf, 3);
	assert_ptr_equal(arf_xarf_json(&m), &m.parts[2]);
	parsed_msg_free(&m);
	msg_build(&m, MR, xarf, 2);	/* no JSON part: the text is none */
	assert_null(arf_xarf_json(&m));
	parsed_msg_free(&m);
	msg_build(&m, MR, abuse, 2);
	assert_null(arf_xarf_json(&m));
	parsed_msg_free(&m);
	msg_build(&m, "multipart/mixed", bare, 2);
	assert_null(arf_xarf_json(&m));
	parsed_msg_free(&m);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_arf_rows),
		cmocka_unit_test(test_arf_long_value),
		cmocka_unit_test(test_arf_xarf_json),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
