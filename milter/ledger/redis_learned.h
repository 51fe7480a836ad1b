/*
 * redis_learned.h - what the desk taught the learner, kept in Redis so
 * that every MX host classifies with what any of them learned: the
 * counterpart of learned.h (the same outcomes, the same reader), for
 * `--learn`, `--forget`, `--learn-stats` and the classifier's snapshot
 * once they are pointed at state { backend = "redis" }.
 *
 * Keys (P is state.prefix):
 *	P learn:cats			hash: category -> messages learned
 *	P learn:tok:CATEGORY		hash: token -> messages of the
 *					category that have it (n > 0)
 *	P learn:msg:DIGEST		hash: category, tokens (one a line),
 *					so --forget takes back exactly what
 *					was counted
 * Learning, moving and forgetting a message are one Lua script each,
 * so two hosts learning at once cannot leave a count half changed.
 *
 * Usage:
 *	struct redis_learned *l = redis_learned_open(&cfg->state.redis);
 *	switch (redis_learned_add(l, digest, "spam", &tokens)) ...
 *	redis_learned_forget(l, digest, &cat);
 *	rc = redis_learned_read(l, &reader, arg, err, sizeof err);
 *	redis_learned_close(l);
 */
#ifndef ABUSE_REDIS_LEARNED_H
#define ABUSE_REDIS_LEARNED_H

#include <stddef.h>

#include "ledger/learned.h"
#include "ledger/redis_conf.h"

struct redis_learned;

/* redis_learned_open - a handle on conf (copied); connects on first use */
struct redis_learned *redis_learned_open(const struct redis_conf *conf);
void redis_learned_close(struct redis_learned *l);

/* redis_learned_check - connect now: 0 ready, else (1 unreachable, -1
 * refused, as redis_conn_check) the message in err; --learn asks first
 * rather than find out after parsing a thousand messages */
int redis_learned_check(struct redis_learned *l, char *err, size_t errlen);

/* redis_learned_where - the server in use, for messages */
const char *redis_learned_where(const struct redis_learned *l);

/* redis_learned_add - as learned_add (tokens unique); LEARNED_FAILED
 * when Redis is unavailable */
enum learned_outcome redis_learned_add(struct redis_learned *l,
    const char *digest, const char *category, const struct strvec *tokens);

/* redis_learned_forget - as learned_forget: 1 done (*category, when not
 * NULL, malloc'd), 0 not learned, -1 unavailable */
int redis_learned_forget(struct redis_learned *l, const char *digest,
    char **category);

/* redis_learned_read - as learned_read: every category, then (when
 * r->token is set) every count; 0 read, 1 nothing learned, -1 with a
 * message in err */
int redis_learned_read(struct redis_learned *l,
    const struct learned_reader *r, void *arg, char *err, size_t errlen);

#endif
