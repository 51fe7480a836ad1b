/*
 * test_inflight.c - inflight.c: the shared byte budget charges only
 * within its cap, gives back exactly, and holds under many threads.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "protocol/inflight.h"

static void
test_within_cap(void **state)
{
	(void)state;
	assert_int_equal(inflight_held(), 0);
	assert_true(inflight_take(600, 1000));
	assert_true(inflight_take(400, 1000));	/* exactly the cap */
	assert_false(inflight_take(1, 1000));
	assert_int_equal(inflight_held(), 1000);
	inflight_give(400);
	assert_false(inflight_take(401, 1000));
	assert_true(inflight_take(400, 1000));
	inflight_give(1000);
	assert_int_equal(inflight_held(), 0);
}

/* a request larger than the cap, or one that would wrap, is refused */
static void
test_no_wrap(void **state)
{
	(void)state;
	assert_false(inflight_take(1001, 1000));
	assert_true(inflight_take(10, 1000));
	assert_false(inflight_take(SIZE_MAX - 5, 1000));
	assert_false(inflight_take(SIZE_MAX, SIZE_MAX - 1));
	assert_int_equal(inflight_held(), 10);
	inflight_give(10);
}

/* cap 0: charged, never refused (the end of the header block) */
static void
test_no_limit(void **state)
{
	(void)state;
	assert_true(inflight_take(5000, 0));
	assert_true(inflight_take(5000, 0));
	assert_int_equal(inflight_held(), 10000);
	inflight_give(10000);
}

#define THREADS 8
#define ROUNDS 20000
#define CAP 1000

static atomic_size_t refused, over;

static void *
hammer(void *arg)
{
	(void)arg;
	for (int i = 0; i < ROUNDS; i++) {
		size_t n = 100 + (size_t)(i % 7) * 50;

		if (!inflight_take(n, CAP)) {
			atomic_fetch_add(&refused, 1);
			continue;
		}
		if (inflight_held() > CAP)
			atomic_fetch_add(&over, 1);
		inflight_give(n);
	}
	return NULL;
}

/* many threads: never above the cap, back to zero at the end */
static void
test_threads(void **state)
{
	pthread_t t[THREADS];

	(void)state;
	for (int i = 0; i < THREADS; i++)
		assert_int_equal(pthread_create(&t[i], NULL, hammer, NULL), 0);
	for (int i = 0; i < THREADS; i++)
		pthread_join(t[i], NULL);
	assert_int_equal(atomic_load(&over), 0);
	assert_int_equal(inflight_held(), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_within_cap),
		cmocka_unit_test(test_no_wrap),
		cmocka_unit_test(test_no_limit),
		cmocka_unit_test(test_threads),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
