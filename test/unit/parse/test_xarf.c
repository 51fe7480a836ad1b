/*
 * test_xarf.c - unit tests of milter/parse/xarf.c (X-ARF 0.1/0.2 YAML reports,
 * XARF v3/v4 JSON).
 *
 * Messages are built by hand (no mime.c). Each table row lists headers
 * and parts and the exact "key=value" lines xarf_parse must append.
 * Bad input (empty, binary, NUL bytes, 1 MB values, YAML anchor bombs,
 * deep nesting, invalid JSON, lines without colon) must end in a clean
 * "absent" or the readable part of the report.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "parse/fields.h"
#include "parse/xarf.h"

#ifndef TEST_SRCDIR
#define TEST_SRCDIR "."
#endif

#define MAXP	4
#define MAXH	3

struct part_spec {
	const char *ct;
	const char *filename;
	enum part_role role;
	const char *data;
	size_t len;		/* 0: strlen(data) */
};

struct row {
	const char *label;
	const char *hdrs[MAXH][2];	/* name, value */
	struct part_spec parts[MAXP];
	bool want_found;
	const char *want;	/* "key=value\n" lines, in order */
};

/* msg_build - a parsed_msg as mime.c would leave it */
static void
msg_build(struct parsed_msg *m, const char *const (*hdrs)[2],
    const struct part_spec *ps, size_t np)
{
	memset(m, 0, sizeof(*m));
	buf_init(&m->text);
	buf_init(&m->evidence);
	m->hdrs = xcalloc(MAXH, sizeof(*m->hdrs));
	for (size_t i = 0; hdrs != NULL && i < MAXH && hdrs[i][0] != NULL; i++) {
		m->hdrs[i].name = xstrdup(hdrs[i][0]);
		m->hdrs[i].value = xstrdup(hdrs[i][1]);
		m->nhdrs++;
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
#define TXT	"text/plain"
#define HUMAN	{TXT, NULL, PART_TEXT, "Your host attacked us.\n", 0}

/* valid YAML, X-ARF 0.2 as fail2ban reporters send it */
#define Y02 "---\nReported-From: abuse-team@reporter.example\nCategory: abuse\n" \
	"Report-Type: login-attack\nService: ssh\nVersion: 0.2\n" \
	"User-Agent: Fail2BanFeedBackScript V0.2\n" \
	"Date: Fri, 31 Jan 2014 07:19:02 +0100\nSource-Type: ip-address\n" \
	"Source: 198.51.100.23\nPort: 22\nReport-ID: 4711@reporter.example\n" \
	"Schema-URL: http://www.x-arf.org/schema/abuse_login-attack_0.1.0.json\n" \
	"Attachment: text/plain\n"
#define Y02_WANT "report=xarf\nxarf.Reported-From=abuse-team@reporter.example\n" \
	"xarf.Category=abuse\nxarf.Report-Type=login-attack\nxarf.Service=ssh\n" \
	"xarf.Version=0.2\nxarf.User-Agent=Fail2BanFeedBackScript V0.2\n" \
	"xarf.Date=Fri, 31 Jan 2014 07:19:02 +0100\n" \
	"xarf.Source-Type=ip-address\nxarf.Source=198.51.100.23\nxarf.Port=22\n" \
	"xarf.Report-ID=4711@reporter.example\n" \
	"xarf.Schema-URL=http://www.x-arf.org/schema/abuse_login-attack_0.1.0.json\n" \
	"xarf.Attachment=text/plain\n"

#define V3 "{\"Version\":\"3\",\"ReporterInfo\":{\"ReporterOrg\":\"Example\"," \
	"\"ReporterOrgEmail\":\"org@example.com\"," \
	"\"ReporterContactEmail\":\"contact@example.com\"},\"Disclosure\":true," \
	"\"Report\":{\"ReportClass\":\"Activity\",\"ReportType\":\"LoginAttack\"," \
	"\"Date\":\"2018-02-05T14:17:10Z\",\"SourceIp\":\"192.0.2.55\"," \
	"\"SourcePort\":52541,\"DestinationPort\":22,\"Service\":\"ssh\"," \
	"\"Samples\":[{\"ContentType\":\"text/plain\"}]}}"

static const struct row rows[] = {
	{"0.2 report.txt, valid YAML, X-XARF header", {{"X-XARF", "PLAIN"}},
	    {HUMAN, {TXT, "report.txt", PART_REPORT, Y02, 0},
	    {TXT, "logfile.log", PART_OTHER, "198.51.100.23 - - [...]\n", 0}},
	    true, Y02_WANT},
	{"0.2 report found by content alone (no header, no name)", {{NULL, NULL}},
	    {HUMAN, {TXT, NULL, PART_TEXT, Y02, 0}}, true, Y02_WANT},
	{"not YAML (\"http: //\"): Key: value lines, trimmed", {{"X-Arf", "yes"}},
	    {HUMAN, {TXT, "report.txt", PART_REPORT,
		"---\nReported-From:  abuse@reporter.example\nCategory:  info\n"
		"Report-Type: harvesting\nSource: 192.0.2.20\nPort: 25\n"
		"Schema-URL: http: //support.reporter.example/schema/xarf.json\n", 0}},
	    true, "report=xarf\nxarf.Reported-From=abuse@reporter.example\n"
	    "xarf.Category=info\nxarf.Report-Type=harvesting\n"
	    "xarf.Source=192.0.2.20\nxarf.Port=25\n"
	    "xarf.Schema-URL=http: //support.reporter.example/schema/xarf.json\n"
	    "xarf.Source-Type=ip-address\n"},
	{"quoted YAML scalars; the first report part wins", {{NULL, NULL}},
	    {{TXT, "report.txt", PART_REPORT,
		"Category: \"abuse\"\nReport-Type: 'scan'\n", 0},
	    {TXT, "report.txt", PART_REPORT, "Category: spam\n", 0}},
	    true, "report=xarf\nxarf.Category=abuse\nxarf.Report-Type=scan\n"},
	{"quotes removed by the fallback, empty value dropped", {{NULL, NULL}},
	    {{TXT, "report.txt", PART_REPORT,
		"Category: \"abuse\"\nSource: ' 2001:db8::1 '\nService: \"\"\n"
		"Schema-URL: http: //x\n", 0}},
	    true, "report=xarf\nxarf.Category=abuse\nxarf.Source=2001:db8::1\n"
	    "xarf.Schema-URL=http: //x\nxarf.Source-Type=ip-address\n"},
	{"folded line in the fallback", {{NULL, NULL}},
	    {{TXT, "report.txt", PART_REPORT,
		"Category: abuse\nReport-Type: x\n\tcontinued\n"
		"Schema-URL: http: //x\n", 0}},
	    true, "report=xarf\nxarf.Category=abuse\n"
	    "xarf.Report-Type=x continued\nxarf.Schema-URL=http: //x\n"},
	{"URI source, 0.2 keys in other order, unknown keys as written",
	    {{"X-ARF", "YES"}},
	    {HUMAN, {TXT, "report.txt", PART_REPORT,
		"---\nAttachment: none\nCategory: fraud\nDomain: victim.example\n"
		"Report-ID: takedown+0536145@reporter.example\n"
		"Report-Type: phishing\nReported-From: takedown@reporter.example\n"
		"Source: http://www.victim.example/x/ii.php?rand=13&fid=1\n", 0}},
	    true, "report=xarf\nxarf.Attachment=none\nxarf.Category=fraud\n"
	    "xarf.Domain=victim.example\n"
	    "xarf.Report-ID=takedown+0536145@reporter.example\n"
	    "xarf.Report-Type=phishing\nxarf.Reported-From=takedown@reporter.example\n"
	    "xarf.Source=http://www.victim.example/x/ii.php?rand=13&fid=1\n"
	    "xarf.Source-Type=uri\n"},
	{"lower-case YAML attachment with Open-Arf header: ip is Source",
	    {{"Open-Arf", "YES"}},
	    {HUMAN, {TXT, "MALWARE-report.txt", PART_OTHER,
		"---\nuri: http://malware.example/\nip: 203.0.113.13\n"
		"first_seen: 2015-09-23 04:04:18 +0200\nsignature: X.MALWARE\n"
		"...\n", 0}},
	    true, "report=xarf\nxarf.uri=http://malware.example/\n"
	    "xarf.Source=203.0.113.13\nxarf.Date=2015-09-23 04:04:18 +0200\n"
	    "xarf.signature=X.MALWARE\nxarf.Source-Type=ip-address\n"},
	{"alias key kept as written when the real key is there",
	    {{"X-ARF", "yes"}},
	    {{TXT, "report.txt", PART_REPORT,
		"ip: 203.0.113.1\nSource: 203.0.113.2\nSource-Type: ip-address\n", 0}},
	    true, "report=xarf\nxarf.ip=203.0.113.1\nxarf.Source=203.0.113.2\n"
	    "xarf.Source-Type=ip-address\n"},
	{"two aliases for Source: the first one counts", {{"X-ARF", "yes"}},
	    {{TXT, "report.txt", PART_REPORT,
		"Category: abuse\nsrc_ip: 203.0.113.5\nip: 203.0.113.6\n", 0}},
	    true, "report=xarf\nxarf.Category=abuse\nxarf.Source=203.0.113.5\n"
	    "xarf.Source-Type=ip-address\n"},
	{"same attachment without header: not a report", {{NULL, NULL}},
	    {HUMAN, {TXT, "MALWARE-report.txt", PART_OTHER,
		"---\nuri: http://malware.example/\nip: 203.0.113.13\n", 0}},
	    false, ""},
	{"X-ARF: no is no hint", {{"X-ARF", "no"}},
	    {HUMAN, {TXT, "MALWARE-report.txt", PART_OTHER, "ip: 203.0.113.13\n",
		0}}, false, ""},
	{"prose with one key only is no report", {{"X-ARF", "yes"}},
	    {{TXT, NULL, PART_TEXT,
		"Hello,\nCategory: we think this is abuse\nregards\n", 0}},
	    false, ""},
	{"report quoted in evidence is not ours", {{NULL, NULL}},
	    {HUMAN, {TXT, "report.txt", PART_EVIDENCE, Y02, 0}}, false, ""},
	{"empty report.txt", {{"X-ARF", "yes"}},
	    {HUMAN, {TXT, "report.txt", PART_REPORT, "", 0}}, false, ""},
	{"report.txt of blanks and YAML markers", {{"X-ARF", "yes"}},
	    {{TXT, "report.txt", PART_REPORT, "---\n\n...\n", 0}}, false, ""},
	{"binary garbage named report.txt", {{"X-ARF", "yes"}},
	    {{"application/octet-stream", "report.txt", PART_REPORT,
		LIT("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x01\xff\xfe\x08")}},
	    false, ""},
	{"NUL bytes: YAML refuses, lines keep what is readable", {{NULL, NULL}},
	    {{TXT, "report.txt", PART_REPORT,
		LIT("Category: abuse\0\nReport-Type: scan\nSour\0ce: 192.0.2.1\n")}},
	    true, "report=xarf\nxarf.Category=abuse\nxarf.Report-Type=scan\n"},
	{"key line without colon is skipped", {{NULL, NULL}},
	    {{TXT, "report.txt", PART_REPORT,
		"Reported-From abuse@reporter.example\nCategory: abuse\n"
		"Report-Type: scan\n", 0}},
	    true, "report=xarf\nxarf.Category=abuse\nxarf.Report-Type=scan\n"},
	{"YAML that is a list, not a mapping: lines", {{NULL, NULL}},
	    {{TXT, "report.txt", PART_REPORT, "- a\n- b: c\n", 0}}, false, ""},
	{"anchors and aliases: never expanded, alias value absent",
	    {{NULL, NULL}},
	    {{TXT, "report.txt", PART_REPORT,
		"Category: &c abuse\nReport-Type: *c\nSource: 192.0.2.3\n"
		"a: &a [x, x, x, x]\nb: &b [*a, *a, *a, *a]\nc: [*b, *b, *b, *b]\n"
		"*c : 1\nService: ssh\n", 0}},
	    true, "report=xarf\nxarf.Category=abuse\nxarf.Source=192.0.2.3\n"
	    "xarf.Service=ssh\nxarf.Source-Type=ip-address\n"},
	{"nesting past 16 levels: YAML given up, lines read", {{NULL, NULL}},
	    {{TXT, "report.txt", PART_REPORT,
		"Category: abuse\nx: [[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]\n"
		"Report-Type: scan\n", 0}},
	    true, "report=xarf\nxarf.Category=abuse\n"
	    "xarf.x=[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]\nxarf.Report-Type=scan\n"},
	{"nesting of 16 levels is still YAML (value skipped)", {{NULL, NULL}},
	    {{TXT, "report.txt", PART_REPORT,
		"Category: abuse\nx: [[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]\n"
		"Report-Type: scan\n", 0}},
	    true, "report=xarf\nxarf.Category=abuse\nxarf.Report-Type=scan\n"},
	{"XARF v3 JSON attachment", {{NULL, NULL}},
	    {HUMAN, {"application/json", "xarf.json", PART_REPORT, V3, 0}},
	    true, "report=xarf\nxarf.Reported-From=contact@example.com\n"
	    "xarf.Category=Activity\nxarf.Report-Type=LoginAttack\n"
	    "xarf.Source=192.0.2.55\nxarf.Port=52541\n"
	    "xarf.Date=2018-02-05T14:17:10Z\nxarf.Service=ssh\nxarf.Version=3\n"
	    "xarf.DestinationPort=22\nxarf.ReporterOrg=Example\n"
	    "xarf.Disclosure=true\nxarf.Source-Type=ip-address\n"},
	{"XARF v3 JSON beside an ARF report is left to arf.c", {{NULL, NULL}},
	    {{"message/feedback-report", NULL, PART_REPORT,
		"Feedback-Type: xarf\n", 0},
	    {"application/json", NULL, PART_REPORT, V3, 0}}, false, ""},
	{"XARF v4 JSON (snake_case keys)", {{NULL, NULL}},
	    {{"application/json", NULL, PART_REPORT,
		"{\"xarf_version\":\"4.0.0\",\"report_id\":\"abc-1\","
		"\"timestamp\":\"2024-01-01T00:00:00Z\",\"reporter\":{\"org\":"
		"\"X\",\"contact\":\"abuse@x.example\"},\"source_identifier\":"
		"\"2001:db8::1\",\"source_port\":25,\"category\":\"messaging\","
		"\"type\":\"spam\"}", 0}},
	    true, "report=xarf\nxarf.Reported-From=abuse@x.example\n"
	    "xarf.Category=messaging\nxarf.Report-Type=spam\n"
	    "xarf.Source=2001:db8::1\nxarf.Port=25\n"
	    "xarf.Date=2024-01-01T00:00:00Z\nxarf.Report-ID=abc-1\n"
	    "xarf.Version=4.0.0\nxarf.org=X\nxarf.Source-Type=ip-address\n"},
	{"JSON that is no XARF", {{NULL, NULL}},
	    {{"application/json", NULL, PART_REPORT,
		"{\"reports\":[1,2],\"name\":\"x\"}", 0}}, false, ""},
	{"invalid JSON", {{NULL, NULL}},
	    {{"application/json", NULL, PART_REPORT,
		"{\"Report\":{\"ReportClass\":\"Activity\",}", 0}}, false, ""},
	{"JSON with text after the document: the document is read",
	    {{NULL, NULL}},
	    {{"application/json", NULL, PART_REPORT,
		"{\"Report\":{\"ReportClass\":\"Activity\"}}\n-- \nsig\n", 0}},
	    true, "report=xarf\nxarf.Category=Activity\n"},
	{"JSON with a NUL byte", {{NULL, NULL}},
	    {{"application/json", NULL, PART_REPORT,
		LIT("{\"Report\":{\"ReportClass\":\"Act\0ivity\"}}")}}, false, ""},
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

/* test_xarf_rows - every row of the table */
static void
test_xarf_rows(void **state)
{
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		const struct row *r = &rows[i];
		struct parsed_msg m;
		struct kvlist kl;
		bool found;
		char *got;

		msg_build(&m, r->hdrs, r->parts, count_parts(r));
		kvlist_init(&kl);
		found = xarf_parse(&m, &kl);
		got = dump(&kl);
		if (found != r->want_found || strcmp(got, r->want) != 0)
			fail_msg("row \"%s\": found=%d want %d\n--- got\n%s--- want\n%s",
			    r->label, found, r->want_found, got, r->want);
		free(got);
		kvlist_free(&kl);
		parsed_msg_free(&m);
	}
}

/* parse_text - xarf_parse_text on a buf; the fields found */
static void
parse_text(const struct buf *in, struct kvlist *kl, bool want)
{
	kvlist_init(kl);
	assert_int_equal(xarf_parse_text(in->s, in->len, kl), want);
}

/* test_xarf_long_value - a 1 MB value is cut, the fields before it kept */
static void
test_xarf_long_value(void **state)
{
	struct buf in;
	struct kvlist kl;
	const char *v;

	buf_init(&in);
	buf_puts(&in, "Category: abuse\nReport-Type: scan\nSource: ");
	for (size_t i = 0; i < 1024 * 1024; i++)
		buf_putc(&in, 'a');
	buf_puts(&in, "\nService: ssh\n");
	parse_text(&in, &kl, true);
	assert_string_equal(kvlist_get(&kl, "xarf.Category"), "abuse");
	v = kvlist_get(&kl, "xarf.Source");
	assert_non_null(v);
	assert_int_equal(strlen(v), FIELDS_VALUE_MAX);
	assert_int_equal(strspn(v, "a"), FIELDS_VALUE_MAX);
	/* a long value cannot name a source type */
	assert_null(kvlist_get(&kl, "xarf.Source-Type"));
	kvlist_free(&kl);
	buf_free(&in);
}

/* test_xarf_yaml_deep - deep nesting is given up on, lines still read */
static void
test_xarf_yaml_deep(void **state)
{
	struct buf in;
	struct kvlist kl;

	buf_init(&in);
	buf_puts(&in, "Category: abuse\nReport-Type: scan\nSource: ");
	for (size_t i = 0; i < 100000; i++)
		buf_putc(&in, '[');
	buf_putc(&in, '\n');
	parse_text(&in, &kl, true);
	assert_string_equal(kvlist_get(&kl, "xarf.Category"), "abuse");
	assert_string_equal(kvlist_get(&kl, "xarf.Report-Type"), "scan");
	assert_int_equal(strspn(kvlist_get(&kl, "xarf.Source"), "["),
	    FIELDS_VALUE_MAX);
	kvlist_free(&kl);
	buf_free(&in);
}

/* test_xarf_alias_bomb - "billion laughs": nine levels of ten aliases
 * would be 10^9 strings if expanded; skipped, the keys around survive */
static void
test_xarf_alias_bomb(void **state)
{
	struct buf in;
	struct kvlist kl;
	char *got;

	buf_init(&in);
	buf_puts(&in, "Category: abuse\nl0: &l0 [lol]\n");
	for (int i = 1; i < 10; i++) {
		buf_printf(&in, "l%d: &l%d [", i, i);
		for (int j = 0; j < 10; j++)
			buf_printf(&in, "%s*l%d", j ? ", " : "", i - 1);
		buf_puts(&in, "]\n");
	}
	buf_puts(&in, "bomb: *l9\nReport-Type: scan\n");
	parse_text(&in, &kl, true);
	got = dump(&kl);
	assert_string_equal(got, "report=xarf\nxarf.Category=abuse\n"
	    "xarf.Report-Type=scan\n");
	free(got);
	kvlist_free(&kl);
	buf_free(&in);
}

/* test_xarf_json_deep - nesting past the limit is invalid, not a crash */
static void
test_xarf_json_deep(void **state)
{
	struct buf in;
	struct kvlist kl;

	buf_init(&in);
	buf_puts(&in, "{\"Report\":{\"ReportClass\":\"Activity\",\"x\":");
	for (int i = 0; i < 100000; i++)
		buf_putc(&in, '[');
	for (int i = 0; i < 100000; i++)
		buf_putc(&in, ']');
	buf_puts(&in, "}}");
	kvlist_init(&kl);
	assert_false(xarf_parse_json(in.s, in.len, &kl));
	assert_int_equal(kl.n, 0);
	kvlist_free(&kl);
	buf_free(&in);
}

/* test_xarf_json_long - a 1 MB string value is cut */
static void
test_xarf_json_long(void **state)
{
	struct buf in;
	struct kvlist kl;

	buf_init(&in);
	buf_puts(&in, "{\"Report\":{\"ReportClass\":\"Activity\",\"SourceIp\":\"");
	for (int i = 0; i < 1024 * 1024; i++)
		buf_putc(&in, '7');
	buf_puts(&in, "\"}}");
	kvlist_init(&kl);
	assert_true(xarf_parse_json(in.s, in.len, &kl));
	assert_string_equal(kvlist_get(&kl, "xarf.Category"), "Activity");
	assert_int_equal(strlen(kvlist_get(&kl, "xarf.Source")), FIELDS_VALUE_MAX);
	assert_null(kvlist_get(&kl, "xarf.Source-Type"));
	kvlist_free(&kl);
	buf_free(&in);
}

/* test_xarf_json_bad - documents that are no XARF report, one per row */
static void
test_xarf_json_bad(void **state)
{
	static const char *const t[] = {
		"", "null", "[]", "\"Report\"", "42", "{}", "{\"Report\":[]}",
		"{\"Report\":{}}", "{\"Report\":{\"ReportClass\":{}}}",
		"{\"Report\":{\"ReportClass\":\"\"}}", "{\"Report\"", "\xff\xfe{}",
		"{\"Category\":\"abuse\"}",
	};

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct kvlist kl;

		kvlist_init(&kl);
		if (xarf_parse_json(t[i], strlen(t[i]), &kl) || kl.n != 0)
			fail_msg("row %zu \"%s\" gave a report", i, t[i]);
		kvlist_free(&kl);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_xarf_rows),
		cmocka_unit_test(test_xarf_long_value),
		cmocka_unit_test(test_xarf_yaml_deep),
		cmocka_unit_test(test_xarf_alias_bomb),
		cmocka_unit_test(test_xarf_json_deep),
		cmocka_unit_test(test_xarf_json_long),
		cmocka_unit_test(test_xarf_json_bad),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
