/*
 * template.c - load and render reply templates. See template.h.
 *
 * A loaded template is a list of header fields and a body, each a list
 * of segments: literal text, or a variable with an optional default.
 * Parsing into segments at load is what makes rendering one pass.
 */
#include "reply/template.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "classify/lang.h"
#include "parse/rfc5322.h"
#include "util/utf8.h"

#define TEMPLATE_LINE_MAX 998	/* RFC 5322 2.1.1, without CRLF */

/* one piece of a header value or of the body */
struct tseg {
	int var;		/* enum template_var, or -1 for literal text */
	struct buf text;	/* the literal, or the default (len 0: none) */
};

struct tpart {
	struct tseg *v;
	size_t n;
	size_t cap;
};

struct theader {
	char *name;
	struct tpart value;
};

struct template {
	char *file;		/* the file's name without its directory */
	struct template **lang;	/* [lang_count()]: translations, or NULL */
	struct theader *hdrs;
	size_t nhdrs;
	size_t hdrcap;
	struct tpart body;
};

/* parser state for one file */
struct tparse {
	const char *path;
	int line;
	char *err;
	size_t errlen;
	bool failed;
};

static const char *const template_names[TVAR_COUNT] = {
	[TVAR_TO] = "to", [TVAR_TO_NAME] = "to_name", [TVAR_FROM] = "from",
	[TVAR_FROM_ADDR] = "from_addr", [TVAR_SUBJECT] = "subject",
	[TVAR_RE_SUBJECT] = "re_subject", [TVAR_CASE_ID] = "case_id",
	[TVAR_IPS] = "ips", [TVAR_PORTS] = "ports", [TVAR_DATE] = "date",
	[TVAR_CATEGORY] = "category", [TVAR_TOR_EXIT] = "tor_exit",
	[TVAR_REPORTER] = "reporter", [TVAR_MESSAGE_ID] = "message_id",
	[TVAR_TIMESTAMP] = "timestamp", [TVAR_OURS] = "ours",
	[TVAR_LANG] = "lang", [TVAR_REF] = "ref",
};

/* template_var_name - see template.h */
const char *
template_var_name(enum template_var v)
{
	return (unsigned)v < TVAR_COUNT ? template_names[v] : "?";
}

/* template_error - record the first error as "PATH:LINE: message", cut
 * to the caller's err buffer */
