/*
 * test_submit.c - submit_run against fake sendmail programs in
 * test/unit/data: exit statuses, a hang killed after the timeout, a
 * cancel, a sendmail that never reads its input, one that records
 * its argv, stdin, descriptors and signal state for us to check, that
 * a child's exit wakes submit_run without ticks, and what becomes of
 * sendmail's output in the reason (/bin/sh -c).
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <cmocka.h>

#include "reply/submit.h"
#include "testutil.h"
#include "util/util.h"

#ifndef TEST_SRCDIR
#define TEST_SRCDIR "."
#endif

static char tmpdir[] = "/tmp/test_submit.XXXXXX";

/* fake - argv for one fake sendmail with up to one fixed argument */
static void
fake(struct strvec *sv, const char *script, const char *arg)
{
	strvec_init(sv);
	strvec_push_owned(sv, xasprintf("%s/test/unit/data/%s", TEST_SRCDIR,
	    script));
	if (arg)
		strvec_push(sv, arg);
}

static const struct {
	const char *label;
	const char *script;
	const char *arg;
	enum submit_result want;
	const char *why;	/* substring of the reason */
} exit_rows[] = {
	{ "exit 0", "sendmail-exit.sh", "0", SUBMIT_OK, "exit status 0" },
	{ "EX_TEMPFAIL", "sendmail-exit.sh", "75", SUBMIT_TEMPFAIL,
	    "exiting with 75" },
	{ "EX_OSERR", "sendmail-exit.sh", "71", SUBMIT_TEMPFAIL, "status 71" },
	{ "EX_NOUSER", "sendmail-exit.sh", "67", SUBMIT_PERMFAIL, "status 67" },
	{ "EX_USAGE", "sendmail-exit.sh", "64", SUBMIT_PERMFAIL, "status 64" },
	{ "exit 1", "sendmail-exit.sh", "1", SUBMIT_PERMFAIL, "status 1" },
	{ "exit 127", "sendmail-exit.sh", "127", SUBMIT_TEMPFAIL, "127" },
	/* posix_spawn reports these as errors; under valgrind (no vfork)
	 * they come back as exit status 127 */
	{ "no such program", "no-such-sendmail", NULL, SUBMIT_TEMPFAIL, "" },
	{ "not executable", "../test_submit.c", NULL, SUBMIT_TEMPFAIL, "" },
};

/* test_exit_status - exit status to outcome, table-driven */
static void
test_exit_status(void **state)
{
	size_t i;

	for (i = 0; i < sizeof(exit_rows) / sizeof(exit_rows[0]); i++) {
		struct strvec av;
		char *why = NULL;
		enum submit_result r;

		fake(&av, exit_rows[i].script, exit_rows[i].arg);
		r = submit_run(&av, "", "a@example.org", "Subject: x\n\nhi\n",
		    16, 10, NULL, &why);
		if (r != exit_rows[i].want || !strstr(why, exit_rows[i].why))
			fail_msg("%s: got %s (%s)", exit_rows[i].label,
			    submit_result_name(r), why);
		free(why);
		strvec_free(&av);
	}
}

/* sig_low - signals 1-31 of a /proc status mask line, or -1 */
static long
sig_low(const char *text, const char *key)
{
	const char *p = strstr(text, key);

	if (p == NULL)
		return -1;
	return (long)(strtoull(p + strlen(key), NULL, 16) & 0x7fffffffULL);
}

/* test_record - argv, stdin, descriptors and signals the child sees */
static void
test_record(void **state)
{
	const char *msg = "From: abuse@example.net\nSubject: Re: x\n\n"
	    "line one\n$TO$ ${x}\n";
	char *prefix = xasprintf("%s/rec", tmpdir), *p, *got, *why;
	int leak = open("/dev/null", O_RDONLY);	/* no O_CLOEXEC on purpose */
	sigset_t usr1, old;
	struct strvec av;

	assert_true(leak >= 3);
	sigemptyset(&usr1);
	sigaddset(&usr1, SIGUSR1);
	pthread_sigmask(SIG_BLOCK, &usr1, &old);
	signal(SIGHUP, SIG_IGN);
	fake(&av, "sendmail-record.sh", prefix);
	assert_int_equal(submit_run(&av, "bounce@example.org",
	    "-oi@example.net", msg, strlen(msg), 10, NULL, &why), SUBMIT_OK);
	free(why);
	signal(SIGHUP, SIG_DFL);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	close(leak);

	got = testutil_slurp(p = xasprintf("%s.argv", prefix));
	assert_string_equal(got, "-i\n-f\nbounce@example.org\n--\n"
	    "-oi@example.net\n");
	free(got);
	free(p);
	got = testutil_slurp(p = xasprintf("%s.msg", prefix));
	assert_string_equal(got, msg);
	free(got);
	free(p);
	/* 3 is ls's own directory handle; nothing of ours */
	got = testutil_slurp(p = xasprintf("%s.fds", prefix));
	assert_string_equal(got, "0\n1\n2\n3\n");
	free(got);
	free(p);
	/* only the classic signals 1-31: glibc's posix_spawn leaves its
	 * two internal real-time signals (32, 33) ignored, and they cannot
	 * be named in a sigset */
	got = testutil_slurp(p = xasprintf("%s.sig", prefix));
	assert_int_equal(sig_low(got, "SigBlk:"), 0);
	assert_int_equal(sig_low(got, "SigIgn:"), 0);
	free(got);
	free(p);
	strvec_free(&av);
	free(prefix);
}

