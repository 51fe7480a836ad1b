/*
 * learned.c - the writing side of the learner's tables (learned.h):
 * create them, count a message's tokens under a category, take a message
 * back. Used offline by --learn and --forget, never by the milter.
 *
 * Every statement is prepared once per handle and reset after use; the
 * caller wraps a batch of messages in learned_begin / learned_commit, so
 * a batch costs one fsync and the milter's ledger waits at most for one
 * batch.
 *
 *	l = learned_open(path, err, sizeof err);
 *	learned_begin(l); learned_add(l, digest, cat, &tokens); ...
 *	learned_commit(l); learned_close(l);
 */
#include "ledger/learned.h"

#include <libgen.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util/fsdir.h"

enum {
	S_MSG_GET, S_MSG_ADD, S_MSG_DEL, S_CAT_GET, S_CAT_ADD, S_CAT_INC,
	S_TOK_GET, S_TOK_ADD, S_CNT_INC, S_CNT_DEC, S_CNT_CLEAN, S_N
};

static const char *const learned_sql[S_N] = {
	[S_MSG_GET] = "SELECT c.name, m.category, m.tokens FROM learn_messages"
	    " m JOIN learn_categories c ON c.id = m.category"
	    " WHERE m.digest = ?",
	[S_MSG_ADD] = "INSERT INTO learn_messages (digest, category, time,"
	    " tokens) VALUES (?, ?, ?, ?)",
	[S_MSG_DEL] = "DELETE FROM learn_messages WHERE digest = ?",
	[S_CAT_GET] = "SELECT id FROM learn_categories WHERE name = ?",
	[S_CAT_ADD] = "INSERT INTO learn_categories (name, messages)"
	    " VALUES (?, 0)",
	[S_CAT_INC] = "UPDATE learn_categories SET messages = messages + ?"
	    " WHERE id = ?",
	[S_TOK_GET] = "SELECT id FROM learn_tokens WHERE token = ?",
	[S_TOK_ADD] = "INSERT INTO learn_tokens (token) VALUES (?)",
	[S_CNT_INC] = "INSERT INTO learn_counts (token, category, n)"
	    " VALUES (?, ?, 1) ON CONFLICT (token, category)"
	    " DO UPDATE SET n = n + 1",
	[S_CNT_DEC] = "UPDATE learn_counts SET n = n - 1"
	    " WHERE token = ? AND category = ?",
	[S_CNT_CLEAN] = "DELETE FROM learn_counts"
	    " WHERE token = ? AND category = ? AND n <= 0",
};

static const char learned_schema[] =
	"CREATE TABLE IF NOT EXISTS learn_meta ("
	" key TEXT PRIMARY KEY, value TEXT NOT NULL);"
	"CREATE TABLE IF NOT EXISTS learn_categories ("
	" id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE,"
	" messages INTEGER NOT NULL DEFAULT 0);"
	"CREATE TABLE IF NOT EXISTS learn_tokens ("
	" id INTEGER PRIMARY KEY, token TEXT NOT NULL UNIQUE);"
	"CREATE TABLE IF NOT EXISTS learn_counts ("
	" token INTEGER NOT NULL, category INTEGER NOT NULL,"
	" n INTEGER NOT NULL, PRIMARY KEY (token, category)) WITHOUT ROWID;"
	"CREATE TABLE IF NOT EXISTS learn_messages ("
	" digest TEXT PRIMARY KEY, category INTEGER NOT NULL,"
	" time INTEGER NOT NULL, tokens BLOB NOT NULL);"
	"INSERT OR IGNORE INTO learn_meta (key, value) VALUES ('version', '1');";

struct learned {
	sqlite3 *db;
	char *path;
	sqlite3_stmt *s[S_N];
	struct buf err;
};

/* learned_fail - remember what failed, with SQLite's reason */
static void
learned_fail(struct learned *l, const char *what)
{
	buf_reset(&l->err);
	buf_printf(&l->err, "%s: %s: %s", l->path, what,
	    l->db != NULL ? sqlite3_errmsg(l->db) : "not open");
}

/* learned_error - see learned.h */
const char *
learned_error(const struct learned *l)
{
	return l->err.s;
}

/* learned_exec - SQL without results; 0 or -1 */
static int
learned_exec(struct learned *l, const char *sql, const char *what)
{
	if (sqlite3_exec(l->db, sql, NULL, NULL, NULL) == SQLITE_OK)
		return 0;
	learned_fail(l, what);
	return -1;
}

/* learned_version - the tables' version; -1 when unreadable */
static long
learned_version(struct learned *l)
{
	sqlite3_stmt *s;
	long v = -1;

	if (sqlite3_prepare_v2(l->db, "SELECT value FROM learn_meta"
	    " WHERE key = 'version'", -1, &s, NULL) != SQLITE_OK)
		return -1;
	if (sqlite3_step(s) == SQLITE_ROW)
		v = strtol((const char *)sqlite3_column_text(s, 0), NULL, 10);
	sqlite3_finalize(s);
	return v;
}

