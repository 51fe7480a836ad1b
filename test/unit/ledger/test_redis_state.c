/*
 * test_redis_state.c - redis_state.c, redis_conn.c and reply_decide.c
 * against a real redis-server (test/redis/run.sh starts it and exports
 * REDIS_SOCK; without it the program is skipped, 77):
 *  - one table of replies run on the SQLite ledger and on Redis gives
 *    the same answers, reasons included;
 *  - the windows run out (Redis with explicit times);
 *  - two handles ("two milters") and many threads asking for the same
 *    reply: exactly one is allowed; for a rate limit of 3, exactly 3;
 *  - forget takes a reply back; a flushed script cache is no error;
 *    the complaints stream has the fields;
 *  - a server stopped (or frozen) mid-run: calls say unavailable, and
 *    work again once it is back;
 *  - a wrong or missing password: the clear error of the start check;
 *  - reply_decide: the local fallback, and no second reply on one host;
 *  - Sentinel: a dead sentinel is skipped, the next one names the
 *    master; no sentinel answers: unreachable.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>
#include <hiredis/hiredis.h>

#include "ledger/ledger.h"
#include "ledger/redis_state.h"
#include "ledger/reply_decide.h"
#include "testutil.h"
#include "redis_main.h"

static char tmpdir[] = "/tmp/test_redis_state.XXXXXX";
static const char *sock;	/* the server run.sh started */

/* conf_for - a redis_conf on a unix socket with this prefix */
static struct redis_conf
conf_for(const char *path, const char *prefix, const char *password)
{
	static char url[600];
	struct redis_conf c = { .url = url, .prefix = (char *)prefix,
	    .password = (char *)password, .sentinel_master = "mymaster",
	    .timeout_ms = 200 };

	snprintf(url, sizeof(url), "unix:%s", path);
	return c;
}

/* raw - one command on a connection of our own; the reply */
static redisReply *
raw(const char *fmt, ...)
{
	redisContext *ctx = redisConnectUnix(sock);
	redisReply *r;
	va_list ap;

	assert_true(ctx != NULL && ctx->err == 0);
	va_start(ap, fmt);
	r = redisvCommand(ctx, fmt, ap);
	va_end(ap);
	redisFree(ctx);
	assert_non_null(r);
	return r;
}

/* raw_int - an integer reply of a command */
static long long
raw_int(const char *fmt, const char *arg)
{
	redisReply *r = raw(fmt, arg);
	long long n = r->integer;

	freeReplyObject(r);
	return n;
}

struct row {
	char op;		/* 'a' allow, 'f' forget */
	const char *rcpt, *domain, *category, *reporter, *case_id;
	const char *want;	/* the reason; NULL: allowed */
};

/* the limits: 2 per rcpt and category per hour, 3 per domain, 5 in all */
static const struct ledger_limits lim = { 2, 3600, 5, 3 };

static const struct row rows[] = {
	{'a', "a@x.example", "x.example", "spam", "r@rep", "C1", NULL},
	{'a', "A@X.example", "x.example", "spam", "R@REP", "C1",
	    "case already answered"},
	{'a', "a@x.example", "x.example", "spam", "r@rep", "C2", NULL},
	{'a', "a@x.example", "x.example", "spam", "r@rep", "C3", "rate limit"},
	{'a', "a@x.example", "x.example", "dmca", "r@rep", "C3", NULL},
	{'a', "b@x.example", "x.example", "spam", "r@rep", NULL,
	    "rate limit (domain)"},
	{'f', "a@x.example", "x.example", "dmca", "r@rep", "C3", NULL},
	{'a', "b@x.example", "x.example", "spam", "r@rep", "C3", NULL},
	{'a', "c@y.example", "y.example", "spam", "other@rep", "C1", NULL},
	{'a', "d@y.example", NULL, "spam", NULL, NULL, NULL},
	{'a', "e@y.example", "y.example", "spam", NULL, "",
	    "rate limit (global)"},
	{'f', "d@y.example", NULL, "spam", NULL, NULL, NULL},
	{'a', "f@z.example", "z.example", "spam", NULL, NULL, NULL},
	{'a', "e@y.example", "y.example", "spam", NULL, "",
	    "rate limit (global)"},
	{'a', "a@x.example", "x.example", "spam", "r@rep", "C1",
	    "case already answered"},
};

