/*
 * test_archive.c - unit tests for milter/parse/archive.c and its use in
 * mime_walk.c: zip and gzip attachments expanded in memory, by type,
 * name or magic bytes; members listed as parts with a type by name.
 * Bad input: a truncated zip, a zip bomb (ratio and total limits), more
 * members than the limit, folders and "../" paths, a gzip that is
 * garbage, an archive that is no archive. The archives are written here
 * with libarchive's writer, so the test needs no binary files.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>
#include <archive.h>
#include <archive_entry.h>

#include "parse/archive.h"
#include "parse/message.h"
#include "util/util.h"

/* member - what a test archive holds */
struct member {
	const char *path;
	const char *data;	/* NULL: size bytes of zeros */
	size_t size;
	bool dir;
};

/* write_archive - a zip (or, gz, one raw gzip member) in memory */
static char *
write_archive(const struct member *m, size_t n, bool gz, size_t *len)
{
	struct archive *a = archive_write_new();
	size_t cap = (64u << 20), used = 0;
	char *out = xmalloc(cap), *zeros = xcalloc(1, 1u << 20);

	if (gz) {
		archive_write_add_filter_gzip(a);
		archive_write_set_format_raw(a);
	} else
		archive_write_set_format_zip(a);
	archive_write_set_bytes_in_last_block(a, 1);
	assert_int_equal(archive_write_open_memory(a, out, cap, &used),
	    ARCHIVE_OK);
	for (size_t i = 0; i < n; i++) {
		struct archive_entry *e = archive_entry_new();
		size_t size = m[i].data ? strlen(m[i].data) : m[i].size;

		archive_entry_set_pathname(e, m[i].path);
		archive_entry_set_filetype(e, m[i].dir ? AE_IFDIR : AE_IFREG);
		archive_entry_set_perm(e, 0644);
		archive_entry_set_size(e, m[i].dir ? 0 : (la_int64_t)size);
		assert_int_equal(archive_write_header(a, e), ARCHIVE_OK);
		if (m[i].data != NULL)
			archive_write_data(a, m[i].data, size);
		for (size_t k = 0; m[i].data == NULL && k < size; k += 1u << 20)
			archive_write_data(a, zeros, size - k < (1u << 20) ?
			    size - k : (1u << 20));
		archive_entry_free(e);
	}
	archive_write_close(a);
	archive_write_free(a);
	free(zeros);
	*len = used;
	return out;
}

static const char csv[] = "ip,port\n192.0.2.10,23\n";

/* test_zip - members by base name, folders and empty names skipped */
static void
test_zip(void **state)
{
	const struct member m[] = {
		{ "reports/", NULL, 0, true },
		{ "reports/2026-12-01-scan.csv", csv, 0, false },
		{ "../../etc/evil.xml", "<a/>", 0, false },
		{ "win\\path\\notes.txt", "hello", 0, false },
	};
	struct arch_member *mem;
	size_t len, n;
	bool damaged;
	char *z = write_archive(m, 4, false, &len);

	(void)state;
	assert_true(archive_is("application/zip", "x.zip", z, len));
	assert_true(archive_is("application/octet-stream", NULL, z, len));
	assert_false(archive_is("text/plain", "x.txt", z, len));
	n = archive_expand(z, len, "x.zip", &mem, &damaged);
	assert_false(damaged);
	assert_int_equal(n, 3);
	assert_string_equal(mem[0].name, "2026-12-01-scan.csv");
	assert_string_equal(mem[0].data, csv);
	assert_string_equal(mem[1].name, "evil.xml");
	assert_string_equal(mem[2].name, "notes.txt");
	archive_members_free(mem, n);
	free(z);
}

/* test_gzip - one member, named after the archive */
static void
test_gzip(void **state)
{
	const struct member m[] = { { "data", csv, 0, false } };
	struct arch_member *mem;
	size_t len, n;
	bool damaged;
	char *z = write_archive(m, 1, true, &len);

	(void)state;
	assert_true(archive_is("application/gzip", NULL, z, len));
	n = archive_expand(z, len, "scan.csv.gz", &mem, &damaged);
	assert_int_equal(n, 1);
	assert_false(damaged);
	assert_string_equal(mem[0].name, "scan.csv");
	assert_string_equal(mem[0].data, csv);
	archive_members_free(mem, n);
	free(z);
}

