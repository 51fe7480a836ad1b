/*
 * test_extract_csv.c - unit tests for milter/evidence/extract_csv.c, the
 * "csv" report: offenders by column name in several languages, never the
 * victim or destination columns, an ASN column that is no port, the
 * first row's time; quoted commas, a byte order mark, ";" and tab
 * separators; and bad input: a table of nobody, a header only, binary
 * bytes, 100,000 rows (bounded: at most 256 values kept, linear time).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "evidence/extract.h"
#include "parse/message.h"
#include "util/util.h"

struct row {
	const char *label;
	const char *csv;
	const char *ips;	/* csv.Source values, space separated */
	const char *ports;	/* csv.Port values */
	const char *ts;		/* csv.Timestamp, or NULL */
};

static const struct row rows[] = {
	{ "shadowserver scan",
	    "\"timestamp\",\"ip\",\"port\",\"hostname\",\"tag\",\"asn\","
	    "\"geo\","
	    "\"version\"\n\"2026-12-01 04:05:11\",\"192.0.2.25\",443,\"m.ex\","
	    "\"exchange;cve-2022-41082\",64500,\"DE\",\"15.1.2507.6\"\n"
	    "\"2026-12-01 04:06:52\",\"198.51.100.102\",443,\"owa.ex\",\"x\","
	    "64500,\"DE\",\"15.1\"\n", "192.0.2.25 198.51.100.102", "443",
	    "2026-12-01T04:05:11Z" },
	{ "firewall export: destinations are victims",
	    "time,src_ip,src_port,dst_ip,dst_port,proto\n"
	    "2026-12-02T10:00:00Z,198.51.100.7,51000,203.0.113.1,22,tcp\n"
	    "2026-12-02T10:00:01Z,198.51.100.7,51002,203.0.113.2,22,tcp\n"
	    "2026-12-02T10:00:02Z,198.51.100.8,51004,203.0.113.3,22,tcp\n",
	    "198.51.100.7 198.51.100.8", "22", "2026-12-02T10:00:00Z" },
	{ "German, semicolons, BOM",
	    "\xef\xbb\xbfZeitstempel;IP-Adresse;Port;ASN;Zieladresse\n"
	    "03.12.2026 10:15:00;192.0.2.55;23;64500;203.0.113.9\n",
	    "192.0.2.55", "23", "2026-12-03T10:15:00Z" },
	{ "French, spaces in names",
	    "Horodatage,Adresse IP,Port\n"
	    "2026-12-04 08:00:00,198.51.100.9,3389\n",
	    "198.51.100.9", "3389", "2026-12-04T08:00:00Z" },
	{ "Source IP, quoted comma in a field",
	    "Date,Source IP,Comment,Destination IP\n"
	    "2026-12-05 01:02:03,203.0.113.70,\"scan, then login, 10.0.0.1\","
	    "192.0.2.1\n", "203.0.113.70", "", "2026-12-05T01:02:03Z" },
	{ "tab separated, IPv6",
	    "first_seen\tsrc\tdport\n2026-12-06 00:00:01\t2001:db8::9\t53\n",
	    "2001:db8::9", "53", "2026-12-06T00:00:01Z" },
	{ "Dutch glued names, CRLF",
	    "Tijd;Bron IP;Bronpoort;Doel IP;Doelpoort\r\n2026-12-06 03:14:07;"
	    "198.51.100.61;50122;203.0.113.20;22\r\n", "198.51.100.61", "22",
	    "2026-12-06T03:14:07Z" },
	{ "a drone's C&C port is not ours",
	    "ip,port,cc,cc_port\n192.0.2.7,2005,203.0.113.9,16465\n",
	    "192.0.2.7", "2005", NULL },
	{ "asn column is no port",
	    "ip,asn\n192.0.2.80,64500\n", "192.0.2.80", "", NULL },
	{ "time column without a date",
	    "event_time,src_ip\n01:45:59,192.0.2.81\n", "192.0.2.81", "",
	    NULL },
	{ "a table of victims only",
	    "dst_ip,dst_port\n203.0.113.5,22\n", "", "", NULL },
	{ "header only", "ip,port\n", "", "", NULL },
	{ "no header", "192.0.2.1,22\n192.0.2.2,23\n", "192.0.2.1 192.0.2.2",
	    "", NULL },
	{ "binary", "\x01\x02\xff,\xfe\n\x00", "", "", NULL },
	{ "empty", "", "", "", NULL },
};

