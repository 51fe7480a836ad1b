/*
 * test_ledger.c - the SQLite state: schema creation and the migration
 * from version 1, the rate limit, the caps per domain and per hour and
 * the once-per-case rule as a table of calls, the window running out,
 * many threads on two handles at once (the limit holds exactly), a
 * locked database ("state unavailable", no crash), a corrupt file (set
 * aside and replaced by a new ledger, at open and in use) and a newer
 * schema (left alone).
 */
#include <dirent.h>
#include <ftw.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>
#include <sqlite3.h>

#include "ledger/ledger.h"
#include "util/util.h"
#include "testutil.h"

static char top[] = "/tmp/test_state.XXXXXX";

/* db_path - a fresh database path per test */
static char *
db_path(const char *name)
{
	return xasprintf("%s/%s/state.db", top, name);
}

/* query_long - first column of the first row of sql, or -1 */
static long
query_long(const char *path, const char *sql)
{
	sqlite3 *db;
	sqlite3_stmt *s;
	long v = -1;

	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK
	    && sqlite3_prepare_v2(db, sql, -1, &s, NULL) == SQLITE_OK) {
		if (sqlite3_step(s) == SQLITE_ROW)
			v = (long)sqlite3_column_int64(s, 0);
		sqlite3_finalize(s);
	}
	sqlite3_close(db);
	return v;
}

/* test_create - directory, WAL and schema version on first open */
static void
test_create(void **state)
{
	char *path = db_path("create");
	struct ledger *st = ledger_open(path);
	struct strvec ips;
	struct ledger_complaint c = { .qid = "Q1", .message_id = "<a@b>",
	    .category = "dmca", .rule = "acns", .reporter = "Notices@X.example",
	    .case_id = "48213", .reply = "queued", .ips = &ips };

	assert_true(ledger_available(st));
	strvec_init(&ips);
	strvec_push(&ips, "192.0.2.1");
	strvec_push(&ips, "2001:db8::1");
	assert_int_equal(ledger_record_complaint(st, &c), 0);
	c.ips = NULL;
	c.qid = c.rule = c.case_id = NULL;
	assert_int_equal(ledger_record_complaint(st, &c), 0);
	ledger_close(st);
	assert_int_equal(query_long(path, "PRAGMA user_version"), 2);
	assert_int_equal(query_long(path, "SELECT count(*) FROM complaints"),
	    2);
	assert_int_equal(query_long(path, "SELECT count(*) FROM complaint_ips"
	    " WHERE ip = '2001:db8::1'"), 1);
	assert_int_equal(query_long(path, "SELECT count(*) FROM complaints "
	    "WHERE reporter = 'notices@x.example' AND case_id = '48213'"), 1);
	{
		sqlite3 *db;
		sqlite3_stmt *s;

		assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
		assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA journal_mode",
		    -1, &s, NULL), SQLITE_OK);
		assert_int_equal(sqlite3_step(s), SQLITE_ROW);
		assert_string_equal((const char *)sqlite3_column_text(s, 0),
		    "wal");
		sqlite3_finalize(s);
		sqlite3_close(db);
	}
	/* reopening an existing database keeps its rows */
	st = ledger_open(path);
	assert_true(ledger_available(st));
	ledger_close(st);
	assert_int_equal(query_long(path, "SELECT count(*) FROM complaints"),
	    2);
	strvec_free(&ips);
	free(path);
}

/* allow - ledger_reply_allow with the rate limit only (no caps) */
static bool
allow(struct ledger *st, const char *rcpt, const char *category,
    const char *reporter, const char *case_id, unsigned count,
    unsigned period, const char **why)
{
	struct ledger_reply r = { rcpt, NULL, category, reporter, case_id };
	struct ledger_limits lim = { count, period, 0, 0 };

	return ledger_reply_allow(st, &r, &lim, why);
}