/* learned_setup - WAL (the ledger's mode), the tables, the statements */
static int
learned_setup(struct learned *l)
{
	long v;

	sqlite3_busy_timeout(l->db, LEARNED_BUSY_MS);
	if (learned_exec(l, "PRAGMA journal_mode = WAL", "WAL") != 0 ||
	    learned_exec(l, "PRAGMA synchronous = NORMAL", "pragma") != 0 ||
	    learned_exec(l, "BEGIN IMMEDIATE", "locking") != 0)
		return -1;
	if (learned_exec(l, learned_schema, "creating the tables") != 0) {
		learned_exec(l, "ROLLBACK", "rollback");
		return -1;
	}
	if ((v = learned_version(l)) != LEARNED_VERSION) {
		buf_reset(&l->err);
		buf_printf(&l->err, "%s: learned data of version %ld, this "
		    "program knows %d", l->path, v, LEARNED_VERSION);
		learned_exec(l, "ROLLBACK", "rollback");
		return -1;
	}
	if (learned_exec(l, "COMMIT", "creating the tables") != 0)
		return -1;
	for (int i = 0; i < S_N; i++)
		if (sqlite3_prepare_v3(l->db, learned_sql[i], -1,
		    SQLITE_PREPARE_PERSISTENT, &l->s[i], NULL) != SQLITE_OK) {
			learned_fail(l, learned_sql[i]);
			return -1;
		}
	return 0;
}

/* learned_open - see learned.h */
struct learned *
learned_open(const char *path, char *err, size_t errlen)
{
	struct learned *l = xcalloc(1, sizeof(*l));
	char *dir = xstrdup(path);

	l->path = xstrdup(path);
	buf_init(&l->err);
	fsdir_mkdirs(dirname(dir), 0700);	/* a failure shows at open */
	free(dir);
	if (sqlite3_open_v2(path, &l->db, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_CREATE, NULL) != SQLITE_OK || learned_setup(l) != 0) {
		if (l->err.len == 0)
			learned_fail(l, "open");
		snprintf(err, errlen, "%s", l->err.s);
		learned_close(l);
		return NULL;
	}
	return l;
}

/* learned_close - see learned.h */
void
learned_close(struct learned *l)
{
	if (l == NULL)
		return;
	for (int i = 0; i < S_N; i++)
		sqlite3_finalize(l->s[i]);
	sqlite3_close(l->db);
	buf_free(&l->err);
	free(l->path);
	free(l);
}

/* learned_begin - see learned.h */
int
learned_begin(struct learned *l)
{
	return learned_exec(l, "BEGIN IMMEDIATE", "locking");
}

/* learned_commit - see learned.h */
int
learned_commit(struct learned *l)
{
	return learned_exec(l, "COMMIT", "commit");
}

/* learned_rollback - see learned.h */
void
learned_rollback(struct learned *l)
{
	sqlite3_exec(l->db, "ROLLBACK", NULL, NULL, NULL);
}

/* learned_step - run statement i once (bound already), then reset it;
 * SQLITE_ROW leaves the row readable until the next use of i */
static int
learned_step(struct learned *l, int i)
{
	int rc = sqlite3_step(l->s[i]);

	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		learned_fail(l, learned_sql[i]);
	if (rc != SQLITE_ROW)
		sqlite3_reset(l->s[i]);
	return rc;
}

/* learned_run - statement i with no rows wanted; 0 or -1 */
static int
learned_run(struct learned *l, int i)
{
	int rc = learned_step(l, i);

	sqlite3_reset(l->s[i]);
	return rc == SQLITE_DONE || rc == SQLITE_ROW ? 0 : -1;
}

/* learned_id - the id of text in a table, added if absent (statement
 * get, then add); -1 on error */
static sqlite3_int64
learned_id(struct learned *l, int get, int add, const char *text)
{
	sqlite3_int64 id = -1;
	int rc;

	sqlite3_bind_text(l->s[get], 1, text, -1, SQLITE_STATIC);
	if ((rc = learned_step(l, get)) == SQLITE_ROW)
		id = sqlite3_column_int64(l->s[get], 0);
	sqlite3_reset(l->s[get]);
	if (rc == SQLITE_ROW || rc != SQLITE_DONE)
		return id;
	sqlite3_bind_text(l->s[add], 1, text, -1, SQLITE_STATIC);
	if (learned_run(l, add) != 0)
		return -1;
	return sqlite3_last_insert_rowid(l->db);
}

/* learned_count - add delta (1 or -1) to the count of one token */
static int
learned_count(struct learned *l, sqlite3_int64 tok, sqlite3_int64 cat,
    int delta)
{
	int i = delta > 0 ? S_CNT_INC : S_CNT_DEC;

	sqlite3_bind_int64(l->s[i], 1, tok);
	sqlite3_bind_int64(l->s[i], 2, cat);
	if (learned_run(l, i) != 0)
		return -1;
	if (delta > 0)
		return 0;
	sqlite3_bind_int64(l->s[S_CNT_CLEAN], 1, tok);
	sqlite3_bind_int64(l->s[S_CNT_CLEAN], 2, cat);
	return learned_run(l, S_CNT_CLEAN);
}

