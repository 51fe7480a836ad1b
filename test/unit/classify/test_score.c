/*
 * test_score.c - unit tests of milter/classify/score.c, the weighing of
 * an evaluation: totals per category, the winner, ties by file order,
 * min_score, the fallback, the strongest rule, negative scores and the
 * runner-up.
 *
 * No conditions are evaluated: a row names which rules matched, and the
 * evaluation result is built from that. A ruleset is written as
 *
 *	"C name [min_score] [veto=N] [human]"   a category (min_score 1)
 *	"R name [score] [human]"                a rule of the last category
 *	                                        (score 1)
 *	"M margin"                              the ruleset's margin (0)
 *
 * one per line; the last category is the fallback. Rule names are
 * unique across the ruleset. The decision's flags are written as one
 * string: "human", "veto:NAME", "uncertain", blank-separated, in that
 * order ("" none).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "classify/score.h"
#include "util/util.h"

/* build - a ruleset from the spec above */
static void
build(struct ruleset *rs, const char *spec)
{
	char *copy = xstrdup(spec), *save = NULL, *line;

	memset(rs, 0, sizeof(*rs));
	for (line = strtok_r(copy, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save)) {
		char name[64];
		double v;
		int n = sscanf(line + 2, "%63s %lf", name, &v);
		const char *veto = strstr(line, "veto=");
		bool human = strstr(line, " human") != NULL;

		assert_true(n >= 1);
		if (line[0] == 'M') {
			rs->margin = strtod(line + 2, NULL);
		} else if (line[0] == 'C') {
			struct category *c = ruleset_add_category(rs, name, 0);

			if (n == 2)
				c->min_score = v;
			if (veto != NULL)
				c->veto = strtod(veto + 5, NULL);
			c->human = human;
		} else {
			struct rule *r;

			assert_true(rs->ncats > 0);
			r = ruleset_add_rule(&rs->cats[rs->ncats - 1], name, 0);
			if (n == 2)
				r->score = v;
			r->human = human;
		}
	}
	free(copy);
	rs->fallback = &rs->cats[rs->ncats - 1];
}

/* evaluate - the result an evaluation would give when exactly the rules
 * named in matched (blank-separated) match */
static void
evaluate(const struct ruleset *rs, const char *matched,
    struct classify_result *res)
{
	size_t n = 0;

	memset(res, 0, sizeof(*res));
	for (size_t i = 0; i < rs->ncats; i++)
		n += rs->cats[i].nrules;
	res->rules = xcalloc(n + 1, sizeof(*res->rules));
	for (size_t i = 0; i < rs->ncats; i++)
		for (size_t j = 0; j < rs->cats[i].nrules; j++) {
			struct rule_result *rr = &res->rules[res->n++];
			const char *name = rs->cats[i].rules[j].name;
			size_t len = strlen(name);
			const char *p = matched;

			rr->cat = &rs->cats[i];
			rr->rule = &rs->cats[i].rules[j];
			while ((p = strstr(p, name)) != NULL) {
				if ((p == matched || p[-1] == ' ') &&
				    (p[len] == ' ' || p[len] == '\0'))
					rr->matched = true;
				p += len;
			}
		}
}

struct score_row {
	const char *label;
	const char *rules;
	const char *matched;	/* names of the matching rules */
	const char *want_cat;
	const char *want_rule;	/* NULL: no rule */
	double want_total;
	const char *want_runner;	/* NULL: none */
	double want_runner_total;
	const char *want_flags;		/* NULL: "" */
};

#define AB "C a\nR a1\nR a2\nC b\nR b1\nR b2\nC other\n"

