/*
 * ruleset.c - lookup and release of a ruleset; see ruleset.h. The
 * evaluation itself is classify.c's.
 */
#include "classify/ruleset.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "classify/phrase.h"
#include "classify/reporters.h"

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

/* ruleset_same_target - two targets are the same text; header names
 * and field keys compare without case, as conditions match them */
static bool
ruleset_same_target(const struct scan_text *t, enum cond_kind kind,
    const char *target)
{
	if (t->kind != kind)
		return false;
	if (t->target == NULL || target == NULL)
		return t->target == target;
	return strcasecmp(t->target, target) == 0;
}

/* ruleset_phrase_list - see ruleset.h */
int
ruleset_phrase_list(struct ruleset *rs, enum cond_kind kind,
    const char *target, int *text)
{
	size_t i;

	if (rs->phrases == NULL)
		rs->phrases = phrase_set_new();
	for (i = 0; i < rs->ntexts; i++)
		if (ruleset_same_target(&rs->texts[i], kind, target))
			break;
	if (i == rs->ntexts) {
		rs->texts = xrealloc(rs->texts, (rs->ntexts + 1) *
		    sizeof(*rs->texts));
		rs->texts[i].kind = kind;
		rs->texts[i].target = target ? xstrdup(target) : NULL;
		rs->ntexts++;
	}
	*text = (int)i;
	return phrase_set_new_list(rs->phrases);
}

/* ruleset_finish - see ruleset.h */
void
ruleset_finish(struct ruleset *rs)
{
	if (rs->phrases != NULL)
		phrase_set_compile(rs->phrases);
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
	case COND_OWN_TEXT:
		return "own_text";
	case COND_EVIDENCE:
		return "evidence";
	}
	return "?";
}

/* ruleset_free_conds - conditions and their compiled patterns */
static void
ruleset_free_conds(struct cond *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].target);
		free(v[i].phrases);
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
			free(c->rules[j].file);
			ruleset_free_conds(c->rules[j].all, c->rules[j].nall);
			ruleset_free_conds(c->rules[j].any, c->rules[j].nany);
		}
		free(c->rules);
		free(c->name);
		free(c->veto_reason);
	}
	free(rs->cats);
	phrase_set_free(rs->phrases);
	reporters_free(rs->reporters);
	for (size_t i = 0; i < rs->ntexts; i++)
		free(rs->texts[i].target);
	free(rs->texts);
	memset(rs, 0, sizeof(*rs));
}
