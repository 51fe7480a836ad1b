/*
 * actions.h - what the milter does with an analysed complaint besides
 * touching the message: the stateful reply steps (rate limit and
 * once-per-case in SQLite, compose, durable spool, wake a worker) and the
 * ledger row plus the log line. Pure of libmilter; callbacks.c calls it.
 *
 * Usage: actions_init(cfg) once after dropping privileges; then per
 * complaint reply = actions_reply(...); ...; actions_log(..., reply);
 * actions_shutdown() at exit.
 */
#ifndef ABUSE_ACTIONS_H
#define ABUSE_ACTIONS_H

#include "complaint.h"
#include "config.h"

int actions_init(const struct config *cfg);
void actions_shutdown(void);

/* actions_reply - "queued", or "suppressed: <reason>" (malloc'd). The
 * job is on disk (fsync'd) before this returns "queued". */
char *actions_reply(const struct config *cfg, const struct complaint *c,
    const char *qid);

/* actions_log - one info line per complaint and its ledger row */
void actions_log(const struct config *cfg, const struct complaint *c,
    const char *qid, const char *reply);

#endif
