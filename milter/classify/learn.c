/*
 * learn.c - the learner's model: counts in, posteriors out; see learn.h
 * for the formula and why the sum is scaled.
 *
 * Built once (learn_model_new, _category, _count, _finish) by the
 * configuration's loader, then only read: a GLib hash table from token
 * to its log probabilities per category, which lookups never change, so
 * any number of threads evaluate it at once.
 *
 *	lm = learn_model_new(rs, &conf); ... learn_model_finish(lm);
 *	learn_score(lm, m, ev, cats);
 */
#include "classify/learn.h"

#include <glib.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "classify/tokens.h"

const struct rule learn_rule = {.name = (char *)"learned"};

/* ltok - one token: its counts per category, then (finished) its log
 * probabilities; n[i] and logp[i] for rs->cats[i] */
struct ltok {
	long *n;
	double *logp;
};

struct learn_model {
	const struct ruleset *rs;
	struct learn_conf conf;
	size_t ncats;
	long *messages;		/* [i]: learned of rs->cats[i] */
	long *total;		/* [i]: sum of its counts */
	bool *part;		/* [i]: takes part */
	double *prior;		/* [i]: log P(c) of those that take part */
	size_t nparts;		/* how many take part; < 2: adds nothing */
	GHashTable *tokens;	/* char * -> struct ltok * */
};

/* ltok_free - a token's values (the table owns the key) */
static void
ltok_free(gpointer p)
{
	struct ltok *t = p;

	free(t->n);
	free(t->logp);
	free(t);
}

/* learn_model_new - see learn.h */
struct learn_model *
learn_model_new(const struct ruleset *rs, const struct learn_conf *conf)
{
	struct learn_model *lm = xcalloc(1, sizeof(*lm));

	lm->rs = rs;
	lm->conf = *conf;
	lm->ncats = rs->ncats;
	lm->messages = xcalloc(lm->ncats + 1, sizeof(*lm->messages));
	lm->total = xcalloc(lm->ncats + 1, sizeof(*lm->total));
	lm->part = xcalloc(lm->ncats + 1, sizeof(*lm->part));
	lm->prior = xcalloc(lm->ncats + 1, sizeof(*lm->prior));
	lm->tokens = g_hash_table_new_full(g_str_hash, g_str_equal, free,
	    ltok_free);
	return lm;
}

/* learn_model_free - see learn.h */
void
learn_model_free(struct learn_model *lm)
{
	if (lm == NULL)
		return;
	g_hash_table_destroy(lm->tokens);
	free(lm->messages);
	free(lm->total);
	free(lm->part);
	free(lm->prior);
	free(lm);
}

/* learn_cat - the index of a category of rs, or -1 */
static long
learn_cat(const struct learn_model *lm, const char *name)
{
	const struct category *c = name != NULL ?
	    ruleset_find(lm->rs, name) : NULL;

	return c != NULL ? (long)(c - lm->rs->cats) : -1;
}

/* learn_model_category - see learn.h */
void
learn_model_category(struct learn_model *lm, const char *name, long messages)
{
	long i = learn_cat(lm, name);

	if (i >= 0 && messages > 0)
		lm->messages[i] += messages;
}

/* learn_model_count - see learn.h */
void
learn_model_count(struct learn_model *lm, const char *token,
    const char *category, long n)
{
	long i = learn_cat(lm, category);
	struct ltok *t;

	if (i < 0 || n <= 0 || token == NULL)
		return;
	if ((t = g_hash_table_lookup(lm->tokens, token)) == NULL) {
		t = xcalloc(1, sizeof(*t));
		t->n = xcalloc(lm->ncats + 1, sizeof(*t->n));
		g_hash_table_insert(lm->tokens, xstrdup(token), t);
	}
	t->n[i] += n;
	lm->total[i] += n;
}

/* learn_model_parts - the categories that take part, and their priors */
static void
learn_model_parts(struct learn_model *lm)
{
	long all = 0;

	lm->nparts = 0;
	for (size_t i = 0; i < lm->ncats; i++) {
		lm->part[i] = lm->messages[i] > 0 &&
		    lm->messages[i] >= (long)lm->conf.min_messages;
		if (lm->part[i]) {
			lm->nparts++;
			all += lm->messages[i];
		}
	}
	for (size_t i = 0; i < lm->ncats; i++)
		lm->prior[i] = lm->part[i] ?
		    log((double)lm->messages[i] / (double)all) : 0;
}

/* learn_model_finish - see learn.h; tokens only categories that do not
 * take part had are dropped (they would count in V for nothing) */
size_t
learn_model_finish(struct learn_model *lm)
{
	GHashTableIter it;
	gpointer key, val;
	double v;

	learn_model_parts(lm);
	g_hash_table_iter_init(&it, lm->tokens);
	while (g_hash_table_iter_next(&it, &key, &val)) {
		struct ltok *t = val;
		bool any = false;

		for (size_t i = 0; i < lm->ncats; i++)
			any = any || (lm->part[i] && t->n[i] > 0);
		if (!any)
			g_hash_table_iter_remove(&it);
	}
	v = (double)g_hash_table_size(lm->tokens);
	g_hash_table_iter_init(&it, lm->tokens);
	while (g_hash_table_iter_next(&it, &key, &val)) {
		struct ltok *t = val;

		t->logp = xcalloc(lm->ncats + 1, sizeof(*t->logp));
		for (size_t i = 0; i < lm->ncats; i++)
			if (lm->part[i])
				t->logp[i] = log(((double)t->n[i] +
				    LEARN_ALPHA) / ((double)lm->total[i] +
				    LEARN_ALPHA * v));
	}
	return lm->nparts;
}

