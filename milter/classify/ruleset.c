/*
 * ruleset.c - lookup and release of a ruleset; see ruleset.h. The
 * evaluation itself is classify.c's.
 */
#include "classify/ruleset.h"

#include <stdlib.h>
#include <string.h>

#include "util/pattern.h"
#include "util/util.h"

/* ruleset_add_category - see ruleset.h */
struct category *
ruleset_add_category(struct ruleset *rs, const char *name, int line)
{
	struct category *c;

	rs->cats = xrealloc(rs->cats, (rs->ncats + 1) * sizeof(*rs->cats));
	c = &rs->cats[rs->ncats++];
	memset(c, 0, sizeof(*c));
	c->name = xstrdup(name);
	c->veto_reason = xasprintf("veto: %s", name);
	c->min_score = RULESET_MIN_SCORE_DEFAULT;
	c->line = line;
	return c;
}

/* ruleset_add_rule - see ruleset.h */
struct rule *
ruleset_add_rule(struct category *cat, const char *name, int line)
{
	struct rule *r;

	cat->rules = xrealloc(cat->rules, (cat->nrules + 1) *
	    sizeof(*cat->rules));
	r = &cat->rules[cat->nrules++];
	memset(r, 0, sizeof(*r));
	r->name = xstrdup(name);
	r->score = RULESET_SCORE_DEFAULT;
	r->line = line;
	return r;
}

/* ruleset_find - see ruleset.h */
const struct category *
ruleset_find(const struct ruleset *rs, const char *name)
{
	for (size_t i = 0; i < rs->ncats; i++)
		if (strcmp(rs->cats[i].name, name) == 0)
			return &rs->cats[i];
	return NULL;
}

/* ruleset_cond_kind - see ruleset.h */
const char *
ruleset_cond_kind(enum cond_kind kind)
{
	switch (kind) {
	case COND_HEADER:
		return "header";
	case COND_ENVELOPE_FROM:
		return "envelope_from";
	case COND_BODY:
		return "body";
	case COND_REPORT_FIELD:
		return "report_field";
	}
	return "?";
}

/* ruleset_free_conds - conditions and their compiled patterns */
static void
ruleset_free_conds(struct cond *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].target);
		pattern_free(v[i].re);
	}
	free(v);
}

/* ruleset_free - see ruleset.h */
void
ruleset_free(struct ruleset *rs)
{
	for (size_t i = 0; i < rs->ncats; i++) {
		struct category *c = &rs->cats[i];

		for (size_t j = 0; j < c->nrules; j++) {
			free(c->rules[j].name);
			free(c->rules[j].template);
			ruleset_free_conds(c->rules[j].all, c->rules[j].nall);
			ruleset_free_conds(c->rules[j].any, c->rules[j].nany);
		}
		free(c->rules);
		free(c->name);
		free(c->veto_reason);
	}
	free(rs->cats);
	memset(rs, 0, sizeof(*rs));
}
