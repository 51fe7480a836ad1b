/*
 * arf.h - RFC 5965 Abuse Reporting Format (feedback loop) reports.
 *
 * arf_parse looks for the message/feedback-report part of a parsed
 * complaint and adds its fields to a kvlist under the keys documented in
 * evidence.h ("report" = "arf", then "arf.<Field>"). When the report says
 * "Feedback-Type: xarf", the JSON part beside it is handed to the XARF v3
 * parser (xarf.h) as well.
 *
 * The two helpers below are shared with xarf.c, whose fallback for broken
 * YAML reads the same "Name: value" line grammar.
 */
#ifndef ABUSE_ARF_H
#define ABUSE_ARF_H

#include <stdbool.h>
#include <stddef.h>

#include "parse/message.h"
#include "util/util.h"

/* longest field value kept; longer ones are cut (report fields are short,
 * anything longer is garbage that rules and headers should not see) */
#define ARF_VALUE_MAX	4096
/* most fields read from one report part */
#define ARF_FIELDS_MAX	256

/* arf_parse - true when m holds a feedback report; fields are appended */
bool arf_parse(const struct parsed_msg *m, struct kvlist *fields);

/* arf_split_fields - read "Name: value" lines (folded continuation lines
 * allowed) from data; names as written, values cleaned by
 * arf_clean_value. Lines that are no field are skipped. Returns the
 * number of fields appended to out. */
size_t arf_split_fields(const char *data, size_t len, struct kvlist *out);

/* arf_clean_value - a copy of s[0..n) with white space trimmed, control
 * characters and NULs turned into spaces, invalid UTF-8 bytes into '?',
 * and cut at ARF_VALUE_MAX bytes on a character boundary */
char *arf_clean_value(const char *s, size_t n);

/* arf_field_name_ok - true when s[0..n) may be a report field name
 * (letters, digits, '-', '_', '.'; 1 to 64 bytes) */
bool arf_field_name_ok(const char *s, size_t n);

/* arf_line_has_key - true when a line in data[0..len) starts with key
 * (any case), optional blanks, then ':' */
bool arf_line_has_key(const char *data, size_t len, const char *key);

#endif
