/*
 * report_cli.h - `--report [--since D] [--html FILE] [--csv FILE]`: the
 * text summary on stdout, or the web page and/or the CSV written to
 * their files ("-": stdout). With state { backend = "redis" } the
 * report is the fleet's, read from Redis (ledger/redis_report.h); when
 * Redis cannot be read, this host's state_db, said on stderr. A file
 * is written beside its final name and renamed into place, so a page
 * served from a web directory is never seen half-written.
 */
#ifndef ABUSE_REPORT_CLI_H
#define ABUSE_REPORT_CLI_H

#include "config/config.h"

/* report_cli - 0, or 1 after a message on stderr */
int report_cli(const struct config *cfg, long since_seconds,
    const char *html, const char *csv);

#endif
