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
 * dodged by changing case.
 */
#include "ledger/ledger.h"

#include <errno.h>
#include <libgen.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/fsdir.h"
#include "util/log.h"

/* the statements of the hot path, compiled once per connection (at
 * first use) and reset after each use: preparing them anew cost more
 * than running them. They belong to st->db and are used only under
 * st->lock, like the connection itself. */
enum ledger_sql {
	SQL_BEGIN, SQL_COMMIT, SQL_ADD_COMPLAINT, SQL_ADD_IP, SQL_CASE,
	SQL_RATE, SQL_DOMAIN, SQL_GLOBAL, SQL_ADD_REPLY, SQL_FORGET,
	SQL_SET_REPLY, SQL_COUNT
};

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

struct ledger {
	pthread_mutex_t lock;
	char *path;
	sqlite3 *db;		/* NULL while unavailable */
	sqlite3_stmt *stmt[SQL_COUNT];	/* of db; NULL: not yet compiled */
	time_t last_try;	/* of opening it */
	bool corrupt;		/* an error said the file is damaged */
};

static const char ledger_schema[] =
	"CREATE TABLE IF NOT EXISTS complaints ("
	" id INTEGER PRIMARY KEY,"
	" time INTEGER NOT NULL,"
	" qid TEXT, message_id TEXT, category TEXT NOT NULL, rule TEXT,"
	" reporter TEXT, case_id TEXT, reply TEXT);"
	"CREATE INDEX IF NOT EXISTS complaints_time ON complaints(time);"
	"CREATE TABLE IF NOT EXISTS complaint_ips ("
	" complaint INTEGER NOT NULL REFERENCES complaints(id)"
	"  ON DELETE CASCADE,"
	" ip TEXT NOT NULL);"
	"CREATE INDEX IF NOT EXISTS complaint_ips_complaint"
	" ON complaint_ips(complaint);"
	"CREATE TABLE IF NOT EXISTS replies ("
	" id INTEGER PRIMARY KEY,"
	" time INTEGER NOT NULL,"
	" rcpt TEXT NOT NULL, category TEXT NOT NULL,"
	" reporter TEXT NOT NULL, case_id TEXT);"
	"CREATE INDEX IF NOT EXISTS replies_rate"
	" ON replies(rcpt, category, time);"
	"CREATE INDEX IF NOT EXISTS replies_case ON replies(reporter, case_id);"
	"PRAGMA user_version = 1;";

/* version 1 to 2: the domain of each reply, and the indexes the caps
 * per domain and per hour count with */
static const char ledger_migrate_2[] =
	"ALTER TABLE replies ADD COLUMN domain TEXT;"
	"CREATE INDEX IF NOT EXISTS replies_time ON replies(time);"
	"CREATE INDEX IF NOT EXISTS replies_domain ON replies(domain, time);"
	"PRAGMA user_version = 2;";

/* ledger_fail - log a database error on this handle, and remember
 * when it says the file is damaged (ledger_recover acts on that) */
static void
ledger_fail(struct ledger *st, const char *what)
{
	int code = st->db ? sqlite3_errcode(st->db) & 0xff : SQLITE_OK;

	if (code == SQLITE_CORRUPT || code == SQLITE_NOTADB)
		st->corrupt = true;
	log_msg(LOG_ERR, NULL, "state: %s: %s: %s", st->path, what,
	    st->db ? sqlite3_errmsg(st->db) : "not open");
}

/* ledger_disconnect - finalize the cached statements (sqlite3_close
 * refuses a connection that still has some) and close the database */
static void
ledger_disconnect(struct ledger *st)
{
	for (size_t i = 0; i < SQL_COUNT; i++) {
		sqlite3_finalize(st->stmt[i]);
		st->stmt[i] = NULL;
	}
	sqlite3_close(st->db);
	st->db = NULL;
}

/* ledger_exec - run SQL without results; 0 or -1 (logged) */
static int
ledger_exec(struct ledger *st, const char *sql)
{
	if (sqlite3_exec(st->db, sql, NULL, NULL, NULL) == SQLITE_OK)
		return 0;
	ledger_fail(st, sql);
	return -1;
}

/* ledger_user_version - PRAGMA user_version, or -1 */
static int
ledger_user_version(struct ledger *st)
{
	sqlite3_stmt *s;
	int v = -1;

	if (sqlite3_prepare_v2(st->db, "PRAGMA user_version", -1, &s, NULL)
	    != SQLITE_OK)
		return -1;
	if (sqlite3_step(s) == SQLITE_ROW)
		v = sqlite3_column_int(s, 0);
	sqlite3_finalize(s);
	return v;
}

/* ledger_migrate - create the schema on first use; refuse a newer one */
static int
ledger_migrate(struct ledger *st)
{
	int v;

	if (ledger_exec(st, "BEGIN IMMEDIATE") != 0)
		return -1;
	/* read inside the write lock: another process may be creating it */
	v = ledger_user_version(st);
	if (v < 0 || v > LEDGER_SCHEMA_VERSION) {
		if (v < 0)
			ledger_fail(st, "reading the schema version");
		else
			log_msg(LOG_ERR, NULL, "state: %s: schema version %d is "
			    "newer than this program's (%d)", st->path, v,
			    LEDGER_SCHEMA_VERSION);
		ledger_exec(st, "ROLLBACK");
		return -1;
	}
	if ((v == 0 && ledger_exec(st, ledger_schema) != 0) ||
	    (v < 2 && ledger_exec(st, ledger_migrate_2) != 0)) {
		ledger_exec(st, "ROLLBACK");
		return -1;
	}
	return ledger_exec(st, "COMMIT");
}

