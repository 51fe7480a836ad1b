/*
 * ledger_report.c - the --report summary of the complaint ledger, see
 * ledger_report.h.
 *
 * Days are UTC, as everything in the ledger. The period's complaints
 * are found through the index on time (ledger.c) and counted by
 * report_count.c.
 */
#include "ledger/ledger_report.h"

#include <limits.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ledger/ledger.h"
#include "ledger/ledger_int.h"
#include "ledger/report_count.h"
#include "util/util.h"

/* the period's complaint ids, for the scan of their addresses */
struct report_ids {
	long long *v;
	size_t n, cap;
};

/* col - a text column, NULL for NULL */
static const char *
col(sqlite3_stmt *s, int i)
{
	return (const char *)sqlite3_column_text(s, i);
}

/* report_scan - count the complaints of the period (report_count.h)
 * and keep their ids; the index on time finds them. 0 or -1 */
static int
report_scan(sqlite3 *db, long long since, struct report_counts *c,
    struct report_ids *ids)
{
	sqlite3_stmt *s;
	int rc;

	if (sqlite3_prepare_v2(db, "SELECT id, time, category, reply, "
	    "reporter FROM complaints WHERE time >= ?1", -1, &s, NULL)
	    != SQLITE_OK)
		return -1;
	sqlite3_bind_int64(s, 1, since);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		ids->v = xgrow(ids->v, &ids->cap, ids->n + 1, sizeof(*ids->v));
		ids->v[ids->n++] = sqlite3_column_int64(s, 0);
		report_counts_complaint(c, sqlite3_column_int64(s, 1),
		    col(s, 2), col(s, 3), col(s, 4));
	}
	sqlite3_finalize(s);
	return rc == SQLITE_DONE ? 0 : -1;
}

/* report_scan_ips - count each address once per complaint of the
 * period: a bitmap over the period's id range says which complaints
 * count. The rows are read in the order they were written, from the
 * first row of the period's first complaint on (found through the index
 * on complaint): one sequential read rather than a lookup per row. The
 * milter writes a complaint's addresses together and once each; one
 * written twice in a row still counts once. 0 or -1 */
static int
report_scan_ips(sqlite3 *db, const struct report_ids *ids,
    struct report_counts *c)
{
	struct buf last;	/* the address of the row before */
	long long lo = LLONG_MAX, hi = LLONG_MIN, cur = -1;
	unsigned char *in;
	sqlite3_stmt *s;
	int rc;

	if (ids->n == 0)
		return 0;
	for (size_t i = 0; i < ids->n; i++) {
		lo = ids->v[i] < lo ? ids->v[i] : lo;
		hi = ids->v[i] > hi ? ids->v[i] : hi;
	}
	in = xcalloc((size_t)(hi - lo) / 8 + 1, 1);
	for (size_t i = 0; i < ids->n; i++)
		in[(ids->v[i] - lo) / 8] |= (unsigned char)(1u << ((ids->v[i] - lo) % 8));
	if (sqlite3_prepare_v2(db, "SELECT complaint, ip FROM complaint_ips "
	    "WHERE rowid >= (SELECT rowid FROM complaint_ips WHERE "
	    "complaint >= ?1 ORDER BY complaint, rowid LIMIT 1)", -1, &s,
	    NULL) != SQLITE_OK) {
		free(in);
		return -1;
	}
	sqlite3_bind_int64(s, 1, lo);
	buf_init(&last);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		long long id = sqlite3_column_int64(s, 0);
		const char *ip = col(s, 1);

		if (ip == NULL || id < lo || id > hi ||
		    !(in[(id - lo) / 8] & (1u << ((id - lo) % 8))))
			continue;
		if (id == cur && strcmp(last.s, ip) == 0)
			continue;
		cur = id;
		buf_reset(&last);
		buf_puts(&last, ip);
		report_counts_address(c, ip);
	}
	buf_free(&last);
	free(in);
	sqlite3_finalize(s);
	return rc == SQLITE_DONE ? 0 : -1;
}

