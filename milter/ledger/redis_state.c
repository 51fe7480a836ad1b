/*
 * redis_state.c - reply decisions and the complaint ledger in Redis, see
 * redis_state.h. The decision and its record are one Lua script: Redis
 * runs a script alone, which is what BEGIN IMMEDIATE is to the SQLite
 * ledger.
 */
#include "ledger/redis_state.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ledger/redis_conn.h"
#include "util/log.h"

/* KEYS: case, rate, domain, replies, reply-seq. ARGV: mode, now (0:
 * server clock), rate_count, rate_period, max_per_domain, max_per_hour,
 * cap period, has case, has domain, reply hash prefix, rcpt, category,
 * reporter, case_id, domain. Returns the new reply id, 0 when only the
 * case was marked, or -1 case / -2 rate / -3 domain / -4 global. */
static const char allow_lua[] =
	"local mode, now = ARGV[1], tonumber(ARGV[2])\n"
	"if now == 0 then now = tonumber(redis.call('TIME')[1]) end\n"
	"local rc, rp = tonumber(ARGV[3]), tonumber(ARGV[4])\n"
	"local md, mh = tonumber(ARGV[5]), tonumber(ARGV[6])\n"
	"local cap = tonumber(ARGV[7])\n"
	"local has_case, has_dom = ARGV[8] == '1', ARGV[9] == '1'\n"
	"local function n(k, w) return redis.call('ZCOUNT', k, '(' .. (now - w),"
	" '+inf') end\n"
	"if mode == 'case' then\n"
	"  if has_case then redis.call('INCR', KEYS[1]) end\n"
	"  return 0\n"
	"end\n"
	"if mode == 'check' then\n"
	"  if has_case and redis.call('EXISTS', KEYS[1]) == 1 then return -1 end\n"
	"  if rp > 0 and n(KEYS[2], rp) >= rc then return -2 end\n"
	"  if md > 0 and has_dom and n(KEYS[3], cap) >= md then return -3 end\n"
	"  if mh > 0 and n(KEYS[4], cap) >= mh then return -4 end\n"
	"end\n"
	"local keep = math.max(rp, cap)\n"
	"local id = redis.call('INCR', KEYS[5])\n"
	"local function add(k, w)\n"
	"  redis.call('ZREMRANGEBYSCORE', k, '-inf', now - w)\n"
	"  redis.call('ZADD', k, now, id)\n"
	"  redis.call('EXPIRE', k, w + 60)\n"
	"end\n"
	"add(KEYS[2], keep)\n"
	"add(KEYS[4], cap)\n"
	"if has_dom then add(KEYS[3], cap) end\n"
	"if has_case then redis.call('INCR', KEYS[1]) end\n"
	"local h = ARGV[10] .. id\n"
	"redis.call('HSET', h, 'time', now, 'rcpt', ARGV[11], 'category',"
	" ARGV[12], 'reporter', ARGV[13], 'case_id', ARGV[14])\n"
	"if has_dom then redis.call('HSET', h, 'domain', ARGV[15]) end\n"
	"redis.call('EXPIRE', h, keep + 60)\n"
	"return id\n";

/* KEYS: case, rate, replies. ARGV: reply hash prefix, reporter,
 * case_id ("" none), domain key prefix. The newest matching reply of
 * the rate key goes, from every key it is in; 1, or 0 when none. */
static const char forget_lua[] =
	"local best, dom\n"
	"for _, id in ipairs(redis.call('ZRANGE', KEYS[2], 0, -1)) do\n"
	"  local h = redis.call('HMGET', ARGV[1] .. id, 'reporter', 'case_id',"
	" 'domain')\n"
	"  if h[1] == ARGV[2] and (h[2] or '') == ARGV[3] and (best == nil or"
	" tonumber(id) > tonumber(best)) then best, dom = id, h[3] end\n"
	"end\n"
	"if best == nil then return 0 end\n"
	"redis.call('ZREM', KEYS[2], best)\n"
	"redis.call('ZREM', KEYS[3], best)\n"
	"if dom then redis.call('ZREM', ARGV[4] .. dom, best) end\n"
	"if ARGV[3] ~= '' and redis.call('DECR', KEYS[1]) <= 0 then"
	" redis.call('DEL', KEYS[1]) end\n"
	"redis.call('DEL', ARGV[1] .. best)\n"
	"return 1\n";

