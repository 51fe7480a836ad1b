/*
 * test_worker.c - the reply workers against fake sendmail programs:
 * a sendmail that fails three times then succeeds delivers exactly
 * once; jobs already in the spool are resumed at start; several jobs on
 * several threads each go out once; a job not yet due is left alone; a
 * permanent failure, a job past max_age and a corrupt file end in
 * failed/; worker_stop, while a sendmail hangs, kills it (the whole
 * process group) and leaves that job in the queue untouched; a reply
 * deferred by a locked ledger is sent by the workers once it is free;
 * a sendmail slower than half of reply.timeout is warned about once.
 *
 * The worker reads its settings through config_current(); this test
 * provides config_current/config_unref itself over a static config, so
 * it needs nothing from config.c (the linker then never pulls it in).
 */
#include <dirent.h>
#include <fcntl.h>
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

#include "complaint/reply_store.h"
#include "config/config.h"
#include "reply/spool.h"
#include "util/log.h"
#include "util/util.h"
#include "protocol/worker.h"
#include "testutil.h"

#ifndef TEST_SRCDIR
#define TEST_SRCDIR "."
#endif

static char top[] = "/tmp/test_worker.XXXXXX";
static struct config test_cfg;

/* config_current - the test's stand-in for config.c */
struct config *
config_current(void)
{
	return &test_cfg;
}

/* config_unref - nothing to release: the config is static */
void
config_unref(struct config *cfg)
{
}

/* setup_cfg - a fresh spool and this fake sendmail with one argument */
static char *
setup_cfg(const char *name, const char *script, const char *arg)
{
	free(test_cfg.spool_dir);
	strvec_free(&test_cfg.reply.sendmail);
	test_cfg.spool_dir = xasprintf("%s/%s", top, name);
	strvec_init(&test_cfg.reply.sendmail);
	strvec_push_owned(&test_cfg.reply.sendmail,
	    xasprintf("%s/test/unit/data/%s", TEST_SRCDIR, script));
	if (arg)
		strvec_push(&test_cfg.reply.sendmail, arg);
	test_cfg.reply.timeout = 10;
	test_cfg.reply.retry = 1;
	test_cfg.reply.max_age = 3600;
	assert_int_equal(spool_init(test_cfg.spool_dir), 0);
	return test_cfg.spool_dir;
}

/* queue - write one job with this message */
static void
queue(const char *text, time_t next_try)
{
	struct spool_job j = { .sender = "", .rcpt = "reporter@example.net",
	    .category = "dmca", .qid = "QID1", .case_id = "",
	    .msg = (char *)text, .len = strlen(text), .next_try = next_try };

	assert_int_equal(spool_write(test_cfg.spool_dir, &j, NULL), 0);
}

/* count_files - entries of dir/sub whose name starts with prefix */
static int
count_files(const char *sub, const char *prefix)
{
	char *path = xasprintf("%s/%s", test_cfg.spool_dir, sub);
	DIR *d = opendir(path);
	struct dirent *de;
	int n = 0;

	free(path);
	if (d == NULL)
		return -1;
	while ((de = readdir(d)) != NULL)
		if (de->d_name[0] != '.'
		    && strncmp(de->d_name, prefix, strlen(prefix)) == 0)
			n++;
	closedir(d);
	return n;
}

/* occurrences - how often needle is in the file at path */
static int
occurrences(const char *path, const char *needle)
{
	char *s = testutil_slurp(path), *p;
	int n = 0;

	for (p = s; p && (p = strstr(p, needle)) != NULL; p++)
		n++;
	free(s);
	return n;
}

/* wait_files - poll until count_files(sub, prefix) == want, or secs */
static bool
wait_files(const char *sub, const char *prefix, int want, int secs)
{
	int i;

	for (i = 0; i < secs * 10; i++) {
		if (count_files(sub, prefix) == want)
			return true;
		usleep(100000);
	}
	return count_files(sub, prefix) == want;
}