static void
template_error(struct tparse *tp, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void
template_error(struct tparse *tp, const char *fmt, ...)
{
	struct buf msg;
	va_list ap;

	if (tp->failed)
		return;
	tp->failed = true;
	buf_init(&msg);
	va_start(ap, fmt);
	buf_vprintf(&msg, fmt, ap);
	va_end(ap);
	snprintf(tp->err, tp->errlen, "%s:%d: %s", tp->path, tp->line, msg.s);
	buf_free(&msg);
}

/* tpart_push - append a segment; adjacent literals are merged, so the
 * renderer copies each run of literal text at once */
static void
tpart_push(struct tpart *p, int var, const char *text, size_t n)
{
	struct tseg *seg;

	if (var < 0 && p->n > 0 && p->v[p->n - 1].var < 0)
		seg = &p->v[p->n - 1];
	else {
		p->v = xgrow(p->v, &p->cap, p->n + 1, sizeof(*p->v));
		seg = &p->v[p->n++];
		seg->var = var;
		buf_init(&seg->text);
	}
	buf_append(&seg->text, text, n);
}

/* tpart_free - free the segments of one part */
static void
tpart_free(struct tpart *p)
{
	for (size_t i = 0; i < p->n; i++)
		buf_free(&p->v[i].text);
	free(p->v);
}

/* template_lookup - index of a variable name, or -1 */
static int
template_lookup(const char *name, size_t n)
{
	for (int i = 0; i < TVAR_COUNT; i++)
		if (strlen(template_names[i]) == n &&
		    memcmp(template_names[i], name, n) == 0)
			return i;
	return -1;
}

/* template_parse_braced - the ${name} or ${name:-default} at s; returns
 * its length, or 0 after recording an error */
static size_t
template_parse_braced(struct tparse *tp, const char *s, struct tpart *p)
{
	const char *close = strchr(s + 2, '}'), *dflt;
	size_t namelen;
	int var;

	if (close == NULL) {
		template_error(tp, "unterminated variable \"%.20s\"", s);
		return 0;
	}
	dflt = memmem(s + 2, (size_t)(close - s - 2), ":-", 2);
	namelen = (size_t)((dflt ? dflt : close) - (s + 2));
	if ((var = template_lookup(s + 2, namelen)) < 0) {
		template_error(tp, "unknown variable ${%.*s}",
		    (int)(namelen > 40 ? 40 : namelen), s + 2);
		return 0;
	}
	if (dflt != NULL)
		tpart_push(p, var, dflt + 2, (size_t)(close - dflt - 2));
	else
		tpart_push(p, var, "", 0);
	return (size_t)(close - s) + 1;
}

/* template_parse_text - split one line (or header value) into segments */
static void
template_parse_text(struct tparse *tp, const char *s, size_t len,
    struct tpart *p)
{
	char *line = xstrndup(s, len);
	const char *q = line;
	size_t n;

	while (*q && !tp->failed) {
		if (q[0] == '$' && q[1] == '$') {
			tpart_push(p, -1, "$", 1);
			q += 2;
		} else if (q[0] == '$' && q[1] == '{') {
			q += template_parse_braced(tp, q, p);
		} else if (strncmp(q, "$TO$", 4) == 0) {
			tpart_push(p, TVAR_TO, "", 0);
			q += 4;
		} else if (strncmp(q, "$FROM$", 6) == 0) {
			tpart_push(p, TVAR_FROM, "", 0);
			q += 6;
		} else {
			n = strcspn(q + 1, "$") + 1;
			tpart_push(p, -1, q, n);
			q += n;
		}
	}
	free(line);
}

/* template_header_reserved - see template.h */
bool
template_header_reserved(const char *name)
{
	static const char *const reserved[] = {
		"From", "To", "Cc", "Bcc", "Sender", "Date", "Message-ID",
		"In-Reply-To", "References", "Auto-Submitted", "X-Loop",
		"MIME-Version", "Return-Path", "Received", "Precedence",
		"X-Auto-Response-Suppress", "Delivered-To", NULL,
	};

	return str_has_prefix_nocase(name, "Content-") ||
	    str_has_prefix_nocase(name, "Resent-") ||
	    str_in_list_nocase(name, reserved);
}

/* template_header_line - "Name: value" in the header section */
static void
template_header_line(struct tparse *tp, struct template *t,
    const char *s, size_t len)
{
	size_t namelen = 0;
	struct theader *h;

	while (namelen < len && s[namelen] > ' ' && s[namelen] < 0x7f &&
	    s[namelen] != ':')
		namelen++;
	if (namelen == 0 || namelen == len || s[namelen] != ':') {
		template_error(tp, "not a header line (is the empty line "
		    "between header section and body missing?)");
		return;
	}
	t->hdrs = xgrow(t->hdrs, &t->hdrcap, t->nhdrs + 1, sizeof(*t->hdrs));
	h = &t->hdrs[t->nhdrs++];
	h->name = xstrndup(s, namelen);
	memset(&h->value, 0, sizeof(h->value));
	if (template_header_reserved(h->name))
		template_error(tp, "header %s is set by the milter and cannot "
		    "be set in a template", h->name);
	for (size_t i = 0; i + 1 < t->nhdrs; i++)
		if (strcasecmp(t->hdrs[i].name, h->name) == 0)
			template_error(tp, "duplicate header %s", h->name);
	s += namelen + 1;
	len -= namelen + 1;
	while (len > 0 && (*s == ' ' || *s == '\t'))
		s++, len--;
	template_parse_text(tp, s, len, &h->value);
}

/* template_header_cont - a folded continuation of the previous header */
static void
template_header_cont(struct tparse *tp, struct template *t,
    const char *s, size_t len)
{
	if (t->nhdrs == 0) {
		template_error(tp, "continuation line before any header");
		return;
	}
	while (len > 0 && (*s == ' ' || *s == '\t'))
		s++, len--;
	tpart_push(&t->hdrs[t->nhdrs - 1].value, -1, " ", 1);
	template_parse_text(tp, s, len, &t->hdrs[t->nhdrs - 1].value);
}

/* template_check_bytes - no NUL, valid UTF-8, lines not over 998 bytes */
static void
template_check_bytes(struct tparse *tp, const char *s, size_t len)
{
	char *clean, *check;

	if (memchr(s, '\0', len) != NULL) {
		template_error(tp, "NUL byte");
		return;
	}
	if (len > TEMPLATE_LINE_MAX) {
		template_error(tp, "line longer than %d bytes", TEMPLATE_LINE_MAX);
		return;
	}
	clean = xstrndup(s, len);
	for (char *c = clean; *c; c++)
		if (*c == '\t')
			*c = ' ';	/* tabs are fine in a template */
	check = rfc5322_text_clean(clean, len + 1);
	if (strcmp(check, clean) != 0)
		template_error(tp, "invalid UTF-8 or control character");
	free(check);
	free(clean);
}

/* template_parse - walk the lines: header fields, the empty line, body */
static void
template_parse(struct tparse *tp, struct template *t, const char *s,
    size_t len)
{
	const char *p = s, *end = s + len, *nl;
	bool in_body = false;
	size_t n;

	while (p < end && !tp->failed) {
		nl = memchr(p, '\n', (size_t)(end - p));
		n = (size_t)((nl ? nl : end) - p);
		tp->line++;
		if (n > 0 && p[n - 1] == '\r')
			n--;
		template_check_bytes(tp, p, n);
		if (tp->failed)
			break;
		if (in_body) {
			template_parse_text(tp, p, n, &t->body);
			tpart_push(&t->body, -1, "\n", 1);
		} else if (n == 0)
			in_body = true;
		else if (p[0] == ' ' || p[0] == '\t')
			template_header_cont(tp, t, p, n);
		else
			template_header_line(tp, t, p, n);
		p = nl ? nl + 1 : end;
	}
	if (tp->line == 0)
		tp->line = 1;
	if (!in_body)
		template_error(tp, "no empty line between header section and body");
	else if (t->body.n == 0)
		template_error(tp, "empty body");
}

/* template_read - the whole file; -1 with "PATH: reason" in err */
static int
template_read(const char *path, struct buf *data, char *err, size_t errlen)
{
	size_t len;
	char *s = util_read_file(path, &len);

	if (s == NULL) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	data->s = s;
	data->len = len;
	data->cap = len + 1;	/* at least what util_read_file allocated */
	return 0;
}

/* template_load_one - one file, without looking for translations */
static struct template *
template_load_one(const char *path, char *err, size_t errlen)
{
	struct tparse tp = { path, 0, err, errlen, false };
	struct template *t;
	struct buf data;
	const char *slash = strrchr(path, '/');

	if (template_read(path, &data, err, errlen) < 0)
		return NULL;
	t = xcalloc(1, sizeof(*t));
	t->file = xstrdup(slash != NULL ? slash + 1 : path);
	template_parse(&tp, t, data.s, data.len);
	buf_free(&data);
	if (tp.failed) {
		template_free(t);
		return NULL;
	}
	return t;
}

/* template_load_langs - the translations next to PATH: NAME.LANG.txt
 * for NAME.txt, each language lang.c knows. A missing one is fine (the
 * default is used), a broken one an error like the default's own. */
static int
template_load_langs(struct template *t, const char *path, char *err,
    size_t errlen)
{
	size_t len = strlen(path);
	char *lpath;

	if (len < 4 || strcmp(path + len - 4, ".txt") != 0)
		return 0;
	t->lang = xcalloc((size_t)lang_count(), sizeof(*t->lang));
	for (int l = 0; l < lang_count(); l++) {
		lpath = xasprintf("%.*s.%s.txt", (int)(len - 4), path,
		    lang_code(l));
		if (access(lpath, F_OK) == 0 &&
		    (t->lang[l] = template_load_one(lpath, err, errlen)) == NULL) {
			free(lpath);
			return -1;
		}
		free(lpath);
	}
	return 0;
}

/* template_load - see template.h */
struct template *
template_load(const char *path, char *err, size_t errlen)
{
	struct template *t = template_load_one(path, err, errlen);

	if (t != NULL && template_load_langs(t, path, err, errlen) != 0) {
		template_free(t);
		return NULL;
	}
	return t;
}

/* template_pick - see template.h */
const struct template *
template_pick(const struct template *t, int lang)
{
	if (t != NULL && t->lang != NULL && lang >= 0 && lang < lang_count() &&
	    t->lang[lang] != NULL)
		return t->lang[lang];
	return t;
}

/* template_file - see template.h */
const char *
template_file(const struct template *t)
{
	return t != NULL ? t->file : NULL;
}

/* template_var_mask_part - the variables of one part, as bits */
static unsigned long
template_var_mask_part(const struct tpart *p)
{
	unsigned long mask = 0;

	for (size_t i = 0; i < p->n; i++)
		if (p->v[i].var >= 0)
			mask |= 1ul << p->v[i].var;
	return mask;
}

/* template_var_mask - see template.h */
unsigned long
template_var_mask(const struct template *t)
{
	unsigned long mask = template_var_mask_part(&t->body);

	for (size_t i = 0; i < t->nhdrs; i++)
		mask |= template_var_mask_part(&t->hdrs[i].value);
	return mask;
}

/* template_free - release a template; NULL is fine */
void
template_free(struct template *t)
{
	if (t == NULL)
		return;
	for (int l = 0; t->lang != NULL && l < lang_count(); l++)
		template_free(t->lang[l]);
	free(t->lang);
	free(t->file);
	for (size_t i = 0; i < t->nhdrs; i++) {
		free(t->hdrs[i].name);
		tpart_free(&t->hdrs[i].value);
	}
	free(t->hdrs);
	tpart_free(&t->body);
	free(t);
}

/* template_render_part - literals as they are, each value cleaned once
 * and never scanned for variables */
static void
template_render_part(const struct tpart *p, const char *const vals[TVAR_COUNT],
    struct buf *out)
{
	const char *v;
	char *clean;

	for (size_t i = 0; i < p->n; i++) {
		v = p->v[i].var < 0 ? NULL : vals[p->v[i].var];
		if (v == NULL || *v == '\0') {
			/* the literal, or the default of an empty value */
			buf_append(out, p->v[i].text.s, p->v[i].text.len);
			continue;
		}
		clean = rfc5322_text_clean(v, TEMPLATE_VALUE_MAX);
		buf_puts(out, clean);
		free(clean);
	}
}

/* template_wrap - break body lines over 998 bytes (several long values
 * on one line) at a space, else at a character boundary */
static void
template_wrap(struct buf *body, size_t from)
{
	const char *p = body->s + from, *end = body->s + body->len, *nl;
	struct buf out;
	size_t n, cut, skip;

	buf_init(&out);
	while (p < end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		n = (size_t)((nl ? nl : end) - p);
		while (n > TEMPLATE_LINE_MAX) {
			for (cut = TEMPLATE_LINE_MAX; cut > 0 && p[cut] != ' '; cut--)
				;
			skip = 1;
			if (cut == 0) {
				skip = 0;
				cut = utf8_cut(p, n, TEMPLATE_LINE_MAX);
			}
			buf_append(&out, p, cut);
			buf_putc(&out, '\n');
			p += cut + skip;
			n -= cut + skip;
		}
		buf_append(&out, p, n);
		if (nl != NULL)
			buf_putc(&out, '\n');
		p = nl ? nl + 1 : end;
	}
	body->len = from;
	buf_append(body, out.s, out.len);
	buf_free(&out);
}

/* template_render - see template.h */
void
template_render(const struct template *t, const char *const vals[TVAR_COUNT],
    struct kvlist *hdrs, struct buf *body)
{
	struct buf v;
	size_t from = body->len;

	buf_init(&v);
	for (size_t i = 0; i < t->nhdrs; i++) {
		buf_reset(&v);
		template_render_part(&t->hdrs[i].value, vals, &v);
		kvlist_add(hdrs, t->hdrs[i].name, v.s);
	}
	buf_free(&v);
	template_render_part(&t->body, vals, body);
	template_wrap(body, from);
}
