/*
 * redis_state.h - the reply history and the complaint ledger in Redis,
 * shared by the milters of several MX hosts: the same decisions as the
 * SQLite ledger (ledger.h), with the same reasons, each taken by ONE Lua
 * script so that two hosts asking at the same moment cannot both get
 * the last free reply.
 *
 * Keys (P is state.prefix; #s is the length of s, which keeps two
 * different pairs from ever making one key):
 *	P case:#REPORTER:REPORTER:CASE_ID  replies for this case (forever)
 *	P rate:#CATEGORY:CATEGORY:RCPT	zset: reply id -> time
 *	P domain:DOMAIN			zset: reply id -> time (1 hour)
 *	P replies			zset: every reply id -> time (1 hour)
 *	P reply:ID			hash: time rcpt category reporter
 *					case_id domain (for forget, report)
 *	P reply-seq			the last reply id
 *	P complaints			stream, MAXLEN ~ REDIS_STATE_LEDGER_MAX:
 *					time qid message_id category rule
 *					reporter case_id reply ips
 * Times are UNIX seconds of the Redis server's clock (TIME), so hosts
 * whose clocks differ still share one window. rcpt, domain and reporter
 * are lower-cased here, as the SQLite ledger does. The scripts touch
 * keys they compute: a single Redis (or one managed by Sentinel), not
 * Redis Cluster.
 *
 * THE FALLBACK CONTRACT. Every call answers within the configured
 * timeout. REDIS_UNAVAILABLE (or -1) means Redis could not decide: it
 * is away, slow, or refused the call. The caller must then take the
 * decision locally, from the SQLite ledger, and must never let the
 * fallback send a reply twice on one host: reply_decide.h does exactly
 * this (every reply Redis allows is also recorded in the local ledger,
 * and a case this host answered during an outage is not answered again
 * when Redis is back). A call that timed out may still have been
 * carried out by the server: the reply then counts in Redis although
 * the host decided locally, which only ever makes Redis stricter.
 *
 * Usage:
 *	rs = redis_state_open(&cfg->state.redis);	no I/O yet
 *	if (redis_state_check(rs, err, sizeof err) < 0) ... refuse to start
 *	switch (redis_state_reply_allow(rs, &r, &lim, 0, &why)) ...
 *	redis_state_reply_forget(rs, &r);
 *	redis_state_record_complaint(rs, &row);
 *	redis_state_close(rs);
 */
#ifndef ABUSE_REDIS_STATE_H
#define ABUSE_REDIS_STATE_H

#include <stddef.h>
#include <time.h>

#include "ledger/ledger.h"
#include "ledger/redis_conf.h"

#define REDIS_STATE_LEDGER_MAX	1000000	/* complaints kept, about */

struct redis_state;

enum redis_verdict {
	REDIS_ALLOWED,		/* recorded; send it */
	REDIS_REFUSED,		/* a limit said no: *reason */
	REDIS_UNAVAILABLE,	/* decide locally (see above) */
};

/* how a reply is written by redis_state_reply_allow */
enum redis_record {
	REDIS_RECORD_CHECKED,	/* the limits first: the milter's way */
	REDIS_RECORD_ONLY,	/* no checks (--migrate-state) */
	REDIS_RECORD_CASE,	/* only the case as answered (--migrate-
				 * state: a reply older than every window) */
};

/* redis_state_open - a handle on conf (copied); connects on first use */
struct redis_state *redis_state_open(const struct redis_conf *conf);
void redis_state_close(struct redis_state *rs);

/* redis_state_check - at start: connect, AUTH, PING and load the
 * scripts. 0 ready; 1 unreachable now (start anyway: decisions fall
 * back until it is back); -1 refused for good, e.g. "redis: AUTH
 * failed: WRONGPASS ..." (refuse to start). err gets the message. */
int redis_state_check(struct redis_state *rs, char *err, size_t errlen);

/* redis_state_reply_allow - as ledger_reply_allow, in one script: the
 * case, the rate limit, the caps per domain and per hour, in that order,
 * and the same reasons ("case already answered", "rate limit", "rate
 * limit (domain)", "rate limit (global)"); allowed means recorded.
 * REDIS_UNAVAILABLE gives "state unavailable". now 0: the server's
 * clock (the milter); else that time (tests, migration). */
enum redis_verdict redis_state_reply_allow(struct redis_state *rs,
    const struct ledger_reply *r, const struct ledger_limits *lim,
    time_t now, const char **reason);

/* redis_state_reply_record - write a reply without asking (mode ONLY or
 * CASE, above) at time when; 0 or -1 (unavailable) */
int redis_state_reply_record(struct redis_state *rs,
    const struct ledger_reply *r, const struct ledger_limits *lim,
    time_t when, enum redis_record mode);

/* redis_state_reply_forget - as ledger_reply_forget: take back the
 * newest reply recorded with these rcpt, category, reporter and case_id
 * (within the hour or the rate period, whichever is longer); 0 (also
 * when there was none), -1 unavailable */
int redis_state_reply_forget(struct redis_state *rs,
    const struct ledger_reply *r);

/* redis_state_record_complaint - as ledger_record_complaint, one entry
 * of the complaints stream (NULL fields left out, ips joined by spaces);
 * 0 or -1 (unavailable) */
int redis_state_record_complaint(struct redis_state *rs,
    const struct ledger_complaint *c);

/* redis_state_mark - SET P+name value NX: 0 set now, 1 it was set
 * already (*prev, malloc'd, gets its value), -1 unavailable */
int redis_state_mark(struct redis_state *rs, const char *name,
    const char *value, char **prev);

/* redis_state_where - the server in use, for messages */
const char *redis_state_where(const struct redis_state *rs);

#endif
