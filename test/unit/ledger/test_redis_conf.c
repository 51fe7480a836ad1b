/*
 * test_redis_conf.c - redis_conf.c and the state { } section: the url
 * forms (TCP, IPv6, password with escapes, unix socket with ?db=), the
 * sentinel addresses and the timeout as tables; the section's defaults
 * (sqlite, nothing else needed), a full Redis section, and every bad
 * value refused by config_load with FILE:LINE. No server is needed.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "testutil.h"

#include "config/config.h"
#include "ledger/redis_conf.h"

static char tmpdir[] = "/tmp/test_redis_conf.XXXXXX";

struct url_row {
	const char *url;
	const char *host, *path, *user, *password;
	int port, db;
	const char *bad;	/* substring of the error; NULL: good */
};

static const struct url_row url_rows[] = {
	{"redis://127.0.0.1:6379/0", "127.0.0.1", NULL, NULL, NULL, 6379, 0, NULL},
	{"redis://redis.example", "redis.example", NULL, NULL, NULL, 6379, 0, NULL},
	{"redis://r:7000/3", "r", NULL, NULL, NULL, 7000, 3, NULL},
	{"redis://:s%40cret@r/2", "r", NULL, NULL, "s@cret", 6379, 2, NULL},
	{"redis://milter:pw@r:1", "r", NULL, "milter", "pw", 1, 0, NULL},
	{"redis://[::1]:6380/1", "::1", NULL, NULL, NULL, 6380, 1, NULL},
	{"redis://[2001:db8::5]", "2001:db8::5", NULL, NULL, NULL, 6379, 0, NULL},
	{"unix:/run/redis/redis.sock", NULL, "/run/redis/redis.sock", NULL,
	    NULL, 0, 0, NULL},
	{"unix:/tmp/r.sock?db=4", NULL, "/tmp/r.sock", NULL, NULL, 0, 4, NULL},
	{"http://r/0", .bad = "want redis://"},
	{"rediss://r/0", .bad = "TLS"},
	{"redis://", .bad = "no host"},
	{"redis://r:0", .bad = "bad port"},
	{"redis://r:70000", .bad = "bad port"},
	{"redis://r:x", .bad = "bad port"},
	{"redis://r/x", .bad = "database"},
	{"redis://::1/0", .bad = "IPv6"},
	{"redis://[::1/0", .bad = "]"},
	{"redis://:bad%4@r", .bad = "escape"},
	{"unix:relative.sock", .bad = "absolute"},
	{"unix:/tmp/r.sock?database=1", .bad = "?db="},
	{"", .bad = "want redis://"},
};

/* test_urls - each row parses to its parts, or fails with its reason */
static void
test_urls(void **state)
{
	for (size_t i = 0; i < sizeof(url_rows) / sizeof(url_rows[0]); i++) {
		const struct url_row *r = &url_rows[i];
		struct redis_addr a;
		char err[256];
		int rc = redis_addr_parse(r->url, &a, err, sizeof(err));

		if (r->bad != NULL) {
			if (rc == 0 || strstr(err, r->bad) == NULL)
				fail_msg("%s: want an error with \"%s\", got %d "
				    "\"%s\"", r->url, r->bad, rc, rc ? err : "");
			continue;
		}
		if (rc != 0)
			fail_msg("%s: %s", r->url, err);
		assert_int_equal(a.port, r->port);
		assert_int_equal(a.db, r->db);
#define SAME(f) if ((r->f == NULL) != (a.f == NULL) || (r->f && \
		    strcmp(r->f, a.f))) fail_msg("%s: " #f " %s", r->url, \
		    a.f ? a.f : "(null)")
		SAME(host);
		SAME(path);
		SAME(user);
		SAME(password);
#undef SAME
		redis_addr_free(&a);
	}
}

/* test_timeouts_and_sentinels - the small parsers */
static void
test_timeouts_and_sentinels(void **state)
{
	char err[128], *host;
	int port;

	assert_int_equal(redis_timeout_parse("200ms"), 200);
	assert_int_equal(redis_timeout_parse("1s"), 1000);
	assert_int_equal(redis_timeout_parse("2"), 2000);
	assert_int_equal(redis_timeout_parse("5000ms"), 5000);
	assert_int_equal(redis_timeout_parse("0ms"), -1);
	assert_int_equal(redis_timeout_parse("6s"), -1);
	assert_int_equal(redis_timeout_parse("200"), -1);
	assert_int_equal(redis_timeout_parse("1m"), -1);
	assert_int_equal(redis_timeout_parse("-1s"), -1);
	assert_int_equal(redis_hostport_parse("s1.example", 26379, &host,
	    &port, err, sizeof(err)), 0);
	assert_string_equal(host, "s1.example");
	assert_int_equal(port, 26379);
	free(host);
	assert_int_equal(redis_hostport_parse("[::1]:26380", 26379, &host,
	    &port, err, sizeof(err)), 0);
	assert_string_equal(host, "::1");
	assert_int_equal(port, 26380);
	free(host);
	assert_int_equal(redis_hostport_parse("s1:99999", 26379, &host,
	    &port, err, sizeof(err)), -1);
}