static const struct score_row rows[] = {
	{ "one rule, one category", AB, "b1", "b", "b1", 1, NULL, 0, NULL },
	{ "nothing matched: fallback, total 0, no rule", AB, "", "other",
	  NULL, 0, NULL, 0, NULL },
	{ "the higher total wins, not the first category", AB, "a1 b1 b2",
	  "b", "b1", 2, "a", 1, NULL },
	{ "equal totals: the first category in the file", AB, "b1 a2", "a",
	  "a2", 1, "b", 1, NULL },
	{ "scores add up", "C a\nR a1 1.5\nR a2 2\nC b\nR b1 3\nC other\n",
	  "a1 a2 b1", "a", "a2", 3.5, "b", 3, NULL },
	{ "strongest rule, not the first", "C a\nR a1 1\nR a2 4\nR a3 2\n"
	  "C other\n", "a1 a2 a3", "a", "a2", 7, NULL, 0, NULL },
	{ "equal rules: the first in the file", "C a\nR a1 2\nR a2 2\n"
	  "C other\n", "a2 a1", "a", "a1", 4, NULL, 0, NULL },
	{ "below min_score: fallback, but a runner-up",
	  "C a 3\nR a1 2\nC other\n", "a1", "other", NULL, 0, "a", 2, NULL },
	{ "exactly min_score wins", "C a 3\nR a1 2\nR a2 1\nC other\n",
	  "a1 a2", "a", "a1", 3, NULL, 0, NULL },
	{ "a higher total below its min_score loses to a lower one",
	  "C a 10\nR a1 5\nC b\nR b1 2\nC other\n", "a1 b1", "b", "b1", 2,
	  "a", 5, NULL },
	{ "a negative rule lowers its category",
	  "C a\nR a1 2\nR a2 -1.5\nC b\nR b1 1\nC other\n", "a1 a2 b1", "b",
	  "b1", 1, "a", 0.5, NULL },
	{ "negative rule alone: nothing wins, no runner-up",
	  "C a\nR a1 -1\nC other\n", "a1", "other", NULL, 0, NULL, 0, NULL },
	{ "min_score 0 still wants a matching rule",
	  "C a 0\nR a1\nC b\nR b1\nC other\n", "b1", "b", "b1", 1, NULL, 0, NULL },
	{ "the fallback category may win with its own rules",
	  "C a\nR a1\nC other\nR o1 2\n", "a1 o1", "other", "o1", 2, "a", 1, NULL },
	{ "runner-up: the highest other total", "C a\nR a1 1\nC b\nR b1 3\n"
	  "C c\nR c1 2\nC other\n", "a1 b1 c1", "b", "b1", 3, "c", 2, NULL },
};

/* flag rows: what the weighing says about answering */
static const struct score_row flag_rows[] = {
	{ "clear winner: no flag", "M 1\n" AB, "a1 a2 b1", "a", "a1", 2, "b", 1,
	  "" },
	{ "less than the margin ahead: uncertain",
	  "M 1\nC a\nR a1 2\nC b\nR b1 1.5\nC other\n", "a1 b1", "a", "a1",
	  2, "b", 1.5, "uncertain" },
	{ "exactly the margin ahead is certain",
	  "M 1\nC a\nR a1 2.5\nC b\nR b1 1.5\nC other\n", "a1 b1", "a",
	  "a1", 2.5, "b", 1.5, "" },
	{ "a tie is uncertain", "M 1\n" AB, "a1 b1", "a", "a1", 1, "b", 1,
	  "uncertain" },
	{ "margin 0: a tie is answered", "M 0\n" AB, "a1 b1", "a", "a1", 1,
	  "b", 1, "" },
	{ "no runner-up: no margin check", "M 5\n" AB, "a1", "a", "a1", 1,
	  NULL, 0, "" },
	{ "the fallback by default is never uncertain",
	  "M 1\nC a 3\nR a1 2\nC other\n", "a1", "other", NULL, 0, "a", 2,
	  "" },
	{ "human category wins", "C a human\nR a1\nC other\n", "a1", "a",
	  "a1", 1, NULL, 0, "human" },
	{ "human category that loses says nothing",
	  "C a human\nR a1\nC b\nR b1 2\nC other\n", "a1 b1", "b", "b1", 2,
	  "a", 1, "" },
	{ "human rule that decides",
	  "C a\nR a1 1\nR a2 3 human\nC other\n", "a1 a2", "a", "a2", 4,
	  NULL, 0, "human" },
	{ "human rule that is not the strongest says nothing",
	  "C a\nR a1 3\nR a2 1 human\nC other\n", "a1 a2", "a", "a1", 4,
	  NULL, 0, "" },
	{ "veto from a category that does not win",
	  "C le 5 veto=2\nR l1 2\nC b\nR b1 3\nC other\n", "l1 b1", "b",
	  "b1", 3, "le", 2, "veto:le" },
	{ "below the veto: nothing",
	  "C le 5 veto=2\nR l1 1.5\nC b\nR b1 3\nC other\n", "l1 b1", "b",
	  "b1", 3, "le", 1.5, "" },
	{ "veto 0 is none", "C le veto=0\nR l1 9\nC other\n", "l1", "le",
	  "l1", 9, NULL, 0, "" },
	{ "the first veto in the file",
	  "C x veto=1\nR x1\nC y veto=1\nR y1 2\nC other\n", "x1 y1", "y",
	  "y1", 2, "x", 1, "veto:x" },
	{ "every flag at once", "M 1\nC le veto=1 human\nR l1 2\nC b\n"
	  "R b1 1.5\nC other\n", "l1 b1", "le", "l1", 2, "b", 1.5,
	  "human veto:le uncertain" },
};

