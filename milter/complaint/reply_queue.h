/*
 * reply_queue.h - what the milter does with an analysed complaint besides
 * touching the message: the stateful reply steps (rate limit and
 * once-per-case in SQLite, compose, durable spool) and the ledger row
 * plus the log line. Pure of libmilter; callbacks.c calls it, and wakes
 * the reply workers when a job was queued.
 *
 * Usage: reply_queue_init(cfg) once after dropping privileges; then per
 * complaint reply = reply_queue_reply(..., &queued); if (queued)
 * worker_kick(); ...; reply_queue_log(..., reply); reply_queue_shutdown()
 * at exit.
 */
#ifndef ABUSE_REPLY_QUEUE_H
#define ABUSE_REPLY_QUEUE_H

#include <stdbool.h>

#include "complaint/complaint.h"
#include "config/config.h"

int reply_queue_init(const struct config *cfg);
void reply_queue_shutdown(void);

/* reply_queue_reply - "queued", or "suppressed: <reason>" (malloc'd). The
 * job is on disk (fsync'd) before this returns "queued"; *queued tells
 * which it was. */
char *reply_queue_reply(const struct config *cfg, const struct complaint *c,
    const char *qid, bool *queued);

/* reply_queue_log - one info line per complaint and its ledger row */
void reply_queue_log(const struct config *cfg, const struct complaint *c,
    const char *qid, const char *reply);

#endif
