/*
 * archive.c - zip and gzip attachments expanded in memory (see
 * archive.h). mime_walk.c calls it for every attachment the complainant
 * sent, and lists the members as parts of the parsed message, so that
 * the CSV, XML and JSON report readers see them like any attachment.
 *
 * libarchive (Debian libarchive-dev) reads both formats: it is kept up
 * to date by a large project and fuzzed, and handles what real zips
 * carry (data descriptors, zip64, deflate, stored members); a zip reader
 * of our own would be one more parser of hostile bytes. zlib alone would
 * cover gzip only. Only the zip format, and raw gzip data, are enabled,
 * and only from memory: no path, link or permission of a member is used.
 *
 * Bounded work: at most ARCHIVE_MAX_MEMBERS members, ARCHIVE_MAX_BYTES
 * expanded bytes in all, and no more than ARCHIVE_MAX_RATIO times the
 * archive's own size (or ARCHIVE_MIN_ALLOWANCE); a member that would
 * pass a limit is dropped whole, as is one that cannot be read
 * (truncated, encrypted, corrupt). A failure means "absent", never an
 * error.
 */
#include "parse/archive.h"

#include <stdlib.h>
#include <string.h>

#include <archive.h>
#include <archive_entry.h>

#include "util/util.h"

#define ARCHIVE_CHUNK	65536	/* bytes read from a member at a time */

/* archive_is - by declared type, file name, or the magic bytes */
bool
archive_is(const char *type, const char *fname, const char *data,
    size_t len)
{
	static const char *const types[] = { "application/zip",
	    "application/x-zip-compressed", "application/x-zip",
	    "application/gzip", "application/x-gzip", "application/x-gunzip",
	    "application/gzip-compressed", NULL };
	static const char *const names[] = { ".zip", ".gz", ".gzip", NULL };
	bool magic = len >= 4 && (memcmp(data, "PK\003\004", 4) == 0 ||
	    memcmp(data, "\037\213", 2) == 0);

	if (!magic)
		return false;	/* whatever it says it is, it is not one */
	if (type != NULL && str_in_list(type, types))
		return true;
	for (size_t i = 0; fname != NULL && names[i] != NULL; i++)
		if (str_has_suffix_nocase(fname, names[i]))
			return true;
	return type != NULL && strcmp(type, "application/octet-stream") == 0;
}

/* archive_base - the last path component of a member name, or NULL for
 * none ("dir/", "", "..") */
static char *
archive_base(const char *path)
{
	const char *b = path != NULL ? strrchr(path, '/') : NULL, *bs;

	b = b != NULL ? b + 1 : path;
	if (b != NULL && (bs = strrchr(b, '\\')) != NULL)
		b = bs + 1;	/* a zip made on Windows */
	if (b == NULL || *b == '\0' || strcmp(b, ".") == 0 ||
	    strcmp(b, "..") == 0)
		return NULL;
	return xstrdup(b);
}

/* archive_gz_name - a gzip's member name: the archive's name without
 * ".gz"/".gzip", or "data" */
static char *
archive_gz_name(const char *fname)
{
	char *n = archive_base(fname != NULL ? fname : "data");
	size_t len;

	if (n == NULL)
		return xstrdup("data");
	len = strlen(n);
	if (str_has_suffix_nocase(n, ".gzip"))
		n[len - 5] = '\0';
	else if (str_has_suffix_nocase(n, ".gz"))
		n[len - 3] = '\0';
	return n;
}

/* archive_budget - what the archive may still expand to */
struct archive_budget {
	size_t left;
	bool damaged;
};

/* archive_read_member - the current member's bytes into b; false when
 * it cannot be read or would pass the budget (then b is dropped) */
static bool
archive_read_member(struct archive *a, struct archive_budget *bud,
    struct buf *b)
{
	char chunk[ARCHIVE_CHUNK];
	la_ssize_t r;

	while ((r = archive_read_data(a, chunk, sizeof(chunk))) > 0) {
		if ((size_t)r > bud->left - b->len) {
			bud->damaged = true;	/* a bomb, or just too big */
			return false;
		}
		buf_append(b, chunk, (size_t)r);
	}
	if (r < 0) {
		bud->damaged = true;
		return false;
	}
	return true;
}

/* archive_open - a reader over data[0..len) for zip, or raw gzip */
static struct archive *
archive_open(const char *data, size_t len, bool *gz)
{
	struct archive *a = archive_read_new();

	*gz = len >= 2 && memcmp(data, "\037\213", 2) == 0;
	if (a == NULL)
		return NULL;
	if (*gz) {
		archive_read_support_filter_gzip(a);
		archive_read_support_format_raw(a);
	} else
		archive_read_support_format_zip(a);
	if (archive_read_open_memory(a, data, len) != ARCHIVE_OK) {
		archive_read_free(a);
		return NULL;
	}
	return a;
}

/* archive_expand - see archive.h */
size_t
archive_expand(const char *data, size_t len, const char *fname,
    struct arch_member **out, bool *damaged)
{
	struct archive_budget bud = { ARCHIVE_MAX_BYTES, false };
	struct archive_entry *e;
	struct archive *a;
	size_t n = 0, cap = 0, allow;
	bool gz;
	int rc = ARCHIVE_EOF;

	*out = NULL;
	*damaged = false;
	allow = len > ARCHIVE_MAX_BYTES / ARCHIVE_MAX_RATIO ?
	    ARCHIVE_MAX_BYTES : len * ARCHIVE_MAX_RATIO;
	if (allow < ARCHIVE_MIN_ALLOWANCE)
		allow = ARCHIVE_MIN_ALLOWANCE;
	bud.left = allow;
	if (data == NULL || (a = archive_open(data, len, &gz)) == NULL) {
		*damaged = data != NULL;
		return 0;
	}
	while (n < ARCHIVE_MAX_MEMBERS &&
	    (rc = archive_read_next_header(a, &e)) == ARCHIVE_OK) {
		struct buf b;
		char *name;

		if (gz && archive_filter_code(a, 0) != ARCHIVE_FILTER_GZIP) {
			rc = ARCHIVE_FATAL;	/* raw bytes, not a gzip */
			break;
		}
		if (!gz && archive_entry_filetype(e) != AE_IFREG)
			continue;	/* folders, links, devices */
		name = gz ? archive_gz_name(fname) :
		    archive_base(archive_entry_pathname(e));
		buf_init(&b);
		if (name == NULL || !archive_read_member(a, &bud, &b) ||
		    b.len == 0) {	/* an empty member says nothing */
			free(name);
			buf_free(&b);
			continue;
		}
		bud.left -= b.len;
		*out = xgrow(*out, &cap, n + 1, sizeof(**out));
		(*out)[n].name = name;
		(*out)[n].len = b.len;
		(*out)[n++].data = buf_steal(&b);
	}
	if (n < ARCHIVE_MAX_MEMBERS && rc != ARCHIVE_EOF)
		bud.damaged = true;	/* truncated or corrupt */
	archive_read_free(a);
	*damaged = bud.damaged;
	return n;
}

/* archive_members_free - release n members and the array */
void
archive_members_free(struct arch_member *mem, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(mem[i].name);
		free(mem[i].data);
	}
	free(mem);
}
