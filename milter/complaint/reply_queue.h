/*
 * reply_queue.h - what the milter does with an analysed complaint besides
 * touching the message: the reply steps (compose, then reply_store.c:
 * the stored limits in SQLite, the durable spool, a retry queue for
 * replies that cannot be recorded or spooled right now) and the ledger
 * row plus the log line. Pure of libmilter; callbacks.c calls it, and
 * wakes the reply workers when a job was queued; the workers drain the
 * retry queue (reply_store_retry).
 *
 * Usage: reply_queue_init(cfg) once after dropping privileges; then per
 * complaint reply = reply_queue_reply(..., &queued, &recorded);
 * if (queued) worker_kick(); ...; reply_queue_log(..., reply,
 * recorded); reply_queue_shutdown() at exit.
 */
#ifndef ABUSE_REPLY_QUEUE_H
#define ABUSE_REPLY_QUEUE_H

#include <stdbool.h>

#include "complaint/complaint.h"
#include "config/config.h"

int reply_queue_init(const struct config *cfg);

/* reply_queue_shutdown - close the ledger; replies still waiting in the
 * retry queue get a last try with cfg, and those that fail again are
 * lost, each with a log line */
void reply_queue_shutdown(const struct config *cfg);

/* reply_queue_reply - the X-Abuse-Reply value (malloc'd):
 *	"queued"		the job is on disk (fsync'd); *queued = true
 *	"deferred"		the ledger (locked, damaged) or the spool
 *				could not take it now: it waits in the
 *				retry queue and is tried again
 *	"suppressed: <reason>"	no reply; "retry queue full" when it
 *				should have been deferred
 * *recorded: the complaint's ledger row was written in the same
 * transaction as the reply's record (pass it to reply_queue_log) */
char *reply_queue_reply(const struct config *cfg, const struct complaint *c,
    const char *qid, bool *queued, bool *recorded);


/* reply_queue_log - one info line per complaint, and its ledger row
 * unless reply_queue_reply recorded it already */
void reply_queue_log(const struct config *cfg, const struct complaint *c,
    const char *qid, const char *reply, bool recorded);

#endif
