/*
 * eval.c - conditions and rules evaluated against one complaint; see
 * eval.h.
 *
 * classify_rule is the only place that knows what all{} and any{} mean;
 * a traced and an untraced evaluation differ only in whether they keep
 * each condition's verdict.
 */
#include "classify/eval.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/pattern.h"
#include "util/util.h"

/* classify_in - what conditions look at */
struct classify_in {
	const struct parsed_msg *m;
	const struct evidence *ev;
	const char *envfrom;
};

/* classify_each_subject - call fn on every string the condition tests;
 * stops early when fn returns true */
static void
classify_each_subject(const struct cond *c, const struct classify_in *in,
    bool (*fn)(const struct cond *, const char *, void *), void *arg)
{
	switch (c->kind) {
	case COND_HEADER:
		for (size_t i = 0; i < in->m->nhdrs; i++)
			if (strcasecmp(in->m->hdrs[i].name, c->target) == 0 &&
			    fn(c, in->m->hdrs[i].value, arg))
				return;
		return;
	case COND_REPORT_FIELD:
		for (size_t i = 0; i < in->ev->fields.n; i++)
			if (strcasecmp(in->ev->fields.v[i].key, c->target) == 0
			    && fn(c, in->ev->fields.v[i].val, arg))
				return;
		return;
	case COND_BODY:
		fn(c, in->m->text.s != NULL ? in->m->text.s : "", arg);
		return;
	case COND_ENVELOPE_FROM:
		/* unknown (offline, no Return-Path) is not the null sender:
		 * like an absent header, there is nothing to test */
		if (in->envfrom != NULL)
			fn(c, in->envfrom, arg);
		return;
	}
}

/* classify_try - one subject: keep the first match in the result */
static bool
classify_try(const struct cond *c, const char *subject, void *arg)
{
	struct cond_result *r = arg;

	if (pattern_find(c->re, subject, &r->start, &r->end))
		r->subject = subject;
	return r->subject != NULL;
}

/* classify_cond - does the condition hold? *r gets the verdict and the
 * first match */
static bool
classify_cond(const struct cond *c, const struct classify_in *in,
    struct cond_result *r)
{
	memset(r, 0, sizeof(*r));
	r->cond = c;
	classify_each_subject(c, in, classify_try, r);
	r->held = (r->subject != NULL) != c->negate;
	return r->held;
}

/* classify_rule - the evaluator: every all{} condition holds and, if
 * there are any{} conditions, one of them does. With trace (room for
 * nall + nany results) every condition is evaluated and recorded;
 * without, evaluation stops once the verdict is known. */
static bool
classify_rule(const struct rule *r, const struct classify_in *in,
    struct cond_result *trace)
{
	struct cond_result scratch;
	bool all = true, any = r->nany == 0;

	for (size_t i = 0; i < r->nall && (all || trace); i++)
		if (!classify_cond(&r->all[i], in, trace ? &trace[i] : &scratch))
			all = false;
	for (size_t i = 0; i < r->nany && ((all && !any) || trace); i++)
		if (classify_cond(&r->any[i], in,
		    trace ? &trace[r->nall + i] : &scratch))
			any = true;
	return all && any;
}

/* classify_eval - see eval.h */
void
classify_eval(const struct ruleset *rs, const struct parsed_msg *m,
    const struct evidence *ev, const char *envfrom, bool trace,
    struct classify_result *out)
{
	struct classify_in in = { m, ev, envfrom };
	size_t n = 0;

	for (size_t i = 0; i < rs->ncats; i++)
		n += rs->cats[i].nrules;
	out->rules = xcalloc(n + 1, sizeof(*out->rules));
	out->n = 0;
	for (size_t i = 0; i < rs->ncats; i++)
		for (size_t j = 0; j < rs->cats[i].nrules; j++) {
			const struct rule *r = &rs->cats[i].rules[j];
			struct rule_result *rr = &out->rules[out->n++];

			rr->cat = &rs->cats[i];
			rr->rule = r;
			if (trace)
				rr->conds = xcalloc(r->nall + r->nany + 1,
				    sizeof(*rr->conds));
			rr->matched = classify_rule(r, &in, rr->conds);
		}
}

/* classify_result_free - see eval.h */
void
classify_result_free(struct classify_result *res)
{
	for (size_t i = 0; i < res->n; i++)
		free(res->rules[i].conds);
	free(res->rules);
	memset(res, 0, sizeof(*res));
}
