/*
 * test_reply_queue.c - complaint/reply_queue.c and reply_store.c on a
 * real configuration,
 * ledger and spool: a reply that meets a locked ledger or an unwritable
 * spool is "deferred", not lost, and the retry spools it; a damaged
 * ledger is replaced at start and the reply queued; recipients differing
 * only in +detail share one rate limit; the cap per domain holds across
 * recipients.
 */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include <sqlite3.h>

#include "complaint/complaint.h"
#include "complaint/reply_queue.h"
#include "complaint/reply_store.h"
#include "reply/retry.h"
#include "util/util.h"
#include "testutil.h"

static char dir[] = "/tmp/test_reply_queue.XXXXXX";
static struct config *cfg;
static char *spool, *db;

/* put - write text to dir/name; the path, malloc'd */
static char *
put(const char *name, const char *text)
{
	char *path = xasprintf("%s/%s", dir, name);
	FILE *fp = fopen(path, "w");

	assert_non_null(fp);
	fputs(text, fp);
	fclose(fp);
	return path;
}

/* setup - a configuration that answers "abuse" complaints */
static int
setup(void **state)
{
	char err[1024], *tpl, *text, *conf;

	if (mkdtemp(dir) == NULL)
		return -1;
	tpl = put("t.txt", "Subject: Re: your report\n\nDear ${to_name},\n"
	    "thank you.\n");
	spool = xasprintf("%s/spool", dir);
	db = xasprintf("%s/state.db", dir);
	text = xasprintf("mailboxes = {\"abuse@example.org\"}\n"
	    "our_networks = {\"192.0.2.0/24\"}\n"
	    "spool_dir = \"%s\"\nstate_db = \"%s\"\n"
	    "reply {\n from = \"Abuse <abuse@example.org>\"\n"
	    " rate_limit = \"5/1h\"\n max_per_domain = 8\n"
	    " max_per_hour = 200\n}\n"
	    "category abuse {\n reply = true\n template = \"%s\"\n"
	    " rule scan {\n  body = '(?i)scan'\n }\n}\n"
	    "category other {\n}\n", spool, db, tpl);
	conf = put("c.conf", text);
	cfg = config_load(conf, err, sizeof(err));
	if (cfg == NULL)
		fprintf(stderr, "%s\n", err);
	free(tpl);
	free(text);
	free(conf);
	return cfg == NULL ? -1 : 0;
}

/* teardown - everything under dir */
static int
teardown(void **state)
{
	config_unref(cfg);
	free(spool);
	free(db);
	return testutil_rm_rf(dir);
}

/* queued_jobs - q.* files in the spool */
static int
queued_jobs(void)
{
	DIR *d = opendir(spool);
	struct dirent *de;
	int n = 0;

	while (d != NULL && (de = readdir(d)) != NULL)
		n += strncmp(de->d_name, "q.", 2) == 0;
	if (d != NULL)
		closedir(d);
	return n;
}

/* reply_to - analyse a port scan complaint from `from` and run the reply
 * steps; the X-Abuse-Reply value (caller frees) */
static char *
reply_to(const char *from, bool *queued)
{
	char *text = xasprintf("From: %s\nTo: abuse@example.org\n"
	    "Subject: port scan\nMessage-ID: <%p.%d@x.example>\n\n"
	    "Port scan from 192.0.2.10.\n", from, (void *)&text, rand());
	struct complaint c;
	bool recorded;
	char *r;

	complaint_analyze(cfg, text, strlen(text), from, &c);
	r = reply_queue_reply(cfg, &c, "QID", queued, &recorded);
	complaint_free(&c);
	free(text);
	return r;
}

/* test_locked - deferred while the ledger is locked, spooled by the
 * retry once it is free */
static void
test_locked(void **state)
{
	sqlite3 *other;
	time_t next;
	bool queued;
	char *r;

	assert_int_equal(reply_queue_init(cfg), 0);
	assert_int_equal(sqlite3_open(db, &other), SQLITE_OK);
	assert_int_equal(sqlite3_exec(other, "BEGIN EXCLUSIVE", NULL, NULL,
	    NULL), SQLITE_OK);
	r = reply_to("soc@victim.example", &queued);
	assert_string_equal(r, "deferred");
	assert_false(queued);
	free(r);
	assert_int_equal(queued_jobs(), 0);
	/* not due yet: nothing happens */
	assert_int_equal(reply_store_retry(cfg, time(NULL) - 1, &next), 0);
	assert_true(next > 0);
	/* due, still locked: it waits on */
	assert_int_equal(reply_store_retry(cfg, next, &next), 0);
	assert_true(next > 0);
	assert_int_equal(sqlite3_exec(other, "COMMIT", NULL, NULL, NULL),
	    SQLITE_OK);
	sqlite3_close(other);
	assert_int_equal(reply_store_retry(cfg, next, &next), 1);
	assert_int_equal(next, 0);
	assert_int_equal(queued_jobs(), 1);
	reply_queue_shutdown(cfg);
}

