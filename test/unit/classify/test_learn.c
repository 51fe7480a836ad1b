/*
 * test_learn.c - unit tests of milter/classify/learn.c, the learner's
 * model, on tiny hand-built counts: the posterior worked out by hand,
 * the order of the posteriors, categories below min_messages left out,
 * too few known tokens and a single taking-part category adding
 * nothing, what learn_score adds to the weighing as "learned" (nothing
 * below LEARN_MIN_POSTERIOR), and the strength of a token.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "classify/learn.h"
#include "classify/ruleset.h"
#include "parse/message.h"
#include "util/util.h"

/* ruleset4 - categories spam, abuse, dmca, other (the fallback) */
static void
ruleset4(struct ruleset *rs)
{
	memset(rs, 0, sizeof(*rs));
	ruleset_add_category(rs, "spam", 1);
	ruleset_add_category(rs, "abuse", 2);
	ruleset_add_category(rs, "dmca", 3);
	ruleset_add_category(rs, "other", 4);
	rs->fallback = ruleset_find(rs, "other");
}

/* model - spam (4 messages), abuse (3), dmca (1, below min_messages 2) */
static struct learn_model *
model(const struct ruleset *rs, unsigned min_messages)
{
	struct learn_conf conf = {.weight = 3, .min_messages = min_messages};
	struct learn_model *lm = learn_model_new(rs, &conf);

	learn_model_category(lm, "spam", 4);
	learn_model_category(lm, "abuse", 3);
	learn_model_category(lm, "dmca", 1);
	learn_model_category(lm, "renamed", 50);	/* not in rs */
	learn_model_count(lm, "w:viagra", "spam", 4);
	learn_model_count(lm, "w:offer", "spam", 3);
	learn_model_count(lm, "w:spam", "spam", 4);
	learn_model_count(lm, "w:ssh", "abuse", 3);
	learn_model_count(lm, "w:brute", "abuse", 2);
	learn_model_count(lm, "w:spam", "abuse", 1);
	learn_model_count(lm, "w:copyright", "dmca", 1);
	learn_model_count(lm, "w:x", "renamed", 50);
	return lm;
}

/* post_of - the posteriors for blank-separated tokens; returns the
 * number taking part */
static size_t
post_of(const struct learn_model *lm, const char *words, double *post)
{
	struct strvec sv;
	char *copy = xstrdup(words), *save = NULL;
	size_t n;

	strvec_init(&sv);
	for (char *w = strtok_r(copy, " ", &save); w != NULL;
	    w = strtok_r(NULL, " ", &save))
		strvec_push(&sv, w);
	n = learn_posterior(lm, &sv, post, NULL);
	strvec_free(&sv);
	free(copy);
	return n;
}

/* test_by_hand - two categories, three tokens: the formula of learn.h */
static void
test_by_hand(void **state)
{
	struct ruleset rs;
	struct learn_conf conf = {.weight = 2, .min_messages = 1};
	struct learn_model *lm;
	double post[4], a = LEARN_ALPHA, v = 3, logit;

	ruleset4(&rs);
	lm = learn_model_new(&rs, &conf);
	learn_model_category(lm, "spam", 2);
	learn_model_category(lm, "abuse", 1);
	learn_model_count(lm, "a", "spam", 2);
	learn_model_count(lm, "b", "spam", 1);
	learn_model_count(lm, "b", "abuse", 1);
	learn_model_count(lm, "c", "abuse", 1);
	assert_int_equal(learn_model_finish(lm), 2);
	/* spam: T 3; abuse: T 2; V 3; 3 known tokens: no scaling */
	logit = log(2.0 / 1.0) +
	    log((2 + a) / (3 + a * v)) - log((0 + a) / (2 + a * v)) +
	    log((1 + a) / (3 + a * v)) - log((1 + a) / (2 + a * v)) +
	    log((0 + a) / (3 + a * v)) - log((1 + a) / (2 + a * v));
	assert_int_equal(post_of(lm, "a b c unknown", post), 2);
	assert_true(fabs(post[0] - 1 / (1 + exp(-logit))) < 1e-12);
	assert_true(fabs(post[0] + post[1] - 1) < 1e-12);
	assert_true(post[2] == -1 && post[3] == -1);
	learn_model_free(lm);
	ruleset_free(&rs);
}

