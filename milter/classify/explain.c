/*
 * explain.c - write a traced evaluation as text; see explain.h.
 *
 *	category NAME
 *	   rule NAME (line N)
 *	      all header "Subject" 'PATTERN' (not): holds (matched "TEXT")
 *	   => rule NAME MATCHES | does not match
 *	default category: NAME
 */
#include "classify/explain.h"

#include "classify/classify.h"
#include "util/pattern.h"

#define EXPLAIN_MATCH_MAX	80	/* bytes of matched text shown */

/* explain_cond - one condition's line */
static void
explain_cond(const struct cond_result *r, const char *list, FILE *out)
{
	const struct cond *c = r->cond;

	fprintf(out, "      %s %s%s%s%s ", list,
	    ruleset_cond_kind(c->kind), c->target ? " \"" : "",
	    c->target ? c->target : "", c->target ? "\"" : "");
	if (c->re != NULL)
		fprintf(out, "'%s'", pattern_source(c->re));
	else
		fprintf(out, "phrases {%s}", c->phrases ? c->phrases : "");
	fprintf(out, "%s: %s", c->negate ? " (not)" : "",
	    r->held ? "holds" : "fails");
	if (r->phrase != NULL)
		fprintf(out, " (found \"%s\")", r->phrase);
	if (r->subject != NULL) {
		size_t n = r->end - r->start;

		fprintf(out, " (matched \"%.*s%s\")",
		    (int)(n > EXPLAIN_MATCH_MAX ? EXPLAIN_MATCH_MAX : n),
		    r->subject + r->start, n > EXPLAIN_MATCH_MAX ? "..." : "");
	}
	fputc('\n', out);
}

/* explain_rule - a rule, its conditions and its verdict */
static void
explain_rule(const struct rule_result *rr, FILE *out)
{
	const struct rule *r = rr->rule;

	fprintf(out, "   rule %s (line %d)\n", r->name, r->line);
	for (size_t k = 0; k < r->nall; k++)
		explain_cond(&rr->conds[k], "all", out);
	for (size_t k = 0; k < r->nany; k++)
		explain_cond(&rr->conds[r->nall + k], "any", out);
	fprintf(out, "   => rule %s %s\n", r->name,
	    rr->matched ? "MATCHES" : "does not match");
}

/* classify_explain - see explain.h */
void
classify_explain(const struct ruleset *rs, const struct parsed_msg *m,
    const struct evidence *ev, const char *envfrom, FILE *out)
{
	struct classify_result res;
	size_t k = 0;

	classify_eval(rs, m, ev, envfrom, true, &res);
	/* the results follow the ruleset's order; walking the categories
	 * too shows the ones without rules */
	for (size_t i = 0; i < rs->ncats; i++) {
		fprintf(out, "category %s\n", rs->cats[i].name);
		for (size_t j = 0; j < rs->cats[i].nrules; j++)
			explain_rule(&res.rules[k++], out);
	}
	fprintf(out, "default category: %s\n", rs->fallback->name);
	classify_result_free(&res);
}