/* test_flaky_once - three temporary failures, then exactly one copy */
static void
test_flaky_once(void **state)
{
	char *prefix = xasprintf("%s/flaky", top), *p;
	int i;

	setup_cfg("flaky-spool", "sendmail-flaky.sh", prefix);
	queue("Subject: flaky\n\nonly once\n", 0);
	assert_int_equal(worker_start(2), 0);
	worker_kick();
	/* backoff 1 + 2 + 4 s, the bound is generous */
	p = xasprintf("%s.delivered", prefix);
	for (i = 0; i < 300 && access(p, F_OK) != 0; i++)
		usleep(100000);
	assert_int_equal(access(p, F_OK), 0);
	assert_true(wait_files(".", "q.", 0, 5));
	assert_true(wait_files(".", "c.", 0, 5));
	sleep(2);	/* room for a wrong second delivery to show */
	worker_stop();
	assert_int_equal(occurrences(p, "only once"), 1);
	free(p);
	{
		char *calls = testutil_slurp(p = xasprintf("%s.count", prefix));

		assert_non_null(calls);
		assert_string_equal(calls, "4\n");	/* 3 failures, 1 success */
		free(calls);
	}
	free(p);
	assert_int_equal(count_files("failed", ""), 0);
	free(prefix);
}

/* delivered_all - does path hold "job A".."job F" once each? */
static bool
delivered_all(const char *path)
{
	int i;

	for (i = 0; i < 6; i++) {
		char *text = xasprintf("job %c\n", 'A' + i);
		int n = occurrences(path, text);

		free(text);
		if (n != 1)
			return false;
	}
	return true;
}

/* test_resume_many - jobs present at start and new ones, three
 * threads: each delivered exactly once; a future job stays queued */
static void
test_resume_many(void **state)
{
	char *out = xasprintf("%s/many.delivered", top);
	int i;

	setup_cfg("many-spool", "sendmail-append.sh", out);
	queue("job A\n", 0);
	queue("job B\n", 0);
	queue("later job\n", time(NULL) + 3600);
	assert_int_equal(worker_start(3), 0);
	for (i = 0; i < 4; i++) {
		char *text = xasprintf("job %c\n", 'C' + i);

		queue(text, 0);
		worker_kick();
		free(text);
	}
	for (i = 0; i < 200 && !delivered_all(out); i++)
		usleep(100000);
	assert_true(wait_files(".", "c.", 0, 5));
	sleep(1);	/* room for a wrong second delivery to show */
	worker_stop();
	assert_true(delivered_all(out));
	assert_int_equal(occurrences(out, "later job"), 0);
	assert_int_equal(count_files(".", "q."), 1);
	assert_int_equal(count_files("failed", ""), 0);
	free(out);
}

/* test_permanent - exit 67 goes to failed/ without a retry */
static void
test_permanent(void **state)
{
	setup_cfg("perm-spool", "sendmail-exit.sh", "67");
	queue("refused\n", 0);
	assert_int_equal(worker_start(1), 0);
	worker_kick();
	assert_true(wait_files("failed", "", 1, 10));
	worker_stop();
	assert_int_equal(count_files(".", "q."), 0);
	assert_int_equal(count_files(".", "c."), 0);
}

/* test_max_age - always temporary: given up at created + max_age */
static void
test_max_age(void **state)
{
	struct spool_job r;
	char *path;
	DIR *d;
	struct dirent *de;

	setup_cfg("age-spool", "sendmail-exit.sh", "75");
	test_cfg.reply.max_age = 2;
	queue("never\n", 0);
	assert_int_equal(worker_start(1), 0);
	worker_kick();
	assert_true(wait_files("failed", "", 1, 20));
	worker_stop();
	assert_int_equal(count_files(".", "q."), 0);
	/* the failed job records its attempts: more than one, few */
	path = xasprintf("%s/failed", test_cfg.spool_dir);
	assert_non_null(d = opendir(path));
	while ((de = readdir(d)) != NULL)
		if (de->d_name[0] != '.')
			break;
	assert_non_null(de);
	assert_int_equal(spool_read(path, de->d_name, &r), 0);
	closedir(d);
	/* the failed file keeps the attempts before the last one */
	assert_true(r.attempts >= 1 && r.attempts <= 4);
	spool_job_free(&r);
	free(path);
}