/* report_count - every table, from the two scans; 0 or -1 */
static int
report_count(sqlite3 *db, struct ledger_report *r)
{
	struct report_counts *c = report_counts_new();
	struct report_ids ids = { 0 };
	int rc;

	rc = report_scan(db, r->since, c, &ids);
	if (rc == 0)
		rc = report_scan_ips(db, &ids, c);
	report_counts_finish(c, r, rc == 0);
	free(ids.v);
	return rc;
}

/* report_check - is this a ledger we can read? NULL or why not */
static const char *
report_check(sqlite3 *db)
{
	int v = ledger_db_version(db);

	if (v < 0)
		return sqlite3_errmsg(db);
	if (v == 0)
		return "not an abuse-milter state database";
	if (v > LEDGER_SCHEMA_VERSION)
		return "made by a newer abuse-milter (schema version too high)";
	return NULL;
}

/* ledger_report_load - see ledger_report.h */
int
ledger_report_load(const char *db_path, long since_seconds,
    struct ledger_report *r)
{
	const char *why = NULL;
	sqlite3 *db = NULL;

	ledger_report_init(r, since_seconds);
	if (sqlite3_open_v2(db_path, &db, SQLITE_OPEN_READONLY, NULL)
	    != SQLITE_OK)
		why = db ? sqlite3_errmsg(db) : "cannot open";
	else {
		sqlite3_busy_timeout(db, 2000);
		why = report_check(db);
	}
	if (why == NULL && report_count(db, r) != 0)
		why = sqlite3_errmsg(db);
	if (why != NULL) {
		fprintf(stderr, "abuse-milter: %s: %s\n", db_path, why);
		ledger_report_free(r);
	}
	sqlite3_close(db);
	return why == NULL ? 0 : 1;
}

/* ledger_report_free - see ledger_report.h */
void
ledger_report_free(struct ledger_report *r)
{
	for (int i = 0; i < REPORT_NTABLES; i++) {
		for (size_t j = 0; j < r->t[i].n; j++) {
			free(r->t[i].v[j].key[0]);
			free(r->t[i].v[j].key[1]);
		}
		free(r->t[i].v);
		r->t[i].v = NULL;
		r->t[i].n = r->t[i].cap = 0;
	}
	r->complaints = 0;
}

/* ledger_report_period - see ledger_report.h; in the unit the operator
 * most likely typed after --since */
void
ledger_report_period(const struct ledger_report *r, char *buf, size_t len)
{
	static const struct { long secs; char unit; } units[] = {
		{ 86400, 'd' }, { 3600, 'h' }, { 60, 'm' }, { 1, 's' } };
	time_t t = (time_t)r->since;
	char when[32];
	struct tm tm;
	size_t u = 0;

	if (r->since_seconds <= 0) {
		snprintf(buf, len, "all complaints");
		return;
	}
	gmtime_r(&t, &tm);
	strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S UTC", &tm);
	while (r->since_seconds % units[u].secs != 0)
		u++;
	snprintf(buf, len, "since %s (last %ld%c)", when,
	    r->since_seconds / units[u].secs, units[u].unit);
}

/* ledger_report_text - see ledger_report.h */
void
ledger_report_text(const struct ledger_report *r, const char *db_path,
    FILE *out)
{
	char period[96];

	ledger_report_period(r, period, sizeof(period));
	fprintf(out, "abuse-milter report: %s\nperiod: %s\n", db_path, period);
	for (int i = 0; i < REPORT_NTABLES; i++) {
		const struct report_table *t = &r->t[i];

		fprintf(out, "\n%s\n", t->title);
		if (t->n == 0)
			fprintf(out, "  %s\n", t->empty);
		for (size_t j = 0; j < t->n; j++) {
			fprintf(out, "  %7lld", t->v[j].n);
			for (int k = 0; k < t->nkeys; k++)
				fprintf(out, "  %-*s", k < t->nkeys - 1 ? 16 : 0,
				    t->v[j].key[k]);
			fputc('\n', out);
		}
	}
}

/* ledger_report_print - see ledger_report.h */
int
ledger_report_print(const char *db_path, long since_seconds, FILE *out)
{
	struct ledger_report r;

	if (ledger_report_load(db_path, since_seconds, &r) != 0)
		return 1;
	ledger_report_text(&r, db_path, out);
	ledger_report_free(&r);
	return 0;
}
