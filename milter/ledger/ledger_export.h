/*
 * ledger_export.h - read a whole SQLite ledger (state_db) back, row by
 * row, for `--migrate-state`: every complaint with its addresses, then
 * every reply with its time. Opened read-only; the milter may be
 * writing meanwhile (what it adds after the read began is not seen).
 *
 * Usage:
 *	struct ledger_export_reader rd = {.complaint = on_c, .reply = on_r};
 *	if (ledger_export(cfg->state_db, &rd, arg, err, sizeof err) != 0) ...
 */
#ifndef ABUSE_LEDGER_EXPORT_H
#define ABUSE_LEDGER_EXPORT_H

#include <stddef.h>
#include <time.h>

#include "ledger/ledger.h"

/* ledger_export_reader - the callbacks; either may be NULL. A non-zero
 * return stops the export, which then returns that value. */
struct ledger_export_reader {
	int (*complaint)(void *arg, const struct ledger_complaint *c);
	int (*reply)(void *arg, const struct ledger_reply *r, time_t when);
};

/* ledger_export - 0 when every row was handed out; -1 with a message in
 * err (no file, not a ledger, a read error); or a callback's value */
int ledger_export(const char *path, const struct ledger_export_reader *rd,
    void *arg, char *err, size_t errlen);

#endif
