/*
 * rules.c - the categories, rules and conditions of a checked tree made
 * into a ruleset, and each category's actions; see rules.h.
 *
 * Regexes were compiled while the file was read (schema.c) and are taken
 * over from the tree. Phrase lists are read here: every phrase of every
 * condition goes into the ruleset's one phrase set, each condition with
 * a list of its own, and the set is compiled once at the end, so a
 * complaint is scanned once per text however many lists there are.
 */
#include "config/rules.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "classify/phrase.h"
#include "classify/reporters.h"
#include "config/schema.h"
#include "reply/template.h"

/* rules_line - the line a section ends on, in its own file */
static int
rules_line(cfg_t *sec, const char *path)
{
	int line;

	(void)path;
	config_schema_where(sec, &line);
	return line;
}

/* rules_where - "FILE:LINE: " of a section, for errors found while
 * building (the section's file: an included one, or the main file) */
static int
rules_where(cfg_t *sec, const char *path, char *err, size_t errlen)
{
	int line;
	const char *file = config_schema_where(sec, &line);

	(void)path;
	return snprintf(err, errlen, "%s:%d: ", file, line);
}

/* rules_load - phrase file v into list; a name with "*", "?" or "["
 * is a glob(3) pattern: every file it matches, in sorted order (schema.c
 * made sure it matches one) */
static int
rules_load(struct phrase_set *ps, int list, const char *v, char *err,
    size_t errlen)
{
	const struct strvec *names;
	int rc = 0;

	if (strpbrk(v, "*?[") == NULL)
		return phrase_set_load(ps, list, v, err, errlen);
	if ((names = config_schema_glob(v)) == NULL) {
		snprintf(err, errlen, "%s: matches no file", v);
		return -1;
	}
	for (size_t i = 0; i < names->n && rc == 0; i++)
		rc = phrase_set_load(ps, list, names->v[i], err, errlen);
	return rc;
}

/* rules_phrases - the phrase test of a condition: a list of its own,
 * filled from its files (or glob patterns) or its literal phrases */
static int
rules_phrases(cfg_t *sec, struct ruleset *rs, struct cond *c,
    const char *path, char *err, size_t errlen)
{
	bool files = cfg_size(sec, "phrases") > 0;
	const char *opt = files ? "phrases" : "phrase";
	struct buf desc;
	int rc = 0;

	c->list = ruleset_phrase_list(rs, c->kind, c->target, &c->text);
	buf_init(&desc);
	for (unsigned i = 0; i < cfg_size(sec, opt) && rc == 0; i++) {
		const char *v = cfg_getnstr(sec, opt, i);

		buf_printf(&desc, files ? "%s%s" : "%s\"%s\"", i ? ", " : "",
		    v);
		if (files) {
			rc = rules_load(rs->phrases, c->list, v, err, errlen);
		} else {
			int n = rules_where(sec, path, err, errlen);

			if (n > 0 && (size_t)n < errlen)
				rc = phrase_set_add(rs->phrases, c->list, v,
				    err + n, errlen - (size_t)n);
		}
	}
	c->phrases = buf_steal(&desc);
	return rc;
}

/* rules_cond - one condition from a rule, all{} or any{} section: 1, 0
 * when the section holds none, -1 on error */
static int
rules_cond(cfg_t *sec, struct ruleset *rs, struct cond *c, const char *path,
    char *err, size_t errlen)
{
	/* schema.c saw to it that there is at most one target and one
	 * test; the regex shorthands are target and test at once */
	static const struct {
		const char *key;
		enum cond_kind kind;
		bool named;	/* the value names it, the test is apart */
	} targets[] = {
		{"header", COND_HEADER, true},
		{"report_field", COND_REPORT_FIELD, true},
		{"body", COND_BODY, false},
		{"own_text", COND_OWN_TEXT, false},
		{"evidence", COND_EVIDENCE, false},
		{"envelope_from", COND_ENVELOPE_FROM, false},
	};
	size_t i;

	memset(c, 0, sizeof(*c));
	c->kind = COND_OWN_TEXT;	/* phrases without a target */
	c->list = c->text = -1;
	c->negate = cfg_getbool(sec, "not");
	c->line = rules_line(sec, path);
	for (i = 0; i < sizeof(targets) / sizeof(targets[0]); i++)
		if (cfg_size(sec, targets[i].key) > 0)
			break;
	if (i < sizeof(targets) / sizeof(targets[0])) {
		c->kind = targets[i].kind;
		if (!targets[i].named) {
			c->re = config_schema_take_pattern(sec, targets[i].key,
			    0);
			return 1;
		}
		c->target = xstrdup(cfg_getstr(sec, targets[i].key));
		if ((c->re = config_schema_take_pattern(sec, "match", 0)))
			return 1;
	}
	if (cfg_size(sec, "phrases") == 0 && cfg_size(sec, "phrase") == 0)
		return 0;
	return rules_phrases(sec, rs, c, path, err, errlen) == 0 ? 1 : -1;
}

/* rules_conds - the conditions of all{} or any{} sections */
static int
rules_conds(cfg_t *rsec, const char *name, struct ruleset *rs,
    struct cond **v, size_t *n, const char *path, char *err, size_t errlen)
{
	unsigned cnt = cfg_size(rsec, name);
	int rc = 0;

	*v = xcalloc(cnt + 1, sizeof(**v));
	*n = 0;
	for (unsigned i = 0; i < cnt && rc >= 0; i++)
		if ((rc = rules_cond(cfg_getnsec(rsec, name, i), rs, &(*v)[*n],
		    path, err, errlen)) != 0)
			(*n)++;	/* a failed one too: it owns what it got */
	return rc < 0 ? -1 : 0;
}

