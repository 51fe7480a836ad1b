/*
 * test_config.c - config.c and check.c: a good file loads with the
 * right values; every kind of bad file is refused with "FILE:LINE:
 * message" (for a whole section libconfuse knows only the line where it
 * ends); durations and sizes parse as documented.
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

#include "config/check.h"
#include "classify/phrase.h"
#include "classify/reporters.h"
#include "config/config.h"
#include "evidence/netset.h"
#include "util/mailbox.h"
#include "util/pattern.h"

#ifndef TEST_SRCDIR
#define TEST_SRCDIR "."
#endif

static char tmpdir[] = "/tmp/test_config.XXXXXX";

/* write_file - a file under tmpdir; returns its path (static) */
static const char *
write_file(const char *name, const char *text)
{
	static char path[512];
	FILE *fp;

	snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
	fp = fopen(path, "w");
	assert_non_null(fp);
	fputs(text, fp);
	fclose(fp);
	return path;
}

#define TEMPLATE "Subject: Re: ${subject}\n\nHello ${to}\n"
#define BASE \
	"mailboxes = {\"abuse@example.org\", \"*@abuse.example.net\"}\n" \
	"our_networks = {\"192.0.2.0/24\", \"2001:db8::/32\"}\n" \
	"reply {\n  from = \"Desk <abuse@example.org>\"\n}\n"
#define OTHER "category other {\n}\n"

struct bad_row {
	const char *label;
	const char *text;
	int line;		/* expected line, 0: no line expected */
	const char *want;	/* substring of the message */
};

