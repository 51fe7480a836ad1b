/*
 * test_retry.c - unit tests of milter/reply/retry.c, on a clock the
 * test sets: an item is due after REPLY_RETRY_FIRST, the waits double up
 * to REPLY_RETRY_BACKOFF_MAX, an old item is handed back for the caller
 * to give up, a full queue refuses, arrival order among due items, pop
 * at shutdown.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "reply/retry.h"
#include "util/util.h"

#define T0 1700000000

/* item - a reply to rcpt */
static struct reply_retry_item *
item(const char *rcpt)
{
	struct reply_retry_item *it = xcalloc(1, sizeof(*it));

	it->rcpt = xstrdup(rcpt);
	it->msg = xstrdup("To: x\n\nhi\n");
	return it;
}

/* test_due_and_backoff - one item through its retries */
static void
test_due_and_backoff(void **state)
{
	struct reply_retry *q = reply_retry_new(4);
	struct reply_retry_item *it = item("a@x.example");
	time_t now = T0, wait, last = 0;

	assert_int_equal(reply_retry_next(q), 0);
	assert_true(reply_retry_push(q, it, now));
	assert_int_equal(reply_retry_len(q), 1);
	assert_int_equal(it->attempts, 1);
	assert_int_equal(it->first, T0);
	assert_int_equal(reply_retry_next(q), T0 + REPLY_RETRY_FIRST);
	assert_null(reply_retry_take(q, now));	/* not yet due */
	for (int i = 0; i < 12; i++) {
		now = reply_retry_next(q);
		assert_ptr_equal(reply_retry_take(q, now), it);
		assert_int_equal(reply_retry_len(q), 0);
		assert_true(reply_retry_back(q, it, now));
		wait = it->next_try - now;
		assert_true(wait >= last);	/* never shorter */
		assert_true(wait <= REPLY_RETRY_BACKOFF_MAX);
		last = wait;
	}
	assert_int_equal(last, REPLY_RETRY_BACKOFF_MAX);
	assert_int_equal(it->attempts, 13);
	/* at REPLY_RETRY_MAX_AGE it is handed back, not queued */
	now = T0 + REPLY_RETRY_MAX_AGE;
	assert_ptr_equal(reply_retry_take(q, now), it);
	assert_false(reply_retry_back(q, it, now));
	assert_int_equal(reply_retry_len(q), 0);
	reply_retry_item_free(it);
	reply_retry_free(q);
}

/* test_full - the bound holds for push and back */
static void
test_full(void **state)
{
	struct reply_retry *q = reply_retry_new(2);
	struct reply_retry_item *a = item("a@x"), *b = item("b@x"),
	    *c = item("c@x");

	assert_true(reply_retry_push(q, a, T0));
	assert_true(reply_retry_push(q, b, T0));
	assert_false(reply_retry_push(q, c, T0));
	assert_int_equal(reply_retry_len(q), 2);
	assert_ptr_equal(reply_retry_take(q, T0 + 5), a);
	assert_true(reply_retry_push(q, c, T0 + 5));
	assert_false(reply_retry_back(q, a, T0 + 5));	/* full again */
	reply_retry_item_free(a);
	reply_retry_free(q);	/* frees b and c */
}

/* test_order - among due items the one that came first; pop takes any */
static void
test_order(void **state)
{
	struct reply_retry *q = reply_retry_new(8);
	struct reply_retry_item *a = item("a@x"), *b = item("b@x"),
	    *c = item("c@x");

	assert_true(reply_retry_push(q, a, T0));
	assert_true(reply_retry_push(q, b, T0 + 10));
	assert_true(reply_retry_push(q, c, T0 + 1));
	/* at T0 + 2: a and c are due, b not */
	assert_ptr_equal(reply_retry_take(q, T0 + 2), a);
	assert_ptr_equal(reply_retry_take(q, T0 + 2), c);
	assert_null(reply_retry_take(q, T0 + 2));
	assert_int_equal(reply_retry_next(q), T0 + 10 + REPLY_RETRY_FIRST);
	assert_ptr_equal(reply_retry_pop(q), b);
	assert_null(reply_retry_pop(q));
	reply_retry_item_free(a);
	reply_retry_item_free(b);
	reply_retry_item_free(c);
	reply_retry_item_free(NULL);
	reply_retry_free(q);
	reply_retry_free(NULL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_due_and_backoff),
		cmocka_unit_test(test_full),
		cmocka_unit_test(test_order),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
