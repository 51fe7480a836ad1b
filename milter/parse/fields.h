/*
 * fields.h - the "Name: value" grammar that report bodies share, and the
 * cleaning every report field value gets before rules, logs and JSON see
 * it. Used by arf.c (the message/feedback-report part) and xarf.c (a
 * report.txt that is not valid YAML, and every YAML and JSON value).
 *
 *	struct kvlist raw;
 *	kvlist_init(&raw);
 *	if (fields_split(data, len, &raw) > 0)
 *		... kvlist_get(&raw, "Source-IP") ...
 *	char *v = fields_clean_value(s, n);	(a string, maybe "")
 */
#ifndef ABUSE_FIELDS_H
#define ABUSE_FIELDS_H

#include <stdbool.h>
#include <stddef.h>

#include "util/util.h"

/* longest field value kept; longer ones are cut (report fields are short,
 * anything longer is garbage that rules and headers should not see) */
#define FIELDS_VALUE_MAX	4096
/* most fields read from one report part */
#define FIELDS_MAX	256

/* fields_split - read "Name: value" lines (folded continuation lines
 * allowed) from data; names as written, values cleaned by
 * fields_clean_value, empty ones dropped. Lines that are no field are
 * skipped. Returns the number of fields appended to out (FIELDS_MAX at
 * most). */
size_t fields_split(const char *data, size_t len, struct kvlist *out);

/* fields_clean_value - a copy of s[0..n) with white space trimmed, control
 * characters (C0 with NUL, DEL, C1) turned into spaces, invalid UTF-8
 * bytes into '?', and cut at FIELDS_VALUE_MAX bytes on a character
 * boundary (utf8_clean) */
char *fields_clean_value(const char *s, size_t n);

/* fields_unquote - strip the quotes a YAML writer put around a value
 * ("'x'", "\"x\"") from every value of kl, trimming what was inside */
void fields_unquote(struct kvlist *kl);

/* fields_name_ok - true when s[0..n) may be a report field name
 * (letters, digits, '-', '_', '.'; 1 to 64 bytes) */
bool fields_name_ok(const char *s, size_t n);

/* fields_line_has_key - true when a line in data[0..len) starts with key
 * (any case), optional blanks, then ':' */
bool fields_line_has_key(const char *data, size_t len, const char *key);

#endif
