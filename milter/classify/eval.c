/*
 * eval.c - conditions and rules evaluated against one complaint; see
 * eval.h.
 *
 * classify_rule is the only place that knows what all{} and any{} mean;
 * a traced and an untraced evaluation differ only in whether they keep
 * each condition's verdict.
 *
 * What a complaint costs beyond the regexes is paid once and only when
 * a condition needs it: the own text (quotes removed) is made on first
 * use; each text that phrase conditions look at (rs->texts) is scanned
 * on first use, for every phrase list at once, and the conditions then
 * look up their list in that scan. All of it lives in the evaluation
 * (struct classify_in and the result), never in the ruleset, so threads
 * share nothing but the read-only ruleset.
 */
#include "classify/eval.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "classify/phrase.h"
#include "evidence/extract.h"
#include "parse/rfc5322.h"
#include "util/pattern.h"
#include "util/util.h"

/* classify_in - what conditions look at, and what one evaluation has
 * worked out so far */
struct classify_in {
	const struct ruleset *rs;
	const struct parsed_msg *m;
	const struct evidence *ev;
	const char *envfrom;
	char **own;		/* the own text, once made (in the result) */
	size_t nlists;
	int *first;		/* per text: nlists entries (phrase_set_scan) */
	bool *scanned;		/* per text */
	int *one;		/* nlists entries: the scan of one instance */
};

/* classify_own - the own text without quoted earlier mail */
static const char *
classify_own(struct classify_in *in)
{
	if (*in->own == NULL)
		*in->own = extract_own_text(in->m->text.s != NULL ?
		    in->m->text.s : "");
	return *in->own;
}

/* classify_each_subject - call fn on every string of a target (kind and
 * name); stops early when fn returns true */
static void
classify_each_subject(enum cond_kind kind, const char *target,
    struct classify_in *in, bool (*fn)(const char *, void *), void *arg)
{
	const char *v;

	switch (kind) {
	case COND_HEADER:
		for (size_t i = 0; i < in->m->nhdrs; i++) {
			v = in->m->hdrs[i].value;
			if (strcasecmp(in->m->hdrs[i].name, target) == 0 &&
			    fn(v != NULL ? v : "", arg))
				return;
		}
		return;
	case COND_REPORT_FIELD:
		for (size_t i = 0; i < in->ev->fields.n; i++)
			if (strcasecmp(in->ev->fields.v[i].key, target) == 0
			    && fn(in->ev->fields.v[i].val, arg))
				return;
		return;
	case COND_BODY:
		fn(in->m->text.s != NULL ? in->m->text.s : "", arg);
		return;
	case COND_OWN_TEXT:
		fn(classify_own(in), arg);
		return;
	case COND_EVIDENCE:
		fn(in->m->evidence.s != NULL ? in->m->evidence.s : "", arg);
		return;
	case COND_ENVELOPE_FROM:
		/* unknown (offline, no Return-Path) is not the null sender:
		 * like an absent header, there is nothing to test */
		if (in->envfrom != NULL)
			fn(in->envfrom, arg);
		return;
	}
}

/* classify_try_arg - a regex condition and where its first match goes */
struct classify_try_arg {
	const struct cond *c;
	struct cond_result *r;
};

/* classify_try - one subject: keep the first match in the result */
static bool
classify_try(const char *subject, void *arg)
{
	struct classify_try_arg *a = arg;

	if (pattern_find(a->c->re, subject, &a->r->start, &a->r->end))
		a->r->subject = subject;
	return a->r->subject != NULL;
}

/* classify_scan_arg - the text being scanned */
struct classify_scan_arg {
	struct classify_in *in;
	int *first;
};

/* classify_scan_one - scan one instance of a text into in->one; keep
 * for each list the first phrase of the first instance that has one (a
 * header may come several times) */
static bool
classify_scan_one(const char *subject, void *arg)
{
	struct classify_scan_arg *a = arg;
	struct classify_in *in = a->in;

	phrase_set_scan(in->rs->phrases, subject, strlen(subject), in->one);
	for (size_t l = 0; l < in->nlists; l++)
		if (a->first[l] < 0)
			a->first[l] = in->one[l];
	return false;
}

