/*
 * utf8.h - the one UTF-8 reader and writer of the milter: whether bytes
 * are well-formed UTF-8, one character at a time or a whole string, and
 * a code point written as UTF-8.
 *
 *	uint32_t cp;
 *	int k = utf8_seq(s + i, n - i, &cp);	(1..4; 0 bad; -1 cut)
 *	if (utf8_valid(s, n, &has8bit)) ...
 *	utf8_put(&buf, 0x20ac);
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

#endif
