/*
 * redis_conn.c - the connection to Redis, see redis_conn.h.
 *
 * hiredis's blocking API with a socket timeout is enough here: the calls
 * are few and short, and the mutex makes one thread at a time wait at
 * most the timeout. A thread that finds the server away does not wait
 * at all (the backoff), so a dead Redis costs mail one timeout per
 * backoff period, not one per message.
 */
#include "ledger/redis_conn.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>

#include "util/log.h"

struct redis_conn {
	pthread_mutex_t lock;
	struct redis_conf conf;		/* copied: a reload frees the config */
	struct redis_addr addr;		/* the url, parsed */
	int addr_ok;
	char *where;			/* where we are (or last were) */
	redisContext *ctx;		/* NULL while away */
	time_t next_try;
	unsigned backoff;
	time_t last_warn;
	bool was_down;			/* say so when it is back */
	bool refused;			/* the last failure was AUTH / SELECT */
	char err[512];			/* why the last connect failed */
};

/* conn_tv - the per-call timeout */
static struct timeval
conn_tv(const struct redis_conn *c)
{
	struct timeval tv = { c->conf.timeout_ms / 1000,
	    (c->conf.timeout_ms % 1000) * 1000 };

	return tv;
}

/* conn_fail - remember why connecting failed */
static void __attribute__((format(printf, 2, 3)))
conn_fail(struct redis_conn *c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(c->err, sizeof(c->err), fmt, ap);
	va_end(ap);
}

/* conn_open - a context to host:port or path with the timeout set, or
 * NULL (c->err says why) */
static redisContext *
conn_open(struct redis_conn *c, const char *host, int port, const char *path)
{
	redisContext *ctx = path ? redisConnectUnixWithTimeout(path, conn_tv(c))
	    : redisConnectWithTimeout(host, port, conn_tv(c));

	if (ctx != NULL && ctx->err == 0 &&
	    redisSetTimeout(ctx, conn_tv(c)) == REDIS_OK)
		return ctx;
	if (path)
		conn_fail(c, "redis: cannot connect to unix:%s: %s", path,
		    ctx ? ctx->errstr : "out of memory");
	else
		conn_fail(c, "redis: cannot connect to %s:%d: %s", host, port,
		    ctx ? ctx->errstr : "out of memory");
	redisFree(ctx);
	return NULL;
}

/* conn_cmd - a command on ctx with printf-free arguments; the reply or
 * NULL (I/O error: ctx->errstr) */
static redisReply *
conn_cmd(redisContext *ctx, int argc, const char **argv)
{
	return redisCommandArgv(ctx, argc, argv, NULL);
}

/* conn_ask_sentinel - the master's address from one sentinel; 0 or -1 */
static int
conn_ask_sentinel(struct redis_conn *c, const char *sentinel, char **host,
    int *port)
{
	const char *argv[] = { "SENTINEL", "get-master-addr-by-name",
	    c->conf.sentinel_master };
	char err[160], *shost;
	int sport, rc = -1;
	redisContext *ctx;
	redisReply *r;

	if (redis_hostport_parse(sentinel, REDIS_CONF_SENTINEL_PORT, &shost,
	    &sport, err, sizeof(err)) != 0 ||
	    (ctx = conn_open(c, shost, sport, NULL)) == NULL) {
		free(shost);
		return -1;
	}
	r = conn_cmd(ctx, 3, argv);
	if (r != NULL && r->type == REDIS_REPLY_ARRAY && r->elements == 2 &&
	    r->element[0]->type == REDIS_REPLY_STRING &&
	    r->element[1]->type == REDIS_REPLY_STRING) {
		*host = xstrdup(r->element[0]->str);
		*port = atoi(r->element[1]->str);
		rc = 0;
	} else
		conn_fail(c, "redis: sentinel %s does not know master %s%s%s",
		    sentinel, c->conf.sentinel_master, r ? "" : ": ",
		    r ? "" : ctx->errstr);
	freeReplyObject(r);
	redisFree(ctx);
	free(shost);
	return rc;
}

/* conn_login - AUTH and SELECT on a fresh context; 0, or -1 with
 * c->refused set when the server said no (not a network fault) */
