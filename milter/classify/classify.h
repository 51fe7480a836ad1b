/*
 * classify.h - the rule engine: PCRE2 patterns compiled once per config
 * load (JIT where the CPU allows), evaluated against a parsed complaint.
 *
 * Precedence: categories in file order, rules in file order inside a
 * category; the first rule that matches decides. No match: the
 * configured default category.
 *
 * Conditions (config.h struct cond): COND_HEADER tests every instance of
 * the named header (decoded); COND_BODY the complaint's own text (never
 * the attached evidence); COND_ENVELOPE_FROM the envelope sender (unknown:
 * the condition fails, like an absent header); COND_REPORT_FIELD every value of that evidence field. An absent
 * header or field fails the condition; a negated one then holds.
 * A match or depth limit hit counts as no match.
 */
#ifndef ABUSE_CLASSIFY_H
#define ABUSE_CLASSIFY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "config/config.h"
#include "evidence/evidence.h"
#include "parse/message.h"

/* classify_compile_pattern - 0, or -1 with "offset N: message" in err */
int classify_compile_pattern(const char *pattern, void **re, char *err,
    size_t errlen);
/* classify_pattern_match - thread-safe; false on no match or error */
bool classify_pattern_match(const void *re, const char *subject);
void classify_pattern_free(void *re);

const struct category *classify_run(const struct config *cfg,
    const struct parsed_msg *m, const struct evidence *ev,
    const char *envfrom, const struct rule **rule_out);

/* classify_explain - the same evaluation, telling which rules and
 * conditions held, with the text each pattern matched */
void classify_explain(const struct config *cfg, const struct parsed_msg *m,
    const struct evidence *ev, const char *envfrom, FILE *out);

#endif
