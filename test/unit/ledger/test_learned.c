/*
 * test_learned.c - unit tests of milter/ledger/learned.c and
 * learned_read.c: counts after learning, the same message twice counted
 * once, a message moved to another category, --forget taking back
 * exactly what was counted, and reading that never creates a file (no
 * database, a database without the tables, one at rest, one a writer
 * has open).
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
#include <sqlite3.h>

#include "ledger/learned.h"
#include "util/util.h"
#include "testutil.h"

static char top[] = "/tmp/test_learned.XXXXXX";

/* seen - what learned_read handed out, as text lines */
struct seen {
	struct buf cats;	/* "name messages tokens\n" */
	struct buf counts;	/* sorted later: "token category n" */
	struct strvec lines;
};

/* on_cat - a category line */
static void
on_cat(void *arg, const char *name, long messages, long tokens)
{
	struct seen *s = arg;

	buf_printf(&s->cats, "%s %ld %ld\n", name, messages, tokens);
}

/* on_tok - a count line */
static void
on_tok(void *arg, const char *token, const char *category, long n)
{
	struct seen *s = arg;

	strvec_push_owned(&s->lines, xasprintf("%s %s %ld", token, category,
	    n));
}

/* cmp - strcmp for qsort over char * */
static int
cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* read_all - categories and sorted counts of path; *rc the return */
static void
read_all(const char *path, struct seen *s, int *rc)
{
	struct learned_reader r = {.category = on_cat, .token = on_tok};
	char err[256];

	buf_init(&s->cats);
	buf_init(&s->counts);
	strvec_init(&s->lines);
	*rc = learned_read(path, &r, s, err, sizeof(err));
	if (s->lines.n > 0)	/* qsort wants a pointer even for none */
		qsort(s->lines.v, s->lines.n, sizeof(char *), cmp);
	for (size_t i = 0; i < s->lines.n; i++)
		buf_printf(&s->counts, "%s\n", s->lines.v[i]);
}

/* seen_free - what read_all kept */
static void
seen_free(struct seen *s)
{
	buf_free(&s->cats);
	buf_free(&s->counts);
	strvec_free(&s->lines);
}

/* toks - a token vector from blank-separated words */
static void
toks(struct strvec *sv, const char *words)
{
	char *copy = xstrdup(words), *save = NULL;

	strvec_init(sv);
	for (char *w = strtok_r(copy, " ", &save); w != NULL;
	    w = strtok_r(NULL, " ", &save))
		strvec_push(sv, w);
	free(copy);
}

/* learn - one message in its own transaction; the outcome */
static enum learned_outcome
learn(struct learned *l, const char *digest, const char *cat,
    const char *words)
{
	struct strvec sv;
	enum learned_outcome o;

	toks(&sv, words);
	assert_int_equal(learned_begin(l), 0);
	o = learned_add(l, digest, cat, &sv);
	assert_int_equal(learned_commit(l), 0);
	strvec_free(&sv);
	return o;
}

/* exists - does path exist? */
static bool
exists(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0;
}

