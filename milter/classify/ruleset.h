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
 *	r->all[0].list = ruleset_phrase_list(&rs, COND_OWN_TEXT, NULL,
 *	    &r->all[0].text);	... phrase_set_add(rs.phrases, list, ...) ...
 *	rs.fallback = ruleset_find(&rs, "other");
 *	ruleset_finish(&rs);
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
struct phrase_set;
struct reporters;

/* cond_kind - what a condition looks at: its target */
enum cond_kind {
	COND_HEADER,		/* target = header name; every instance tested */
	COND_ENVELOPE_FROM,	/* envelope sender (offline: Return-Path) */
	COND_BODY,		/* the complaint's own text (not evidence parts),
				 * quoted earlier mail included */
	COND_REPORT_FIELD,	/* target = evidence field key, e.g. arf.Feedback-Type */
	COND_OWN_TEXT,		/* that text without quoted earlier mail */
	COND_EVIDENCE,		/* the attached messages (message/rfc822,
				 * text/rfc822-headers), headers included */
};

/* cond - one test on one target: does `re` match, or (re NULL) is a
 * phrase of list `list` in it? Negated: the opposite. */
struct cond {
	enum cond_kind kind;
	char *target;		/* header name or field key; NULL otherwise */
	struct pattern *re;	/* compiled once, at config load; or NULL */
	int list;		/* phrase test: its list in rs->phrases */
	int text;		/* phrase test: its text in rs->texts */
	char *phrases;		/* phrase test: its files or phrases, as the
				 * configuration names them, for --explain */
	bool negate;
	int line;
};

/* scan_text - a text phrase conditions look at: one target. Each is
 * scanned at most once per complaint, for all the lists at once. */
struct scan_text {
	enum cond_kind kind;
	char *target;		/* header name or field key; NULL otherwise */
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
	char *file;		/* the file it stands in (includes), or NULL */
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
	struct phrase_set *phrases;	/* every phrase list; NULL: none */
	struct scan_text *texts;	/* what phrase conditions scan */
	size_t ntexts;
	struct reporters *reporters;	/* the known-reporter map (its
					 * categories: indexes of cats); or
					 * NULL */
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

/* ruleset_phrase_list - a new phrase list for a condition of kind and
 * target (NULL for none) in rs->phrases, made on first use; returns the
 * list, *text the condition's text (the same for the same target).
 * Phrases go in with phrase_set_add / phrase_set_load; after the last,
 * ruleset_finish. */
int ruleset_phrase_list(struct ruleset *rs, enum cond_kind kind,
    const char *target, int *text);

/* ruleset_finish - compile what was added (the phrase automaton); once,
 * before the first evaluation */
void ruleset_finish(struct ruleset *rs);

/* ruleset_find - the category of this name, or NULL */
const struct category *ruleset_find(const struct ruleset *rs,
    const char *name);

/* ruleset_cond_kind - the configuration keyword of a condition kind */
const char *ruleset_cond_kind(enum cond_kind kind);

/* ruleset_free - everything rs owns; rs itself may be on the stack or
 * inside another struct, and is left empty */
void ruleset_free(struct ruleset *rs);

#endif
