/*
 * redis_conn.h - one connection to the Redis of state { }, shared by the
 * milter's threads (a mutex inside serialises the calls), that never
 * makes mail wait: every call is bounded by the configured timeout, and
 * while the server is away a call returns NULL at once.
 *
 * Connecting: with sentinels, each is asked in turn for the master's
 * address (SENTINEL get-master-addr-by-name) and the master is checked
 * with ROLE; without, the url's address. Then AUTH (the password key,
 * else the url's), SELECT when the db is not 0. A failed connect or a
 * call that fails on the wire (timeout, reset) drops the connection;
 * the next try waits REDIS_CONN_BACKOFF_MIN seconds, doubling up to
 * REDIS_CONN_BACKOFF_MAX, and calls meanwhile return NULL without
 * touching the network. "Unavailable" is logged at most once per
 * REDIS_CONN_WARN_SECS, and the return of the server once.
 *
 * Usage:
 *	struct redis_conn *c = redis_conn_new(&cfg->state.redis);
 *	redisReply *r = redis_conn_call(c, argc, argv, lens);
 *	if (r == NULL) ... unavailable ...
 *	freeReplyObject(r);
 *	redis_conn_free(c);
 */
#ifndef ABUSE_REDIS_CONN_H
#define ABUSE_REDIS_CONN_H

#include <hiredis/hiredis.h>
#include <stddef.h>

#include "ledger/redis_conf.h"

#define REDIS_CONN_BACKOFF_MIN	1
#define REDIS_CONN_BACKOFF_MAX	30
#define REDIS_CONN_WARN_SECS	60

struct redis_conn;

/* redis_script - a Lua script and, once loaded, its SHA1; one per
 * script and handle, used under that handle's lock */
struct redis_script {
	const char *src;
	char sha[41];		/* "" until SCRIPT LOAD answered */
};

/* redis_conn_new - a handle for conf (copied); connects on first use */
struct redis_conn *redis_conn_new(const struct redis_conf *conf);
void redis_conn_free(struct redis_conn *c);

/* redis_conn_call - one command: the reply (freeReplyObject it; an
 * error reply of the server is a reply), or NULL when the server is
 * unavailable (logged as above) */
redisReply *redis_conn_call(struct redis_conn *c, int argc,
    const char **argv, const size_t *lens);

/* redis_conn_eval - run script with nkeys keys first in argv: EVALSHA,
 * and EVAL when the server does not know the script (NOSCRIPT: it
 * restarted or was flushed); as redis_conn_call */
redisReply *redis_conn_eval(struct redis_conn *c, struct redis_script *s,
    int nkeys, int argc, const char **argv, const size_t *lens);

/* redis_conn_load - SCRIPT LOAD s now (at start: a server whose ACL
 * forbids scripts is found then, not at the first complaint); 0, or -1
 * with the message in err */
int redis_conn_load(struct redis_conn *c, struct redis_script *s, char *err,
    size_t errlen);

/* redis_conn_check - connect now (whatever the backoff says), log in
 * and PING: 0 ready; 1 unreachable right now (the milter may start and
 * fall back); -1 refused for good: a wrong password ("redis: AUTH
 * failed: ..."), a database that cannot be selected. The message goes
 * to err either way. */
int redis_conn_check(struct redis_conn *c, char *err, size_t errlen);

/* redis_conn_where - the address in use, for messages */
const char *redis_conn_where(const struct redis_conn *c);

#endif
