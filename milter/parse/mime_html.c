/*
 * mime_html.c - HTML reduced to text, for complaints that have no
 * text/plain alternative. See mime_text.h.
 *
 * Not an HTML parser: one linear pass that keeps what a reader sees, which
 * is what keyword rules and address extraction need. Every search moves
 * forward only, so hostile input ("<<<<", an unclosed <script>) stays
 * linear.
 */
#include "parse/mime_text.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/utf8.h"

struct html_out {
	struct buf *out;
	bool space;	/* white space seen since the last text */
	int nl;		/* newlines just written; starts at 2: none leading */
	int pre;	/* depth of <pre> */
};

static const char *const block_tags[] = {
	"address", "article", "aside", "blockquote", "body", "br", "caption",
	"center", "dd", "div", "dl", "dt", "fieldset", "figcaption", "figure",
	"footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr",
	"html", "li", "main", "nav", "ol", "p", "pre", "section", "table",
	"tbody", "tfoot", "thead", "title", "tr", "ul", NULL
};

/* inline markup that a reader does not see as a word break */
static const char *const inline_tags[] = {
	"a", "abbr", "b", "big", "cite", "code", "em", "font", "i", "mark",
	"q", "s", "small", "span", "strike", "strong", "sub", "sup", "tt",
	"u", "wbr", NULL
};

static const struct {
	const char *name;
	unsigned short cp;
} entities[] = {
	{"amp", '&'}, {"lt", '<'}, {"gt", '>'}, {"quot", '"'}, {"apos", '\''},
	{"nbsp", 0xA0}, {"copy", 0xA9}, {"reg", 0xAE}, {"trade", 0x2122},
	{"hellip", 0x2026}, {"mdash", 0x2014}, {"ndash", 0x2013},
	{"lsquo", 0x2018}, {"rsquo", 0x2019}, {"sbquo", 0x201A},
	{"ldquo", 0x201C}, {"rdquo", 0x201D}, {"bdquo", 0x201E},
	{"laquo", 0xAB}, {"raquo", 0xBB}, {"euro", 0x20AC}, {"pound", 0xA3},
	{"yen", 0xA5}, {"cent", 0xA2}, {"sect", 0xA7}, {"deg", 0xB0},
	{"middot", 0xB7}, {"bull", 0x2022}, {"para", 0xB6}, {"times", 0xD7},
	{"divide", 0xF7}, {"plusmn", 0xB1}, {"shy", 0xAD}, {"iexcl", 0xA1},
	{"iquest", 0xBF}, {"auml", 0xE4}, {"ouml", 0xF6}, {"uuml", 0xFC},
	{"Auml", 0xC4}, {"Ouml", 0xD6}, {"Uuml", 0xDC}, {"szlig", 0xDF},
	{"aacute", 0xE1}, {"eacute", 0xE9}, {"iacute", 0xED},
	{"oacute", 0xF3}, {"uacute", 0xFA}, {"Aacute", 0xC1},
	{"Eacute", 0xC9}, {"agrave", 0xE0}, {"egrave", 0xE8},
	{"ograve", 0xF2}, {"ugrave", 0xF9}, {"acirc", 0xE2}, {"ecirc", 0xEA},
	{"icirc", 0xEE}, {"ocirc", 0xF4}, {"ucirc", 0xFB}, {"ccedil", 0xE7},
	{"Ccedil", 0xC7}, {"ntilde", 0xF1}, {"Ntilde", 0xD1}, {"aring", 0xE5},
	{"Aring", 0xC5}, {"aelig", 0xE6}, {"oslash", 0xF8}, {"Oslash", 0xD8},
	{"ensp", 0x2002}, {"emsp", 0x2003}, {"thinsp", 0x2009},
	{"zwnj", 0x200C}, {"zwj", 0x200D}, {"lrm", 0x200E}, {"rlm", 0x200F},
};

/* name_in - the tag name s[0..n) is one of list, any case */
static bool
name_in(const char *name, size_t n, const char *const *list)
{
	for (; *list != NULL; list++)
		if (strlen(*list) == n && strncasecmp(name, *list, n) == 0)
			return true;
	return false;
}

/* ho_text - write visible text, with the pending white space before it */
static void
ho_text(struct html_out *h, const char *s, size_t n)
{
	if (h->space && h->nl == 0)
		buf_putc(h->out, ' ');
	h->space = false;
	buf_append(h->out, s, n);
	h->nl = 0;
}

/* ho_newline - end the line; at most one empty line in a row */
static void
ho_newline(struct html_out *h)
{
	h->space = false;
	if (h->nl < 2) {
		buf_putc(h->out, '\n');
		h->nl++;
	}
}

/* ho_white - one white-space character of the source */
static void
ho_white(struct html_out *h, char c)
{
	if (h->pre == 0) {
		h->space = true;
	} else if (c == '\n') {
		buf_putc(h->out, '\n');
		h->nl = 1;
		h->space = false;
	} else if (c != '\r') {
		ho_text(h, &c, 1);
	}
}

/* find_ci - offset of needle (lower case) in s[from..n), or n */
static size_t
find_ci(const char *s, size_t n, size_t from, const char *needle)
{
	size_t k = strlen(needle);
	const char *p;

	while (from + k <= n) {
		p = memchr(s + from, needle[0], n - from - k + 1);
		if (p == NULL)
			return n;
		from = (size_t)(p - s);
		if (strncasecmp(p, needle, k) == 0)
			return from;
		from++;
	}
	return n;
}

