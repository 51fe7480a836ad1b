/*
 * xarf.c - read X-ARF abuse reports out of a parsed message.
 *
 * Usage: if (xarf_parse(msg, &ev->fields)) ...; see xarf.h.
 *
 * X-ARF 0.1 and 0.2 put the machine-readable report in a text part named
 * report.txt, written as YAML. Many senders write it by hand-rolled
 * templates that are not valid YAML ("Schema-URL: http: //..."), so when
 * libyaml fails or finds no mapping, the part is read as "Key: value"
 * lines instead (fields.c). libyaml is used through its event parser:
 * aliases are never resolved, so an anchor bomb costs nothing.
 *
 * XARF v3 is a JSON document (often beside an ARF report, see arf.h);
 * v4 renamed its keys. Both are mapped onto the 0.2 key names so that
 * rules and the evidence code see one vocabulary.
 *
 * Keys are stored as "xarf.<Key>" in the X-ARF spelling when known,
 * otherwise as written.
 */
#include "parse/xarf.h"

#include <arpa/inet.h>
#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <yaml.h>

#include "parse/fields.h"

/* a report.txt is well under 1 KB; never hand more to a parser */
#define XARF_SCAN_MAX	(64 * 1024)
/* how far into a part to look for report keys */
#define XARF_PEEK_MAX	(8 * 1024)
/* nesting deeper than this is no report (and may be an attack) */
#define XARF_DEPTH_MAX	16
/* JSON reports carry samples, but not more than a message may hold */
#define XARF_JSON_MAX	(8 * 1024 * 1024)

static const char *const xarf_names[] = {
	"Reported-From", "Category", "Report-Type", "Service", "Port", "Date",
	"Source-Type", "Source", "Report-ID", "Schema-URL", "Attachment",
	"Version", "User-Agent", NULL,
};

/* names some senders (cyscon's attachment, lower-case dialects) use for
 * the X-ARF keys; used only when the report lacks the real key */
static const char *const xarf_aliases[][2] = {
	{"ip", "Source"}, {"source-ip", "Source"}, {"source_ip", "Source"},
	{"src_ip", "Source"}, {"first_seen", "Date"}, {"report_id", "Report-ID"},
	{"reported_from", "Reported-From"}, {"report_type", "Report-Type"},
	{NULL, NULL},
};

/* xarf_canonical - the X-ARF spelling of a key, or NULL */
static const char *
xarf_canonical(const char *key)
{
	for (size_t i = 0; xarf_names[i] != NULL; i++)
		if (strcasecmp(key, xarf_names[i]) == 0)
			return xarf_names[i];
	return NULL;
}

/* xarf_alias - the X-ARF key an alias stands for, or NULL */
static const char *
xarf_alias(const char *key)
{
	for (size_t i = 0; xarf_aliases[i][0] != NULL; i++)
		if (strcasecmp(key, xarf_aliases[i][0]) == 0)
			return xarf_aliases[i][1];
	return NULL;
}

/* xarf_source_type - what a Source value is, for reports that omit it */
static const char *
xarf_source_type(const char *src)
{
	unsigned char addr[16];

	if (inet_pton(AF_INET, src, addr) == 1 ||
	    inet_pton(AF_INET6, src, addr) == 1)
		return "ip-address";
	if (strstr(src, "://") != NULL)
		return "uri";
	return NULL;
}

/* xarf_emit - append one report: "report" first, then its keys */
static void
xarf_emit(const struct kvlist *raw, struct kvlist *fields)
{
	struct kvlist got;
	const char *src, *type;

	kvlist_init(&got);
	for (size_t i = 0; i < raw->n; i++) {
		const char *key = xarf_canonical(raw->v[i].key);
		const char *alias = xarf_alias(raw->v[i].key);
		bool aliased = false;
		char *full;

		if (*raw->v[i].val == '\0')
			continue;
		if (key == NULL && alias != NULL && kvlist_get(raw, alias) == NULL) {
			key = alias;
			aliased = true;
		}
		if (key == NULL)
			key = raw->v[i].key;
		full = xasprintf("xarf.%s", key);
		/* of two aliases for one key, the first one counts */
		if (!(aliased && kvlist_get(&got, full) != NULL))
			kvlist_add(&got, full, raw->v[i].val);
		free(full);
	}
	if ((src = kvlist_get(&got, "xarf.Source")) != NULL &&
	    kvlist_get(&got, "xarf.Source-Type") == NULL &&
	    (type = xarf_source_type(src)) != NULL)
		kvlist_add(&got, "xarf.Source-Type", type);
	kvlist_add(fields, "report", "xarf");
	for (size_t i = 0; i < got.n; i++)
		kvlist_add(fields, got.v[i].key, got.v[i].val);
	kvlist_free(&got);
}

