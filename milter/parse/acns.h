/*
 * acns.h - read an ACNS copyright notice (<Infringement> XML) out of a
 * complaint.
 *
 *	struct kvlist fields;
 *	kvlist_init(&fields);
 *	if (acns_parse(msg, &fields))
 *		... kvlist_get(&fields, "acns.IP_Address") ...
 *
 * acns_parse() looks in the complaint's own text (also inside PGP
 * clear-signed bodies, whose lines are dash-escaped) and in its text and
 * report parts (.xml attachments). acns_parse_xml() does the same for one
 * buffer. Both stop at the first <Infringement> that yields a Case/ID or a
 * Source/IP_Address, so an inline copy and an attached copy of one notice
 * give one set of fields; failing that, the first one that yields any
 * field (a truncated notice) is used. They then add "report" = "acns" and
 * the acns.* keys documented in evidence.h, values as written with white
 * space collapsed, and return true. With no such notice (none there,
 * broken beyond reading, hostile) they add nothing and return false.
 *
 * libxml2 never touches the network, never substitutes entities and never
 * sees a DTD: only the <Infringement> element itself is handed to it.
 */
#ifndef ABUSE_ACNS_H
#define ABUSE_ACNS_H

#include <stdbool.h>
#include <stddef.h>

#include "parse/message.h"
#include "util/util.h"

bool acns_parse(const struct parsed_msg *m, struct kvlist *fields);
bool acns_parse_xml(const char *xml, size_t len, struct kvlist *fields);

#endif
