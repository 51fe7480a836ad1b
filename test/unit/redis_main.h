/*
 * redis_main.h - the main() of the unit tests that need a redis-server:
 * test/redis/run.sh starts one and exports REDIS_SOCK (and REDIS_SERVER,
 * for the tests that start servers of their own); run alone they say
 * so and are skipped (77). Include after cmocka.h and testutil.h.
 *
 *	static char tmpdir[] = "/tmp/test_x.XXXXXX";	or NULL
 *	static const char *sock;
 *	int main(void) { ...tests...; return REDIS_TEST_MAIN(tests, &sock, tmpdir); }
 */
#ifndef ABUSE_REDIS_MAIN_H
#define ABUSE_REDIS_MAIN_H

#include <signal.h>

/* redis_test_run - the group against run.sh's server, with tmpdir (a
 * mkdtemp template, or NULL) made before and removed after */
static inline int
redis_test_run(const char *name, const struct CMUnitTest *tests, size_t n,
    const char **sock, char *tmpdir)
{
	int rc;

	if ((*sock = getenv("REDIS_SOCK")) == NULL ||
	    getenv("REDIS_SERVER") == NULL) {
		printf("no REDIS_SOCK: skipped (test/redis/run.sh runs it)\n");
		return 77;
	}
	signal(SIGPIPE, SIG_IGN);	/* a server stopped mid-write */
	if (tmpdir != NULL && mkdtemp(tmpdir) == NULL)
		return 1;
	rc = _cmocka_run_group_tests(name, tests, n, NULL, NULL);
	if (tmpdir != NULL)
		testutil_rm_rf(tmpdir);
	return rc;
}

#define REDIS_TEST_MAIN(tests, sock, tmpdir) \
	redis_test_run(#tests, tests, sizeof(tests) / sizeof((tests)[0]), \
	    sock, tmpdir)

#endif
