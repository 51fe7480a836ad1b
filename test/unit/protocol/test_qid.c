/*
 * test_qid.c - qid.c: the generated queue ids, their form for given
 * inputs (table), and that the ids of one process are all different,
 * also from several threads at once.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "protocol/qid.h"
#include "util/util.h"

static void
test_format(void **state)
{
	static const struct {
		const char *label;
		time_t t;
		pid_t pid;
		unsigned long n;
		const char *want;
	} rows[] = {
		{"zeros", 0, 0, 0, "NOQUEUE-0.0.0"},
		{"base 36 digits", 35, 36, 37, "NOQUEUE-Z.10.11"},
		{"a date in 2026", 1780000000, 4242, 1,
		    "NOQUEUE-TFRKSG.39U.1"},
		{"the largest values", (time_t)0x7fffffffffffffffLL,
		    (pid_t)0x7fffffff, (unsigned long)-1,
		    "NOQUEUE-1Y2P0IJ32E8E7.ZIK0ZJ.3W5E11264SGSF"},
		{"a negative time counts as 0", -5, 7, 2, "NOQUEUE-0.7.2"},
	};

	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		char out[QID_MAX];

		qid_format(out, rows[i].t, rows[i].pid, rows[i].n);
		if (strcmp(out, rows[i].want) != 0)
			fail_msg("%s: got %s, want %s", rows[i].label, out,
			    rows[i].want);
		assert_true(strlen(out) < QID_MAX);
	}
}

#define PER_THREAD 500

/* make_ids - PER_THREAD ids into the array arg */
static void *
make_ids(void *arg)
{
	char **ids = arg;

	for (int i = 0; i < PER_THREAD; i++)
		ids[i] = qid_generate();
	return NULL;
}

/* by_name - qsort over char * */
static int
by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void
test_unique(void **state)
{
	char *ids[4 * PER_THREAD], mine[QID_MAX], *pid;
	pthread_t th[4];
	int i;

	/* the pid part of this process's ids: ".<pid>." */
	qid_format(mine, 0, getpid(), 0);
	pid = xstrndup(mine + strlen(QID_PREFIX) + 1,
	    strlen(mine) - strlen(QID_PREFIX) - 2);

	for (i = 0; i < 4; i++)
		pthread_create(&th[i], NULL, make_ids, ids + i * PER_THREAD);
	for (i = 0; i < 4; i++)
		pthread_join(th[i], NULL);
	qsort(ids, 4 * PER_THREAD, sizeof(char *), by_name);
	for (i = 0; i < 4 * PER_THREAD; i++) {
		assert_true(strncmp(ids[i], QID_PREFIX,
		    strlen(QID_PREFIX)) == 0);
		assert_non_null(strstr(ids[i], pid));
		if (i > 0)
			assert_string_not_equal(ids[i - 1], ids[i]);
	}
	for (i = 0; i < 4 * PER_THREAD; i++)
		free(ids[i]);
	free(pid);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_unique),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