struct redis_state {
	struct redis_conn *conn;
	char *prefix;
	struct redis_script allow, forget;	/* used under conn's lock */
};

/* redis_state_open - see redis_state.h */
struct redis_state *
redis_state_open(const struct redis_conf *conf)
{
	struct redis_state *rs = xcalloc(1, sizeof(*rs));

	rs->conn = redis_conn_new(conf);
	rs->prefix = xstrdup(conf->prefix ? conf->prefix : "");
	rs->allow.src = allow_lua;
	rs->forget.src = forget_lua;
	return rs;
}

/* redis_state_close - see redis_state.h */
void
redis_state_close(struct redis_state *rs)
{
	if (rs == NULL)
		return;
	redis_conn_free(rs->conn);
	free(rs->prefix);
	free(rs);
}

/* redis_state_where - see redis_state.h */
const char *
redis_state_where(const struct redis_state *rs)
{
	return redis_conn_where(rs->conn);
}

/* redis_state_check - see redis_state.h */
int
redis_state_check(struct redis_state *rs, char *err, size_t errlen)
{
	int rc = redis_conn_check(rs->conn, err, errlen);

	if (rc == 0 && (redis_conn_load(rs->conn, &rs->allow, err, errlen)
	    != 0 || redis_conn_load(rs->conn, &rs->forget, err, errlen) != 0))
		rc = -1;
	return rc;
}

/* lowered - a lower-case copy, "" for NULL */
static char *
lowered(const char *s)
{
	return str_lower(xstrdup(s ? s : ""));
}

/* reply_keys - the keys and values of r that the scripts use, pushed
 * onto av in the order allow_lua wants its KEYS */
struct reply_vals {
	char *rcpt, *domain, *reporter;
	const char *category, *case_id;
};

static void
reply_vals(const struct ledger_reply *r, struct reply_vals *v)
{
	v->rcpt = lowered(r->rcpt);
	v->domain = r->domain ? lowered(r->domain) : NULL;
	v->reporter = lowered(r->reporter);
	v->category = r->category;
	v->case_id = r->case_id ? r->case_id : "";
}

static void
reply_vals_free(struct reply_vals *v)
{
	free(v->rcpt);
	free(v->domain);
	free(v->reporter);
}

/* key_case, key_rate - see the key table in redis_state.h */
static char *
key_case(const struct redis_state *rs, const struct reply_vals *v)
{
	return xasprintf("%scase:%zu:%s:%s", rs->prefix, strlen(v->reporter),
	    v->reporter, v->case_id);
}

static char *
key_rate(const struct redis_state *rs, const struct reply_vals *v)
{
	return xasprintf("%srate:%zu:%s:%s", rs->prefix, strlen(v->category),
	    v->category, v->rcpt);
}

/* reply_run - run allow_lua; the integer it returned in *out, or -1
 * (unavailable) */