static int
conn_login(struct redis_conn *c, redisContext *ctx)
{
	const char *pw = c->conf.password ? c->conf.password :
	    c->addr.password;
	const char *argv[3] = { "AUTH" };
	char db[16];
	redisReply *r;
	int n = 1;

	if (pw != NULL) {
		if (c->addr.user != NULL)
			argv[n++] = c->addr.user;
		argv[n++] = pw;
		r = conn_cmd(ctx, n, argv);
		if (r == NULL || r->type == REDIS_REPLY_ERROR) {
			c->refused = r != NULL;
			conn_fail(c, "redis: AUTH failed: %s", r ? r->str :
			    ctx->errstr);
			freeReplyObject(r);
			return -1;
		}
		freeReplyObject(r);
	}
	snprintf(db, sizeof(db), "%d", c->addr.db);
	argv[0] = c->addr.db != 0 ? "SELECT" : "PING";
	argv[1] = db;
	r = conn_cmd(ctx, c->addr.db != 0 ? 2 : 1, argv);
	if (r == NULL || r->type == REDIS_REPLY_ERROR) {
		c->refused = r != NULL;
		if (r != NULL && strncmp(r->str, "NOAUTH", 6) == 0)
			conn_fail(c, "redis: AUTH failed: the server wants a "
			    "password and none is set (%s)", r->str);
		else
			conn_fail(c, "redis: %s%s: %s", argv[0], c->addr.db ?
			    " db" : "", r ? r->str : ctx->errstr);
		freeReplyObject(r);
		return -1;
	}
	freeReplyObject(r);
	return 0;
}

/* conn_is_master - ROLE says master: a sentinel's answer can be stale
 * during a failover, and writes to a replica would be refused anyway */
static bool
conn_is_master(struct redis_conn *c, redisContext *ctx)
{
	const char *argv[] = { "ROLE" };
	redisReply *r = conn_cmd(ctx, 1, argv);
	bool ok = r != NULL && r->type == REDIS_REPLY_ARRAY &&
	    r->elements > 0 && r->element[0]->type == REDIS_REPLY_STRING &&
	    strcmp(r->element[0]->str, "master") == 0;

	if (!ok)
		conn_fail(c, "redis: %s is not a master (yet)", c->where);
	freeReplyObject(r);
	return ok;
}

/* conn_target - open the master named by the sentinels, or the url's
 * address; NULL (c->err) when none answers */
static redisContext *
conn_target(struct redis_conn *c)
{
	redisContext *ctx = NULL;
	char *host;
	int port;

	free(c->where);
	c->where = NULL;
	if (c->conf.sentinels.n == 0) {
		c->where = c->addr.path ? xasprintf("unix:%s", c->addr.path) :
		    xasprintf("%s:%d", c->addr.host, c->addr.port);
		return conn_open(c, c->addr.host, c->addr.port, c->addr.path);
	}
	for (size_t i = 0; i < c->conf.sentinels.n && ctx == NULL; i++) {
		if (conn_ask_sentinel(c, c->conf.sentinels.v[i], &host,
		    &port) != 0)
			continue;
		free(c->where);
		c->where = xasprintf("%s:%d (master %s)", host, port,
		    c->conf.sentinel_master);
		if ((ctx = conn_open(c, host, port, NULL)) != NULL &&
		    !conn_is_master(c, ctx)) {
			redisFree(ctx);
			ctx = NULL;
		}
		free(host);
	}
	return ctx;
}

/* conn_connect - a logged-in context in c->ctx; 0 or -1 (c->err) */
static int
conn_connect(struct redis_conn *c)
{
	redisContext *ctx;

	c->refused = false;
	if (!c->addr_ok) {
		c->refused = true;
		return -1;
	}
	if ((ctx = conn_target(c)) == NULL)
		return -1;
	if (conn_login(c, ctx) != 0) {
		redisFree(ctx);
		return -1;
	}
	c->ctx = ctx;
	return 0;
}

/* conn_down - the server is away: drop the connection, wait before the
 * next try, warn at most once a minute */