/* forget - ledger_reply_forget by values */
static int
forget(struct ledger *st, const char *rcpt, const char *category,
    const char *reporter, const char *case_id)
{
	struct ledger_reply r = { rcpt, NULL, category, reporter, case_id };

	return ledger_reply_forget(st, &r);
}

static const struct {
	const char *rcpt, *category, *reporter, *case_id;
	unsigned count, period;
	const char *want;	/* NULL: allowed */
} calls[] = {
	{ "a@x.example", "dmca", "r1@x", NULL, 2, 3600, NULL },
	{ "A@X.Example", "dmca", "r1@x", NULL, 2, 3600, NULL },
	{ "a@x.example", "dmca", "r1@x", NULL, 2, 3600, "rate limit" },
	{ "a@x.example", "dmca", "r2@x", "", 2, 3600, "rate limit" },
	{ "a@x.example", "spam", "r1@x", NULL, 2, 3600, NULL },
	{ "b@x.example", "dmca", "r1@x", NULL, 2, 3600, NULL },
	{ "c@x.example", "dmca", "Notices@R.example", "100", 2, 3600, NULL },
	{ "d@x.example", "dmca", "notices@r.example", "100", 2, 3600,
	    "case already answered" },
	{ "d@x.example", "spam", "notices@r.example", "100", 0, 0,
	    "case already answered" },
	{ "d@x.example", "dmca", "other@r.example", "100", 2, 3600, NULL },
	{ "d@x.example", "dmca", "notices@r.example", "101", 2, 3600, NULL },
	{ "c@x.example", "dmca", NULL, "7", 1, 3600, "rate limit" },
	{ "e@x.example", "dmca", NULL, NULL, 0, 0, NULL },
	{ "e@x.example", "dmca", NULL, NULL, 0, 0, NULL },
	{ "e@x.example", "dmca", NULL, NULL, 0, 0, NULL },
	{ "f@x.example", "dmca", NULL, NULL, 0, 3600, "rate limit" },
	{ NULL, "dmca", NULL, NULL, 2, 3600, "state unavailable" },
	{ "g@x.example", NULL, NULL, NULL, 2, 3600, "state unavailable" },
};

/* test_rules - every call of the table, in order, on one database */
static void
test_rules(void **state)
{
	char *path = db_path("rules");
	struct ledger *st = ledger_open(path);
	size_t i;

	for (i = 0; i < sizeof(calls) / sizeof(calls[0]); i++) {
		const char *why = "unset";
		bool ok = allow(st, calls[i].rcpt, calls[i].category,
		    calls[i].reporter, calls[i].case_id, calls[i].count,
		    calls[i].period, &why);

		if (ok != (calls[i].want == NULL)
		    || (calls[i].want && (why == NULL
		    || strcmp(why, calls[i].want) != 0))
		    || (ok && why != NULL))
			fail_msg("row %zu: got %s (%s)", i, ok ? "allow" : "deny",
			    why ? why : "NULL");
	}
	ledger_close(st);
	/* only allowed replies are recorded */
	assert_int_equal(query_long(path, "SELECT count(*) FROM replies"), 10);
	free(path);
}

/* test_window - the rate limit forgets replies older than the period */
static void
test_window(void **state)
{
	char *path = db_path("window");
	struct ledger *st = ledger_open(path);
	const char *why;

	assert_true(allow(st, "a@x", "spam", NULL, NULL, 1, 1,
	    &why));
	assert_false(allow(st, "a@x", "spam", NULL, NULL, 1, 1,
	    &why));
	assert_string_equal(why, "rate limit");
	sleep(2);
	assert_true(allow(st, "a@x", "spam", NULL, NULL, 1, 1,
	    &why));
	ledger_close(st);
	free(path);
}

/* test_forget - a reply that could not be queued is taken back: the case
 * is not answered and the rate limit not used up; only the newest
 * matching record goes */
