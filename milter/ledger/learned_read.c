/*
 * learned_read.c - the reading side of the learner's tables (learned.h):
 * every category with its counts, and every token count, handed to the
 * caller's functions. The classifier's snapshot (config/learn_load.c)
 * and --learn-stats read through here.
 *
 * Reading never creates or changes a file: no database is "nothing
 * learned" (found with stat, before SQLite sees the path); SQLite's
 * read-only mode would still create the -wal and -shm files of a WAL
 * database and leave them behind, so a database no writer has open (no
 * -wal file) is opened immutable, and one in use is read read-only in
 * one read transaction (then the -shm file exists already). Should that
 * fail (a -shm file we may not write), the immutable reading is the
 * fallback: it sees what was last checkpointed.
 *
 *	rc = learned_read(path, &reader, arg, err, sizeof err);
 */
#include "ledger/learned.h"

#include <errno.h>
#include <sqlite3.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const char learned_read_cats[] =
	"SELECT c.name, c.messages, coalesce(k.n, 0) FROM learn_categories c"
	" LEFT JOIN (SELECT category, count(*) AS n FROM learn_counts"
	" GROUP BY category) k ON k.category = c.id ORDER BY c.id";

static const char learned_read_counts[] =
	"SELECT t.token, c.name, k.n FROM learn_counts k"
	" JOIN learn_tokens t ON t.id = k.token"
	" JOIN learn_categories c ON c.id = k.category WHERE k.n > 0";

/* learned_uri - a file: URI of path with one query parameter; bytes
 * other than unreserved ones and "/" are percent-encoded */
static char *
learned_uri(const char *path, const char *query)
{
	static const char hex[] = "0123456789ABCDEF";
	struct buf b;

	buf_init(&b);
	buf_puts(&b, "file:");
	for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || strchr("/-._~", *p) != NULL) {
			buf_putc(&b, (char)*p);
		} else {
			buf_putc(&b, '%');
			buf_putc(&b, hex[*p >> 4]);
			buf_putc(&b, hex[*p & 15]);
		}
	}
	buf_putc(&b, '?');
	buf_puts(&b, query);
	return buf_steal(&b);
}

/* learned_tables - 1 when the learner's tables are there, 0 when not,
 * -1 on error; a version this program does not know is an error */
static int
learned_tables(sqlite3 *db, char *err, size_t errlen)
{
	sqlite3_stmt *s;
	int n = -1;
	long v = -1;

	if (sqlite3_prepare_v2(db, "SELECT count(*) FROM sqlite_master"
	    " WHERE type = 'table' AND name IN ('learn_meta',"
	    " 'learn_categories', 'learn_tokens', 'learn_counts')", -1, &s,
	    NULL) != SQLITE_OK)
		return -1;
	if (sqlite3_step(s) == SQLITE_ROW)
		n = sqlite3_column_int(s, 0);
	sqlite3_finalize(s);
	if (n != 4)
		return n < 0 ? -1 : 0;
	if (sqlite3_prepare_v2(db, "SELECT value FROM learn_meta"
	    " WHERE key = 'version'", -1, &s, NULL) != SQLITE_OK)
		return -1;
	if (sqlite3_step(s) == SQLITE_ROW)
		v = sqlite3_column_int(s, 0);
	sqlite3_finalize(s);
	if (v == LEARNED_VERSION)
		return 1;
	snprintf(err, errlen, "learned data of version %ld, this program "
	    "knows %d", v, LEARNED_VERSION);
	return -2;
}

/* learned_rows - run sql, handing each row to row(); 0 or -1 */
static int
learned_rows(sqlite3 *db, const char *sql,
    void (*row)(sqlite3_stmt *, const struct learned_reader *, void *),
    const struct learned_reader *r, void *arg)
{
	sqlite3_stmt *s;
	int rc;

	if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK)
		return -1;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW)
		row(s, r, arg);
	sqlite3_finalize(s);
	return rc == SQLITE_DONE ? 0 : -1;
}

/* learned_cat_row - one category row to r->category */
static void
learned_cat_row(sqlite3_stmt *s, const struct learned_reader *r, void *arg)
{
	r->category(arg, (const char *)sqlite3_column_text(s, 0),
	    (long)sqlite3_column_int64(s, 1), (long)sqlite3_column_int64(s, 2));
}

/* learned_count_row - one count row to r->token */
static void
learned_count_row(sqlite3_stmt *s, const struct learned_reader *r, void *arg)
{
	r->token(arg, (const char *)sqlite3_column_text(s, 0),
	    (const char *)sqlite3_column_text(s, 1),
	    (long)sqlite3_column_int64(s, 2));
}

/* learned_read_db - the tables of an open database, in one read
 * transaction; 0, 1 nothing learned, -1 error before any row was handed
 * out, -2 error after (err set either way) */
static int
learned_read_db(sqlite3 *db, const struct learned_reader *r, void *arg,
    char *err, size_t errlen)
{
	int rc;

	sqlite3_busy_timeout(db, LEARNED_BUSY_MS);
	if (sqlite3_exec(db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK)
		goto fail;
	if ((rc = learned_tables(db, err, errlen)) != 1) {
		sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
		if (rc == -1)
			goto fail;
		return rc == 0 ? 1 : -1;
	}
	if ((r->category != NULL && learned_rows(db, learned_read_cats,
	    learned_cat_row, r, arg) != 0) ||
	    (r->token != NULL && learned_rows(db, learned_read_counts,
	    learned_count_row, r, arg) != 0)) {
		snprintf(err, errlen, "%s", sqlite3_errmsg(db));
		sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
		return -2;
	}
	sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
	return 0;
fail:
	snprintf(err, errlen, "%s", sqlite3_errmsg(db));
	return -1;
}

/* learned_read_as - open path with one URI query and read it */
static int
learned_read_as(const char *path, const char *query,
    const struct learned_reader *r, void *arg, char *err, size_t errlen)
{
	char *uri = learned_uri(path, query);
	sqlite3 *db = NULL;
	int rc;

	if (sqlite3_open_v2(uri, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI,
	    NULL) != SQLITE_OK) {
		snprintf(err, errlen, "%s", db != NULL ? sqlite3_errmsg(db) :
		    "cannot open");
		rc = -1;
	} else {
		rc = learned_read_db(db, r, arg, err, errlen);
	}
	sqlite3_close(db);
	free(uri);
	return rc;
}

/* learned_read - see learned.h */
int
learned_read(const char *path, const struct learned_reader *r, void *arg,
    char *err, size_t errlen)
{
	struct stat st;
	char *wal;
	bool in_use;
	int rc;

	err[0] = '\0';
	if (stat(path, &st) != 0) {
		if (errno == ENOENT)
			return 1;
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	wal = xasprintf("%s-wal", path);
	in_use = stat(wal, &st) == 0;
	free(wal);
	/* a failure before any row was read may be the -shm file: read
	 * what was checkpointed instead */
	if (in_use && (rc = learned_read_as(path, "mode=ro", r, arg, err,
	    errlen)) != -1)
		return rc < 0 ? -1 : rc;
	rc = learned_read_as(path, "immutable=1", r, arg, err, errlen);
	return rc < 0 ? -1 : rc;
}