static const struct bad_row bad_rows[] = {
	{"unknown option", BASE "colour = \"blue\"\n" OTHER, 6, "colour"},
	{"unknown option in reply", "reply {\n  speed = 3\n}\n" OTHER, 2, "speed"},
	{"bad socket", "socket = \"tcp:25\"\n" OTHER, 1, "socket"},
	{"bad inet port", "socket = \"inet:99999@localhost\"\n" OTHER, 1, "port"},
	{"bad umask", "umask = 999\n" OTHER, 1, "umask"},
	{"bad log level", "log_level = loud\n" OTHER, 1, "level"},
	{"bad on_error", "on_error = reject\n" OTHER, 1, "on_error"},
	{"bad mailbox", "mailboxes = {\"abuse\"}\n" OTHER, 1, "mailbox"},
	{"bad mailbox wildcard", "mailboxes = {\"ab*se@example.org\"}\n" OTHER,
	    1, "mailbox"},
	{"bad cidr", "our_networks = {\"192.0.2.0/33\"}\n" OTHER, 1, "network"},
	{"bad cidr text", "\nour_networks = {\"not-a-net\"}\n" OTHER, 2, "network"},
	{"bad size", "max_body = lots\n" OTHER, 1, "size"},
	{"bad duration", "reply {\n  timeout = 5 minutes\n}\n" OTHER, 2, NULL},
	{"bad duration unit", "reply {\n  retry = 5y\n}\n" OTHER, 2, "duration"},
	{"bad rate", "reply {\n  rate_limit = \"5 per hour\"\n}\n" OTHER, 2,
	    "rate_limit"},
	{"workers out of range", "reply {\n  workers = 0\n}\n" OTHER, 2,
	    "workers"},
	{"bad recipient", "reply {\n  recipient = sender\n}\n" OTHER, 2,
	    "recipient"},
	{"cap out of range", "reply {\n  max_per_hour = -1\n}\n" OTHER, 2,
	    "max_per_hour"},
	{"domain cap out of range", "reply {\n\n  max_per_domain = 2000000\n}\n"
	    OTHER, 3, "max_per_domain"},
	{"bad detail separators", "reply {\n  detail_separators = \"+@\"\n}\n"
	    OTHER, 2, "separators"},
	{"reply from without an address",
	    "reply {\n  from = \"Abuse Desk\"\n}\n" OTHER, 2, "from"},
	{"bad answer_automated regex",
	    "reply {\n  answer_automated = {'(unclosed'}\n}\n" OTHER, 2, "regex"},
	{"bad rule regex", OTHER "category x {\n  rule r {\n"
	    "    header = \"Subject\"\n    match = '(?<bad'\n  }\n}\n", 6, "regex"},
	{"bad body regex", OTHER "category x {\n  rule r {\n"
	    "    body = '[z-a]'\n  }\n}\n", 5, "regex"},
	{"bad regex in all{}", OTHER "category x {\n  rule r {\n"
	    "    all {\n      envelope_from = '('\n    }\n  }\n}\n", 6,
	    "regex"},
	{"bad regex in any{}, second line of a list", "reply {\n"
	    "  answer_automated = {'a',\n    'b)'}\n}\n" OTHER, 3, "regex"},
	{"header without match", OTHER "category x {\n  rule r {\n"
	    "    header = \"Subject\"\n  }\n}\n", 6, "match"},
	{"two conditions", OTHER "category x {\n  rule r {\n"
	    "    body = 'a'\n    envelope_from = 'b'\n  }\n}\n", 7, "only one"},
	{"empty rule", OTHER "category x {\n  rule r {\n  }\n}\n", 5,
	    "condition"},
	{"reply without template", OTHER "category x {\n  reply = true\n}\n", 5,
	    "template"},
	{"missing template", OTHER "category x {\n  reply = true\n"
	    "  template = \"/nonexistent/t.txt\"\n}\n", 5, "cannot read"},
	{"missing exit list", "exit_list = \"/nonexistent/exits\"\n" OTHER, 1,
	    "cannot read"},
	{"duplicate category", OTHER OTHER, 0, NULL},
	{"default category undefined", "default_category = \"nothing\"\n" OTHER,
	    0, "default_category"},
	{"syntax error", "mailboxes = {\"a@b\"\n" OTHER, 0, NULL},
	{"bad header prefix", "header_prefix = \"X Abuse\"\n" OTHER, 1,
	    "prefix"},
	{"bad score", OTHER "category x {\n  rule r {\n    body = 'a'\n"
	    "    score = lots\n  }\n}\n", 6, "score"},
	{"score not finite", OTHER "category x {\n  rule r {\n"
	    "    body = 'a'\n    score = nan\n  }\n}\n", 6, "score"},
	{"bad min_score", OTHER "category x {\n  min_score = high\n}\n", 4,
	    "min_score"},
	{"negative veto", OTHER "category x {\n  veto = -1\n}\n", 4, "veto"},
	{"negative margin", "decision {\n  margin = -0.5\n}\n" OTHER, 2,
	    "margin"},
	{"unknown key in decision", "decision {\n  mragin = 1\n}\n" OTHER, 2,
	    "mragin"},
	{"missing rule template", OTHER "category x {\n  rule r {\n"
	    "    body = 'a'\n    template = \"/nonexistent/t.txt\"\n  }\n}\n",
	    6, "cannot read"},
	{"human is a boolean", OTHER "category x {\n  human = maybe\n}\n", 4,
	    "human"},
	{"comments before the error (libconfuse overcounts them)",
	    "# one\n  # two\n/* three\n   four */ // five\n"
	    "category x {\n  # six\n  rule r {\n    body = '(#' # seven\n"
	    "  }\n}\n" OTHER, 8, "regex"},
	{"a section's line after comments", "# one\n# two\n" OTHER
	    "category x {\n  # three\n  rule r {\n    # four\n  }\n}\n", 9,
	    "condition"},
	{"a quoted # is no comment", "mailboxes = {\"a#b@example.org\"}\n"
	    "reply {\n  answer_automated = {'#', \"#\"}\n}\nbogus = 1\n"
	    OTHER, 5, "bogus"},
	{"unreadable phrase list", OTHER "category x {\n  rule r {\n"
	    "    phrases = {\"/nonexistent/p.txt\"}\n  }\n}\n", 5,
	    "cannot read \"/nonexistent/p.txt\""},
	{"unreadable phrase list in all{}", OTHER "category x {\n  rule r {\n"
	    "    all {\n      header = \"Subject\"\n"
	    "      phrases = {\"/nonexistent/p.txt\"}\n    }\n  }\n}\n", 7,
	    "cannot read"},
	{"two tests: regex shorthand and phrases", OTHER "category x {\n"
	    "  rule r {\n    body = 'a'\n    phrase = {\"b\"}\n  }\n}\n", 7,
	    "only one test"},
	{"two tests: match and phrase", OTHER "category x {\n  rule r {\n"
	    "    header = \"Subject\"\n    match = 'a'\n"
	    "    phrase = {\"b\"}\n  }\n}\n", 8, "only one test"},
	{"two targets", OTHER "category x {\n  rule r {\n"
	    "    header = \"Subject\"\n    report_field = \"report\"\n"
	    "    phrase = {\"b\"}\n  }\n}\n", 8, "only one of"},
	{"match without a target", OTHER "category x {\n  rule r {\n"
	    "    match = 'a'\n  }\n}\n", 6, "match needs"},
	{"header with nothing to test", OTHER "category x {\n  rule r {\n"
	    "    all {\n      header = \"Subject\"\n    }\n  }\n}\n", 7,
	    "need a test"},
	{"bad own_text regex", OTHER "category x {\n  rule r {\n"
	    "    own_text = '(x'\n  }\n}\n", 5, "regex"},
	{"bad evidence regex", OTHER "category x {\n  rule r {\n"
	    "    evidence = '(x'\n  }\n}\n", 5, "regex"},
	{"evidence and own_text", OTHER "category x {\n  rule r {\n"
	    "    evidence = 'a'\n    own_text = 'b'\n  }\n}\n", 7,
	    "only one of"},
	{"phrase glob that matches nothing", OTHER "category x {\n"
	    "  rule r {\n    phrases = {\"/nonexistent/*.txt\"}\n  }\n}\n",
	    5, "\"/nonexistent/*.txt\" matches no file"},
	{"empty inline phrase", OTHER "category x {\n  rule r {\n"
	    "    phrase = {\"ok\", \"  \"}\n  }\n}\n", 5, "phrase"},
};

