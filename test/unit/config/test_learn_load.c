/*
 * test_learn_load.c - unit tests of milter/config/learn_load.c: the
 * learn { } settings and their checks, and the learner's snapshot
 * loaded with the configuration: none without learned data (and no
 * database made), none with one category, one once two categories have
 * min_messages, and a later load (as a SIGUSR1 reload does) seeing what
 * was learned meanwhile, all without writing the database.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "config/config.h"
#include "ledger/learned.h"
#include "util/util.h"
#include "testutil.h"

static char top[] = "/tmp/test_learn_load.XXXXXX";
static char *conf_path;		/* top/c.conf */

/* conf - the configuration file, two categories with this learn { } */
static const char *
conf(const char *learn)
{
	const char *path = conf_path;
	FILE *fp = fopen(path, "w");

	assert_non_null(fp);
	fprintf(fp, "state_db = \"%s/db/state.db\"\n%s\n"
	    "category spam {\n}\ncategory other {\n}\n", top, learn);
	fclose(fp);
	return path;
}

/* teach - n messages of cat, each with the tokens w:CAT and w:CAT-i */
static void
teach(const char *cat, int from, int n)
{
	char *path = xasprintf("%s/db/state.db", top), err[256];
	struct learned *l = learned_open(path, err, sizeof(err));

	assert_non_null(l);
	assert_int_equal(learned_begin(l), 0);
	for (int i = from; i < from + n; i++) {
		struct strvec sv;
		char *digest = xasprintf("%s-%d", cat, i);

		strvec_init(&sv);
		strvec_push_owned(&sv, xasprintf("w:%s", cat));
		strvec_push_owned(&sv, xasprintf("w:%s-%d", cat, i));
		assert_int_equal(learned_add(l, digest, cat, &sv), LEARNED_NEW);
		strvec_free(&sv);
		free(digest);
	}
	assert_int_equal(learned_commit(l), 0);
	learned_close(l);
	free(path);
}

/* test_settings - defaults, values, bad values with their line */
static void
test_settings(void **state)
{
	char err[512];
	struct config *c = config_load(conf(""), err, sizeof(err));

	assert_non_null(c);
	assert_true(c->learn.weight == LEARN_WEIGHT_DEFAULT);
	assert_int_equal(c->learn.min_messages, LEARN_MIN_MESSAGES_DEFAULT);
	config_unref(c);
	c = config_load(conf("learn {\n weight = 0.5\n min_messages = 2\n}"),
	    err, sizeof(err));
	assert_non_null(c);
	assert_true(c->learn.weight == 0.5);
	assert_int_equal(c->learn.min_messages, 2);
	config_unref(c);
	assert_null(config_load(conf("learn {\n weight = -1\n}"), err,
	    sizeof(err)));
	assert_non_null(strstr(err, "c.conf:3: weight"));
	assert_null(config_load(conf("learn {\n\n min_messages = 0\n}"), err,
	    sizeof(err)));
	assert_non_null(strstr(err, "c.conf:4: min_messages"));
}

/* test_snapshot - what each load sees */
static void
test_snapshot(void **state)
{
	char err[512], *db = xasprintf("%s/db", top);
	const char *path = conf("learn {\n min_messages = 3\n}");
	struct config *c = config_load(path, err, sizeof(err));
	struct stat st;

	assert_non_null(c);
	assert_null(c->rules.learned);
	assert_int_equal(stat(db, &st), -1);	/* nothing made */
	config_unref(c);

	teach("spam", 0, 5);
	c = config_load(path, err, sizeof(err));
	assert_null(c->rules.learned);		/* one category: no say */
	config_unref(c);

	teach("other", 0, 2);
	c = config_load(path, err, sizeof(err));
	assert_null(c->rules.learned);		/* 2 < min_messages */
	config_unref(c);

	/* learned while "running": the next load (a reload) has it */
	teach("other", 2, 1);
	c = config_load(path, err, sizeof(err));
	assert_non_null(c->rules.learned);
	assert_int_equal(learn_model_messages(c->rules.learned, 0), 5);
	assert_int_equal(learn_model_messages(c->rules.learned, 1), 3);
	config_unref(c);

	/* weight 0: off, whatever was learned */
	c = config_load(conf("learn {\n weight = 0\n min_messages = 3\n}"),
	    err, sizeof(err));
	assert_null(c->rules.learned);
	config_unref(c);
	free(db);
}

/* setup - a scratch directory */
static int
setup(void **state)
{
	if (mkdtemp(top) == NULL)
		return -1;
	conf_path = xasprintf("%s/c.conf", top);
	return 0;
}

/* teardown - remove it */
static int
teardown(void **state)
{
	testutil_rm_rf(top);
	free(conf_path);
	return 0;
}

/* main - run the tests */
int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_settings),
		cmocka_unit_test(test_snapshot),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