/* test_same_as_sqlite - the table on both backends */
static void
test_same_as_sqlite(void **state)
{
	char *path = xasprintf("%s/same/state.db", tmpdir);
	struct ledger *st = ledger_open(path);
	struct redis_conf conf = conf_for(sock, "same:", NULL);
	struct redis_state *rs = redis_state_open(&conf);

	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		const struct row *w = &rows[i];
		struct ledger_reply r = { w->rcpt, w->domain, w->category,
		    w->reporter, w->case_id };
		const char *ws, *wr;
		bool ok;

		if (w->op == 'f') {
			assert_int_equal(ledger_reply_forget(st, &r), 0);
			assert_int_equal(redis_state_reply_forget(rs, &r), 0);
			continue;
		}
		ok = ledger_reply_allow(st, &r, &lim, &ws);
		assert_int_equal(redis_state_reply_allow(rs, &r, &lim, 0, &wr),
		    ok ? REDIS_ALLOWED : REDIS_REFUSED);
		if ((w->want == NULL) != ok || (ws && strcmp(ws, w->want)) ||
		    (wr && strcmp(wr, w->want)))
			fail_msg("row %zu: want %s, sqlite %s, redis %s", i,
			    w->want ? w->want : "allowed", ws ? ws : "allowed",
			    wr ? wr : "allowed");
	}
	redis_state_close(rs);
	ledger_close(st);
	free(path);
}

/* test_windows - a reply leaves the rate window and the hour of the
 * caps; its case stays answered */
static void
test_windows(void **state)
{
	struct redis_conf conf = conf_for(sock, "win:", NULL);
	struct redis_state *rs = redis_state_open(&conf);
	struct ledger_limits l = { 1, 600, 0, 0 };
	struct ledger_reply r = { "a@x", "x", "spam", "rep", NULL };
	struct ledger_reply c = { "a@x", "x", "dmca", "rep", "K" };
	time_t t = 1700000000;
	const char *why;

	assert_int_equal(redis_state_reply_allow(rs, &r, &l, t, &why),
	    REDIS_ALLOWED);
	assert_int_equal(redis_state_reply_allow(rs, &r, &l, t + 599, &why),
	    REDIS_REFUSED);
	assert_string_equal(why, "rate limit");
	/* as in SQLite: counted while time > now - period */
	assert_int_equal(redis_state_reply_allow(rs, &r, &l, t + 600, &why),
	    REDIS_ALLOWED);
	l.rate_count = 10;
	l.max_per_hour = 2;
	assert_int_equal(redis_state_reply_allow(rs, &r, &l, t + 700, &why),
	    REDIS_REFUSED);
	assert_string_equal(why, "rate limit (global)");
	assert_int_equal(redis_state_reply_allow(rs, &c, &l, t + 4300, &why),
	    REDIS_ALLOWED);
	assert_int_equal(redis_state_reply_allow(rs, &c, &l, t + 900000,
	    &why), REDIS_REFUSED);
	assert_string_equal(why, "case already answered");
	redis_state_close(rs);
}

struct race {
	struct redis_state *rs;
	const struct ledger_reply *r;
	const struct ledger_limits *lim;
	int allowed;		/* guarded by lock */
	pthread_mutex_t lock;
};

/* race_run - ask ten times */
static void *
race_run(void *arg)
{
	struct race *x = arg;
	const char *why;

	for (int i = 0; i < 10; i++)
		if (redis_state_reply_allow(x->rs, x->r, x->lim, 0, &why) ==
		    REDIS_ALLOWED) {
			pthread_mutex_lock(&x->lock);
			x->allowed++;
			pthread_mutex_unlock(&x->lock);
		}
	return NULL;
}