/* test_bad - each row is refused with its file, line and message */
static void
test_bad(void **state)
{
	for (size_t i = 0; i < sizeof(bad_rows) / sizeof(bad_rows[0]); i++) {
		const struct bad_row *r = &bad_rows[i];
		const char *path = write_file("bad.conf", r->text);
		char err[1024], want[600];
		struct config *c = config_load(path, err, sizeof(err));

		if (c != NULL)
			fail_msg("%s: accepted", r->label);
		snprintf(want, sizeof(want), r->line ? "%s:%d: " : "%s:", path,
		    r->line);
		if (strncmp(err, want, strlen(want)) != 0)
			fail_msg("%s: error \"%s\" does not start with \"%s\"",
			    r->label, err, want);
		if (r->want != NULL && strstr(err, r->want) == NULL)
			fail_msg("%s: error \"%s\" lacks \"%s\"", r->label, err,
			    r->want);
	}
}

/* test_unreadable - a missing file is refused with its name */
static void
test_unreadable(void **state)
{
	char err[512];

	assert_null(config_load("/nonexistent/abuse-milter.conf", err,
	    sizeof(err)));
	assert_non_null(strstr(err, "/nonexistent/abuse-milter.conf: "));
}

/* test_good - values arrive typed, defaults where unset */
static void
test_good(void **state)
{
	char err[512], text[2048], tpl[512];

	snprintf(tpl, sizeof(tpl), "%s", write_file("t.txt", TEMPLATE));
	struct config *c;

	snprintf(text, sizeof(text), BASE "max_body = 512k\n"
	    "reply {\n timeout = 2m\n rate_limit = \"3/1d\"\n"
	    " max_per_hour = 50\n max_per_domain = 0\n"
	    " detail_separators = \"+-\"\n recipient = reply-to-unchecked\n"
	    " sendmail = \"/usr/sbin/sendmail -C /etc/x\"\n"
	    " answer_automated = {'@a\\.example$'}\n"
	    " answer_automated += {'b'}\n}\n"
	    "category abuse {\n reply = true\n template = \"%s\"\n"
	    " route = \"desk@example.org\"\n copy = {\"a@example.org\"}\n"
	    " min_score = 2.5\n human = true\n veto = 4\n"
	    " rule r1 {\n  header = \"Subject\"\n  match = '(?i)scan'\n"
	    "  any { body = 'x' }\n  any { body = 'y' not = true }\n"
	    "  score = -0.5\n  human = true\n  template = \"%s\"\n }\n"
	    " rule r2 { body = 'z' }\n}\n"
	    "decision {\n margin = 0.5\n}\n"
	    OTHER, tpl, tpl);
	c = config_load(write_file("good.conf", text), err, sizeof(err));
	if (c == NULL)
		fail_msg("%s", err);
	assert_int_equal(c->max_body, 512 * 1024);
	assert_int_equal(c->reply.timeout, 120);
	assert_int_equal(c->reply.rate_count, 3);
	assert_int_equal(c->reply.rate_period, 86400);
	assert_int_equal(c->reply.max_per_hour, 50);
	assert_int_equal(c->reply.max_per_domain, 0);
	assert_string_equal(c->reply.detail_separators, "+-");
	assert_int_equal(c->reply.recipient, RCPT_REPLY_TO_ANY);
	assert_int_equal(c->reply.sendmail.n, 3);
	assert_string_equal(c->reply.sendmail.v[2], "/etc/x");
	assert_string_equal(c->reply.from_addr, "abuse@example.org");
	assert_string_equal(c->header_prefix, "X-Abuse-");
	assert_int_equal(c->rules.ncats, 2);
	assert_string_equal(c->rules.cats[0].name, "abuse");
	assert_string_equal(c->actions[0].route, "desk@example.org");
	assert_int_equal(c->rules.cats[0].nrules, 2);
	assert_true(c->rules.cats[0].min_score == 2.5);
	assert_true(c->rules.cats[0].rules[0].score == -0.5);
	assert_true(c->rules.cats[0].rules[1].score == 1.0);
	assert_true(c->rules.cats[1].min_score == 1.0);
	assert_true(c->rules.cats[0].human);
	assert_false(c->rules.cats[1].human);
	assert_true(c->rules.cats[0].veto == 4);
	assert_true(c->rules.cats[1].veto == 0);
	assert_string_equal(c->rules.cats[0].veto_reason, "veto: abuse");
	assert_true(c->rules.cats[0].rules[0].human);
	assert_false(c->rules.cats[0].rules[1].human);
	assert_string_equal(c->rules.cats[0].rules[0].template, tpl);
	assert_null(c->rules.cats[0].rules[1].template);
	assert_non_null(c->actions[0].rule_tmpl[0]);
	assert_null(c->actions[0].rule_tmpl[1]);
	assert_true(c->rules.margin == 0.5);
	{
		struct reply_category a;

		config_answer(c, &c->rules.cats[0], &c->rules.cats[0].rules[0],
		    &a);
		assert_ptr_equal(a.tmpl, c->actions[0].rule_tmpl[0]);
		assert_string_equal(a.tmpl_path, tpl);
		config_answer(c, &c->rules.cats[0], &c->rules.cats[0].rules[1],
		    &a);
		assert_ptr_equal(a.tmpl, c->actions[0].answer.tmpl);
		config_answer(c, &c->rules.cats[0], NULL, &a);
		assert_ptr_equal(a.tmpl, c->actions[0].answer.tmpl);
		assert_string_equal(a.name, "abuse");
	}
	assert_int_equal(c->rules.cats[0].rules[0].nall, 1);
	assert_int_equal(c->rules.cats[0].rules[0].nany, 2);
	assert_true(c->rules.cats[0].rules[0].any[1].negate);
	/* compiled at load, each with its source */
	assert_string_equal(pattern_source(c->rules.cats[0].rules[0].all[0].re),
	    "(?i)scan");
	assert_true(pattern_match(c->rules.cats[0].rules[0].all[0].re,
	    "Port SCAN"));
	assert_string_equal(pattern_source(c->rules.cats[0].rules[0].any[1].re),
	    "y");
	assert_int_equal(c->reply.nanswer_automated, 2);
	assert_true(pattern_match(c->reply.answer_automated[0],
	    "notices@a.example"));
	assert_string_equal(pattern_source(c->reply.answer_automated[1]), "b");
	assert_ptr_equal(c->rules.fallback, &c->rules.cats[1]);
	assert_string_equal(config_actions(c, &c->rules.cats[0])->answer.name,
	    "abuse");
	assert_true(config_actions(c, &c->rules.cats[0])->answer.reply);
	assert_non_null(config_actions(c, &c->rules.cats[0])->answer.tmpl);
	assert_true(netset_contains(c->our_networks, "192.0.2.77"));
	assert_false(netset_contains(c->our_networks, "198.51.100.1"));
	assert_true(mailbox_match(&c->mailboxes, "<Abuse+x@Example.ORG>"));
	assert_true(mailbox_match(&c->mailboxes, "soc@abuse.example.net"));
	assert_false(mailbox_match(&c->mailboxes, "abuse@example.com"));
	assert_null(c->exit_list);
	config_unref(c);
}

