/*
 * ledger_export.c - the SQLite ledger read back for a migration, see
 * ledger_export.h. The schema is ledger.c's (versions 1 and 2: version 1
 * had no replies.domain).
 */
#include "ledger/ledger_export.h"

#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

#include "ledger/ledger_int.h"

/* col - a text column, NULL for NULL */
static const char *
col(sqlite3_stmt *s, int i)
{
	return (const char *)sqlite3_column_text(s, i);
}

/* export_ips - the addresses of complaint id into ips (emptied first) */
static int
export_ips(sqlite3_stmt *s, sqlite3_int64 id, struct strvec *ips)
{
	int rc;

	strvec_free(ips);
	strvec_init(ips);
	sqlite3_reset(s);
	sqlite3_bind_int64(s, 1, id);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW)
		strvec_push(ips, col(s, 0));
	return rc == SQLITE_DONE ? 0 : -1;
}

/* export_complaints - every complaint row, in order */
static int
export_complaints(sqlite3 *db, const struct ledger_export_reader *rd,
    void *arg)
{
	sqlite3_stmt *s = NULL, *ip = NULL;
	struct ledger_complaint c;
	struct strvec ips;
	int rc = -1, step;

	strvec_init(&ips);
	if (sqlite3_prepare_v2(db, "SELECT id, time, qid, message_id, "
	    "category, rule, reporter, case_id, reply FROM complaints ORDER "
	    "BY id", -1, &s, NULL) != SQLITE_OK || sqlite3_prepare_v2(db,
	    "SELECT ip FROM complaint_ips WHERE complaint = ?", -1, &ip, NULL)
	    != SQLITE_OK)
		goto out;
	while ((step = sqlite3_step(s)) == SQLITE_ROW) {
		if (export_ips(ip, sqlite3_column_int64(s, 0), &ips) != 0)
			goto out;
		c = (struct ledger_complaint){ (time_t)sqlite3_column_int64(s,
		    1), col(s, 2), col(s, 3), col(s, 4), col(s, 5), col(s, 6),
		    col(s, 7), col(s, 8), &ips };
		if ((rc = rd->complaint(arg, &c)) != 0)
			goto out;
		rc = -1;
	}
	rc = step == SQLITE_DONE ? 0 : -1;
out:
	sqlite3_finalize(s);
	sqlite3_finalize(ip);
	strvec_free(&ips);
	return rc;
}

/* export_replies - every reply row, oldest first */
static int
export_replies(sqlite3 *db, int version,
    const struct ledger_export_reader *rd, void *arg)
{
	sqlite3_stmt *s = NULL;
	struct ledger_reply r;
	int rc = 0, step;

	if (sqlite3_prepare_v2(db, version >= 2 ? "SELECT time, rcpt, "
	    "category, reporter, case_id, domain FROM replies ORDER BY id" :
	    "SELECT time, rcpt, category, reporter, case_id, NULL FROM "
	    "replies ORDER BY id", -1, &s, NULL) != SQLITE_OK)
		return -1;
	while (rc == 0 && (step = sqlite3_step(s)) == SQLITE_ROW) {
		r = (struct ledger_reply){ col(s, 1), col(s, 5), col(s, 2),
		    col(s, 3), col(s, 4) };
		rc = rd->reply(arg, &r, (time_t)sqlite3_column_int64(s, 0));
	}
	sqlite3_finalize(s);
	return rc != 0 ? rc : step == SQLITE_DONE ? 0 : -1;
}

/* ledger_export - see ledger_export.h */
int
ledger_export(const char *path, const struct ledger_export_reader *rd,
    void *arg, char *err, size_t errlen)
{
	sqlite3 *db = NULL;
	int v, rc = -1;

	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL)
	    != SQLITE_OK) {
		snprintf(err, errlen, "%s: %s", path, db ? sqlite3_errmsg(db)
		    : "cannot open");
		sqlite3_close(db);
		return -1;
	}
	sqlite3_busy_timeout(db, LEDGER_BUSY_MS * 20);
	v = ledger_db_version(db);
	if (v < 1 || v > LEDGER_SCHEMA_VERSION)
		snprintf(err, errlen, "%s: not a ledger of this program "
		    "(schema version %d)", path, v);
	else if (sqlite3_exec(db, "BEGIN", NULL, NULL, NULL) == SQLITE_OK &&
	    (rc = rd->complaint ? export_complaints(db, rd, arg) : 0) == 0)
		rc = rd->reply ? export_replies(db, v, rd, arg) : 0;
	if (rc < 0 && v >= 1 && v <= LEDGER_SCHEMA_VERSION)
		snprintf(err, errlen, "%s: %s", path, sqlite3_errmsg(db));
	sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
	sqlite3_close(db);
	return rc;
}
