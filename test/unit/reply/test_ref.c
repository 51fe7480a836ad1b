/*
 * test_ref.c - unit tests of milter/reply/ref.c: the reference's form
 * for Postfix, Sendmail and generated queue ids, the ids that give
 * none, and finding it again in a Subject (with "Re:", "AW:", moved
 * around) and in In-Reply-To / References, only on our domain.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "reply/ref.h"

#define DAY 1796774400	/* 2026-12-09 00:00:00 UTC */

/* test_make - the form, and the queue ids that give no reference */
static void
test_make(void **state)
{
	static const struct {
		const char *qid;
		time_t t;
		const char *want;	/* NULL: no reference */
	} rows[] = {
		{ "4Xb2kq1zQZz9", DAY, "AM-20261209-4Xb2kq1zQZz9" },
		{ "3F2A81234", DAY - 1, "AM-20261208-3F2A81234" },
		{ "0B8Ffabc012345", DAY + 86399, "AM-20261209-0B8Ffabc012345" },
		{ "NOQUEUE-T6AB3K.1KQ.1", DAY, "AM-20261209-NOQUEUE-T6AB3K.1KQ.1" },
		{ NULL, DAY, NULL },
		{ "", DAY, NULL },
		{ "ab cd", DAY, NULL },
		{ "ab]cd", DAY, NULL },
		{ "ab_cd", DAY, NULL },
		{ "ab@cd", DAY, NULL },
		{ ".abc", DAY, NULL },
		{ "abc.", DAY, NULL },
		{ "a..b", DAY, NULL },
		{ "0123456789012345678901234567890123456789x", DAY, NULL },
	};
	char *ref;

	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		ref = reply_ref_make(rows[i].qid, rows[i].t);
		if (rows[i].want == NULL && ref != NULL)
			fail_msg("row %zu: want none, got %s", i, ref);
		if (rows[i].want != NULL && (ref == NULL ||
		    strcmp(ref, rows[i].want) != 0))
			fail_msg("row %zu: want %s, got %s", i, rows[i].want,
			    ref ? ref : "(none)");
		free(ref);
	}
}

/* test_find - where an answer to us carries the reference */
static void
test_find(void **state)
{
	static const struct {
		const char *subject, *irt, *refs;
		const char *want;	/* NULL: not an answer to us */
	} rows[] = {
		{ "Re: SSH attacks [AM-20261209-4Xb2kq1zQZz9]", NULL, NULL,
		  "AM-20261209-4Xb2kq1zQZz9" },
		{ "AW: Re: [AM-20261209-NOQUEUE-T6AB3K.1KQ.1] Angriffe", NULL,
		  NULL, "AM-20261209-NOQUEUE-T6AB3K.1KQ.1" },
		{ "RE: [am-20261209-3F2A81234]", NULL, NULL,
		  "am-20261209-3F2A81234" },
		{ "Re: report", "<AM-20261209-3F2A81234_00ff.1@example.org>",
		  NULL, "AM-20261209-3F2A81234" },
		{ NULL, NULL, "<a@b.example> <AM-20261209-3F2A81234_1.2@EXAMPLE.ORG>",
		  "AM-20261209-3F2A81234" },
		/* not ours, or not a reference */
		{ "Re: report", "<AM-20261209-3F2A81234_1.2@example.net>",
		  NULL, NULL },
		{ "Re: report", "<AM-20261209-3F2A81234_1.2@sub.example.org>",
		  NULL, NULL },
		{ "Re: report", "<AM-20261209-3F2A81234@example.org>", NULL,
		  NULL },
		{ "AM-20261209-3F2A81234 without brackets", NULL, NULL, NULL },
		{ "[AM-2026129-3F2A81234]", NULL, NULL, NULL },
		{ "[AM-20261209-]", NULL, NULL, NULL },
		{ "[AM-20261209-3F2A 81234]", NULL, NULL, NULL },
		{ "[AM-20261209-3F2A81234", NULL, NULL, NULL },
		{ "[[[[", "<<<<", "<AM-", NULL },
		{ NULL, NULL, NULL, NULL },
	};
	char *ref;

	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		ref = reply_ref_find(rows[i].subject, rows[i].irt, rows[i].refs,
		    "example.org");
		if (rows[i].want == NULL && ref != NULL)
			fail_msg("row %zu: want none, got %s", i, ref);
		if (rows[i].want != NULL && (ref == NULL ||
		    strcmp(ref, rows[i].want) != 0))
			fail_msg("row %zu: want %s, got %s", i, rows[i].want,
			    ref ? ref : "(none)");
		free(ref);
	}
	/* without our domain only the Subject counts */
	assert_null(reply_ref_find(NULL,
	    "<AM-20261209-3F2A81234_1.2@example.org>", NULL, NULL));
}

/* test_round_trip - what we make, we find */
static void
test_round_trip(void **state)
{
	char *ref = reply_ref_make("4Xb2kq1zQZz9", DAY), *subj, *found;

	subj = NULL;
	assert_non_null(ref);
	assert_true(asprintf(&subj, "Re: Re: your report [%s]", ref) > 0);
	found = reply_ref_find(subj, NULL, NULL, NULL);
	assert_non_null(found);
	assert_string_equal(found, ref);
	free(found);
	free(subj);
	free(ref);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_make),
		cmocka_unit_test(test_find),
		cmocka_unit_test(test_round_trip),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
