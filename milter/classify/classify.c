/*
 * classify.c - the rule engine; see classify.h.
 *
 * Patterns are compiled with PCRE2_UTF | PCRE2_MATCH_INVALID_UTF so that
 * broken bytes in a complaint never make a match fail with an error, and
 * JIT-compiled when possible. Match data is per thread (the milter runs
 * callbacks in many threads), sized for the largest pattern on first use.
 * Match and depth limits bound the work a hostile body can cause.
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include "classify/classify.h"

#include <pcre2.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define CLASSIFY_MATCH_LIMIT	1000000
#define CLASSIFY_DEPTH_LIMIT	10000

static pthread_once_t classify_once = PTHREAD_ONCE_INIT;
static pthread_key_t classify_key;

/* classify_tls - per thread: match data, a match context with the
 * limits, and a JIT stack (assigning one to a shared context would race) */
struct classify_tls {
	pcre2_match_data *md;
	pcre2_match_context *mctx;
	pcre2_jit_stack *jit;
};

/* classify_tls_free - thread exit: drop that thread's match data */
static void
classify_tls_free(void *p)
{
	struct classify_tls *t = p;

	pcre2_match_data_free(t->md);
	pcre2_match_context_free(t->mctx);
	pcre2_jit_stack_free(t->jit);
	free(t);
}

/* classify_init - the key of the per-thread data */
static void
classify_init(void)
{
	pthread_key_create(&classify_key, classify_tls_free);
}

/* classify_tls - this thread's match data (64 pairs is plenty: rules
 * only ask whether and where the whole pattern matched) */
static struct classify_tls *
classify_tls(void)
{
	struct classify_tls *t;

	pthread_once(&classify_once, classify_init);
	if ((t = pthread_getspecific(classify_key)) != NULL)
		return t;
	t = xcalloc(1, sizeof(*t));
	t->md = pcre2_match_data_create(64, NULL);
	t->mctx = pcre2_match_context_create(NULL);
	pcre2_set_match_limit(t->mctx, CLASSIFY_MATCH_LIMIT);
	pcre2_set_depth_limit(t->mctx, CLASSIFY_DEPTH_LIMIT);
	t->jit = pcre2_jit_stack_create(32 * 1024, 512 * 1024, NULL);
	pcre2_jit_stack_assign(t->mctx, NULL, t->jit);
	pthread_setspecific(classify_key, t);
	return t;
}

int
classify_compile_pattern(const char *pattern, void **re, char *err,
    size_t errlen)
{
	int code;
	PCRE2_SIZE off;
	pcre2_code *c;

	*re = NULL;
	c = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED,
	    PCRE2_UTF | PCRE2_MATCH_INVALID_UTF, &code, &off, NULL);
	if (c == NULL) {
		PCRE2_UCHAR msg[256];

		pcre2_get_error_message(code, msg, sizeof(msg));
		snprintf(err, errlen, "offset %zu: %s", (size_t)off, (char *)msg);
		return -1;
	}
	/* JIT is an optimisation: a CPU without it still matches */
	(void)pcre2_jit_compile(c, PCRE2_JIT_COMPLETE);
	*re = c;
	return 0;
}

/* classify_match_at - match; on success start and end span the match */
static bool
classify_match_at(const void *re, const char *s, size_t *start, size_t *end)
{
	struct classify_tls *t = classify_tls();
	PCRE2_SIZE *ov;
	int rc;

	if (re == NULL || s == NULL)
		return false;
	rc = pcre2_match(re, (PCRE2_SPTR)s, strlen(s), 0, 0, t->md, t->mctx);
	if (rc == PCRE2_ERROR_JIT_STACKLIMIT)	/* the interpreter may cope */
		rc = pcre2_match(re, (PCRE2_SPTR)s, strlen(s), 0,
		    PCRE2_NO_JIT, t->md, t->mctx);
	if (rc < 0)
		return false;
	ov = pcre2_get_ovector_pointer(t->md);
	*start = ov[0];
	*end = ov[1];
	return true;
}

bool
classify_pattern_match(const void *re, const char *subject)
{
	size_t a, b;

	return classify_match_at(re, subject, &a, &b);
}

void
classify_pattern_free(void *re)
{
	pcre2_code_free(re);
}

/* classify_each_subject - call fn on every string the condition tests;
 * stops early when fn returns true. Returns whether any subject existed. */
