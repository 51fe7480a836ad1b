/*
 * ledger_report.h - `abuse-milter --report [--since 7d]`: a summary of
 * the complaint ledger in state_db (see ledger.h): complaints per day
 * and category, what was done about replies, the most reported
 * addresses and the most active reporters.
 *
 * ledger_report_load reads it into tables that the plain-text printer
 * here and the HTML and CSV writers of cli/ share. The database is
 * opened read-only; the running milter may go on writing meanwhile
 * (WAL).
 *
 *	struct ledger_report r;
 *	if (ledger_report_load(path, 7 * 86400, &r) == 0) {
 *		ledger_report_text(&r, path, stdout);
 *		ledger_report_free(&r);
 *	}
 */
#ifndef ABUSE_LEDGER_REPORT_H
#define ABUSE_LEDGER_REPORT_H

#include <stdio.h>

#include "ledger/report_count.h"

/* the tables (struct ledger_report) are declared with their counting
 * in report_count.h */

/* ledger_report_load - the tables for complaints newer than
 * since_seconds. 0, or 1 after "abuse-milter: PATH: why" on stderr when
 * the database cannot be opened or read (r is then empty). */
int ledger_report_load(const char *db_path, long since_seconds,
    struct ledger_report *r);
void ledger_report_free(struct ledger_report *r);

/* ledger_report_period - "since 2026-12-01 00:00:00 UTC (last 7d)" or
 * "all complaints", into buf */
void ledger_report_period(const struct ledger_report *r, char *buf,
    size_t len);

/* ledger_report_text - the plain-text summary */
void ledger_report_text(const struct ledger_report *r, const char *db_path,
    FILE *out);

/* ledger_report_print - load, print as text, free; 0 or 1 */
int ledger_report_print(const char *db_path, long since_seconds, FILE *out);

#endif
