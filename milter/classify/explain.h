/*
 * explain.h - the text of --explain, for people: why a complaint got
 * its category. First the decision (the winner and its total, the
 * runner-up, the deciding rule, the reply as the caller words it), then
 * each category something scored for, highest total first, with its
 * contributing rules, strongest first, each with its score and what it
 * matched; last the categories nothing scored for, on one line.
 *
 * The evaluation is eval.c's (traced) and the weighing score.c's; this
 * module only writes them down.
 *
 * Usage:
 *	classify_explain(&cfg->rules, &c.msg, &c.ev, envfrom,
 *	    "send, template abuse.txt", false, stdout);
 */
#ifndef ABUSE_EXPLAIN_H
#define ABUSE_EXPLAIN_H

#include <stdbool.h>
#include <stdio.h>

#include "classify/ruleset.h"
#include "evidence/evidence.h"
#include "parse/message.h"

#define EXPLAIN_MATCH_MAX	80	/* bytes of matched text shown */

/* classify_explain - the text described above; reply: the reply line's
 * text (the reply is decided above this layer), NULL: no such line;
 * brief: each rule on one line, without its conditions */
void classify_explain(const struct ruleset *rs, const struct parsed_msg *m,
    const struct evidence *ev, const char *envfrom, const char *reply,
    bool brief, FILE *out);

#endif
