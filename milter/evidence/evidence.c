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
 * Order of sources, first hit wins (ips and ports collect every
 * structured value):
 *	ips		acns.IP_Address, xarf.Source (when it is an address
 *			or a URL on an address), arf.Source-IP; else
 *			extract_ips(own text)
 *	ports		acns.Port, xarf.Port; else extract_ports(own text)
 *	case_id		acns.Case-ID, xarf.Report-ID, Subject, own text
 *	reporter	acns.Email, xarf.Reported-From, Reply-To, From
 *	timestamp	acns.TimeStamp, xarf.Date, arf.Arrival-Date; else
 *			extract_timestamp(own text). The Date header is when
 *			the complaint was sent, not when the incident was,
 *			so it is never used.
 *
 * evidence_addr_spec() is the bare-address helper the reporter, the
 * reply policy and the configuration use.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "parse/acns.h"
#include "parse/arf.h"
#include "evidence/evidence.h"
#include "evidence/extract.h"
#include "evidence/ipaddr.h"
#include "parse/rfc5322.h"
#include "util/util.h"
#include "parse/xarf.h"

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

/* ev_add_ip - canonicalise a structured address value and add it */
static void
ev_add_ip(struct evidence *ev, const char *value)
{
	char canon[IP_CANON_MAX];
	char *copy = xstrdup(value);
	char *t = ev_url_host(str_trim(copy));

	if (*t != '\0' && ip_canonical(t, strlen(t), canon, sizeof(canon)))
		strvec_push_unique(&ev->ips, canon);
	free(copy);
}

