/*
 * ledger_int.h - what ledger.c (the queries) and ledger_conn.c (opening,
 * schema, recovery from a damaged file) share: the handle and its cache
 * of compiled statements. Not for use outside milter/ledger/.
 */
#ifndef ABUSE_LEDGER_INT_H
#define ABUSE_LEDGER_INT_H

#include <pthread.h>
#include <sqlite3.h>
#include <stdbool.h>
#include <time.h>

/* the statements of the hot path, compiled once per connection (at
 * first use) and reset after each use: preparing them anew cost more
 * than running them. They belong to st->db and are used only under
 * st->lock, like the connection itself. */
enum ledger_sql {
	SQL_BEGIN, SQL_COMMIT, SQL_ADD_COMPLAINT, SQL_ADD_IP, SQL_CASE,
	SQL_RATE, SQL_DOMAIN, SQL_GLOBAL, SQL_ADD_REPLY, SQL_FORGET,
	SQL_SET_REPLY, SQL_COUNT
};

struct ledger {
	pthread_mutex_t lock;
	char *path;
	sqlite3 *db;		/* NULL while unavailable */
	sqlite3_stmt *stmt[SQL_COUNT];	/* of db; NULL: not compiled */
	time_t last_try;	/* of opening it */
	bool corrupt;		/* an error said the file is damaged */
};

/* ledger_db_version - the file's PRAGMA user_version (the schema's
 * version), or -1 when it cannot be read */
int ledger_db_version(sqlite3 *db);

/* ledger_fail - log a database error on this handle, and remember when
 * it says the file is damaged (ledger_recover acts on that) */
void ledger_fail(struct ledger *st, const char *what);

/* ledger_recover - after a call met a damaged file: set it aside and
 * open a new one, so the next call works. Call with the handle locked. */
void ledger_recover(struct ledger *st);

/* ledger_ready - lock the handle and make sure the database is open;
 * false (handle unlocked) when it is unavailable */
bool ledger_ready(struct ledger *st);

#endif
