/*
 * mime_text.h - text helpers of the MIME module (mime_text.c): bytes in a
 * declared charset to UTF-8, repair of invalid UTF-8, HTML reduced to
 * text (mime_html.c). Whether bytes are UTF-8 is util/utf8.h's to say.
 * Internal to the MIME module; other modules read struct parsed_msg.
 *
 * Every function appends to a struct buf, produces valid UTF-8, turns
 * CRLF (and a lone CR) into LF and NUL into a space, and runs in time
 * linear in its input.
 */
#ifndef ABUSE_MIME_TEXT_H
#define ABUSE_MIME_TEXT_H

#include <stdbool.h>
#include <stddef.h>

#include "util/util.h"

/* mtext_repair - append s as UTF-8: valid sequences kept, every other
 * byte read as windows-1252. An incomplete sequence at the very end is
 * dropped when cut is true (the input was truncated there). */
void mtext_repair(struct buf *out, const char *s, size_t n, bool cut);

/* mtext_to_utf8 - append s, written in charset (NULL: unknown), as UTF-8.
 * Bytes that do not convert become U+FFFD (or windows-1252 when the
 * charset is unknown to iconv). Returns false if anything was replaced. */
bool mtext_to_utf8(struct buf *out, const char *s, size_t n,
    const char *charset, bool cut);

/* mtext_html_to_text - append the text of UTF-8 HTML: script, style and
 * comments dropped, block tags to newlines, other tags to spaces, white
 * space collapsed as a browser would, entities decoded. */
void mtext_html_to_text(struct buf *out, const char *s, size_t n);

/* mtext_cp1252 - the code point of byte c in windows-1252 */
unsigned long mtext_cp1252(unsigned char c);

#endif
