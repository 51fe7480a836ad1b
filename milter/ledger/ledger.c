/*
 * ledger.c - the SQLite complaint ledger and reply history, see ledger.h.
 *
 * Schema version 2:
 *	complaints(id, time, qid, message_id, category, rule, reporter,
 *	    case_id, reply)
 *	complaint_ips(complaint -> complaints.id, ip)
 *	replies(id, time, rcpt, category, reporter, case_id, domain)
 * Version 1 had no replies.domain; a version 1 file is migrated in
 * place (ledger_migrate). Times are UNIX seconds (UTC). rcpt, domain
 * and reporter are stored in lower case so that the limits cannot be
 * dodged by changing case. Opening, the schema and recovery from a
 * damaged file are in ledger_conn.c.
 */
#include "ledger/ledger.h"

#include <pthread.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "ledger/ledger_int.h"
#include "util/log.h"

static const char *const ledger_sql[SQL_COUNT] = {
	[SQL_BEGIN] = "BEGIN IMMEDIATE",
	[SQL_COMMIT] = "COMMIT",
	[SQL_ADD_COMPLAINT] = "INSERT INTO complaints (time, qid, "
	    "message_id, category, rule, reporter, case_id, reply) "
	    "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
	[SQL_ADD_IP] = "INSERT INTO complaint_ips (complaint, ip) "
	    "VALUES (?, ?)",
	[SQL_CASE] = "SELECT count(*) FROM replies WHERE reporter = ? AND "
	    "case_id = ?",
	[SQL_RATE] = "SELECT count(*) FROM replies WHERE rcpt = ? AND "
	    "category = ? AND time > ?",
	[SQL_DOMAIN] = "SELECT count(*) FROM replies WHERE domain = ? AND "
	    "time > ?",
	[SQL_GLOBAL] = "SELECT count(*) FROM replies WHERE time > ?",
	[SQL_ADD_REPLY] = "INSERT INTO replies (time, rcpt, category, "
	    "reporter, case_id, domain) VALUES (?, ?, ?, ?, ?, ?)",
	[SQL_FORGET] = "DELETE FROM replies WHERE rowid = (SELECT "
	    "max(rowid) FROM replies WHERE rcpt = ? AND category = ? AND "
	    "reporter = ? AND case_id IS ?)",
	[SQL_SET_REPLY] = "UPDATE complaints SET reply = ? WHERE id = ?",
};

/* ledger_bind_text - bind a string or NULL; lower-cased when asked */
static void
ledger_bind_text(sqlite3_stmt *s, int i, const char *v, bool lower)
{
	if (v == NULL)
		sqlite3_bind_null(s, i);
	else if (lower)
		sqlite3_bind_text(s, i, str_lower(xstrdup(v)), -1, free);
	else
		sqlite3_bind_text(s, i, v, -1, SQLITE_TRANSIENT);
}

/* ledger_stmt - the cached statement `which`, compiled on first use;
 * NULL (logged) on error. Give it back with ledger_release. */
static sqlite3_stmt *
ledger_stmt(struct ledger *st, enum ledger_sql which)
{
	if (st->stmt[which] == NULL && sqlite3_prepare_v3(st->db,
	    ledger_sql[which], -1, SQLITE_PREPARE_PERSISTENT,
	    &st->stmt[which], NULL) != SQLITE_OK) {
		ledger_fail(st, ledger_sql[which]);
		sqlite3_finalize(st->stmt[which]);
		st->stmt[which] = NULL;
	}
	return st->stmt[which];
}

/* ledger_release - make a used statement ready for its next use, and
 * drop its bound strings now rather than at the next bind */
static void
ledger_release(sqlite3_stmt *s)
{
	sqlite3_reset(s);
	sqlite3_clear_bindings(s);
}

/* ledger_done - step a statement that returns no rows, then release it */
static int
ledger_done(struct ledger *st, sqlite3_stmt *s, const char *what)
{
	int rc;

	if (s == NULL)
		return -1;
	rc = sqlite3_step(s);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		ledger_fail(st, what);
	ledger_release(s);
	return rc == SQLITE_DONE || rc == SQLITE_ROW ? 0 : -1;
}

/* ledger_run - BEGIN IMMEDIATE or COMMIT, from the cache; 0 or -1 */
static int
ledger_run(struct ledger *st, enum ledger_sql which)
{
	return ledger_done(st, ledger_stmt(st, which), ledger_sql[which]);
}

/* ledger_insert_complaint - the rows of one complaint, in a transaction
 * the caller opened; its id in *id when id is not NULL */
