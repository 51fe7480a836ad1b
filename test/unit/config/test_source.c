/*
 * test_source.c - config/source.c: comments blanked the way libconfuse
 * reads them, include() expanded, and every line mapped back to its file,
 * so that config_load's errors name the right FILE:LINE after comments
 * of all three kinds and inside included files.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "config/config.h"
#include "config/source.h"
#include "testutil.h"
#include "util/util.h"

static char dir[] = "/tmp/test_source.XXXXXX";

/* put - write a scratch file dir/name; returns its path (static) */
static const char *
put(const char *name, const char *data)
{
	static char path[512];
	FILE *f;

	snprintf(path, sizeof path, "%s/%s", dir, name);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(data, f);
	fclose(f);
	return path;
}

static const struct {
	const char *label;
	const char *in;
	const char *want;
} blank_rows[] = {
	{ "hash comment", "a = 1 # note\n", "a = 1       \n" },
	{ "slash comment", "// all\nb = 2\n", "      \nb = 2\n" },
	{ "block comment over lines", "x /* one\ntwo */ y\n",
	    "x       \n       y\n" },
	{ "hash in a double-quoted string", "s = \"a#b\" # c\n",
	    "s = \"a#b\"    \n" },
	{ "hash in a single-quoted regex", "m = '[^#]\\'#' # c\n",
	    "m = '[^#]\\'#'    \n" },
	{ "escaped quote in double quotes", "s = \"a\\\"#\" #\n",
	    "s = \"a\\\"#\"  \n" },
	{ "// inside an unquoted value", "socket = unix://run/x\n",
	    "socket = unix://run/x\n" },
	{ "string over two lines", "s = \"a\n#b\"\n", "s = \"a\n#b\"\n" },
	{ "no newline at the end", "a = 1 #x", "a = 1   \n" },
};

/* test_blank - the text libconfuse gets, line for line */
static void
test_blank(void **state)
{
	for (size_t i = 0; i < sizeof blank_rows / sizeof blank_rows[0];
	    i++) {
		struct config_source src;
		char err[512];
		const char *path = put("blank.conf", blank_rows[i].in);

		assert_int_equal(config_source_read(&src, path, err,
		    sizeof err), 0);
		if (strcmp(src.text.s, blank_rows[i].want) != 0)
			fail_msg("%s: got [%s]", blank_rows[i].label,
			    src.text.s);
		config_source_free(&src);
	}
}

/* test_include - included lines map back to their own file */
static void
test_include(void **state)
{
	struct config_source src;
	char err[512], inc[600], main_text[800];
	int line;

	snprintf(inc, sizeof inc, "%s", put("cat.conf",
	    "# a category\ncategory x {\n}\n"));
	snprintf(main_text, sizeof main_text,
	    "a = 1\n  include(\"%s\") ; # it\nb = 2\n", inc);
	const char *path = put("main.conf", main_text);

	assert_int_equal(config_source_read(&src, path, err, sizeof err), 0);
	assert_int_equal(src.nlines, 5);
	assert_string_equal(config_source_where(&src, 1, &line), path);
	assert_int_equal(line, 1);
	assert_string_equal(config_source_where(&src, 3, &line), inc);
	assert_int_equal(line, 2);
	assert_string_equal(config_source_where(&src, 5, &line), path);
	assert_int_equal(line, 3);
	config_source_where(&src, 99, &line);
	assert_int_equal(line, 99);
	config_source_free(&src);
}

/* test_include_errors - missing, looping and too deep includes name the
 * line of the include() */
static void
test_include_errors(void **state)
{
	struct config_source src;
	char err[1024], text[800], want[800];
	const char *path;

	path = put("missing.conf", "\n\ninclude(\"/nonexistent/x.conf\")\n");
	assert_int_equal(config_source_read(&src, path, err, sizeof err), -1);
	snprintf(want, sizeof want, "%s:3: include \"/nonexistent/x.conf\":",
	    path);
	assert_true(strncmp(err, want, strlen(want)) == 0);
	config_source_free(&src);

	snprintf(text, sizeof text, "include(\"%s/loop.conf\")\n", dir);
	path = put("loop.conf", text);
	assert_int_equal(config_source_read(&src, path, err, sizeof err), -1);
	assert_non_null(strstr(err, "includes itself"));
	config_source_free(&src);

	assert_int_equal(config_source_read(&src, "/nonexistent/main.conf",
	    err, sizeof err), -1);
	assert_true(strncmp(err, "/nonexistent/main.conf: ", 24) == 0);
	config_source_free(&src);
}

/* test_load_lines - config_load's errors after comments of every kind,
 * and inside an included file */
static void
test_load_lines(void **state)
{
	char err[1024], want[700], text[800];
	const char *path;
	struct config *c;

	path = put("comments.conf", "# one\n# two\n// three\n/* four\n"
	    "five */\n\nbogus = 1\n");
	c = config_load(path, err, sizeof err);
	assert_null(c);
	snprintf(want, sizeof want, "%s:7: ", path);
	if (strncmp(err, want, strlen(want)) != 0)
		fail_msg("want %s..., got %s", want, err);

	char inc[600];
	snprintf(inc, sizeof inc, "%s", put("bad.conf",
	    "# first\n# second\nalso_bogus = 2\n"));
	snprintf(text, sizeof text, "# main\ninclude(\"%s\")\n", inc);
	path = put("includes.conf", text);
	c = config_load(path, err, sizeof err);
	assert_null(c);
	snprintf(want, sizeof want, "%s:3: ", inc);
	if (strncmp(err, want, strlen(want)) != 0)
		fail_msg("want %s..., got %s", want, err);
}

/* setup, teardown - the scratch directory */
static int
setup(void **state)
{
	return mkdtemp(dir) == NULL ? -1 : 0;
}

static int
teardown(void **state)
{
	return testutil_rm_rf(dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_blank),
		cmocka_unit_test(test_include),
		cmocka_unit_test(test_include_errors),
		cmocka_unit_test(test_load_lines),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