static void
test_forget(void **state)
{
	char *path = db_path("forget");
	struct ledger *st = ledger_open(path);
	const char *why;

	assert_true(allow(st, "a@x", "dmca", "r@y", "77", 2, 3600,
	    &why));
	assert_int_equal(forget(st, "A@X", "dmca", "r@y", "77"), 0);
	assert_true(allow(st, "a@x", "dmca", "r@y", "77", 2, 3600,
	    &why));
	assert_false(allow(st, "a@x", "dmca", "r@y", "77", 2, 3600,
	    &why));
	assert_string_equal(why, "case already answered");
	assert_true(allow(st, "a@x", "dmca", "r@y", NULL, 2, 3600,
	    &why));
	assert_false(allow(st, "a@x", "dmca", "r@y", NULL, 2, 3600,
	    &why));
	assert_string_equal(why, "rate limit");
	assert_int_equal(forget(st, "a@x", "dmca", "r@y", NULL), 0);
	assert_true(allow(st, "a@x", "dmca", "r@y", NULL, 2, 3600,
	    &why));
	assert_int_equal(forget(NULL, "a@x", "dmca", NULL, NULL), -1);
	ledger_close(st);
	free(path);
}

/* test_decide_row - the complaint row rides in the reply decision's
 * transaction: "queued" when allowed, "suppressed: ..." when refused,
 * nothing at all while the database is locked; its reply can be
 * changed afterwards (the job could not be spooled) */
static void
test_decide_row(void **state)
{
	char *path = db_path("decide");
	struct ledger *st = ledger_open(path);
	struct ledger_reply r = { "a@x", NULL, "spam", "r@y", "9" };
	struct ledger_limits lim = { 1, 3600, 0, 0 };
	struct ledger_complaint c = { .qid = "Q", .category = "spam",
	    .reporter = "r@y", .case_id = "9", .reply = "ignored" };
	const char *why;
	long long id, id2;
	sqlite3 *other;

	assert_true(ledger_reply_decide(st, &r, &lim, &c, &why, &id));
	assert_null(why);
	assert_true(id > 0);
	assert_false(ledger_reply_decide(st, &r, &lim, &c, &why, &id2));
	assert_string_equal(why, "case already answered");
	assert_true(id2 > id);
	assert_int_equal(ledger_complaint_reply(st, id, "deferred"), 0);
	assert_int_equal(sqlite3_open(path, &other), SQLITE_OK);
	assert_int_equal(sqlite3_exec(other, "BEGIN EXCLUSIVE", NULL, NULL,
	    NULL), SQLITE_OK);
	r.case_id = "10";
	assert_false(ledger_reply_decide(st, &r, &lim, &c, &why, &id));
	assert_string_equal(why, "state unavailable");
	assert_int_equal(id, 0);
	sqlite3_exec(other, "ROLLBACK", NULL, NULL, NULL);
	sqlite3_close(other);
	ledger_close(st);
	assert_int_equal(query_long(path, "SELECT count(*) FROM complaints"),
	    2);
	assert_int_equal(query_long(path, "SELECT count(*) FROM complaints "
	    "WHERE reply = 'deferred'"), 1);
	assert_int_equal(query_long(path, "SELECT count(*) FROM complaints "
	    "WHERE reply = 'suppressed: case already answered'"), 1);
	assert_int_equal(query_long(path, "SELECT count(*) FROM replies"), 1);
	free(path);
	(void)state;
}

#define NTHREADS	6
#define NCALLS		20

struct worker_arg {
	struct ledger *st;
	int allowed;
	int limited;
};

/* hammer - one thread: replies to one address, and ledger rows */
static void *
hammer(void *p)
{
	struct worker_arg *a = p;
	struct ledger_complaint c = { .category = "abuse", .reply = "queued" };
	int i;

	for (i = 0; i < NCALLS; i++) {
		const char *why;

		if (allow(a->st, "victim@x", "abuse", NULL, NULL, 10,
		    3600, &why))
			a->allowed++;
		else if (strcmp(why, "rate limit") == 0)
			a->limited++;
		ledger_record_complaint(a->st, &c);
	}
	return NULL;
}