static int
ledger_insert_complaint(struct ledger *st, const struct ledger_complaint *c,
    long long *id)
{
	sqlite3_stmt *s = ledger_stmt(st, SQL_ADD_COMPLAINT);
	sqlite3_int64 row;
	size_t i;

	if (s == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, c->time ? c->time : time(NULL));
	ledger_bind_text(s, 2, c->qid, false);
	ledger_bind_text(s, 3, c->message_id, false);
	ledger_bind_text(s, 4, c->category ? c->category : "", false);
	ledger_bind_text(s, 5, c->rule, false);
	ledger_bind_text(s, 6, c->reporter, true);
	ledger_bind_text(s, 7, c->case_id, false);
	ledger_bind_text(s, 8, c->reply, false);
	if (ledger_done(st, s, "adding a complaint") != 0)
		return -1;
	row = sqlite3_last_insert_rowid(st->db);
	if (id != NULL)
		*id = row;
	for (i = 0; c->ips && i < c->ips->n; i++) {
		if ((s = ledger_stmt(st, SQL_ADD_IP)) == NULL)
			return -1;
		sqlite3_bind_int64(s, 1, row);
		ledger_bind_text(s, 2, c->ips->v[i], false);
		if (ledger_done(st, s, "adding a complaint address") != 0)
			return -1;
	}
	return 0;
}

/* ledger_finish - COMMIT when rc is 0, else (or when that fails)
 * ROLLBACK; then recover a damaged file and unlock. The result. */
static int
ledger_finish(struct ledger *st, int rc)
{
	if (rc == 0)
		rc = ledger_run(st, SQL_COMMIT);
	if (rc != 0)
		sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
	ledger_recover(st);
	pthread_mutex_unlock(&st->lock);
	return rc;
}

/* ledger_record_complaint - one ledger row and its addresses */
int
ledger_record_complaint(struct ledger *st, const struct ledger_complaint *c)
{
	int rc;

	if (!ledger_ready(st))
		return -1;
	rc = ledger_run(st, SQL_BEGIN);
	if (rc == 0)
		rc = ledger_insert_complaint(st, c, NULL);
	return ledger_finish(st, rc);
}

/* ledger_count - run a counting query, then release it; the count, or
 * -1 (logged) */
static long
ledger_count(struct ledger *st, sqlite3_stmt *s, const char *what)
{
	long n = -1;

	if (s == NULL)
		return -1;
	if (sqlite3_step(s) == SQLITE_ROW)
		n = (long)sqlite3_column_int64(s, 0);
	else
		ledger_fail(st, what);
	ledger_release(s);
	return n;
}

/* ledger_over - is the count of statement `which` (text v bound first
 * unless NULL, then the time) at least max? "state unavailable" on an
 * error, `refusal` when over, else NULL */
static const char *
ledger_over(struct ledger *st, enum ledger_sql which, const char *v,
    time_t since, unsigned max, const char *refusal)
{
	sqlite3_stmt *s = ledger_stmt(st, which);
	int i = 1;
	long n;

	if (s != NULL) {
		if (v != NULL)
			ledger_bind_text(s, i++, v, true);
		sqlite3_bind_int64(s, i, (sqlite3_int64)since);
	}
	if ((n = ledger_count(st, s, ledger_sql[which])) < 0)
		return "state unavailable";
	return n >= (long)max ? refusal : NULL;
}

/* ledger_caps - the rate limit and the caps per domain and per hour, in
 * that order: the narrowest rule that refuses names the reason */
static const char *
ledger_caps(struct ledger *st, const struct ledger_reply *r,
    const struct ledger_limits *lim, time_t now)
{
	sqlite3_stmt *s;
	const char *why = NULL;
	long n;

	if (lim->rate_period > 0) {
		if ((s = ledger_stmt(st, SQL_RATE)) != NULL) {
			ledger_bind_text(s, 1, r->rcpt, true);
			ledger_bind_text(s, 2, r->category, false);
			sqlite3_bind_int64(s, 3, (sqlite3_int64)now -
			    lim->rate_period);
		}
		if ((n = ledger_count(st, s, "rate lookup")) < 0)
			return "state unavailable";
		if (n >= (long)lim->rate_count)
			return "rate limit";
	}
	if (lim->max_per_domain > 0 && r->domain != NULL)
		why = ledger_over(st, SQL_DOMAIN, r->domain, now -
		    LEDGER_CAP_PERIOD, lim->max_per_domain,
		    "rate limit (domain)");
	if (why == NULL && lim->max_per_hour > 0)
		why = ledger_over(st, SQL_GLOBAL, NULL, now - LEDGER_CAP_PERIOD,
		    lim->max_per_hour, "rate limit (global)");
	return why;
}

/* ledger_decide - the checks and the insert, inside a write transaction;
 * NULL when allowed and recorded, else the reason */