/* race - 2 handles x 4 threads x 10 asks of r; how many were allowed */
static int
race(const char *prefix, const struct ledger_reply *r,
    const struct ledger_limits *l)
{
	struct redis_conf conf = conf_for(sock, prefix, NULL);
	struct race x[2] = { { redis_state_open(&conf), r, l, 0,
	    PTHREAD_MUTEX_INITIALIZER }, { redis_state_open(&conf), r, l, 0,
	    PTHREAD_MUTEX_INITIALIZER } };
	pthread_t t[8];

	for (int i = 0; i < 8; i++)
		assert_int_equal(pthread_create(&t[i], NULL, race_run,
		    &x[i % 2]), 0);
	for (int i = 0; i < 8; i++)
		pthread_join(t[i], NULL);
	redis_state_close(x[0].rs);
	redis_state_close(x[1].rs);
	return x[0].allowed + x[1].allowed;
}

/* test_two_milters - one case: one reply; a limit of 3: three */
static void
test_two_milters(void **state)
{
	struct ledger_reply one = { "v@x", "x", "spam", "rep", "CASE-1" };
	struct ledger_reply any = { "w@x", "x", "spam", "rep", NULL };
	struct ledger_limits l = { 3, 3600, 0, 0 };

	assert_int_equal(race("race1:", &one, &lim), 1);
	assert_int_equal(race("race2:", &any, &l), 3);
}

/* test_forget_and_stream - forget takes back exactly one reply; a
 * complaint is one stream entry with the row's fields */
static void
test_forget_and_stream(void **state)
{
	struct redis_conf conf = conf_for(sock, "fs:", NULL);
	struct redis_state *rs = redis_state_open(&conf);
	struct ledger_reply r = { "q@x", "x", "spam", "Rep", "K9" };
	struct ledger_limits l = { 1, 3600, 0, 0 };
	struct strvec ips;
	struct ledger_complaint c = { 1700000000, "QID1", "<m@x>", "spam",
	    "r1", "Rep@X", NULL, "queued", &ips };
	const char *why;
	redisReply *x;

	assert_int_equal(redis_state_reply_allow(rs, &r, &l, 0, &why),
	    REDIS_ALLOWED);
	assert_int_equal(raw_int("EXISTS %s", "fs:case:3:rep:K9"), 1);
	assert_int_equal(redis_state_reply_forget(rs, &r), 0);
	assert_int_equal(raw_int("EXISTS %s", "fs:case:3:rep:K9"), 0);
	assert_int_equal(raw_int("ZCARD %s", "fs:replies"), 0);
	assert_int_equal(redis_state_reply_forget(rs, &r), 0);
	/* a flushed script cache (a restarted server): EVAL takes over */
	freeReplyObject(raw("SCRIPT FLUSH"));
	assert_int_equal(redis_state_reply_allow(rs, &r, &l, 0, &why),
	    REDIS_ALLOWED);
	strvec_init(&ips);
	strvec_push(&ips, "192.0.2.1");
	strvec_push(&ips, "2001:db8::1");
	assert_int_equal(redis_state_record_complaint(rs, &c), 0);
	x = raw("XRANGE fs:complaints - +");
	assert_int_equal(x->elements, 1);
	x->element[0]->element[1]->type == REDIS_REPLY_ARRAY ?
	    (void)0 : fail();
	{
		redisReply *f = x->element[0]->element[1];
		const char *want[] = { "time", "1700000000", "qid", "QID1",
		    "message_id", "<m@x>", "category", "spam", "rule", "r1",
		    "reporter", "rep@x", "reply", "queued", "ips",
		    "192.0.2.1 2001:db8::1" };

		assert_int_equal(f->elements, 16);
		for (size_t i = 0; i < 16; i++)
			assert_string_equal(f->element[i]->str, want[i]);
	}
	freeReplyObject(x);
	strvec_free(&ips);
	redis_state_close(rs);
}