/* test_threads - many threads on two handles: the limit is exact */
static void
test_threads(void **state)
{
	char *path = db_path("threads");
	struct ledger *st[2] = { ledger_open(path), ledger_open(path) };
	struct worker_arg args[NTHREADS];
	pthread_t t[NTHREADS];
	int i, allowed = 0, limited = 0;

	for (i = 0; i < NTHREADS; i++) {
		args[i] = (struct worker_arg){ .st = st[i % 2] };
		pthread_create(&t[i], NULL, hammer, &args[i]);
	}
	for (i = 0; i < NTHREADS; i++) {
		pthread_join(t[i], NULL);
		allowed += args[i].allowed;
		limited += args[i].limited;
	}
	assert_int_equal(allowed, 10);
	assert_int_equal(limited, NTHREADS * NCALLS - 10);
	ledger_close(st[0]);
	ledger_close(st[1]);
	assert_int_equal(query_long(path, "SELECT count(*) FROM complaints"),
	    NTHREADS * NCALLS);
	free(path);
}

/* test_locked - a database held by someone else answers "unavailable"
 * quickly, and works again once released */
static void
test_locked(void **state)
{
	char *path = db_path("locked");
	struct ledger *st = ledger_open(path);
	const char *why;
	sqlite3 *other;

	assert_int_equal(sqlite3_open(path, &other), SQLITE_OK);
	assert_int_equal(sqlite3_exec(other, "BEGIN EXCLUSIVE", NULL, NULL,
	    NULL), SQLITE_OK);
	assert_false(allow(st, "a@x", "dmca", NULL, NULL, 5, 60,
	    &why));
	assert_string_equal(why, "state unavailable");
	assert_int_equal(ledger_record_complaint(st,
	    &(struct ledger_complaint){ .category = "dmca" }), -1);
	assert_int_equal(sqlite3_exec(other, "COMMIT", NULL, NULL, NULL),
	    SQLITE_OK);
	sqlite3_close(other);
	assert_true(allow(st, "a@x", "dmca", NULL, NULL, 5, 60,
	    &why));
	ledger_close(st);
	free(path);
}

/* aside_files - names in dir that start with "state.db.corrupt-" and
 * do not end in -wal or -shm; the first one in *first (caller frees) */
static int
aside_files(const char *dir, char **first)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	int n = 0;

	*first = NULL;
	while (d != NULL && (de = readdir(d)) != NULL) {
		size_t len = strlen(de->d_name);

		if (strncmp(de->d_name, "state.db.corrupt-", 17) != 0 ||
		    (len > 4 && (strcmp(de->d_name + len - 4, "-wal") == 0 ||
		    strcmp(de->d_name + len - 4, "-shm") == 0)))
			continue;
		if (n++ == 0)
			*first = xasprintf("%s/%s", dir, de->d_name);
	}
	if (d != NULL)
		closedir(d);
	return n;
}

/* write_junk - bytes that are no SQLite database */
static void
write_junk(const char *path, char *junk, size_t n)
{
	FILE *f;

	for (size_t i = 0; i < n; i++)
		junk[i] = (char)(i * 7 + 3);
	assert_non_null(f = fopen(path, "w"));
	assert_int_equal(fwrite(junk, 1, n, f), n);
	fclose(f);
}

/* test_corrupt - garbage instead of a database: set aside as
 * state.db.corrupt-TIME, byte for byte, and a new ledger works */
