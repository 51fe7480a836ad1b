/*
 * acns.c - find and read ACNS <Infringement> notices (ACNS 1.2 and 2.0,
 * namespace http://www.acns.net/ACNS, http://www.movielabs.com/ACNS or
 * none). See acns.h for how to call it.
 *
 * A cheap scan (acns_text.c) finds "<Infringement" (or
 * "<prefix:Infringement") and its closing tag; only that fragment is
 * handed to libxml2. Because the
 * fragment starts at the element, no prolog and no DTD ever reaches the
 * parser: no entity can be declared, so none can be expanded or loaded.
 * The parser options say the same once more (no network, no entity
 * substitution, no DTD), and the parser's SAX callbacks that would
 * declare entities or load subsets are removed.
 *
 * Real notices arrive damaged: dash-escaped inside PGP clear-signed text,
 * with quoted-printable left undone, wrapped by mail clients, truncated.
 * Each fragment is tried strictly first, then quoted-printable decoded,
 * then in libxml2's recover mode; whatever cannot be read is absent.
 */
#include "parse/acns.h"

#include <pthread.h>
#include <string.h>
#include <strings.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "parse/acns_text.h"

#define ACNS_MAX_FRAGMENT	(256 * 1024)	/* notices are ~3 KB */
#define ACNS_MAX_TRIES		8	/* fragments parsed per message */
#define ACNS_MAX_VALUE		1024	/* bytes kept of one field */

#define ACNS_XML_OPTIONS	(XML_PARSE_NONET | XML_PARSE_NOERROR | \
	XML_PARSE_NOWARNING | XML_PARSE_NOCDATA | XML_PARSE_COMPACT)

/* One field: a path of local names below <Infringement>, and optionally
 * an attribute of the last element instead of its text. */
static const struct acns_field {
	const char *key;
	const char *path[3];
	const char *attr;
} acns_fields[] = {
	{"acns.Case-ID", {"Case", "ID", NULL}, NULL},
	{"acns.Entity", {"Complainant", "Entity", NULL}, NULL},
	{"acns.Email", {"Complainant", "Email", NULL}, NULL},
	{"acns.TimeStamp", {"Source", "TimeStamp", NULL}, NULL},
	{"acns.IP_Address", {"Source", "IP_Address", NULL}, NULL},
	{"acns.Port", {"Source", "Port", NULL}, NULL},
	{"acns.Type", {"Source", "Type", NULL}, NULL},
	{"acns.Protocol", {"Source", "SubType", NULL}, "Protocol"},
	{"acns.Title", {"Content", "Item", "Title"}, NULL},
	{"acns.FileName", {"Content", "Item", "FileName"}, NULL},
	{"acns.Hash", {"Content", "Item", "Hash"}, NULL},
};

#define ACNS_NFIELDS	(sizeof(acns_fields) / sizeof(acns_fields[0]))

/* What one acns_parse call has seen so far, across all its sources. */
struct acns_state {
	int tries;		/* fragments handed to libxml2 */
	struct kvlist partial;	/* first notice without Case-ID or IP */
	struct kvlist found;	/* a notice naming a case or address */
};

static pthread_once_t acns_once = PTHREAD_ONCE_INIT;
static _Thread_local bool acns_thread_quiet;

/* acns_quiet_generic - swallow libxml2's unstructured diagnostics */
static void
acns_quiet_generic(void *ctx, const char *fmt, ...)
{
}

/* acns_quiet_structured - swallow libxml2's structured diagnostics */
static void
acns_quiet_structured(void *ctx, xmlErrorPtr err)
{
}

/* acns_init_once - initialise libxml2 once per process; threads created
 * later inherit the silent handlers */
static void
acns_init_once(void)
{
	xmlInitParser();
	xmlThrDefSetGenericErrorFunc(NULL, acns_quiet_generic);
	xmlThrDefSetStructuredErrorFunc(NULL, acns_quiet_structured);
}

