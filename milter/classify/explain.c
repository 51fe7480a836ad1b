/*
 * explain.c - write a traced evaluation and its weighing as text; see
 * explain.h. The layout:
 *
 *	decision: abuse, total 3
 *	runner-up: spam, total 1
 *	rule: attack-body
 *	reply: send, template abuse.txt
 *
 *	abuse: total 3
 *	  +2  attack-body (ends at line 701)
 *	        own_text: "brute force"
 *	        not header "Subject": no match for '(?i)^re:'
 *	  +1  attack-subject (line 690)
 *	        header "Subject": phrase "ssh"
 *	spam: total 1
 *	  ...
 *	no match: auto, other, dmca
 *
 * A rule lists the conditions that held: what a regex matched or the
 * phrase found, and for a negated one the pattern that did not match.
 * Long texts and patterns are cut to EXPLAIN_MATCH_MAX bytes (on a
 * character boundary).
 */
#include "classify/explain.h"

#include <stdlib.h>
#include <string.h>

#include "classify/classify.h"
#include "classify/eval.h"
#include "classify/score.h"
#include "util/pattern.h"
#include "util/util.h"

/* explain_cut - print s[0 .. n) quoted, cut to EXPLAIN_MATCH_MAX bytes
 * without splitting a character, line breaks shown as blanks */
static void
explain_cut(FILE *out, const char *s, size_t n)
{
	size_t k = n > EXPLAIN_MATCH_MAX ? EXPLAIN_MATCH_MAX : n;

	while (k < n && k > 0 && ((unsigned char)s[k] & 0xC0) == 0x80)
		k--;
	fputc('"', out);
	for (size_t i = 0; i < k; i++)
		fputc(s[i] == '\n' || s[i] == '\r' || s[i] == '\t' ? ' ' :
		    s[i], out);
	fprintf(out, "%s\"", k < n ? "..." : "");
}

/* explain_total - "NAME, total N" */
static void
explain_total(FILE *out, const char *name, double total)
{
	struct buf b;

	buf_init(&b);
	score_number(&b, total, 3);
	fprintf(out, "%s, total %s", name, b.s);
	buf_free(&b);
}

/* explain_cond - one condition that held */
static void
explain_cond(FILE *out, const struct cond_result *r)
{
	const struct cond *c = r->cond;
	const char *src = c->re != NULL ? pattern_source(c->re) : c->phrases;

	fprintf(out, "        %s%s%s%s%s: ", c->negate ? "not " : "",
	    ruleset_cond_kind(c->kind), c->target ? " \"" : "",
	    c->target ? c->target : "", c->target ? "\"" : "");
	if (r->phrase != NULL) {
		fputs("phrase ", out);
		explain_cut(out, r->phrase, strlen(r->phrase));
	} else if (r->subject != NULL) {
		explain_cut(out, r->subject + r->start, r->end - r->start);
	} else {
		fputs(c->re != NULL ? "no match for " : "no phrase of ", out);
		explain_cut(out, src != NULL ? src : "", src != NULL ?
		    strlen(src) : 0);
	}
	fputc('\n', out);
}

/* explain_rule - a matching rule: score, name, and unless brief the
 * conditions that held */
static void
explain_rule(FILE *out, const struct rule_result *rr, bool brief)
{
	const struct rule *r = rr->rule;
	struct buf b;

	buf_init(&b);
	score_number(&b, r->score, 3);
	if (r->file != NULL) {
		const char *base = strrchr(r->file, '/');

		fprintf(out, "  %s%s  %s (%s:%d)\n", r->score >= 0 ? "+" : "",
		    b.s, r->name, base != NULL ? base + 1 : r->file, r->line);
	} else {
		fprintf(out, "  %s%s  %s (ends at line %d)\n",
		    r->score >= 0 ? "+" : "", b.s, r->name, r->line);
	}
	buf_free(&b);
	for (size_t k = 0; !brief && k < r->nall + r->nany; k++)
		if (rr->conds[k].held)
			explain_cond(out, &rr->conds[k]);
}