static void
test_corrupt(void **state)
{
	char *path = db_path("corrupt");
	char *dir = xasprintf("%s/corrupt", top), *aside, *kept;
	struct ledger *st;
	const char *why;
	char junk[8192];
	size_t len;

	mkdir(dir, 0700);
	write_junk(path, junk, sizeof(junk));
	st = ledger_open(path);
	assert_true(ledger_available(st));
	assert_true(allow(st, "a@x", "dmca", NULL, "1", 5, 60, &why));
	assert_int_equal(ledger_record_complaint(st,
	    &(struct ledger_complaint){ .category = "dmca" }), 0);
	ledger_close(st);
	assert_int_equal(query_long(path, "PRAGMA user_version"),
	    LEDGER_SCHEMA_VERSION);
	assert_int_equal(query_long(path, "SELECT count(*) FROM replies"), 1);
	assert_int_equal(aside_files(dir, &aside), 1);
	kept = util_read_file(aside, &len);
	assert_non_null(kept);
	assert_int_equal(len, sizeof(junk));
	assert_memory_equal(kept, junk, sizeof(junk));
	free(kept);
	free(aside);
	/* a NULL handle behaves like an unavailable database */
	assert_false(allow(NULL, "a@x", "dmca", NULL, NULL, 5, 60, &why));
	assert_string_equal(why, "state unavailable");
	assert_false(ledger_available(NULL));
	ledger_close(NULL);
	free(dir);
	free(path);
}

/* test_corrupt_in_use - a file damaged under an open handle (here:
 * another process breaks the schema, as a bad disk or a wrong tool
 * could): the call that meets it fails ("state unavailable"), the file
 * goes aside, and the next call works on a new ledger */
static void
test_corrupt_in_use(void **state)
{
	char *path = db_path("corrupt-use");
	char *dir = xasprintf("%s/corrupt-use", top), *aside;
	struct ledger *st = ledger_open(path);
	const char *why;
	sqlite3 *db;
	long version;

	assert_true(allow(st, "a@x", "dmca", NULL, NULL, 5, 60, &why));
	version = query_long(path, "PRAGMA schema_version");
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	sqlite3_db_config(db, SQLITE_DBCONFIG_DEFENSIVE, 0, (int *)NULL);
	{
		char *sql = xasprintf("PRAGMA writable_schema = ON; "
		    "UPDATE sqlite_master SET sql = 'CREATE TABLE replies (' "
		    "WHERE name = 'replies'; PRAGMA schema_version = %ld;",
		    version + 1);

		assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL),
		    SQLITE_OK);
		free(sql);
	}
	sqlite3_close(db);
	assert_false(allow(st, "b@x", "dmca", NULL, NULL, 5, 60, &why));
	assert_string_equal(why, "state unavailable");
	assert_true(allow(st, "c@x", "dmca", NULL, NULL, 5, 60, &why));
	ledger_close(st);
	assert_int_equal(aside_files(dir, &aside), 1);
	free(aside);
	assert_int_equal(query_long(path, "SELECT count(*) FROM replies"), 1);
	free(dir);
	free(path);
}

/* test_migrate - a version 1 file (no replies.domain) becomes version 2
 * in place, its rows kept */
static void
test_migrate(void **state)
{
	char *path = db_path("migrate"), *dir = xasprintf("%s/migrate", top);
	struct ledger *st;
	sqlite3 *db;

	mkdir(dir, 0700);
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "CREATE TABLE complaints (id INTEGER "
	    "PRIMARY KEY, time INTEGER NOT NULL, qid TEXT, message_id TEXT, "
	    "category TEXT NOT NULL, rule TEXT, reporter TEXT, case_id TEXT, "
	    "reply TEXT); CREATE TABLE complaint_ips (complaint INTEGER NOT "
	    "NULL REFERENCES complaints(id) ON DELETE CASCADE, ip TEXT NOT "
	    "NULL); CREATE TABLE replies (id INTEGER PRIMARY KEY, time INTEGER "
	    "NOT NULL, rcpt TEXT NOT NULL, category TEXT NOT NULL, reporter "
	    "TEXT NOT NULL, case_id TEXT); INSERT INTO replies VALUES (1, "
	    "strftime('%s','now'), 'old@x.example', 'dmca', '', '9'); "
	    "PRAGMA user_version = 1;", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	st = ledger_open(path);
	assert_true(ledger_available(st));
	ledger_close(st);
	assert_int_equal(query_long(path, "PRAGMA user_version"), 2);
	assert_int_equal(query_long(path, "SELECT count(*) FROM replies WHERE "
	    "domain IS NULL AND case_id = '9'"), 1);
	free(dir);
	free(path);
}

