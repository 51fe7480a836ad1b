/*
 * ledger.h - what the milter remembers, in SQLite (state_db): the ledger
 * of complaints seen and the history of replies sent, which the rate
 * limit and the once-per-case rule are decided from.
 *
 * One handle serves every milter thread: calls are serialised by a
 * mutex inside (which also guards the statements compiled once per
 * connection), and the database (WAL, busy timeout LEDGER_BUSY_MS) can
 * be read by `abuse-milter --report` or shared with another process
 * meanwhile. The schema is versioned with PRAGMA user_version and made
 * on first use.
 *
 * Never block mail: when the database is locked for longer than the
 * busy timeout or cannot be opened, the call logs the error and returns
 * at once. ledger_open() always returns a handle; a database that could
 * not be opened is tried again at most every LEDGER_RETRY_SECS on later
 * calls. A NULL handle is accepted everywhere and behaves like a
 * database that is unavailable.
 *
 * A corrupt database (SQLite says SQLITE_CORRUPT or SQLITE_NOTADB, at
 * open or in any later call) is not left to fail every reply forever:
 * the file, with its -wal and -shm files, is renamed to
 * PATH.corrupt-UNIXTIME (a person may want to look at it), a new empty
 * ledger is created in its place, and a line at level crit says so. The
 * call that met the corruption still fails ("state unavailable"); the
 * caller's retry finds the new database.
 *
 * Usage:
 *	st = ledger_open(cfg->state_db);			at start
 *	struct ledger_reply r = { rcpt_key, org_domain, cat, reporter, case_id };
 *	struct ledger_limits lim = { rate_count, rate_period, max_per_hour,
 *	    max_per_domain };
 *	if (ledger_reply_allow(st, &r, &lim, &why)) ... queue the reply
 *	ledger_record_complaint(st, &c);			once per message
 * or both in one transaction:
 *	ledger_reply_decide(st, &r, &lim, &c, &why, &id);
 *	ledger_close(st);				at exit
 */
#ifndef ABUSE_LEDGER_H
#define ABUSE_LEDGER_H

#include <stdbool.h>
#include <time.h>

#include "util/util.h"

#define LEDGER_BUSY_MS		250
#define LEDGER_RETRY_SECS	30
#define LEDGER_SCHEMA_VERSION	2
#define LEDGER_CAP_PERIOD	3600	/* seconds of max_per_hour and
					 * max_per_domain */

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

/* ledger_reply - one reply, as the stored limits see it */
struct ledger_reply {
	const char *rcpt;	/* the rate key of the recipient (lower case,
				 * no +detail: reply_addr_rate_key) */
	const char *domain;	/* its organisational domain; NULL: the reply
				 * is not counted against max_per_domain */
	const char *category;
	const char *reporter;	/* NULL: "" */
	const char *case_id;	/* NULL or "": no once-per-case test */
};

/* ledger_limits - the reply.* limits; 0 turns one off */
struct ledger_limits {
	unsigned rate_count;	/* replies per rcpt and category ... */
	unsigned rate_period;	/* ... per this many seconds */
	unsigned max_per_hour;	/* replies of all kinds per hour */
	unsigned max_per_domain;	/* replies per domain per hour */
};

/* ledger_reply_allow - may we answer r->rcpt now? In one transaction,
 * the first rule that refuses gives *reason:
 *	"case already answered"	a reply for this reporter and case_id
 *				was recorded before (ever)
 *	"rate limit"		rate_count replies to rcpt in this category
 *				within the last rate_period seconds
 *	"rate limit (domain)"	max_per_domain replies to r->domain within
 *				the last LEDGER_CAP_PERIOD seconds
 *	"rate limit (global)"	max_per_hour replies to anyone within the
 *				last LEDGER_CAP_PERIOD seconds
 * otherwise the reply is recorded and allowed (*reason NULL). rcpt,
 * domain and reporter compare without case. On any database error the
 * answer is no, with reason "state unavailable": with no memory of what
 * was sent, staying quiet now is the side that cannot feed a reply loop
 * or spray backscatter (the caller retries later). */
bool ledger_reply_allow(struct ledger *st, const struct ledger_reply *r,
    const struct ledger_limits *lim, const char **reason);

/* ledger_reply_decide - ledger_reply_allow, and when row is not NULL
 * the complaint's ledger row in the same write transaction (one commit
 * per complaint instead of two): its reply column is "queued" when the
 * reply is allowed, "suppressed: <reason>" when a stored limit refuses
 * it (row->reply is ignored). On "state unavailable" nothing is written
 * at all. *row_id (may be NULL) is the row's id, 0 when none was
 * written. */
bool ledger_reply_decide(struct ledger *st, const struct ledger_reply *r,
    const struct ledger_limits *lim, const struct ledger_complaint *row,
    const char **reason, long long *row_id);

/* ledger_complaint_reply - change the reply column of row id (written
 * "queued" by ledger_reply_decide, but the job could not be spooled);
 * 0, or -1 (logged) */
int ledger_complaint_reply(struct ledger *st, long long id,
    const char *reply);

/* ledger_reply_forget - undo the newest ledger_reply_allow record with
 * these values (the reply could not be queued); 0, or -1 (logged) */
int ledger_reply_forget(struct ledger *st, const struct ledger_reply *r);

#endif