/* test_corrupt - a damaged job file is moved away, not retried */
static void
test_corrupt(void **state)
{
	char *path;
	FILE *f;

	setup_cfg("corrupt-spool", "sendmail-exit.sh", "0");
	path = xasprintf("%s/q.00000000001.000000000.1.1", test_cfg.spool_dir);
	assert_non_null(f = fopen(path, "w"));
	fputs("abuse-milter-job 1\nsender: \nrcpt: a@b\n", f);
	fclose(f);
	free(path);
	assert_int_equal(worker_start(1), 0);
	assert_true(wait_files("failed", "", 1, 10));
	worker_stop();
	assert_int_equal(count_files(".", "q."), 0);
}

/* test_stop_hang - stop kills the hung sendmail's group; the job stays
 * queued as it was, claimed by no one */
static void
test_stop_hang(void **state)
{
	char *pidfile = xasprintf("%s/hang.pid", top);
	struct strvec names;
	struct spool_job r;
	char *pid;
	int i;

	setup_cfg("hang-spool", "sendmail-hang.sh", pidfile);
	test_cfg.reply.timeout = 300;
	queue("stuck\n", 0);
	assert_int_equal(worker_start(2), 0);
	worker_kick();
	for (i = 0; i < 100 && access(pidfile, F_OK) != 0; i++)
		usleep(100000);
	assert_int_equal(access(pidfile, F_OK), 0);
	worker_stop();
	/* the sleeping grandchild went with the group (the kernel may take
	 * a moment to finish it: bounded steps, no clock) */
	assert_non_null(pid = testutil_slurp(pidfile));
	for (i = 0; i < 100 && !testutil_proc_gone(atol(pid)); i++)
		usleep(50000);
	assert_true(testutil_proc_gone(atol(pid)));
	free(pid);
	strvec_init(&names);
	assert_int_equal(spool_list(test_cfg.spool_dir, &names), 0);
	assert_int_equal(names.n, 1);
	assert_int_equal(spool_read(test_cfg.spool_dir, names.v[0], &r), 0);
	assert_int_equal(r.attempts, 0);
	assert_string_equal(r.msg, "stuck\n");
	spool_job_free(&r);
	strvec_free(&names);
	assert_int_equal(count_files(".", "c."), 0);
	free(pidfile);
}

/* test_deferred - a reply the ledger could not take (locked by another
 * process) waits in reply_store's retry queue; once the ledger is free
 * the workers spool it and hand it to sendmail, exactly once */
static void
test_deferred(void **state)
{
	char *out = xasprintf("%s/deferred.delivered", top);
	struct reply_retry_item *it = xcalloc(1, sizeof(*it));
	const char *why;
	sqlite3 *other;
	int i;

	setup_cfg("deferred-spool", "sendmail-append.sh", out);
	free(test_cfg.state_db);
	test_cfg.state_db = xasprintf("%s/deferred.db", top);
	test_cfg.reply.rate_count = 5;
	test_cfg.reply.rate_period = 3600;
	test_cfg.reply.envelope_sender = "";	/* <> */
	assert_int_equal(reply_store_open(&test_cfg), 0);
	assert_int_equal(sqlite3_open(test_cfg.state_db, &other), SQLITE_OK);
	assert_int_equal(sqlite3_exec(other, "BEGIN EXCLUSIVE", NULL, NULL,
	    NULL), SQLITE_OK);
	it->rcpt = xstrdup("soc@victim.example");
	it->rate_key = xstrdup(it->rcpt);
	it->domain = xstrdup("victim.example");
	it->category = xstrdup("abuse");
	it->msg = xstrdup("Subject: late\n\ndeferred once\n");
	assert_int_equal(worker_start(2), 0);
	assert_int_equal(reply_store_put(&test_cfg, it, NULL, NULL, &why),
	    REPLY_DEFERRED);
	assert_string_equal(why, "state unavailable");
	assert_int_equal(count_files(".", "q."), 0);
	assert_int_equal(sqlite3_exec(other, "COMMIT", NULL, NULL, NULL),
	    SQLITE_OK);
	sqlite3_close(other);
	/* the first retry is due after a second; the bound is generous */
	for (i = 0; i < 300 && occurrences(out, "deferred once") == 0; i++)
		usleep(100000);
	assert_true(wait_files(".", "q.", 0, 5));
	sleep(1);	/* room for a wrong second delivery to show */
	worker_stop();
	assert_int_equal(occurrences(out, "deferred once"), 1);
	reply_store_close(NULL);
	test_cfg.reply.envelope_sender = NULL;
	free(out);
}

