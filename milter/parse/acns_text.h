/*
 * acns_text.h - find an ACNS <Infringement> element in mail text and
 * repair it for the XML parser; used by acns.c only.
 *
 *	size_t start, end;
 *	if (acns_text_find_open(s, len, 0, &start)) {
 *		if (!acns_text_find_close(s, len, start, &end))
 *			end = acns_text_cut(s, start, end);
 *		acns_text_copy(s + start, end - start, pgp, &frag);
 *		acns_text_fix_entities(&frag);
 *		... parse frag with acns_text_encoding(s, start, &frag, &name)
 *	}
 *
 * Element names match with any namespace prefix ("<acns:Infringement").
 */
#ifndef ABUSE_ACNS_TEXT_H
#define ABUSE_ACNS_TEXT_H

#include <stdbool.h>
#include <stddef.h>

#include "util/util.h"

/* acns_text_find_open - offset of the next "<Infringement" start tag at
 * or after pos in *start; false if there is none */
bool acns_text_find_open(const char *data, size_t len, size_t pos,
    size_t *start);

/* acns_text_find_close - *end just past the first "</Infringement>"
 * after start; false (and *end = len) when there is none */
bool acns_text_find_close(const char *data, size_t len, size_t start,
    size_t *end);

/* acns_text_cut - just past the last '>' in [start, end), or start */
size_t acns_text_cut(const char *data, size_t start, size_t end);

/* acns_text_copy - append n bytes to out; with pgp, first strip every
 * "- " dash-escape (repeated) from the start of each line */
void acns_text_copy(const char *data, size_t n, bool pgp, struct buf *out);

/* acns_text_fix_entities - "&amp;" and the other predefined entity
 * references become character references ("&#38;"); every other
 * "&name;" is removed; character references stay */
void acns_text_fix_entities(struct buf *b);

/* acns_text_encoding - NULL when frag is valid UTF-8; else the encoding
 * named by an XML declaration in the 512 bytes before start (copied into
 * name), else "ISO-8859-1" */
const char *acns_text_encoding(const char *data, size_t start,
    const struct buf *frag, struct buf *name);

/* acns_text_has_qp - does s look like undecoded quoted-printable */
bool acns_text_has_qp(const char *s, size_t len);

/* acns_text_qp_decode - append s to out with =XX and soft line breaks
 * decoded; any other '=' is kept */
void acns_text_qp_decode(const char *s, size_t len, struct buf *out);

#endif