/* test_spool_error - deferred while the spool cannot be written (a file
 * where the directory should be), spooled once it can */
static void
test_spool_error(void **state)
{
	char *moved = xasprintf("%s.away", spool);
	time_t next;
	bool queued;
	char *r;
	FILE *fp;

	assert_int_equal(reply_queue_init(cfg), 0);
	assert_int_equal(rename(spool, moved), 0);
	assert_non_null(fp = fopen(spool, "w"));
	fclose(fp);
	r = reply_to("desk@other.example", &queued);
	assert_string_equal(r, "deferred");
	free(r);
	assert_int_equal(reply_store_retry(cfg, time(NULL) + REPLY_RETRY_FIRST,
	    &next), 0);
	assert_int_equal(unlink(spool), 0);
	assert_int_equal(rename(moved, spool), 0);
	assert_int_equal(reply_store_retry(cfg, next, &next), 1);
	assert_int_equal(queued_jobs(), 2);
	reply_queue_shutdown(cfg);
	free(moved);
}

/* test_last_try - deferred replies get one more try at shutdown: the
 * one whose spool came back is queued, the other is lost (logged) */
static void
test_last_try(void **state)
{
	char *moved = xasprintf("%s.away", spool);
	int before;
	bool queued;
	char *r;
	FILE *fp;

	before = queued_jobs();
	assert_int_equal(reply_queue_init(cfg), 0);
	assert_int_equal(rename(spool, moved), 0);
	assert_non_null(fp = fopen(spool, "w"));
	fclose(fp);
	r = reply_to("late@fourth.example", &queued);
	assert_string_equal(r, "deferred");
	free(r);
	assert_int_equal(unlink(spool), 0);
	assert_int_equal(rename(moved, spool), 0);
	reply_queue_shutdown(cfg);
	assert_int_equal(queued_jobs(), before + 1);

	/* still broken at shutdown: nothing written, nothing crashes */
	assert_int_equal(reply_queue_init(cfg), 0);
	assert_int_equal(rename(spool, moved), 0);
	assert_non_null(fp = fopen(spool, "w"));
	fclose(fp);
	r = reply_to("later@fifth.example", &queued);
	assert_string_equal(r, "deferred");
	free(r);
	reply_queue_shutdown(cfg);
	assert_int_equal(unlink(spool), 0);
	assert_int_equal(rename(moved, spool), 0);
	assert_int_equal(queued_jobs(), before + 1);
	free(moved);
}

/* test_corrupt_start - garbage for a ledger: replaced at start, the
 * reply is queued */
static void
test_corrupt_start(void **state)
{
	bool queued;
	char *r;
	FILE *fp;

	unlink(db);
	assert_non_null(fp = fopen(db, "w"));
	for (int i = 0; i < 4096; i++)
		fputc(i * 13 + 1, fp);
	fclose(fp);
	assert_int_equal(reply_queue_init(cfg), 0);
	r = reply_to("noc@third.example", &queued);
	assert_string_equal(r, "queued");
	assert_true(queued);
	free(r);
	reply_queue_shutdown(cfg);
}

/* test_limits - victim+1..20: one rate limit (5); then other people of
 * that domain until the cap per domain (8) */
static void
test_limits(void **state)
{
	int sent = 0, limited = 0, domain = 0;
	bool queued;
	char *r, *from;

	assert_int_equal(reply_queue_init(cfg), 0);
	for (int i = 1; i <= 20; i++) {
		from = xasprintf("Victim <Victim+%d@spray.example>", i);
		r = reply_to(from, &queued);
		sent += queued;
		limited += strcmp(r, "suppressed: rate limit") == 0;
		free(r);
		free(from);
	}
	assert_int_equal(sent, 5);
	assert_int_equal(limited, 15);
	for (int i = 1; i <= 5; i++) {
		from = xasprintf("user%d@mx%d.spray.example", i, i);
		r = reply_to(from, &queued);
		sent += queued;
		domain += strcmp(r, "suppressed: rate limit (domain)") == 0;
		free(r);
		free(from);
	}
	assert_int_equal(sent, 8);
	assert_int_equal(domain, 2);
	reply_queue_shutdown(cfg);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_locked),
		cmocka_unit_test(test_spool_error),
		cmocka_unit_test(test_last_try),
		cmocka_unit_test(test_corrupt_start),
		cmocka_unit_test(test_limits),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
