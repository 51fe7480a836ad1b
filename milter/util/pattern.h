/*
 * pattern.h - one PCRE2 regular expression: compiled once (JIT where the
 * CPU allows), then matched from any number of threads at once.
 *
 * Usage:
 *	char err[256];
 *	struct pattern *p = pattern_compile("(?i)\\bdmca\\b", err, sizeof(err));
 *	if (p == NULL) ... err holds "offset N: message" ...
 *	if (pattern_match(p, subject)) ...
 *	pattern_free(p);
 *
 * Patterns are UTF-8 and matched with PCRE2_MATCH_INVALID_UTF, so broken
 * bytes in a subject never turn a match into an error. Match and depth
 * limits bound the work a hostile subject can cause; hitting one counts
 * as no match.
 */
#ifndef ABUSE_PATTERN_H
#define ABUSE_PATTERN_H

#include <stdbool.h>
#include <stddef.h>

struct pattern;

/* pattern_compile - a compiled copy of source, or NULL with
 * "offset N: message" in err */
struct pattern *pattern_compile(const char *source, char *err,
    size_t errlen);

/* pattern_match - does p match somewhere in subject? false when either
 * is NULL, on no match and on a limit hit */
bool pattern_match(const struct pattern *p, const char *subject);

/* pattern_find - pattern_match that also tells where: on true,
 * subject[*start .. *end) is the text matched */
bool pattern_find(const struct pattern *p, const char *subject,
    size_t *start, size_t *end);

/* pattern_source - the text p was compiled from */
const char *pattern_source(const struct pattern *p);

/* pattern_free - p may be NULL */
void pattern_free(struct pattern *p);

#endif
