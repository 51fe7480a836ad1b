/*
 * test_message.c - unit tests of milter/parse/message.c: header lookup,
 * which parts a report parser may read, and parts by type or file name.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "parse/message.h"

/* test_header - first of a name, any case; NULL when absent */
static void
test_header(void **state)
{
	struct msg_header h[] = {
		{"Subject", "one"}, {"SUBJECT", "two"}, {"From", "a@b"},
	};
	struct parsed_msg m;

	memset(&m, 0, sizeof(m));
	m.hdrs = h;
	m.nhdrs = 3;
	assert_string_equal(parsed_msg_header(&m, "subject"), "one");
	assert_string_equal(parsed_msg_header(&m, "from"), "a@b");
	assert_null(parsed_msg_header(&m, "Reply-To"));
}

/* test_usable - quoted evidence and empty parts are not for parsers */
static void
test_usable(void **state)
{
	struct msg_part own = {"text/plain", NULL, "x", 1, PART_TEXT};
	struct msg_part report = {"text/plain", NULL, "x", 1, PART_REPORT};
	struct msg_part quoted = {"text/plain", NULL, "x", 1, PART_EVIDENCE};
	struct msg_part empty = {"text/plain", NULL, "", 0, PART_REPORT};
	struct msg_part none = {"text/plain", NULL, NULL, 0, PART_OTHER};

	assert_true(msg_part_usable(&own));
	assert_true(msg_part_usable(&report));
	assert_false(msg_part_usable(&quoted));
	assert_false(msg_part_usable(&empty));
	assert_false(msg_part_usable(&none));
}

/* test_is - by type, or by file name in any case */
static void
test_is(void **state)
{
	struct msg_part json = {"application/json", NULL, "{}", 2, PART_REPORT};
	struct msg_part named = {"application/octet-stream", "Report.JSON",
	    "{}", 2, PART_REPORT};
	struct msg_part untyped = {NULL, "x.xml", "<a/>", 4, PART_REPORT};

	assert_true(msg_part_is(&json, "application/json", ".json"));
	assert_true(msg_part_is(&named, "application/json", ".json"));
	assert_false(msg_part_is(&named, "application/json", NULL));
	assert_false(msg_part_is(&json, "text/xml", ".xml"));
	assert_true(msg_part_is(&untyped, "text/xml", ".xml"));
	assert_false(msg_part_is(&untyped, "text/xml", NULL));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_header),
		cmocka_unit_test(test_usable),
		cmocka_unit_test(test_is),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