/* acns_init - make libxml2 ready and silent in the calling thread; some
 * messages (encoding errors) bypass the parser context and would
 * otherwise reach stderr */
static void
acns_init(void)
{
	pthread_once(&acns_once, acns_init_once);
	if (!acns_thread_quiet) {
		xmlSetGenericErrorFunc(NULL, acns_quiet_generic);
		xmlSetStructuredErrorFunc(NULL, acns_quiet_structured);
		acns_thread_quiet = true;
	}
}

/* acns_read - parse one fragment, or NULL; enc NULL means UTF-8 */
static xmlDoc *
acns_read(const char *data, size_t len, const char *enc, int extra)
{
	xmlParserCtxt *ctxt;
	xmlDoc *doc;

	if (len == 0 || len > ACNS_MAX_FRAGMENT)
		return NULL;
	acns_init();
	ctxt = xmlNewParserCtxt();
	if (ctxt == NULL)
		return NULL;
	/* Fragments carry no DTD, but make sure none could act if one did. */
	ctxt->sax->internalSubset = NULL;
	ctxt->sax->externalSubset = NULL;
	ctxt->sax->entityDecl = NULL;
	ctxt->sax->resolveEntity = NULL;
	ctxt->sax->serror = acns_quiet_structured;
	doc = xmlCtxtReadMemory(ctxt, data, (int)len, NULL, enc,
	    ACNS_XML_OPTIONS | extra);
	xmlFreeParserCtxt(ctxt);
	return doc;
}

/* acns_local_name - element name without any prefix; an undeclared
 * prefix leaves "p:Name" in the node name */
static const char *
acns_local_name(const xmlChar *name)
{
	const char *colon = strrchr((const char *)name, ':');

	return colon ? colon + 1 : (const char *)name;
}

/* acns_child - first child element with this local name, or NULL */
static xmlNode *
acns_child(xmlNode *parent, const char *name)
{
	for (xmlNode *n = xmlFirstElementChild(parent); n != NULL;
	    n = xmlNextElementSibling(n))
		if (strcmp(acns_local_name(n->name), name) == 0)
			return n;
	return NULL;
}

/* acns_text - the text of a node list, white space (and control bytes)
 * collapsed, capped on a character boundary; NULL when empty. Entity
 * references are skipped: they are never resolved. */
static char *
acns_text(xmlNode *list)
{
	struct buf b;
	bool space = false;

	buf_init(&b);
	for (xmlNode *n = list; n != NULL; n = n->next) {
		if (n->type != XML_TEXT_NODE &&
		    n->type != XML_CDATA_SECTION_NODE)
			continue;
		for (const unsigned char *p = n->content; p && *p; p++) {
			if (*p <= ' ' || *p == 0x7f) {
				space = b.len > 0;
				continue;
			}
			if (b.len >= ACNS_MAX_VALUE && (*p & 0xc0) != 0x80)
				goto done;
			if (space)
				buf_putc(&b, ' ');
			space = false;
			buf_putc(&b, (char)*p);
		}
	}
done:
	if (b.len == 0) {
		buf_free(&b);
		return NULL;
	}
	return b.s;
}

/* acns_attr - text of the attribute with this local name, or NULL */
static char *
acns_attr(xmlNode *node, const char *name)
{
	for (xmlAttr *a = node->properties; a != NULL; a = a->next)
		if (strcmp(acns_local_name(a->name), name) == 0)
			return acns_text(a->children);
	return NULL;
}

/* acns_field_value - one field of a notice, or NULL */
static char *
acns_field_value(xmlNode *infringement, const struct acns_field *f)
{
	xmlNode *n = infringement;

	for (size_t i = 0; i < 3 && f->path[i] != NULL && n != NULL; i++)
		n = acns_child(n, f->path[i]);
	if (n == NULL)
		return NULL;
	return f->attr ? acns_attr(n, f->attr) : acns_text(n->children);
}

