/*
 * test_migrate_cli.c - --migrate-state against a real redis-server
 * (test/redis/run.sh exports REDIS_SOCK; without it: skipped, 77): a
 * SQLite ledger with complaints, recent replies and an old answered
 * case is copied; Redis then refuses what the SQLite ledger refused
 * (the case, the rate limit) and holds every complaint; a second run
 * refuses; a config without the Redis backend is a usage error.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>
#include <cmocka.h>
#include <hiredis/hiredis.h>
#include <sqlite3.h>

#include "cli/migrate_cli.h"
#include "ledger/ledger.h"
#include "ledger/redis_state.h"
#include "testutil.h"
#include "redis_main.h"

static char tmpdir[] = "/tmp/test_migrate_cli.XXXXXX";
static const char *sock;

/* load - a config with this state section and state_db in tmpdir */
static struct config *
load(const char *state)
{
	char *path = xasprintf("%s/m.conf", tmpdir), err[1024];
	FILE *fp = fopen(path, "w");
	struct config *c;

	assert_non_null(fp);
	fprintf(fp, "mailboxes = {\"abuse@example.org\"}\nstate_db = "
	    "\"%s/state.db\"\nreply {\n  rate_limit = \"1/1h\"\n}\n%s"
	    "category other {\n}\n", tmpdir, state);
	fclose(fp);
	c = config_load(path, err, sizeof(err));
	if (c == NULL)
		fail_msg("%s", err);
	free(path);
	return c;
}

/* fill - the SQLite ledger: 2 complaints, 2 recent replies, one reply
 * of a day ago with a case id */
static void
fill(const struct config *cfg)
{
	struct ledger *st = ledger_open(cfg->state_db);
	struct ledger_limits lim = { 1, 3600, 0, 0 };
	struct ledger_reply r1 = { "a@x", "x", "spam", "rep", "NEW" };
	struct ledger_reply r2 = { "b@x", "x", "dmca", "rep", NULL };
	struct ledger_reply old = { "c@x", "x", "spam", "rep", "OLD" };
	struct strvec ips;
	struct ledger_complaint c = { 0, "Q1", "<1@x>", "spam", "r", "rep",
	    "NEW", "queued", &ips };
	const char *why;
	sqlite3 *db;

	strvec_init(&ips);
	strvec_push(&ips, "192.0.2.7");
	assert_int_equal(ledger_record_complaint(st, &c), 0);
	c.ips = NULL;
	c.qid = "Q2";
	assert_int_equal(ledger_record_complaint(st, &c), 0);
	assert_true(ledger_reply_allow(st, &r1, &lim, &why));
	assert_true(ledger_reply_allow(st, &r2, &lim, &why));
	assert_true(ledger_reply_allow(st, &old, &lim, &why));
	ledger_close(st);
	strvec_free(&ips);
	assert_int_equal(sqlite3_open(cfg->state_db, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "UPDATE replies SET time = time - "
	    "86400 WHERE case_id = 'OLD'", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
}

/* test_round_trip - copy, then ask Redis */
static void
test_round_trip(void **state)
{
	char *st = xasprintf("state {\n  backend = \"redis\"\n  url = "
	    "\"unix:%s\"\n  prefix = \"mig:\"\n}\n", sock);
	struct config *cfg = load(st);
	struct ledger_limits lim = { 1, 3600, 0, 0 };
	struct ledger_reply again = { "A@x", "x", "spam", "rep", "OTHER" };
	struct ledger_reply old = { "z@x", "x", "spam", "rep", "OLD" };
	struct ledger_reply c3 = { "c@x", "x", "spam", "rep", NULL };
	struct redis_state *rs;
	redisContext *ctx;
	redisReply *r;
	FILE *out = tmpfile();
	const char *why;
	char line[512];

	fill(cfg);
	assert_int_equal(migrate_cli(cfg, out), EX_OK);
	rewind(out);
	assert_non_null(fgets(line, sizeof(line), out));
	assert_non_null(strstr(line, "copied 2 complaints, 2 replies inside "
	    "their windows and 1 older answered cases"));
	rs = redis_state_open(&cfg->state.redis);
	assert_int_equal(redis_state_reply_allow(rs, &again, &lim, 0, &why),
	    REDIS_REFUSED);
	assert_string_equal(why, "rate limit");
	assert_int_equal(redis_state_reply_allow(rs, &old, &lim, 0, &why),
	    REDIS_REFUSED);
	assert_string_equal(why, "case already answered");
	/* the old reply is out of the windows: no rate limit from it */
	assert_int_equal(redis_state_reply_allow(rs, &c3, &lim, 0, &why),
	    REDIS_ALLOWED);
	redis_state_close(rs);
	ctx = redisConnectUnix(sock);
	r = redisCommand(ctx, "XLEN mig:complaints");
	assert_int_equal(r->integer, 2);
	freeReplyObject(r);
	redisFree(ctx);
	/* twice would count everything twice */
	assert_int_equal(migrate_cli(cfg, out), EX_CANTCREAT);
	fclose(out);
	config_unref(cfg);
	free(st);
}

/* test_not_redis - nothing to copy to */
static void
test_not_redis(void **state)
{
	struct config *cfg = load("");

	assert_int_equal(migrate_cli(cfg, stdout), EX_CONFIG);
	config_unref(cfg);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_not_redis),
	};

	return REDIS_TEST_MAIN(tests, &sock, tmpdir);
}
