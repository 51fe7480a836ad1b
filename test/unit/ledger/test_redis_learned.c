/*
 * test_redis_learned.c - redis_learned.c against a real redis-server
 * (test/redis/run.sh exports REDIS_SOCK; without it: skipped, 77):
 * learn, learn again (same), move, forget exactly, read back categories
 * before counts; nothing learned; a server that is away.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "ledger/redis_learned.h"
#include "testutil.h"
#include "redis_main.h"

static const char *sock;

/* open_at - a handle on path with this prefix */
static struct redis_learned *
open_at(const char *path, const char *prefix)
{
	char *url = xasprintf("unix:%s", path);
	struct redis_conf c = { .url = url, .prefix = (char *)prefix,
	    .sentinel_master = "mymaster", .timeout_ms = 200 };
	struct redis_learned *l = redis_learned_open(&c);

	free(url);
	return l;
}

/* toks - a strvec of the words of s */
static struct strvec
toks(const char *s)
{
	struct strvec v;
	char *copy = xstrdup(s), *save = NULL;

	strvec_init(&v);
	for (char *t = strtok_r(copy, " ", &save); t; t = strtok_r(NULL, " ",
	    &save))
		strvec_push(&v, t);
	free(copy);
	return v;
}

/* the read-back, as one string: "C:name:messages:tokens" for each
 * category, "T:token:category:n" for each count, in callback order */
static void
on_cat(void *arg, const char *name, long messages, long tokens)
{
	buf_printf(arg, "C:%s:%ld:%ld ", name, messages, tokens);
}

static void
on_tok(void *arg, const char *token, const char *category, long n)
{
	buf_printf(arg, "T:%s:%s:%ld ", token, category, n);
}

/* read_all - the read-back; rc in *rc */
static char *
read_all(struct redis_learned *l, bool tokens, int *rc)
{
	struct learned_reader r = { on_cat, tokens ? on_tok : NULL };
	struct buf b;
	char err[256];

	buf_init(&b);
	*rc = redis_learned_read(l, &r, &b, err, sizeof(err));
	return buf_steal(&b);
}

/* test_learn_move_forget - the outcomes and the counts */
static void
test_learn_move_forget(void **state)
{
	struct redis_learned *l = open_at(sock, "ln:");
	struct strvec a = toks("viagra cheap"), b = toks("cheap");
	char *cat = NULL, *s;
	int rc;

	s = read_all(l, true, &rc);
	assert_int_equal(rc, 1);
	free(s);
	assert_int_equal(redis_learned_add(l, "d1", "spam", &a), LEARNED_NEW);
	assert_int_equal(redis_learned_add(l, "d2", "spam", &b), LEARNED_NEW);
	assert_int_equal(redis_learned_add(l, "d1", "spam", &a),
	    LEARNED_SAME);
	s = read_all(l, false, &rc);
	assert_int_equal(rc, 0);
	assert_string_equal(s, "C:spam:2:2 ");
	free(s);
	assert_int_equal(redis_learned_add(l, "d2", "dmca", &b),
	    LEARNED_MOVED);
	assert_int_equal(redis_learned_forget(l, "d1", &cat), 1);
	assert_string_equal(cat, "spam");
	free(cat);
	assert_int_equal(redis_learned_forget(l, "d1", NULL), 0);
	/* spam had only d1 left: gone with it */
	s = read_all(l, true, &rc);
	assert_int_equal(rc, 0);
	assert_string_equal(s, "C:dmca:1:1 T:cheap:dmca:1 ");
	free(s);
	strvec_free(&a);
	strvec_free(&b);
	redis_learned_close(l);
}

/* test_away - a server that is not there */
static void
test_away(void **state)
{
	struct redis_learned *l = open_at("/nonexistent/redis.sock", "x:");
	struct strvec a = toks("x");
	int rc;
	char *s;

	assert_int_equal(redis_learned_add(l, "d", "spam", &a),
	    LEARNED_FAILED);
	assert_int_equal(redis_learned_forget(l, "d", NULL), -1);
	s = read_all(l, true, &rc);
	assert_int_equal(rc, -1);
	free(s);
	strvec_free(&a);
	redis_learned_close(l);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_learn_move_forget),
		cmocka_unit_test(test_away),
	};

	return REDIS_TEST_MAIN(tests, &sock, NULL);
}
