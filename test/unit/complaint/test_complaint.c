/*
 * test_complaint.c - complaint.c: the shared pipeline from bytes to
 * category, evidence, ours/tor_exit and reply decision; the IP list
 * header value stays under miltertest's and mail tools' 1 KB and leaks
 * nothing.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include <malloc.h>

#include "complaint/complaint.h"

static char dir[] = "/tmp/test_complaint.XXXXXX";
static char conf[600], exits[600];
static struct config *cfg;

static int
setup(void **state)
{
	FILE *fp;
	char err[1024];

	if (mkdtemp(dir) == NULL)
		return -1;
	snprintf(exits, sizeof(exits), "%s/exits", dir);
	fp = fopen(exits, "w");
	fputs("ExitNode 0011\nPublished 2026-11-25 00:00:00\n"
	    "ExitAddress 203.0.113.66 2026-11-25 01:00:00\n", fp);
	fclose(fp);
	snprintf(conf, sizeof(conf), "%s/c.conf", dir);
	fp = fopen(conf, "w");
	fprintf(fp, "mailboxes = {\"abuse@example.org\"}\n"
	    "our_networks = {\"192.0.2.0/24\"}\nexit_list = \"%s\"\n"
	    "category abuse {\n rule scan {\n  body = '(?i)scan'\n }\n}\n"
	    "category other {\n}\n", exits);
	fclose(fp);
	cfg = config_load(conf, err, sizeof(err));
	if (cfg == NULL)
		fprintf(stderr, "%s\n", err);
	return cfg == NULL ? -1 : 0;
}

static int
teardown(void **state)
{
	config_unref(cfg);
	unlink(conf);
	unlink(exits);
	return rmdir(dir);
}

/* analyze - run the pipeline over a message text */
static void
analyze(const char *text, struct complaint *c)
{
	complaint_analyze(cfg, text, strlen(text), "soc@example.net", c);
}

static void
test_pipeline(void **state)
{
	struct complaint c;

	analyze("From: soc@example.net\nSubject: scan\n\n"
	    "Port scan from 192.0.2.10 and 203.0.113.66 against us.\n", &c);
	assert_false(c.unparsed);
	assert_string_equal(c.cat->name, "abuse");
	assert_non_null(c.rule);
	assert_string_equal(c.rule->name, "scan");
	assert_true(c.ours);
	assert_int_equal(c.tor_exit, TRI_TRUE);
	assert_non_null(c.reply_reason);	/* no reply flag */
	complaint_free(&c);

	analyze("From: soc@example.net\nSubject: hello\n\n"
	    "Nothing here but 198.51.100.1 in passing.\n", &c);
	assert_string_equal(c.cat->name, "other");
	assert_null(c.rule);
	assert_false(c.ours);
	assert_int_equal(c.tor_exit, TRI_FALSE);
	complaint_free(&c);
}

/* unparseable input: the default category, nothing else */
static void
test_unparsed(void **state)
{
	struct complaint c;

	complaint_analyze(cfg, "", 0, NULL, &c);
	assert_true(c.unparsed);
	assert_string_equal(c.cat->name, "other");
	assert_null(c.rule);
	assert_int_equal(c.ev.ips.n, 0);
	complaint_free(&c);
}

/* the joined IP list is cut below the limit with a count of the rest */
static void
test_ips_joined(void **state)
{
	struct complaint c;
	char *s;

	memset(&c, 0, sizeof(c));
	strvec_init(&c.ev.ips);
	s = complaint_ips_joined(&c, 900);
	assert_string_equal(s, "");
	free(s);
	strvec_push(&c.ev.ips, "192.0.2.1");
	strvec_push(&c.ev.ips, "2001:db8::1");
	s = complaint_ips_joined(&c, 900);
	assert_string_equal(s, "192.0.2.1, 2001:db8::1");
	free(s);
	for (int i = 0; i < 300; i++) {
		char ip[32];

		snprintf(ip, sizeof(ip), "198.51.%d.%d", i / 250, i % 250);
		strvec_push(&c.ev.ips, ip);
	}
	s = complaint_ips_joined(&c, 900);
	assert_true(strlen(s) <= 900);
	assert_non_null(strstr(s, " more)"));
	{
		size_t shown = 1, more = 0;

		for (const char *p = s; (p = strstr(p, ", ")) != NULL; p += 2)
			shown++;
		assert_int_equal(sscanf(strstr(s, "(+"), "(+%zu more)", &more), 1);
		assert_int_equal(shown + more, c.ev.ips.n);
	}
	free(s);
	strvec_free(&c.ev.ips);
}

/* the joined list is the only memory left behind: callbacks.c and
 * reply_queue.c call it for every complaint */
static void
test_ips_joined_no_leak(void **state)
{
	struct complaint c;
	size_t before;

	memset(&c, 0, sizeof(c));
	strvec_init(&c.ev.ips);
	strvec_push(&c.ev.ips, "192.0.2.1");
	free(complaint_ips_joined(&c, 900));	/* warm up the allocator */
	before = mallinfo2().uordblks;
	for (int i = 0; i < 1000; i++)
		free(complaint_ips_joined(&c, 900));
	assert_true(mallinfo2().uordblks < before + 4096);
	strvec_free(&c.ev.ips);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pipeline),
		cmocka_unit_test(test_unparsed),
		cmocka_unit_test(test_ips_joined),
		cmocka_unit_test(test_ips_joined_no_leak),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