/* classify_scan - the phrase scan of text t, made on first use */
static const int *
classify_scan(struct classify_in *in, int t)
{
	struct classify_scan_arg a = { in, in->first + (size_t)t * in->nlists };
	const struct scan_text *st = &in->rs->texts[t];

	if (!in->scanned[t]) {
		in->scanned[t] = true;
		for (size_t l = 0; l < in->nlists; l++)
			a.first[l] = -1;
		classify_each_subject(st->kind, st->target, in,
		    classify_scan_one, &a);
	}
	return a.first;
}

/* classify_cond - does the condition hold? *r gets the verdict and the
 * first match: the regex's, or the phrase found */
static bool
classify_cond(const struct cond *c, struct classify_in *in,
    struct cond_result *r)
{
	memset(r, 0, sizeof(*r));
	r->cond = c;
	if (c->re != NULL) {
		struct classify_try_arg a = { c, r };

		classify_each_subject(c->kind, c->target, in, classify_try, &a);
		r->held = (r->subject != NULL) != c->negate;
	} else {
		int idx = classify_scan(in, c->text)[c->list];

		if (idx >= 0)
			r->phrase = phrase_set_phrase(in->rs->phrases, idx);
		r->held = (idx >= 0) != c->negate;
	}
	return r->held;
}

/* classify_rule - the evaluator: every all{} condition holds and, if
 * there are any{} conditions, one of them does. With trace (room for
 * nall + nany results) every condition is evaluated and recorded;
 * without, evaluation stops once the verdict is known. */
static bool
classify_rule(const struct rule *r, struct classify_in *in,
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

/* classify_reporter - the known-reporter map's entry for this
 * complaint's reporter: the evidence's, else the From address */
static void
classify_reporter(const struct ruleset *rs, const struct parsed_msg *m,
    const struct evidence *ev, struct classify_result *out)
{
	if (rs->reporters == NULL)
		return;
	out->reporter_addr = ev->reporter;
	if (out->reporter_addr == NULL)
		out->reporter_addr = out->from_addr = rfc5322_addr_extract(
		    parsed_msg_header(m, "From"));
	out->reporter = reporters_lookup(rs->reporters, out->reporter_addr);
	if (out->reporter != NULL && out->reporter->cat < rs->ncats)
		out->reporter_cat = &rs->cats[out->reporter->cat];
	else
		out->reporter = NULL;
}

/* classify_eval - see eval.h */
void
classify_eval(const struct ruleset *rs, const struct parsed_msg *m,
    const struct evidence *ev, const char *envfrom, bool trace,
    struct classify_result *out)
{
	struct classify_in in = { rs, m, ev, envfrom, NULL, 0, NULL, NULL,
	    NULL };
	size_t n = 0;

	memset(out, 0, sizeof(*out));
	in.own = &out->own_text;
	if (rs->phrases != NULL) {
		in.nlists = phrase_set_nlists(rs->phrases);
		in.first = xcalloc(rs->ntexts * in.nlists + 1,
		    sizeof(*in.first));
		in.scanned = xcalloc(rs->ntexts + 1, sizeof(*in.scanned));
		in.one = xcalloc(in.nlists + 1, sizeof(*in.one));
	}
	for (size_t i = 0; i < rs->ncats; i++)
		n += rs->cats[i].nrules;
	out->rules = xcalloc(n + 1, sizeof(*out->rules));
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
	free(in.first);
	free(in.scanned);
	free(in.one);
	classify_reporter(rs, m, ev, out);
}

/* classify_result_free - see eval.h */
void
classify_result_free(struct classify_result *res)
{
	for (size_t i = 0; i < res->n; i++)
		free(res->rules[i].conds);
	free(res->rules);
	free(res->own_text);
	free(res->from_addr);
	memset(res, 0, sizeof(*res));
}
