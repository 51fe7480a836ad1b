/*
 * classify.c - the rule engine's entry point: evaluate (eval.c), weigh
 * (score.c), with the learner's share (learn.c) when the ruleset has a
 * snapshot of learned data; see classify.h. Nothing is kept between
 * calls, so many threads may classify against one ruleset.
 */
#include "classify/classify.h"

#include <stdlib.h>

#include "classify/learn.h"
#include "util/util.h"

/* classify_weigh - see classify.h */
void
classify_weigh(const struct ruleset *rs, const struct parsed_msg *m,
    const struct evidence *ev, const struct classify_result *res,
    struct score_cat *cats, struct classify_decision *d)
{
	score_totals(rs, res, cats);
	learn_score(rs->learned, m, ev, cats);
	score_decide(rs, cats, d);
}

/* classify_run - see classify.h */
void
classify_run(const struct ruleset *rs, const struct parsed_msg *m,
    const struct evidence *ev, const char *envfrom,
    struct classify_decision *d)
{
	struct classify_result res;
	struct score_cat *cats = xcalloc(rs->ncats + 1, sizeof(*cats));

	classify_eval(rs, m, ev, envfrom, false, &res);
	classify_weigh(rs, m, ev, &res, cats, d);
	classify_result_free(&res);
	free(cats);
}