/* acns_extract - all fields of one <Infringement> into out; true when it
 * names a case or an address, which makes it a notice worth keeping */
static bool
acns_extract(xmlNode *infringement, struct kvlist *out)
{
	for (size_t i = 0; i < ACNS_NFIELDS; i++) {
		char *val = acns_field_value(infringement, &acns_fields[i]);

		if (val != NULL) {
			kvlist_add(out, acns_fields[i].key, val);
			free(val);
		}
	}
	return kvlist_get(out, "acns.Case-ID") != NULL ||
	    kvlist_get(out, "acns.IP_Address") != NULL;
}

/* acns_next_element - the element after n in document order, or NULL */
static xmlNode *
acns_next_element(xmlNode *n)
{
	xmlNode *next = xmlFirstElementChild(n);

	for (; next == NULL && n != NULL && n->type == XML_ELEMENT_NODE;
	    n = n->parent)
		next = xmlNextElementSibling(n);
	return next;
}

/* acns_from_doc - fields of the first <Infringement> of the document
 * that names a case or an address; else of the first one with any field
 * (a partial notice). True only in the first case. */
static bool
acns_from_doc(xmlDoc *doc, struct kvlist *out)
{
	struct kvlist kv;

	for (xmlNode *n = xmlDocGetRootElement(doc); n != NULL;
	    n = acns_next_element(n)) {
		if (strcmp(acns_local_name(n->name), "Infringement") != 0)
			continue;
		kvlist_init(&kv);
		if (acns_extract(n, &kv)) {
			kvlist_free(out);
			*out = kv;
			return true;
		}
		if (out->n == 0)
			*out = kv;
		else
			kvlist_free(&kv);
	}
	return false;
}

/* acns_try - parse a fragment and read it; true when it named a case or
 * an address. A well-formed fragment is final: recovering would find
 * nothing more. */
static bool
acns_try(const char *data, size_t len, const char *enc, int extra,
    bool *read, struct kvlist *out)
{
	xmlDoc *doc = acns_read(data, len, enc, extra);
	bool good;

	*read = doc != NULL;
	if (doc == NULL)
		return false;
	kvlist_free(out);
	good = acns_from_doc(doc, out);
	xmlFreeDoc(doc);
	return good;
}

/* acns_fragment - strict, then quoted-printable decoded, then recover,
 * then recover as Latin-1; a cut fragment cannot be well-formed and goes
 * straight to recovery */
static bool
acns_fragment(const struct buf *frag, bool cut, const char *enc,
    struct kvlist *out)
{
	const struct buf *best = frag;
	struct buf qp;
	struct kvlist alt;
	bool good = false, read = false;

	buf_init(&qp);
	if (!cut)
		good = acns_try(frag->s, frag->len, enc, 0, &read, out);
	if (!read && acns_text_has_qp(frag->s, frag->len)) {
		acns_text_qp_decode(frag->s, frag->len, &qp);
		/* a soft line break may have hidden the closing tag */
		if (!acns_text_find_close(qp.s, qp.len, 0, &qp.len))
			qp.len = acns_text_cut(qp.s, 0, qp.len);
		qp.s[qp.len] = '\0';
		best = &qp;
		good = acns_try(qp.s, qp.len, enc, 0, &read, out);
	}
	if (!read)
		good = acns_try(best->s, best->len, enc, XML_PARSE_RECOVER,
		    &read, out);
	/* bytes that break the declared encoding stop libxml2 cold; Latin-1
	 * takes every byte, and is kept only if it reads a case or address */
	if (!good && enc != NULL && strcmp(enc, "ISO-8859-1") != 0) {
		kvlist_init(&alt);
		if (acns_try(best->s, best->len, "ISO-8859-1",
		    XML_PARSE_RECOVER, &read, &alt)) {
			kvlist_free(out);
			*out = alt;
			good = true;
		} else
			kvlist_free(&alt);
	}
	buf_free(&qp);
	return good;
}