/* xarf_yaml - where the event walk stands in the top-level mapping */
struct xarf_yaml {
	bool in_map;		/* inside the first document's mapping */
	int skip;		/* depth inside a nested value we ignore */
	bool want_key;
	bool key_ok;
	char *key;
	struct kvlist *raw;
};

/* xarf_yaml_pair_done - a key or value finished that we cannot store */
static void
xarf_yaml_pair_done(struct xarf_yaml *st)
{
	if (st->want_key) {
		st->key_ok = false;
		st->want_key = false;
	} else {
		free(st->key);
		st->key = NULL;
		st->want_key = true;
	}
}

/* xarf_yaml_scalar - a key or a value of the top-level mapping */
static void
xarf_yaml_scalar(struct xarf_yaml *st, const yaml_event_t *ev)
{
	const char *s = (const char *)ev->data.scalar.value;
	size_t n = ev->data.scalar.length;
	char *val;

	if (st->want_key) {
		st->key_ok = fields_name_ok(s, n);
		st->key = st->key_ok ? xstrndup(s, n) : NULL;
		st->want_key = false;
		return;
	}
	val = fields_clean_value(s, n);
	if (st->key_ok && *val != '\0' && strcmp(val, "~") != 0 &&
	    st->raw->n < FIELDS_MAX)
		kvlist_add(st->raw, st->key, val);
	free(val);
	xarf_yaml_pair_done(st);	/* the value: the next key comes */
}

/* xarf_yaml_event - one step; 1 = mapping read, -1 = not usable, 0 = go on */
static int
xarf_yaml_event(struct xarf_yaml *st, const yaml_event_t *ev)
{
	if (!st->in_map) {
		if (ev->type == YAML_STREAM_START_EVENT ||
		    ev->type == YAML_DOCUMENT_START_EVENT)
			return 0;
		if (ev->type != YAML_MAPPING_START_EVENT)
			return -1;
		st->in_map = true;
		return 0;
	}
	switch (ev->type) {
	case YAML_MAPPING_START_EVENT:
	case YAML_SEQUENCE_START_EVENT:
		return ++st->skip > XARF_DEPTH_MAX ? -1 : 0;
	case YAML_MAPPING_END_EVENT:
	case YAML_SEQUENCE_END_EVENT:
		if (st->skip == 0)
			return 1;
		if (--st->skip == 0)
			xarf_yaml_pair_done(st);
		return 0;
	case YAML_SCALAR_EVENT:
		if (st->skip == 0)
			xarf_yaml_scalar(st, ev);
		return 0;
	case YAML_ALIAS_EVENT:
		/* never follow an alias: its value counts as absent */
		if (st->skip == 0)
			xarf_yaml_pair_done(st);
		return 0;
	default:
		return -1;
	}
}

/* xarf_yaml - the first document's top-level mapping; false when the text
 * is not YAML or not a mapping */
static bool
xarf_yaml(const char *data, size_t len, struct kvlist *raw)
{
	struct xarf_yaml st = {false, 0, true, false, NULL, raw};
	yaml_parser_t parser;
	yaml_event_t ev;
	int r = 0;

	if (!yaml_parser_initialize(&parser))
		return false;
	yaml_parser_set_input_string(&parser, (const unsigned char *)data, len);
	while (r == 0) {
		if (!yaml_parser_parse(&parser, &ev)) {
			r = -1;
			break;
		}
		if (ev.type == YAML_STREAM_END_EVENT)
			r = -1;
		else
			r = xarf_yaml_event(&st, &ev);
		yaml_event_delete(&ev);
	}
	free(st.key);
	yaml_parser_delete(&parser);
	return r == 1 && raw->n > 0;
}

/* xarf_parse_text - see xarf.h */
bool
xarf_parse_text(const char *data, size_t len, struct kvlist *fields)
{
	struct kvlist raw;
	bool found;

	if (len > XARF_SCAN_MAX)
		len = XARF_SCAN_MAX;
	kvlist_init(&raw);
	if (!xarf_yaml(data, len, &raw)) {
		kvlist_free(&raw);
		kvlist_init(&raw);
		fields_split(data, len, &raw);
		fields_unquote(&raw);
	}
	if ((found = raw.n > 0))
		xarf_emit(&raw, fields);
	kvlist_free(&raw);
	return found;
}

/* how XARF v3 and v4 JSON names map onto X-ARF keys; names compare
 * ignoring case, '-' and '_' so "SourceIp" and "source_ip" both match */
