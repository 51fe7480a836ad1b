/*
 * ledger_report.c - the --report summary of the complaint ledger, see
 * ledger_report.h.
 *
 * Days are UTC, as everything in the ledger. The period's complaints
 * are found through the index on time (ledger.c).
 */
#include "ledger/ledger_report.h"

#include <glib.h>
#include <limits.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ledger/ledger.h"
#include "ledger/ledger_int.h"
#include "util/util.h"

static const struct {
	const char *title, *name, *empty;
	int nkeys;
	size_t top;		/* at most this many rows; 0: all */
} report_tables[REPORT_NTABLES] = {
	[REPORT_PER_DAY] = { "Complaints per day and category (UTC)",
	    "per_day", "no complaints", 2, 0 },
	[REPORT_PER_CATEGORY] = { "Complaints per category", "per_category",
	    "no complaints", 1, 0 },
	[REPORT_REPLIES] = { "Replies", "replies", "no complaints", 1, 0 },
	[REPORT_TOP_ADDRESSES] = { "Top reported addresses", "top_address",
	    "no addresses", 1, LEDGER_REPORT_TOP },
	[REPORT_TOP_REPORTERS] = { "Top reporters", "top_reporter",
	    "no reporters", 1, LEDGER_REPORT_TOP },
};

/* The tables are counted here, in one pass over the complaints of the
 * period and one over their addresses, rather than with a GROUP BY per
 * table: on a ledger of a million complaints SQLite's temporary
 * B-trees for five groupings took about ten seconds, the two scans and
 * hash tables well under one (bench/RESULTS.md). A count per key: */
struct report_counts {
	GHashTable *h[REPORT_NTABLES];	/* key -> long long * */
	long long *ids;			/* of the period's complaints */
	size_t nids, capids;
};

/* counts_add - n more for key (a day and category are "DAY\tCAT") */
static void
counts_add(GHashTable *h, const char *key, long long n)
{
	long long *v = g_hash_table_lookup(h, key);

	if (v == NULL) {
		v = xcalloc(1, sizeof(*v));
		g_hash_table_insert(h, xstrdup(key), v);
	}
	*v += n;
}

/* col - a text column, "(unknown)" for NULL */
static const char *
col(sqlite3_stmt *s, int i)
{
	const unsigned char *t = sqlite3_column_text(s, i);

	return t != NULL ? (const char *)t : "(unknown)";
}

/* report_scan - count the complaints of the period by day and
 * category, reply and reporter, and keep their ids. The day's name is
 * made once per day: rows come in time order. 0 or -1 */
static int
report_scan(sqlite3 *db, long long since, struct report_counts *c)
{
	long long day_no = -1;
	struct buf key;
	size_t day_len = 0;
	sqlite3_stmt *s;
	int rc;

	if (sqlite3_prepare_v2(db, "SELECT id, time, category, coalesce(reply, "
	    "'(not recorded)'), reporter FROM complaints WHERE time >= ?1",
	    -1, &s, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_int64(s, 1, since);
	buf_init(&key);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		time_t t = (time_t)sqlite3_column_int64(s, 1);

		c->ids = xgrow(c->ids, &c->capids, c->nids + 1, sizeof(*c->ids));
		c->ids[c->nids++] = sqlite3_column_int64(s, 0);
		if (t / 86400 != day_no) {
			struct tm tm;
			char day[32];

			day_no = t / 86400;
			gmtime_r(&t, &tm);
			strftime(day, sizeof(day), "%Y-%m-%d\t", &tm);
			buf_reset(&key);
			buf_puts(&key, day);
			day_len = key.len;
		}
		key.len = day_len;
		buf_puts(&key, col(s, 2));
		counts_add(c->h[REPORT_PER_DAY], key.s, 1);
		counts_add(c->h[REPORT_REPLIES], col(s, 3), 1);
		counts_add(c->h[REPORT_TOP_REPORTERS], col(s, 4), 1);
	}
	buf_free(&key);
	sqlite3_finalize(s);
	return rc == SQLITE_DONE ? 0 : -1;
}

/* report_per_category - the categories' totals, from the days' */
static void
report_per_category(struct report_counts *c)
{
	GHashTableIter it;
	gpointer k, v;

	g_hash_table_iter_init(&it, c->h[REPORT_PER_DAY]);
	while (g_hash_table_iter_next(&it, &k, &v))
		counts_add(c->h[REPORT_PER_CATEGORY], strchr(k, '\t') + 1,
		    *(long long *)v);
}

/* report_scan_ips - count each address once per complaint of the
 * period: a bitmap over the period's id range says which complaints
 * count. The rows are read in the order they were written, from the
 * first row of the period's first complaint on (found through the index
 * on complaint): one sequential read rather than a lookup per row. The
 * milter writes a complaint's addresses together and once each; one
 * written twice in a row still counts once. 0 or -1 */
static int
report_scan_ips(sqlite3 *db, struct report_counts *c)
{
	struct buf last;	/* the address of the row before */
	long long lo = LLONG_MAX, hi = LLONG_MIN, cur = -1;
	unsigned char *in;
	sqlite3_stmt *s;
	int rc;

	if (c->nids == 0)
		return 0;
	for (size_t i = 0; i < c->nids; i++) {
		lo = c->ids[i] < lo ? c->ids[i] : lo;
		hi = c->ids[i] > hi ? c->ids[i] : hi;
	}
	in = xcalloc((size_t)(hi - lo) / 8 + 1, 1);
	for (size_t i = 0; i < c->nids; i++)
		in[(c->ids[i] - lo) / 8] |= (unsigned char)(1u << ((c->ids[i] - lo) % 8));
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

		if (id < lo || id > hi || !(in[(id - lo) / 8] & (1u << ((id - lo) % 8))))
			continue;
		if (id == cur && strcmp(last.s, ip) == 0)
			continue;
		cur = id;
		buf_reset(&last);
		buf_puts(&last, ip);
		counts_add(c->h[REPORT_TOP_ADDRESSES], ip, 1);
	}
	buf_free(&last);
	free(in);
	sqlite3_finalize(s);
	return rc == SQLITE_DONE ? 0 : -1;
}

