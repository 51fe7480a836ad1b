/*
 * report_count.h - the counting behind --report (ledger_report.h),
 * shared by the two ledgers it can read: this host's SQLite file
 * (ledger_report.c) and the fleet's complaint stream in Redis
 * (redis_report.c), so both give the same tables from the same
 * complaints.
 *
 * The tables are declared here, for ledger_report.h and its readers.
 * Each complaint of the period is handed in once, then its reported
 * addresses (each once); the tables come out counted, sorted and cut to
 * LEDGER_REPORT_TOP as ledger_report.h describes.
 *
 * Usage:
 *	ledger_report_init(&r, since_seconds);
 *	struct report_counts *c = report_counts_new();
 *	report_counts_complaint(c, time, category, reply, reporter);
 *	report_counts_address(c, ip);
 *	report_counts_finish(c, &r, ok);
 */
#ifndef ABUSE_REPORT_COUNT_H
#define ABUSE_REPORT_COUNT_H

#include <stdbool.h>
#include <stddef.h>

#define LEDGER_REPORT_TOP	10	/* rows in the "top" tables */

/* one row: one or two keys (day and category, or one name), a count */
struct report_row {
	char *key[2];
	long long n;
};

enum report_table_id {
	REPORT_PER_DAY,		/* day (YYYY-MM-DD, UTC), category */
	REPORT_PER_CATEGORY,	/* category */
	REPORT_REPLIES,		/* the X-Abuse-Reply value */
	REPORT_TOP_ADDRESSES,	/* reported address */
	REPORT_TOP_REPORTERS,	/* reporter address */
	REPORT_NTABLES
};

struct report_table {
	const char *title;
	const char *name;	/* short, for CSV */
	const char *empty;	/* what to say when there are no rows */
	int nkeys;
	struct report_row *v;
	size_t n, cap;
};

struct ledger_report {
	long since_seconds;	/* 0 or less: all complaints */
	long long since;	/* UNIX time of the period's start */
	long long complaints;	/* in the period */
	struct report_table t[REPORT_NTABLES];
};

struct report_counts;

/* ledger_report_init - r empty, with the tables' titles and the period
 * (since_seconds 0 or less: every complaint) */
void ledger_report_init(struct ledger_report *r, long since_seconds);

struct report_counts *report_counts_new(void);

/* report_counts_complaint - one complaint at time (UNIX): its day and
 * category, its reply ("(not recorded)" for NULL) and its reporter
 * ("(unknown)" for NULL) */
void report_counts_complaint(struct report_counts *c, long long time,
    const char *category, const char *reply, const char *reporter);

/* report_counts_address - one reported address of that complaint */
void report_counts_address(struct report_counts *c, const char *ip);

/* report_counts_finish - the tables into r when ok (else r stays
 * empty), and c freed */
void report_counts_finish(struct report_counts *c, struct ledger_report *r,
    bool ok);

#endif