/* slow_run - deliver `jobs` jobs through sendmail-slow.sh taking
 * `secs` seconds each, reply.timeout 4 s, one thread; the log (a file)
 * afterwards */
static char *
slow_run(const char *name, const char *secs, int jobs)
{
	char *logpath = xasprintf("%s/%s.log", top, name), *text;
	int fd = open(logpath, O_WRONLY | O_CREAT | O_APPEND, 0600), i;

	assert_true(fd >= 0);
	setup_cfg(name, "sendmail-slow.sh", secs);
	test_cfg.reply.timeout = 4;
	for (i = 0; i < jobs; i++)
		queue("Subject: slow\n\nslow\n", 0);
	log_file_set(fd);
	assert_int_equal(worker_start(1), 0);
	worker_kick();
	assert_true(wait_files(".", "q.", 0, 30));
	assert_true(wait_files(".", "c.", 0, 30));
	worker_stop();
	log_file_set(-1);
	text = testutil_slurp(logpath);
	assert_non_null(text);
	free(logpath);
	return text;
}

/* count_in - how often needle is in text */
static int
count_in(const char *text, const char *needle)
{
	int n = 0;

	for (const char *p = text; (p = strstr(p, needle)) != NULL; p++)
		n++;
	return n;
}

/* test_slow - a sendmail that takes more than half of reply.timeout
 * (here 2.5 s of 4 s, the way Sendmail sleeps 60 s of the default 60 s
 * on a host name without a domain) is warned about once, naming that
 * cause; a quick one is not. Only the log is asserted, no clock: 1.5 s
 * of margin on either side of the half, for a loaded machine. */
static void
test_slow(void **state)
{
	char *log;

	log = slow_run("quick-spool", "0", 2);
	assert_int_equal(count_in(log, "reply to reporter@example.net sent"),
	    2);
	assert_int_equal(count_in(log, "sendmail took"), 0);
	free(log);
	log = slow_run("slow-spool", "2.5", 2);
	assert_int_equal(count_in(log, "reply to reporter@example.net sent"),
	    2);
	assert_int_equal(count_in(log, "warning: QID1: sendmail took "), 1);
	assert_int_equal(count_in(log, "s of reply.timeout 4s; a likely cause: "
	    "on a host whose name has no domain, Sendmail's sendmail sleeps "
	    "60s"), 1);
	assert_int_equal(count_in(log, "My unqualified host name"), 1);
	free(log);
}

/* test_misuse - start twice, stop twice, kick while stopped */
static void
test_misuse(void **state)
{
	setup_cfg("misuse-spool", "sendmail-exit.sh", "0");
	worker_kick();
	worker_stop();
	assert_int_equal(worker_start(0), 0);
	assert_int_equal(worker_start(1), -1);
	worker_stop();
	worker_stop();
	worker_kick();
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_flaky_once),
		cmocka_unit_test(test_resume_many),
		cmocka_unit_test(test_permanent),
		cmocka_unit_test(test_max_age),
		cmocka_unit_test(test_corrupt),
		cmocka_unit_test(test_stop_hang),
		cmocka_unit_test(test_deferred),
		cmocka_unit_test(test_slow),
		cmocka_unit_test(test_misuse),
	};
	int rc;

	if (mkdtemp(top) == NULL)
		return 1;
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	testutil_rm_rf(top);
	free(test_cfg.spool_dir);
	free(test_cfg.state_db);
	strvec_free(&test_cfg.reply.sendmail);
	return rc;
}
