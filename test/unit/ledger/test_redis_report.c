/*
 * test_redis_report.c - redis_report.c (and report_count.c) against a
 * real redis-server (test/redis/run.sh starts it and exports
 * REDIS_SOCK; alone the program is skipped, 77):
 *  - the same complaints, written through reply_decide_complaint to
 *    this host's SQLite ledger and to the Redis stream, give the same
 *    report tables, row by row, for all complaints and for a period;
 *  - an address named twice in one complaint counts once there too;
 *  - complaints older than the period (a migrated ledger: old times,
 *    new stream ids) are left out by their time, not their id;
 *  - a server that is not there: -1 and the reason, empty tables;
 *  - the label names the server but never the url's password.
 */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "ledger/ledger.h"
#include "ledger/ledger_report.h"
#include "ledger/redis_report.h"
#include "ledger/redis_state.h"
#include "ledger/reply_decide.h"
#include "testutil.h"
#include "redis_main.h"

static char tmpdir[] = "/tmp/test_redis_report.XXXXXX";
static const char *sock;	/* the server run.sh started */

/* conf_for - a redis_conf on a unix socket with this prefix */
static struct redis_conf
conf_for(const char *path, const char *prefix)
{
	static char url[600];
	struct redis_conf c = { .url = url, .prefix = (char *)prefix,
	    .sentinel_master = "mymaster", .timeout_ms = 200 };

	snprintf(url, sizeof(url), "unix:%s", path);
	return c;
}

/* same_tables - every table of a and b, row by row */
static void
same_tables(const struct ledger_report *a, const struct ledger_report *b)
{
	assert_int_equal(a->complaints, b->complaints);
	for (int i = 0; i < REPORT_NTABLES; i++) {
		assert_int_equal(a->t[i].n, b->t[i].n);
		for (size_t j = 0; j < a->t[i].n; j++) {
			const struct report_row *x = &a->t[i].v[j];
			const struct report_row *y = &b->t[i].v[j];

			assert_int_equal(x->n, y->n);
			assert_string_equal(x->key[0], y->key[0]);
			if (a->t[i].nkeys == 2)
				assert_string_equal(x->key[1], y->key[1]);
		}
	}
}

/* write_both - n complaints spread over days, categories, reporters,
 * replies and addresses, some fields missing, into both ledgers */
static void
write_both(struct ledger *local, struct redis_state *rs, int n, time_t now)
{
	static const char *const cats[] = { "spam", "dmca", "abuse" };
	static const char *const replies[] = { "queued",
	    "suppressed: rate limit", NULL };
	static const char *const who[] = { "Alice@Example.NET",
	    "bob@example.org", NULL, "carol@example.com" };

	for (int i = 0; i < n; i++) {
		struct strvec ips;
		char qid[32];
		struct ledger_complaint c = { .time = now - (time_t)i * 9000,
		    .qid = qid, .category = cats[i % 3], .rule = "r",
		    .reporter = who[i % 4], .reply = replies[i % 3],
		    .ips = &ips };

		snprintf(qid, sizeof(qid), "Q%d", i);
		strvec_init(&ips);
		if (i % 5 != 4)
			strvec_push_owned(&ips, xasprintf("192.0.2.%d", i % 7));
		if (i % 2 == 0)
			strvec_push(&ips, "2001:db8::1");
		if (i % 6 == 0)	/* the same address twice: counts once */
			strvec_push(&ips, "2001:db8::1");
		assert_int_equal(reply_decide_complaint(local, rs, &c), 0);
		strvec_free(&ips);
	}
}

/* test_same_as_sqlite - one set of complaints, two ledgers, one report */
static void
test_same_as_sqlite(void **state)
{
	struct redis_conf conf = conf_for(sock, "rep1:");
	char *db = xasprintf("%s/state.db", tmpdir), err[512];
	struct ledger *local = ledger_open(db);
	struct redis_state *rs = redis_state_open(&conf);
	struct ledger_report a, b;
	long periods[] = { 0, 86400, 3 * 86400 };

	(void)state;
	write_both(local, rs, 60, time(NULL));
	for (size_t p = 0; p < sizeof(periods) / sizeof(*periods); p++) {
		assert_int_equal(ledger_report_load(db, periods[p], &a), 0);
		assert_int_equal(redis_report_load(&conf, periods[p], &b, err,
		    sizeof(err)), 0);
		assert_true(a.complaints > 0);
		assert_true(b.t[REPORT_TOP_ADDRESSES].n > 0);
		same_tables(&a, &b);
		ledger_report_free(&a);
		ledger_report_free(&b);
	}
	redis_state_close(rs);
	ledger_close(local);
	free(db);
}

/* test_pages - more entries than one XRANGE page, and old complaints
 * added last (as --migrate-state does): the period is their time */
static void
test_pages(void **state)
{
	struct redis_conf conf = conf_for(sock, "rep2:");
	struct redis_state *rs = redis_state_open(&conf);
	struct ledger_report r;
	time_t now = time(NULL);
	char err[512];
	int n = REDIS_REPORT_PAGE * 2 + 5;

	(void)state;
	for (int i = 0; i < n; i++) {
		struct ledger_complaint c = { .time = now - 60,
		    .category = "spam", .reporter = "x@example.net" };

		assert_int_equal(redis_state_record_complaint(rs, &c), 0);
	}
	for (int i = 0; i < 7; i++) {
		struct ledger_complaint c = { .time = now - 30 * 86400,
		    .category = "old", .reporter = "x@example.net" };

		assert_int_equal(redis_state_record_complaint(rs, &c), 0);
	}
	assert_int_equal(redis_report_load(&conf, 86400, &r, err,
	    sizeof(err)), 0);
	assert_int_equal(r.complaints, n);
	assert_int_equal(r.t[REPORT_PER_CATEGORY].n, 1);
	ledger_report_free(&r);
	assert_int_equal(redis_report_load(&conf, 0, &r, err, sizeof(err)), 0);
	assert_int_equal(r.complaints, n + 7);
	ledger_report_free(&r);
	redis_state_close(rs);
}

/* test_unreachable - no server: -1 with the reason, empty tables */
static void
test_unreachable(void **state)
{
	char *nowhere = xasprintf("%s/nothing.sock", tmpdir), err[512] = "";
	struct redis_conf conf = conf_for(nowhere, "rep3:");
	struct ledger_report r;

	(void)state;
	assert_int_equal(redis_report_load(&conf, 0, &r, err, sizeof(err)), -1);
	assert_true(err[0] != '\0');
	assert_int_equal(r.complaints, 0);
	for (int i = 0; i < REPORT_NTABLES; i++)
		assert_int_equal(r.t[i].n, 0);
	ledger_report_free(&r);
	free(nowhere);
}

/* test_label - the server, never the password */
static void
test_label(void **state)
{
	struct redis_conf conf = { .url = "redis://u:s3cret@10.0.0.5:6380/2",
	    .prefix = "am:" };
	char *label = redis_report_label(&conf);

	(void)state;
	assert_non_null(strstr(label, "10.0.0.5:6380 db 2"));
	assert_non_null(strstr(label, "\"am:\""));
	assert_null(strstr(label, "s3cret"));
	free(label);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_same_as_sqlite),
		cmocka_unit_test(test_pages),
		cmocka_unit_test(test_unreachable),
		cmocka_unit_test(test_label),
	};

	return REDIS_TEST_MAIN(tests, &sock, tmpdir);
}