static const struct xarf_json_map {
	const char *key;
	const char *names[6];
} xarf_json_map[] = {
	{"Reported-From", {"ReporterContactEmail", "ReporterOrgEmail",
	    "ReportedFrom", "contact", "email", NULL}},
	{"Category", {"ReportClass", "Category", NULL}},
	{"Report-Type", {"ReportType", "Type", NULL}},
	{"Source", {"SourceIp", "SourceIpAddress", "Source", "SourceIdentifier",
	    NULL}},
	{"Source-Type", {"SourceType", NULL}},
	{"Port", {"SourcePort", "Port", NULL}},
	{"Date", {"Date", "Timestamp", "ReportDate", NULL}},
	{"Report-ID", {"ReportId", "Id", NULL}},
	{"Service", {"Service", NULL}},
	{"Version", {"Version", "XarfVersion", NULL}},
	{"User-Agent", {"UserAgent", NULL}},
	{NULL, {NULL}},
};

/* xarf_name_eq - compare two JSON key names, ignoring case, '-' and '_' */
static bool
xarf_name_eq(const char *a, const char *b)
{
	for (;;) {
		while (*a == '-' || *a == '_')
			a++;
		while (*b == '-' || *b == '_')
			b++;
		if (*a == '\0' || *b == '\0')
			return *a == *b;
		if ((*a | 0x20) != (*b | 0x20))
			return false;
		a++, b++;
	}
}

/* xarf_json_known - true when a key is one the map consumes */
static bool
xarf_json_known(const char *key)
{
	for (size_t i = 0; xarf_json_map[i].key != NULL; i++)
		for (size_t j = 0; xarf_json_map[i].names[j] != NULL; j++)
			if (xarf_name_eq(key, xarf_json_map[i].names[j]))
				return true;
	return false;
}

/* xarf_json_member - a member of an object by loose name, or NULL */
static struct json_object *
xarf_json_member(struct json_object *obj, const char *name)
{
	if (obj == NULL || !json_object_is_type(obj, json_type_object))
		return NULL;
	json_object_object_foreach(obj, key, val)
		if (xarf_name_eq(key, name))
			return val;
	return NULL;
}

/* xarf_json_scalar - a cleaned copy of a string/number/bool, or NULL */
static char *
xarf_json_scalar(struct json_object *v)
{
	enum json_type type = json_object_get_type(v);
	const char *s;
	size_t n;
	char *clean;

	if (type != json_type_string && type != json_type_int &&
	    type != json_type_double && type != json_type_boolean)
		return NULL;
	s = json_object_get_string(v);
	/* a string may hold NUL bytes; the text of a number cannot */
	n = type == json_type_string ?
	    (size_t)json_object_get_string_len(v) : strlen(s);
	clean = fields_clean_value(s, n);
	if (*clean == '\0') {
		free(clean);
		return NULL;
	}
	return clean;
}

/* xarf_json_map_fields - the mapped keys, searched in every container */
static void
xarf_json_map_fields(struct json_object **box, size_t nbox,
    struct kvlist *raw)
{
	for (size_t i = 0; xarf_json_map[i].key != NULL; i++) {
		char *val = NULL;

		for (size_t j = 0; val == NULL &&
		    xarf_json_map[i].names[j] != NULL; j++)
			for (size_t k = 0; val == NULL && k < nbox; k++)
				val = xarf_json_scalar(xarf_json_member(box[k],
				    xarf_json_map[i].names[j]));
		if (val != NULL)
			kvlist_add(raw, xarf_json_map[i].key, val);
		free(val);
	}
}

/* xarf_json_rest - other scalar members, under their own names */
static void
xarf_json_rest(struct json_object **box, size_t nbox, struct kvlist *raw)
{
	for (size_t k = 0; k < nbox; k++) {
		json_object_object_foreach(box[k], key, v) {
			char *val;

			if (raw->n >= FIELDS_MAX || xarf_json_known(key) ||
			    !fields_name_ok(key, strlen(key)) ||
			    kvlist_get(raw, key) != NULL ||
			    (val = xarf_json_scalar(v)) == NULL)
				continue;
			kvlist_add(raw, key, val);
			free(val);
		}
	}
}

