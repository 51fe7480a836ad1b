/*
 * test_spool.c - the reply spool: write/read round trip, listing order,
 * claim/requeue/release/remove/fail, recovery after a simulated crash
 * (temp file and claimed job left behind) and a table of corrupt job
 * files that must read as "absent", never crash or leak.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "reply/spool.h"
#include "util/util.h"
#include "testutil.h"

static char top[] = "/tmp/test_spool.XXXXXX";
static char *dir;		/* top/a/spool: created by spool_init */

/* put_file - write exactly these bytes to dir/name */
static void
put_file(const char *name, const char *data, size_t len)
{
	char *p = xasprintf("%s/%s", dir, name);
	FILE *f = fopen(p, "w");

	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	fclose(f);
	free(p);
}

/* exists - does dir/name exist? */
static bool
exists(const char *name)
{
	char *p = xasprintf("%s/%s", dir, name);
	bool ok = access(p, F_OK) == 0;

	free(p);
	return ok;
}

/* sample - a job with every field set */
static struct spool_job
sample(const char *rcpt)
{
	static char msg[] = "From: abuse@example.org\nTo: x\n\nbody\n\n-- \n";

	return (struct spool_job){ .sender = "", .rcpt = (char *)rcpt,
	    .category = "dmca", .qid = "4AbC12", .case_id = "48213",
	    .msg = msg, .len = strlen(msg) };
}

