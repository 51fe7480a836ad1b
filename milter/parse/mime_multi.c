/*
 * mime_multi.c - multiparts: which alternative is the text, what the
 * signature is, and multiparts that are broken: no boundary parameter (the
 * body is read again with the boundary its delimiter lines show, or taken
 * as text), no part at all, no closing delimiter. See mime.c.
 *
 * The parts of a multipart are walked through w->walk (mime_walk), never
 * by calling mime_walk.c, which calls this file.
 */
#include "parse/mime_int.h"
#include "parse/mime_text.h"

#include <stdlib.h>
#include <string.h>

/* has_text - obj is, or holds near its top, a text/SUB leaf that is no
 * attachment */
static bool
has_text(GMimeObject *obj, const char *sub, int depth)
{
	GMimeContentType *ct = g_mime_object_get_content_type(obj);
	int i, n;

	if (GMIME_IS_PART(obj))
		return ct && g_mime_content_type_is_type(ct, "text", sub) &&
		    !g_mime_part_is_attachment(GMIME_PART(obj));
	if (!GMIME_IS_MULTIPART(obj) || depth > 2)
		return false;
	n = g_mime_multipart_get_count(GMIME_MULTIPART(obj));
	for (i = 0; i < n; i++)
		if (has_text(g_mime_multipart_get_part(GMIME_MULTIPART(obj),
		    i), sub, depth + 1))
			return true;
	return false;
}

/* blank_since - nothing but white space was added to b after from */
static bool
blank_since(const struct buf *b, size_t from)
{
	for (; from < b->len; from++)
		if (!g_ascii_isspace(b->s[from]))
			return false;
	return true;
}

/* boundary_guess - the first "--xxx" line of s, as a boundary, or NULL */
static char *
boundary_guess(const char *s)
{
	const char *p, *e, *nl;

	for (p = s; p != NULL && *p; p = (nl = strchr(p, '\n')) ? nl + 1 : NULL) {
		if (p[0] != '-' || p[1] != '-')
			continue;
		for (e = p + 2; *e && *e != '\n' && *e != '\r' && *e != '"' &&
		    *e != '\\' && *e != ' ' && *e != '\t'; e++)
			;
		if (e > p + 2 && e - p < 200 && (*e == '\n' || *e == '\r' ||
		    *e == '\0'))
			return xstrndup(p + 2, (size_t)(e - p - 2));
	}
	return NULL;
}

/* reparse - a multipart without (usable) boundary whose body holds
 * delimiter lines: read it again with the boundary those lines show */
static bool
reparse(struct mime_walk *w, const char *body, int flags, int depth)
{
	char *b = boundary_guess(body), *s;
	GMimeParserOptions *o;
	GMimeParser *p;
	GMimeStream *st;
	GMimeObject *obj;
	GByteArray arr;
	size_t baselen = w->baselen;
	const char *base = w->base;
	bool ok, reparsing = w->reparsing;

	if (b == NULL)
		return false;
	s = xasprintf("Content-Type: multipart/mixed; boundary=\"%s\"\n\n%s",
	    b, body);
	w->reparsing = true;	/* offsets below are into s */
	w->base = s;
	w->baselen = strlen(s);
	st = mime_stream(&arr, s, strlen(s));
	p = g_mime_parser_new_with_stream(st);
	o = mime_options();
	obj = g_mime_parser_construct_part(p, o);
	ok = obj != NULL && GMIME_IS_MULTIPART(obj) &&
	    g_mime_multipart_get_count(GMIME_MULTIPART(obj)) > 0;
	if (ok)
		w->walk(w, obj, flags, depth + 1);
	if (obj != NULL)
		g_object_unref(obj);
	g_object_unref(p);
	g_object_unref(st);
	g_mime_parser_options_free(o);
	w->reparsing = reparsing;
	w->base = base;
	w->baselen = baselen;
	free(s);
	free(b);
	return ok;
}

/* empty_multipart - a multipart GMime found no part in: its body is
 * read again with a guessed boundary, or taken as plain text */