/* learned_messages - add delta to a category's message count */
static int
learned_messages(struct learned *l, sqlite3_int64 cat, int delta)
{
	sqlite3_bind_int(l->s[S_CAT_INC], 1, delta);
	sqlite3_bind_int64(l->s[S_CAT_INC], 2, cat);
	return learned_run(l, S_CAT_INC);
}

/* learned_put_id - append a token id to the packed list */
static void
learned_put_id(struct buf *b, uint32_t id)
{
	char le[4] = {(char)(id & 0xff), (char)((id >> 8) & 0xff),
	    (char)((id >> 16) & 0xff), (char)((id >> 24) & 0xff)};

	buf_append(b, le, 4);
}

/* learned_get_id - the k-th id of a packed list */
static sqlite3_int64
learned_get_id(const unsigned char *p, size_t k)
{
	p += 4 * k;
	return (sqlite3_int64)((uint32_t)p[0] | (uint32_t)p[1] << 8 |
	    (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24);
}

/* learned_insert - count tokens under category, record the message */
static int
learned_insert(struct learned *l, const char *digest, const char *category,
    const struct strvec *tokens)
{
	sqlite3_int64 cat = learned_id(l, S_CAT_GET, S_CAT_ADD, category);
	struct buf ids;
	int rc = -1;

	if (cat < 0)
		return -1;
	buf_init(&ids);
	for (size_t i = 0; i < tokens->n; i++) {
		sqlite3_int64 tok = learned_id(l, S_TOK_GET, S_TOK_ADD,
		    tokens->v[i]);

		if (tok < 0 || tok > UINT32_MAX ||
		    learned_count(l, tok, cat, 1) != 0)
			goto out;
		learned_put_id(&ids, (uint32_t)tok);
	}
	if (learned_messages(l, cat, 1) != 0)
		goto out;
	sqlite3_bind_text(l->s[S_MSG_ADD], 1, digest, -1, SQLITE_STATIC);
	sqlite3_bind_int64(l->s[S_MSG_ADD], 2, cat);
	sqlite3_bind_int64(l->s[S_MSG_ADD], 3, (sqlite3_int64)time(NULL));
	sqlite3_bind_blob(l->s[S_MSG_ADD], 4, ids.s, (int)ids.len,
	    SQLITE_STATIC);
	rc = learned_run(l, S_MSG_ADD);
out:
	buf_free(&ids);
	return rc;
}

/* learned_forget - see learned.h */
int
learned_forget(struct learned *l, const char *digest, char **category)
{
	sqlite3_stmt *s = l->s[S_MSG_GET];
	sqlite3_int64 cat;
	const unsigned char *ids;
	size_t n;
	int rc;

	sqlite3_bind_text(s, 1, digest, -1, SQLITE_STATIC);
	if ((rc = learned_step(l, S_MSG_GET)) != SQLITE_ROW)
		return rc == SQLITE_DONE ? 0 : -1;
	if (category != NULL)
		*category = xstrdup((const char *)sqlite3_column_text(s, 0));
	cat = sqlite3_column_int64(s, 1);
	ids = sqlite3_column_blob(s, 2);
	n = (size_t)sqlite3_column_bytes(s, 2) / 4;
	rc = 1;
	for (size_t k = 0; k < n && rc == 1; k++)
		if (learned_count(l, learned_get_id(ids, k), cat, -1) != 0)
			rc = -1;
	sqlite3_reset(s);
	if (rc == 1 && learned_messages(l, cat, -1) != 0)
		rc = -1;
	sqlite3_bind_text(l->s[S_MSG_DEL], 1, digest, -1, SQLITE_STATIC);
	if (rc == 1 && learned_run(l, S_MSG_DEL) != 0)
		rc = -1;
	if (rc < 0 && category != NULL) {
		free(*category);
		*category = NULL;
	}
	return rc;
}

/* learned_category_of - the category digest was learned under: 1 (with
 * *name malloc'd), 0 not learned, -1 error */
static int
learned_category_of(struct learned *l, const char *digest, char **name)
{
	sqlite3_stmt *s = l->s[S_MSG_GET];
	int rc;

	sqlite3_bind_text(s, 1, digest, -1, SQLITE_STATIC);
	if ((rc = learned_step(l, S_MSG_GET)) != SQLITE_ROW)
		return rc == SQLITE_DONE ? 0 : -1;
	*name = xstrdup((const char *)sqlite3_column_text(s, 0));
	sqlite3_reset(s);
	return 1;
}

/* learned_add - see learned.h */
enum learned_outcome
learned_add(struct learned *l, const char *digest, const char *category,
    const struct strvec *tokens)
{
	char *had = NULL;
	int rc = learned_category_of(l, digest, &had);
	bool same = rc == 1 && strcmp(had, category) == 0;

	free(had);
	if (rc < 0)
		return LEARNED_FAILED;
	if (same)
		return LEARNED_SAME;
	if (rc == 1 && learned_forget(l, digest, NULL) != 1)
		return LEARNED_FAILED;
	if (learned_insert(l, digest, category, tokens) != 0)
		return LEARNED_FAILED;
	return rc == 0 ? LEARNED_NEW : LEARNED_MOVED;
}