/* test_null_sender - "" goes out as -f <> */
static void
test_null_sender(void **state)
{
	char *prefix = xasprintf("%s/null", tmpdir), *p, *got, *why;
	struct strvec av;

	fake(&av, "sendmail-record.sh", prefix);
	assert_int_equal(submit_run(&av, "", "x@example.net", "", 0, 10, NULL,
	    &why), SUBMIT_OK);
	free(why);
	got = testutil_slurp(p = xasprintf("%s.argv", prefix));
	assert_string_equal(got, "-i\n-f\n<>\n--\nx@example.net\n");
	free(got);
	free(p);
	got = testutil_slurp(p = xasprintf("%s.msg", prefix));
	assert_string_equal(got, "");
	free(got);
	free(p);
	strvec_free(&av);
	free(prefix);
}

/* assert_killed - the hang script's sleeping child (its pid in
 * pidfile) was killed with the group; waits for the kernel to finish
 * it, in bounded steps, and asserts that, not how long it took */
static void
assert_killed(const char *pidfile)
{
	char *got = testutil_slurp(pidfile);
	long child;
	int i;

	assert_non_null(got);
	child = atol(got);
	assert_true(child > 1);
	for (i = 0; i < 100 && !testutil_proc_gone(child); i++)
		usleep(50000);
	assert_true(testutil_proc_gone(child));
	free(got);
}

/* test_timeout - a hung sendmail and its child are killed */
static void
test_timeout(void **state)
{
	char *pidfile = xasprintf("%s/hang.pid", tmpdir), *why;
	struct strvec av;
	enum submit_result r;

	fake(&av, "sendmail-hang.sh", pidfile);
	r = submit_run(&av, "", "x@example.net", "hi\n", 3, 1, NULL, &why);
	assert_int_equal(r, SUBMIT_TEMPFAIL);
	assert_non_null(strstr(why, "timed out after 1s"));
	free(why);
	assert_killed(pidfile);
	free(pidfile);
	strvec_free(&av);
}

/* canceller - sets the flag after a moment */
static void *
canceller(void *arg)
{
	usleep(200000);
	atomic_store((atomic_int *)arg, 1);
	return NULL;
}

/* test_cancel - shutdown ends a submission before its timeout: the
 * result says cancelled (a timeout of 300 s would say "timed out") and
 * the whole group is gone */
static void
test_cancel(void **state)
{
	char *pidfile = xasprintf("%s/cancel.pid", tmpdir), *why;
	atomic_int cancel = 0;
	struct strvec av;
	pthread_t t;

	fake(&av, "sendmail-hang.sh", pidfile);
	pthread_create(&t, NULL, canceller, &cancel);
	assert_int_equal(submit_run(&av, "", "x@example.net", "hi\n", 3, 300,
	    &cancel, &why), SUBMIT_CANCELLED);
	pthread_join(t, NULL);
	assert_non_null(strstr(why, "cancelled"));
	assert_null(strstr(why, "timed out"));
	free(why);
	assert_killed(pidfile);
	free(pidfile);
	strvec_free(&av);
}

/* test_exit_wakes - the child's exit itself wakes submit_run: a
 * sendmail that closes its output and exits a moment later costs no
 * idle wakeup (the fixed 50 ms ticks after the output closed held the
 * workers to about 20 replies a second) */
static void
test_exit_wakes(void **state)
{
	struct strvec av;
	unsigned long before;
	char *why;
	long fd = syscall(SYS_pidfd_open, getpid(), 0);

	if (fd < 0)
		skip();		/* no pidfd here: submit_run ticks */
	close((int)fd);
	strvec_init(&av);
	strvec_push(&av, "/bin/sh");
	strvec_push(&av, "-c");
	strvec_push(&av, "cat >/dev/null; exec >&- 2>&-; sleep 0.3; exit 0");
	before = submit_idle_wakeups();
	assert_int_equal(submit_run(&av, "", "x@example.net", "hi\n", 3, 60,
	    NULL, &why), SUBMIT_OK);
	assert_int_equal(submit_idle_wakeups(), before);
	free(why);
	strvec_free(&av);
}

/* test_no_read - a sendmail that dies unread must not kill us */
static void
test_no_read(void **state)
{
	size_t len = 1 << 20;
	char *msg = xmalloc(len), *why;
	struct strvec av;
	sigset_t pending;

	memset(msg, 'a', len);
	signal(SIGPIPE, SIG_DFL);	/* a stray SIGPIPE would end the test */
	fake(&av, "sendmail-noread.sh", "75");
	assert_int_equal(submit_run(&av, "", "x@example.net", msg, len, 10,
	    NULL, &why), SUBMIT_TEMPFAIL);
	assert_non_null(strstr(why, "did not read the whole message"));
	free(why);
	sigpending(&pending);
	assert_false(sigismember(&pending, SIGPIPE));
	strvec_free(&av);
	fake(&av, "sendmail-noread.sh", "0");
	assert_int_equal(submit_run(&av, "", "x@example.net", msg, len, 10,
	    NULL, &why), SUBMIT_OK);
	free(why);
	strvec_free(&av);
	free(msg);
}