/* ev_add_port - add a port once */
static void
ev_add_port(struct evidence *ev, long port)
{
	for (size_t i = 0; i < ev->nports; i++)
		if (ev->ports[i] == port)
			return;
	ev->ports = xrealloc(ev->ports, (ev->nports + 1) * sizeof(int));
	ev->ports[ev->nports++] = (int)port;
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

/* ev_collect_ips - structured addresses, else the own text's offenders,
 * else, for a complaint that is only an attached message, the Subject's
 * ("complaint about message from 192.0.2.222" over the spam). Not for
 * other mail: an auto-reply's Subject quotes our own. */
static void
ev_collect_ips(const struct parsed_msg *m, struct evidence *ev,
    const char *own)
{
	const char *subject;

	static const char *const keys[] = {"acns.IP_Address", "xarf.Source",
	    "arf.Source-IP", NULL};

	for (int k = 0; keys[k]; k++)
		for (size_t i = 0; i < ev->fields.n; i++)
			if (strcasecmp(ev->fields.v[i].key, keys[k]) == 0)
				ev_add_ip(ev, ev->fields.v[i].val);
	if (ev->ips.n == 0)
		extract_ips(own, &ev->ips);
	if (ev->ips.n == 0 && m->evidence.len > 0 &&
	    strspn(own, " \t\r\n") == strlen(own) &&
	    (subject = parsed_msg_header(m, "Subject")) != NULL)
		extract_ips(subject, &ev->ips);
}

/* ev_collect_ports - structured ports, else ports in the own text */
static void
ev_collect_ports(struct evidence *ev, const char *own)
{
	static const char *const keys[] = {"acns.Port", "xarf.Port", NULL};
	long port;

	for (int k = 0; keys[k]; k++)
		for (size_t i = 0; i < ev->fields.n; i++)
			if (strcasecmp(ev->fields.v[i].key, keys[k]) == 0 &&
			    (port = ev_port_value(ev->fields.v[i].val)) > 0)
				ev_add_port(ev, port);
	if (ev->nports == 0)
		extract_ports(own, &ev->ports, &ev->nports);
}

static const char *ev_bare_local(char *whole);

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

/* ev_collect_case_id - report fields, then the Subject, then own text */
static void
ev_collect_case_id(const struct parsed_msg *m, struct evidence *ev,
    const char *own)
{
	const char *subject;

	ev->case_id = ev_structured_id(kvlist_get(&ev->fields,
	    "acns.Case-ID"));
	if (ev->case_id == NULL)
		ev->case_id = ev_structured_id(kvlist_get(&ev->fields,
		    "xarf.Report-ID"));
	if (ev->case_id == NULL &&
	    (subject = parsed_msg_header(m, "Subject")) != NULL)
		ev->case_id = extract_case_id_subject(subject);
	if (ev->case_id == NULL)
		ev->case_id = extract_case_id_text(own);
}

/* ev_collect_reporter - the complainant's own address */
static void
ev_collect_reporter(const struct parsed_msg *m, struct evidence *ev)
{
	const char *v;

	if ((v = kvlist_get(&ev->fields, "acns.Email")) != NULL)
		ev->reporter = evidence_addr_spec(v);
	if (ev->reporter == NULL &&
	    (v = kvlist_get(&ev->fields, "xarf.Reported-From")) != NULL)
		ev->reporter = evidence_addr_spec(v);
	if (ev->reporter == NULL &&
	    (v = parsed_msg_header(m, "Reply-To")) != NULL)
		ev->reporter = evidence_addr_spec(v);
	if (ev->reporter == NULL && (v = parsed_msg_header(m, "From")) != NULL)
		ev->reporter = evidence_addr_spec(v);
}

/* ev_collect_timestamp - report times, else the first time in own text */
static void
ev_collect_timestamp(struct evidence *ev, const char *own)
{
	static const char *const keys[] = {"acns.TimeStamp", "xarf.Date",
	    "arf.Arrival-Date", NULL};
	const char *v;

	for (int k = 0; keys[k] && ev->timestamp == NULL; k++)
		if ((v = kvlist_get(&ev->fields, keys[k])) != NULL)
			ev->timestamp = timestamp_normalize(v);
	if (ev->timestamp == NULL)
		ev->timestamp = extract_timestamp(own);
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
};

/* evidence_reports - every report parser of the table, in order */
void
evidence_reports(const struct parsed_msg *m, struct kvlist *fields)
{
	for (size_t i = 0; i < sizeof(ev_reports) / sizeof(ev_reports[0]); i++)
		ev_reports[i].parse(m, fields);
}

/* evidence_collect - see evidence.h and the top of this file */
void
evidence_collect(const struct parsed_msg *m, struct evidence *ev)
{
	char *own;

	evidence_reports(m, &ev->fields);
	own = extract_own_text(m->text.s != NULL ? m->text.s : "");
	ev_collect_ips(m, ev, own);
	ev_collect_ports(ev, own);
	ev_collect_case_id(m, ev, own);
	ev_collect_reporter(m, ev);
	ev_collect_timestamp(ev, own);
	free(own);
}

/* addr_scan - where a header value's syntax stands at one byte */
struct addr_scan {
	bool quoted;		/* inside "..." */
	int comment;		/* depth of (...) */
	bool angle;		/* inside <...> */
};

/* addr_step - advance the scan state over *p; returns how many bytes
 * the step took (2 for a quoted pair) and whether *p is syntax */
static size_t
addr_step(struct addr_scan *st, const char *p, bool *syntax)
{
	*syntax = true;
	if ((st->quoted || st->comment) && p[0] == '\\' && p[1] != '\0') {
		*syntax = false;
		return 2;
	}
	if (st->quoted) {
		st->quoted = *p != '"';
		*syntax = *p == '"';
	} else if (*p == '(')
		st->comment++;
	else if (st->comment)
		st->comment -= *p == ')';
	else if (*p == '"')
		st->quoted = true;
	else if (*p == '<')
		st->angle = true;
	else if (*p == '>')
		st->angle = false;
	else
		*syntax = false;
	return 1;
}

/* addr_mailbox - the bare address of one mailbox value[0..len): the last
 * <angle-addr>, else the text outside comments; NULL when invalid */
static char *
addr_mailbox(const char *value, size_t len)
{
	struct addr_scan st = {false, 0, false};
	struct buf plain, angle;
	char *cand, *at, *out = NULL;
	bool syntax, in_angle = false, have_angle = false;
	size_t n;

	buf_init(&plain);
	buf_init(&angle);
	for (size_t i = 0; i < len; i += n) {
		bool was_comment = st.comment > 0, was_quoted = st.quoted;

		n = addr_step(&st, value + i, &syntax);
		if (was_comment || st.comment > 0)
			continue;	/* comments say nothing */
		if (syntax && !was_quoted && value[i] == '<') {
			buf_reset(&angle);
			in_angle = have_angle = true;
		} else if (syntax && !was_quoted && value[i] == '>')
			in_angle = false;
		else
			buf_append(in_angle ? &angle : &plain, value + i, n);
	}
	cand = str_trim(have_angle ? angle.s : plain.s);
	if (str_has_prefix_nocase(cand, "mailto:"))
		cand += 7;
	if ((at = strrchr(cand, '@')) != NULL) {
		str_lower(at);
		if (rfc5322_addr_spec_valid(cand))
			out = xstrdup(cand);
	}
	buf_free(&plain);
	buf_free(&angle);
	return out;
}

/* evidence_addr_spec - first mailbox of a list that yields an address */
char *
evidence_addr_spec(const char *header_value)
{
	struct addr_scan st = {false, 0, false};
	const char *p, *start;
	char *addr;
	bool syntax;

	if (header_value == NULL)
		return NULL;
	for (p = start = header_value;; ) {
		if (*p == '\0' || (*p == ',' && !st.quoted && !st.comment &&
		    !st.angle)) {
			addr = addr_mailbox(start, (size_t)(p - start));
			if (addr != NULL || *p == '\0')
				return addr;
			start = ++p;
			continue;
		}
		p += addr_step(&st, p, &syntax);
	}
}