/* acns_keep - file one fragment's fields: a notice naming a case or an
 * address ends the search; the first partial one is kept in reserve */
static void
acns_keep(struct acns_state *st, bool good, struct kvlist *kv)
{
	if (good) {
		kvlist_free(&st->found);
		st->found = *kv;
	} else if (st->partial.n == 0) {
		kvlist_free(&st->partial);
		st->partial = *kv;
	} else
		kvlist_free(kv);
	kvlist_init(kv);
}

/* acns_scan_source - try each <Infringement> fragment of one buffer */
static bool
acns_scan_source(struct acns_state *st, const char *data, size_t len)
{
	size_t pos = 0, start, end;
	struct buf frag, enc;
	struct kvlist kv;
	bool good = false, cut, pgp;

	buf_init(&frag);
	buf_init(&enc);
	kvlist_init(&kv);
	while (!good && st->tries < ACNS_MAX_TRIES &&
	    acns_text_find_open(data, len, pos, &start)) {
		cut = !acns_text_find_close(data, len, start, &end) ||
		    end - start > ACNS_MAX_FRAGMENT;
		if (end - start > ACNS_MAX_FRAGMENT)
			end = start + ACNS_MAX_FRAGMENT;
		if (cut)
			end = acns_text_cut(data, start, end);
		/* the clear-signed header precedes what it escaped */
		pgp = memmem(data, start, "BEGIN PGP SIGNED MESSAGE", 24);
		buf_reset(&frag);
		acns_text_copy(data + start, end - start, pgp, &frag);
		acns_text_fix_entities(&frag);
		st->tries++;
		good = acns_fragment(&frag, cut,
		    acns_text_encoding(data, start, &frag, &enc), &kv);
		acns_keep(st, good, &kv);
		pos = end > start ? end : start + 1;
	}
	buf_free(&frag);
	buf_free(&enc);
	return good;
}

/* acns_start - nothing seen yet */
static void
acns_start(struct acns_state *st)
{
	st->tries = 0;
	kvlist_init(&st->partial);
	kvlist_init(&st->found);
}

/* acns_finish - report what was found to the caller's list */
static bool
acns_finish(struct acns_state *st, bool good, struct kvlist *fields)
{
	struct kvlist *kv = good ? &st->found : &st->partial;
	bool any = kv->n > 0;

	if (any) {
		kvlist_add(fields, "report", "acns");
		for (size_t i = 0; i < kv->n; i++)
			kvlist_add(fields, kv->v[i].key, kv->v[i].val);
	}
	kvlist_free(&st->found);
	kvlist_free(&st->partial);
	return any;
}

/* acns_part_wanted - parts that can carry a notice: the text, reports
 * and anything that says it is XML; never the quoted evidence */
static bool
acns_part_wanted(const struct msg_part *p)
{
	if (!msg_part_usable(p))
		return false;
	if (p->role == PART_TEXT || p->role == PART_REPORT)
		return true;
	if (p->content_type != NULL && strstr(p->content_type, "xml"))
		return true;
	return str_has_suffix_nocase(p->filename, ".xml");
}

/* acns_parse - the first ACNS notice of a parsed complaint */
bool
acns_parse(const struct parsed_msg *m, struct kvlist *fields)
{
	struct acns_state st;
	bool good;

	acns_start(&st);
	good = m->text.s != NULL &&
	    acns_scan_source(&st, m->text.s, m->text.len);
	for (size_t i = 0; !good && i < m->nparts; i++)
		if (acns_part_wanted(&m->parts[i]))
			good = acns_scan_source(&st, m->parts[i].data,
			    m->parts[i].len);
	return acns_finish(&st, good, fields);
}

/* acns_parse_xml - the first ACNS notice of one buffer */
bool
acns_parse_xml(const char *xml, size_t len, struct kvlist *fields)
{
	struct acns_state st;

	acns_start(&st);
	return acns_finish(&st, xml != NULL && acns_scan_source(&st, xml, len),
	    fields);
}
