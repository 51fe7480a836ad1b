/*
 * eval.h - the evaluation of conditions and rules against one parsed
 * complaint: every rule's verdict, and with a trace every condition's,
 * with the text it matched. The weighing of the verdicts is score.h's;
 * classify.h puts the two together.
 *
 * Conditions: COND_HEADER tests every instance of the named header
 * (decoded); COND_BODY the complaint's own text (never the attached
 * evidence); COND_OWN_TEXT that text without quoted earlier mail
 * (extract_own_text); COND_EVIDENCE the attached messages, headers
 * and all ("" when there are none); COND_ENVELOPE_FROM the envelope
 * sender (unknown:
 * the condition fails, like an absent header); COND_REPORT_FIELD every
 * value of that evidence field. An absent header or field fails the
 * condition; a negated one then holds. A pattern's match or depth limit
 * hit counts as no match. A phrase condition holds when a phrase of its
 * list is in the text (in any instance of a header), phrase.h's way.
 *
 * The reporter (evidence reporter, else the From address) is looked up
 * once in the ruleset's known-reporter map (reporters.h), if it has one.
 *
 * Every rule of every category is evaluated; inside a rule evaluation
 * stops at the first condition that settles the verdict, unless traced
 * (--explain wants every condition's).
 *
 * Usage:
 *	struct classify_result res;
 *	classify_eval(rs, m, ev, envfrom, true, &res);
 *	for (size_t i = 0; i < res.n; i++) ... res.rules[i].matched ...
 *	classify_result_free(&res);
 *
 * Thread-safe: the ruleset is only read; what one evaluation needs is in
 * its result.
 */
#ifndef ABUSE_EVAL_H
#define ABUSE_EVAL_H

#include <stdbool.h>
#include <stddef.h>

#include "classify/reporters.h"
#include "classify/ruleset.h"
#include "evidence/evidence.h"
#include "parse/message.h"

/* cond_result - one condition of a traced evaluation */
struct cond_result {
	const struct cond *cond;
	bool held;		/* the verdict, negation applied */
	const char *subject;	/* the string the pattern matched; NULL: none */
	size_t start, end;	/* subject[start .. end) is the match */
	const char *phrase;	/* the phrase found, as written; NULL: none */
};

/* rule_result - one rule's verdict */
struct rule_result {
	const struct category *cat;
	const struct rule *rule;
	bool matched;
	/* traced: rule->nall then rule->nany entries; untraced: NULL */
	struct cond_result *conds;
};

/* classify_result - every rule of a ruleset, categories and rules in
 * file order */
struct classify_result {
	struct rule_result *rules;
	size_t n;
	char *own_text;		/* made when a condition needed it, or NULL */
	const struct reporter_entry *reporter;	/* map entry found, or NULL */
	const struct category *reporter_cat;	/* its category */
	const char *reporter_addr;	/* the address looked up, or NULL */
	char *from_addr;	/* the From address, when that was it */
};

/* classify_eval - every rule's verdict into *out (free it with
 * classify_result_free); with trace also every condition's, each
 * evaluated even when the rule's verdict is already known. The matched
 * texts point into m, ev, envfrom and *out. envfrom: without <>, "" for
 * the null sender, NULL when unknown. */
void classify_eval(const struct ruleset *rs, const struct parsed_msg *m,
    const struct evidence *ev, const char *envfrom, bool trace,
    struct classify_result *out);
void classify_result_free(struct classify_result *res);

#endif