/* test_phrases - phrase conditions: lists from files, glob patterns and
 * inline, one phrase set for the whole configuration, one list per
 * condition, one text per distinct target; a bad line of a list is
 * reported with the list's own name and line */
static void
test_phrases(void **state)
{
	char err[1024], text[2048], a[512], b[512], bad[512];
	struct config *c;
	const struct rule *r;

	snprintf(a, sizeof(a), "%s", write_file("a.txt",
	    "# a list\nspam trap\n\nhoneypot\n"));
	snprintf(b, sizeof(b), "%s", write_file("b.txt", "brute force\n"));
	snprintf(bad, sizeof(bad), "%s", write_file("bad.txt",
	    "# fine\nfine\nbad \xff\xfe phrase\n"));
	snprintf(text, sizeof(text), "category x {\n rule r {\n"
	    "  phrases = {\"%s\", \"%s\"}\n"
	    "  all {\n   header = \"Subject\"\n   phrase = {\"abuse\"}\n  }\n"
	    "  any {\n   header = \"subject\"\n   phrases = {\"%s\"}\n  }\n"
	    "  any {\n   own_text = '(?i)block'\n  }\n"
	    " }\n}\n" OTHER, a, b, b);
	c = config_load(write_file("p.conf", text), err, sizeof(err));
	if (c == NULL)
		fail_msg("%s", err);
	r = &c->rules.cats[0].rules[0];
	assert_int_equal(r->nall, 2);
	assert_int_equal(r->nany, 2);
	assert_non_null(c->rules.phrases);
	assert_int_equal(phrase_set_nlists(c->rules.phrases), 3);
	/* own text, and Subject however it is written */
	assert_int_equal(c->rules.ntexts, 2);
	assert_int_equal(r->all[0].kind, COND_OWN_TEXT);	/* own cond */
	assert_null(r->all[0].re);
	assert_int_equal(r->all[1].kind, COND_HEADER);
	assert_int_not_equal(r->all[0].list, r->all[1].list);
	assert_int_not_equal(r->all[0].text, r->all[1].text);
	assert_int_equal(r->all[1].text, r->any[0].text);
	assert_int_equal(r->any[1].kind, COND_OWN_TEXT);
	assert_non_null(r->any[1].re);
	assert_non_null(strstr(r->all[0].phrases, "a.txt"));
	assert_string_equal(r->all[1].phrases, "\"abuse\"");
	config_unref(c);

	/* a glob pattern: every file it matches, in sorted order */
	write_file("g2.txt", "zebra crossing\n");
	write_file("g1.txt", "aardvark\n");
	snprintf(text, sizeof(text), "category x {\n rule r {\n"
	    "  phrases = {\"%s/g?.txt\"}\n }\n}\n" OTHER, tmpdir);
	c = config_load(write_file("p.conf", text), err, sizeof(err));
	if (c == NULL)
		fail_msg("%s", err);
	{
		const struct phrase_set *ps = c->rules.phrases;
		int *first = xcalloc(phrase_set_nlists(ps), sizeof(*first));
		int list = c->rules.cats[0].rules[0].all[0].list, i1, i2;

		phrase_set_scan(ps, "aardvark", 8, first);
		i1 = first[list];
		phrase_set_scan(ps, "a zebra crossing", 16, first);
		i2 = first[list];
		assert_true(i1 >= 0 && i2 >= 0);
		assert_string_equal(phrase_set_phrase(ps, i1), "aardvark");
		assert_true(i1 < i2);	/* g1.txt was loaded first */
		free(first);
	}
	config_unref(c);

	snprintf(text, sizeof(text), OTHER "category x {\n rule r {\n"
	    "  phrases = {\"%s\", \"%s\"}\n }\n}\n", a, bad);
	assert_null(config_load(write_file("p.conf", text), err,
	    sizeof(err)));
	snprintf(text, sizeof(text), "%s:3: ", bad);
	if (strncmp(err, text, strlen(text)) != 0)
		fail_msg("error \"%s\" does not start with \"%s\"", err, text);
}

