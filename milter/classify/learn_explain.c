/*
 * learn_explain.c - the learner's section of --explain; see
 * learn_explain.h. It tokenises the complaint again and asks the model
 * (learn.h) for the posteriors and for each token's strength, so what it
 * shows is what classify_run added.
 *
 *	learn_explain(&cfg->rules, &c.msg, &c.ev, stdout);
 */
#include "classify/learn_explain.h"

#include <stdlib.h>
#include <string.h>

#include "classify/learn.h"
#include "classify/tokens.h"
#include "util/util.h"

/* strong - one token and its pull toward a category */
struct strong {
	const char *token;
	double pull;
};

/* strong_cmp - strongest first; ties by token, so the output is stable */
static int
strong_cmp(const void *a, const void *b)
{
	const struct strong *x = a, *y = b;

	if (x->pull != y->pull)
		return x->pull < y->pull ? 1 : -1;
	return strcmp(x->token, y->token);
}

/* explain_tokens - the tokens that pull hardest toward category i */
static void
explain_tokens(const struct learn_model *lm, const struct strvec *tok,
    size_t i, size_t known, FILE *out)
{
	struct strong *v = xcalloc(tok->n + 1, sizeof(*v));
	size_t n = 0;

	for (size_t j = 0; j < tok->n; j++) {
		double pull = learn_strength(lm, tok->v[j], i, known);

		if (pull > 0)
			v[n++] = (struct strong){tok->v[j], pull};
	}
	qsort(v, n, sizeof(*v), strong_cmp);
	if (n > 0)
		fprintf(out, "      ");
	for (size_t j = 0; j < n && j < LEARN_EXPLAIN_TOKENS; j++)
		fprintf(out, "%s%s +%.2f", j ? ", " : "", v[j].token, v[j].pull);
	if (n > 0)
		fputc('\n', out);
	free(v);
}

/* explain_category - one category's lines */
static void
explain_category(const struct ruleset *rs, const struct strvec *tok,
    const double *post, size_t i, size_t known, FILE *out)
{
	const struct learn_model *lm = rs->learned;
	const struct learn_conf *conf = learn_model_conf(lm);

	if (post[i] < 0) {
		fprintf(out, "   %-16s not used: %ld messages learned, "
		    "min_messages %u\n", rs->cats[i].name,
		    learn_model_messages(lm, i), conf->min_messages);
		return;
	}
	fprintf(out, "   %-16s posterior %.3f  adds %.2f\n", rs->cats[i].name,
	    post[i], learn_add(lm, post[i]));
	explain_tokens(lm, tok, i, known, out);
}

/* learn_explain - see learn_explain.h */
void
learn_explain(const struct ruleset *rs, const struct parsed_msg *m,
    const struct evidence *ev, FILE *out)
{
	const struct learn_model *lm = rs->learned;
	struct strvec tok;
	double *post;
	size_t known = 0;

	if (lm == NULL) {
		fprintf(out, "learned: nothing (no learned data, or fewer than "
		    "2 categories with min_messages; --learn-stats)\n");
		return;
	}
	post = xcalloc(rs->ncats + 1, sizeof(*post));
	strvec_init(&tok);
	tokens_of(m, ev, NULL, &tok);
	if (learn_posterior(lm, &tok, post, &known) == 0) {
		fprintf(out, "learned: %zu of %zu tokens known, too few: adds "
		    "nothing\n", known, tok.n);
	} else {
		fprintf(out, "learned: %zu of %zu tokens known (weight %g, "
		    "min_messages %u; a posterior below %g adds nothing)\n",
		    known, tok.n, learn_model_conf(lm)->weight,
		    learn_model_conf(lm)->min_messages, LEARN_MIN_POSTERIOR);
		for (size_t i = 0; i < rs->ncats; i++)
			explain_category(rs, &tok, post, i, known, out);
	}
	strvec_free(&tok);
	free(post);
}
