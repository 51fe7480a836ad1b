/*
 * arf.c - read an RFC 5965 feedback report (ARF) out of a parsed message.
 *
 * Usage: if (arf_parse(msg, &ev->fields)) ...; see arf.h.
 *
 * The report is the message/feedback-report part: header-like
 * "Field: value" lines. Fields are stored under the RFC's spelling
 * (feedback loops write "Source-Ip" and the older "Received-Date"), so
 * rules need to know one name per field. The message/rfc822 part beside
 * it is evidence (mime.c keeps it apart) and is never read here.
 *
 * Real reports are not always clean: a field line without colon, binary
 * bytes or an endless value are skipped or cut, never fatal.
 */
#include "parse/arf.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "parse/xarf.h"
#include "util/utf8.h"

/* a feedback report is a few hundred bytes; never scan more than this */
#define ARF_SCAN_MAX	(64 * 1024)

/* canonical names of RFC 5965, 6591 and 6692 fields */
static const char *const arf_names[] = {
	"Feedback-Type", "User-Agent", "Version", "Original-Envelope-Id",
	"Original-Mail-From", "Arrival-Date", "Reporting-MTA", "Source-IP",
	"Source-Port", "Incidents", "Authentication-Results",
	"Original-Rcpt-To", "Reported-Domain", "Reported-URI",
	"Removal-Recipient", "Delivery-Result", "Auth-Failure",
	"Identity-Alignment", "DKIM-Domain", "DKIM-Identity", "DKIM-Selector",
	"DKIM-Canonicalized-Header", "DKIM-Canonicalized-Body", "SPF-DNS",
	NULL,
};

/* arf_field_name_ok - field names are tokens; anything else is prose */
bool
arf_field_name_ok(const char *s, size_t n)
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

/* arf_clean_value - values end up in rules, logs and JSON: make them safe */
char *
arf_clean_value(const char *s, size_t n)
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
	while (i < n) {
		/* a character is copied whole or not at all */
		int k = p[i] < 0x80 ? 1 : utf8_seq(s + i, n - i, NULL);
		size_t len = k > 0 ? (size_t)k : 1;
		const char *piece = s + i;

		if (p[i] < 0x20 || p[i] == 0x7F)
			piece = " ";
		else if (k <= 0)
			piece = "?";
		if (b.len + len > ARF_VALUE_MAX)
			break;
		buf_append(&b, piece, len);
		i += len;
	}
	out = xstrdup(str_trim(b.s));
	buf_free(&b);
	return out;
}

/* arf_line_has_key - cheap test whether a part reads like a report */
bool
arf_line_has_key(const char *data, size_t len, const char *key)
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
		p = eol + 1;
	}
	return false;
}

/* arf_flush - store the field collected so far, if it has a value */
static size_t
arf_flush(struct kvlist *out, const char *name, size_t nlen,
    const struct buf *val)
{
	char *key, *clean;
	size_t added = 0;

	if (name == NULL)
		return 0;
	clean = arf_clean_value(val->s, val->len);
	if (*clean != '\0') {
		key = xstrndup(name, nlen);
		kvlist_add(out, key, clean);
		free(key);
		added = 1;
	}
	free(clean);
	return added;
}

/* arf_split_fields - the header-like grammar of report bodies */
size_t
arf_split_fields(const char *data, size_t len, struct kvlist *out)
{
	const char *p = data, *end = data + len, *name = NULL;
	size_t nlen = 0, count = 0;
	struct buf val;

	buf_init(&val);
	while (p < end && count < ARF_FIELDS_MAX) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		const char *line = p, *colon, *ne;
		size_t llen;

		if (eol == NULL)
			eol = end;
		p = eol + 1;
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
			if (val.len <= ARF_VALUE_MAX && llen > 0) {
				buf_putc(&val, ' ');
				buf_append(&val, line + ws, llen > ARF_VALUE_MAX ?
				    ARF_VALUE_MAX : llen);
			}
			continue;
		}
		count += arf_flush(out, name, nlen, &val);
		name = NULL;
		buf_reset(&val);
		if ((colon = memchr(line, ':', llen)) == NULL)
			continue;
		for (ne = colon; ne > line && (ne[-1] == ' ' || ne[-1] == '\t'); ne--)
			;
		if (!arf_field_name_ok(line, (size_t)(ne - line)))
			continue;
		name = line;
		nlen = (size_t)(ne - line);
		llen -= (size_t)(colon + 1 - line);
		buf_append(&val, colon + 1, llen > ARF_VALUE_MAX + 1 ?
		    ARF_VALUE_MAX + 1 : llen);
	}
	if (count < ARF_FIELDS_MAX)
		count += arf_flush(out, name, nlen, &val);
	buf_free(&val);
	return count;
}

