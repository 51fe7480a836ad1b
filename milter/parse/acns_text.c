/*
 * acns_text.c - the byte-level half of the ACNS reader (acns.c): find an
 * <Infringement> element in mail text and undo what mail did to it
 * before libxml2 sees it. No XML parsing here. See acns_text.h.
 *
 * Everything works on (pointer, length) pairs, so NUL bytes and missing
 * terminators in the input are harmless.
 */
#include "parse/acns_text.h"

#include <stdint.h>
#include <string.h>

#include "util/utf8.h"

#define ACNS_TEXT_TAG	"Infringement"

/* acns_text_name_char - may this byte be part of a namespace prefix */
static bool
acns_text_name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.';
}

/* acns_text_tag_lead - index of the byte before the element name at `at` and
 * its optional "prefix:", where '<' or '/' belongs; SIZE_MAX if none */
static size_t
acns_text_tag_lead(const char *data, size_t at)
{
	size_t i = at, colon;

	if (i > 0 && data[i - 1] == ':') {
		colon = --i;
		while (i > 0 && colon - i < 64 &&
		    acns_text_name_char(data[i - 1]))
			i--;
		if (i == colon)
			return SIZE_MAX;
	}
	return i == 0 ? SIZE_MAX : i - 1;
}

/* acns_text_find_open - offset of the next "<Infringement" start tag at
 * or after pos; false if there is none. Prose like "Notice of Claimed
 * Infringement" is passed over without touching libxml2. */
bool
acns_text_find_open(const char *data, size_t len, size_t pos,
    size_t *start)
{
	const char *p;
	size_t from = pos, at, after, lead;

	while (pos < len && (p = memmem(data + pos, len - pos, ACNS_TEXT_TAG,
	    sizeof(ACNS_TEXT_TAG) - 1)) != NULL) {
		at = (size_t)(p - data);
		after = pos = at + sizeof(ACNS_TEXT_TAG) - 1;
		if (after >= len || (data[after] != '>' && data[after] != '/' &&
		    data[after] != ' ' && data[after] != '\t' &&
		    data[after] != '\r' && data[after] != '\n'))
			continue;
		lead = acns_text_tag_lead(data, at);
		if (lead != SIZE_MAX && lead >= from && data[lead] == '<') {
			*start = lead;
			return true;
		}
	}
	return false;
}

/* acns_text_find_close - *end just past the first "</Infringement>"
 * after start; false when the notice is not closed (truncated) */
bool
acns_text_find_close(const char *data, size_t len, size_t start,
    size_t *end)
{
	const char *p;
	size_t pos = start + 1, at, lead;

	while (pos < len && (p = memmem(data + pos, len - pos, ACNS_TEXT_TAG,
	    sizeof(ACNS_TEXT_TAG) - 1)) != NULL) {
		at = (size_t)(p - data);
		pos = at + sizeof(ACNS_TEXT_TAG) - 1;
		lead = acns_text_tag_lead(data, at);
		if (lead == SIZE_MAX || lead == 0 || data[lead] != '/' ||
		    data[lead - 1] != '<')
			continue;
		while (pos < len && (data[pos] == ' ' || data[pos] == '\t' ||
		    data[pos] == '\r' || data[pos] == '\n'))
			pos++;
		if (pos < len && data[pos] == '>') {
			*end = pos + 1;
			return true;
		}
	}
	*end = len;
	return false;
}

/* acns_text_cut - end of a notice that is not closed or too long: just past
 * its last '>', since text after it was cut off mid-value and a cut IP
 * address or case id is worse than none */
size_t
acns_text_cut(const char *data, size_t start, size_t end)
{
	const char *gt = memrchr(data + start, '>', end - start);

	return gt ? (size_t)(gt - data) + 1 : start;
}

/* acns_text_copy - copy a fragment; in PGP clear-signed text undo the "- "
 * dash-escaping of every line, repeatedly, since notices signed twice
 * arrive escaped twice */
void
acns_text_copy(const char *data, size_t n, bool pgp, struct buf *out)
{
	const char *p = data, *end = data + n, *nl;

	if (!pgp) {
		buf_append(out, data, n);
		return;
	}
	while (p < end) {
		while (end - p >= 2 && p[0] == '-' && p[1] == ' ')
			p += 2;
		nl = memchr(p, '\n', (size_t)(end - p));
		nl = nl ? nl + 1 : end;
		buf_append(out, p, (size_t)(nl - p));
		p = nl;
	}
}