/* xarf_json_doc - map a parsed document; false unless it is XARF */
static bool
xarf_json_doc(struct json_object *root, struct kvlist *raw)
{
	static const char *const boxes[] = {"Report", "ReporterInfo",
	    "Reporter", NULL};
	struct json_object *box[4], *b;
	size_t nbox = 0;

	if (!json_object_is_type(root, json_type_object))
		return false;
	for (size_t i = 0; boxes[i] != NULL; i++)
		if ((b = xarf_json_member(root, boxes[i])) != NULL &&
		    json_object_is_type(b, json_type_object))
			box[nbox++] = b;
	if (nbox == 0 && xarf_json_member(root, "XarfVersion") == NULL)
		return false;
	box[nbox++] = root;
	xarf_json_map_fields(box, nbox, raw);
	if (kvlist_get(raw, "Category") == NULL &&
	    kvlist_get(raw, "Report-Type") == NULL &&
	    kvlist_get(raw, "Source") == NULL &&
	    kvlist_get(raw, "Reported-From") == NULL)
		return false;
	xarf_json_rest(box, nbox, raw);
	return true;
}

/* xarf_parse_json - see xarf.h */
bool
xarf_parse_json(const char *json, size_t len, struct kvlist *fields)
{
	struct json_tokener *tok;
	struct json_object *root;
	struct kvlist raw;
	bool found = false;

	if (len == 0 || len > XARF_JSON_MAX)
		return false;
	tok = json_tokener_new_ex(XARF_DEPTH_MAX);
	root = json_tokener_parse_ex(tok, json, (int)len);
	if (root != NULL && json_tokener_get_error(tok) == json_tokener_success) {
		kvlist_init(&raw);
		if ((found = xarf_json_doc(root, &raw)))
			xarf_emit(&raw, fields);
		kvlist_free(&raw);
	}
	json_object_put(root);
	json_tokener_free(tok);
	return found;
}

/* xarf_header_hint - the sender says the message carries X-ARF */
static bool
xarf_header_hint(const struct parsed_msg *m)
{
	for (size_t i = 0; i < m->nhdrs; i++) {
		const char *n = m->hdrs[i].name, *v = m->hdrs[i].value;

		if ((strcasecmp(n, "X-ARF") == 0 || strcasecmp(n, "X-XARF") == 0 ||
		    strcasecmp(n, "Open-ARF") == 0) &&
		    (v == NULL || strncasecmp(v, "no", 2) != 0))
			return true;
	}
	return false;
}

/* xarf_peek_len - how much of a part the cheap tests look at */
static size_t
xarf_peek_len(const struct msg_part *pt)
{
	return pt->len > XARF_PEEK_MAX ? XARF_PEEK_MAX : pt->len;
}

/* xarf_looks_like - two of the three keys every X-ARF report has */
static bool
xarf_looks_like(const struct msg_part *pt)
{
	size_t n = xarf_peek_len(pt);

	return fields_line_has_key(pt->data, n, "Reported-From") +
	    fields_line_has_key(pt->data, n, "Category") +
	    fields_line_has_key(pt->data, n, "Report-Type") >= 2;
}

/* xarf_named_report - file name equal to, or with hint ending in, report.txt */
static bool
xarf_named_report(const struct msg_part *pt, bool hint)
{
	const char *f = pt->filename;

	if (f == NULL)
		return false;
	return strcasecmp(f, "report.txt") == 0 ||
	    (hint && str_has_suffix_nocase(f, "report.txt"));
}

/* xarf_is_json - a JSON part that may be a report; the keys of every
 * XARF version (Report, ReporterInfo, reporter, report_id) hold "eport" */
static bool
xarf_is_json(const struct msg_part *pt)
{
	return msg_part_is(pt, "application/json", ".json") &&
	    memmem(pt->data, xarf_peek_len(pt), "eport", 5) != NULL;
}

/* xarf_has_arf - an ARF report: its JSON is handed over by the caller
 * (arf_xarf_json), not found here */
static bool
xarf_has_arf(const struct parsed_msg *m)
{
	for (size_t i = 0; i < m->nparts; i++)
		if (msg_part_is(&m->parts[i], "message/feedback-report", NULL))
			return true;
	return false;
}

/* xarf_parse - see xarf.h; the first part that yields a report wins */
bool
xarf_parse(const struct parsed_msg *m, struct kvlist *fields)
{
	bool hint = xarf_header_hint(m), arf = xarf_has_arf(m);

	for (size_t i = 0; i < m->nparts; i++) {
		const struct msg_part *pt = &m->parts[i];
		const char *ct = pt->content_type;

		if (!msg_part_usable(pt))
			continue;
		if (xarf_is_json(pt)) {
			if (!arf && xarf_parse_json(pt->data, pt->len, fields))
				return true;
			continue;
		}
		if (!xarf_named_report(pt, hint) &&
		    !((ct == NULL || strncmp(ct, "text/", 5) == 0) &&
		    xarf_looks_like(pt)))
			continue;
		if (xarf_parse_text(pt->data, pt->len, fields))
			return true;
	}
	return false;
}
