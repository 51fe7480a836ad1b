/*
 * ledger_conn.c - opening the ledger (see ledger.h): the schema and its
 * migration, the connection and its statement cache, and a damaged file
 * set aside for a new one. The queries are in ledger.c.
 */
#include <errno.h>
#include <libgen.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ledger/ledger.h"
#include "ledger/ledger_int.h"
#include "util/fsdir.h"
#include "util/log.h"

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

/* ledger_fail - see ledger_int.h */
void
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

/* ledger_db_version - see ledger_int.h */
int
ledger_db_version(sqlite3 *db)
{
	sqlite3_stmt *s;
	int v = -1;

	if (sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &s, NULL)
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
	v = ledger_db_version(st->db);
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

/* ledger_recover - see ledger_int.h */
void
ledger_recover(struct ledger *st)
{
	if (st->corrupt && ledger_set_aside(st) == 0)
		ledger_connect(st);
}

/* ledger_ready - see ledger_int.h */
bool
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