/* row_by_key / row_by_count - the orders of the tables: days and
 * categories by name; the others by count, most first, then by name */
static int
row_by_key(const void *a, const void *b)
{
	const struct report_row *x = a, *y = b;
	int d = strcmp(x->key[0], y->key[0]);

	return d != 0 ? d : strcmp(x->key[1], y->key[1]);
}

static int
row_by_count(const void *a, const void *b)
{
	const struct report_row *x = a, *y = b;

	if (x->n != y->n)
		return x->n > y->n ? -1 : 1;
	return strcmp(x->key[0], y->key[0]);
}

/* report_row_set - row from a counted key ("DAY\tCAT" split in two) */
static void
report_row_set(struct report_row *row, const char *key, long long n,
    int nkeys)
{
	char *tab;

	row->n = n;
	row->key[0] = xstrdup(key);
	row->key[1] = NULL;
	if (nkeys == 2 && (tab = strchr(row->key[0], '\t')) != NULL) {
		*tab = '\0';
		row->key[1] = xstrdup(tab + 1);
	}
}

/* report_top - the top counts of h into t, best first, in one pass:
 * a table of tens of thousands of reporters is not sorted whole */
static void
report_top(GHashTable *h, struct report_table *t, size_t top)
{
	struct report_row *best = xcalloc(top + 1, sizeof(*best));
	GHashTableIter it;
	gpointer k, v;
	size_t n = 0;

	g_hash_table_iter_init(&it, h);
	while (g_hash_table_iter_next(&it, &k, &v)) {
		struct report_row cand = { { k, NULL }, *(long long *)v };
		size_t i = n;

		if (n == top && row_by_count(&cand, &best[n - 1]) >= 0)
			continue;
		for (; i > 0 && row_by_count(&cand, &best[i - 1]) < 0; i--)
			best[i] = best[i - 1];
		best[i] = cand;
		if (n < top)
			n++;
	}
	t->v = xcalloc(n + 1, sizeof(*t->v));
	t->cap = n + 1;
	for (size_t i = 0; i < n; i++)
		report_row_set(&t->v[t->n++], best[i].key[0], best[i].n, 1);
	free(best);
}

/* report_table_fill - the counts of h as sorted rows of t (at most top
 * of them when top > 0) */
static void
report_table_fill(GHashTable *h, struct report_table *t, size_t top)
{
	GHashTableIter it;
	gpointer k, v;

	if (top > 0) {
		report_top(h, t, top);
		return;
	}
	g_hash_table_iter_init(&it, h);
	while (g_hash_table_iter_next(&it, &k, &v)) {
		t->v = xgrow(t->v, &t->cap, t->n + 1, sizeof(*t->v));
		report_row_set(&t->v[t->n++], k, *(long long *)v, t->nkeys);
	}
	if (t->n > 0)
		qsort(t->v, t->n, sizeof(*t->v),
		    t->nkeys == 2 ? row_by_key : row_by_count);
}

/* report_count - every table, from the two scans; 0 or -1 */
static int
report_count(sqlite3 *db, struct ledger_report *r)
{
	struct report_counts c = { 0 };
	int rc;

	for (int i = 0; i < REPORT_NTABLES; i++)
		c.h[i] = g_hash_table_new_full(g_str_hash, g_str_equal, free,
		    free);
	rc = report_scan(db, r->since, &c);
	if (rc == 0)
		rc = report_scan_ips(db, &c);
	report_per_category(&c);
	for (int i = 0; i < REPORT_NTABLES; i++) {
		if (rc == 0)
			report_table_fill(c.h[i], &r->t[i], report_tables[i].top);
		g_hash_table_destroy(c.h[i]);
	}
	free(c.ids);
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

	memset(r, 0, sizeof(*r));
	r->since_seconds = since_seconds;
	r->since = since_seconds > 0 ? (long long)time(NULL) - since_seconds : 0;
	for (int i = 0; i < REPORT_NTABLES; i++) {
		r->t[i].title = report_tables[i].title;
		r->t[i].name = report_tables[i].name;
		r->t[i].empty = report_tables[i].empty;
		r->t[i].nkeys = report_tables[i].nkeys;
	}
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
	for (size_t i = 0; i < r->t[REPORT_PER_CATEGORY].n; i++)
		r->complaints += r->t[REPORT_PER_CATEGORY].v[i].n;
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
