/*
 * fields.c - the "Name: value" lines of report bodies, and the cleaning
 * of report field values. See fields.h.
 *
 * Real reports are not always clean: a field line without colon, binary
 * bytes or an endless value are skipped or cut, never fatal. Values end
 * up in rules, logs, JSON and header lines, so every value leaves here
 * as one trimmed line of valid UTF-8 of bounded length.
 */
#include "parse/fields.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/utf8.h"

/* fields_name_ok - field names are tokens; anything else is prose */
bool
fields_name_ok(const char *s, size_t n)
{
	if (n == 0 || n > 64)
		return false;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.'))
			return false;
	}
	return true;
}

/* fields_clean_value - values end up in rules, logs and JSON: make them
 * safe. Ill-formed bytes become '?', not U+FFFD: a report that sends
 * them sends binary, and a short ASCII mark says so in every log. */
char *
fields_clean_value(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	struct buf b;
	size_t i = 0;
	char *out;

	/* trim first, so the cut counts only bytes worth keeping */
	while (n > 0 && (p[n - 1] == ' ' || p[n - 1] == '\t' ||
	    p[n - 1] == '\r' || p[n - 1] == '\n'))
		n--;
	while (i < n && (p[i] == ' ' || p[i] == '\t' || p[i] == '\r' ||
	    p[i] == '\n'))
		i++;
	buf_init(&b);
	utf8_clean(&b, s + i, n - i, FIELDS_VALUE_MAX, "?");
	out = xstrdup(str_trim(b.s));
	buf_free(&b);
	return out;
}

/* fields_line_has_key - cheap test whether a part reads like a report */
bool
fields_line_has_key(const char *data, size_t len, const char *key)
{
	size_t klen = strlen(key);
	const char *p = data, *end = data + len;

	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		const char *q;

		if (eol == NULL)
			eol = end;
		if ((size_t)(eol - p) > klen && strncasecmp(p, key, klen) == 0) {
			for (q = p + klen; q < eol && (*q == ' ' || *q == '\t'); q++)
				;
			if (q < eol && *q == ':')
				return true;
		}
		p = eol < end ? eol + 1 : end;
	}
	return false;
}

/* fields_flush - store the field collected so far, if it has a value */
static size_t
fields_flush(struct kvlist *out, const char *name, size_t nlen,
    const struct buf *val)
{
	char *key, *clean;
	size_t added = 0;

	if (name == NULL)
		return 0;
	clean = fields_clean_value(val->s, val->len);
	if (*clean != '\0') {
		key = xstrndup(name, nlen);
		kvlist_add(out, key, clean);
		free(key);
		added = 1;
	}
	free(clean);
	return added;
}

/* fields_split - the header-like grammar of report bodies */
size_t
fields_split(const char *data, size_t len, struct kvlist *out)
{
	const char *p = data, *end = data + len, *name = NULL;
	size_t nlen = 0, count = 0;
	struct buf val;

	buf_init(&val);
	while (p < end && count < FIELDS_MAX) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		const char *line = p, *colon, *ne;
		size_t llen;

		if (eol == NULL)
			eol = end;
		p = eol < end ? eol + 1 : end;
		llen = (size_t)(eol - line);
		if (llen > 0 && line[llen - 1] == '\r')
			llen--;
		if ((line[0] == ' ' || line[0] == '\t') && llen > 0 &&
		    name != NULL) {
			/* folded line: one space for the fold; stop growing
			 * once past the cut */
			size_t ws = 0;

			while (ws < llen && (line[ws] == ' ' || line[ws] == '\t'))
				ws++;
			llen -= ws;
			if (val.len <= FIELDS_VALUE_MAX && llen > 0) {
				buf_putc(&val, ' ');
				buf_append(&val, line + ws, llen > FIELDS_VALUE_MAX ?
				    FIELDS_VALUE_MAX : llen);
			}
			continue;
		}
		count += fields_flush(out, name, nlen, &val);
		name = NULL;
		buf_reset(&val);
		if ((colon = memchr(line, ':', llen)) == NULL)
			continue;
		for (ne = colon; ne > line && (ne[-1] == ' ' || ne[-1] == '\t'); ne--)
			;
		if (!fields_name_ok(line, (size_t)(ne - line)))
			continue;
		name = line;
		nlen = (size_t)(ne - line);
		llen -= (size_t)(colon + 1 - line);
		buf_append(&val, colon + 1, llen > FIELDS_VALUE_MAX + 1 ?
		    FIELDS_VALUE_MAX + 1 : llen);
	}
	if (count < FIELDS_MAX)
		count += fields_flush(out, name, nlen, &val);
	buf_free(&val);
	return count;
}

/* fields_unquote_one - strip the quotes around one value */
static void
fields_unquote_one(struct kv *kv)
{
	size_t n = strlen(kv->val);
	char *s;

	if (n < 2 || (kv->val[0] != '"' && kv->val[0] != '\'') ||
	    kv->val[n - 1] != kv->val[0])
		return;
	kv->val[n - 1] = '\0';
	s = xstrdup(str_trim(kv->val + 1));
	free(kv->val);
	kv->val = s;
}

/* fields_unquote - hand-written YAML quotes its values; the fallback
 * reader for broken YAML must not keep the quotes */
void
fields_unquote(struct kvlist *kl)
{
	for (size_t i = 0; i < kl->n; i++)
		fields_unquote_one(&kl->v[i]);
}
