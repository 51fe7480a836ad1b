/*
 * test_ledger_report.c - the --report summary: exact output for a small ledger
 * written through ledger.c, the --since cut, and databases that cannot
 * be read (missing, garbage, not ours) giving exit code 1.
 */
#include <ftw.h>
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

#include "ledger/ledger_report.h"
#include "ledger/ledger.h"
#include "util/util.h"
#include "testutil.h"

static char top[] = "/tmp/test_report.XXXXXX";

/* run_report - ledger_report_print into a string; *rc gets its return code */
static char *
run_report(const char *path, long since, int *rc)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	assert_non_null(f);
	*rc = ledger_report_print(path, since, f);
	fclose(f);
	return text;
}

/* add - one ledger row with up to two addresses */
static void
add(struct ledger *st, time_t t, const char *cat, const char *reporter,
    const char *reply, const char *ip1, const char *ip2)
{
	struct strvec ips;
	struct ledger_complaint c = { .time = t, .category = cat,
	    .reporter = reporter, .reply = reply, .ips = &ips, .qid = "Q" };

	strvec_init(&ips);
	if (ip1)
		strvec_push(&ips, ip1);
	if (ip2)
		strvec_push(&ips, ip2);
	assert_int_equal(ledger_record_complaint(st, &c), 0);
	strvec_free(&ips);
}

/* 2025-01-10 10:00:00 UTC and the next day */
#define DAY1	1736503200
#define DAY2	(DAY1 + 86400)

static const char want_all[] =
	"period: all complaints\n"
	"\n"
	"Complaints per day and category (UTC)\n"
	"        2  2025-01-10        dmca\n"
	"        1  2025-01-10        spam\n"
	"        1  2025-01-11        dmca\n"
	"\n"
	"Complaints per category\n"
	"        3  dmca\n"
	"        1  spam\n"
	"\n"
	"Replies\n"
	"        2  queued\n"
	"        1  (not recorded)\n"
	"        1  suppressed: rate limit\n"
	"\n"
	"Top reported addresses\n"
	"        3  192.0.2.7\n"
	"        1  2001:db8::1\n"
	"\n"
	"Top reporters\n"
	"        3  notices@agent.example\n"
	"        1  (unknown)\n";

/* test_small_ledger - every section, exactly */
static void
test_small_ledger(void **state)
{
	char *path = xasprintf("%s/ledger.db", top), *text, *hdr;
	struct ledger *st = ledger_open(path);
	int rc;

	add(st, DAY1, "dmca", "Notices@Agent.example", "queued", "192.0.2.7",
	    NULL);
	add(st, DAY1 + 60, "dmca", "notices@agent.example",
	    "suppressed: rate limit", "192.0.2.7", "2001:db8::1");
	add(st, DAY1 + 120, "spam", NULL, NULL, NULL, NULL);
	add(st, DAY2, "dmca", "notices@agent.example", "queued", "192.0.2.7",
	    "192.0.2.7");
	text = run_report(path, 0, &rc);
	assert_int_equal(rc, 0);
	hdr = xasprintf("abuse-milter report: %s\n", path);
	assert_true(strncmp(text, hdr, strlen(hdr)) == 0);
	assert_string_equal(text + strlen(hdr), want_all);
	free(text);
	free(hdr);
	/* the report reads while the milter's handle is still open */
	add(st, time(NULL) - 3600, "abuse", "fail2ban@example.org", "queued",
	    "198.51.100.9", NULL);
	text = run_report(path, 7 * 86400, &rc);
	assert_int_equal(rc, 0);
	assert_non_null(strstr(text, "period: since "));
	assert_non_null(strstr(text, " UTC (last 7d)\n"));
	assert_non_null(strstr(text, "        1  abuse\n"));
	assert_non_null(strstr(text, "        1  198.51.100.9\n"));
	assert_null(strstr(text, "dmca"));
	assert_null(strstr(text, "192.0.2.7"));
	free(text);
	ledger_close(st);
	free(path);
}

/* test_empty - a fresh ledger prints its empty sections */
static void
test_empty(void **state)
{
	char *path = xasprintf("%s/empty.db", top), *text;
	int rc;

	ledger_close(ledger_open(path));
	text = run_report(path, 5400, &rc);
	assert_int_equal(rc, 0);
	assert_non_null(strstr(text, " UTC (last 90m)\n"));
	assert_non_null(strstr(text, "Complaints per category\n"
	    "  no complaints\n"));
	assert_non_null(strstr(text, "Top reporters\n  no reporters\n"));
	free(text);
	free(path);
}

static const struct {
	const char *label;
	const char *content;	/* NULL: no file; "": an empty SQLite db */
} unreadable[] = {
	{ "missing", NULL },
	{ "garbage", "this is not a database, not even close to one.....\n"
	    "..............................................................\n" },
	{ "not ours", "" },
};

/* test_unreadable - exit code 1, nothing on out */
static void
test_unreadable(void **state)
{
	size_t i;

	for (i = 0; i < sizeof(unreadable) / sizeof(unreadable[0]); i++) {
		char *path = xasprintf("%s/bad%zu.db", top, i), *text;
		int rc;

		if (unreadable[i].content && *unreadable[i].content) {
			FILE *f = fopen(path, "w");

			assert_non_null(f);
			fputs(unreadable[i].content, f);
			fclose(f);
		} else if (unreadable[i].content) {
			sqlite3 *db;

			assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
			assert_int_equal(sqlite3_exec(db, "CREATE TABLE t(x)",
			    NULL, NULL, NULL), SQLITE_OK);
			sqlite3_close(db);
		}
		text = run_report(path, 0, &rc);
		if (rc != 1 || *text != '\0')
			fail_msg("%s: rc %d, output \"%s\"", unreadable[i].label,
			    rc, text);
		free(text);
		free(path);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_small_ledger),
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_unreadable),
	};
	int rc;

	if (mkdtemp(top) == NULL)
		return 1;
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	testutil_rm_rf(top);
	return rc;
}