/* test_learn_forget - counts, twice counts once, move, forget */
static void
test_learn_forget(void **state)
{
	char *path = xasprintf("%s/a/state.db", top), err[256];
	struct learned *l = learned_open(path, err, sizeof(err));
	struct seen s;
	char *had = NULL;
	int rc;

	assert_non_null(l);
	assert_int_equal(learn(l, "d1", "spam", "w:spam w:offer"), LEARNED_NEW);
	assert_int_equal(learn(l, "d2", "spam", "w:spam w:viagra"), LEARNED_NEW);
	assert_int_equal(learn(l, "d3", "abuse", "w:ssh w:spam"), LEARNED_NEW);
	assert_int_equal(learn(l, "d1", "spam", "w:spam w:offer"), LEARNED_SAME);
	read_all(path, &s, &rc);
	assert_int_equal(rc, 0);
	assert_string_equal(s.cats.s, "spam 2 3\nabuse 1 2\n");
	assert_string_equal(s.counts.s, "w:offer spam 1\nw:spam abuse 1\n"
	    "w:spam spam 2\nw:ssh abuse 1\nw:viagra spam 1\n");
	seen_free(&s);

	/* d2 was abuse after all */
	assert_int_equal(learn(l, "d2", "abuse", "w:spam w:viagra"),
	    LEARNED_MOVED);
	read_all(path, &s, &rc);
	assert_string_equal(s.cats.s, "spam 1 2\nabuse 2 3\n");
	assert_string_equal(s.counts.s, "w:offer spam 1\nw:spam abuse 2\n"
	    "w:spam spam 1\nw:ssh abuse 1\nw:viagra abuse 1\n");
	seen_free(&s);

	assert_int_equal(learned_begin(l), 0);
	assert_int_equal(learned_forget(l, "d2", &had), 1);
	assert_string_equal(had, "abuse");
	free(had);
	assert_int_equal(learned_forget(l, "d2", NULL), 0);
	assert_int_equal(learned_forget(l, "d1", NULL), 1);
	assert_int_equal(learned_commit(l), 0);
	read_all(path, &s, &rc);
	assert_string_equal(s.cats.s, "spam 0 0\nabuse 1 2\n");
	assert_string_equal(s.counts.s, "w:spam abuse 1\nw:ssh abuse 1\n");
	seen_free(&s);
	learned_close(l);
	free(path);
}

/* test_read_nothing - no file, or no tables: nothing learned, and no
 * file appears */
static void
test_read_nothing(void **state)
{
	char *path = xasprintf("%s/none/state.db", top), *other, *wal, *shm;
	struct seen s;
	sqlite3 *db;
	int rc;

	read_all(path, &s, &rc);
	assert_int_equal(rc, 1);
	assert_false(exists(path));
	seen_free(&s);

	other = xasprintf("%s/ledger-only.db", top);
	assert_int_equal(sqlite3_open(other, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "PRAGMA journal_mode = WAL;"
	    "CREATE TABLE complaints (id INTEGER PRIMARY KEY)", NULL, NULL,
	    NULL), SQLITE_OK);
	sqlite3_close(db);
	read_all(other, &s, &rc);
	assert_int_equal(rc, 1);
	seen_free(&s);
	wal = xasprintf("%s-wal", other);
	shm = xasprintf("%s-shm", other);
	assert_false(exists(wal));
	assert_false(exists(shm));
	free(wal);
	free(shm);
	free(other);
	free(path);
}

/* test_read_in_use - a writer has the database open (its -wal is
 * there): the reader sees committed data; at rest: no -wal, -shm made */
static void
test_read_in_use(void **state)
{
	char *path = xasprintf("%s/b/state.db", top), err[256];
	char *wal = xasprintf("%s-wal", path), *shm = xasprintf("%s-shm", path);
	struct learned *l = learned_open(path, err, sizeof(err));
	struct seen s;
	int rc;

	assert_non_null(l);
	assert_int_equal(learn(l, "d1", "dmca", "w:copyright"), LEARNED_NEW);
	assert_true(exists(wal));
	read_all(path, &s, &rc);
	assert_int_equal(rc, 0);
	assert_string_equal(s.counts.s, "w:copyright dmca 1\n");
	seen_free(&s);
	learned_close(l);
	assert_false(exists(wal));
	read_all(path, &s, &rc);
	assert_int_equal(rc, 0);
	assert_string_equal(s.cats.s, "dmca 1 1\n");
	seen_free(&s);
	assert_false(exists(wal));
	assert_false(exists(shm));
	free(wal);
	free(shm);
	free(path);
}

/* setup - a scratch directory */
static int
setup(void **state)
{
	return mkdtemp(top) == NULL ? -1 : 0;
}

/* teardown - remove it */
static int
teardown(void **state)
{
	testutil_rm_rf(top);
	return 0;
}

/* main - run the tests */
int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_learn_forget),
		cmocka_unit_test(test_read_nothing),
		cmocka_unit_test(test_read_in_use),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
