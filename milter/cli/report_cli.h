/*
 * report_cli.h - `--report [--since D] [--html FILE] [--csv FILE]`: the
 * text summary on stdout, or the web page and/or the CSV written to
 * their files ("-": stdout). A file is written beside its final name and
 * renamed into place, so a page served from a web directory is never
 * seen half-written.
 */
#ifndef ABUSE_REPORT_CLI_H
#define ABUSE_REPORT_CLI_H

#include "config/config.h"

/* report_cli - 0, or 1 after a message on stderr */
int report_cli(const struct config *cfg, long since_seconds,
    const char *html, const char *csv);

#endif
