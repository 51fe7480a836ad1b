/*
 * redis_learned.c - the learner's counts in Redis, see redis_learned.h.
 */
#include "ledger/redis_learned.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ledger/redis_conn.h"

/* take - the counts of one message out of a category (shared by both
 * scripts); a count or a category that reaches 0 goes */
#define TAKE_LUA \
	"local function take(cat, list)\n" \
	"  local k = ARGV[1] .. cat\n" \
	"  for t in string.gmatch(list, '[^\\n]+') do\n" \
	"    if redis.call('HINCRBY', k, t, -1) <= 0 then" \
	" redis.call('HDEL', k, t) end\n" \
	"  end\n" \
	"  if redis.call('HINCRBY', KEYS[2], cat, -1) <= 0 then" \
	" redis.call('HDEL', KEYS[2], cat) end\n" \
	"end\n"

/* KEYS: msg, cats. ARGV: token key prefix, category, tokens...
 * Returns 0 new, 1 same, 2 moved. */
static const char add_lua[] = TAKE_LUA
	"local old = redis.call('HMGET', KEYS[1], 'category', 'tokens')\n"
	"if old[1] == ARGV[2] then return 1 end\n"
	"if old[1] then take(old[1], old[2] or '') end\n"
	"local k, toks = ARGV[1] .. ARGV[2], {}\n"
	"for i = 3, #ARGV do\n"
	"  redis.call('HINCRBY', k, ARGV[i], 1)\n"
	"  toks[#toks + 1] = ARGV[i]\n"
	"end\n"
	"redis.call('HINCRBY', KEYS[2], ARGV[2], 1)\n"
	"redis.call('HSET', KEYS[1], 'category', ARGV[2], 'tokens',"
	" table.concat(toks, '\\n'))\n"
	"if old[1] then return 2 end\n"
	"return 0\n";

/* KEYS: msg, cats. ARGV: token key prefix. The category it had, or
 * false when the message was not learned. */
static const char forget_lua[] = TAKE_LUA
	"local old = redis.call('HMGET', KEYS[1], 'category', 'tokens')\n"
	"if not old[1] then return false end\n"
	"take(old[1], old[2] or '')\n"
	"redis.call('DEL', KEYS[1])\n"
	"return old[1]\n";

struct redis_learned {
	struct redis_conn *conn;
	char *prefix;
	struct redis_script add, forget;
};

/* redis_learned_open - see redis_learned.h */
struct redis_learned *
redis_learned_open(const struct redis_conf *conf)
{
	struct redis_learned *l = xcalloc(1, sizeof(*l));

	l->conn = redis_conn_new(conf);
	l->prefix = xstrdup(conf->prefix ? conf->prefix : "");
	l->add.src = add_lua;
	l->forget.src = forget_lua;
	return l;
}

/* redis_learned_close - see redis_learned.h */
void
redis_learned_close(struct redis_learned *l)
{
	if (l == NULL)
		return;
	redis_conn_free(l->conn);
	free(l->prefix);
	free(l);
}

/* redis_learned_check - see redis_learned.h */
int
redis_learned_check(struct redis_learned *l, char *err, size_t errlen)
{
	return redis_conn_check(l->conn, err, errlen);
}

/* redis_learned_where - see redis_learned.h */
const char *
redis_learned_where(const struct redis_learned *l)
{
	return redis_conn_where(l->conn);
}

/* learned_args - msg key, cats key, token key prefix: the start of
 * both scripts' arguments */
static void
learned_args(const struct redis_learned *l, const char *digest,
    struct strvec *av)
{
	strvec_init(av);
	strvec_push_owned(av, xasprintf("%slearn:msg:%s", l->prefix, digest));
	strvec_push_owned(av, xasprintf("%slearn:cats", l->prefix));
	strvec_push_owned(av, xasprintf("%slearn:tok:", l->prefix));
}

/* redis_learned_add - see redis_learned.h */
enum learned_outcome
redis_learned_add(struct redis_learned *l, const char *digest,
    const char *category, const struct strvec *tokens)
{
	static const enum learned_outcome out[] = { LEARNED_NEW,
	    LEARNED_SAME, LEARNED_MOVED };
	enum learned_outcome rc = LEARNED_FAILED;
	struct strvec av;
	redisReply *r;

	learned_args(l, digest, &av);
	strvec_push(&av, category);
	for (size_t i = 0; i < tokens->n; i++)
		strvec_push(&av, tokens->v[i]);
	r = redis_conn_eval(l->conn, &l->add, 2, (int)av.n,
	    (const char **)av.v, NULL);
	if (r != NULL && r->type == REDIS_REPLY_INTEGER && r->integer >= 0 &&
	    r->integer <= 2)
		rc = out[r->integer];
	freeReplyObject(r);
	strvec_free(&av);
	return rc;
}

