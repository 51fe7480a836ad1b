/*
 * xarf.h - X-ARF abuse reports: the 0.1/0.2 YAML "report.txt" part and
 * the XARF v3 (and v4) JSON document.
 *
 * xarf_parse finds an X-ARF report in a parsed complaint (X-ARF / X-XARF
 * headers, a part named report.txt, or a text part that reads like one)
 * and adds "report" = "xarf" and "xarf.<Key>" fields, keys as listed in
 * evidence.h. A standalone JSON report is read here too, unless the
 * message is an ARF report: the JSON beside one is the caller's to hand
 * over (arf_xarf_json in arf.h).
 *
 * xarf_parse_json maps one JSON document onto the same keys; evidence.c
 * calls it for the "Feedback-Type: xarf" form.
 */
#ifndef ABUSE_XARF_H
#define ABUSE_XARF_H

#include <stdbool.h>
#include <stddef.h>

#include "parse/message.h"
#include "util/util.h"

/* xarf_parse - true when m holds an X-ARF report; fields are appended */
bool xarf_parse(const struct parsed_msg *m, struct kvlist *fields);

/* xarf_parse_json - true when json[0..len) is an XARF v3/v4 document;
 * fields ("report" = "xarf", then xarf.<Key>) are appended */
bool xarf_parse_json(const char *json, size_t len, struct kvlist *fields);

/* xarf_parse_text - true when data[0..len) (YAML, or "Key: value" lines
 * when it is not valid YAML) yields at least one field; appends them */
bool xarf_parse_text(const char *data, size_t len, struct kvlist *fields);

#endif
