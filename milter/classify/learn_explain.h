/*
 * learn_explain.h - the learner's part of --explain: for one complaint,
 * each category's posterior, what the learner adds to its total, and the
 * tokens that pulled hardest toward it.
 *
 *	learned: 182 of 240 tokens known (weight 3, min_messages 10)
 *	   abuse            posterior 0.970  adds 2.91
 *	      b:failed_password +0.41, w:ssh +0.33, ...
 *	   dmca             not used: 4 messages learned, min_messages 10
 *
 * Usage: learn_explain(rs, &c.msg, &c.ev, stdout);
 */
#ifndef ABUSE_LEARN_EXPLAIN_H
#define ABUSE_LEARN_EXPLAIN_H

#include <stdio.h>

#include "classify/ruleset.h"
#include "evidence/evidence.h"
#include "parse/message.h"

#define LEARN_EXPLAIN_TOKENS	5	/* tokens shown per category */

/* learn_explain - the section above for rs->learned; one line saying the
 * rules decide alone when rs has no learned data */
void learn_explain(const struct ruleset *rs, const struct parsed_msg *m,
    const struct evidence *ev, FILE *out);

#endif