static bool
classify_each_subject(const struct cond *c, const struct parsed_msg *m,
    const struct evidence *ev, const char *envfrom,
    bool (*fn)(const struct cond *, const char *, void *), void *arg)
{
	bool any = false;

	switch (c->kind) {
	case COND_HEADER:
		for (size_t i = 0; i < m->nhdrs; i++)
			if (strcasecmp(m->hdrs[i].name, c->target) == 0) {
				any = true;
				if (fn(c, m->hdrs[i].value, arg))
					break;
			}
		return any;
	case COND_REPORT_FIELD:
		for (size_t i = 0; i < ev->fields.n; i++)
			if (strcasecmp(ev->fields.v[i].key, c->target) == 0) {
				any = true;
				if (fn(c, ev->fields.v[i].val, arg))
					break;
			}
		return any;
	case COND_BODY:
		fn(c, m->text.s != NULL ? m->text.s : "", arg);
		return true;
	case COND_ENVELOPE_FROM:
		/* unknown (offline, no Return-Path) is not the null sender */
		if (envfrom == NULL)
			return false;
		fn(c, envfrom, arg);
		return true;
	}
	return false;
}

/* classify_hit - one subject: remember the first match */
struct classify_hit {
	bool matched;
	const char *subject;
	size_t start, end;
};

static bool
classify_try(const struct cond *c, const char *subject, void *arg)
{
	struct classify_hit *h = arg;

	if (classify_match_at(c->re, subject, &h->start, &h->end)) {
		h->matched = true;
		h->subject = subject;
	}
	return h->matched;
}

/* classify_cond - does the condition hold? (with the hit for explain) */
static bool
classify_cond(const struct cond *c, const struct parsed_msg *m,
    const struct evidence *ev, const char *envfrom, struct classify_hit *h)
{
	memset(h, 0, sizeof(*h));
	classify_each_subject(c, m, ev, envfrom, classify_try, h);
	return h->matched != c->negate;
}

/* classify_rule - all conds hold and, if there are any{}, one of them */
static bool
classify_rule(const struct rule *r, const struct parsed_msg *m,
    const struct evidence *ev, const char *envfrom)
{
	struct classify_hit h;
	bool any = r->nany == 0;

	for (size_t i = 0; i < r->nall; i++)
		if (!classify_cond(&r->all[i], m, ev, envfrom, &h))
			return false;
	for (size_t i = 0; i < r->nany && !any; i++)
		any = classify_cond(&r->any[i], m, ev, envfrom, &h);
	return any;
}

const struct category *
classify_run(const struct config *cfg, const struct parsed_msg *m,
    const struct evidence *ev, const char *envfrom, const struct rule **rule_out)
{
	*rule_out = NULL;
	for (size_t i = 0; i < cfg->ncats; i++)
		for (size_t j = 0; j < cfg->cats[i].nrules; j++)
			if (classify_rule(&cfg->cats[i].rules[j], m, ev, envfrom)) {
				*rule_out = &cfg->cats[i].rules[j];
				return &cfg->cats[i];
			}
	return config_find_category(cfg, cfg->default_category);
}

/* classify_explain_cond - one condition's verdict and matched text */
static bool
classify_explain_cond(const struct cond *c, const char *kind,
    const struct parsed_msg *m, const struct evidence *ev,
    const char *envfrom, FILE *out)
{
	static const char *names[] = {"header", "envelope_from", "body",
	    "report_field"};
	struct classify_hit h;
	bool held = classify_cond(c, m, ev, envfrom, &h);

	fprintf(out, "      %s %s%s%s%s '%s'%s: %s", kind, names[c->kind],
	    c->target ? " \"" : "", c->target ? c->target : "",
	    c->target ? "\"" : "", c->pattern, c->negate ? " (not)" : "",
	    held ? "holds" : "fails");
	if (h.matched) {
		size_t n = h.end - h.start;

		fprintf(out, " (matched \"%.*s%s\")", (int)(n > 80 ? 80 : n),
		    h.subject + h.start, n > 80 ? "..." : "");
	}
	fputc('\n', out);
	return held;
}

void
classify_explain(const struct config *cfg, const struct parsed_msg *m,
    const struct evidence *ev, const char *envfrom, FILE *out)
{
	for (size_t i = 0; i < cfg->ncats; i++) {
		const struct category *cat = &cfg->cats[i];

		fprintf(out, "category %s\n", cat->name);
		for (size_t j = 0; j < cat->nrules; j++) {
			const struct rule *r = &cat->rules[j];
			bool all = true, any = r->nany == 0;

			fprintf(out, "   rule %s (line %d)\n", r->name, r->line);
			for (size_t k = 0; k < r->nall; k++)
				all &= classify_explain_cond(&r->all[k], "all",
				    m, ev, envfrom, out);
			for (size_t k = 0; k < r->nany; k++)
				any |= classify_explain_cond(&r->any[k], "any",
				    m, ev, envfrom, out);
			fprintf(out, "   => rule %s %s\n", r->name,
			    all && any ? "MATCHES" : "does not match");
		}
	}
	fprintf(out, "default category: %s\n", cfg->default_category);
}