/* explain_reporter - the known-reporter map's contribution */
static void
explain_reporter(FILE *out, const struct classify_result *res)
{
	struct buf b;

	buf_init(&b);
	score_number(&b, res->reporter->weight, 3);
	fprintf(out, "  %s%s  %s (line %d of the map)\n        reporter ",
	    res->reporter->weight >= 0 ? "+" : "", b.s,
	    score_reporter_rule.name, res->reporter->line);
	explain_cut(out, res->reporter_addr, strlen(res->reporter_addr));
	fprintf(out, " is listed as \"%s\"\n", res->reporter->pattern);
	buf_free(&b);
}

/* explain_by_score - rule results of one category, strongest first,
 * ties in file order (the results are in file order: a stable sort) */
static void
explain_by_score(const struct rule_result **v, size_t n)
{
	for (size_t i = 1; i < n; i++)
		for (size_t j = i; j > 0 &&
		    v[j]->rule->score > v[j - 1]->rule->score; j--) {
			const struct rule_result *t = v[j];

			v[j] = v[j - 1];
			v[j - 1] = t;
		}
}

/* explain_category - a category something scored for: its total, then
 * its rules strongest first; the map's entry after the rules of its
 * weight */
static void
explain_category(FILE *out, const struct ruleset *rs,
    const struct classify_result *res, size_t ci, double total, bool brief)
{
	const struct category *cat = &rs->cats[ci];
	const struct rule_result **v = xcalloc(res->n + 1, sizeof(*v));
	bool map = res->reporter != NULL && res->reporter_cat == cat;
	size_t n = 0;

	for (size_t i = 0; i < res->n; i++)
		if (res->rules[i].cat == cat && res->rules[i].matched)
			v[n++] = &res->rules[i];
	explain_by_score(v, n);
	explain_total(out, cat->name, total);
	fputc('\n', out);
	for (size_t i = 0; i < n; i++) {
		if (map && res->reporter->weight > v[i]->rule->score) {
			explain_reporter(out, res);
			map = false;
		}
		explain_rule(out, v[i], brief);
	}
	if (map)
		explain_reporter(out, res);
	free(v);
}

/* explain_decision - the decision block */
static void
explain_decision(FILE *out, const struct classify_decision *d,
    const char *reply)
{
	fputs("decision: ", out);
	explain_total(out, d->cat->name, d->total);
	fputs(d->won ? "\n" : " (the default category: no category reached "
	    "its min_score)\n", out);
	if (d->runner_up != NULL) {
		fputs("runner-up: ", out);
		explain_total(out, d->runner_up->name, d->runner_total);
		fputc('\n', out);
	} else {
		fputs("runner-up: none\n", out);
	}
	fprintf(out, "rule: %s\n", d->rule != NULL ? d->rule->name :
	    "(none)");
	if (reply != NULL)
		fprintf(out, "reply: %s\n", reply);
}

/* classify_explain - see explain.h */
void
classify_explain(const struct ruleset *rs, const struct parsed_msg *m,
    const struct evidence *ev, const char *envfrom, const char *reply,
    bool brief, FILE *out)
{
	struct classify_result res;
	struct classify_decision d;
	struct score_cat *cats = xcalloc(rs->ncats + 1, sizeof(*cats));
	size_t *order = xcalloc(rs->ncats + 1, sizeof(*order)), n = 0;
	const char *sep = "no match: ";

	classify_eval(rs, m, ev, envfrom, true, &res);
	classify_weigh(rs, m, ev, &res, cats, &d);
	explain_decision(out, &d, reply);
	fputc('\n', out);
	/* highest total first, ties in file order: an insertion sort of
	 * the categories something scored for */
	for (size_t i = 0; i < rs->ncats; i++) {
		size_t j;

		if (!cats[i].hit)
			continue;
		for (j = n++; j > 0 && cats[i].total > cats[order[j - 1]].total;
		    j--)
			order[j] = order[j - 1];
		order[j] = i;
	}
	for (size_t k = 0; k < n; k++)
		explain_category(out, rs, &res, order[k], cats[order[k]].total,
		    brief);
	for (size_t i = 0; i < rs->ncats; i++)
		if (!cats[i].hit) {
			fprintf(out, "%s%s", sep, rs->cats[i].name);
			sep = ", ";
		}
	if (*sep == ',')
		fputc('\n', out);
	classify_result_free(&res);
	free(order);
	free(cats);
}