/* test_order - the posteriors point the right way */
static void
test_order(void **state)
{
	struct ruleset rs;
	struct learn_model *lm;
	double post[4];

	ruleset4(&rs);
	lm = model(&rs, 2);
	assert_int_equal(learn_model_finish(lm), 2);
	assert_int_equal(learn_model_messages(lm, 2), 1);

	assert_int_equal(post_of(lm, "w:viagra w:offer w:spam", post), 2);
	assert_true(post[0] > 0.5 && post[0] > post[1]);
	assert_true(post[2] == -1 && post[3] == -1);	/* below min, none */

	assert_int_equal(post_of(lm, "w:ssh w:brute w:spam", post), 2);
	assert_true(post[1] > 0.5 && post[1] > post[0]);

	/* dmca's token is unknown to a model without dmca; two known
	 * tokens are too few */
	assert_int_equal(post_of(lm, "w:copyright w:ssh w:spam", post), 0);
	assert_true(post[0] == -1 && post[1] == -1);
	/* three known among 20 unknown: unlike anything learned */
	assert_int_equal(post_of(lm, "w:ssh w:brute w:spam u1 u2 u3 u4 u5 u6 "
	    "u7 u8 u9 u10 u11 u12 u13 u14 u15 u16 u17 u18 u19 u20", post), 0);
	assert_true(learn_strength(lm, "w:viagra", 0, 3) > 0);
	assert_true(learn_strength(lm, "w:viagra", 1, 3) < 0);
	assert_true(learn_strength(lm, "w:nothing", 0, 3) == 0);
	learn_model_free(lm);

	/* only spam takes part: a posterior over one category says nothing */
	lm = model(&rs, 4);
	assert_int_equal(learn_model_finish(lm), 1);
	assert_int_equal(post_of(lm, "w:viagra w:offer w:spam", post), 0);
	assert_true(post[0] == -1);
	learn_model_free(lm);
	ruleset_free(&rs);
}

/* test_score - learn_score adds weight * posterior as "learned" */
static void
test_score(void **state)
{
	static const char raw[] = "From: a@example.net\nSubject: hi\n\n"
	    "viagra offer spam\n";
	struct ruleset rs;
	struct learn_model *lm;
	struct parsed_msg m;
	struct evidence ev;
	struct score_cat cats[4];
	double post[4];

	ruleset4(&rs);
	lm = model(&rs, 2);
	learn_model_finish(lm);
	assert_int_equal(mime_parse(raw, strlen(raw), 1 << 20, &m), 0);
	evidence_init(&ev);
	memset(cats, 0, sizeof(cats));
	cats[1].total = 1;	/* a rule of abuse matched, score 1 */
	cats[1].hit = true;
	learn_score(lm, &m, &ev, cats);
	post_of(lm, "w:viagra w:offer w:spam", post);
	assert_true(fabs(cats[0].total - 3 * post[0]) < 1e-12);
	assert_true(cats[0].hit && cats[0].top == &learn_rule);
	assert_string_equal(cats[0].top->name, "learned");
	assert_true(cats[1].total >= 1);
	assert_false(cats[2].hit || cats[3].hit);
	/* an unsure learner adds nothing */
	assert_true(learn_add(lm, LEARN_MIN_POSTERIOR - 0.01) == 0);
	assert_true(fabs(learn_add(lm, 0.95) - 3 * 0.95) < 1e-12);
	assert_true(learn_add(lm, -1) == 0);
	learn_score(NULL, &m, &ev, cats);	/* no model: nothing */
	assert_true(fabs(cats[0].total - 3 * post[0]) < 1e-12);
	evidence_free(&ev);
	parsed_msg_free(&m);
	learn_model_free(lm);
	ruleset_free(&rs);
}

/* main - run the tests */
int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_by_hand),
		cmocka_unit_test(test_order),
		cmocka_unit_test(test_score),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