/* test_no_program - an empty argv is a temporary failure, not a crash */
static void
test_no_program(void **state)
{
	struct strvec av;
	char *why;

	strvec_init(&av);
	assert_int_equal(submit_run(&av, "", "x@example.net", "", 0, 1, NULL,
	    &why), SUBMIT_TEMPFAIL);
	assert_non_null(strstr(why, "no sendmail"));
	free(why);
	assert_int_equal(submit_run(&av, "", "x@example.net", "", 0, 1, NULL,
	    NULL), SUBMIT_TEMPFAIL);
}

/* test_sigchld_ignored - a lost exit status is not taken for success */
static void
test_sigchld_ignored(void **state)
{
	struct strvec av;
	char *why;

	signal(SIGCHLD, SIG_IGN);	/* the kernel reaps our children */
	fake(&av, "sendmail-exit.sh", "0");
	assert_int_equal(submit_run(&av, "", "x@example.net", "hi\n", 3, 10,
	    NULL, &why), SUBMIT_TEMPFAIL);
	signal(SIGCHLD, SIG_DFL);
	assert_non_null(strstr(why, "exit status lost"));
	free(why);
	strvec_free(&av);
}

/* test_output - sendmail's output in the reason: one line of well-formed
 * UTF-8, trimmed, cut at 300 bytes on a character boundary */
static void
test_output(void **state)
{
	static const struct {
		const char *label;
		const char *printf_arg;	/* what the fake prints */
		const char *want;	/* the reason after "exit status 1: " */
	} rows[] = {
		{ "controls, DEL and a bad byte",
		  "  x\\ty\\033z\\177\\377 \\n", "x y z \xef\xbf\xbd" },
		{ "NUL", "a\\000b", "a b" },
		{ "C1 control", "a\\302\\233b", "a b" },
		{ "valid UTF-8 kept", "Gr\\303\\274\\303\\237e",
		  "Gr\xc3\xbc\xc3\x9f" "e" },
	};
	struct strvec av;
	struct buf want;
	char *why, *script;

	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		strvec_init(&av);
		strvec_push(&av, "/bin/sh");
		strvec_push(&av, "-c");
		script = xasprintf("cat >/dev/null; printf '%s'; exit 1",
		    rows[i].printf_arg);
		strvec_push_owned(&av, script);
		assert_int_equal(submit_run(&av, "", "x@example.net", "hi\n",
		    3, 10, NULL, &why), SUBMIT_PERMFAIL);
		if (strncmp(why, "exit status 1: ", 15) != 0 ||
		    strcmp(why + 15, rows[i].want) != 0)
			fail_msg("row \"%s\": got \"%s\"", rows[i].label, why);
		free(why);
		strvec_free(&av);
	}

	/* 299 ASCII bytes, then a 2-byte character across the 300 mark:
	 * the character goes, not half of it */
	buf_init(&want);
	while (want.len < 299)
		buf_putc(&want, 'a');
	strvec_init(&av);
	strvec_push(&av, "/bin/sh");
	strvec_push(&av, "-c");
	strvec_push_owned(&av, xasprintf("cat >/dev/null; printf '%s"
	    "\\303\\251tail'; exit 1", want.s));
	assert_int_equal(submit_run(&av, "", "x@example.net", "hi\n", 3, 10,
	    NULL, &why), SUBMIT_PERMFAIL);
	assert_non_null(strstr(why, ": "));
	assert_string_equal(strstr(why, ": ") + 2, want.s);
	free(why);
	strvec_free(&av);
	buf_free(&want);
}

/* cleanup - remove the scratch directory */
static int
cleanup(void **state)
{
	const char *names[] = { "rec.argv", "rec.msg", "rec.fds", "rec.sig",
	    "null.argv", "null.msg", "null.fds", "null.sig", "hang.pid",
	    "cancel.pid" };
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		char *p = xasprintf("%s/%s", tmpdir, names[i]);

		unlink(p);
		free(p);
	}
	rmdir(tmpdir);
	return 0;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_exit_status),
		cmocka_unit_test(test_record),
		cmocka_unit_test(test_null_sender),
		cmocka_unit_test(test_timeout),
		cmocka_unit_test(test_cancel),
		cmocka_unit_test(test_exit_wakes),
		cmocka_unit_test(test_no_read),
		cmocka_unit_test(test_no_program),
		cmocka_unit_test(test_sigchld_ignored),
		cmocka_unit_test(test_output),
	};

	if (mkdtemp(tmpdir) == NULL)
		return 1;
	return cmocka_run_group_tests(tests, NULL, cleanup);
}