/* test_include - include("file") reads further configuration in place:
 * a category in an included file takes its place in file order; an
 * error inside an included file names that file and its line */
static void
test_include(void **state)
{
	static const struct {
		const char *label;
		const char *inc;	/* the included file */
		int line;		/* of the error in it; 0: loads */
		const char *want;
	} rows[] = {
		{"a category", "category spam {\n  rule r {\n"
		    "    body = '(?i)spam'\n  }\n}\n", 0, NULL},
		{"an unknown option", "\ncategory spam {\n  colour = 1\n}\n", 3,
		    "colour"},
		{"a bad condition", "category spam {\n  rule r {\n"
		    "    match = 'x'\n  }\n}\n", 4, "match needs"},
		{"a bad regex", "category spam {\n  rule r {\n"
		    "    body = '(x'\n  }\n}\n", 3, "regex"},
		{"a bad inline phrase", "category spam {\n  rule r {\n"
		    "    phrase = {\" \"}\n  }\n}\n", 3, "phrase"},
		{"a missing template", "category spam {\n  reply = true\n"
		    "  template = \"/nonexistent.txt\"\n}\n", 3, "cannot read"},
	};
	char err[1024], inc[512], text[1024], want[600];

	(void)state;
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct config *c;

		snprintf(inc, sizeof(inc), "%s", write_file("inc.conf",
		    rows[i].inc));
		snprintf(text, sizeof(text), "category abuse {\n}\n"
		    "include(\"%s\")\n" OTHER, inc);
		c = config_load(write_file("main.conf", text), err,
		    sizeof(err));
		if (rows[i].line == 0) {
			if (c == NULL)
				fail_msg("%s: %s", rows[i].label, err);
			assert_int_equal(c->rules.ncats, 3);
			assert_string_equal(c->rules.cats[1].name, "spam");
			assert_string_equal(c->rules.cats[2].name, "other");
			assert_int_equal(c->rules.cats[1].nrules, 1);
			config_unref(c);
			/* and the main file's own lines after the include */
			snprintf(text, sizeof(text), "category abuse {\n}\n"
			    "include(\"%s\")\n" OTHER "colour = 1\n", inc);
			assert_null(config_load(write_file("main.conf", text),
			    err, sizeof(err)));
			snprintf(want, sizeof(want), "%s/main.conf:6: ",
			    tmpdir);
			if (strncmp(err, want, strlen(want)) != 0)
				fail_msg("after the include: \"%s\"", err);
			continue;
		}
		if (c != NULL)
			fail_msg("%s: accepted", rows[i].label);
		snprintf(want, sizeof(want), "%s:%d: ", inc, rows[i].line);
		if (strncmp(err, want, strlen(want)) != 0 ||
		    strstr(err, rows[i].want) == NULL)
			fail_msg("%s: error \"%s\", want \"%s...%s\"",
			    rows[i].label, err, want, rows[i].want);
	}
	snprintf(text, sizeof(text), OTHER "include(\"%s/none.conf\")\n",
	    tmpdir);
	assert_null(config_load(write_file("main.conf", text), err,
	    sizeof(err)));
	snprintf(want, sizeof(want), "%s/main.conf:3: ", tmpdir);
	assert_int_equal(strncmp(err, want, strlen(want)), 0);
	assert_non_null(strstr(err, "none.conf"));
}