/* server_start - a private redis-server on path; its pid */
static pid_t
server_start(const char *path, const char *password)
{
	const char *srv = getenv("REDIS_SERVER");
	pid_t pid = fork();

	assert_true(pid >= 0);
	if (pid == 0) {
		/* its banner is no part of the test's output */
		freopen("/dev/null", "w", stdout);
		if (password)
			execl(srv, srv, "--port", "0", "--unixsocket", path,
			    "--save", "", "--appendonly", "no", "--requirepass",
			    password, "--loglevel", "warning", (char *)NULL);
		else
			execl(srv, srv, "--port", "0", "--unixsocket", path,
			    "--save", "", "--appendonly", "no", "--loglevel",
			    "warning", (char *)NULL);
		_exit(127);
	}
	for (int i = 0; i < 100; i++) {
		redisContext *ctx = redisConnectUnix(path);
		bool up = ctx != NULL && ctx->err == 0;

		redisFree(ctx);
		if (up)
			return pid;
		usleep(50000);
	}
	fail_msg("redis-server on %s did not start", path);
	return -1;
}

/* server_stop - stop it and wait */
static void
server_stop(pid_t pid)
{
	kill(pid, SIGTERM);
	waitpid(pid, NULL, 0);
}

/* allow_soon - ask until Redis answers (it comes back after the
 * backoff); the verdict of the last ask */
static enum redis_verdict
allow_soon(struct redis_state *rs, const struct ledger_reply *r)
{
	enum redis_verdict v = REDIS_UNAVAILABLE;
	const char *why;

	for (int i = 0; i < 80 && v == REDIS_UNAVAILABLE; i++) {
		v = redis_state_reply_allow(rs, r, &lim, 0, &why);
		if (v == REDIS_UNAVAILABLE)
			usleep(100000);
	}
	return v;
}

/* test_server_gone - stopped, frozen, back */
static void
test_server_gone(void **state)
{
	char *path = xasprintf("%s/gone.sock", tmpdir);
	pid_t pid = server_start(path, NULL);
	struct redis_conf conf = conf_for(path, "gone:", NULL);
	struct redis_state *rs = redis_state_open(&conf);
	struct ledger_reply r = { "g@x", "x", "spam", "rep", NULL };
	struct ledger_complaint c = { .category = "spam" };
	const char *why;

	assert_int_equal(redis_state_reply_allow(rs, &r, &lim, 0, &why),
	    REDIS_ALLOWED);
	server_stop(pid);
	for (int i = 0; i < 3; i++) {
		assert_int_equal(redis_state_reply_allow(rs, &r, &lim, 0,
		    &why), REDIS_UNAVAILABLE);
		assert_string_equal(why, "state unavailable");
	}
	assert_int_equal(redis_state_reply_forget(rs, &r), -1);
	assert_int_equal(redis_state_record_complaint(rs, &c), -1);
	pid = server_start(path, NULL);
	assert_int_equal(allow_soon(rs, &r), REDIS_ALLOWED);
	/* frozen: the calls time out instead of hanging */
	kill(pid, SIGSTOP);
	assert_int_equal(redis_state_reply_allow(rs, &r, &lim, 0, &why),
	    REDIS_UNAVAILABLE);
	assert_int_equal(redis_state_reply_allow(rs, &r, &lim, 0, &why),
	    REDIS_UNAVAILABLE);
	kill(pid, SIGCONT);
	/* the frozen server may have run the first call: 2 or 3 now */
	assert_int_not_equal(allow_soon(rs, &r), REDIS_UNAVAILABLE);
	redis_state_close(rs);
	server_stop(pid);
	free(path);
}

/* test_password - a wrong or missing password: the start check says
 * so, and it is not taken for "unreachable" */