static int
reply_run(struct redis_state *rs, const struct ledger_reply *r,
    const struct ledger_limits *lim, time_t now, const char *mode,
    long long *out)
{
	struct reply_vals v;
	struct strvec av;
	redisReply *rep;
	int rc = -1;

	reply_vals(r, &v);
	strvec_init(&av);
	strvec_push_owned(&av, key_case(rs, &v));
	strvec_push_owned(&av, key_rate(rs, &v));
	strvec_push_owned(&av, xasprintf("%sdomain:%s", rs->prefix,
	    v.domain ? v.domain : ""));
	strvec_push_owned(&av, xasprintf("%sreplies", rs->prefix));
	strvec_push_owned(&av, xasprintf("%sreply-seq", rs->prefix));
	strvec_push(&av, mode);
	strvec_push_owned(&av, xasprintf("%lld", (long long)now));
	strvec_push_owned(&av, xasprintf("%u", lim->rate_count));
	strvec_push_owned(&av, xasprintf("%u", lim->rate_period));
	strvec_push_owned(&av, xasprintf("%u", lim->max_per_domain));
	strvec_push_owned(&av, xasprintf("%u", lim->max_per_hour));
	strvec_push_owned(&av, xasprintf("%d", LEDGER_CAP_PERIOD));
	strvec_push(&av, *v.case_id ? "1" : "0");
	strvec_push(&av, v.domain ? "1" : "0");
	strvec_push_owned(&av, xasprintf("%sreply:", rs->prefix));
	strvec_push(&av, v.rcpt);
	strvec_push(&av, v.category);
	strvec_push(&av, v.reporter);
	strvec_push(&av, v.case_id);
	strvec_push(&av, v.domain ? v.domain : "");
	rep = redis_conn_eval(rs->conn, &rs->allow, 5, (int)av.n,
	    (const char **)av.v, NULL);
	if (rep != NULL && rep->type == REDIS_REPLY_INTEGER) {
		*out = rep->integer;
		rc = 0;
	} else if (rep != NULL)
		log_msg(LOG_ERR, NULL, "redis: reply script: %s", rep->type ==
		    REDIS_REPLY_ERROR ? rep->str : "unexpected answer");
	freeReplyObject(rep);
	strvec_free(&av);
	reply_vals_free(&v);
	return rc;
}

/* redis_state_reply_allow - see redis_state.h */
enum redis_verdict
redis_state_reply_allow(struct redis_state *rs, const struct ledger_reply *r,
    const struct ledger_limits *lim, time_t now, const char **reason)
{
	static const char *const why[] = { NULL, "case already answered",
	    "rate limit", "rate limit (domain)", "rate limit (global)" };
	long long n;

	*reason = "state unavailable";
	if (rs == NULL || r == NULL || r->rcpt == NULL || r->category == NULL
	    || lim == NULL || reply_run(rs, r, lim, now, "check", &n) != 0)
		return REDIS_UNAVAILABLE;
	if (n > 0) {
		*reason = NULL;
		return REDIS_ALLOWED;
	}
	if (n < -4 || n == 0)
		return REDIS_UNAVAILABLE;
	*reason = why[-n];
	return REDIS_REFUSED;
}

/* redis_state_reply_record - see redis_state.h */
int
redis_state_reply_record(struct redis_state *rs, const struct ledger_reply *r,
    const struct ledger_limits *lim, time_t when, enum redis_record mode)
{
	long long n;

	if (r == NULL || r->rcpt == NULL || r->category == NULL)
		return -1;
	return reply_run(rs, r, lim, when, mode == REDIS_RECORD_CASE ? "case"
	    : mode == REDIS_RECORD_ONLY ? "record" : "check", &n);
}

/* redis_state_reply_forget - see redis_state.h */
int
redis_state_reply_forget(struct redis_state *rs, const struct ledger_reply *r)
{
	struct reply_vals v;
	const char *argv[7];
	char *keys[3], *hp, *dp;
	redisReply *rep;
	int rc;

	if (rs == NULL || r == NULL || r->rcpt == NULL || r->category == NULL)
		return -1;
	reply_vals(r, &v);
	keys[0] = key_case(rs, &v);
	keys[1] = key_rate(rs, &v);
	keys[2] = xasprintf("%sreplies", rs->prefix);
	hp = xasprintf("%sreply:", rs->prefix);
	dp = xasprintf("%sdomain:", rs->prefix);
	for (int i = 0; i < 3; i++)
		argv[i] = keys[i];
	argv[3] = hp;
	argv[4] = v.reporter;
	argv[5] = v.case_id;
	argv[6] = dp;
	rep = redis_conn_eval(rs->conn, &rs->forget, 3, 7, argv, NULL);
	rc = rep != NULL && rep->type == REDIS_REPLY_INTEGER ? 0 : -1;
	if (rep != NULL && rc != 0)
		log_msg(LOG_ERR, NULL, "redis: forget script: %s", rep->type ==
		    REDIS_REPLY_ERROR ? rep->str : "unexpected answer");
	freeReplyObject(rep);
	for (int i = 0; i < 3; i++)
		free(keys[i]);
	free(hp);
	free(dp);
	reply_vals_free(&v);
	return rc;
}

