/*
 * ruleset.h - what the rule engine (classify.h) evaluates: categories in
 * file order, each with scored rules made of conditions, plus the
 * category a complaint gets when no category reaches its min_score.
 *
 * config.c builds a ruleset from the configuration file; the unit tests
 * build theirs by hand. Either way categories and rules are added with
 * ruleset_add_category / ruleset_add_rule, which set the defaults (score
 * 1, min_score 1), and ruleset_free releases everything the ruleset
 * points to, compiled patterns included.
 *
 * "Decisive" below: the winning category's strongest rule (score.h).
 *
 * Usage:
 *	struct ruleset rs = {0};
 *	struct category *c = ruleset_add_category(&rs, "abuse", line);
 *	struct rule *r = ruleset_add_rule(c, "ssh", line);
 *	... r->all / r->nall, r->score ...
 *	rs.fallback = ruleset_find(&rs, "other");
 *	classify_run(&rs, m, ev, envfrom, &decision);
 *	ruleset_free(&rs);
 *
 * Pointers to categories stay valid once the last category is added
 * (ruleset_add_category may move them before that).
 */
#ifndef ABUSE_RULESET_H
#define ABUSE_RULESET_H

#include <stdbool.h>
#include <stddef.h>

struct learn_model;
struct pattern;

enum cond_kind {
	COND_HEADER,		/* target = header name; every instance tested */
	COND_ENVELOPE_FROM,	/* envelope sender (offline: Return-Path) */
	COND_BODY,		/* the complaint's own text (not evidence parts) */
	COND_REPORT_FIELD,	/* target = evidence field key, e.g. arf.Feedback-Type */
};

/* cond - one test: does `re` match (or, negated, not match)? */
struct cond {
	enum cond_kind kind;
	char *target;		/* header name or field key; NULL otherwise */
	struct pattern *re;	/* compiled once, at config load */
	bool negate;
	int line;
};

/* rule - matches when every cond in `all` holds and, if `any` is not
 * empty, at least one cond in `any` holds; a match adds score to its
 * category's total */
struct rule {
	char *name;
	struct cond *all;
	size_t nall;
	struct cond *any;
	size_t nany;
	double score;		/* default 1; may be negative */
	bool human;		/* decisive: no automatic reply */
	char *template;		/* decisive: reply with this file; or NULL */
	int line;
};

/* category - a name, the rules that score for it, and the total it
 * needs to win */
struct category {
	char *name;
	struct rule *rules;
	size_t nrules;
	double min_score;	/* default 1 */
	bool human;		/* the winner: no automatic reply */
	double veto;		/* a total this high stops every reply; 0: none */
	char *veto_reason;	/* "veto: NAME" */
	int line;
};

struct ruleset {
	struct category *cats;	/* in file order: breaks ties */
	size_t ncats;
	const struct category *fallback;	/* one of cats: nothing won */
	struct learn_model *learned;	/* the learner's snapshot (learn.h),
					 * its loader's to free; NULL: the
					 * rules alone */
	double margin;		/* a winner less ahead is uncertain; 0: none */
};

#define RULESET_SCORE_DEFAULT		1.0
#define RULESET_MIN_SCORE_DEFAULT	1.0
#define RULESET_MARGIN_DEFAULT		1.0	/* of the configuration */

/* ruleset_add_category - a new category at the end, with the defaults;
 * name is copied */
struct category *ruleset_add_category(struct ruleset *rs, const char *name,
    int line);

/* ruleset_add_rule - a new rule at the end of cat, with the defaults and
 * no conditions; name is copied */
struct rule *ruleset_add_rule(struct category *cat, const char *name,
    int line);

/* ruleset_find - the category of this name, or NULL */
const struct category *ruleset_find(const struct ruleset *rs,
    const char *name);

/* ruleset_cond_kind - the configuration keyword of a condition kind */
const char *ruleset_cond_kind(enum cond_kind kind);

/* ruleset_free - everything rs owns; rs itself may be on the stack or
 * inside another struct, and is left empty */
void ruleset_free(struct ruleset *rs);

#endif