/* rules_rule - a rule: its own condition joins the all{} list; its own
 * template, if any, is loaded into *tmpl */
static int
rules_rule(cfg_t *rsec, struct ruleset *rs, struct category *cat,
    struct template **tmpl, const char *path, char *err, size_t errlen)
{
	struct rule *r = ruleset_add_rule(cat, cfg_title(rsec),
	    rules_line(rsec, path));
	struct cond own;
	int line, rc;

	r->file = xstrdup(config_schema_where(rsec, &line));
	r->score = cfg_getfloat(rsec, "score");
	r->human = cfg_getbool(rsec, "human");
	r->template = config_schema_str(rsec, "template");
	if (rules_conds(rsec, "all", rs, &r->all, &r->nall, path, err,
	    errlen) != 0 || rules_conds(rsec, "any", rs, &r->any, &r->nany,
	    path, err, errlen) != 0)
		return -1;
	if ((rc = rules_cond(rsec, rs, &own, path, err, errlen)) != 0) {
		r->all = xrealloc(r->all, (r->nall + 2) * sizeof(*r->all));
		memmove(r->all + 1, r->all, r->nall * sizeof(*r->all));
		r->all[0] = own;
		r->nall++;
	}
	if (rc < 0)
		return -1;
	if (r->template != NULL &&
	    (*tmpl = template_load(r->template, err, errlen)) == NULL)
		return -1;
	return 0;
}

/* rules_category - one category section: its rules and actions */
static int
rules_category(cfg_t *csec, struct ruleset *rs, struct category_actions *a,
    const char *path, char *err, size_t errlen)
{
	const char *template_path = cfg_getstr(csec, "template");
	struct category *c = ruleset_add_category(rs, cfg_title(csec),
	    rules_line(csec, path));
	unsigned nrules = cfg_size(csec, "rule");

	c->min_score = cfg_getfloat(csec, "min_score");
	c->human = cfg_getbool(csec, "human");
	c->veto = cfg_getfloat(csec, "veto");
	a->rule_tmpl = xcalloc(nrules + 1, sizeof(*a->rule_tmpl));
	for (unsigned i = 0; i < nrules; i++)
		if (rules_rule(cfg_getnsec(csec, "rule", i), rs, c,
		    &a->rule_tmpl[i], path, err, errlen) != 0)
			return -1;
	a->answer.reply = cfg_getbool(csec, "reply");
	a->route = config_schema_str(csec, "route");
	config_schema_strlist(csec, "copy", &a->copy, false);
	a->quarantine = config_schema_str(csec, "quarantine");
	if (template_path == NULL)
		return 0;
	a->answer.tmpl_path = xstrdup(template_path);
	if ((a->answer.tmpl = template_load(template_path, err, errlen)) ==
	    NULL)
		return -1;
	return 0;
}

/* rules_reporters - the known-reporter map, once the categories are
 * known; none when the option is empty */
static int
rules_reporters(cfg_t *cfg, struct ruleset *rs, char *err, size_t errlen)
{
	const char *path = cfg_getstr(cfg, "reporters");
	const char **names;

	if (path == NULL || *path == '\0')
		return 0;
	names = xcalloc(rs->ncats + 1, sizeof(*names));
	for (size_t i = 0; i < rs->ncats; i++)
		names[i] = rs->cats[i].name;
	rs->reporters = reporters_load(path, names, rs->ncats, err, errlen);
	free(names);
	return rs->reporters != NULL ? 0 : -1;
}

/* config_rules_build - see rules.h */
int
config_rules_build(cfg_t *cfg, const char *path, struct ruleset *rs,
    struct category_actions **actions, char *err, size_t errlen)
{
	const char *fallback = cfg_getstr(cfg, "default_category");
	unsigned ncats = cfg_size(cfg, "category");
	struct category_actions *a;

	rs->margin = cfg_getfloat(cfg_getsec(cfg, "decision"), "margin");
	/* zeroed: the actions of categories after a failing one are safe
	 * to free */
	*actions = a = xcalloc(ncats + 1, sizeof(*a));
	for (unsigned i = 0; i < ncats; i++)
		if (rules_category(cfg_getnsec(cfg, "category", i), rs, &a[i],
		    path, err, errlen) != 0)
			return -1;
	/* now that the categories no longer move */
	for (size_t i = 0; i < rs->ncats; i++)
		a[i].answer.name = rs->cats[i].name;
	if ((rs->fallback = ruleset_find(rs, fallback)) == NULL) {
		snprintf(err, errlen, "%s: default_category \"%s\" is not "
		    "defined by any category section", path, fallback);
		return -1;
	}
	if (rules_reporters(cfg, rs, err, errlen) != 0)
		return -1;
	ruleset_finish(rs);
	return 0;
}

/* config_rules_free_actions - see rules.h */
void
config_rules_free_actions(struct category_actions *v,
    const struct ruleset *rs)
{
	for (size_t i = 0; v != NULL && i < rs->ncats; i++) {
		if (v[i].answer.tmpl != NULL)
			template_free(v[i].answer.tmpl);
		free(v[i].answer.tmpl_path);
		for (size_t j = 0; v[i].rule_tmpl != NULL &&
		    j < rs->cats[i].nrules; j++)
			if (v[i].rule_tmpl[j] != NULL)
				template_free(v[i].rule_tmpl[j]);
		free(v[i].rule_tmpl);
		free(v[i].route);
		strvec_free(&v[i].copy);
		free(v[i].quarantine);
	}
	free(v);
}