/* test_caps - max_per_domain and max_per_hour, and which reason wins */
static void
test_caps(void **state)
{
	char *path = db_path("caps");
	struct ledger *st = ledger_open(path);
	struct ledger_limits lim = { 5, 3600, 6, 3 };
	struct ledger_reply r = { NULL, "third.example", "spam", NULL, NULL };
	const char *why;
	char *rcpt;
	int i;

	/* three recipients of one domain, then the domain is full */
	for (i = 0; i < 4; i++) {
		r.rcpt = rcpt = xasprintf("victim%d@third.example", i);
		if (ledger_reply_allow(st, &r, &lim, &why) != (i < 3))
			fail_msg("domain row %d: %s", i, why ? why : "allowed");
		free(rcpt);
	}
	assert_string_equal(why, "rate limit (domain)");
	/* domains compare without case */
	r.rcpt = "x@THIRD.example";
	r.domain = "THIRD.example";
	assert_false(ledger_reply_allow(st, &r, &lim, &why));
	assert_string_equal(why, "rate limit (domain)");
	/* other domains: three more make six, then everything is full */
	for (i = 0; i < 4; i++) {
		r.rcpt = rcpt = xasprintf("a@d%d.example", i);
		r.domain = rcpt + 2;
		if (ledger_reply_allow(st, &r, &lim, &why) != (i < 3))
			fail_msg("global row %d: %s", i, why ? why : "allowed");
		free(rcpt);
	}
	assert_string_equal(why, "rate limit (global)");
	/* the narrower limit names the reason: the recipient's own */
	lim = (struct ledger_limits){ 1, 3600, 6, 3 };
	r.rcpt = "victim0@third.example";
	r.domain = "third.example";
	assert_false(ledger_reply_allow(st, &r, &lim, &why));
	assert_string_equal(why, "rate limit");
	/* 0 turns a cap off; no domain is not counted per domain */
	lim = (struct ledger_limits){ 0, 0, 0, 0 };
	assert_true(ledger_reply_allow(st, &r, &lim, &why));
	lim = (struct ledger_limits){ 0, 0, 0, 1 };
	r.domain = NULL;
	assert_true(ledger_reply_allow(st, &r, &lim, &why));
	ledger_close(st);
	assert_int_equal(query_long(path, "SELECT count(*) FROM replies WHERE "
	    "domain = 'third.example'"), 4);
	free(path);
}

/* test_newer_schema - a database from a later version is left alone */
static void
test_newer_schema(void **state)
{
	char *path = db_path("newer");
	struct ledger *st = ledger_open(path);
	sqlite3 *db;

	ledger_close(st);
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "PRAGMA user_version = 99", NULL,
	    NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	st = ledger_open(path);
	assert_false(ledger_available(st));
	ledger_close(st);
	assert_int_equal(query_long(path, "PRAGMA user_version"), 99);
	free(path);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_create),
		cmocka_unit_test(test_rules),
		cmocka_unit_test(test_window),
		cmocka_unit_test(test_forget),
		cmocka_unit_test(test_decide_row),
		cmocka_unit_test(test_threads),
		cmocka_unit_test(test_locked),
		cmocka_unit_test(test_corrupt),
		cmocka_unit_test(test_corrupt_in_use),
		cmocka_unit_test(test_migrate),
		cmocka_unit_test(test_caps),
		cmocka_unit_test(test_newer_schema),
	};
	int rc;

	if (mkdtemp(top) == NULL)
		return 1;
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	testutil_rm_rf(top);
	return rc;
}