/* write_conf - a config file under tmpdir; its path (static) */
static const char *
write_conf(const char *text)
{
	static char path[512];
	FILE *fp;

	snprintf(path, sizeof(path), "%s/state.conf", tmpdir);
	assert_non_null(fp = fopen(path, "w"));
	fprintf(fp, "mailboxes = {\"abuse@example.org\"}\n%s"
	    "category other {\n}\n", text);
	fclose(fp);
	return path;
}

/* test_section_default - no section: sqlite, the documented defaults */
static void
test_section_default(void **state)
{
	char err[512];
	struct config *c = config_load(write_conf(""), err, sizeof(err));

	if (c == NULL)
		fail_msg("%s", err);
	assert_int_equal(c->state.backend, STATE_SQLITE);
	assert_string_equal(c->state.redis.url, "redis://127.0.0.1:6379/0");
	assert_string_equal(c->state.redis.prefix, "abuse-milter:");
	assert_null(c->state.redis.password);
	assert_int_equal(c->state.redis.sentinels.n, 0);
	assert_int_equal(c->state.redis.timeout_ms, 200);
	config_unref(c);
}

/* test_section_redis - every key set */
static void
test_section_redis(void **state)
{
	char err[512];
	struct config *c = config_load(write_conf("state {\n"
	    "  backend = \"redis\"\n"
	    "  url = \"unix:/run/redis/redis.sock?db=2\"\n"
	    "  prefix = \"mx:\"\n  password = \"pw\"\n"
	    "  sentinels = {\"10.0.0.1:26379\", \"[::1]\"}\n"
	    "  sentinel_master = \"desk\"\n  timeout = 150ms\n}\n"),
	    err, sizeof(err));

	if (c == NULL)
		fail_msg("%s", err);
	assert_int_equal(c->state.backend, STATE_REDIS);
	assert_string_equal(c->state.redis.url,
	    "unix:/run/redis/redis.sock?db=2");
	assert_string_equal(c->state.redis.prefix, "mx:");
	assert_string_equal(c->state.redis.password, "pw");
	assert_int_equal(c->state.redis.sentinels.n, 2);
	assert_string_equal(c->state.redis.sentinels.v[1], "[::1]");
	assert_string_equal(c->state.redis.sentinel_master, "desk");
	assert_int_equal(c->state.redis.timeout_ms, 150);
	config_unref(c);
}

struct bad_row {
	const char *text;
	int line;		/* in the file write_conf makes */
	const char *want;
};

static const struct bad_row bad_rows[] = {
	{"state {\n  backend = \"mysql\"\n}\n", 3, "unknown backend \"mysql\""},
	{"state {\n  backend = \"redis\"\n  url = \"redis://r:0\"\n}\n", 4,
	    "url: bad port"},
	{"state {\n  url = \"tcp://r\"\n}\n", 3, "url: want redis://"},
	{"state {\n  timeout = 0ms\n}\n", 3, "timeout: \"0ms\": want 1ms"},
	{"state {\n  timeout = 10s\n}\n", 3, "timeout"},
	{"state {\n  sentinels = {\"s1\", \"s2:x\"}\n}\n", 3,
	    "sentinels: bad port"},
	{"state {\n  prefix = \"a b\"\n}\n", 3, "prefix: no spaces"},
	{"state {\n  sentinel_master = \"\"\n}\n", 3, "sentinel_master"},
	{"state {\n  bogus = 1\n}\n", 3, "bogus"},
};

/* test_section_bad - each row refused with its line */
static void
test_section_bad(void **state)
{
	for (size_t i = 0; i < sizeof(bad_rows) / sizeof(bad_rows[0]); i++) {
		const struct bad_row *r = &bad_rows[i];
		const char *path = write_conf(r->text);
		char err[1024], want[600];

		if (config_load(path, err, sizeof(err)) != NULL)
			fail_msg("row %zu: accepted", i);
		snprintf(want, sizeof(want), "%s:%d: ", path, r->line);
		if (strncmp(err, want, strlen(want)) != 0 ||
		    strstr(err, r->want) == NULL)
			fail_msg("row %zu: \"%s\" is not \"%s...%s\"", i, err,
			    want, r->want);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_urls),
		cmocka_unit_test(test_timeouts_and_sentinels),
		cmocka_unit_test(test_section_default),
		cmocka_unit_test(test_section_redis),
		cmocka_unit_test(test_section_bad),
	};
	int rc;

	if (mkdtemp(tmpdir) == NULL)
		return 1;
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	testutil_rm_rf(tmpdir);
	return rc;
}