/* ledger_connect_once - open the database file; 0 or -1 (logged) */
static int
ledger_connect_once(struct ledger *st)
{
	char *dir = xstrdup(st->path);

	st->last_try = time(NULL);
	/* "created at start": a missing directory is not an error */
	if (fsdir_mkdirs(dirname(dir), 0700) != 0)
		log_msg(LOG_WARNING, NULL, "state: cannot create the "
		    "directory of %s: %s", st->path, strerror(errno));
	free(dir);
	if (sqlite3_open_v2(st->path, &st->db, SQLITE_OPEN_READWRITE
	    | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX, NULL) != SQLITE_OK) {
		ledger_fail(st, "open");
		sqlite3_close(st->db);
		st->db = NULL;
		return -1;
	}
	sqlite3_busy_timeout(st->db, LEDGER_BUSY_MS);
	if (ledger_exec(st, "PRAGMA journal_mode = WAL") != 0
	    || ledger_exec(st, "PRAGMA synchronous = NORMAL") != 0
	    || ledger_exec(st, "PRAGMA foreign_keys = ON") != 0
	    || ledger_migrate(st) != 0) {
		ledger_disconnect(st);
		return -1;
	}
	return 0;
}

/* ledger_aside_name - PATH.corrupt-UNIXTIME, or with "-N" added when
 * that name is taken (two recoveries in one second) */
static char *
ledger_aside_name(const char *path)
{
	long long now = (long long)time(NULL);
	char *to = xasprintf("%s.corrupt-%lld", path, now);

	for (int i = 1; i < 100 && access(to, F_OK) == 0; i++) {
		free(to);
		to = xasprintf("%s.corrupt-%lld-%d", path, now, i);
	}
	return to;
}

/* ledger_set_aside - close the damaged database and rename it, with its
 * -wal and -shm (a stale -wal must never meet the new file); 0 or -1,
 * logged either way at level crit */
static int
ledger_set_aside(struct ledger *st)
{
	static const char *const sidecars[] = { "-wal", "-shm" };
	char *to = ledger_aside_name(st->path), *dir, *from, *side;

	st->corrupt = false;
	ledger_disconnect(st);
	if (rename(st->path, to) != 0) {
		log_msg(LOG_CRIT, NULL, "state: %s is corrupt and cannot be "
		    "moved aside to %s: %s", st->path, to, strerror(errno));
		free(to);
		return -1;
	}
	for (size_t i = 0; i < 2; i++) {
		from = xasprintf("%s%s", st->path, sidecars[i]);
		side = xasprintf("%s%s", to, sidecars[i]);
		if (rename(from, side) != 0 && errno != ENOENT)
			unlink(from);
		free(from);
		free(side);
	}
	dir = xstrdup(st->path);
	fsdir_sync(dirname(dir));
	free(dir);
	log_msg(LOG_CRIT, NULL, "state: %s is corrupt: moved aside to %s; a "
	    "new empty ledger starts in its place (rate limits and answered "
	    "cases begin again)", st->path, to);
	free(to);
	return 0;
}

/* ledger_connect - open the database; a file SQLite calls damaged is set
 * aside and a new one created (once per call); 0 or -1 (logged) */
static int
ledger_connect(struct ledger *st)
{
	st->corrupt = false;
	if (ledger_connect_once(st) == 0)
		return 0;
	if (!st->corrupt || ledger_set_aside(st) != 0)
		return -1;
	return ledger_connect_once(st);
}

/* ledger_recover - after a call met a damaged file: set it aside and
 * open a new one, so the next call works. Call with the handle locked. */
static void
ledger_recover(struct ledger *st)
{
	if (st->corrupt && ledger_set_aside(st) == 0)
		ledger_connect(st);
}

/* ledger_ready - lock the handle and make sure the database is open;
 * false (handle unlocked) when it is unavailable */
static bool
ledger_ready(struct ledger *st)
{
	if (st == NULL)
		return false;
	pthread_mutex_lock(&st->lock);
	if (st->db == NULL && time(NULL) - st->last_try >= LEDGER_RETRY_SECS)
		ledger_connect(st);
	if (st->db != NULL)
		return true;
	pthread_mutex_unlock(&st->lock);
	return false;
}

/* ledger_open - a handle, with the database open if it can be */
struct ledger *
ledger_open(const char *path)
{
	struct ledger *st = xcalloc(1, sizeof(*st));

	pthread_mutex_init(&st->lock, NULL);
	st->path = xstrdup(path);
	ledger_connect(st);
	return st;
}

/* ledger_close - close the database and free the handle */
void
ledger_close(struct ledger *st)
{
	if (st == NULL)
		return;
	ledger_disconnect(st);
	pthread_mutex_destroy(&st->lock);
	free(st->path);
	free(st);
}

/* ledger_available - open right now (or after a due retry)? */
bool
ledger_available(struct ledger *st)
{
	if (!ledger_ready(st))
		return false;
	pthread_mutex_unlock(&st->lock);
	return true;
}

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
			if (why != NULL && strcmp(why, "state unavailable") == 0)
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
