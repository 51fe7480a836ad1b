/*
 * test_phrase.c - classify/phrase.c: phrase lists matched in one pass.
 * One table of {phrases, text, which list matched} rows, then the load
 * errors with their FILE:LINE, then a large list against a long text.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "classify/phrase.h"
#include "util/util.h"

/* three lists; a phrase row is "LIST:phrase" */
static const char *const phrases[] = {
	"0:brute force", "0:failed password", "0:infring*", "0:*scan",
	"1:urheberrecht*", "1:droits d'auteur", "1:著作権", "1:/.env",
	"2:ставлю в известность", "2:spam", "2:opt-in", "2:łączenia",
	NULL,
};

struct row {
	const char *label;
	const char *text;
	int want[3];		/* 1: the list matched */
};

static const struct row rows[] = {
	{ "plain", "We saw a Brute Force attack", { 1, 0, 0 } },
	{ "line wrap inside a phrase", "Failed\r\n   password for root",
	    { 1, 0, 0 } },
	{ "no boundary in the middle of a word", "bruteforcer spammer",
	    { 0, 0, 0 } },
	{ "open right", "copyright infringement", { 1, 0, 0 } },
	{ "open left", "a portscan from", { 1, 0, 0 } },
	{ "German, upper case umlaut-free prefix", "URHEBERRECHTSVERLETZUNG",
	    { 0, 1, 0 } },
	{ "typographic apostrophe", "atteinte aux droits d\u2019auteur",
	    { 0, 1, 0 } },
	{ "Japanese needs no blanks", "これは著作権侵害です", { 0, 1, 0 } },
	{ "phrase of punctuation", "GET /.env HTTP/1.1", { 0, 1, 0 } },
	{ "Cyrillic upper case", "СТАВЛЮ В ИЗВЕСТНОСТЬ", { 0, 0, 1 } },
	{ "Polish lower-cased", "NIEAUTORYZOWANE ŁĄCZENIA", { 0, 0, 1 } },
	{ "end of text is a boundary", "this is spam", { 0, 0, 1 } },
	{ "hyphen inside a phrase", "no opt-in ever", { 0, 0, 1 } },
	{ "a letter after is no boundary", "spamming", { 0, 0, 0 } },
	{ "a digit after is no boundary", "spam2", { 0, 0, 0 } },
	{ "every list in one text", "brute force, Urheberrecht, spam",
	    { 1, 1, 1 } },
	{ "broken UTF-8 separates words", "spam\xff\xfe", { 0, 0, 1 } },
	{ "empty text", "", { 0, 0, 0 } },
};

/* build - the set of the phrases table */
static struct phrase_set *
build(void)
{
	struct phrase_set *ps = phrase_set_new();
	char err[256];

	for (int i = 0; i < 3; i++)
		assert_int_equal(phrase_set_new_list(ps), i);
	for (size_t i = 0; phrases[i] != NULL; i++) {
		int list = phrases[i][0] - '0';
		assert_int_equal(phrase_set_add(ps, list, phrases[i] + 2, err,
		    sizeof err), 0);
	}
	phrase_set_compile(ps);
	return ps;
}

/* test_table - every row, each list both ways */
static void
test_table(void **state)
{
	struct phrase_set *ps = build();
	int first[3];

	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		phrase_set_scan(ps, rows[i].text, strlen(rows[i].text), first);
		for (int l = 0; l < 3; l++) {
			if ((first[l] >= 0) != rows[i].want[l])
				fail_msg("%s: list %d %s", rows[i].label, l,
				    first[l] >= 0 ? "matched" : "missed");
		}
	}
	phrase_set_scan(ps, "Brute force", 11, first);
	assert_string_equal(phrase_set_phrase(ps, first[0]), "brute force");
	phrase_set_scan(ps, "infringing", 10, first);
	assert_string_equal(phrase_set_phrase(ps, first[0]), "infring*");
	assert_null(phrase_set_phrase(ps, 999));
	phrase_set_free(ps);
}

/* test_fold - the normalised form itself */
static void
test_fold(void **state)
{
	const char *in = "  Ab\t\tÇD \u00a0 e\u2019f  ";
	size_t n;
	char *f = phrase_fold(in, strlen(in), &n);

	assert_string_equal(f, "ab çd e'f ");
	assert_int_equal(n, strlen(f));
	free(f);
}

/* write_file - a scratch phrase file */
static void
write_file(const char *path, const char *data)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(data, f);
	fclose(f);
}

/* test_load - comments and blanks skipped; errors name FILE:LINE */
static void
test_load(void **state)
{
	char path[] = "/tmp/test_phrase.XXXXXX", err[512];
	int fd = mkstemp(path);
	struct phrase_set *ps = phrase_set_new();
	int list = phrase_set_new_list(ps), first[1];

	assert_true(fd >= 0);
	close(fd);
	write_file(path, "# spam words, English\n\n  junk mail  \nspam\n");
	assert_int_equal(phrase_set_load(ps, list, path, err, sizeof err), 0);
	phrase_set_compile(ps);
	phrase_set_scan(ps, "Junk  mail again", 16, first);
	assert_int_equal(first[0], 0);
	phrase_set_free(ps);

	static const struct { const char *data; int line; const char *msg; }
	    bad[] = {
		{ "ok\n*\n", 2, "empty phrase" },
		{ "ok\n\nbad \xff byte\n", 3, "not valid UTF-8" },
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		char want[600];
		ps = phrase_set_new();
		list = phrase_set_new_list(ps);
		write_file(path, bad[i].data);
		assert_int_equal(phrase_set_load(ps, list, path, err,
		    sizeof err), -1);
		snprintf(want, sizeof want, "%s:%d: ", path, bad[i].line);
		assert_true(strncmp(err, want, strlen(want)) == 0);
		assert_non_null(strstr(err, bad[i].msg));
		phrase_set_free(ps);
	}
	unlink(path);
	ps = phrase_set_new();
	list = phrase_set_new_list(ps);
	assert_int_equal(phrase_set_load(ps, list, path, err, sizeof err), -1);
	assert_non_null(strstr(err, path));
	phrase_set_free(ps);
}

/* test_many - thousands of phrases sharing prefixes and suffixes: the
 * failure links must find a phrase that ends inside a longer one */
static void
test_many(void **state)
{
	struct phrase_set *ps = phrase_set_new();
	int a = phrase_set_new_list(ps), b = phrase_set_new_list(ps);
	char err[256], word[32];
	int first[2];

	for (int i = 0; i < 3000; i++) {
		snprintf(word, sizeof word, "w%dx", i);
		assert_int_equal(phrase_set_add(ps, a, word, err, sizeof err),
		    0);
	}
	assert_int_equal(phrase_set_add(ps, b, "*99x", err, sizeof err), 0);
	phrase_set_compile(ps);
	struct buf t;
	buf_init(&t);
	for (int i = 0; i < 2000; i++)
		buf_puts(&t, "w1 w12 w123 ");
	buf_puts(&t, "w2999x");
	phrase_set_scan(ps, t.s, t.len, first);
	assert_string_equal(phrase_set_phrase(ps, first[a]), "w2999x");
	assert_string_equal(phrase_set_phrase(ps, first[b]), "*99x");
	buf_free(&t);
	phrase_set_free(ps);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_fold),
		cmocka_unit_test(test_load),
		cmocka_unit_test(test_many),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