/* flags - the decision's flags as a row writes them */
static char *
flags(const struct classify_decision *d)
{
	char *s = xasprintf("%s%s%s%s", d->human ? " human" : "",
	    d->veto ? " veto:" : "", d->veto ? d->veto->name : "",
	    d->uncertain ? " uncertain" : "");
	char *out = xstrdup(s[0] == ' ' ? s + 1 : s);

	free(s);
	return out;
}

/* near - doubles from sums of short decimals */
static bool
near(double a, double b)
{
	return a - b < 1e-9 && b - a < 1e-9;
}

/* check_rows - run a table */
static void
check_rows(const struct score_row *rows, size_t nrows)
{
	for (size_t i = 0; i < nrows; i++) {
		const struct score_row *r = &rows[i];
		struct ruleset rs;
		struct classify_result res;
		struct classify_decision d;
		struct score_cat *cats;

		build(&rs, r->rules);
		evaluate(&rs, r->matched, &res);
		cats = xcalloc(rs.ncats + 1, sizeof(*cats));
		score_totals(&rs, &res, cats);
		score_decide(&rs, cats, &d);
		if (strcmp(d.cat->name, r->want_cat) != 0)
			fail_msg("%s: category want %s got %s", r->label,
			    r->want_cat, d.cat->name);
		if ((r->want_rule == NULL) != (d.rule == NULL) ||
		    (d.rule != NULL && strcmp(d.rule->name, r->want_rule)))
			fail_msg("%s: rule want %s got %s", r->label,
			    r->want_rule ? r->want_rule : "none",
			    d.rule ? d.rule->name : "none");
		if (!near(d.total, r->want_total))
			fail_msg("%s: total want %g got %g", r->label,
			    r->want_total, d.total);
		if ((r->want_runner == NULL) != (d.runner_up == NULL) ||
		    (d.runner_up != NULL &&
		    strcmp(d.runner_up->name, r->want_runner) != 0) ||
		    !near(d.runner_total, r->want_runner_total))
			fail_msg("%s: runner-up want %s=%g got %s=%g", r->label,
			    r->want_runner ? r->want_runner : "none",
			    r->want_runner_total,
			    d.runner_up ? d.runner_up->name : "none",
			    d.runner_total);
		if (r->want_flags != NULL) {
			char *got = flags(&d);

			if (strcmp(got, r->want_flags) != 0)
				fail_msg("%s: flags want \"%s\" got \"%s\"",
				    r->label, r->want_flags, got);
			free(got);
		}
		free(cats);
		free(res.rules);
		ruleset_free(&rs);
	}
}

/* test_score_table - totals, winner, rule, runner-up */
static void
test_score_table(void **state)
{
	(void)state;
	check_rows(rows, sizeof(rows) / sizeof(rows[0]));
}

/* test_score_flags - human, veto, uncertain */
static void
test_score_flags(void **state)
{
	(void)state;
	check_rows(flag_rows, sizeof(flag_rows) / sizeof(flag_rows[0]));
}

/* totals as the header and JSON write them */
static void
test_number(void **state)
{
	static const struct {
		const char *label;
		double v;
		int decimals;
		const char *want;
	} rows[] = {
		{"integer", 7, 1, "7"},
		{"one decimal", 2.5, 1, "2.5"},
		{"rounded to one decimal", 2.46, 1, "2.5"},
		{"no trailing zero", 0.1 + 0.2, 3, "0.3"},
		{"three decimals", 0.125, 3, "0.125"},
		{"negative", -1.5, 1, "-1.5"},
		{"minus zero", -0.04, 1, "0"},
		{"zero", 0, 1, "0"},
		{"large", 100000, 1, "100000"},
		{"huge stays short", 1e300, 1, "1e+300"},
	};

	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct buf b;

		buf_init(&b);
		score_number(&b, rows[i].v, rows[i].decimals);
		if (strcmp(b.s, rows[i].want) != 0)
			fail_msg("%s: want %s got %s", rows[i].label,
			    rows[i].want, b.s);
		buf_free(&b);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_score_table),
		cmocka_unit_test(test_score_flags),
		cmocka_unit_test(test_number),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
