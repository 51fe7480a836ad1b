/*
 * report_out.h - `--report --html FILE` and `--report --csv FILE`: the
 * ledger summary (ledger_report.h) and the waiting replies
 * (report_jobs.h) as one self-contained web page (inline SVG chart, no
 * script, nothing fetched) or as CSV for a spreadsheet. Each reported
 * address is marked as ours (our_networks) and as a Tor exit (exit_list)
 * by the configuration the report runs with.
 */
#ifndef ABUSE_REPORT_OUT_H
#define ABUSE_REPORT_OUT_H

#include <stdio.h>

#include "cli/report_jobs.h"
#include "config/config.h"
#include "evidence/netset.h"
#include "ledger/ledger_report.h"

#define REPORT_JOBS_MAX	10	/* waiting replies listed */

/* report_ours / report_tor - "yes", "no", or "unknown" without an
 * exit list */
static inline const char *
report_ours(const struct config *cfg, const char *ip)
{
	return cfg->our_networks != NULL &&
	    netset_contains(cfg->our_networks, ip) ? "yes" : "no";
}

static inline const char *
report_tor(const struct config *cfg, const char *ip)
{
	if (cfg->exit_list == NULL)
		return "unknown";
	return netset_contains(cfg->exit_list, ip) ? "yes" : "no";
}

/* report_html_write / report_csv_write - 0, or -1 on a write error */
int report_html_write(const struct config *cfg, const char *db_path,
    const struct ledger_report *r, const struct report_jobs *j, FILE *out);
int report_csv_write(const struct config *cfg, const struct ledger_report *r,
    const struct report_jobs *j, FILE *out);

#endif
