/*
 * test_pattern.c - util/pattern.c, the PCRE2 wrapper: compile errors
 * carry the offset, matches and their spans, broken UTF-8, the match
 * limit, and matching from several threads at once.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include "util/pattern.h"
#include "util/util.h"

/* test_pattern_api - compile errors carry the offset; match and free */
static void
test_pattern_api(void **state)
{
	static const struct {
		const char *pattern;
		const char *subject;
		int compiles;
		bool match;
	} pats[] = {
		{ "(?i)\\bdmca\\b", "Re: DMCA notice", 1, true },
		{ "\\bdmca\\b", "admcab", 1, false },
		{ "^\\s*auto-replied", "  auto-replied; x", 1, true },
		{ "(unclosed", NULL, 0, false },
		{ "a{2,1}", NULL, 0, false },
		{ "[z-a]", NULL, 0, false },
		{ "\\", NULL, 0, false },
	};
	char err[256];
	struct pattern *re;

	(void)state;
	for (size_t i = 0; i < sizeof(pats) / sizeof(pats[0]); i++) {
		re = pattern_compile(pats[i].pattern, err, sizeof(err));
		if (!pats[i].compiles) {
			if (re != NULL)
				fail_msg("%s: compiled", pats[i].pattern);
			if (strncmp(err, "offset ", 7) != 0)
				fail_msg("%s: error '%s'", pats[i].pattern, err);
			continue;
		}
		if (re == NULL)
			fail_msg("%s: %s", pats[i].pattern, err);
		assert_string_equal(pattern_source(re), pats[i].pattern);
		if (pattern_match(re, pats[i].subject) != pats[i].match)
			fail_msg("%s on '%s'", pats[i].pattern, pats[i].subject);
		assert_false(pattern_match(re, NULL));
		pattern_free(re);
	}
	assert_false(pattern_match(NULL, "anything"));
	pattern_free(NULL);
}

/* test_find - the span of the first match; broken UTF-8 is no error */
static void
test_find(void **state)
{
	char err[256];
	struct pattern *re = pattern_compile("(?i)spam", err, sizeof(err));
	size_t a = 99, b = 99;

	(void)state;
	assert_non_null(re);
	assert_true(pattern_find(re, "caf\xc3 \xff\xfe SPAM spam", &a, &b));
	assert_int_equal(a, 8);
	assert_int_equal(b, 12);
	assert_false(pattern_find(re, "ham", &a, &b));
	pattern_free(re);
}

/* test_limit - catastrophic backtracking gives up (no match) quickly */
static void
test_limit(void **state)
{
	char err[256];
	/* the second branch matches the text, but only after the first has
	 * backtracked through every way of splitting the a's: with the
	 * limits the match gives up (no match), without them it would end
	 * in a match, after longer than anyone waits */
	struct pattern *re = pattern_compile("^(a+)+c|^a+b$", err,
	    sizeof(err));
	struct pattern *easy = pattern_compile("^a+b$", err, sizeof(err));
	size_t n = 100 * 1024;
	char *text = xmalloc(n + 2);

	(void)state;
	assert_non_null(re);
	memset(text, 'a', n);
	text[n] = 'b';
	text[n + 1] = '\0';
	assert_true(pattern_match(easy, text));
	assert_false(pattern_match(re, text));
	free(text);
	pattern_free(re);
	pattern_free(easy);
}

/* thread_matches - many matches of one shared pattern; returns the
 * number of wrong answers */
static void *
thread_matches(void *arg)
{
	const struct pattern *re = arg;
	size_t wrong = 0, a, b;

	for (int i = 0; i < 2000; i++) {
		char subject[64];

		snprintf(subject, sizeof(subject), "%*sid %d", i % 17, "", i);
		if (!pattern_find(re, subject, &a, &b) ||
		    a != (size_t)(i % 17) || b != strlen(subject))
			wrong++;
		if (pattern_match(re, "no number here"))
			wrong++;
	}
	return (void *)wrong;
}

/* test_threads - one compiled pattern, matched from eight threads */
static void
test_threads(void **state)
{
	char err[256];
	struct pattern *re = pattern_compile("id \\d+$", err, sizeof(err));
	pthread_t t[8];

	(void)state;
	assert_non_null(re);
	for (size_t i = 0; i < 8; i++)
		assert_int_equal(pthread_create(&t[i], NULL, thread_matches,
		    re), 0);
	for (size_t i = 0; i < 8; i++) {
		void *wrong;

		assert_int_equal(pthread_join(t[i], &wrong), 0);
		assert_null(wrong);
	}
	pattern_free(re);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pattern_api),
		cmocka_unit_test(test_find),
		cmocka_unit_test(test_limit),
		cmocka_unit_test(test_threads),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
