/*
 * ledger_report.c - the --report summary of the complaint ledger, see
 * ledger_report.h.
 *
 * Each section is one SQL query whose rows are printed as they come;
 * days are UTC, as everything in the ledger.
 */
#include "ledger/ledger_report.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ledger/ledger.h"

/* report_section - print the rows of one grouped query; columns are
 * text labels followed by a count in the last column. 0 or -1 */
static int
report_section(sqlite3 *db, FILE *out, const char *title, const char *sql,
    long long since, const char *empty)
{
	sqlite3_stmt *s;
	int rc, rows = 0;

	if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_int64(s, 1, since);
	sqlite3_bind_int(s, 2, LEDGER_REPORT_TOP);
	fprintf(out, "\n%s\n", title);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		int i, n = sqlite3_column_count(s);

		fprintf(out, "  %7lld", (long long)sqlite3_column_int64(s,
		    n - 1));
		for (i = 0; i < n - 1; i++) {
			const unsigned char *t = sqlite3_column_text(s, i);

			fprintf(out, "  %-*s", i < n - 2 ? 16 : 0,
			    t ? (const char *)t : "(unknown)");
		}
		fputc('\n', out);
		rows++;
	}
	sqlite3_finalize(s);
	if (rc != SQLITE_DONE)
		return -1;
	if (rows == 0)
		fprintf(out, "  %s\n", empty);
	return 0;
}

/* report_header - what, where and since when */
static void
report_header(FILE *out, const char *db_path, long since_seconds,
    long long since)
{
	char when[32];
	time_t t = (time_t)since;
	struct tm tm;

	fprintf(out, "abuse-milter report: %s\n", db_path);
	if (since_seconds <= 0) {
		fprintf(out, "period: all complaints\n");
		return;
	}
	gmtime_r(&t, &tm);
	strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S UTC", &tm);
	/* in the unit the operator most likely typed after --since */
	if (since_seconds % 86400 == 0)
		fprintf(out, "period: since %s (last %ldd)\n", when,
		    since_seconds / 86400);
	else if (since_seconds % 3600 == 0)
		fprintf(out, "period: since %s (last %ldh)\n", when,
		    since_seconds / 3600);
	else if (since_seconds % 60 == 0)
		fprintf(out, "period: since %s (last %ldm)\n", when,
		    since_seconds / 60);
	else
		fprintf(out, "period: since %s (last %lds)\n", when,
		    since_seconds);
}

/* report_check - is this a ledger we can read? NULL or why not */
static const char *
report_check(sqlite3 *db)
{
	sqlite3_stmt *s;
	int v = -1;

	if (sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &s, NULL)
	    != SQLITE_OK)
		return sqlite3_errmsg(db);
	if (sqlite3_step(s) == SQLITE_ROW)
		v = sqlite3_column_int(s, 0);
	sqlite3_finalize(s);
	if (v < 0)
		return sqlite3_errmsg(db);
	if (v == 0)
		return "not an abuse-milter state database";
	if (v > LEDGER_SCHEMA_VERSION)
		return "made by a newer abuse-milter (schema version too high)";
	return NULL;
}

static const struct {
	const char *title, *sql, *empty;
} report_sections[] = {
	{ "Complaints per day and category (UTC)",
	    "SELECT strftime('%Y-%m-%d', time, 'unixepoch'), category, "
	    "count(*) FROM complaints WHERE time >= ?1 GROUP BY 1, 2 "
	    "ORDER BY 1, 2", "no complaints" },
	{ "Complaints per category",
	    "SELECT category, count(*) FROM complaints WHERE time >= ?1 "
	    "GROUP BY 1 ORDER BY 2 DESC, 1", "no complaints" },
	{ "Replies",
	    "SELECT coalesce(reply, '(not recorded)'), count(*) FROM "
	    "complaints WHERE time >= ?1 GROUP BY 1 ORDER BY 2 DESC, 1",
	    "no complaints" },
	{ "Top reported addresses",
	    "SELECT i.ip, count(DISTINCT c.id) FROM complaint_ips i JOIN "
	    "complaints c ON c.id = i.complaint WHERE c.time >= ?1 "
	    "GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT ?2", "no addresses" },
	{ "Top reporters",
	    "SELECT reporter, count(*) FROM complaints WHERE time >= ?1 "
	    "GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT ?2", "no reporters" },
};

/* ledger_report_print - open read-only, print every section */
int
ledger_report_print(const char *db_path, long since_seconds, FILE *out)
{
	long long since = since_seconds > 0
	    ? (long long)time(NULL) - since_seconds : 0;
	const char *why = NULL;
	sqlite3 *db = NULL;
	size_t i;

	if (sqlite3_open_v2(db_path, &db, SQLITE_OPEN_READONLY, NULL)
	    != SQLITE_OK)
		why = db ? sqlite3_errmsg(db) : "cannot open";
	else {
		sqlite3_busy_timeout(db, 2000);
		why = report_check(db);
	}
	if (why == NULL) {
		report_header(out, db_path, since_seconds, since);
		for (i = 0; why == NULL && i < sizeof(report_sections)
		    / sizeof(report_sections[0]); i++)
			if (report_section(db, out, report_sections[i].title,
			    report_sections[i].sql, since,
			    report_sections[i].empty) != 0)
				why = sqlite3_errmsg(db);
	}
	if (why != NULL)
		fprintf(stderr, "abuse-milter: %s: %s\n", db_path, why);
	sqlite3_close(db);
	return why == NULL ? 0 : 1;
}