static void
test_password(void **state)
{
	char *path = xasprintf("%s/pw.sock", tmpdir);
	pid_t pid = server_start(path, "s3cret");
	struct redis_conf conf = conf_for(path, "pw:", "wrong");
	struct redis_state *rs = redis_state_open(&conf);
	char err[512];

	assert_int_equal(redis_state_check(rs, err, sizeof(err)), -1);
	assert_true(strncmp(err, "redis: AUTH failed: ", 20) == 0);
	redis_state_close(rs);
	conf = conf_for(path, "pw:", NULL);
	rs = redis_state_open(&conf);
	assert_int_equal(redis_state_check(rs, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "AUTH failed: the server wants a "
	    "password"));
	redis_state_close(rs);
	conf = conf_for(path, "pw:", "s3cret");
	rs = redis_state_open(&conf);
	assert_int_equal(redis_state_check(rs, err, sizeof(err)), 0);
	redis_state_close(rs);
	server_stop(pid);
	conf = conf_for(path, "pw:", "s3cret");
	rs = redis_state_open(&conf);
	assert_int_equal(redis_state_check(rs, err, sizeof(err)), 1);
	assert_non_null(strstr(err, "cannot connect"));
	redis_state_close(rs);
	free(path);
}

/* test_decide - the fallback and the memory of one host */
static void
test_decide(void **state)
{
	char *p1 = xasprintf("%s/host1/state.db", tmpdir);
	char *p2 = xasprintf("%s/host2/state.db", tmpdir);
	char *nowhere = xasprintf("%s/no-such.sock", tmpdir);
	struct ledger *h1 = ledger_open(p1), *h2 = ledger_open(p2);
	struct redis_conf cu = conf_for(sock, "dec:", NULL);
	struct redis_state *up = redis_state_open(&cu);
	struct redis_conf cd = conf_for(nowhere, "dec:", NULL);
	struct redis_state *down = redis_state_open(&cd);
	struct ledger_reply a = { "n@x", "x", "spam", "rep", "A" };
	struct ledger_reply b = { "n@x", "x", "dmca", "rep", "B" };
	enum reply_decided where;
	const char *why;

	/* Redis away: host 1 answers case A from its own ledger */
	assert_true(reply_decide_allow(h1, down, &a, &lim, &where, &why));
	assert_int_equal(where, DECIDED_LOCAL);
	/* Redis back: host 1 does not answer A again; Redis keeps no
	 * record of the refused try */
	assert_false(reply_decide_allow(h1, up, &a, &lim, &where, &why));
	assert_string_equal(why, "case already answered");
	assert_int_equal(where, DECIDED_NONE);
	assert_int_equal(raw_int("EXISTS %s", "dec:case:3:rep:A"), 0);
	/* case B through Redis, seen by both hosts; host 1 remembers it
	 * when Redis is away again */
	assert_true(reply_decide_allow(h1, up, &b, &lim, &where, &why));
	assert_int_equal(where, DECIDED_REDIS);
	assert_false(reply_decide_allow(h2, up, &b, &lim, &where, &why));
	assert_string_equal(why, "case already answered");
	assert_false(reply_decide_allow(h1, down, &b, &lim, &where, &why));
	assert_string_equal(why, "case already answered");
	/* forget takes it back from both */
	assert_true(reply_decide_allow(h2, NULL, &a, &lim, &where, &why));
	assert_int_equal(where, DECIDED_LOCAL);
	b.case_id = "B2";
	assert_true(reply_decide_allow(h1, up, &b, &lim, &where, &why));
	assert_int_equal(reply_decide_forget(h1, up, &b, where), 0);
	assert_true(reply_decide_allow(h1, up, &b, &lim, &where, &why));
	redis_state_close(up);
	redis_state_close(down);
	ledger_close(h1);
	ledger_close(h2);
	free(p1);
	free(p2);
	free(nowhere);
}

/* free_port - a TCP port on 127.0.0.1 nobody listens on right now */
static int
free_port(void)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	socklen_t len = sizeof(a);
	int fd = socket(AF_INET, SOCK_STREAM, 0), port;

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof(a)), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&a, &len), 0);
	port = ntohs(a.sin_port);
	close(fd);
	return port;
}