/* entity - decode the reference at s[0] == '&'; 0 if it is none */
static size_t
entity(const char *s, size_t n, unsigned long *cp)
{
	size_t i = 1, j;
	int base = 10;

	if (n > 1 && s[1] == '#') {
		i = 2;
		if (i < n && (s[i] == 'x' || s[i] == 'X')) {
			base = 16;
			i++;
		}
		*cp = 0;
		for (j = i; j < n && j < i + 8 &&
		    (base == 16 ? isxdigit((unsigned char)s[j]) :
		    isdigit((unsigned char)s[j])); j++)
			*cp = *cp * base + (unsigned long)(isdigit(
			    (unsigned char)s[j]) ? s[j] - '0' :
			    (tolower((unsigned char)s[j]) - 'a' + 10));
		if (j == i || j >= n || s[j] != ';')
			return 0;
		return j + 1;
	}
	for (j = i; j < n && j < i + 8 && isalnum((unsigned char)s[j]); j++)
		;
	if (j == i || j >= n || s[j] != ';')
		return 0;
	for (size_t e = 0; e < sizeof(entities) / sizeof(entities[0]); e++) {
		if (strlen(entities[e].name) == j - i &&
		    strncmp(entities[e].name, s + i, j - i) == 0) {
			*cp = entities[e].cp;
			return j + 1;
		}
	}
	return 0;
}

/* put_entity - write a decoded reference as a browser shows it */
static void
put_entity(struct html_out *h, unsigned long cp)
{
	struct buf u;

	if (cp >= 0x80 && cp < 0xA0)
		cp = mtext_cp1252((unsigned char)cp);	/* as browsers do */
	if (cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' ||
	    cp == 0xA0) {
		ho_white(h, cp == '\n' ? '\n' : ' ');
		return;
	}
	if (cp == 0xAD || cp == 0x200B || cp == 0x200C || cp == 0x200D)
		return;	/* invisible */
	buf_init(&u);
	utf8_put(&u, (uint32_t)cp);
	ho_text(h, u.s, u.len);
	buf_free(&u);
}

/* tag - handle the tag whose '<' is at s[i] and '>' at s[gt]; returns
 * where reading goes on */
static size_t
tag(struct html_out *h, const char *s, size_t n, size_t i, size_t gt)
{
	size_t j = i + 1, name, len, end;
	bool closing = false;

	if (s[j] == '/') {
		closing = true;
		j++;
	}
	for (name = j; j < gt && isalnum((unsigned char)s[j]); j++)
		;
	len = j - name;
	if (!closing && (name_in(s + name, len, (const char *const[]){
	    "script", "style", NULL}) || (len == 4 &&
	    strncasecmp(s + name, "head", 4) == 0))) {
		char close[10] = "</";

		memcpy(close + 2, s + name, len);
		close[2 + len] = '\0';
		end = find_ci(s, n, gt + 1, close);
		if (end == n && len == 4)
			return gt + 1;	/* <head> never closed: keep going */
		if (end == n)
			return n;
		h->space = true;
		return end;	/* the closing tag is read as a tag */
	}
	if (len == 3 && strncasecmp(s + name, "pre", 3) == 0)
		h->pre += closing ? (h->pre > 0 ? -1 : 0) : 1;
	if (name_in(s + name, len, block_tags))
		ho_newline(h);
	else if (!name_in(s + name, len, inline_tags))
		h->space = true;
	return gt + 1;
}

/* mtext_html_to_text - see mime_text.h; one forward pass over s */
void
mtext_html_to_text(struct buf *out, const char *s, size_t n)
{
	struct html_out h = { out, false, 2, 0 };
	bool no_gt = false;
	unsigned long cp;
	size_t i = 0, j, k;
	const char *gt;

	while (i < n) {
		unsigned char c = (unsigned char)s[i];

		if (c == '<' && !no_gt && i + 1 < n &&
		    (isalpha((unsigned char)s[i + 1]) || s[i + 1] == '/' ||
		    s[i + 1] == '!' || s[i + 1] == '?')) {
			if (n - i >= 4 && memcmp(s + i, "<!--", 4) == 0) {
				k = find_ci(s, n, i + 4, "-->");
				i = k == n ? n : k + 3;
				continue;
			}
			gt = memchr(s + i, '>', n - i);
			if (gt != NULL) {
				i = tag(&h, s, n, i, (size_t)(gt - s));
				continue;
			}
			no_gt = true;	/* no tag can close after here */
		}
		if (c == '&' && (k = entity(s + i, n - i, &cp)) > 0) {
			put_entity(&h, cp);
			i += k;
			continue;
		}
		if (c == ' ' || c == '\t' || c == '\n' || c == '\r' ||
		    c == '\f') {
			ho_white(&h, (char)c);
			i++;
			continue;
		}
		for (j = i + 1; j < n && s[j] != '<' && s[j] != '&' &&
		    s[j] != ' ' && s[j] != '\t' && s[j] != '\n' &&
		    s[j] != '\r' && s[j] != '\f'; j++)
			;
		ho_text(&h, s + i, j - i);
		i = j;
	}
	if (h.nl == 0)
		buf_putc(out, '\n');
}