/* test_reporters - reporters = "path": the map knows the configured
 * categories; one it does not know is an error at its own line */
static void
test_reporters(void **state)
{
	char err[1024], text[1024], map[512], want[600];
	struct config *c;

	(void)state;
	snprintf(map, sizeof(map), "%s", write_file("reporters",
	    "# map\nexample.org abuse 2\n*@fbl.example other 1\n"));
	snprintf(text, sizeof(text), "reporters = \"%s\"\n"
	    "category abuse {\n}\n" OTHER, map);
	c = config_load(write_file("r.conf", text), err, sizeof(err));
	if (c == NULL)
		fail_msg("%s", err);
	assert_int_equal(reporters_count(c->rules.reporters), 2);
	assert_int_equal(reporters_lookup(c->rules.reporters,
	    "a@mx.example.org")->cat, 0);
	config_unref(c);

	write_file("reporters", "example.org abuse 2\n\nx.example dmca 3\n");
	assert_null(config_load(write_file("r.conf", text), err, sizeof(err)));
	snprintf(want, sizeof(want), "%s:3: unknown category \"dmca\"", map);
	if (strcmp(err, want) != 0)
		fail_msg("error \"%s\", want \"%s\"", err, want);

	snprintf(text, sizeof(text), OTHER "reporters = \"%s/none\"\n",
	    tmpdir);
	assert_null(config_load(write_file("r.conf", text), err, sizeof(err)));
	snprintf(want, sizeof(want), "%s/r.conf:3: reporters: cannot read",
	    tmpdir);
	if (strncmp(err, want, strlen(want)) != 0)
		fail_msg("error \"%s\", want \"%s\"", err, want);

	c = config_load(write_file("r.conf", OTHER), err, sizeof(err));
	assert_non_null(c);
	assert_null(c->rules.reporters);
	config_unref(c);
}

