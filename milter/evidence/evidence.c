/*
 * evidence.c - combine what the report parsers and the free-text
 * extractors found in a complaint into one struct evidence.
 *
 *	struct evidence ev;
 *	evidence_init(&ev);
 *	evidence_collect(&parsed, &ev);
 *	... ev.ips, ev.ports, ev.case_id, ev.reporter, ev.timestamp,
 *	    kvlist_get(&ev.fields, "arf.Feedback-Type") ...
 *	evidence_free(&ev);
 *
 * A structured report (ACNS, X-ARF, ARF) says exactly what it means, so
 * its fields win; free text is read only for what no report said. Free
 * text means the complaint's own text with quoted earlier mail removed
 * (extract_own_text), never the evidence parts: an ARF report's original
 * spam, or our own earlier reply, names addresses that are not the
 * offender.
 *
 * Two tables drive it. ev_reports lists the report parsers in the order
 * they run; ev_values gives, per evidence value (ips, ports, case_id,
 * reporter, timestamp), the report fields in order of trust and where to
 * look when none of them gives the value: the own text, the Subject (ids,
 * and the ips of a complaint that is only an attached message), the
 * Received: chain of a forwarded message (its origin and arrival time,
 * extract_origin.c), Reply-To and From (reporter). The Date header is
 * when the complaint was sent, not when the incident was: it only
 * settles what a time in the text leaves open (extract_time_sent.c). A
 * new report format is its parser, one line in ev_reports, its keys in
 * ev_values, its test.
 *
 * The reporter is read with rfc5322_addr_first, the one reader of
 * address header values.
 */
#include "evidence/evidence.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "evidence/extract.h"
#include "evidence/ipaddr.h"
#include "parse/acns.h"
#include "parse/arf.h"
#include "parse/rfc5322.h"
#include "parse/xarf.h"
#include "util/util.h"

/* longest structured case id kept: anything longer is not an id (and
 * the id goes into a header line, which must stay short) */
#define EV_CASE_ID_MAX	128

/* evidence_init - an empty evidence record */
void
evidence_init(struct evidence *ev)
{
	strvec_init(&ev->ips);
	ev->ports = NULL;
	ev->nports = 0;
	ev->case_id = NULL;
	ev->reporter = NULL;
	ev->timestamp = NULL;
	kvlist_init(&ev->fields);
}

/* evidence_free - release everything; ev is empty (and reusable) after */
void
evidence_free(struct evidence *ev)
{
	strvec_free(&ev->ips);
	free(ev->ports);
	free(ev->case_id);
	free(ev->reporter);
	free(ev->timestamp);
	kvlist_free(&ev->fields);
	evidence_init(ev);
}

/* ev_url_host - the host of "scheme://host[:port]/...", in place; a
 * reported URL whose host is an address names the offender */
static char *
ev_url_host(char *url)
{
	char *host = strstr(url, "://"), *end;

	if (host == NULL)
		return url;
	host += 3;
	if (*host == '[' && (end = strchr(host, ']')) != NULL) {
		*end = '\0';
		return host + 1;
	}
	host[strcspn(host, ":/?#")] = '\0';
	return host;
}

/* ev_port_value - a structured port: digits, optionally "/tcp"; 0 when
 * it is anything else */
static long
ev_port_value(const char *value)
{
	long port = 0;
	const char *p = value;

	while (*p == ' ' || *p == '\t')
		p++;
	if (!isdigit((unsigned char)*p))
		return 0;
	for (; isdigit((unsigned char)*p); p++) {
		port = port * 10 + (*p - '0');
		if (port > 65535)
			return 0;
	}
	while (*p == ' ' || *p == '\t')
		p++;
	if (*p != '\0' && *p != '/')
		return 0;
	return port;
}

/* ev_bare_local - X-ARF senders write ids as "ID@their.domain" or as a
 * tagged address "takedown-response+ID@their.domain": what a desk quotes
 * is the ID. Only when that part carries a digit; else unchanged. */
static const char *
ev_bare_local(char *whole)
{
	char *at = strrchr(whole, '@'), *id = whole, *plus;

	if (at == NULL || at == whole || strchr(at + 1, '.') == NULL ||
	    strpbrk(whole, " <>\"") != NULL)
		return whole;
	*at = '\0';
	plus = strrchr(whole, '+');
	if (plus != NULL && plus[1] != '\0')
		id = plus + 1;
	if (strpbrk(id, "0123456789") == NULL) {
		*at = '@';	/* not an id after all: keep what was written */
		return whole;
	}
	return id;
}

