/*
 * report_count.c - the tables of --report from complaints handed in one
 * by one; see report_count.h.
 *
 * The tables are counted here, in one pass over the complaints of the
 * period, rather than with a GROUP BY per table: on a ledger of a
 * million complaints SQLite's temporary B-trees for five groupings took
 * about ten seconds, one scan and hash tables well under one
 * (bench/RESULTS.md). A Redis stream has no GROUP BY at all.
 */
#include "ledger/report_count.h"

#include <glib.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

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

/* a count per key of each table; the day's name is made once per day
 * (complaints mostly come in time order) */
struct report_counts {
	GHashTable *h[REPORT_NTABLES];	/* key -> long long * */
	long long day_no;
	struct buf key;			/* "DAY\t", then the category */
	size_t day_len;
};

/* ledger_report_init - see report_count.h */
void
ledger_report_init(struct ledger_report *r, long since_seconds)
{
	memset(r, 0, sizeof(*r));
	r->since_seconds = since_seconds;
	r->since = since_seconds > 0 ? (long long)time(NULL) - since_seconds : 0;
	for (int i = 0; i < REPORT_NTABLES; i++) {
		r->t[i].title = report_tables[i].title;
		r->t[i].name = report_tables[i].name;
		r->t[i].empty = report_tables[i].empty;
		r->t[i].nkeys = report_tables[i].nkeys;
	}
}

/* report_counts_new - see report_count.h */
struct report_counts *
report_counts_new(void)
{
	struct report_counts *c = xcalloc(1, sizeof(*c));

	for (int i = 0; i < REPORT_NTABLES; i++)
		c->h[i] = g_hash_table_new_full(g_str_hash, g_str_equal, free,
		    free);
	c->day_no = -1;
	buf_init(&c->key);
	return c;
}

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

/* report_counts_complaint - see report_count.h */
void
report_counts_complaint(struct report_counts *c, long long time,
    const char *category, const char *reply, const char *reporter)
{
	time_t t = (time_t)time;

	if (t / 86400 != c->day_no) {
		struct tm tm;
		char day[32];

		c->day_no = t / 86400;
		gmtime_r(&t, &tm);
		strftime(day, sizeof(day), "%Y-%m-%d\t", &tm);
		buf_reset(&c->key);
		buf_puts(&c->key, day);
		c->day_len = c->key.len;
	}
	c->key.len = c->day_len;
	buf_puts(&c->key, category ? category : "(unknown)");
	counts_add(c->h[REPORT_PER_DAY], c->key.s, 1);
	counts_add(c->h[REPORT_REPLIES], reply ? reply : "(not recorded)", 1);
	counts_add(c->h[REPORT_TOP_REPORTERS], reporter ? reporter :
	    "(unknown)", 1);
}

/* report_counts_address - see report_count.h */
void
report_counts_address(struct report_counts *c, const char *ip)
{
	counts_add(c->h[REPORT_TOP_ADDRESSES], ip ? ip : "(unknown)", 1);
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

/* report_counts_finish - see report_count.h */
void
report_counts_finish(struct report_counts *c, struct ledger_report *r,
    bool ok)
{
	report_per_category(c);
	for (int i = 0; i < REPORT_NTABLES; i++) {
		if (ok)
			report_table_fill(c->h[i], &r->t[i],
			    report_tables[i].top);
		g_hash_table_destroy(c->h[i]);
	}
	for (size_t i = 0; ok && i < r->t[REPORT_PER_CATEGORY].n; i++)
		r->complaints += r->t[REPORT_PER_CATEGORY].v[i].n;
	buf_free(&c->key);
	free(c);
}
