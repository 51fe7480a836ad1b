/*
 * arf.c - read an RFC 5965 feedback report (ARF) out of a parsed message.
 *
 * Usage: if (arf_parse(msg, &ev->fields)) ...; see arf.h.
 *
 * The report is the message/feedback-report part: header-like
 * "Field: value" lines (fields.c reads them). Fields are stored under the
 * RFC's spelling (feedback loops write "Source-Ip" and the older
 * "Received-Date"), so rules need to know one name per field. The
 * message/rfc822 part beside it is evidence (mime.c keeps it apart) and
 * is never read here.
 *
 * A "Feedback-Type: xarf" report carries an XARF JSON document beside
 * it; arf_xarf_json finds that part, and the caller decides what reads
 * it (evidence.c hands it to xarf.c).
 */
#include "parse/arf.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "parse/fields.h"

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
		if (msg_part_usable(&m->parts[i]) &&
		    msg_part_is(&m->parts[i], "message/feedback-report", NULL))
			return &m->parts[i];
	if (!arf_top_is_report(m))
		return NULL;
	for (size_t i = 0; i < m->nparts; i++)
		if (msg_part_usable(&m->parts[i]) &&
		    fields_line_has_key(m->parts[i].data, arf_scan_len(&m->parts[i]),
		    "Feedback-Type"))
			return &m->parts[i];
	return NULL;
}

/* arf_find_json - the JSON document of the "Feedback-Type: xarf" form */
static const struct msg_part *
arf_find_json(const struct parsed_msg *m, const struct msg_part *skip)
{
	for (size_t i = 0; i < m->nparts; i++) {
		const struct msg_part *pt = &m->parts[i];

		if (pt != skip && msg_part_usable(pt) &&
		    msg_part_is(pt, "application/json", ".json"))
			return pt;
	}
	for (size_t i = 0; i < m->nparts; i++) {
		const struct msg_part *pt = &m->parts[i];

		if (pt != skip && msg_part_usable(pt) &&
		    pt->data[strspn(pt->data, " \t\r\n")] == '{')
			return pt;
	}
	return NULL;
}

/* arf_parse - see arf.h */
bool
arf_parse(const struct parsed_msg *m, struct kvlist *fields)
{
	const struct msg_part *pt;
	struct kvlist raw;

	if ((pt = arf_find_report(m)) == NULL)
		return false;
	kvlist_init(&raw);
	if (fields_split(pt->data, arf_scan_len(pt), &raw) == 0) {
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
	kvlist_free(&raw);
	return true;
}

/* arf_xarf_json - see arf.h; the report is read again, which costs a
 * few hundred bytes, so that arf_parse needs no state between calls */
const struct msg_part *
arf_xarf_json(const struct parsed_msg *m)
{
	const struct msg_part *pt, *json = NULL;
	struct kvlist raw;
	const char *type;

	if ((pt = arf_find_report(m)) == NULL)
		return NULL;
	kvlist_init(&raw);
	fields_split(pt->data, arf_scan_len(pt), &raw);
	type = kvlist_get(&raw, "Feedback-Type");
	if (type != NULL && strcasecmp(type, "xarf") == 0)
		json = arf_find_json(m, pt);
	kvlist_free(&raw);
	return json;
}
