/*
 * test_reporters.c - unit tests of milter/classify/reporters.c, the
 * known-reporter map: the most specific entry wins (an address over
 * *@domain over the longest domain suffix), case does not matter, and
 * every kind of bad line is refused with FILE:LINE; and of its part in
 * the weighing (score.c): the weight goes to its category as the
 * pseudo-rule "reporter-map".
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "classify/classify.h"
#include "classify/reporters.h"
#include "testutil.h"
#include "util/pattern.h"

static char dir[] = "/tmp/test_reporters.XXXXXX";
static const char *const names[] = {"dmca", "spam", "abuse", "other"};

/* map_file - write a map; returns its path (static) */
static const char *
map_file(const char *text)
{
	static char path[600];
	FILE *fp;

	snprintf(path, sizeof(path), "%s/reporters", dir);
	fp = fopen(path, "w");
	assert_non_null(fp);
	fputs(text, fp);
	fclose(fp);
	return path;
}

#define MAP \
	"# comment\n" \
	"\n" \
	"example.org\t\tabuse\t1\t# the whole domain\n" \
	"reports.example.org\tspam\t2\n" \
	"*@example.org  dmca  3\n" \
	"Desk@Example.ORG other -1.5  # one address\n" \
	"   cert.example   abuse   2.5\n" \
	"x.y.example\tspam\t1\n"

struct lookup_row {
	const char *label;
	const char *addr;
	const char *want;	/* pattern of the entry found; NULL: none */
	double weight;
};

static const struct lookup_row lookups[] = {
	{ "exact address beats *@domain", "desk@example.org",
	  "desk@example.org", -1.5 },
	{ "case does not matter", "DESK@EXAMPLE.org", "desk@example.org",
	  -1.5 },
	{ "*@domain beats the domain", "someone@example.org",
	  "*@example.org", 3 },
	{ "*@domain is that domain only", "a@mx.example.org", "example.org",
	  1 },
	{ "the longest suffix", "fbl@reports.example.org",
	  "reports.example.org", 2 },
	{ "a subdomain of a listed subdomain", "a@b.reports.example.org",
	  "reports.example.org", 2 },
	{ "leading blanks of a line", "soc@cert.example", "cert.example",
	  2.5 },
	{ "a domain is no suffix of a longer label", "a@notexample.org", NULL,
	  0 },
	{ "a parent of a listed domain is not listed", "a@y.example", NULL,
	  0 },
	{ "unknown", "a@elsewhere.example", NULL, 0 },
	{ "empty", "", NULL, 0 },
	{ "no domain", "desk@", NULL, 0 },
};

/* test_lookup - every lookup row against MAP */
static void
test_lookup(void **state)
{
	char err[512];
	struct reporters *rm = reporters_load(map_file(MAP), names, 4, err,
	    sizeof(err));

	(void)state;
	if (rm == NULL)
		fail_msg("%s", err);
	assert_int_equal(reporters_count(rm), 6);
	for (size_t i = 0; i < sizeof(lookups) / sizeof(lookups[0]); i++) {
		const struct lookup_row *r = &lookups[i];
		const struct reporter_entry *e = reporters_lookup(rm, r->addr);

		if (r->want == NULL ? e != NULL : e == NULL ||
		    strcmp(e->pattern, r->want) != 0 || e->weight != r->weight)
			fail_msg("%s: want %s got %s", r->label,
			    r->want ? r->want : "none", e ? e->pattern : "none");
	}
	assert_int_equal(reporters_lookup(rm, "a@x.y.example")->cat, 1);
	assert_int_equal(reporters_lookup(rm, "a@x.y.example")->line, 8);
	assert_null(reporters_lookup(rm, NULL));
	assert_null(reporters_lookup(NULL, "a@example.org"));
	reporters_free(rm);
}

struct bad_row {
	const char *label;
	const char *text;
	int line;
	const char *want;
};

static const struct bad_row bads[] = {
	{ "unknown category", "a.example abuse 1\nb.example police 2\n", 2,
	  "unknown category \"police\"" },
	{ "missing weight", "a.example abuse\n", 1, "PATTERN CATEGORY WEIGHT" },
	{ "too many fields", "a.example abuse 1 2\n", 1, "PATTERN" },
	{ "bad weight", "\n\na.example abuse high\n", 3, "bad weight" },
	{ "weight with a tail", "a.example abuse 2x\n", 1, "bad weight" },
	{ "weight not finite", "a.example abuse inf\n", 1, "bad weight" },
	{ "star in the middle", "a*b@x.example abuse 1\n", 1, "bad pattern" },
	{ "star domain", "*.example abuse 1\n", 1, "bad pattern" },
	{ "empty domain", "*@ abuse 1\n", 1, "bad pattern" },
	{ "two @", "a@b@c.example abuse 1\n", 1, "bad pattern" },
	{ "no local part", "@c.example abuse 1\n", 1, "bad pattern" },
	{ "listed twice", "a.example abuse 1\n# x\nA.example spam 2\n", 3,
	  "twice (also line 1)" },
};

