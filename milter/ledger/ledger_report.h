/*
 * ledger_report.h - `abuse-milter --report [--since 7d]`: a plain-text summary
 * of the complaint ledger in state_db (see ledger.h): complaints per day
 * and category, what was done about replies, the most reported
 * addresses and the most active reporters.
 *
 * The database is opened read-only; the running milter may go on
 * writing meanwhile (WAL).
 */
#ifndef ABUSE_LEDGER_REPORT_H
#define ABUSE_LEDGER_REPORT_H

#include <stdio.h>

#define LEDGER_REPORT_TOP	10	/* rows in the "top" tables */

/* ledger_report_print - write the summary of complaints newer than
 * since_seconds (0 or less: all of them) to out. Returns 0, or 1 after
 * a message "abuse-milter: PATH: why" on stderr when the database cannot
 * be opened or read. */
int ledger_report_print(const char *db_path, long since_seconds, FILE *out);

#endif
