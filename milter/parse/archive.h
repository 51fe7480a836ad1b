/*
 * archive.h - the members of a .zip or .gz attachment (Shadowserver CSV
 * reports, DMARC aggregate XML), expanded in memory within fixed limits.
 *
 *	if (archive_is(type, filename, data, len)) {
 *		struct arch_member *mem;
 *		bool damaged;
 *		size_t n = archive_expand(data, len, filename, &mem,
 *		    &damaged);
 *		... mem[i].name (a base name), mem[i].data (NUL-terminated),
 *		    mem[i].len ...
 *		archive_members_free(mem, n);
 *	}
 *
 * Nothing is written to disk and no member path is used for anything
 * but the base name that tells what the member is (".csv", ".xml").
 */
#ifndef ABUSE_ARCHIVE_H
#define ABUSE_ARCHIVE_H

#include <stdbool.h>
#include <stddef.h>

/* limits of one archive: members read, bytes expanded in all, and how
 * many times its compressed size the expanded bytes may be (zip bombs
 * pack gigabytes of zeros into a few kilobytes) */
#define ARCHIVE_MAX_MEMBERS	16
#define ARCHIVE_MAX_BYTES	(8u << 20)
#define ARCHIVE_MAX_RATIO	200
/* an archive this small may still expand to this much (a tiny CSV) */
#define ARCHIVE_MIN_ALLOWANCE	(64u << 10)

/* arch_member - one expanded member */
struct arch_member {
	char *name;	/* base name, or the archive's name without ".gz" */
	char *data;	/* the bytes, NUL-terminated */
	size_t len;
};

/* archive_is - does a part of this type (lower case), file name (or
 * NULL) and content look like a zip or gzip archive? */
bool archive_is(const char *type, const char *fname, const char *data,
    size_t len);

/* archive_expand - the regular-file members of the zip or gzip in
 * data[0..len), within the limits above; a member that is damaged,
 * encrypted or over a limit is left out and sets *damaged. fname is the
 * archive's own name (a gzip member takes it without ".gz"). Returns the
 * number of members in *out (free with archive_members_free). */
size_t archive_expand(const char *data, size_t len, const char *fname,
    struct arch_member **out, bool *damaged);

/* archive_members_free - release n members and the array */
void archive_members_free(struct arch_member *mem, size_t n);

#endif
