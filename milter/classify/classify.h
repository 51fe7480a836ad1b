/*
 * classify.h - the rule engine: evaluates a ruleset (ruleset.h) against
 * a parsed complaint.
 *
 * Precedence (classify_run): categories in file order, rules in file
 * order inside a category; the first rule that matches decides. No
 * match: the ruleset's fallback category.
 *
 * Conditions: COND_HEADER tests every instance of the named header
 * (decoded); COND_BODY the complaint's own text (never the attached
 * evidence); COND_ENVELOPE_FROM the envelope sender (unknown: the
 * condition fails, like an absent header); COND_REPORT_FIELD every value
 * of that evidence field. An absent header or field fails the condition;
 * a negated one then holds. A pattern's match or depth limit hit counts
 * as no match.
 *
 * One evaluator decides a rule for every caller. classify_run stops at
 * the first rule that matches; classify_eval evaluates every rule and
 * hands back one result per rule, with each condition's verdict and
 * matched text when traced: what --explain prints (explain.h), and what
 * a weighing of rules per category would add up.
 *
 * Usage:
 *	cat = classify_run(rs, m, ev, envfrom, &rule);	(rule NULL: fallback)
 *
 *	struct classify_result res;
 *	classify_eval(rs, m, ev, envfrom, true, &res);
 *	for (size_t i = 0; i < res.n; i++) ... res.rules[i].matched ...
 *	classify_result_free(&res);
 */
#ifndef ABUSE_CLASSIFY_H
#define ABUSE_CLASSIFY_H

#include <stdbool.h>
#include <stddef.h>

#include "classify/ruleset.h"
#include "evidence/evidence.h"
#include "parse/message.h"

/* cond_result - one condition of a traced evaluation */
struct cond_result {
	const struct cond *cond;
	bool held;		/* the verdict, negation applied */
	const char *subject;	/* the string the pattern matched; NULL: none */
	size_t start, end;	/* subject[start .. end) is the match */
};

/* rule_result - one rule's verdict */
struct rule_result {
	const struct category *cat;
	const struct rule *rule;
	bool matched;
	/* traced: rule->nall then rule->nany entries; untraced: NULL */
	struct cond_result *conds;
};

/* classify_result - every rule of a ruleset, in precedence order */
struct classify_result {
	struct rule_result *rules;
	size_t n;
};

/* classify_run - the category of the first matching rule (*rule_out is
 * that rule), else rs->fallback (*rule_out NULL). envfrom: without <>,
 * "" for the null sender, NULL when unknown. */
const struct category *classify_run(const struct ruleset *rs,
    const struct parsed_msg *m, const struct evidence *ev,
    const char *envfrom, const struct rule **rule_out);

/* classify_eval - every rule's verdict into *out (free it with
 * classify_result_free); with trace also every condition's, each
 * evaluated even when the rule's verdict is already known. The matched
 * texts point into m, ev and envfrom. */
void classify_eval(const struct ruleset *rs, const struct parsed_msg *m,
    const struct evidence *ev, const char *envfrom, bool trace,
    struct classify_result *out);
void classify_result_free(struct classify_result *res);

#endif