/* test_init - nested directories with mode 0700 */
static void
test_init(void **state)
{
	struct stat st;
	char *failed = xasprintf("%s/failed", dir);

	assert_int_equal(spool_init(dir), 0);
	assert_int_equal(stat(dir, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0700);
	assert_int_equal(stat(failed, &st), 0);
	assert_true(S_ISDIR(st.st_mode));
	assert_int_equal(spool_init(dir), 0);	/* again: no error */
	free(failed);
	/* a file where the directory should be */
	put_file("plainfile", "x", 1);
	failed = xasprintf("%s/plainfile/sub", dir);
	assert_int_equal(spool_init(failed), -1);
	free(failed);
	failed = xasprintf("%s/plainfile", dir);
	unlink(failed);
	free(failed);
}

/* test_roundtrip - what is written reads back the same */
static void
test_roundtrip(void **state)
{
	struct spool_job j = sample("reporter@example.net"), r;
	char *name;

	j.created = 1700000000;
	j.attempts = 2;
	j.next_try = 1700000600;
	assert_int_equal(spool_write(dir, &j, &name), 0);
	assert_true(strncmp(name, "q.", 2) == 0);
	assert_int_equal(spool_read(dir, name, &r), 0);
	assert_string_equal(r.sender, "");
	assert_string_equal(r.rcpt, "reporter@example.net");
	assert_string_equal(r.category, "dmca");
	assert_string_equal(r.qid, "4AbC12");
	assert_string_equal(r.case_id, "48213");
	assert_int_equal(r.created, 1700000000);
	assert_int_equal(r.attempts, 2);
	assert_int_equal(r.next_try, 1700000600);
	assert_int_equal(r.len, j.len);
	assert_memory_equal(r.msg, j.msg, j.len);
	spool_job_free(&r);
	/* created/next_try 0 mean now; NULL qid/case id are empty */
	j = sample("b@example.net");
	j.qid = j.case_id = NULL;
	assert_int_equal(spool_write(dir, &j, NULL), 0);
	assert_int_equal(spool_claim(dir, name), 0);
	assert_int_equal(spool_remove(dir, name), 0);
	free(name);
}

static const struct {
	const char *label;
	const char *rcpt, *category, *qid;
} bad_values[] = {
	{ "LF in rcpt", "a@b\nBcc: c@d", "dmca", "Q1" },
	{ "CR in rcpt", "a@b\r", "dmca", "Q1" },
	{ "LF in category", "a@b", "dm\nca", "Q1" },
	{ "LF in qid", "a@b", "dmca", "Q\n1" },
	{ "no rcpt", NULL, "dmca", "Q1" },
	{ "no category", "a@b", NULL, "Q1" },
};

/* test_bad_values - a value that would break the line format is refused */
static void
test_bad_values(void **state)
{
	struct strvec names;
	size_t i;

	strvec_init(&names);
	assert_int_equal(spool_list(dir, &names), 0);
	for (i = 0; i < sizeof(bad_values) / sizeof(bad_values[0]); i++) {
		struct spool_job j = sample("x");

		j.rcpt = (char *)bad_values[i].rcpt;
		j.category = (char *)bad_values[i].category;
		j.qid = (char *)bad_values[i].qid;
		if (spool_write(dir, &j, NULL) != -1)
			fail_msg("%s: accepted", bad_values[i].label);
	}
	strvec_free(&names);
	strvec_init(&names);
	assert_int_equal(spool_list(dir, &names), 0);
	assert_int_equal(names.n, 1);	/* the one test_roundtrip left */
	strvec_free(&names);
}

/* drain - claim and remove every queued job */
static void
drain(void)
{
	struct strvec names;
	size_t i;

	strvec_init(&names);
	assert_int_equal(spool_list(dir, &names), 0);
	for (i = 0; i < names.n; i++) {
		assert_int_equal(spool_claim(dir, names.v[i]), 0);
		assert_int_equal(spool_remove(dir, names.v[i]), 0);
	}
	strvec_free(&names);
}

/* test_list_claim - arrival order; a claimed job is nobody else's */
static void
test_list_claim(void **state)
{
	const char *rcpts[] = { "one@x", "two@x", "three@x" };
	struct strvec names;
	struct spool_job r;
	size_t i;

	drain();
	for (i = 0; i < 3; i++) {
		struct spool_job j = sample(rcpts[i]);

		assert_int_equal(spool_write(dir, &j, NULL), 0);
	}
	put_file("README", "not a job", 9);
	strvec_init(&names);
	assert_int_equal(spool_list(dir, &names), 0);
	assert_int_equal(names.n, 3);
	for (i = 0; i < 3; i++) {
		assert_int_equal(spool_read(dir, names.v[i], &r), 0);
		assert_string_equal(r.rcpt, rcpts[i]);
		spool_job_free(&r);
	}
	assert_int_equal(spool_claim(dir, names.v[0]), 0);
	assert_int_equal(spool_claim(dir, names.v[0]), -1);
	assert_false(exists(names.v[0]));
	assert_int_equal(spool_release(dir, names.v[0]), 0);
	assert_true(exists(names.v[0]));
	strvec_free(&names);
	drain();
	assert_true(exists("README"));
}

/* test_requeue_fail - attempts survive a requeue; failed/ keeps jobs */
static void
test_requeue_fail(void **state)
{
	struct spool_job j = sample("r@x"), r;
	char *name, *c, *f;

	assert_int_equal(spool_write(dir, &j, &name), 0);
	assert_int_equal(spool_claim(dir, name), 0);
	assert_int_equal(spool_read(dir, (c = xasprintf("c.%s", name + 2)),
	    &r), 0);
	r.attempts = 3;
	r.next_try = 1900000000;
	assert_int_equal(spool_requeue(dir, name, &r), 0);
	spool_job_free(&r);
	assert_false(exists(c));
	assert_int_equal(spool_read(dir, name, &r), 0);
	assert_int_equal(r.attempts, 3);
	assert_int_equal(r.next_try, 1900000000);
	assert_string_equal(r.rcpt, "r@x");
	spool_job_free(&r);
	assert_int_equal(spool_claim(dir, name), 0);
	assert_int_equal(spool_fail(dir, c, "Q1", "test"), 0);
	assert_false(exists(c));
	assert_true(exists(f = xasprintf("failed/%s", name + 2)));
	assert_int_equal(spool_fail(dir, c, NULL, "gone"), -1);
	free(f);
	free(c);
	free(name);
}

/* test_crash_recovery - leftovers of a crash are cleaned at start */
static void
test_crash_recovery(void **state)
{
	struct spool_job j = sample("crash@x"), r;
	struct strvec names;
	char *name, *c;

	assert_int_equal(spool_write(dir, &j, &name), 0);
	assert_int_equal(spool_claim(dir, name), 0);	/* then "crash" */
	put_file("t.half", "abuse-milter-job 1\nsender: ", 27);
	assert_int_equal(spool_init(dir), 0);
	assert_false(exists("t.half"));
	assert_false(exists(c = xasprintf("c.%s", name + 2)));
	strvec_init(&names);
	assert_int_equal(spool_list(dir, &names), 0);
	assert_int_equal(names.n, 1);
	assert_string_equal(names.v[0], name);
	assert_int_equal(spool_read(dir, name, &r), 0);
	assert_string_equal(r.rcpt, "crash@x");
	spool_job_free(&r);
	strvec_free(&names);
	drain();
	free(c);
	free(name);
}

/* test_claimed_once - a job claimed but not finished when the process
 * dies (its claim was never synced) is queued again at restart, taken
 * once, and once removed it is gone for good: the next restart finds
 * nothing to send. A removal is synced within SPOOL_FLUSH_SECS. */
static void
test_claimed_once(void **state)
{
	struct spool_job j = sample("once@x");
	struct strvec names;
	char *name;

	assert_int_equal(spool_write(dir, &j, &name), 0);
	assert_int_equal(spool_claim(dir, name), 0);	/* then "crash" */
	assert_int_equal(spool_init(dir), 0);		/* restart */
	strvec_init(&names);
	assert_int_equal(spool_list(dir, &names), 0);
	assert_int_equal(names.n, 1);
	assert_string_equal(names.v[0], name);
	assert_int_equal(spool_claim(dir, name), 0);	/* sent once ... */
	assert_int_equal(spool_claim(dir, name), -1);	/* by one thread */
	assert_int_equal(spool_remove(dir, name), 0);
	assert_true(spool_flush(dir, false) > 0);	/* synced soon ... */
	assert_int_equal(spool_flush(dir, true), 0);	/* or now */
	assert_int_equal(spool_init(dir), 0);		/* restart again */
	strvec_free(&names);
	strvec_init(&names);
	assert_int_equal(spool_list(dir, &names), 0);
	assert_int_equal(names.n, 0);		/* not sent twice */
	strvec_free(&names);
	free(name);
	(void)state;
}

#define NUL_ROW "abuse-milter-job 1\nsender: a\0b\nrcpt: a@b\n" \
	"category: d\nqid: Q\ncase-id: \ncreated: 1\nattempts: 0\n" \
	"next-try: 1\nlength: 0\n\n"
#define HDR "abuse-milter-job 1\nsender: \nrcpt: a@b\ncategory: dmca\n" \
	"qid: Q\ncase-id: \ncreated: 1\nattempts: 0\nnext-try: 1\n"

static const struct {
	const char *label;
	const char *data;
	size_t len;		/* 0: strlen; rows with a NUL use sizeof - 1 */
} corrupt[] = {
	{ "valid (control row)", HDR "length: 3\n\nhi\n", 0 },
	{ "empty file", "", 0 },
	{ "bad magic", "abuse-milter-job 9\n", 0 },
	{ "truncated header", HDR "len", 0 },
	{ "no blank line", HDR "length: 3\n", 0 },
	{ "message truncated", HDR "length: 30\n\nhi\n", 0 },
	{ "message too long", HDR "length: 1\n\nhi\n", 0 },
	{ "length missing", HDR "\nhi\n", 0 },
	{ "negative length", HDR "length: -3\n\nhi\n", 0 },
	{ "length not a number", HDR "length: 3x\n\nhi\n", 0 },
	{ "length overflow", HDR "length: 99999999999999999999999\n\nhi\n",
	    0 },
	{ "duplicate key", HDR "rcpt: c@d\nlength: 3\n\nhi\n", 0 },
	{ "line without colon", HDR "garbage\nlength: 3\n\nhi\n", 0 },
	{ "NUL in header", NUL_ROW, sizeof(NUL_ROW) - 1 },
	{ "missing rcpt", "abuse-milter-job 1\nsender: \ncategory: dmca\n"
	    "qid: Q\ncase-id: \ncreated: 1\nattempts: 0\nnext-try: 1\n"
	    "length: 0\n\n", 0 },
};

/* test_corrupt - every damaged file reads as absent; the valid row
 * proves the table's files are otherwise well-formed */
static void
test_corrupt(void **state)
{
	size_t i;

	for (i = 0; i < sizeof(corrupt) / sizeof(corrupt[0]); i++) {
		size_t len = corrupt[i].len ? corrupt[i].len
		    : strlen(corrupt[i].data);
		struct spool_job r;
		int want = i == 0 ? 0 : -1;

		put_file("q.corrupt", corrupt[i].data, len);
		if (spool_read(dir, "q.corrupt", &r) != want)
			fail_msg("%s: spool_read != %d", corrupt[i].label, want);
		if (want == 0)
			assert_string_equal(r.msg, "hi\n");
		else
			assert_null(r.rcpt);
		spool_job_free(&r);
	}
	assert_int_equal(spool_claim(dir, "q.corrupt"), 0);
	assert_int_equal(spool_fail(dir, "c.corrupt", NULL, "corrupt"), 0);
	assert_true(exists("failed/corrupt"));
	/* a file that vanished is absent too */
	{
		struct spool_job r;

		assert_int_equal(spool_read(dir, "q.nothing", &r), -1);
		spool_job_free(&r);
	}
}

/* test_unknown_key - a newer writer's extra key is ignored */
static void
test_unknown_key(void **state)
{
	const char data[] = HDR "priority: 5\nlength: 2\n\nok";
	struct spool_job r;

	put_file("q.newer", data, strlen(data));
	assert_int_equal(spool_read(dir, "q.newer", &r), 0);
	assert_int_equal(r.len, 2);
	spool_job_free(&r);
	assert_int_equal(spool_claim(dir, "q.newer"), 0);
	assert_int_equal(spool_remove(dir, "q.newer"), 0);
}

/* test_no_dir - writing into a missing spool fails cleanly */
static void
test_no_dir(void **state)
{
	struct spool_job j = sample("x@y");
	char *missing = xasprintf("%s/missing", top);
	struct strvec names;

	assert_int_equal(spool_write(missing, &j, NULL), -1);
	strvec_init(&names);
	assert_int_equal(spool_list(missing, &names), -1);
	strvec_free(&names);
	free(missing);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_init),
		cmocka_unit_test(test_roundtrip),
		cmocka_unit_test(test_bad_values),
		cmocka_unit_test(test_list_claim),
		cmocka_unit_test(test_requeue_fail),
		cmocka_unit_test(test_crash_recovery),
		cmocka_unit_test(test_claimed_once),
		cmocka_unit_test(test_corrupt),
		cmocka_unit_test(test_unknown_key),
		cmocka_unit_test(test_no_dir),
	};
	int rc;

	if (mkdtemp(top) == NULL)
		return 1;
	dir = xasprintf("%s/a/spool", top);
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	testutil_rm_rf(top);
	free(dir);
	return rc;
}