static void
empty_multipart(struct mime_walk *w, GMimeMultipart *mp, int flags,
    int depth)
{
	const char *pro = g_mime_multipart_get_prologue(mp);
	const char *epi = g_mime_multipart_get_epilogue(mp);
	struct buf body, data;
	enum part_role role = (flags & W_EVIDENCE) ? PART_EVIDENCE : PART_TEXT;

	buf_init(&body);
	if (pro != NULL)
		buf_puts(&body, pro);
	if (epi != NULL)
		mime_add_text(&body, epi, strlen(epi));
	if (!w->cut)
		w->m->malformed = true;	/* a multipart of nothing */
	if (blank_since(&body, 0) || reparse(w, body.s, flags, depth)) {
		buf_free(&body);
		return;
	}
	buf_init(&data);
	mtext_repair(&data, body.s, body.len, w->cut);
	buf_free(&body);
	mime_use_text(w, "text/plain", role, &data, flags);
	if (flags & W_TEXTONLY)
		buf_free(&data);
	else
		mime_add_part(w, xstrdup("text/plain"), NULL, data.s, data.len,
		    role);
}

/* closing_lines - the boundaries whose closing delimiter line ("--b--")
 * is in s, found in one pass */
static GHashTable *
closing_lines(const char *s, size_t n)
{
	GHashTable *h = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
	    NULL);
	const char *p = s, *end = s + n, *nl, *e;

	for (; p < end; p = nl ? nl + 1 : end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		e = nl ? nl : end;
		while (e > p && (e[-1] == '\r' || e[-1] == ' ' || e[-1] == '\t'))
			e--;
		if (e - p >= 4 && p[0] == '-' && p[1] == '-' && e[-1] == '-' &&
		    e[-2] == '-')
			g_hash_table_add(h, g_strndup(p + 2, (gsize)(e - p - 4)));
	}
	return h;
}

/* unclosed - a multipart whose closing delimiter never comes */
static bool
unclosed(struct mime_walk *w, GMimeMultipart *mp)
{
	const char *b = g_mime_multipart_get_boundary(mp);

	if (w->cut || w->reparsing || b == NULL)
		return false;	/* a cut or a rebuilt multipart: known */
	if (w->closers == NULL)
		w->closers = closing_lines(w->base, w->baselen);
	return !g_hash_table_contains(w->closers, b);
}

/* mime_walk_multipart - the parts of a multipart, and which of them is
 * the text: the text/plain alternative (else the HTML one), the signed
 * content and not its signature */
void
mime_walk_multipart(struct mime_walk *w, GMimeMultipart *mp, int flags,
    int depth)
{
	GMimeContentType *ct = g_mime_object_get_content_type(GMIME_OBJECT(mp));
	int i, n = g_mime_multipart_get_count(mp), pick = -1, html = -1;
	struct buf *to = (flags & W_EVIDENCE) ? &w->m->evidence : &w->m->text;
	size_t before = to->len;
	const char *outer;

	if (n <= 0) {
		empty_multipart(w, mp, flags, depth);
		return;
	}
	if (unclosed(w, mp))
		w->m->malformed = true;
	if (ct && g_mime_content_type_is_type(ct, "multipart", "signed"))
		pick = 0;	/* the signed content; not the signature */
	if (ct && g_mime_content_type_is_type(ct, "multipart", "alternative"))
		for (i = 0; i < n && (pick < 0 || html < 0); i++) {
			GMimeObject *c = g_mime_multipart_get_part(mp, i);

			if (pick < 0 && has_text(c, "plain", 0))
				pick = i;
			if (html < 0 && has_text(c, "html", 0))
				html = i;
		}
	if (pick < 0)
		pick = html;
	outer = w->boundary;
	w->boundary = g_mime_multipart_get_boundary(mp);
	for (i = 0; i < n; i++)
		w->walk(w, g_mime_multipart_get_part(mp, i), flags | W_INMULTI |
		    (pick >= 0 && i != pick ? W_NOTEXT : 0), depth + 1);
	w->boundary = outer;
	if (html >= 0 && html != pick && !(flags & W_NOTEXT) &&
	    blank_since(to, before))	/* an empty text/plain alternative */
		w->walk(w, g_mime_multipart_get_part(mp, html),
		    flags | W_INMULTI | W_TEXTONLY, depth + 1);
}
