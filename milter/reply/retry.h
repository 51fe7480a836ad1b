/*
 * retry.h - a small bounded in-memory queue of replies that could not
 * be recorded in the ledger or written to the spool just now (a locked
 * or damaged ledger, a full disk). Without it such a reply was lost for
 * good; with it the reply is tried again with backoff until it is
 * spooled, refused by the limits, or REPLY_RETRY_MAX_AGE passed (then
 * it is given up with a log line: never silently).
 *
 * The queue only keeps items and their times; what a retry does is the
 * caller's (complaint/reply_queue.c). Thread-safe: a mutex inside.
 * Items live in memory only: a stop or crash loses what is still in the
 * queue, which reply_queue_shutdown logs one line per reply.
 *
 * Usage:
 *	q = reply_retry_new(REPLY_RETRY_MAX);
 *	if (!reply_retry_push(q, item, now)) ... full: the caller suppresses
 *	while ((it = reply_retry_take(q, now)) != NULL) {
 *		... try again ...
 *		if (still failing && !reply_retry_back(q, it, now))
 *			... given up: log, reply_retry_item_free(it)
 *	}
 *	next = reply_retry_next(q);	0: empty, else when the next is due
 *	reply_retry_free(q);
 */
#ifndef ABUSE_REPLY_RETRY_H
#define ABUSE_REPLY_RETRY_H

#include "ledger/reply_decide.h"
#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#define REPLY_RETRY_MAX		256	/* replies waiting at most */
#define REPLY_RETRY_FIRST	1	/* seconds before the first retry */
#define REPLY_RETRY_BACKOFF_MAX	60	/* longest wait between tries */
#define REPLY_RETRY_MAX_AGE	3600	/* seconds before one is given up */

/* reply_retry_item - one reply waiting; every string is owned by the
 * item (reply_retry_item_free releases them) */
struct reply_retry_item {
	char *qid;		/* of the complaint; may be NULL */
	char *rcpt;		/* the bare recipient */
	char *rate_key;		/* reply_addr_rate_key of rcpt */
	char *domain;		/* its organisational domain */
	char *category;
	char *reporter;		/* may be NULL */
	char *case_id;		/* may be NULL */
	char *msg;		/* the composed reply */
	bool recorded;		/* the ledger holds it already: only the
				 * spool is left to do */
	enum reply_decided decided;	/* where it was recorded (Redis and
					 * the local ledger, or only this) */
	unsigned attempts;	/* tries so far, the first one included */
	time_t first;		/* of the first try */
	time_t next_try;
};

struct reply_retry;

struct reply_retry *reply_retry_new(size_t max);

/* reply_retry_free - the queue and every item still in it */
void reply_retry_free(struct reply_retry *q);

/* reply_retry_item_free - one item and its strings; NULL is fine */
void reply_retry_item_free(struct reply_retry_item *it);

/* reply_retry_push - queue a reply whose first try (at it->first, or
 * now when 0) just failed: due REPLY_RETRY_FIRST seconds from now. The
 * queue owns it when this returns true; false when the queue is full
 * (the caller still owns it). */
bool reply_retry_push(struct reply_retry *q, struct reply_retry_item *it,
    time_t now);

/* reply_retry_take - the due item that waited longest, removed from the
 * queue (the caller owns it), or NULL */
struct reply_retry_item *reply_retry_take(struct reply_retry *q, time_t now);

/* reply_retry_pop - the item that waited longest, due or not (to empty
 * the queue at shutdown), or NULL */
struct reply_retry_item *reply_retry_pop(struct reply_retry *q);

/* reply_retry_back - another try failed: attempts + 1, due again after
 * a doubled wait (at most REPLY_RETRY_BACKOFF_MAX). Returns false, and
 * leaves it with the caller, when it is REPLY_RETRY_MAX_AGE old or the
 * queue is full; true when the queue took it back. */
bool reply_retry_back(struct reply_retry *q, struct reply_retry_item *it,
    time_t now);

/* reply_retry_next - when the earliest item is due; 0 when empty */
time_t reply_retry_next(struct reply_retry *q);

/* reply_retry_len - items waiting */
size_t reply_retry_len(struct reply_retry *q);

#endif
