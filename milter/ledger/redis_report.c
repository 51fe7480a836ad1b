/*
 * redis_report.c - the fleet's --report from the complaints stream; see
 * redis_report.h.
 */
#include "ledger/redis_report.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ledger/redis_conn.h"
#include "ledger/report_count.h"

/* entry_field - the value of name in an entry's field list, or NULL */
static const char *
entry_field(const redisReply *kv, const char *name)
{
	for (size_t i = 0; i + 1 < kv->elements; i += 2)
		if (kv->element[i]->type == REDIS_REPLY_STRING &&
		    strcmp(kv->element[i]->str, name) == 0 &&
		    kv->element[i + 1]->type == REDIS_REPLY_STRING)
			return kv->element[i + 1]->str;
	return NULL;
}

/* entry_ips - count each address of the entry once: they were joined
 * by spaces (redis_state_record_complaint) */
static void
entry_ips(struct report_counts *c, const char *ips)
{
	struct strvec seen;
	char *copy, *save = NULL;

	if (ips == NULL)
		return;
	strvec_init(&seen);
	copy = xstrdup(ips);
	for (char *ip = strtok_r(copy, " ", &save); ip != NULL;
	    ip = strtok_r(NULL, " ", &save)) {
		if (strvec_push_unique(&seen, ip))
			report_counts_address(c, ip);
	}
	free(copy);
	strvec_free(&seen);
}

/* count_entry - one stream entry [id, [field, value, ...]] into c when
 * its time is in the period */
static void
count_entry(struct report_counts *c, const redisReply *e, long long since)
{
	const redisReply *kv;
	const char *t;

	if (e->type != REDIS_REPLY_ARRAY || e->elements != 2 ||
	    (kv = e->element[1])->type != REDIS_REPLY_ARRAY ||
	    (t = entry_field(kv, "time")) == NULL || atoll(t) < since)
		return;
	report_counts_complaint(c, atoll(t), entry_field(kv, "category"),
	    entry_field(kv, "reply"), entry_field(kv, "reporter"));
	entry_ips(c, entry_field(kv, "ips"));
}

/* read_stream - every page of the stream from start on; 0 or -1 */
static int
read_stream(struct redis_conn *conn, const char *key, const char *start,
    long long since, struct report_counts *c, char *err, size_t errlen)
{
	char from[64], count[16];
	const char *argv[] = { "XRANGE", key, from, "+", "COUNT", count };
	redisReply *r;
	size_t n;

	snprintf(from, sizeof(from), "%s", start);
	snprintf(count, sizeof(count), "%d", REDIS_REPORT_PAGE);
	do {
		r = redis_conn_call(conn, 6, argv, NULL);
		if (r == NULL || r->type != REDIS_REPLY_ARRAY) {
			snprintf(err, errlen, "redis %s: XRANGE: %s",
			    redis_conn_where(conn), r == NULL ? "unavailable" :
			    r->type == REDIS_REPLY_ERROR ? r->str :
			    "unexpected answer");
			freeReplyObject(r);
			return -1;
		}
		for (size_t i = 0; i < r->elements; i++)
			count_entry(c, r->element[i], since);
		n = r->elements;
		/* the next page starts after the last id read */
		if (n > 0 && r->element[n - 1]->type == REDIS_REPLY_ARRAY &&
		    r->element[n - 1]->elements == 2)
			snprintf(from, sizeof(from), "(%s",
			    r->element[n - 1]->element[0]->str);
		else
			n = 0;
		freeReplyObject(r);
	} while (n == REDIS_REPORT_PAGE);
	return 0;
}

/* redis_report_load - see redis_report.h */
int
redis_report_load(const struct redis_conf *conf, long since_seconds,
    struct ledger_report *r, char *err, size_t errlen)
{
	struct redis_conf slow = *conf;	/* shallow: redis_conn_new copies */
	struct redis_conn *conn;
	struct report_counts *c;
	char start[32], *key;
	int rc;

	ledger_report_init(r, since_seconds);
	if (slow.timeout_ms < REDIS_REPORT_TIMEOUT_MS)
		slow.timeout_ms = REDIS_REPORT_TIMEOUT_MS;
	conn = redis_conn_new(&slow);
	if (redis_conn_check(conn, err, errlen) != 0) {
		redis_conn_free(conn);
		return -1;
	}
	if (r->since > REDIS_REPORT_MARGIN)
		snprintf(start, sizeof(start), "%lld",
		    (r->since - REDIS_REPORT_MARGIN) * 1000);
	else
		snprintf(start, sizeof(start), "-");
	key = xasprintf("%scomplaints", conf->prefix ? conf->prefix : "");
	c = report_counts_new();
	rc = read_stream(conn, key, start, r->since, c, err, errlen);
	report_counts_finish(c, r, rc == 0);
	free(key);
	redis_conn_free(conn);
	return rc;
}

/* redis_report_label - see redis_report.h; from the parsed url, which
 * may hold a password that a report must not show */
char *
redis_report_label(const struct redis_conf *conf)
{
	const char *prefix = conf->prefix ? conf->prefix : "";
	struct redis_addr a;
	char err[256], *label;

	if (conf->sentinels.n > 0 || conf->url == NULL ||
	    redis_addr_parse(conf->url, &a, err, sizeof(err)) != 0)
		return xasprintf("redis (Sentinel master %s), prefix \"%s\" "
		    "(every MX host)", conf->sentinel_master ?
		    conf->sentinel_master : "", prefix);
	if (a.path != NULL)
		label = xasprintf("redis unix:%s db %d, prefix \"%s\" (every "
		    "MX host)", a.path, a.db, prefix);
	else
		label = xasprintf("redis %s:%d db %d, prefix \"%s\" (every "
		    "MX host)", a.host, a.port, a.db, prefix);
	redis_addr_free(&a);
	return label;
}
