/*
 * report_count.h - the counting behind --report (ledger_report.h),
 * shared by the two ledgers it can read: this host's SQLite file
 * (ledger_report.c) and the fleet's complaint stream in Redis
 * (redis_report.c), so both give the same tables from the same
 * complaints.
 *
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

#include "ledger/ledger_report.h"

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
