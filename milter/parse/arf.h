/*
 * arf.h - RFC 5965 Abuse Reporting Format (feedback loop) reports.
 *
 * arf_parse looks for the message/feedback-report part of a parsed
 * complaint and adds its fields to a kvlist under the keys documented in
 * evidence.h ("report" = "arf", then "arf.<Field>").
 *
 * arf_xarf_json finds the JSON document that a "Feedback-Type: xarf"
 * report carries beside it, for the caller to hand to the XARF parser
 * (xarf.h): this module reads ARF only.
 */
#ifndef ABUSE_ARF_H
#define ABUSE_ARF_H

#include <stdbool.h>

#include "parse/message.h"
#include "util/util.h"

/* arf_parse - true when m holds a feedback report; fields are appended */
bool arf_parse(const struct parsed_msg *m, struct kvlist *fields);

/* arf_xarf_json - the JSON part of a "Feedback-Type: xarf" report, or
 * NULL when m holds no such report or no such part */
const struct msg_part *arf_xarf_json(const struct parsed_msg *m);

#endif
