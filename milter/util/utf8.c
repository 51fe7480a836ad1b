/*
 * utf8.c - read and write UTF-8 strictly. See utf8.h.
 *
 * The ranges of the second byte follow RFC 3629's table: after 0xE0 only
 * 0xA0..0xBF (shorter forms are overlong), after 0xED only 0x80..0x9F
 * (higher ones are surrogates), after 0xF0 only 0x90..0xBF, after 0xF4
 * only 0x80..0x8F (higher ones are past U+10FFFF). 0xC0, 0xC1 and 0xF5
 * and above start nothing.
 */
#include "util/utf8.h"

#include <string.h>

/* utf8_seq - see utf8.h */
int
utf8_seq(const char *s, size_t n, uint32_t *cp)
{
	const unsigned char *p = (const unsigned char *)s;
	unsigned char c = p[0], lo = 0x80, hi = 0xbf;
	size_t need, i;
	uint32_t v;

	if (c < 0x80) {
		if (cp != NULL)
			*cp = c;
		return 1;
	}
	if (c >= 0xc2 && c <= 0xdf) {
		need = 2;
		v = c & 0x1f;
	} else if (c >= 0xe0 && c <= 0xef) {
		need = 3;
		v = c & 0x0f;
		if (c == 0xe0)
			lo = 0xa0;	/* no overlong forms */
		else if (c == 0xed)
			hi = 0x9f;	/* no surrogates */
	} else if (c >= 0xf0 && c <= 0xf4) {
		need = 4;
		v = c & 0x07;
		if (c == 0xf0)
			lo = 0x90;
		else if (c == 0xf4)
			hi = 0x8f;	/* nothing above U+10FFFF */
	} else
		return 0;
	for (i = 1; i < need; i++) {
		if (i >= n)
			return -1;
		if (p[i] < lo || p[i] > hi)
			return 0;
		v = (v << 6) | (p[i] & 0x3f);
		lo = 0x80;
		hi = 0xbf;
	}
	if (cp != NULL)
		*cp = v;
	return (int)need;
}

/* utf8_valid - whether s is entirely well-formed */
bool
utf8_valid(const char *s, size_t n, bool *has8bit)
{
	const unsigned char *p = (const unsigned char *)s;
	bool high = false;
	size_t i = 0;
	int k;

	while (i < n) {
		if (p[i] < 0x80) {
			i++;
			continue;
		}
		high = true;
		if ((k = utf8_seq(s + i, n - i, NULL)) <= 0)
			break;
		i += (size_t)k;
	}
	if (has8bit != NULL)
		*has8bit = high;
	return i >= n;
}

/* utf8_put - append one code point as UTF-8 (bad ones as U+FFFD) */
void
utf8_put(struct buf *out, uint32_t cp)
{
	char u[4];

	if (cp == 0 || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		cp = 0xfffd;
	if (cp < 0x80) {
		buf_putc(out, (char)cp);
	} else if (cp < 0x800) {
		u[0] = (char)(0xc0 | (cp >> 6));
		u[1] = (char)(0x80 | (cp & 0x3f));
		buf_append(out, u, 2);
	} else if (cp < 0x10000) {
		u[0] = (char)(0xe0 | (cp >> 12));
		u[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		u[2] = (char)(0x80 | (cp & 0x3f));
		buf_append(out, u, 3);
	} else {
		u[0] = (char)(0xf0 | (cp >> 18));
		u[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
		u[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
		u[3] = (char)(0x80 | (cp & 0x3f));
		buf_append(out, u, 4);
	}
}

/* utf8_cut - see utf8.h; it looks back at most three bytes, over
 * continuation bytes only, to the lead byte of the last character */
size_t
utf8_cut(const char *s, size_t n, size_t max)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t j;
	int k;

	if (max >= n)
		return n;
	for (size_t back = 1; back <= 3 && back <= max; back++) {
		j = max - back;
		if (p[j] >= 0x80 && p[j] < 0xc0)
			continue;	/* inside a character, maybe */
		/* -1: well-formed so far, running past n > max */
		k = utf8_seq(s + j, n - j, NULL);
		return k < 0 || (k > 0 && j + (size_t)k > max) ? j : max;
	}
	return max;
}

/* utf8_clean - see utf8.h; one pass, each character judged by
 * utf8_seq, so the output is well-formed whatever came in */
bool
utf8_clean(struct buf *out, const char *s, size_t n, size_t max,
    const char *bad)
{
	size_t i = 0, used = 0, plen, badlen = strlen(bad);
	const char *piece;
	uint32_t cp;
	int k;

	while (i < n) {
		k = utf8_seq(s + i, n - i, &cp);
		if (k <= 0) {
			piece = bad;	/* for one ill-formed byte */
			plen = badlen;
			k = 1;
		} else if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0)) {
			piece = " ";
			plen = 1;
		} else {
			piece = s + i;
			plen = (size_t)k;
		}
		if (used + plen > max)
			return true;
		buf_append(out, piece, plen);
		used += plen;
		i += (size_t)k;
	}
	return false;
}
