/*
 * test_hdrdel.c - hdrdel.c: which incoming headers carry our prefix and
 * the (name, index) deletions the MTA is asked for, highest index of
 * each name first; other headers are not remembered at all.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "protocol/hdrdel.h"

/* record - collect "name/index" lines */
static int
record(const char *name, int index, void *arg)
{
	char line[128];

	snprintf(line, sizeof(line), "%s/%d\n", name, index);
	buf_puts(arg, line);
	return 0;
}

/* plan - note each name of hdrs and return the deletions, in order */
static char *
plan(const char *const *hdrs)
{
	struct strvec ours;
	struct buf out;

	strvec_init(&ours);
	buf_init(&out);
	for (; *hdrs != NULL; hdrs++)
		hdrdel_note(&ours, "X-Abuse-", *hdrs);
	assert_int_equal(hdrdel_each(&ours, record, &out), 0);
	strvec_free(&ours);
	return out.s;
}

static void
test_indexes(void **state)
{
	static const struct {
		const char *label;
		const char *hdrs[8];
		const char *want;
	} rows[] = {
		{"none of ours", {"Received", "Subject", NULL}, ""},
		{"one", {"Received", "X-Abuse-Category", NULL},
		    "X-Abuse-Category/1\n"},
		{"same name in any case, interleaved",
		    {"X-Abuse-Category", "Received", "x-abuse-category",
		    "X-Abuse-Rule", "X-ABUSE-CATEGORY", NULL},
		    "X-Abuse-Category/3\nX-Abuse-Category/2\n"
		    "X-Abuse-Category/1\nX-Abuse-Rule/1\n"},
		{"prefix in another case", {"x-abuse-ours", "X-Abuser", NULL},
		    "x-abuse-ours/1\n"},
	};

	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		char *got = plan(rows[i].hdrs);

		if (strcmp(got, rows[i].want) != 0)
			fail_msg("%s: got \"%s\"", rows[i].label, got);
		free(got);
	}
}

/* a complaint with 100,000 other headers leaves nothing to remember */
static void
test_others_cost_nothing(void **state)
{
	struct strvec ours;

	strvec_init(&ours);
	for (int i = 0; i < 100000; i++)
		hdrdel_note(&ours, "X-Abuse-", "Received");
	hdrdel_note(&ours, "X-Abuse-", "X-Abuse-Reply");
	assert_int_equal(ours.n, 1);
	strvec_free(&ours);
}

/* failing_fn - an MTA that refuses every change */
static int
failing_fn(const char *name, int index, void *arg)
{
	(*(int *)arg)++;
	return -1;
}

static void
test_failure_reported(void **state)
{
	struct strvec ours;
	int calls = 0;

	strvec_init(&ours);
	hdrdel_note(&ours, "X-Abuse-", "X-Abuse-A");
	hdrdel_note(&ours, "X-Abuse-", "X-Abuse-B");
	assert_int_equal(hdrdel_each(&ours, failing_fn, &calls), -1);
	assert_int_equal(calls, 2);
	strvec_free(&ours);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_indexes),
		cmocka_unit_test(test_others_cost_nothing),
		cmocka_unit_test(test_failure_reported),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
