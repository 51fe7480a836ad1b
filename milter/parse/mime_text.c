/*
 * mime_text.c - bytes of a text part or header to valid UTF-8. See
 * mime_text.h (mime_html.c holds the HTML half).
 *
 * Complaints lie about their charset: 8-bit text labelled us-ascii or
 * ISO-2022-JP is often UTF-8, and "iso-8859-1" is usually windows-1252.
 * So bytes that are not valid UTF-8 are read as windows-1252, and text
 * that is valid UTF-8 with 8-bit bytes is kept as UTF-8 whatever the
 * label: a legacy 8-bit charset almost never forms valid sequences.
 */
#include "parse/mime_text.h"

#include <errno.h>
#include <iconv.h>
#include <string.h>
#include <strings.h>

#include <gmime/gmime.h>

#include "util/utf8.h"

/* windows-1252 0x80..0x9f; the five holes map to the C1 code point as
 * WHATWG does, so every byte has a meaning */
static const unsigned short cp1252_c1[32] = {
	0x20ac, 0x0081, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021,
	0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008d, 0x017d, 0x008f,
	0x0090, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014,
	0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0x009d, 0x017e, 0x0178,
};

/* mtext_cp1252 - the code point of byte c in windows-1252 */
unsigned long
mtext_cp1252(unsigned char c)
{
	return c >= 0x80 && c < 0xa0 ? cp1252_c1[c - 0x80] : c;
}

/* put_special - CR, NUL or a byte read as windows-1252 */
static void
put_special(struct buf *out, const unsigned char *p, size_t i, size_t n)
{
	if (p[i] == '\r') {
		if (i + 1 >= n || p[i + 1] != '\n')
			buf_putc(out, '\n');
	} else if (p[i] == '\0') {
		buf_putc(out, ' ');
	} else {
		utf8_put(out, (uint32_t)mtext_cp1252(p[i]));
	}
}

/* mtext_repair - append s as UTF-8; ill-formed bytes are read as
 * windows-1252 one at a time, so mostly-UTF-8 text keeps its characters */
void
mtext_repair(struct buf *out, const char *s, size_t n, bool cut)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, run = 0;
	int k = 0;

	if (n == 0)	/* s may be NULL: an empty part has no bytes */
		return;
	while (i < n) {
		unsigned char c = p[i];

		if (c < 0x80 ? c != '\r' && c != '\0' :
		    (k = utf8_seq(s + i, n - i, NULL)) > 0) {
			i += c < 0x80 ? 1 : (size_t)k;
			continue;
		}
		buf_append(out, s + run, i - run);
		if (c >= 0x80 && k < 0 && cut)
			return;	/* half a character at the cut */
		put_special(out, p, i, n);
		run = ++i;
	}
	buf_append(out, s + run, i - run);
}

/* cp1252_append - append s read as windows-1252 */
static void
cp1252_append(struct buf *out, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i, run = 0;

	for (i = 0; i < n; i++) {
		if (p[i] < 0x80 && p[i] != '\r' && p[i] != '\0')
			continue;
		buf_append(out, s + run, i - run);
		put_special(out, p, i, n);
		run = i + 1;
	}
	buf_append(out, s + run, n - run);
}

static const char *const utf8_names[] = {
	"utf-8", "utf8", "us-ascii", "ascii", "ansi_x3.4-1968", "us",
	"unicode-1-1-utf-8", "x-unknown", "unknown-8bit", "unknown", NULL
};
static const char *const latin1_names[] = {
	"iso-8859-1", "iso8859-1", "iso_8859-1", "latin1", "latin-1", "l1",
	"windows-1252", "cp1252", "x-cp1252", "cp819", "ibm819", NULL
};

/* charset_has_prefix - cs starts with one of the listed prefixes */
static bool
charset_has_prefix(const char *cs, const char *const *pfx)
{
	for (; *pfx; pfx++)
		if (str_has_prefix_nocase(cs, *pfx))
			return true;
	return false;
}

/* two-byte and four-byte encodings: 8-bit bytes are normal there */
static const char *const wide_names[] = {
	"utf-16", "utf16", "utf-32", "utf32", "ucs", NULL
};
/* 7-bit encodings whose ASCII bytes are not ASCII (escape sequences) */
static const char *const shift_names[] = {
	"utf-7", "utf7", "iso-2022", "iso2022", "hz", NULL
};

/* iconv_append - convert with iconv; undecodable bytes become U+FFFD.
 * Returns -1 if iconv does not know cs, 1 if something was replaced. */
static int
iconv_append(struct buf *out, const char *s, size_t n, const char *cs,
    bool cut)
{
	struct buf tmp;
	iconv_t cd;
	char *in = (char *)s, *o;
	size_t inleft = n, oleft;
	int replaced = 0;

	if ((cd = g_mime_iconv_open("UTF-8", cs)) == (iconv_t)-1)
		return -1;
	buf_init(&tmp);
	for (;;) {
		buf_reserve(&tmp, inleft * 4 + 16);
		o = tmp.s + tmp.len;
		oleft = tmp.cap - tmp.len - 1;
		if (iconv(cd, inleft ? &in : NULL, &inleft, &o, &oleft) !=
		    (size_t)-1 || errno != EILSEQ) {
			tmp.len = (size_t)(o - tmp.s);
			if (inleft == 0 || errno != E2BIG)
				break;
			continue;
		}
		tmp.len = (size_t)(o - tmp.s);
		buf_append(&tmp, "\xef\xbf\xbd", 3);
		replaced = 1;
		in++;
		inleft--;
	}
	if (inleft > 0 && !cut) {	/* input ended inside a character */
		buf_append(&tmp, "\xef\xbf\xbd", 3);
		replaced = 1;
	}
	g_mime_iconv_close(cd);
	mtext_repair(out, tmp.s, tmp.len, false);
	buf_free(&tmp);
	return replaced;
}

/* mtext_to_utf8 - append s, written in charset (NULL = unknown), as
 * UTF-8; false if any byte had to be replaced */
bool
mtext_to_utf8(struct buf *out, const char *s, size_t n, const char *charset,
    bool cut)
{
	bool high, valid;
	int rc;

	if (n == 0)	/* s may be NULL: an empty part has no bytes */
		return true;
	valid = utf8_valid(s, n, &high);
	if (charset == NULL || *charset == '\0' ||
	    str_in_list_nocase(charset, utf8_names) ||
	    (!high && !charset_has_prefix(charset, shift_names) &&
	    !charset_has_prefix(charset, wide_names)) ||
	    (high && valid && !charset_has_prefix(charset, wide_names))) {
		mtext_repair(out, s, n, cut);
		return valid;
	}
	if (str_in_list_nocase(charset, latin1_names)) {
		cp1252_append(out, s, n);
		return true;
	}
	if ((rc = iconv_append(out, s, n, charset, cut)) < 0) {
		mtext_repair(out, s, n, cut);
		return valid;
	}
	return rc == 0;
}