static void
conn_down(struct redis_conn *c, const char *why)
{
	time_t now = time(NULL);

	redisFree(c->ctx);
	c->ctx = NULL;
	c->next_try = now + c->backoff;
	c->backoff = c->backoff * 2 > REDIS_CONN_BACKOFF_MAX ?
	    REDIS_CONN_BACKOFF_MAX : c->backoff * 2;
	c->was_down = true;
	if (now - c->last_warn >= REDIS_CONN_WARN_SECS) {
		c->last_warn = now;
		log_msg(LOG_WARNING, NULL, "%s; until it is back, this "
		    "host's state_db stands in", why);
	}
}

/* conn_ready - connected, or connected now; false when away */
static bool
conn_ready(struct redis_conn *c)
{
	if (c->ctx != NULL)
		return true;
	if (time(NULL) < c->next_try)
		return false;
	if (conn_connect(c) != 0) {
		conn_down(c, c->err);
		return false;
	}
	c->backoff = REDIS_CONN_BACKOFF_MIN;
	if (c->was_down)
		log_msg(LOG_NOTICE, NULL, "redis: connected to %s again; reply "
		    "decisions are shared again", c->where);
	c->was_down = false;
	return true;
}

/* conn_call - one command on a ready connection; NULL (and the
 * connection dropped) on a wire error */
static redisReply *
conn_call(struct redis_conn *c, int argc, const char **argv,
    const size_t *lens)
{
	redisReply *r = redisCommandArgv(c->ctx, argc, argv, lens);

	if (r == NULL) {
		conn_fail(c, "redis: %s: %s", c->where, c->ctx->errstr);
		conn_down(c, c->err);
	}
	return r;
}

/* redis_conn_new - see redis_conn.h */
struct redis_conn *
redis_conn_new(const struct redis_conf *conf)
{
	struct redis_conn *c = xcalloc(1, sizeof(*c));
	char err[160];

	pthread_mutex_init(&c->lock, NULL);
	c->conf.url = xstrdup(conf->url);
	c->conf.prefix = xstrdup(conf->prefix ? conf->prefix : "");
	c->conf.password = conf->password ? xstrdup(conf->password) : NULL;
	strvec_init(&c->conf.sentinels);
	for (size_t i = 0; i < conf->sentinels.n; i++)
		strvec_push(&c->conf.sentinels, conf->sentinels.v[i]);
	c->conf.sentinel_master = xstrdup(conf->sentinel_master ?
	    conf->sentinel_master : "mymaster");
	c->conf.timeout_ms = conf->timeout_ms ? conf->timeout_ms :
	    REDIS_CONF_TIMEOUT_MS;
	c->addr_ok = redis_addr_parse(conf->url, &c->addr, err,
	    sizeof(err)) == 0;
	if (!c->addr_ok)
		conn_fail(c, "redis: url %s: %s", conf->url, err);
	c->where = xstrdup(conf->url);
	c->backoff = REDIS_CONN_BACKOFF_MIN;
	return c;
}

/* redis_conn_free - see redis_conn.h */
void
redis_conn_free(struct redis_conn *c)
{
	struct state_conf sc;

	if (c == NULL)
		return;
	redisFree(c->ctx);
	sc.redis = c->conf;
	state_conf_free(&sc);
	redis_addr_free(&c->addr);
	free(c->where);
	pthread_mutex_destroy(&c->lock);
	free(c);
}

/* redis_conn_call - see redis_conn.h */
redisReply *
redis_conn_call(struct redis_conn *c, int argc, const char **argv,
    const size_t *lens)
{
	redisReply *r = NULL;

	pthread_mutex_lock(&c->lock);
	if (conn_ready(c))
		r = conn_call(c, argc, argv, lens);
	pthread_mutex_unlock(&c->lock);
	return r;
}

/* conn_load - SCRIPT LOAD, so later calls send 40 bytes, not the
 * script; false on any failure (EVAL then does the job) */
