/*
 * message.h - a complaint parsed from its raw RFC 5322 bytes (mime.c),
 * and read through the accessors of message.c.
 *
 * The parsed message separates what the complainant wrote (text) from what
 * they attached as evidence (message/rfc822 and text/rfc822-headers parts:
 * an ARF report's original spam is evidence, not the complaint). Every
 * leaf part is also kept decoded, so report parsers (arf.c, xarf.c,
 * acns.c) can look at feedback reports, report.txt, .xml and .json parts.
 *
 * A parse failure never crashes and never loses the message: whatever
 * could be read is filled in and `malformed` is set.
 */
#ifndef ABUSE_MESSAGE_H
#define ABUSE_MESSAGE_H

#include <stdbool.h>
#include <stddef.h>

#include "util/util.h"

struct msg_header {
	char *name;	/* as written, e.g. "Subject" */
	char *value;	/* unfolded, RFC 2047 decoded, UTF-8, trimmed */
};

enum part_role {
	PART_TEXT,		/* the complaint's own text (text/plain, text/html) */
	PART_EVIDENCE,		/* message/rfc822, text/rfc822-headers and their insides */
	PART_REPORT,		/* message/feedback-report, report.txt, *.xml, *.json, *.csv */
	PART_OTHER,		/* anything else (images, zip, signatures) */
};

struct msg_part {
	char *content_type;	/* lower-case "type/subtype" */
	char *filename;		/* attachment name, or NULL */
	char *data;		/* decoded bytes, NUL-terminated; text parts in UTF-8 */
	size_t len;
	enum part_role role;
};

struct parsed_msg {
	struct msg_header *hdrs;	/* top-level headers, in order */
	size_t nhdrs;
	struct buf text;	/* complaint's own text, UTF-8; HTML reduced to text */
	struct buf evidence;	/* text of evidence parts (quoted original mail) */
	struct msg_part *parts;	/* every leaf part, in tree order */
	size_t nparts;
	bool truncated;		/* input was longer than max_body */
	size_t scan_cut;	/* longest text part cut at max_scan, or 0 */
	bool malformed;		/* something could not be parsed */
};

/* mime_parse - parse raw message bytes (CRLF or LF), at most max_body of
 * body; always fills *out (free with parsed_msg_free), returns 0, or -1
 * when nothing at all could be parsed (out is then empty but valid). */
int mime_parse(const char *raw, size_t len, size_t max_body,
    struct parsed_msg *out);
/* mime_parse_scan - mime_parse where each text part adds at most
 * max_scan bytes (whole characters) to text and evidence, 0 meaning
 * all; the parts themselves stay whole for the report parsers. The
 * evidence of a complaint sits in its first tens of KB: a megabyte of
 * pasted log need not be scanned to the end. */
int mime_parse_scan(const char *raw, size_t len, size_t max_body,
    size_t max_scan, struct parsed_msg *out);
void parsed_msg_free(struct parsed_msg *m);

/* parsed_msg_header - value of the first header with this name
 * (case-insensitive), or NULL */
const char *parsed_msg_header(const struct parsed_msg *m, const char *name);

/* msg_part_usable - a part the complainant sent, with bytes in it: what a
 * report parser may read (quoted evidence names other people's data) */
bool msg_part_usable(const struct msg_part *pt);

/* msg_part_is - the part's type is content_type (NULL: any other), or its
 * file name ends with suffix (any case; NULL: no name test) */
bool msg_part_is(const struct msg_part *pt, const char *content_type,
    const char *suffix);

#endif
