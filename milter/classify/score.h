/*
 * score.h - the weighing: an evaluation (eval.h) turned into totals per
 * category, a winner, its strongest rule and the runner-up.
 *
 * A category's total is the sum of the scores of its matching rules.
 * A category takes part when one of its rules matched; the winner is
 * the one with the highest total among those whose total reaches their
 * min_score, ties going to the category first in the file. None: the
 * fallback category, total 0, no rule. The winner's rule is its
 * strongest matching rule (highest score; ties: first in the file). The
 * runner-up is the other category with the highest total above 0.
 *
 * What the weighing says about answering (reply/policy.h turns it into a
 * reason): human when the winner or its strongest rule says so; a veto
 * when some category's total reaches its veto (the first such in the
 * file); uncertain when a winner is less than the ruleset's margin ahead
 * of the runner-up.
 *
 * Usage:
 *	struct score_cat *cats = xcalloc(rs->ncats + 1, sizeof(*cats));
 *	score_totals(rs, &res, cats);		cats[i] is rs->cats[i]'s
 *	score_decide(rs, cats, &d);
 *	free(cats);
 */
#ifndef ABUSE_SCORE_H
#define ABUSE_SCORE_H

#include <stdbool.h>

#include "classify/eval.h"
#include "classify/ruleset.h"

/* score_cat - one category's weighing */
struct score_cat {
	double total;
	bool hit;		/* something scored for it */
	const struct rule *top;	/* its strongest matching rule, or NULL */
	double top_score;
};

/* classify_decision - what the weighing of one complaint decided */
struct classify_decision {
	const struct category *cat;	/* the winner, else the fallback */
	const struct rule *rule;	/* its strongest rule; NULL: fallback */
	double total;			/* cat's total; 0 for the fallback */
	const struct category *runner_up;	/* highest total > 0 of
						 * another category, or NULL */
	double runner_total;
	bool won;			/* cat won (not the fallback by default) */
	bool human;			/* cat or rule is for a person */
	const struct category *veto;	/* first whose total >= its veto */
	bool uncertain;			/* won by less than the margin */
};

/* score_totals - cats[i] (rs->ncats entries) for rs->cats[i] */
void score_totals(const struct ruleset *rs, const struct classify_result *res,
    struct score_cat *cats);

/* score_decide - the decision from the totals of score_totals */
void score_decide(const struct ruleset *rs, const struct score_cat *cats,
    struct classify_decision *d);

#endif
