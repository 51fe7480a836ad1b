/*
 * ruleset.h - what the rule engine (classify.h) evaluates: categories in
 * precedence order, each with rules made of conditions, plus the
 * category a complaint gets when no rule matches.
 *
 * config.c builds a ruleset from the configuration file; the unit tests
 * build theirs by hand. Either way ruleset_free releases it, and it owns
 * everything it points to, compiled patterns included.
 *
 * Usage:
 *	struct ruleset rs = {0};
 *	... fill rs.cats / rs.ncats, set rs.fallback to one of rs.cats ...
 *	cat = classify_run(&rs, m, ev, envfrom, &rule);
 *	ruleset_free(&rs);
 */
#ifndef ABUSE_RULESET_H
#define ABUSE_RULESET_H

#include <stdbool.h>
#include <stddef.h>

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
 * empty, at least one cond in `any` holds */
struct rule {
	char *name;
	struct cond *all;
	size_t nall;
	struct cond *any;
	size_t nany;
	int line;
};

/* category - a name and the rules that lead to it */
struct category {
	char *name;
	struct rule *rules;
	size_t nrules;
	int line;
};

struct ruleset {
	struct category *cats;	/* in file order = precedence */
	size_t ncats;
	const struct category *fallback;	/* one of cats: no rule matched */
};

/* ruleset_find - the category of this name, or NULL */
const struct category *ruleset_find(const struct ruleset *rs,
    const char *name);

/* ruleset_cond_kind - the configuration keyword of a condition kind */
const char *ruleset_cond_kind(enum cond_kind kind);

/* ruleset_free - everything rs owns; rs itself may be on the stack or
 * inside another struct, and is left empty */
void ruleset_free(struct ruleset *rs);

#endif