/* test_shipped - the shipped file loads from the source root */
static void
test_shipped(void **state)
{
	char err[1024], cwd[4096];
	struct config *c;

	assert_non_null(getcwd(cwd, sizeof(cwd)));
	assert_int_equal(chdir(TEST_SRCDIR), 0);
	c = config_load("etc/abuse-milter.conf", err, sizeof(err));
	if (c == NULL)
		fail_msg("%s", err);
	assert_non_null(ruleset_find(&c->rules, "other"));
	assert_non_null(ruleset_find(&c->rules, "dmca"));
	/* the backscatter limits are on unless a file turns them off */
	assert_int_equal(c->reply.max_per_hour, 200);
	assert_int_equal(c->reply.max_per_domain, 20);
	assert_string_equal(c->reply.detail_separators, "+");
	assert_int_equal(c->reply.recipient, RCPT_REPLY_TO);
	config_unref(c);
	assert_int_equal(chdir(cwd), 0);
}

/* test_swap - reload swaps; old holders keep theirs until they let go */
static void
test_swap(void **state)
{
	char err[512];
	const char *path = write_file("swap.conf", OTHER);
	struct config *a = config_load(path, err, sizeof(err)), *b, *held;

	assert_non_null(a);
	config_swap(a);
	held = config_current();
	assert_ptr_equal(held, a);
	b = config_load(path, err, sizeof(err));
	config_swap(b);
	assert_ptr_equal(config_current(), b);
	config_unref(b);	/* the reference config_current just gave */
	assert_string_equal(held->rules.fallback->name, "other");
	config_unref(held);	/* last reference to a: freed here */
	config_swap(NULL);
}