/* one_part - a parsed message of one CSV attachment (data not owned) */
static void
one_part(struct parsed_msg *m, struct msg_part *pt, const char *data,
    size_t len, const char *type, const char *name)
{
	memset(m, 0, sizeof(*m));
	memset(pt, 0, sizeof(*pt));
	pt->content_type = (char *)type;
	pt->filename = (char *)name;
	pt->data = (char *)data;
	pt->len = len;
	pt->role = PART_REPORT;
	m->parts = pt;
	m->nparts = 1;
}

/* joined - every value of key in fields, space separated */
static char *
joined(const struct kvlist *f, const char *key)
{
	struct buf b;

	buf_init(&b);
	for (size_t i = 0; i < f->n; i++)
		if (strcmp(f->v[i].key, key) == 0)
			buf_printf(&b, "%s%s", b.len ? " " : "", f->v[i].val);
	return buf_steal(&b);
}

/* test_rows - every row of the table */
static void
test_rows(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		const struct row *r = &rows[i];
		struct parsed_msg m;
		struct msg_part pt;
		struct kvlist f;
		char *ips, *ports;
		const char *ts;
		bool got;

		one_part(&m, &pt, r->csv, strlen(r->csv), "text/csv", NULL);
		kvlist_init(&f);
		got = csv_report(&m, &f);
		ips = joined(&f, "csv.Source");
		ports = joined(&f, "csv.Port");
		ts = kvlist_get(&f, "csv.Timestamp");
		if (strcmp(ips, r->ips) != 0 || strcmp(ports, r->ports) != 0)
			fail_msg("%s: want [%s] [%s] got [%s] [%s]", r->label,
			    r->ips, r->ports, ips, ports);
		if ((ts == NULL) != (r->ts == NULL) || (ts != NULL &&
		    strcmp(ts, r->ts) != 0))
			fail_msg("%s: time want %s got %s", r->label,
			    r->ts ? r->ts : "-", ts ? ts : "-");
		if (got != (r->ips[0] != '\0') || (got && strcmp(
		    kvlist_get(&f, "report"), "csv") != 0))
			fail_msg("%s: report %d", r->label, got);
		free(ips);
		free(ports);
		kvlist_free(&f);
	}
}

/* test_which_parts - tables by type or name; quoted evidence is not
 * the complainant's */
static void
test_which_parts(void **state)
{
	const char *t = "src_ip\n192.0.2.9\n";
	struct parsed_msg m;
	struct msg_part pt;
	struct kvlist f;

	(void)state;
	kvlist_init(&f);
	one_part(&m, &pt, t, strlen(t), "application/octet-stream",
	    "report.CSV");
	assert_true(csv_report(&m, &f));
	kvlist_free(&f);
	kvlist_init(&f);
	one_part(&m, &pt, t, strlen(t), "text/plain", "notes.txt");
	assert_false(csv_report(&m, &f));
	assert_int_equal(f.n, 0);
	one_part(&m, &pt, t, strlen(t), "text/csv", NULL);
	pt.role = PART_EVIDENCE;
	assert_false(csv_report(&m, &f));
	kvlist_free(&f);
}

/* test_big - 100,000 rows: the first 256 offenders, one port, fast */
static void
test_big(void **state)
{
	struct buf b;
	struct parsed_msg m;
	struct msg_part pt;
	struct kvlist f;
	size_t n = 0;

	(void)state;
	buf_init(&b);
	buf_puts(&b, "timestamp,src_ip,dst_ip,dst_port\n");
	for (int i = 0; i < 100000; i++)
		buf_printf(&b, "2026-12-01 00:00:%02d,198.51.%d.%d,"
		    "203.0.113.%d,22\n", i % 60, i / 250 % 256, i % 250 + 1,
		    i % 250 + 1);
	one_part(&m, &pt, b.s, b.len, "text/csv", NULL);
	kvlist_init(&f);
	assert_true(csv_report(&m, &f));
	for (size_t i = 0; i < f.n; i++)
		n += strcmp(f.v[i].key, "csv.Source") == 0;
	assert_int_equal(n, 256);
	assert_string_equal(kvlist_get(&f, "csv.Source"), "198.51.0.1");
	assert_string_equal(kvlist_get(&f, "csv.Port"), "22");
	assert_string_equal(kvlist_get(&f, "csv.Timestamp"),
	    "2026-12-01T00:00:00Z");
	kvlist_free(&f);
	buf_free(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rows),
		cmocka_unit_test(test_which_parts),
		cmocka_unit_test(test_big),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
