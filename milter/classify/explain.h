/*
 * explain.h - the text of --explain: every rule of a ruleset evaluated
 * against one complaint, each condition with its verdict and the text
 * its pattern matched. The evaluation is classify.c's (traced); this
 * module only writes it down.
 *
 * Usage: classify_explain(&cfg->rules, &c.msg, &c.ev, envfrom, stdout);
 */
#ifndef ABUSE_EXPLAIN_H
#define ABUSE_EXPLAIN_H

#include <stdio.h>

#include "classify/ruleset.h"
#include "evidence/evidence.h"
#include "parse/message.h"

/* classify_explain - categories in precedence order, their rules and
 * conditions, then the fallback category */
void classify_explain(const struct ruleset *rs, const struct parsed_msg *m,
    const struct evidence *ev, const char *envfrom, FILE *out);

#endif
