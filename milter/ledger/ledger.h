/*
 * ledger.h - what the milter remembers, in SQLite (state_db): the ledger
 * of complaints seen and the history of replies sent, which the rate
 * limit and the once-per-case rule are decided from.
 *
 * One handle serves every milter thread: calls are serialised by a
 * mutex inside, and the database (WAL, busy timeout LEDGER_BUSY_MS) can
 * be read by `abuse-milter --report` or shared with another process
 * meanwhile. The schema is versioned with PRAGMA user_version and made
 * on first use.
 *
 * Never block mail: when the database is locked for longer than the
 * busy timeout, corrupt, or cannot be opened, the call logs the error
 * and returns at once. ledger_open() always returns a handle; a database
 * that could not be opened is tried again at most every
 * LEDGER_RETRY_SECS on later calls. A NULL handle is accepted everywhere
 * and behaves like a database that is unavailable.
 *
 * Usage:
 *	st = ledger_open(cfg->state_db);			at start
 *	if (ledger_reply_allow(st, rcpt, cat, reporter, case_id,
 *	    rc->rate_count, rc->rate_period, &why)) ... queue the reply
 *	ledger_record_complaint(st, &c);			once per message
 *	ledger_close(st);				at exit
 */
#ifndef ABUSE_LEDGER_H
#define ABUSE_LEDGER_H

#include <stdbool.h>
#include <time.h>

#include "util/util.h"

#define LEDGER_BUSY_MS		250
#define LEDGER_RETRY_SECS	30
#define LEDGER_SCHEMA_VERSION	1

struct ledger;

/* ledger_open - open or create the database (and its directory);
 * never NULL, see above */
struct ledger *ledger_open(const char *path);
void ledger_close(struct ledger *st);

/* ledger_available - is the database open right now? */
bool ledger_available(struct ledger *st);

/* ledger_complaint - one ledger row; NULL strings are stored as NULL */
struct ledger_complaint {
	time_t time;		/* 0: now */
	const char *qid;
	const char *message_id;
	const char *category;
	const char *rule;
	const char *reporter;
	const char *case_id;
	const char *reply;	/* "queued" or "suppressed: <reason>" */
	const struct strvec *ips;	/* reported offenders; may be NULL */
};

/* ledger_record_complaint - add a ledger row; 0, or -1 (logged) */
int ledger_record_complaint(struct ledger *st,
    const struct ledger_complaint *c);

/* ledger_reply_allow - may we answer rcpt now? In one transaction:
 * refuse with *reason "case already answered" when a reply for this
 * reporter and case_id (when case_id is not NULL/empty) was recorded
 * before; refuse with "rate limit" when rate_count replies to rcpt in
 * this category were recorded within the last rate_period seconds
 * (rate_period 0: no limit); otherwise record the reply and allow.
 * Addresses compare case-insensitively. On any database error the
 * answer is no, with reason "state unavailable": with no memory of what
 * was sent, staying quiet is the side that cannot feed a reply loop or
 * spray backscatter. *reason is set to a static string, or to NULL
 * when the reply is allowed. */
bool ledger_reply_allow(struct ledger *st, const char *rcpt,
    const char *category, const char *reporter, const char *case_id,
    unsigned rate_count, unsigned rate_period, const char **reason);

/* ledger_reply_forget - undo the newest ledger_reply_allow record with
 * these values (the reply could not be queued); 0, or -1 (logged) */
int ledger_reply_forget(struct ledger *st, const char *rcpt,
    const char *category, const char *reporter, const char *case_id);

#endif