/* test_bad - each bad map is refused at its line */
static void
test_bad(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(bads) / sizeof(bads[0]); i++) {
		const char *path = map_file(bads[i].text);
		char err[512], want[700];

		if (reporters_load(path, names, 4, err, sizeof(err)) != NULL)
			fail_msg("%s: accepted", bads[i].label);
		snprintf(want, sizeof(want), "%s:%d: ", path, bads[i].line);
		if (strncmp(err, want, strlen(want)) != 0 ||
		    strstr(err, bads[i].want) == NULL)
			fail_msg("%s: error \"%s\"", bads[i].label, err);
	}
}

/* test_weighing - the map's weight counts for its category, as the
 * pseudo-rule reporter-map; the reporter is the evidence's, else From */
static void
test_weighing(void **state)
{
	static const struct {
		const char *label;
		const char *reporter;	/* evidence reporter, or NULL */
		const char *from;
		bool scan;		/* the abuse rule (score 2) matches */
		const char *want_cat, *want_rule;
		double total;
	} rows[] = {
		{ "the map alone decides", NULL, "n@notices.example", false,
		  "dmca", "reporter-map", 3 },
		{ "the evidence reporter before From", "x@fbl.example",
		  "n@notices.example", false, "spam", "reporter-map", 1.5 },
		{ "a rule outweighs the map", "x@fbl.example", NULL, true,
		  "abuse", "scan", 2 },
		{ "the map outweighs a weaker rule",
		  "x@notices.example", NULL, true, "dmca", "reporter-map", 3 },
		{ "the map adds to a rule of its category",
		  "soc@cert.example", NULL, true, "abuse", "scan", 2.5 },
		{ "a negative weight", "robot@cert.example", NULL, true,
		  "other", NULL, 0 },
		{ "nobody known", NULL, "a@elsewhere.example", false, "other",
		  NULL, 0 },
	};
	char err[512];
	struct ruleset rs = {0};
	struct rule *r;
	struct category *cats[4];

	(void)state;
	for (size_t i = 0; i < 4; i++)
		ruleset_add_category(&rs, names[i], 0);
	for (size_t i = 0; i < 4; i++)
		cats[i] = &rs.cats[i];
	r = ruleset_add_rule(cats[2], "scan", 0);
	r->score = 2;
	r->all = xcalloc(1, sizeof(*r->all));
	r->nall = 1;
	r->all[0].kind = COND_BODY;
	r->all[0].re = pattern_compile("scan", err, sizeof(err));
	rs.fallback = cats[3];
	rs.reporters = reporters_load(map_file("notices.example dmca 3\n"
	    "fbl.example spam 1.5\ncert.example abuse 0.5\n"
	    "robot@cert.example abuse -2\n"), names, 4, err, sizeof(err));
	assert_non_null(rs.reporters);
	ruleset_finish(&rs);
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct parsed_msg m = {0};
		struct evidence ev;
		struct msg_header h = { (char *)"From", (char *)rows[i].from };
		struct classify_decision d;

		evidence_init(&ev);
		ev.reporter = (char *)rows[i].reporter;
		if (rows[i].from != NULL) {
			m.hdrs = &h;
			m.nhdrs = 1;
		}
		buf_init(&m.text);
		buf_puts(&m.text, rows[i].scan ? "a port scan" : "hello");
		classify_run(&rs, &m, &ev, NULL, &d);
		if (strcmp(d.cat->name, rows[i].want_cat) != 0 ||
		    (rows[i].want_rule == NULL) != (d.rule == NULL) ||
		    (d.rule != NULL && strcmp(d.rule->name,
		    rows[i].want_rule) != 0) || d.total != rows[i].total)
			fail_msg("%s: got %s / %s / %g", rows[i].label,
			    d.cat->name, d.rule ? d.rule->name : "none",
			    d.total);
		ev.reporter = NULL;
		evidence_free(&ev);
		buf_free(&m.text);
	}
	ruleset_free(&rs);
}

static int
setup(void **state)
{
	return mkdtemp(dir) == NULL ? -1 : 0;
}

static int
teardown(void **state)
{
	return testutil_rm_rf(dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lookup),
		cmocka_unit_test(test_bad),
		cmocka_unit_test(test_weighing),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