/* test_bad - truncated, a bomb, too many members, garbage */
static void
test_bad(void **state)
{
	struct member many[ARCHIVE_MAX_MEMBERS + 4];
	const struct member bomb[] = { { "zeros.csv", NULL, 50u << 20, false },
	    { "after.csv", csv, 0, false } };
	const struct member two[] = { { "a.csv", csv, 0, false },
	    { "b.csv", csv, 0, false } };
	struct arch_member *mem;
	size_t len, n;
	bool damaged;
	char *z, name[32][16];

	(void)state;
	/* a bomb: 50 MiB of zeros in a few dozen KiB is dropped whole */
	z = write_archive(bomb, 2, false, &len);
	assert_true(len < (1u << 20));
	n = archive_expand(z, len, "b.zip", &mem, &damaged);
	assert_true(damaged);
	for (size_t i = 0; i < n; i++)
		assert_true(mem[i].len <= len * ARCHIVE_MAX_RATIO);
	archive_members_free(mem, n);
	free(z);

	/* truncated: what is whole before the cut at most, flagged */
	z = write_archive(two, 2, false, &len);
	n = archive_expand(z, len / 2, "t.zip", &mem, &damaged);
	assert_true(damaged);
	assert_true(n <= 1);
	archive_members_free(mem, n);
	free(z);

	/* more members than the limit: the first ARCHIVE_MAX_MEMBERS */
	for (size_t i = 0; i < ARCHIVE_MAX_MEMBERS + 4; i++) {
		snprintf(name[i], sizeof(name[i]), "m%zu.csv", i);
		many[i] = (struct member){ name[i], csv, 0, false };
	}
	z = write_archive(many, ARCHIVE_MAX_MEMBERS + 4, false, &len);
	n = archive_expand(z, len, "m.zip", &mem, &damaged);
	assert_int_equal(n, ARCHIVE_MAX_MEMBERS);
	archive_members_free(mem, n);
	free(z);

	/* garbage behind the magic bytes; no magic at all */
	n = archive_expand("PK\003\004garbage garbage", 20, "g.zip", &mem,
	    &damaged);
	assert_int_equal(n, 0);
	assert_true(damaged);
	archive_members_free(mem, n);
	n = archive_expand("\037\213\010\000junk", 8, "g.gz", &mem, &damaged);
	assert_int_equal(n, 0);
	archive_members_free(mem, n);
	assert_false(archive_is("application/zip", "x.zip", "not a zip", 9));
	assert_false(archive_is("application/zip", "x.zip", "PK", 2));
}

/* test_in_message - a base64 zip attachment: its CSV is a part with a
 * report role; a zip inside an attached message is not opened */
static void
test_in_message(void **state)
{
	const struct member m[] = { { "scan.csv", csv, 0, false } };
	struct parsed_msg pm;
	size_t len;
	char *z = write_archive(m, 1, false, &len), *b64;
	struct buf raw;
	bool found = false;

	(void)state;
	b64 = g_base64_encode((const unsigned char *)z, len);
	buf_init(&raw);
	buf_printf(&raw, "From: a@b.example\nMIME-Version: 1.0\nContent-Type: "
	    "multipart/mixed; boundary=\"B\"\n\n--B\nContent-Type: text/plain"
	    "\n\nsee the zip\n--B\nContent-Type: application/octet-stream; "
	    "name=\"r.csv.zip\"\nContent-Transfer-Encoding: base64\n\n%s\n"
	    "--B\nContent-Type: message/rfc822\n\nSubject: spam\nMIME-Version:"
	    " 1.0\nContent-Type: application/zip\nContent-Transfer-Encoding: "
	    "base64\n\n%s\n--B--\n", b64, b64);
	mime_parse(raw.s, raw.len, 0, &pm);
	for (size_t i = 0; i < pm.nparts; i++) {
		if (pm.parts[i].filename == NULL ||
		    strcmp(pm.parts[i].filename, "scan.csv") != 0)
			continue;
		assert_false(found);	/* once: not from the evidence */
		found = true;
		assert_string_equal(pm.parts[i].content_type, "text/csv");
		assert_int_equal(pm.parts[i].role, PART_REPORT);
		assert_string_equal(pm.parts[i].data, csv);
	}
	assert_true(found);
	assert_null(strstr(pm.text.s, "192.0.2.10"));
	parsed_msg_free(&pm);
	buf_free(&raw);
	g_free(b64);
	free(z);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_zip),
		cmocka_unit_test(test_gzip),
		cmocka_unit_test(test_bad),
		cmocka_unit_test(test_in_message),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
