/*
 * test_fsdir.c - util/fsdir.c: mkdir -p (table-driven, with the modes of
 * new parents and of the leaf), the directory fsync and its group
 * commit (shared syncs, dirty marks, flush).
 */
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "util/fsdir.h"
#include "util/util.h"
#include "testutil.h"

static char top[] = "/tmp/test_fsdir.XXXXXX";

static const struct {
	const char *label;
	const char *path;	/* under top; NULL: the empty string */
	int want;
} mkdirs_rows[] = {
	{ "nested", "m/a/b/c", 0 },
	{ "exists", "m/a/b/c", 0 },
	{ "trailing slash", "m/d/", 0 },
	{ "double slash", "m//e", 0 },
	{ "under a file", "m/file/x", -1 },
	{ "is a file", "m/file", -1 },
	{ "empty", NULL, -1 },
};

/* test_mkdirs - mkdir -p, table-driven */
static void
test_mkdirs(void **state)
{
	char *m = xasprintf("%s/m", top), *f = xasprintf("%s/m/file", top);
	size_t i;
	FILE *fp;

	mkdir(m, 0700);
	assert_non_null(fp = fopen(f, "w"));
	fclose(fp);
	for (i = 0; i < sizeof(mkdirs_rows) / sizeof(mkdirs_rows[0]); i++) {
		char *p = mkdirs_rows[i].path
		    ? xasprintf("%s/%s", top, mkdirs_rows[i].path) : xstrdup("");
		struct stat st;

		if (fsdir_mkdirs(p, 0700) != mkdirs_rows[i].want)
			fail_msg("%s: not %d", mkdirs_rows[i].label,
			    mkdirs_rows[i].want);
		if (mkdirs_rows[i].want == 0)
			assert_true(stat(p, &st) == 0 && S_ISDIR(st.st_mode));
		free(p);
	}
	free(f);
	free(m);
	{	/* a new parent is traversable (0755), the leaf gets the mode */
		char *leaf = xasprintf("%s/par/ent/leaf", top);
		char *parent = xasprintf("%s/par/ent", top);
		struct stat st;
		mode_t old = umask(0);

		assert_int_equal(fsdir_mkdirs(leaf, 0700), 0);
		umask(old);
		assert_int_equal(stat(parent, &st), 0);
		assert_int_equal(st.st_mode & 0777, 0755);
		assert_int_equal(stat(leaf, &st), 0);
		assert_int_equal(st.st_mode & 0777, 0700);
		free(leaf);
		free(parent);
	}
}

/* test_sync - an existing directory syncs; a missing one fails */
static void
test_sync(void **state)
{
	char *missing = xasprintf("%s/missing", top);

	assert_int_equal(fsdir_sync(top), 0);
	assert_int_equal(fsdir_sync(missing), -1);
	assert_int_equal(errno, ENOENT);
	free(missing);
}

#define SYNC_THREADS	8
#define SYNC_CALLS	25

/* sync_many - one thread asking for shared syncs */
static void *
sync_many(void *p)
{
	long failed = 0;

	for (int i = 0; i < SYNC_CALLS; i++)
		failed += fsdir_sync_shared(p) != 0;
	return (void *)failed;
}

/* test_shared - threads asking at once all succeed, never with more
 * fsyncs than asks; a dirty mark waits for its time or a flush now, and
 * a shared sync covers it */
static void
test_shared(void **state)
{
	pthread_t t[SYNC_THREADS];
	unsigned long before = fsdir_shared_fsyncs(), done;
	void *failed;

	for (int i = 0; i < SYNC_THREADS; i++)
		assert_int_equal(pthread_create(&t[i], NULL, sync_many, top),
		    0);
	for (int i = 0; i < SYNC_THREADS; i++) {
		assert_int_equal(pthread_join(t[i], &failed), 0);
		assert_null(failed);
	}
	done = fsdir_shared_fsyncs() - before;
	assert_true(done >= 1 && done <= SYNC_THREADS * SYNC_CALLS);
	print_message("%d shared syncs took %lu fsyncs\n",
	    SYNC_THREADS * SYNC_CALLS, done);

	assert_int_equal(fsdir_flush(top, 0), 0);	/* nothing dirty */
	fsdir_dirty(top);
	assert_true(fsdir_flush(top, 60) > 0);		/* not yet */
	before = fsdir_shared_fsyncs();
	assert_int_equal(fsdir_flush(top, 0), 0);	/* now */
	assert_int_equal(fsdir_shared_fsyncs(), before + 1);
	assert_int_equal(fsdir_flush(top, 0), 0);	/* clean again */
	assert_int_equal(fsdir_shared_fsyncs(), before + 1);
	fsdir_dirty(top);
	assert_int_equal(fsdir_sync_shared(top), 0);	/* covers it */
	assert_int_equal(fsdir_flush(top, 0), 0);
	assert_int_equal(fsdir_shared_fsyncs(), before + 2);
	(void)state;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mkdirs),
		cmocka_unit_test(test_sync),
		cmocka_unit_test(test_shared),
	};
	int rc;

	if (mkdtemp(top) == NULL)
		return 1;
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	testutil_rm_rf(top);
	return rc;
}