static bool
conn_load(struct redis_conn *c, struct redis_script *s)
{
	const char *argv[] = { "SCRIPT", "LOAD", s->src };
	redisReply *r = conn_call(c, 3, argv, NULL);
	bool ok = r != NULL && r->type == REDIS_REPLY_STRING &&
	    r->len == 40;

	if (ok)
		memcpy(s->sha, r->str, 41);
	freeReplyObject(r);
	return ok;
}

/* conn_eval - EVALSHA or EVAL of s with the arguments after the first
 * three slots of argv/lens (which are ours to fill) */
static redisReply *
conn_eval(struct redis_conn *c, struct redis_script *s, bool by_sha,
    int argc, const char **argv, size_t *lens)
{
	argv[0] = by_sha ? "EVALSHA" : "EVAL";
	argv[1] = by_sha ? s->sha : s->src;
	lens[0] = strlen(argv[0]);
	lens[1] = strlen(argv[1]);
	return conn_call(c, argc, argv, lens);
}

/* redis_conn_eval - see redis_conn.h */
redisReply *
redis_conn_eval(struct redis_conn *c, struct redis_script *s, int nkeys,
    int argc, const char **argv, const size_t *lens)
{
	const char **av = xcalloc((size_t)argc + 3, sizeof(*av));
	size_t *al = xcalloc((size_t)argc + 3, sizeof(*al));
	char nk[16];
	redisReply *r = NULL;

	snprintf(nk, sizeof(nk), "%d", nkeys);
	av[2] = nk;
	al[2] = strlen(nk);
	for (int i = 0; i < argc; i++) {
		av[i + 3] = argv[i];
		al[i + 3] = lens ? lens[i] : strlen(argv[i]);
	}
	pthread_mutex_lock(&c->lock);
	if (conn_ready(c) && (s->sha[0] != '\0' || conn_load(c, s) ||
	    c->ctx != NULL)) {
		r = conn_eval(c, s, s->sha[0] != '\0', argc + 3, av, al);
		if (r != NULL && r->type == REDIS_REPLY_ERROR &&
		    strncmp(r->str, "NOSCRIPT", 8) == 0) {
			freeReplyObject(r);
			s->sha[0] = '\0';
			r = conn_eval(c, s, false, argc + 3, av, al);
		}
	}
	pthread_mutex_unlock(&c->lock);
	free(av);
	free(al);
	return r;
}

/* redis_conn_load - see redis_conn.h */
int
redis_conn_load(struct redis_conn *c, struct redis_script *s, char *err,
    size_t errlen)
{
	const char *argv[] = { "SCRIPT", "LOAD", s->src };
	redisReply *r = NULL;
	int rc = -1;

	pthread_mutex_lock(&c->lock);
	if (conn_ready(c) && (r = conn_call(c, 3, argv, NULL)) != NULL &&
	    r->type == REDIS_REPLY_STRING && r->len == 40) {
		memcpy(s->sha, r->str, 41);
		rc = 0;
	} else
		snprintf(err, errlen, "redis: %s: SCRIPT LOAD: %s", c->where,
		    r ? r->str : c->err);
	freeReplyObject(r);
	pthread_mutex_unlock(&c->lock);
	return rc;
}

/* redis_conn_check - see redis_conn.h */
int
redis_conn_check(struct redis_conn *c, char *err, size_t errlen)
{
	const char *argv[] = { "PING" };
	redisReply *r;
	int rc;

	pthread_mutex_lock(&c->lock);
	c->next_try = 0;
	if (!conn_ready(c))
		rc = c->refused ? -1 : 1;
	else if ((r = conn_call(c, 1, argv, NULL)) == NULL)
		rc = 1;
	else {
		rc = r->type == REDIS_REPLY_ERROR ? -1 : 0;
		if (rc != 0)
			conn_fail(c, "redis: PING: %s", r->str);
		freeReplyObject(r);
	}
	snprintf(err, errlen, "%s", rc == 0 ? "" : c->err);
	if (rc == 1 && c->ctx == NULL && c->err[0] == '\0')
		snprintf(err, errlen, "redis: %s: unavailable", c->where);
	pthread_mutex_unlock(&c->lock);
	return rc;
}

/* redis_conn_where - see redis_conn.h */
const char *
redis_conn_where(const struct redis_conn *c)
{
	return c->where;
}
