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
	assert_true(c.dec.total == 1.0);
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

/* put - write a file under dir; returns its path (static) */
static const char *
put(const char *name, const char *text)
{
	static char path[700];
	FILE *fp;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fp = fopen(path, "w");
	assert_non_null(fp);
	fputs(text, fp);
	fclose(fp);
	return path;
}

/* what the weighing does to the reply: human on a category and on the
 * deciding rule, a veto, a narrow win, a rule's own template */
static void
test_score_replies(void **state)
{
	static const struct {
		const char *label;
		const char *text;
		const char *want_cat;
		const char *want_reason;	/* NULL: a reply */
		const char *want_template;	/* NULL: none */
	} rows[] = {
		{"a clear winner is answered", "A copyright notice.", "dmca",
		    NULL, "dmca.txt"},
		{"the deciding rule's template", "A copyright notice: photo.",
		    "dmca", NULL, "photo.txt"},
		{"a human rule decides: no reply", "Copyright, our lawyer.",
		    "dmca", "needs a person", NULL},
		{"a human category: no reply", "A question.", "person",
		    "needs a person", NULL},
		{"a human category that never replies says so",
		    "A threat against us.", "urgent", "needs a person", NULL},
		{"a human rule in a silent category says so",
		    "The police, about a child.", "le", "needs a person", NULL},
		{"a veto from the runner-up", "Copyright; the police know.",
		    "dmca", "veto: le", NULL},
		{"a tie is uncertain", "A scan of our copyright.", "dmca",
		    "uncertain", NULL},
		{"far enough ahead", "A scan, brute force, copyright.", "abuse",
		    NULL, "abuse.txt"},
		{"a category without reply stays so", "The police.", "le",
		    "category does not reply", NULL},
	};
	const char *tpl = "Subject: Re: ${subject}\n\nHello ${to}\n";
	char err[1024], *text;
	struct config *sc;

	(void)state;
	put("dmca.txt", tpl);
	put("photo.txt", tpl);
	put("abuse.txt", tpl);
	text = xasprintf("mailboxes = {\"abuse@example.org\"}\n"
	    "reply {\n from = \"Desk <desk@example.org>\"\n}\n"
	    "decision {\n margin = 1\n}\n"
	    "category le {\n veto = 2\n"
	    " rule police {\n  body = '(?i)police'\n  score = 2\n }\n"
	    " rule child {\n  body = '(?i)child'\n  score = 3\n"
	    "  human = true\n }\n}\n"
	    "category dmca {\n reply = true\n template = \"%s/dmca.txt\"\n"
	    " rule notice {\n  body = '(?i)copyright'\n  score = 3\n }\n"
	    " rule photo {\n  body = '(?i)photo'\n  score = 5\n"
	    "  template = \"%s/photo.txt\"\n }\n"
	    " rule lawyer {\n  body = '(?i)lawyer'\n  score = 9\n"
	    "  human = true\n }\n}\n"
	    "category abuse {\n reply = true\n template = \"%s/abuse.txt\"\n"
	    " rule scan {\n  body = '(?i)scan'\n  score = 3\n }\n"
	    " rule brute {\n  body = '(?i)brute'\n  score = 2.5\n }\n}\n"
	    "category person {\n reply = true\n human = true\n"
	    " template = \"%s/abuse.txt\"\n"
	    " rule q {\n  body = '(?i)question'\n }\n}\n"
	    "category urgent {\n human = true\n route = \"person@example.org\"\n"
	    " rule threat {\n  body = '(?i)threat'\n  score = 10\n }\n}\n"
	    "category other {\n}\n", dir, dir, dir, dir);
	sc = config_load(put("score.conf", text), err, sizeof(err));
	free(text);
	if (sc == NULL)
		fail_msg("%s", err);
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct complaint c;
		const char *tn;
		char *msg = xasprintf("From: soc@example.net\n"
		    "Subject: report\nMessage-ID: <r%zu@example.net>\n\n%s\n",
		    i, rows[i].text);

		complaint_analyze(sc, msg, strlen(msg), "soc@example.net", &c);
		tn = complaint_template_name(&c);
		if (strcmp(c.cat->name, rows[i].want_cat) != 0)
			fail_msg("%s: category %s", rows[i].label, c.cat->name);
		if (rows[i].want_reason == NULL ? c.reply_reason != NULL :
		    c.reply_reason == NULL ||
		    strcmp(c.reply_reason, rows[i].want_reason) != 0)
			fail_msg("%s: reason %s", rows[i].label,
			    c.reply_reason ? c.reply_reason : "(send)");
		if (rows[i].want_template == NULL ? tn != NULL : tn == NULL ||
		    strcmp(tn, rows[i].want_template) != 0)
			fail_msg("%s: template %s", rows[i].label,
			    tn ? tn : "(none)");
		if ((c.reply_reason == NULL) != (c.rcpt != NULL))
			fail_msg("%s: recipient without a reply", rows[i].label);
		/* a person's report still goes where its category routes */
		if (strcmp(c.cat->name, "urgent") == 0 && (c.act->route ==
		    NULL || strcmp(c.act->route, "person@example.org") != 0))
			fail_msg("%s: not routed", rows[i].label);
		complaint_free(&c);
		free(msg);
	}
	config_unref(sc);
	unlink(put("score.conf", ""));
	unlink(put("dmca.txt", ""));
	unlink(put("photo.txt", ""));
	unlink(put("abuse.txt", ""));
}