/* spawn - run argv with stdout and stderr to /dev/null; its pid */
static pid_t
spawn(char *const argv[])
{
	pid_t pid = fork();

	assert_true(pid >= 0);
	if (pid == 0) {
		freopen("/dev/null", "w", stdout);
		freopen("/dev/null", "w", stderr);
		execv(argv[0], argv);
		_exit(127);
	}
	return pid;
}

/* answers - a PING on 127.0.0.1:port is answered */
static bool
answers(int port)
{
	struct timeval tv = { 0, 200000 };
	redisContext *ctx = redisConnectWithTimeout("127.0.0.1", port, tv);
	redisReply *r = ctx && !ctx->err ? redisCommand(ctx, "PING") : NULL;
	bool ok = r != NULL && r->type == REDIS_REPLY_STATUS;

	freeReplyObject(r);
	redisFree(ctx);
	return ok;
}

/* test_sentinel - the master found through the second sentinel */
static void
test_sentinel(void **state)
{
	char *srv = getenv("REDIS_SERVER"), mport[16], sport[16], err[512];
	int mp = free_port(), sp = free_port(), dead = free_port();
	char *sconf = xasprintf("%s/sentinel.conf", tmpdir);
	char *master[] = { srv, "--port", mport, "--bind", "127.0.0.1",
	    "--save", "", "--appendonly", "no", NULL };
	char *sentinel[] = { srv, sconf, "--sentinel", NULL };
	struct redis_conf conf = conf_for("/unused", "sen:", NULL);
	struct redis_state *rs;
	struct ledger_reply r = { "s@x", "x", "spam", "rep", "S1" };
	pid_t mpid, spid;
	const char *why;
	FILE *fp;

	snprintf(mport, sizeof(mport), "%d", mp);
	snprintf(sport, sizeof(sport), "%d", sp);
	assert_non_null(fp = fopen(sconf, "w"));
	fprintf(fp, "port %d\nbind 127.0.0.1\ndir %s\nsentinel monitor "
	    "desk 127.0.0.1 %d 1\n", sp, tmpdir, mp);
	fclose(fp);
	mpid = spawn(master);
	spid = spawn(sentinel);
	for (int i = 0; i < 100 && !(answers(mp) && answers(sp)); i++)
		usleep(50000);
	conf.url = "redis://127.0.0.1:1/0";	/* not used with sentinels */
	strvec_init(&conf.sentinels);
	strvec_push_owned(&conf.sentinels, xasprintf("127.0.0.1:%d", dead));
	strvec_push_owned(&conf.sentinels, xasprintf("127.0.0.1:%d", sp));
	conf.sentinel_master = "desk";
	rs = redis_state_open(&conf);
	if (redis_state_check(rs, err, sizeof(err)) != 0)
		fail_msg("%s", err);
	assert_non_null(strstr(redis_state_where(rs), "master desk"));
	assert_int_equal(redis_state_reply_allow(rs, &r, &lim, 0, &why),
	    REDIS_ALLOWED);
	assert_int_equal(redis_state_reply_allow(rs, &r, &lim, 0, &why),
	    REDIS_REFUSED);
	redis_state_close(rs);
	kill(spid, SIGTERM);
	waitpid(spid, NULL, 0);
	kill(mpid, SIGTERM);
	waitpid(mpid, NULL, 0);
	/* no sentinel answers: unreachable, not refused */
	rs = redis_state_open(&conf);
	assert_int_equal(redis_state_check(rs, err, sizeof(err)), 1);
	assert_non_null(strstr(err, "cannot connect to 127.0.0.1:"));
	redis_state_close(rs);
	strvec_free(&conf.sentinels);
	free(sconf);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_same_as_sqlite),
		cmocka_unit_test(test_windows),
		cmocka_unit_test(test_two_milters),
		cmocka_unit_test(test_forget_and_stream),
		cmocka_unit_test(test_server_gone),
		cmocka_unit_test(test_password),
		cmocka_unit_test(test_decide),
		cmocka_unit_test(test_sentinel),
	};

	return REDIS_TEST_MAIN(tests, &sock, tmpdir);
}
