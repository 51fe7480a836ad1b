/*
 * pattern.c - the PCRE2 wrapper; see pattern.h for how to call it.
 *
 * A compiled pattern is read-only once built, so threads share it; what
 * a match writes (match data, the match context with the limits, the JIT
 * stack) is per thread, created on a thread's first match and freed
 * when the thread exits. The milter runs its callbacks in many threads.
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include "util/pattern.h"

#include <pcre2.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/util.h"

#define PATTERN_MATCH_LIMIT	1000000
#define PATTERN_DEPTH_LIMIT	10000

struct pattern {
	pcre2_code *code;
	char *source;
};

/* pattern_tls - per thread: match data, a match context with the
 * limits, and a JIT stack (assigning one to a shared context would race) */
struct pattern_tls {
	pcre2_match_data *md;
	pcre2_match_context *mctx;
	pcre2_jit_stack *jit;
};

static pthread_once_t pattern_once = PTHREAD_ONCE_INIT;
static pthread_key_t pattern_key;

/* pattern_tls_free - thread exit: drop that thread's match data */
static void
pattern_tls_free(void *p)
{
	struct pattern_tls *t = p;

	pcre2_match_data_free(t->md);
	pcre2_match_context_free(t->mctx);
	pcre2_jit_stack_free(t->jit);
	free(t);
}

/* pattern_init - the key of the per-thread data */
static void
pattern_init(void)
{
	pthread_key_create(&pattern_key, pattern_tls_free);
}

/* pattern_tls - this thread's match data (64 pairs is plenty: callers
 * only ask whether and where the whole pattern matched) */
static struct pattern_tls *
pattern_tls(void)
{
	struct pattern_tls *t;

	pthread_once(&pattern_once, pattern_init);
	if ((t = pthread_getspecific(pattern_key)) != NULL)
		return t;
	t = xcalloc(1, sizeof(*t));
	t->md = pcre2_match_data_create(64, NULL);
	t->mctx = pcre2_match_context_create(NULL);
	pcre2_set_match_limit(t->mctx, PATTERN_MATCH_LIMIT);
	pcre2_set_depth_limit(t->mctx, PATTERN_DEPTH_LIMIT);
	t->jit = pcre2_jit_stack_create(32 * 1024, 512 * 1024, NULL);
	pcre2_jit_stack_assign(t->mctx, NULL, t->jit);
	pthread_setspecific(pattern_key, t);
	return t;
}

/* pattern_compile - see pattern.h */
struct pattern *
pattern_compile(const char *source, char *err, size_t errlen)
{
	struct pattern *p;
	PCRE2_SIZE off;
	pcre2_code *c;
	int code;

	c = pcre2_compile((PCRE2_SPTR)source, PCRE2_ZERO_TERMINATED,
	    PCRE2_UTF | PCRE2_MATCH_INVALID_UTF, &code, &off, NULL);
	if (c == NULL) {
		PCRE2_UCHAR msg[256];

		pcre2_get_error_message(code, msg, sizeof(msg));
		snprintf(err, errlen, "offset %zu: %s", (size_t)off,
		    (char *)msg);
		return NULL;
	}
	/* JIT is an optimisation: a CPU without it still matches */
	(void)pcre2_jit_compile(c, PCRE2_JIT_COMPLETE);
	p = xcalloc(1, sizeof(*p));
	p->code = c;
	p->source = xstrdup(source);
	return p;
}

/* pattern_find - see pattern.h */
bool
pattern_find(const struct pattern *p, const char *subject, size_t *start,
    size_t *end)
{
	struct pattern_tls *t;
	PCRE2_SIZE *ov;
	size_t len;
	int rc;

	if (p == NULL || subject == NULL)
		return false;
	t = pattern_tls();
	len = strlen(subject);
	rc = pcre2_match(p->code, (PCRE2_SPTR)subject, len, 0, 0, t->md,
	    t->mctx);
	if (rc == PCRE2_ERROR_JIT_STACKLIMIT)	/* the interpreter may cope */
		rc = pcre2_match(p->code, (PCRE2_SPTR)subject, len, 0,
		    PCRE2_NO_JIT, t->md, t->mctx);
	if (rc < 0)
		return false;
	ov = pcre2_get_ovector_pointer(t->md);
	*start = ov[0];
	*end = ov[1];
	return true;
}

/* pattern_match - see pattern.h */
bool
pattern_match(const struct pattern *p, const char *subject)
{
	size_t a, b;

	return pattern_find(p, subject, &a, &b);
}

/* pattern_source - see pattern.h */
const char *
pattern_source(const struct pattern *p)
{
	return p->source;
}

/* pattern_free - see pattern.h */
void
pattern_free(struct pattern *p)
{
	if (p == NULL)
		return;
	pcre2_code_free(p->code);
	free(p->source);
	free(p);
}
