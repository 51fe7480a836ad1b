/*
 * echo.c - complaint text made fit to be repeated in a reply; see
 * echo.h for what is removed and why.
 *
 * One pass over the words of the cleaned text, then one cut. A word is
 * judged alone, so no input can make the work more than linear.
 */
#include "reply/echo.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "parse/rfc5322.h"
#include "util/util.h"

#define REPLY_ECHO_NEAR	20	/* characters back to look for a blank */

/* reply_echo_letter - an ASCII letter, or a byte of a non-ASCII
 * character (internationalised top-level labels are letters too) */
static bool
reply_echo_letter(unsigned char c)
{
	return (c | 0x20) >= 'a' && (c | 0x20) <= 'z' ? true : c >= 0x80;
}

/* reply_echo_host - is w[0..n) dotted labels whose last label is two or
 * more letters, or punycode ("pills.example", "shop.xn--p1ai"), as far
 * as the dots go: "203.0.113.7" and "v2.0" are not */
static bool
reply_echo_host(const char *w, size_t n)
{
	size_t label = 0, labels = 0, letters = 0, start = 0;

	for (size_t i = 0; i <= n; i++) {
		unsigned char c = i < n ? (unsigned char)w[i] : '.';

		if (c == '.') {
			if (label == 0)
				return false;	/* "a..b", ".a", "a." */
			labels++;
			if (i < n) {
				label = letters = 0;
				start = i + 1;
			}
			continue;
		}
		if (!reply_echo_letter(c) && !(c >= '0' && c <= '9') && c != '-')
			return false;
		label++;
		letters += reply_echo_letter(c);
	}
	return labels >= 2 && label >= 2 && (letters == label ||
	    (label > 4 && strncasecmp(w + start, "xn--", 4) == 0));
}

/* reply_echo_link - would a mail reader make this word a link or an
 * address? */
static bool
reply_echo_link(const char *w, size_t n)
{
	static const char lead[] = "([{<\"'", trail[] = ")]}>\"',.;:!?";
	const char *slash;

	if (memmem(w, n, "://", 3) != NULL || memchr(w, '@', n) != NULL ||
	    (n >= 4 && strncasecmp(w, "www.", 4) == 0))
		return true;
	while (n > 0 && strchr(lead, *w) != NULL) {
		w++;
		n--;
	}
	while (n > 0 && strchr(trail, w[n - 1]) != NULL)
		n--;
	if ((slash = memchr(w, '/', n)) != NULL)
		n = (size_t)(slash - w);	/* "pills.example/buy" */
	return n > 0 && reply_echo_host(w, n);
}

/* reply_echo_cut - keep at most REPLY_ECHO_MAX characters of b (well-
 * formed UTF-8), at a blank when one is near, and mark the cut */
static void
reply_echo_cut(struct buf *b)
{
	size_t chars = 0, i, at = b->len, blank = 0;

	for (i = 0; i < b->len; i++) {
		if (((unsigned char)b->s[i] & 0xc0) == 0x80)
			continue;	/* inside a character */
		if (chars == REPLY_ECHO_MAX) {
			at = i;
			break;
		}
		if (b->s[i] == ' ' && chars >= REPLY_ECHO_MAX - REPLY_ECHO_NEAR)
			blank = i;
		chars++;
	}
	if (at == b->len)
		return;
	if (blank > 0)
		at = blank;
	while (at > 0 && b->s[at - 1] == ' ')
		at--;
	b->len = at;
	b->s[at] = '\0';
	buf_puts(b, "...");
}

/* reply_echo_clean - see echo.h */
char *
reply_echo_clean(const char *text)
{
	char *clean = rfc5322_text_clean(text != NULL ? text : "", SIZE_MAX / 2);
	const char *p = clean, *end;
	struct buf b;

	buf_init(&b);
	for (;;) {
		while (*p == ' ')
			p++;
		if (*p == '\0')
			break;
		end = p + strcspn(p, " ");
		if (!reply_echo_link(p, (size_t)(end - p))) {
			if (b.len > 0)
				buf_putc(&b, ' ');
			buf_append(&b, p, (size_t)(end - p));
		}
		p = end;
	}
	free(clean);
	reply_echo_cut(&b);
	return b.s;
}
