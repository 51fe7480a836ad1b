/*
 * redis_report.h - `--report` with state { backend = "redis" }: the
 * fleet's report, read from the complaints stream every MX host writes
 * (redis_state.h), into the same tables as this host's SQLite ledger
 * gives (ledger_report.h), so the text, HTML and CSV outputs are the
 * same code.
 *
 * The period is the entries' own time field, as the SQLite report's
 * time column: a stream id is the moment Redis took the entry, which is
 * later for a migrated ledger (--migrate-state) and may differ from a
 * host's clock. The id range only says where to start reading: from
 * REDIS_REPORT_MARGIN seconds before the period, page by page.
 *
 * Usage:
 *	if (redis_report_load(&cfg->state.redis, 7 * 86400, &r, err,
 *	    sizeof err) != 0) ... unreachable: this host's ledger ...
 *	ledger_report_text(&r, label, stdout);
 *	ledger_report_free(&r);
 */
#ifndef ABUSE_REDIS_REPORT_H
#define ABUSE_REDIS_REPORT_H

#include <stddef.h>

#include "ledger/ledger_report.h"
#include "ledger/redis_conf.h"

#define REDIS_REPORT_PAGE	1000	/* entries per XRANGE */
#define REDIS_REPORT_MARGIN	3600	/* seconds read before the period */
#define REDIS_REPORT_TIMEOUT_MS	2000	/* per call, at least: nobody's
					 * mail waits for a report */

/* redis_report_load - the tables for the stream's complaints newer than
 * since_seconds (0 or less: all); 0, or -1 with why in err (the server
 * is away, refused us, or answered nonsense) and r empty */
int redis_report_load(const struct redis_conf *conf, long since_seconds,
    struct ledger_report *r, char *err, size_t errlen);

/* redis_report_label - "redis WHERE, prefix P (every MX host)", for
 * the report's header; malloc'd */
char *redis_report_label(const struct redis_conf *conf);

#endif
