/*
 * reply_decide.h - the reply decision with state { backend = "redis" }:
 * Redis decides for the whole fleet, the local SQLite ledger (state_db)
 * when Redis cannot, and the local ledger also keeps what this host
 * sent, so that no fallback makes one host answer twice:
 *
 *  - Redis allows: the reply is recorded in the local ledger too (its
 *    case only is checked there). A case this host answered while Redis
 *    was away is refused ("case already answered") and taken back from
 *    Redis; a local ledger that cannot record defers the reply ("state
 *    unavailable", taken back from Redis), as it does without Redis.
 *  - Redis refuses: refused, with its reason.
 *  - Redis unavailable (away, slow, an error): ledger_reply_allow on the
 *    local ledger with all the limits decides.
 * rs NULL (backend "sqlite"): the local ledger alone, as before.
 *
 * This is what reply_store.c calls in place of ledger_reply_allow and
 * ledger_reply_forget; it keeps the `where` of each reply it recorded
 * (in its retry item) for the forget.
 *
 * Usage:
 *	enum reply_decided where;
 *	if (reply_decide_allow(ledger, rs, &r, &lim, &where, &why)) ...
 *	reply_decide_forget(ledger, rs, &r, where);	could not spool it
 *	reply_decide_complaint(ledger, rs, &row);
 */
#ifndef ABUSE_REPLY_DECIDE_H
#define ABUSE_REPLY_DECIDE_H

#include <stdbool.h>

#include "ledger/ledger.h"
#include "ledger/redis_state.h"

/* where an allowed reply was recorded */
enum reply_decided {
	DECIDED_NONE,		/* not allowed: nothing recorded */
	DECIDED_LOCAL,		/* in the local ledger only */
	DECIDED_REDIS,		/* in Redis and in the local ledger */
};

/* reply_decide_allow - may we answer r->rcpt now? As ledger_reply_allow
 * (same reasons; "state unavailable" means: defer and try again), with
 * *where saying what to take back if the reply cannot be queued */
bool reply_decide_allow(struct ledger *local, struct redis_state *rs,
    const struct ledger_reply *r, const struct ledger_limits *lim,
    enum reply_decided *where, const char **reason);

/* reply_decide_forget - take back a reply reply_decide_allow recorded
 * at where; 0, or -1 when a store could not be reached */
int reply_decide_forget(struct ledger *local, struct redis_state *rs,
    const struct ledger_reply *r, enum reply_decided where);

/* reply_decide_complaint - the ledger row of a complaint: always in the
 * local ledger (this host's own record), and in Redis when it is there
 * (the fleet's); 0 when at least one took it, else -1 */
int reply_decide_complaint(struct ledger *local, struct redis_state *rs,
    const struct ledger_complaint *c);

#endif
