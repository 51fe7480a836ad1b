/*
 * test_report_out.c - the report as a web page and as CSV: the chart
 * has a bar segment per day and category with its count, every address
 * is marked ours / Tor exit by the config, text from the ledger is
 * escaped (a reporter cannot inject markup or a spreadsheet formula),
 * the page fetches nothing and runs no script, and the oldest waiting
 * replies of the spool are listed.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include "cli/report_out.h"
#include "ledger/ledger.h"
#include "reply/spool.h"
#include "util/util.h"
#include "testutil.h"

static char top[] = "/tmp/test_report_out.XXXXXX";
static struct config cfg;
static struct ledger_report rep;
static struct report_jobs jobs;

/* add - one ledger row with one address */
static void
add(struct ledger *st, time_t t, const char *cat, const char *reporter,
    const char *reply, const char *ip)
{
	struct strvec ips;
	struct ledger_complaint c = { .time = t, .category = cat,
	    .reporter = reporter, .reply = reply, .ips = &ips, .qid = "Q" };

	strvec_init(&ips);
	strvec_push(&ips, ip);
	assert_int_equal(ledger_record_complaint(st, &c), 0);
	strvec_free(&ips);
}

/* setup - a ledger of two days, a config that knows one network and
 * one exit, a spool with one waiting reply */
static int
setup(void **state)
{
	struct spool_job job = { .sender = "", .rcpt = "soc@example.net",
	    .category = "abuse", .qid = "QID1", .case_id = "",
	    .msg = (char *)"Subject: x\n\nhello\n", .len = 18 };
	struct ledger *st;
	time_t day1 = 1736503200;	/* 2025-01-10 10:00 UTC */

	(void)state;
	if (mkdtemp(top) == NULL)
		return -1;
	cfg.state_db = xasprintf("%s/state.db", top);
	cfg.spool_dir = xasprintf("%s/spool", top);
	cfg.our_networks = netset_new();
	netset_add_cidr(cfg.our_networks, "192.0.2.0/24");
	cfg.exit_list = netset_new();
	netset_add_cidr(cfg.exit_list, "192.0.2.7");
	st = ledger_open(cfg.state_db);
	add(st, day1, "dmca", "notices@agent.example", "queued", "192.0.2.7");
	add(st, day1 + 60, "dmca", "notices@agent.example",
	    "suppressed: rate limit", "192.0.2.7");
	add(st, day1 + 86400, "spam", "<b>x</b>@evil.example", "queued",
	    "203.0.113.5");
	add(st, day1 + 86460, "abuse", "=HYPERLINK(\"x\")", "queued",
	    "192.0.2.8");
	ledger_close(st);
	if (spool_init(cfg.spool_dir) != 0 ||
	    spool_write(cfg.spool_dir, &job, NULL) != 0)
		return -1;
	if (ledger_report_load(cfg.state_db, 0, &rep) != 0)
		return -1;
	report_jobs_load(cfg.spool_dir, REPORT_JOBS_MAX, &jobs);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	ledger_report_free(&rep);
	report_jobs_free(&jobs);
	netset_free(cfg.our_networks);
	netset_free(cfg.exit_list);
	free(cfg.state_db);
	free(cfg.spool_dir);
	return testutil_rm_rf(top);
}

/* render - the page or the CSV as a string */
static char *
render(bool html)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	assert_non_null(f);
	assert_int_equal(html ? report_html_write(&cfg, "LEDGER", &rep, &jobs, f)
	    : report_csv_write(&cfg, &rep, &jobs, f), 0);
	fclose(f);
	return text;
}

static void
test_html(void **state)
{
	char *p = render(true);

	(void)state;
	assert_true(strncmp(p, "<!DOCTYPE html>", 15) == 0);
	assert_non_null(strstr(p, "<svg class=\"chart\""));
	assert_non_null(strstr(p, "<title>2025-01-10 dmca: 2</title></rect>"));
	assert_non_null(strstr(p, "<title>2025-01-11 spam: 1</title></rect>"));
	assert_non_null(strstr(p, "<title>2025-01-11 abuse: 1</title></rect>"));
	assert_non_null(strstr(p, "<b>4</b> complaints"));
	/* address, ours, Tor exit */
	assert_non_null(strstr(p, "<td class=\"n\">2</td><td>192.0.2.7</td>"
	    "<td>yes</td><td>yes</td>"));
	assert_non_null(strstr(p, "<td>192.0.2.8</td><td>yes</td><td>no</td>"));
	assert_non_null(strstr(p, "<td>203.0.113.5</td><td>no</td><td>no</td>"));
	assert_non_null(strstr(p, "replies sent: <b>3</b>, suppressed: <b>1</b>"));
	/* escaped, self-contained */
	assert_non_null(strstr(p, "&lt;b&gt;x&lt;/b&gt;@evil.example"));
	assert_null(strstr(p, "<b>x</b>"));
	assert_null(strstr(p, "<script"));
	assert_null(strstr(p, " src="));
	assert_null(strstr(p, " href="));
	/* the waiting reply */
	assert_non_null(strstr(p, "1 waiting in all."));
	assert_non_null(strstr(p, "<td>soc@example.net</td><td>abuse</td>"
	    "<td>QID1</td>"));
	free(p);
}

static void
test_csv(void **state)
{
	char *c = render(false);

	(void)state;
	assert_true(strncmp(c, "section,key,subkey,count,ours,tor_exit,detail\r\n",
	    47) == 0);
	assert_non_null(strstr(c, "\r\nper_day,2025-01-10,dmca,2,,,\r\n"));
	assert_non_null(strstr(c, "\r\ntop_address,192.0.2.7,,2,yes,yes,\r\n"));
	assert_non_null(strstr(c, "\r\ntop_address,203.0.113.5,,1,no,no,\r\n"));
	assert_non_null(strstr(c, "\r\nreplies,suppressed: rate limit,,1,,,\r\n"));
	/* a formula is defused, a quote doubled */
	assert_non_null(strstr(c, "\r\ntop_reporter,\"'=hyperlink(\"\"x\"\")\",,1,"));
	assert_non_null(strstr(c, "\r\nwaiting_reply,soc@example.net,abuse,0,,,"));
	free(c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_html),
		cmocka_unit_test(test_csv),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
