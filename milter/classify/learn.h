/*
 * learn.h - the learner: naive Bayes over the tokens (tokens.h) of the
 * messages the desk taught it (`--learn`), as one more signal in the
 * weighing (score.h).
 *
 * The model is a snapshot of the learned counts (ledger/learned.h), made
 * when the configuration is loaded and never changed after: many threads
 * may evaluate it at once without locks, and a reload makes a new one.
 *
 * A category takes part when at least min_messages of its messages were
 * learned, and the model does anything only when two categories or more
 * take part. For a complaint with k known tokens t, each taking part
 * category c gets the posterior
 *
 *	P(c | t) = softmax_c( log P(c) + (1/k') * sum_t log P(t | c) )
 *
 * P(c) is c's share of the messages learned; P(t | c) = (n(c,t) + ALPHA)
 * / (T(c) + ALPHA * V), with n(c,t) the messages of c that have t, T(c)
 * the sum of c's counts and V the number of tokens known; tokens never
 * learned are left out. k' = max(1, k / LEARN_TOKENS_SCALE): naive Bayes
 * takes each of hundreds of overlapping words and pairs for independent
 * evidence and is certain of everything, so the sum is scaled to what
 * about LEARN_TOKENS_SCALE independent tokens would say.
 *
 * The weighing then adds weight * P(c | t) to a category whose posterior
 * is at least LEARN_MIN_POSTERIOR (so to one category at most), as the
 * pseudo-rule "learned" (learn_rule). An unsure learner adds nothing:
 * cross-validated on the labelled corpora (bench/learn-cv.sh), adding
 * every posterior let a learner that is right about 70-80% of the time
 * overrule the weak rules and the default category, and it cost more
 * than it gained; ALPHA, the scale and the threshold are the best of
 * those runs (bench/RESULTS.md).
 *
 * Nor does a complaint unlike anything taught get anything: fewer than
 * LEARN_MIN_KNOWN known tokens, or known tokens under LEARN_MIN_SHARE of
 * its tokens. Naive Bayes would push it into the nearest category
 * learned (a desk that taught two categories would see everything else
 * become one of them); in the cross-validation most complaints had 20%
 * to 90% of their tokens known.
 *
 * Usage:
 *	lm = learn_model_new(rs, &conf);
 *	learn_model_category(lm, "spam", 120);	... each learned category
 *	learn_model_count(lm, "w:viagra", "spam", 40);	... each count
 *	learn_model_finish(lm);
 *	learn_score(lm, m, ev, cats);		per complaint, any thread
 *	learn_model_free(lm);
 */
#ifndef ABUSE_LEARN_H
#define ABUSE_LEARN_H

#include <stddef.h>

#include "classify/ruleset.h"
#include "classify/score.h"
#include "evidence/evidence.h"
#include "parse/message.h"
#include "util/util.h"

#define LEARN_WEIGHT_DEFAULT		3.0
#define LEARN_MIN_MESSAGES_DEFAULT	10
#define LEARN_ALPHA			1.0	/* additive (Laplace) smoothing */
#define LEARN_TOKENS_SCALE		25.0	/* see above */
#define LEARN_MIN_POSTERIOR		0.9	/* see above */
#define LEARN_MIN_ADD			0.05	/* smaller additions are noise */
#define LEARN_MIN_KNOWN			3	/* known tokens for a say */
#define LEARN_MIN_SHARE			0.15	/* and their share of all */

/* learn_conf - the learn { } section */
struct learn_conf {
	double weight;		/* the most the learner adds; 0: off */
	unsigned min_messages;	/* a category takes part from this many */
};

struct learn_model;

/* learn_rule - the pseudo-rule "learned" whose score the learner adds;
 * it is the decision's rule when it is the winner's strongest */
extern const struct rule learn_rule;

/* learn_model_new - an empty model for the categories of rs (which
 * must outlive it) */
struct learn_model *learn_model_new(const struct ruleset *rs,
    const struct learn_conf *conf);
void learn_model_free(struct learn_model *lm);

/* learn_model_category - messages learned of a category; names rs does
 * not have are ignored */
void learn_model_category(struct learn_model *lm, const char *name,
    long messages);

/* learn_model_count - n messages of category had token; ignored for
 * names rs does not have */
void learn_model_count(struct learn_model *lm, const char *token,
    const char *category, long n);

/* learn_model_finish - after the last count: pick the categories that
 * take part, turn counts into log probabilities; returns how many take
 * part (fewer than 2: the model adds nothing) */
size_t learn_model_finish(struct learn_model *lm);

/* learn_model_messages - messages learned of rs->cats[i] */
long learn_model_messages(const struct learn_model *lm, size_t i);

/* learn_model_conf - the settings the model was built with */
const struct learn_conf *learn_model_conf(const struct learn_model *lm);

/* learn_posterior - post[i] = P(rs->cats[i] | tokens) for the taking
 * part categories, -1 for the others (post has rs->ncats entries);
 * returns how many take part, 0 when the model adds nothing (fewer than
 * 2 take part, or too few tokens are known: then every post[i] is -1). *known (may be NULL) gets the number of known tokens. */
size_t learn_posterior(const struct learn_model *lm,
    const struct strvec *tokens, double *post, size_t *known);

/* learn_add - what the learner adds to a category of posterior p: weight
 * * p from LEARN_MIN_POSTERIOR on, else 0 */
double learn_add(const struct learn_model *lm, double p);

/* learn_score - tokenise the complaint and add each category's share
 * to cats (score_totals' result) as learn_rule; nothing when lm is NULL
 * or adds nothing */
void learn_score(const struct learn_model *lm, const struct parsed_msg *m,
    const struct evidence *ev, struct score_cat *cats);

/* learn_strength - how much token pulls toward rs->cats[i] against the
 * other taking part categories (its log probability there minus their
 * mean, scaled like the sum); 0 for an unknown token */
double learn_strength(const struct learn_model *lm, const char *token,
    size_t i, size_t known);

#endif
