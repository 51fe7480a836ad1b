/*
 * classify.h - the rule engine: evaluates a ruleset (ruleset.h) against
 * a parsed complaint (eval.h) and weighs the rules that match (score.h).
 *
 * Every rule of every category is evaluated; a category's total is the
 * sum of the scores of its matching rules. The winner is the category
 * with the highest total among those that reach their min_score, ties
 * going to the category first in the file; none: the ruleset's fallback
 * category, total 0, no rule. The decision's rule is the winner's
 * strongest matching rule (highest score, ties to the first in the
 * file).
 *
 * Usage:
 *	struct classify_decision d;
 *	classify_run(rs, m, ev, envfrom, &d);
 *	... d.cat->name, d.rule (NULL: fallback), d.total, d.runner_up ...
 *
 * Thread-safe: many threads may classify against one ruleset.
 */
#ifndef ABUSE_CLASSIFY_H
#define ABUSE_CLASSIFY_H

#include "classify/eval.h"
#include "classify/ruleset.h"
#include "classify/score.h"
#include "evidence/evidence.h"
#include "parse/message.h"

/* classify_run - evaluate every rule and weigh them into *d. envfrom:
 * without <>, "" for the null sender, NULL when unknown. */
void classify_run(const struct ruleset *rs, const struct parsed_msg *m,
    const struct evidence *ev, const char *envfrom,
    struct classify_decision *d);

/* classify_weigh - the rules' results (res) and the learner's share into
 * totals (cats: rs->ncats + 1 zeroed entries) and the decision *d; the
 * one weighing --classify, the milter and --explain share */
void classify_weigh(const struct ruleset *rs, const struct parsed_msg *m,
    const struct evidence *ev, const struct classify_result *res,
    struct score_cat *cats, struct classify_decision *d);

#endif