/* field - push name and value unless the value is NULL */
static void
field(struct strvec *av, const char *name, const char *value)
{
	if (value == NULL)
		return;
	strvec_push(av, name);
	strvec_push(av, value);
}

/* redis_state_record_complaint - see redis_state.h */
int
redis_state_record_complaint(struct redis_state *rs,
    const struct ledger_complaint *c)
{
	struct strvec av;
	struct buf ips;
	redisReply *rep;
	int rc;

	if (rs == NULL || c == NULL)
		return -1;
	strvec_init(&av);
	buf_init(&ips);
	strvec_push(&av, "XADD");
	strvec_push_owned(&av, xasprintf("%scomplaints", rs->prefix));
	strvec_push(&av, "MAXLEN");
	strvec_push(&av, "~");
	strvec_push_owned(&av, xasprintf("%d", REDIS_STATE_LEDGER_MAX));
	strvec_push(&av, "*");
	strvec_push(&av, "time");
	strvec_push_owned(&av, xasprintf("%lld", (long long)(c->time ? c->time
	    : time(NULL))));
	field(&av, "qid", c->qid);
	field(&av, "message_id", c->message_id);
	field(&av, "category", c->category ? c->category : "");
	field(&av, "rule", c->rule);
	if (c->reporter != NULL)
		strvec_push(&av, "reporter"), strvec_push_owned(&av,
		    lowered(c->reporter));
	field(&av, "case_id", c->case_id);
	field(&av, "reply", c->reply);
	for (size_t i = 0; c->ips && i < c->ips->n; i++)
		buf_printf(&ips, "%s%s", i ? " " : "", c->ips->v[i]);
	if (ips.len > 0)
		field(&av, "ips", ips.s);
	rep = redis_conn_call(rs->conn, (int)av.n, (const char **)av.v, NULL);
	rc = rep != NULL && rep->type == REDIS_REPLY_STRING ? 0 : -1;
	if (rep != NULL && rc != 0)
		log_msg(LOG_ERR, NULL, "redis: XADD: %s", rep->type ==
		    REDIS_REPLY_ERROR ? rep->str : "unexpected answer");
	freeReplyObject(rep);
	buf_free(&ips);
	strvec_free(&av);
	return rc;
}

/* redis_state_mark - see redis_state.h */
int
redis_state_mark(struct redis_state *rs, const char *name, const char *value,
    char **prev)
{
	char *key = xasprintf("%s%s", rs->prefix, name);
	const char *set[] = { "SET", key, value, "NX" }, *get[] = { "GET", key };
	redisReply *rep = redis_conn_call(rs->conn, 4, set, NULL);
	int rc = -1;

	*prev = NULL;
	if (rep != NULL && rep->type == REDIS_REPLY_STATUS)
		rc = 0;
	else if (rep != NULL && rep->type == REDIS_REPLY_NIL) {
		freeReplyObject(rep);
		rep = redis_conn_call(rs->conn, 2, get, NULL);
		if (rep != NULL && rep->type == REDIS_REPLY_STRING) {
			*prev = xstrdup(rep->str);
			rc = 1;
		}
	}
	freeReplyObject(rep);
	free(key);
	return rc;
}
