/*
 * migrate_cli.h - `abuse-milter --migrate-state`: copy the SQLite ledger
 * (state_db) into the Redis of state { backend = "redis" }, once, when a
 * host joins a fleet or the fleet moves to Redis:
 *  - every complaint (with its addresses) to the complaints stream, as
 *    redis_state_record_complaint writes them, times kept;
 *  - every reply still inside a window (the rate period or the hour of
 *    the caps, whichever is longer) with its time, so the limits go on
 *    counting it;
 *  - of every older reply with a case id, only that the case was
 *    answered (that rule holds forever).
 * A key (P migrated) records the copy; a second run refuses, since it
 * would count everything twice.
 *
 * Usage:
 *	rc = migrate_cli(cfg, stdout);		an exit status (sysexits.h)
 */
#ifndef ABUSE_MIGRATE_CLI_H
#define ABUSE_MIGRATE_CLI_H

#include <stdio.h>

#include "config/config.h"

int migrate_cli(const struct config *cfg, FILE *out);

#endif