/* learn_model_messages - see learn.h */
long
learn_model_messages(const struct learn_model *lm, size_t i)
{
	return i < lm->ncats ? lm->messages[i] : 0;
}

/* learn_model_conf - see learn.h */
const struct learn_conf *
learn_model_conf(const struct learn_model *lm)
{
	return &lm->conf;
}

/* learn_scale - k' of learn.h for k known tokens */
static double
learn_scale(size_t known)
{
	double k = (double)known / LEARN_TOKENS_SCALE;

	return k > 1 ? k : 1;
}

/* learn_softmax - post[i] from the scores s[i] of the taking part */
static void
learn_softmax(const struct learn_model *lm, const double *s, double *post)
{
	double top = -INFINITY, sum = 0;

	for (size_t i = 0; i < lm->ncats; i++)
		if (lm->part[i] && s[i] > top)
			top = s[i];
	for (size_t i = 0; i < lm->ncats; i++)
		if (lm->part[i])
			sum += post[i] = exp(s[i] - top);
	for (size_t i = 0; i < lm->ncats; i++)
		post[i] = lm->part[i] ? post[i] / sum : -1;
}

/* learn_posterior - see learn.h */
size_t
learn_posterior(const struct learn_model *lm, const struct strvec *tokens,
    double *post, size_t *known)
{
	double *sum = xcalloc(lm->ncats + 1, sizeof(*sum)), scale;
	size_t k = 0;

	for (size_t j = 0; lm->nparts >= 2 && j < tokens->n; j++) {
		const struct ltok *t = g_hash_table_lookup(lm->tokens,
		    tokens->v[j]);

		if (t == NULL)
			continue;
		k++;
		for (size_t i = 0; i < lm->ncats; i++)
			sum[i] += t->logp[i];
	}
	if (known != NULL)
		*known = k;
	/* with (almost) nothing known the posterior is the prior, which
	 * says nothing about this complaint; and mail unlike anything
	 * learned would only be pushed into the nearest category learned */
	if (lm->nparts < 2 || k < LEARN_MIN_KNOWN ||
	    (double)k < LEARN_MIN_SHARE * (double)tokens->n) {
		for (size_t i = 0; i < lm->ncats; i++)
			post[i] = -1;
		free(sum);
		return 0;
	}
	scale = learn_scale(k);
	for (size_t i = 0; i < lm->ncats; i++)
		sum[i] = lm->prior[i] + sum[i] / scale;
	learn_softmax(lm, sum, post);
	free(sum);
	return lm->nparts;
}

/* learn_add - see learn.h */
double
learn_add(const struct learn_model *lm, double p)
{
	double add = lm->conf.weight * p;

	/* an unsure learner only blurs the rules: it speaks when sure */
	return p >= LEARN_MIN_POSTERIOR && add >= LEARN_MIN_ADD ? add : 0;
}

/* learn_to - add the learner's share to one category as score.c adds a
 * rule's: the total grows, and learn_rule becomes the category's
 * strongest only when strictly stronger (so in ties it comes after the
 * rules, which were added first) */
static void
learn_to(struct score_cat *sc, double add)
{
	sc->total += add;
	if (!sc->hit || add > sc->top_score) {
		sc->top = &learn_rule;
		sc->top_score = add;
	}
	sc->hit = true;
}

/* learn_score - see learn.h */
void
learn_score(const struct learn_model *lm, const struct parsed_msg *m,
    const struct evidence *ev, struct score_cat *cats)
{
	struct strvec tok;
	double *post;

	if (lm == NULL || lm->nparts < 2 || !(lm->conf.weight > 0))
		return;
	post = xcalloc(lm->ncats + 1, sizeof(*post));
	strvec_init(&tok);
	tokens_of(m, ev, NULL, &tok);
	learn_posterior(lm, &tok, post, NULL);
	for (size_t i = 0; i < lm->ncats; i++) {
		double add = learn_add(lm, post[i]);

		if (add > 0)
			learn_to(&cats[i], add);
	}
	strvec_free(&tok);
	free(post);
}

/* learn_strength - see learn.h */
double
learn_strength(const struct learn_model *lm, const char *token, size_t i,
    size_t known)
{
	const struct ltok *t = g_hash_table_lookup(lm->tokens, token);
	double others = 0;

	if (t == NULL || i >= lm->ncats || !lm->part[i] || lm->nparts < 2)
		return 0;
	for (size_t j = 0; j < lm->ncats; j++)
		if (j != i && lm->part[j])
			others += t->logp[j];
	others /= (double)(lm->nparts - 1);
	return (t->logp[i] - others) / learn_scale(known);
}
