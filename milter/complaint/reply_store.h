/*
 * reply_store.h - where a composed reply goes: the ledger that records
 * it under the stored limits, the spool that keeps it for the workers,
 * and the retry queue for a reply that neither can take right now (a
 * locked or damaged ledger, a spool that cannot be written). It owns
 * the process's ledger handle and retry queue; reply_queue.c hands it
 * one reply per complaint, the reply workers (protocol/worker.c) drain
 * the retries. Nothing here reads a complaint or calls config.c, so the
 * workers need no more than this.
 *
 * Usage:
 *	reply_store_open(cfg);			at start (reply_queue_init)
 *	reply_store_set_wake(worker_kick);	when the workers run
 *	o = reply_store_put(cfg, item, &row, &done, &why);	per reply
 *	reply_store_retry(cfg, now, &next);	in the workers
 *	reply_store_record_complaint(&row);	the ledger row per complaint
 *	reply_store_close(cfg);			at exit
 */
#ifndef ABUSE_REPLY_STORE_H
#define ABUSE_REPLY_STORE_H

#include <stdbool.h>
#include <time.h>

#include "config/config.h"
#include "ledger/ledger.h"
#include "reply/retry.h"

/* what one try of a reply came to */
enum reply_store_outcome {
	REPLY_STORED,		/* the job is on disk (fsync'd) */
	REPLY_REFUSED,		/* a stored limit refused it: why */
	REPLY_DEFERRED,		/* waits in the retry queue: why */
};

/* reply_store_open - prepare the spool, open the ledger, make the
 * retry queue; 0, or -1 (logged) when the spool cannot be prepared */
int reply_store_open(const struct config *cfg);

/* reply_store_close - close the ledger. Replies still waiting in the
 * retry queue get one last try (the fault may be gone since their last
 * one); those that still cannot be spooled are lost with the process,
 * one log line each. cfg NULL: no last try. */
void reply_store_close(const struct config *cfg);

/* reply_store_set_wake - called (from any thread) when a reply was
 * deferred, so the workers look at the retry times; NULL: no one */
void reply_store_set_wake(void (*wake)(void));

/* reply_store_put - record it->rcpt's reply in the ledger and spool it.
 * Takes it. When row is not NULL, the complaint's ledger row is written
 * in the same transaction as the reply's record (its reply column says
 * what became of the reply), and *row_done (may be NULL) says whether
 * it was: when not ("state unavailable", the ledger was not reached),
 * the caller records the row itself. REPLY_DEFERRED: the ledger said
 * "state unavailable" or the spool failed, and the reply waits in the
 * retry queue; when that queue is full the reply is refused instead,
 * why "retry queue full" (logged).
 * *why is a short static string, NULL for REPLY_STORED. */
enum reply_store_outcome reply_store_put(const struct config *cfg,
    struct reply_retry_item *it, const struct ledger_complaint *row,
    bool *row_done, const char **why);

/* reply_store_retry - try every due deferred reply again; how many are
 * now spooled, and in *next when the next one is due (0: none waits) */
int reply_store_retry(const struct config *cfg, time_t now, time_t *next);

/* reply_store_record_complaint - the ledger row of one complaint; 0 or
 * -1 (logged) */
int reply_store_record_complaint(const struct ledger_complaint *row);

#endif