/* test_units - durations and sizes, through the one scaled parser */
static void
test_units(void **state)
{
	static const struct { const char *s; long want; } durations[] = {
		{"30", 30}, {"30s", 30}, {"5m", 300}, {"24h", 86400},
		{"7d", 604800}, {"2w", 1209600}, {"0", 0}, {"5M", -1},
		{"5S", -1}, {"5y", -1}, {"5ms", -1}, {"m", -1}, {"", -1},
		{"-5", -1}, {" 5", -1}, {"99999999999999999999", -1},
		{"9223372036854775807w", -1},
	};
	static const struct { const char *s; long long want; } sizes[] = {
		{"512", 512}, {"512b", 512}, {"512B", 512}, {"2k", 2048},
		{"2K", 2048}, {"2kb", 2048}, {"2MB", 2097152},
		{"1G", 1073741824LL}, {"1gB", 1073741824LL}, {"2T", -1},
		{"2KBB", -1}, {"2KX", -1}, {"k", -1}, {"-1", -1},
		{"9223372036854775807G", -1},
	};

	for (size_t i = 0; i < sizeof(durations) / sizeof(durations[0]); i++)
		if (config_parse_duration(durations[i].s) != durations[i].want)
			fail_msg("duration \"%s\": %ld, want %ld", durations[i].s,
			    config_parse_duration(durations[i].s),
			    durations[i].want);
	assert_int_equal(config_parse_duration(NULL), -1);
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
		if (config_parse_size(sizes[i].s) != sizes[i].want)
			fail_msg("size \"%s\": %lld, want %lld", sizes[i].s,
			    config_parse_size(sizes[i].s), sizes[i].want);
	assert_int_equal(config_parse_size(NULL), -1);
}

/* mailbox patterns */
static void
test_mailbox(void **state)
{
	static const struct { const char *pat, *addr; bool want; } rows[] = {
		{"abuse@example.org", "abuse@example.org", true},
		{"abuse@example.org", "ABUSE@EXAMPLE.ORG", true},
		{"abuse@example.org", "<abuse+tor@example.org>", true},
		{"abuse@example.org", "abuse@example.org.evil", false},
		{"abuse@example.org", "xabuse@example.org", false},
		{"*@example.org", "anyone@example.org", true},
		{"*@example.org", "anyone@sub.example.org", false},
		{"abuse@*", "abuse@whatever.example", true},
		{"abuse@*", "abusex@whatever.example", false},
		{"abuse@example.org", "abuse", false},
		{"abuse@example.org", "", false},
		{"abuse@example.org", "<>", false},
	};

	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct strvec sv;

		strvec_init(&sv);
		strvec_push(&sv, rows[i].pat);
		if (mailbox_match(&sv, rows[i].addr) != rows[i].want)
			fail_msg("%s vs %s", rows[i].pat, rows[i].addr);
		strvec_free(&sv);
	}
	assert_false(mailbox_pattern_valid("ab*@example.org"));
	assert_false(mailbox_pattern_valid("*@*"));
	assert_true(mailbox_pattern_valid("*@example.org"));
	assert_true(mailbox_pattern_valid("abuse@*"));
}

static int
setup(void **state)
{
	return mkdtemp(tmpdir) == NULL ? -1 : 0;
}

static int
teardown(void **state)
{
	return testutil_rm_rf(tmpdir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bad),
		cmocka_unit_test(test_unreadable),
		cmocka_unit_test(test_good),
		cmocka_unit_test(test_phrases),
		cmocka_unit_test(test_include),
		cmocka_unit_test(test_reporters),
		cmocka_unit_test(test_shipped),
		cmocka_unit_test(test_swap),
		cmocka_unit_test(test_units),
		cmocka_unit_test(test_mailbox),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