/* ev_structured_id - a report's id field as a bare id, or NULL */
static char *
ev_structured_id(const char *value)
{
	char *copy, *t;
	bool control = false;

	if (value == NULL)
		return NULL;
	copy = xstrdup(value);
	t = str_trim(copy);
	if (*t == '#')
		t = str_trim(t + 1);
	for (const char *p = t; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			control = true;
	if (control || *t == '\0' || strlen(t) > EV_CASE_ID_MAX) {
		free(copy);
		return NULL;
	}
	t = xstrdup(ev_bare_local(t));
	free(copy);
	return t;
}

/* ev_take_ip - a structured address value (or a URL on an address),
 * canonical; true when it is one */
static bool
ev_take_ip(struct evidence *ev, const char *value)
{
	char canon[IP_CANON_MAX];
	char *copy = xstrdup(value);
	char *t = ev_url_host(str_trim(copy));
	bool ok = *t != '\0' &&
	    ip_canonical(t, strlen(t), canon, sizeof(canon));

	if (ok)
		strvec_push_unique(&ev->ips, canon);
	free(copy);
	return ok;
}

/* ev_take_port - a structured port, added once; true when it is one */
static bool
ev_take_port(struct evidence *ev, const char *value)
{
	long port = ev_port_value(value);

	if (port <= 0)
		return false;
	extract_port_append(&ev->ports, &ev->nports, (int)port);
	return true;
}

/* ev_take_case_id - a report's id field as a bare id */
static bool
ev_take_case_id(struct evidence *ev, const char *value)
{
	return (ev->case_id = ev_structured_id(value)) != NULL;
}

/* ev_take_reporter - a report's address field as a bare address */
static bool
ev_take_reporter(struct evidence *ev, const char *value)
{
	return (ev->reporter = rfc5322_addr_first(value)) != NULL;
}

/* ev_take_timestamp - a report's time field, normalised to UTC */
static bool
ev_take_timestamp(struct evidence *ev, const char *value)
{
	return (ev->timestamp = timestamp_normalize(value)) != NULL;
}

/* ev_src - what the fallbacks read when no report field gave a value */
struct ev_src {
	const struct parsed_msg *m;
	const char *own;	/* the complaint's own text, quotes removed */
	struct strvec origins;	/* where the forwarded messages came from */
	char *origin_date;	/* when the first of them arrived, as written */
};

/* ev_text_ips - the own text's offenders, else, for a complaint that is
 * only an attached message, the Subject's ("complaint about message from
 * 192.0.2.222" over the spam; not for other mail: an auto-reply's
 * Subject quotes our own), else where the forwarded messages came from */
static void
ev_text_ips(const struct ev_src *src, struct evidence *ev)
{
	const char *subject;

	extract_ips(src->own, &ev->ips);
	if (ev->ips.n == 0 && src->m->evidence.len > 0 &&
	    strspn(src->own, " \t\r\n") == strlen(src->own) &&
	    (subject = parsed_msg_header(src->m, "Subject")) != NULL)
		extract_ips(subject, &ev->ips);
	for (size_t i = 0; ev->ips.n == 0 && i < src->origins.n; i++)
		strvec_push(&ev->ips, src->origins.v[i]);
}

/* ev_text_ports - the ports the own text reports */
static void
ev_text_ports(const struct ev_src *src, struct evidence *ev)
{
	extract_ports(src->own, &ev->ports, &ev->nports);
}

/* ev_text_case_id - the Subject's id, else the own text's */
static void
ev_text_case_id(const struct ev_src *src, struct evidence *ev)
{
	const char *subject = parsed_msg_header(src->m, "Subject");

	if (subject != NULL)
		ev->case_id = extract_case_id_subject(subject);
	if (ev->case_id == NULL)
		ev->case_id = extract_case_id_text(src->own);
}

/* ev_header_reporter - the address to answer: Reply-To, else From */
static void
ev_header_reporter(const struct ev_src *src, struct evidence *ev)
{
	const char *v;

	if ((v = parsed_msg_header(src->m, "Reply-To")) != NULL)
		ev->reporter = rfc5322_addr_first(v);
	if (ev->reporter == NULL &&
	    (v = parsed_msg_header(src->m, "From")) != NULL)
		ev->reporter = rfc5322_addr_first(v);
}

/* ev_text_timestamp - the first incident time in the own text, else
 * when the forwarded message reached the complainant; never the Date
 * header, which says when the complaint was sent */
static void
ev_text_timestamp(const struct ev_src *src, struct evidence *ev)
{
	ev->timestamp = extract_timestamp_sent(src->own,
	    parsed_msg_header(src->m, "Date"));
	if (ev->timestamp == NULL && src->origin_date != NULL)
		ev->timestamp = timestamp_normalize(src->origin_date);
}

/* ev_xarf_in_arf - the XARF JSON document that a "Feedback-Type: xarf"
 * report carries beside it: arf.c finds it, xarf.c reads it */
static bool
ev_xarf_in_arf(const struct parsed_msg *m, struct kvlist *fields)
{
	const struct msg_part *json = arf_xarf_json(m);

	return json != NULL && xarf_parse_json(json->data, json->len, fields);
}

/* the report parsers, run in this order; each appends "report" = NAME
 * and its NAME.* fields when it finds its report. A new format is one
 * line here (and its keys in ev_values below). */
static const struct ev_report {
	const char *name;
	bool (*parse)(const struct parsed_msg *m, struct kvlist *fields);
} ev_reports[] = {
	{"arf", arf_parse},
	{"xarf", ev_xarf_in_arf},	/* right after its ARF report */
	{"xarf", xarf_parse},
	{"acns", acns_parse},
	{"csv", csv_report},		/* tables: extract_csv.c */
};

/* evidence_reports - every report parser of the table, in order */
void
evidence_reports(const struct parsed_msg *m, struct kvlist *fields)
{
	for (size_t i = 0; i < sizeof(ev_reports) / sizeof(ev_reports[0]); i++)
		ev_reports[i].parse(m, fields);
}

/* per evidence value: the report fields that give it, most trusted first;
 * how one field value is taken (false: unusable, try the next); and where
 * to look when no field gave one. A list (every) takes every usable
 * field of every key; a single value takes the first usable one, trying
 * the first field of each key. */
static const struct ev_value {
	const char *name;
	const char *keys[6];		/* NULL-terminated */
	bool every;
	bool (*take)(struct evidence *ev, const char *value);
	void (*fallback)(const struct ev_src *src, struct evidence *ev);
} ev_values[] = {
	{"ips", {"acns.IP_Address", "xarf.Source", "arf.Source-IP",
	    "csv.Source", NULL}, true, ev_take_ip, ev_text_ips},
	{"ports", {"acns.Port", "xarf.Port", "csv.Port", NULL},
	    true, ev_take_port, ev_text_ports},
	{"case_id", {"acns.Case-ID", "xarf.Report-ID", NULL},
	    false, ev_take_case_id, ev_text_case_id},
	{"reporter", {"acns.Email", "xarf.Reported-From", NULL},
	    false, ev_take_reporter, ev_header_reporter},
	{"timestamp", {"acns.TimeStamp", "xarf.Date", "arf.Arrival-Date",
	    "csv.Timestamp", NULL}, false, ev_take_timestamp,
	    ev_text_timestamp},
};

/* ev_from_fields - one value from the report fields; true when a field
 * gave it */
static bool
ev_from_fields(const struct ev_value *val, struct evidence *ev)
{
	const struct kvlist *f = &ev->fields;
	bool taken = false;
	const char *v;

	for (size_t k = 0; val->keys[k] != NULL; k++) {
		if (!val->every) {
			if ((v = kvlist_get(f, val->keys[k])) != NULL &&
			    val->take(ev, v))
				return true;
			continue;
		}
		for (size_t i = 0; i < f->n; i++)
			if (strcasecmp(f->v[i].key, val->keys[k]) == 0)
				taken |= val->take(ev, f->v[i].val);
	}
	return taken;
}

/* ev_count_offenders - the field "offenders": how many addresses were
 * reported, for rules that ask whether a complaint names one, or several
 * changing ones (counting every address of the text would count the
 * victims, relays and the reporter's own servers too) */
static void
ev_count_offenders(struct evidence *ev)
{
	char n[24];

	snprintf(n, sizeof n, "%zu", ev->ips.n);
	kvlist_add(&ev->fields, "offenders", n);
}

/* evidence_collect - see evidence.h and the top of this file */
void
evidence_collect(const struct parsed_msg *m, struct evidence *ev)
{
	struct ev_src src;
	char *own;

	evidence_reports(m, &ev->fields);
	own = extract_own_text(m->text.s != NULL ? m->text.s : "");
	src.m = m;
	src.own = own;
	strvec_init(&src.origins);
	extract_origins(m, &src.origins, &src.origin_date);
	for (size_t i = 0; i < sizeof(ev_values) / sizeof(ev_values[0]); i++)
		if (!ev_from_fields(&ev_values[i], ev))
			ev_values[i].fallback(&src, ev);
	ev_count_offenders(ev);
	strvec_free(&src.origins);
	free(src.origin_date);
	free(own);
}
