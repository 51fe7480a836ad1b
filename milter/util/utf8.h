/*
 * utf8.h - the one UTF-8 reader and writer of the milter: whether bytes
 * are well-formed UTF-8, one character at a time or a whole string, and
 * a code point written as UTF-8.
 *
 *	uint32_t cp;
 *	int k = utf8_seq(s + i, n - i, &cp);	(1..4; 0 bad; -1 cut)
 *	if (utf8_valid(s, n, &has8bit)) ...
 *	utf8_put(&buf, 0x20ac);
 *	line = utf8_cut(s, n, 998);		(never inside a character)
 *	utf8_clean(&buf, s, n, max, UTF8_REPLACEMENT);	(one safe line)
 *
 * Well-formed means RFC 3629: no overlong forms, no surrogates
 * (U+D800..U+DFFF), nothing past U+10FFFF, no stray continuation bytes.
 */
#ifndef ABUSE_UTF8_H
#define ABUSE_UTF8_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/util.h"

/* utf8_seq - length (1..4) of the well-formed character at s[0..n), n > 0;
 * 0 when s[0] starts none; -1 when s[0..n) is a well-formed beginning cut
 * short by the end of the input. cp (may be NULL) gets the code point. */
int utf8_seq(const char *s, size_t n, uint32_t *cp);

/* utf8_valid - true when s[0..n) is entirely well-formed UTF-8; *has8bit
 * (may be NULL) tells whether any byte is >= 0x80 */
bool utf8_valid(const char *s, size_t n, bool *has8bit);

/* utf8_put - append code point cp as UTF-8; NUL, surrogates and values
 * past U+10FFFF become U+FFFD */
void utf8_put(struct buf *out, uint32_t cp);

/* UTF8_REPLACEMENT - U+FFFD, what an ill-formed byte usually becomes */
#define UTF8_REPLACEMENT "\xef\xbf\xbd"

/* utf8_cut - where to cut s[0..n) to keep at most max bytes: max (n when
 * n <= max), moved back to the start of a character that would otherwise
 * be split (a well-formed one, or one well-formed until the end of s).
 * Ill-formed bytes count as one character each, so the cut never moves
 * back past one. */
size_t utf8_cut(const char *s, size_t n, size_t max);

/* utf8_clean - append s[0..n) (NULs allowed) to out as one line of
 * well-formed UTF-8: control characters (C0 with TAB, CR, LF and NUL,
 * DEL, C1) become spaces, each byte that starts no well-formed character
 * becomes bad (UTF8_REPLACEMENT, or "?" where ASCII is wanted). At most
 * max bytes are appended, whole characters only; returns true when the
 * text was cut there. Trimming and a mark for the cut are the caller's. */
bool utf8_clean(struct buf *out, const char *s, size_t n, size_t max,
    const char *bad);

#endif
