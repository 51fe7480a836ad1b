/*
 * test_util.c - util.c: growable arrays and strings, vectors, key/value
 * lists, the small string tests and whole-file reading.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "util/util.h"

/* test_buf - appends, printf, steal leaves nothing behind to free */
static void
test_buf(void **state)
{
	struct buf b;
	char *s;

	buf_init(&b);
	for (int i = 0; i < 1000; i++)
		buf_printf(&b, "%d,", i % 10);
	assert_int_equal(b.len, 2000);
	assert_int_equal(strlen(b.s), 2000);
	buf_append(&b, "a\0b", 3);
	assert_int_equal(b.len, 2003);
	s = buf_steal(&b);
	assert_null(b.s);
	assert_int_equal(b.len, 0);
	assert_memory_equal(s + 2000, "a\0b", 4);
	buf_free(&b);		/* harmless after a steal */
	free(s);
	buf_init(&b);		/* a writer that fills the bytes itself */
	buf_reserve(&b, 1000);
	assert_true(b.cap >= 1001);
	memset(b.s, 'x', 1000);
	b.len = 1000;
	b.s[b.len] = '\0';
	buf_putc(&b, 'y');
	assert_int_equal(strlen(b.s), 1001);
	buf_free(&b);
	/* xasprintf and buf_printf share buf_vprintf: past the first 64 */
	s = xasprintf("%s|%0100d|%s", "a", 7, "z");
	assert_int_equal(strlen(s), 104);
	assert_true(s[0] == 'a' && s[102] == '|' && s[103] == 'z');
	free(s);
}

/* test_lists - strvec uniqueness and kvlist case-insensitive lookup */
static void
test_lists(void **state)
{
	struct strvec sv;
	struct kvlist kl;

	strvec_init(&sv);
	assert_true(strvec_push_unique(&sv, "a"));
	assert_false(strvec_push_unique(&sv, "a"));
	assert_true(strvec_contains_nocase(&sv, "A"));
	assert_false(strvec_contains(&sv, "A"));
	strvec_free(&sv);
	kvlist_init(&kl);
	kvlist_add(&kl, "arf.Source-IP", "192.0.2.1");
	kvlist_add(&kl, "ARF.source-ip", "192.0.2.2");
	assert_string_equal(kvlist_get(&kl, "arf.source-ip"), "192.0.2.1");
	assert_null(kvlist_get(&kl, "arf.Feedback-Type"));
	kvlist_free(&kl);
}

/* test_grow - pushes keep every element; capacity only grows */
static void
test_grow(void **state)
{
	size_t *v = NULL, cap = 0, n = 0, last = 0;

	for (size_t i = 0; i < 1000; i++) {
		v = xgrow(v, &cap, n + 1, sizeof(*v));
		assert_true(cap >= n + 1 && cap >= last);
		last = cap;
		v[n++] = i;
	}
	for (size_t i = 0; i < n; i++)
		assert_int_equal(v[i], i);
	assert_ptr_equal(xgrow(v, &cap, 10, sizeof(*v)), v);	/* room */
	assert_int_equal(cap, last);
	free(v);
}

/* test_str - suffix and word-list tests */
static void
test_str(void **state)
{
	static const char *const words[] = {"ip", "src_ip", NULL};

	assert_true(str_has_suffix_nocase("REPORT.TXT", ".txt"));
	assert_true(str_has_suffix_nocase(".json", ".json"));
	assert_false(str_has_suffix_nocase("json", ".json"));
	assert_false(str_has_suffix_nocase(NULL, ".json"));
	assert_true(str_in_list("src_ip", words));
	assert_false(str_in_list("SRC_IP", words));
	assert_true(str_in_list_nocase("SRC_IP", words));
	assert_false(str_in_list_nocase("src", words));
	assert_false(str_in_list("ip", (const char *const[]){NULL}));
}

/* test_read_file - whole files with NULs, empty files, missing files */
static void
test_read_file(void **state)
{
	char path[] = "/tmp/test_util.XXXXXX";
	int fd = mkstemp(path);
	size_t len = 99;
	char *s;

	assert_true(fd >= 0);
	s = util_read_file(path, &len);
	assert_non_null(s);
	assert_int_equal(len, 0);
	assert_string_equal(s, "");
	free(s);
	assert_int_equal(write(fd, "x\0y\n", 4), 4);
	close(fd);
	s = util_read_file(path, &len);
	assert_int_equal(len, 4);
	assert_memory_equal(s, "x\0y\n", 5);
	free(s);
	unlink(path);
	errno = 0;
	assert_null(util_read_file(path, &len));
	assert_int_equal(errno, ENOENT);
	assert_null(util_read_file("/", &len));	/* a directory */
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_buf),
		cmocka_unit_test(test_lists),
		cmocka_unit_test(test_grow),
		cmocka_unit_test(test_str),
		cmocka_unit_test(test_read_file),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
