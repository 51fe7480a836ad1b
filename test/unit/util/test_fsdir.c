/*
 * test_fsdir.c - util/fsdir.c: mkdir -p (table-driven, with the modes of
 * new parents and of the leaf) and the directory fsync.
 */
#include <errno.h>
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

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mkdirs),
		cmocka_unit_test(test_sync),
	};
	int rc;

	if (mkdtemp(top) == NULL)
		return 1;
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	testutil_rm_rf(top);
	return rc;
}