/* acns_text_fix_entities - rewrite entity references for a parser that
 * never sees a DTD: the five predefined ones become character references,
 * because libxml2's recover mode drops entity references after the first
 * error but keeps character references; all others are undefined and go */
void
acns_text_fix_entities(struct buf *b)
{
	static const struct {
		const char *name, *ref;
	} predef[] = {
		{"amp;", "&#38;"}, {"lt;", "&#60;"}, {"gt;", "&#62;"},
		{"quot;", "&#34;"}, {"apos;", "&#39;"},
	};
	struct buf out;
	size_t r = 0, n, k;

	if (memchr(b->s, '&', b->len) == NULL)
		return;
	buf_init(&out);
	while (r < b->len) {
		for (n = 1; b->s[r] == '&' && r + n < b->len && n < 64 &&
		    acns_text_name_char(b->s[r + n]); n++)
			;
		if (n == 1 || b->s[r + n] != ';') {
			buf_putc(&out, b->s[r++]);
			continue;
		}
		for (k = 0; k < 5; k++)
			if (strncmp(b->s + r + 1, predef[k].name, n) == 0)
				break;
		if (k < 5)
			buf_puts(&out, predef[k].ref);
		r += n + 1;
	}
	buf_free(b);
	*b = out;
}

/* acns_text_encoding - the encoding to parse a fragment with: NULL
 * (UTF-8) when it is UTF-8, which the text of a parsed message always
 * is; else what an XML declaration shortly before it says (an attachment
 * left in its own charset), else Latin-1, which accepts every byte */
const char *
acns_text_encoding(const char *data, size_t start, const struct buf *frag,
    struct buf *name)
{
	size_t from = start > 512 ? start - 512 : 0;
	const char *decl = NULL, *end = NULL, *p;
	char quote;

	if (utf8_valid(frag->s, frag->len, NULL))
		return NULL;
	while ((p = memmem(data + from, start - from, "<?xml", 5)) != NULL) {
		decl = p;
		from = (size_t)(p - data) + 5;
	}
	if (decl != NULL)
		end = memmem(decl, (size_t)(data + start - decl), "?>", 2);
	p = end ? memmem(decl, (size_t)(end - decl), "encoding", 8) : NULL;
	if (p == NULL)
		return "ISO-8859-1";
	for (p += 8; p < end && (*p == ' ' || *p == '='); p++)
		;
	if (p >= end || (*p != '"' && *p != '\''))
		return "ISO-8859-1";
	quote = *p++;
	buf_reset(name);
	for (; p < end && name->len < 40 && acns_text_name_char(*p); p++)
		buf_putc(name, *p);
	if (name->len == 0 || p >= end || *p != quote)
		return "ISO-8859-1";
	return name->s;
}

/* acns_text_has_qp - does the fragment look like undecoded quoted-printable */
bool
acns_text_has_qp(const char *s, size_t len)
{
	return memmem(s, len, "=3D", 3) || memmem(s, len, "=3d", 3) ||
	    memmem(s, len, "=\n", 2) || memmem(s, len, "=\r\n", 3);
}

/* acns_text_hex - value of a hex digit, or -1 */
static int
acns_text_hex(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* acns_text_qp_decode - undo quoted-printable; a lone '=' stays as it is */
void
acns_text_qp_decode(const char *s, size_t len, struct buf *out)
{
	size_t i, j;

	for (i = 0; i < len; i++) {
		if (s[i] != '=') {
			buf_putc(out, s[i]);
			continue;
		}
		if (i + 2 < len && acns_text_hex(s[i + 1]) >= 0 &&
		    acns_text_hex(s[i + 2]) >= 0) {
			buf_putc(out, (char)(acns_text_hex(s[i + 1]) * 16 +
			    acns_text_hex(s[i + 2])));
			i += 2;
			continue;
		}
		for (j = i + 1; j < len && (s[j] == ' ' || s[j] == '\t'); j++)
			;
		if (j < len && s[j] == '\r')
			j++;
		if (j < len && s[j] == '\n')
			i = j;	/* soft line break */
		else
			buf_putc(out, '=');
	}
}
