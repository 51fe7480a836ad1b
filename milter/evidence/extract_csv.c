/*
 * extract_csv.c - the "csv" report: tables attached as CSV (Shadowserver
 * and national CERT reports, honeypot exports, expanded from a .zip or
 * .gz by parse/archive.c or not). A report parser of the ev_reports
 * table in evidence.c:
 *
 *	csv_report(&parsed, &fields);
 *	... "report" = "csv", "csv.Source" per offender, "csv.Port" per
 *	    reported port, "csv.Timestamp" (the first row's, UTC) ...
 *
 * It lives here, not in parse/, because which column holds the offender
 * is decided by the header row the way extract_ipcsv.c decides it for
 * tables in the text ("ip", "src_ip", "Source IP", "IP-Adresse" the
 * offender; "dst_ip", "cc", "sinkhole" the other side; an "asn" column
 * is no port): the table is read by the same line walker, so both agree.
 * Quoted fields, a byte order mark and ";", tab or "|" separators are
 * the walker's too.
 *
 * Bounded: the walk is linear in the part; at most CSV_MAX_VALUES
 * offenders and ports become fields (a report of 100,000 rows names its
 * first ones; rules and replies need no more), the time is read from the
 * first data row only.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "evidence/extract.h"
#include "evidence/extract_ipctx.h"
#include "parse/message.h"
#include "util/util.h"

#define CSV_MAX_VALUES	256	/* offenders, and ports, kept per report */

/* column names of the incident time, first found wins */
static const char *const csv_time_cols[] = {
	"timestamp", "time", "date", "datetime", "date_time", "time_utc",
	"timestamp_utc", "event_time", "first_seen", "seen", "zeitstempel",
	"zeit", "datum", "horodatage", "fecha", "data", "tijd", NULL
};

/* csv_is_table - a part that holds a CSV table */
static bool
csv_is_table(const struct msg_part *pt)
{
	static const char *const types[] = { "text/csv", "application/csv",
	    "text/comma-separated-values", "text/x-csv",
	    "text/tab-separated-values", NULL };

	if (!msg_part_usable(pt))
		return false;
	if (pt->content_type != NULL && str_in_list(pt->content_type, types))
		return true;
	return str_has_suffix_nocase(pt->filename, ".csv") ||
	    str_has_suffix_nocase(pt->filename, ".tsv");
}

/* csv_time - what the walker saw of the table's time column */
struct csv_time {
	struct ipcsv csv;	/* the header row, read again here */
	char *value;		/* the first row's time, or NULL */
	bool done;
};

/* csv_time_col - does a column name (lower case) name the time? Its
 * whole name or its first word: "time_(utc)", "date_time" */
static bool
csv_time_col(const char *name)
{
	char w[24];
	size_t n = 0;

	if (str_in_list(name, csv_time_cols))
		return true;
	while (n + 1 < sizeof(w) && ipctx_is_alpha((unsigned char)name[n])) {
		w[n] = name[n];
		n++;
	}
	w[n] = '\0';
	return n > 0 && str_in_list(w, csv_time_cols);
}

/* csv_time_line - the time column of the first data row after a header */
static void
csv_time_line(const struct ipctx_line *ln, const struct iphit *h, size_t n,
    void *ctx)
{
	struct csv_time *ct = ctx;
	size_t col;

	if (ct->done || ln->csv == NULL || n == 0)
		return;
	ct->done = true;
	for (col = 0; col < ln->csv->cols.n; col++)
		if (csv_time_col(ln->csv->cols.v[col]))
			break;
	if (col < ln->csv->cols.n)
		ct->value = ipcsv_field(ln->csv, ln->t, ln->ls, ln->le, col);
}

/* csv_add_time - the time of the table's first row as csv.Timestamp */
static void
csv_add_time(const char *data, struct kvlist *fields)
{
	struct csv_time ct;
	char *ts;

	memset(&ct, 0, sizeof(ct));
	ipwalk_text(data, csv_time_line, &ct);
	if (ct.value == NULL)
		return;
	if ((ts = timestamp_normalize(ct.value)) == NULL)
		ts = extract_timestamp(ct.value);
	if (ts != NULL)
		kvlist_add(fields, "csv.Timestamp", ts);
	free(ts);
	free(ct.value);
}

/* csv_part - the offenders, ports and time of one table into t */
static void
csv_part(const struct msg_part *pt, struct kvlist *t, size_t *nips,
    size_t *nports)
{
	struct strvec ips;
	int *ports = NULL;
	size_t np = 0;
	char num[8];

	strvec_init(&ips);
	extract_ips(pt->data, &ips);
	if (ips.n > 0)
		extract_ports(pt->data, &ports, &np);
	for (size_t i = 0; i < ips.n && *nips < CSV_MAX_VALUES; i++, (*nips)++)
		kvlist_add(t, "csv.Source", ips.v[i]);
	for (size_t i = 0; i < np && *nports < CSV_MAX_VALUES; i++) {
		snprintf(num, sizeof(num), "%d", ports[i]);
		kvlist_add(t, "csv.Port", num);
		(*nports)++;
	}
	if (ips.n > 0 && kvlist_get(t, "csv.Timestamp") == NULL)
		csv_add_time(pt->data, t);
	strvec_free(&ips);
	free(ports);
}

/* csv_report - see extract.h */
bool
csv_report(const struct parsed_msg *m, struct kvlist *fields)
{
	struct kvlist t;
	size_t nips = 0, nports = 0;

	kvlist_init(&t);
	for (size_t i = 0; i < m->nparts; i++)
		if (csv_is_table(&m->parts[i]))
			csv_part(&m->parts[i], &t, &nips, &nports);
	if (nips > 0) {		/* a table that names nobody is no report */
		kvlist_add(fields, "report", "csv");
		for (size_t i = 0; i < t.n; i++)
			kvlist_add(fields, t.v[i].key, t.v[i].val);
	}
	kvlist_free(&t);
	return nips > 0;
}