/* the X-Abuse-Score value: winner, runner-up, bounded length. "LONG"
 * as a name stands for a name of 399 bytes. */
static void
test_score_text(void **state)
{
	static const struct {
		const char *label;
		const char *win, *runner;	/* runner NULL: none */
		double total, runner_total;
		const char *want;	/* "LONG..." : starts with n's, then */
	} rows[] = {
		{"winner and runner-up", "abuse", "spam", 7, 2.5,
		    "abuse=7 spam=2.5"},
		{"no runner-up", "dmca", NULL, 3, 0, "dmca=3"},
		{"default category", "other", NULL, 0, 0, "other=0"},
		{"below min_score: fallback with a runner-up", "other", "abuse",
		    0, 0.5, "other=0 abuse=0.5"},
		{"a long runner-up is dropped", "abuse", "LONG", 1, 1, "abuse=1"},
		{"a long winner is cut, its total kept", "LONG", NULL, 12.5, 0,
		    "LONG=12.5"},
	};
	char longname[400];

	memset(longname, 'n', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct category win = {0}, runner = {0};
		struct complaint c;
		const char *want = rows[i].want;
		char *s;

		memset(&c, 0, sizeof(c));
		win.name = (char *)(strcmp(rows[i].win, "LONG") == 0 ?
		    longname : rows[i].win);
		c.cat = c.dec.cat = &win;
		c.dec.total = rows[i].total;
		if (rows[i].runner != NULL) {
			runner.name = (char *)(strcmp(rows[i].runner,
			    "LONG") == 0 ? longname : rows[i].runner);
			c.dec.runner_up = &runner;
			c.dec.runner_total = rows[i].runner_total;
		}
		s = complaint_score_text(&c);
		if (strlen(s) > COMPLAINT_SCORE_MAX)
			fail_msg("%s: %zu bytes", rows[i].label, strlen(s));
		if (strncmp(want, "LONG", 4) == 0) {
			if (strncmp(s, "nnnn", 4) != 0 ||
			    strcmp(s + strspn(s, "n"), want + 4) != 0)
				fail_msg("%s: got %s", rows[i].label, s);
		} else if (strcmp(s, want) != 0) {
			fail_msg("%s: want %s got %s", rows[i].label, want, s);
		}
		free(s);
	}
}

/* the JSON template: the reply's file name, only when a reply goes out */
static void
test_template_name(void **state)
{
	struct complaint c;

	memset(&c, 0, sizeof(c));
	c.answer.tmpl_path = (char *)"templates/abuse.txt";
	assert_string_equal(complaint_template_name(&c), "abuse.txt");
	c.answer.tmpl_path = (char *)"abuse.txt";
	assert_string_equal(complaint_template_name(&c), "abuse.txt");
	c.reply_reason = "null sender";
	assert_null(complaint_template_name(&c));
	c.reply_reason = NULL;
	c.answer.tmpl_path = NULL;
	assert_null(complaint_template_name(&c));
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
		cmocka_unit_test(test_score_replies),
		cmocka_unit_test(test_score_text),
		cmocka_unit_test(test_template_name),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