static const char *
ledger_decide(struct ledger *st, const struct ledger_reply *r,
    const struct ledger_limits *lim, time_t now)
{
	const char *case_id = r->case_id && *r->case_id ? r->case_id : NULL;
	const char *reporter = r->reporter ? r->reporter : "", *why;
	sqlite3_stmt *s;
	long n;

	if (case_id != NULL) {
		if ((s = ledger_stmt(st, SQL_CASE)) != NULL) {
			ledger_bind_text(s, 1, reporter, true);
			ledger_bind_text(s, 2, case_id, false);
		}
		if ((n = ledger_count(st, s, "case lookup")) != 0)
			return n < 0 ? "state unavailable"
			    : "case already answered";
	}
	if ((why = ledger_caps(st, r, lim, now)) != NULL)
		return why;
	if ((s = ledger_stmt(st, SQL_ADD_REPLY)) != NULL) {
		sqlite3_bind_int64(s, 1, now);
		ledger_bind_text(s, 2, r->rcpt, true);
		ledger_bind_text(s, 3, r->category, false);
		ledger_bind_text(s, 4, reporter, true);
		ledger_bind_text(s, 5, case_id, false);
		ledger_bind_text(s, 6, r->domain, true);
	}
	if (ledger_done(st, s, "recording a reply") != 0)
		return "state unavailable";
	return NULL;
}

/* ledger_reply_forget - take back the newest reply recorded for these
 * values: the caller could not queue it after all (spool full), so it
 * must neither count against the limits nor mark the case answered */
int
ledger_reply_forget(struct ledger *st, const struct ledger_reply *r)
{
	sqlite3_stmt *s;
	int rc;

	if (r == NULL || r->rcpt == NULL || r->category == NULL ||
	    !ledger_ready(st))
		return -1;
	if ((s = ledger_stmt(st, SQL_FORGET)) != NULL) {
		ledger_bind_text(s, 1, r->rcpt, true);
		ledger_bind_text(s, 2, r->category, false);
		ledger_bind_text(s, 3, r->reporter ? r->reporter : "", true);
		ledger_bind_text(s, 4, r->case_id && *r->case_id ? r->case_id :
		    NULL, false);
	}
	rc = ledger_done(st, s, "forgetting a reply");
	ledger_recover(st);
	pthread_mutex_unlock(&st->lock);
	return rc;
}

/* ledger_complaint_reply - see ledger.h */
int
ledger_complaint_reply(struct ledger *st, long long id, const char *reply)
{
	sqlite3_stmt *s;
	int rc;

	if (id <= 0 || !ledger_ready(st))
		return -1;
	if ((s = ledger_stmt(st, SQL_SET_REPLY)) != NULL) {
		ledger_bind_text(s, 1, reply, false);
		sqlite3_bind_int64(s, 2, id);
	}
	rc = ledger_done(st, s, "changing a complaint's reply");
	ledger_recover(st);
	pthread_mutex_unlock(&st->lock);
	return rc;
}

/* ledger_reply_allow - check the limits and record the reply, atomically */
bool
ledger_reply_allow(struct ledger *st, const struct ledger_reply *r,
    const struct ledger_limits *lim, const char **reason)
{
	return ledger_reply_decide(st, r, lim, NULL, reason, NULL);
}

/* ledger_row_reply - the complaint row's reply column for a decision */
static char *
ledger_row_reply(const char *why)
{
	return why == NULL ? xstrdup("queued") :
	    xasprintf("suppressed: %s", why);
}

/* ledger_reply_decide - see ledger.h */
bool
ledger_reply_decide(struct ledger *st, const struct ledger_reply *r,
    const struct ledger_limits *lim, const struct ledger_complaint *row,
    const char **reason, long long *row_id)
{
	const char *why = "state unavailable";
	struct ledger_complaint c;
	int rc;

	if (row_id != NULL)
		*row_id = 0;
	if (r != NULL && r->rcpt != NULL && r->category != NULL &&
	    lim != NULL && ledger_ready(st)) {
		/* IMMEDIATE: take the write lock before reading, so two
		 * processes cannot both see room for one more reply */
		if ((rc = ledger_run(st, SQL_BEGIN)) == 0) {
			why = ledger_decide(st, r, lim, time(NULL));
			/* a refusal still writes the row: it is the answer */
			if (why != NULL &&
			    strcmp(why, "state unavailable") == 0)
				rc = -1;
			else if (row != NULL) {
				c = *row;
				c.reply = ledger_row_reply(why);
				rc = ledger_insert_complaint(st, &c, row_id);
				free((char *)c.reply);
			}
		}
		if (ledger_finish(st, rc) != 0) {
			why = "state unavailable";
			if (row_id != NULL)
				*row_id = 0;
		}
	}
	if (reason)
		*reason = why;
	return why == NULL;
}
