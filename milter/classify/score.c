/*
 * score.c - the weighing of an evaluation; see score.h.
 *
 * Two passes, both linear: score_totals adds each matching rule's score
 * to its category and keeps the category's strongest rule; score_decide
 * picks the winner and the runner-up from the totals. Ties are settled
 * by file order alone: a later category or rule must be strictly
 * stronger to take the place of an earlier one.
 */
#include "classify/score.h"

#include <string.h>

/* score_add - one contribution to a category */
static void
score_add(struct score_cat *sc, const struct rule *rule, double score)
{
	sc->total += score;
	if (!sc->hit || score > sc->top_score) {
		sc->top = rule;
		sc->top_score = score;
	}
	sc->hit = true;
}

/* score_totals - see score.h */
void
score_totals(const struct ruleset *rs, const struct classify_result *res,
    struct score_cat *cats)
{
	memset(cats, 0, rs->ncats * sizeof(*cats));
	for (size_t i = 0; i < res->n; i++) {
		const struct rule_result *rr = &res->rules[i];

		if (rr->matched)
			score_add(&cats[rr->cat - rs->cats], rr->rule,
			    rr->rule->score);
	}
}

/* score_runner_up - any other category with a total above 0, also one
 * below its min_score (the desk wants to see how close it came) */
static void
score_runner_up(const struct ruleset *rs, const struct score_cat *cats,
    struct classify_decision *d)
{
	for (size_t i = 0; i < rs->ncats; i++) {
		if (&rs->cats[i] == d->cat || !(cats[i].total > 0))
			continue;
		if (d->runner_up == NULL || cats[i].total > d->runner_total) {
			d->runner_up = &rs->cats[i];
			d->runner_total = cats[i].total;
		}
	}
}

/* score_decide - see score.h */
void
score_decide(const struct ruleset *rs, const struct score_cat *cats,
    struct classify_decision *d)
{
	size_t win = rs->ncats;

	memset(d, 0, sizeof(*d));
	for (size_t i = 0; i < rs->ncats; i++)
		if (cats[i].hit && cats[i].total >= rs->cats[i].min_score &&
		    (win == rs->ncats || cats[i].total > cats[win].total))
			win = i;
	if (win < rs->ncats) {
		d->won = true;
		d->cat = &rs->cats[win];
		d->rule = cats[win].top;
		d->total = cats[win].total;
	} else {
		d->cat = rs->fallback;
	}
	score_runner_up(rs, cats, d);
	d->human = d->cat->human || (d->rule != NULL && d->rule->human);
	for (size_t i = 0; i < rs->ncats && d->veto == NULL; i++)
		if (rs->cats[i].veto > 0 && cats[i].total >= rs->cats[i].veto)
			d->veto = &rs->cats[i];
	d->uncertain = d->won && d->runner_up != NULL &&
	    d->total - d->runner_total < rs->margin;
}

