/*
 * test_ledger.c - the SQLite state: schema creation, the rate limit and
 * once-per-case rules as a table of calls, the window running out,
 * many threads on two handles at once (the limit holds exactly), a
 * locked database, a corrupt file and a newer schema (no crash, "state
 * unavailable", quickly).
 */
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
	assert_int_equal(query_long(path, "PRAGMA user_version"), 1);
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
		bool ok = ledger_reply_allow(st, calls[i].rcpt,
		    calls[i].category, calls[i].reporter, calls[i].case_id,
		    calls[i].count, calls[i].period, &why);

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

	assert_true(ledger_reply_allow(st, "a@x", "spam", NULL, NULL, 1, 1,
	    &why));
	assert_false(ledger_reply_allow(st, "a@x", "spam", NULL, NULL, 1, 1,
	    &why));
	assert_string_equal(why, "rate limit");
	sleep(2);
	assert_true(ledger_reply_allow(st, "a@x", "spam", NULL, NULL, 1, 1,
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

	assert_true(ledger_reply_allow(st, "a@x", "dmca", "r@y", "77", 2, 3600,
	    &why));
	assert_int_equal(ledger_reply_forget(st, "A@X", "dmca", "r@y", "77"), 0);
	assert_true(ledger_reply_allow(st, "a@x", "dmca", "r@y", "77", 2, 3600,
	    &why));
	assert_false(ledger_reply_allow(st, "a@x", "dmca", "r@y", "77", 2, 3600,
	    &why));
	assert_string_equal(why, "case already answered");
	assert_true(ledger_reply_allow(st, "a@x", "dmca", "r@y", NULL, 2, 3600,
	    &why));
	assert_false(ledger_reply_allow(st, "a@x", "dmca", "r@y", NULL, 2, 3600,
	    &why));
	assert_string_equal(why, "rate limit");
	assert_int_equal(ledger_reply_forget(st, "a@x", "dmca", "r@y", NULL), 0);
	assert_true(ledger_reply_allow(st, "a@x", "dmca", "r@y", NULL, 2, 3600,
	    &why));
	assert_int_equal(ledger_reply_forget(NULL, "a@x", "dmca", NULL, NULL), -1);
	ledger_close(st);
	free(path);
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

		if (ledger_reply_allow(a->st, "victim@x", "abuse", NULL, NULL, 10,
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
	assert_false(ledger_reply_allow(st, "a@x", "dmca", NULL, NULL, 5, 60,
	    &why));
	assert_string_equal(why, "state unavailable");
	assert_int_equal(ledger_record_complaint(st,
	    &(struct ledger_complaint){ .category = "dmca" }), -1);
	assert_int_equal(sqlite3_exec(other, "COMMIT", NULL, NULL, NULL),
	    SQLITE_OK);
	sqlite3_close(other);
	assert_true(ledger_reply_allow(st, "a@x", "dmca", NULL, NULL, 5, 60,
	    &why));
	ledger_close(st);
	free(path);
}

/* test_corrupt - garbage instead of a database: no crash, no reply */
static void
test_corrupt(void **state)
{
	char *path = db_path("corrupt");
	char *dir = xasprintf("%s/corrupt", top);
	struct ledger *st;
	const char *why;
	char junk[8192];
	FILE *f;
	size_t i;

	mkdir(dir, 0700);
	for (i = 0; i < sizeof(junk); i++)
		junk[i] = (char)(i * 7 + 3);
	assert_non_null(f = fopen(path, "w"));
	fwrite(junk, 1, sizeof(junk), f);
	fclose(f);
	st = ledger_open(path);
	assert_false(ledger_available(st));
	assert_false(ledger_reply_allow(st, "a@x", "dmca", NULL, "1", 5, 60,
	    &why));
	assert_string_equal(why, "state unavailable");
	assert_int_equal(ledger_record_complaint(st,
	    &(struct ledger_complaint){ .category = "dmca" }), -1);
	ledger_close(st);
	/* a NULL handle behaves the same */
	assert_false(ledger_reply_allow(NULL, "a@x", "dmca", NULL, NULL, 5, 60,
	    &why));
	assert_string_equal(why, "state unavailable");
	assert_false(ledger_available(NULL));
	ledger_close(NULL);
	free(dir);
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
		cmocka_unit_test(test_threads),
		cmocka_unit_test(test_locked),
		cmocka_unit_test(test_corrupt),
		cmocka_unit_test(test_newer_schema),
	};
	int rc;

	if (mkdtemp(top) == NULL)
		return 1;
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	testutil_rm_rf(top);
	return rc;
}
