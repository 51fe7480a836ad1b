/*
 * rfc5322.h - the small pieces of RFC 5322 / RFC 2047 a safe reply needs:
 * grammar checks for addr-spec and msg-id, pulling the bare address out
 * of an address header value (the one reader of them: reply recipients,
 * the reporter, the configured From), cleaning free text, and writing a
 * header field whose value is encoded (RFC 2047) and folded only where
 * needed.
 *
 * Everything that comes from a complaint passes through here before it
 * can reach a reply's header section: the checks refuse CR, LF, NUL and
 * anything else outside the grammar, and rfc5322_header_put can emit
 * nothing but printable ASCII lines of at most 78 columns.
 */
#ifndef ABUSE_RFC5322_H
#define ABUSE_RFC5322_H

#include <stdbool.h>
#include <stddef.h>

#include "util/util.h"

/* rfc5322_addr_spec_valid - local-part "@" domain, no CFWS, <= 254 bytes */
bool rfc5322_addr_spec_valid(const char *s);

/* rfc5322_msg_id_valid - "<" id-left "@" id-right ">", no CFWS */
bool rfc5322_msg_id_valid(const char *s);

/* rfc5322_msg_id_normalize - the msg-id of a decoded Message-ID value,
 * malloc'd, or NULL when it does not pass the grammar. The one repair
 * made: "left@right" without angle brackets (IP-Echelon sends these) is
 * returned as "<left@right>", since the brackets add nothing a reader
 * could misparse. */
char *rfc5322_msg_id_normalize(const char *value);

/* rfc5322_addr_extract - the bare addr-spec of the one mailbox a decoded
 * address header value names ("Name <a@b>", "a@b", "a@b (comment)",
 * "<a@b>"; quotes and comments read as such), domain lower-cased,
 * malloc'd. NULL when no mailbox or more than one yields an address, when
 * "<" is not closed, or when the address fails the addr-spec grammar:
 * what reply recipients need. */
char *rfc5322_addr_extract(const char *value);

/* rfc5322_addr_first - the same reading, lenient, for the reporter and
 * the configuration: the first mailbox of a list that yields an address,
 * a "mailto:" prefix dropped, an unclosed "<a@b" read. Still NULL when
 * nothing passes the addr-spec grammar. */
char *rfc5322_addr_first(const char *value);

/* rfc5322_display_name - the display name of a "Name <a@b>" value with
 * quotes removed, malloc'd, or NULL when there is none */
char *rfc5322_display_name(const char *value);

/* rfc5322_text_clean - one line of valid UTF-8: controls become spaces,
 * invalid bytes U+FFFD, cut at a character boundary to at most max bytes
 * (then "..." is appended); malloc'd */
char *rfc5322_text_clean(const char *s, size_t max);

/* rfc5322_header_put - append "Name: value\n" with value as unstructured
 * text: cleaned, encoded-words where needed, folded at 78 columns */
void rfc5322_header_put(struct buf *out, const char *name, const char *text);

/* rfc5322_mailbox_put - append "Name: phrase <addr>\n", or "Name: addr\n"
 * when phrase is NULL or empty; the phrase goes out as atoms, a quoted
 * string or encoded-words, whichever it needs. addr must be valid. */
void rfc5322_mailbox_put(struct buf *out, const char *name,
    const char *phrase, const char *addr);

#endif