/* redis_learned_forget - see redis_learned.h */
int
redis_learned_forget(struct redis_learned *l, const char *digest,
    char **category)
{
	struct strvec av;
	redisReply *r;
	int rc = -1;

	learned_args(l, digest, &av);
	r = redis_conn_eval(l->conn, &l->forget, 2, (int)av.n,
	    (const char **)av.v, NULL);
	if (r != NULL && r->type == REDIS_REPLY_NIL)
		rc = 0;
	else if (r != NULL && r->type == REDIS_REPLY_STRING) {
		rc = 1;
		if (category != NULL)
			*category = xstrdup(r->str);
	}
	freeReplyObject(r);
	strvec_free(&av);
	return rc;
}

/* read_cmd - a command of up to 6 arguments; NULL (err set) unless the
 * reply has the type wanted */
static redisReply *
read_cmd(struct redis_learned *l, int type, char *err, size_t errlen,
    int argc, const char **argv)
{
	redisReply *r = redis_conn_call(l->conn, argc, argv, NULL);

	if (r != NULL && r->type == type)
		return r;
	snprintf(err, errlen, "redis %s: %s: %s", redis_conn_where(l->conn),
	    argv[0], r == NULL ? "unavailable" : r->type == REDIS_REPLY_ERROR
	    ? r->str : "unexpected answer");
	freeReplyObject(r);
	return NULL;
}

/* read_tokens - every count of one category, HSCAN by HSCAN (a big
 * category must not block the server for one long HGETALL) */
static int
read_tokens(struct redis_learned *l, const char *key, const char *cat,
    const struct learned_reader *rd, void *arg, char *err, size_t errlen)
{
	char cursor[32] = "0";
	const char *argv[] = { "HSCAN", key, cursor, "COUNT", "1000" };
	redisReply *r, *kv;

	do {
		if ((r = read_cmd(l, REDIS_REPLY_ARRAY, err, errlen, 5, argv))
		    == NULL || r->elements != 2) {
			freeReplyObject(r);
			return -1;
		}
		snprintf(cursor, sizeof(cursor), "%s", r->element[0]->str);
		kv = r->element[1];
		for (size_t i = 0; i + 1 < kv->elements; i += 2)
			rd->token(arg, kv->element[i]->str, cat,
			    atol(kv->element[i + 1]->str));
		freeReplyObject(r);
	} while (strcmp(cursor, "0") != 0);
	return 0;
}

/* read_category - one category's line: its messages and its tokens */
static int
read_category(struct redis_learned *l, const char *cat, const char *msgs,
    const struct learned_reader *rd, void *arg, char *err, size_t errlen)
{
	char *key = xasprintf("%slearn:tok:%s", l->prefix, cat);
	const char *argv[] = { "HLEN", key };
	redisReply *n = read_cmd(l, REDIS_REPLY_INTEGER, err, errlen, 2, argv);

	if (n != NULL && rd->category != NULL)
		rd->category(arg, cat, atol(msgs), (long)n->integer);
	freeReplyObject(n);
	free(key);
	return n != NULL ? 0 : -1;
}

/* redis_learned_read - see redis_learned.h; as learned_read, all the
 * categories come before the first count */
int
redis_learned_read(struct redis_learned *l, const struct learned_reader *rd,
    void *arg, char *err, size_t errlen)
{
	char *cats = xasprintf("%slearn:cats", l->prefix), *key;
	const char *argv[] = { "HGETALL", cats };
	redisReply *r = read_cmd(l, REDIS_REPLY_ARRAY, err, errlen, 2, argv);
	int rc = r == NULL ? -1 : r->elements == 0 ? 1 : 0;

	for (size_t i = 0; rc == 0 && i + 1 < r->elements; i += 2)
		rc = read_category(l, r->element[i]->str,
		    r->element[i + 1]->str, rd, arg, err, errlen);
	for (size_t i = 0; rc == 0 && rd->token && i + 1 < r->elements;
	    i += 2) {
		key = xasprintf("%slearn:tok:%s", l->prefix,
		    r->element[i]->str);
		rc = read_tokens(l, key, r->element[i]->str, rd, arg, err,
		    errlen);
		free(key);
	}
	freeReplyObject(r);
	free(cats);
	return rc;
}
