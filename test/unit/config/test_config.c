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

#include "config/check.h"
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
	char err[512], text[2048];
	const char *tpl = write_file("t.txt", TEMPLATE);
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
	    " rule r1 {\n  header = \"Subject\"\n  match = '(?i)scan'\n"
	    "  any { body = 'x' }\n  any { body = 'y' not = true }\n }\n}\n"
	    OTHER, tpl);
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
	assert_int_equal(c->rules.cats[0].nrules, 1);
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
	char path[600];
	const char *names[] = {"bad.conf", "good.conf", "swap.conf", "t.txt"};

	for (size_t i = 0; i < 4; i++) {
		snprintf(path, sizeof(path), "%s/%s", tmpdir, names[i]);
		unlink(path);
	}
	return rmdir(tmpdir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bad),
		cmocka_unit_test(test_unreadable),
		cmocka_unit_test(test_good),
		cmocka_unit_test(test_shipped),
		cmocka_unit_test(test_swap),
		cmocka_unit_test(test_units),
		cmocka_unit_test(test_mailbox),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