/* arf_canonical - the RFC spelling of a field name, or NULL if unknown */
static const char *
arf_canonical(const char *name)
{
	if (strcasecmp(name, "Received-Date") == 0)
		return "Arrival-Date";
	for (size_t i = 0; arf_names[i] != NULL; i++)
		if (strcasecmp(name, arf_names[i]) == 0)
			return arf_names[i];
	return NULL;
}

/* arf_top_is_report - top-level Content-Type names a feedback report */
static bool
arf_top_is_report(const struct parsed_msg *m)
{
	for (size_t i = 0; i < m->nhdrs; i++) {
		const char *v = m->hdrs[i].value, *p;

		if (strcasecmp(m->hdrs[i].name, "Content-Type") != 0 || v == NULL)
			continue;
		if ((p = strcasestr(v, "report-type")) == NULL)
			return false;
		p += strlen("report-type");
		p += strspn(p, " \t");
		if (*p++ != '=')
			return false;
		p += strspn(p, " \t\"");
		return strncasecmp(p, "feedback-report", 15) == 0;
	}
	return false;
}

/* arf_usable - a part that the complainant sent, not quoted evidence */
static bool
arf_usable(const struct msg_part *pt)
{
	return pt->role != PART_EVIDENCE && pt->data != NULL && pt->len > 0;
}

/* arf_scan_len - how much of a part to read */
static size_t
arf_scan_len(const struct msg_part *pt)
{
	return pt->len > ARF_SCAN_MAX ? ARF_SCAN_MAX : pt->len;
}

/* arf_find_report - the feedback-report part; when the MIME type was lost
 * but the message says it is a report, a part that reads like one */
static const struct msg_part *
arf_find_report(const struct parsed_msg *m)
{
	for (size_t i = 0; i < m->nparts; i++)
		if (arf_usable(&m->parts[i]) && m->parts[i].content_type != NULL &&
		    strcmp(m->parts[i].content_type, "message/feedback-report") == 0)
			return &m->parts[i];
	if (!arf_top_is_report(m))
		return NULL;
	for (size_t i = 0; i < m->nparts; i++)
		if (arf_usable(&m->parts[i]) &&
		    arf_line_has_key(m->parts[i].data, arf_scan_len(&m->parts[i]),
		    "Feedback-Type"))
			return &m->parts[i];
	return NULL;
}

/* arf_has_suffix - case-insensitive file name suffix test */
static bool
arf_has_suffix(const char *s, const char *suffix)
{
	size_t n, k = strlen(suffix);

	if (s == NULL || (n = strlen(s)) < k)
		return false;
	return strcasecmp(s + n - k, suffix) == 0;
}

/* arf_find_json - the JSON document of the "Feedback-Type: xarf" form */
static const struct msg_part *
arf_find_json(const struct parsed_msg *m, const struct msg_part *skip)
{
	for (size_t i = 0; i < m->nparts; i++) {
		const struct msg_part *pt = &m->parts[i];

		if (pt == skip || !arf_usable(pt))
			continue;
		if ((pt->content_type != NULL &&
		    strcmp(pt->content_type, "application/json") == 0) ||
		    arf_has_suffix(pt->filename, ".json"))
			return pt;
	}
	for (size_t i = 0; i < m->nparts; i++) {
		const struct msg_part *pt = &m->parts[i];

		if (pt != skip && arf_usable(pt) &&
		    pt->data[strspn(pt->data, " \t\r\n")] == '{')
			return pt;
	}
	return NULL;
}

/* arf_parse - see arf.h */
bool
arf_parse(const struct parsed_msg *m, struct kvlist *fields)
{
	const struct msg_part *pt, *json;
	struct kvlist raw;
	const char *type;

	if ((pt = arf_find_report(m)) == NULL)
		return false;
	kvlist_init(&raw);
	if (arf_split_fields(pt->data, arf_scan_len(pt), &raw) == 0) {
		kvlist_free(&raw);
		return false;
	}
	kvlist_add(fields, "report", "arf");
	for (size_t i = 0; i < raw.n; i++) {
		const char *canon = arf_canonical(raw.v[i].key);
		char *key = xasprintf("arf.%s", canon ? canon : raw.v[i].key);

		kvlist_add(fields, key, raw.v[i].val);
		free(key);
	}
	type = kvlist_get(&raw, "Feedback-Type");
	if (type != NULL && strcasecmp(type, "xarf") == 0 &&
	    (json = arf_find_json(m, pt)) != NULL)
		xarf_parse_json(json->data, json->len, fields);
	kvlist_free(&raw);
	return true;
}
