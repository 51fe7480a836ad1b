/*
 * mime_walk.c - the MIME tree that GMime read, turned into parts, the
 * complaint's text and the evidence: leaves and attached messages here,
 * multiparts in mime_multi.c (called with mime_walk as w->walk, to walk
 * their parts). See mime.c for the whole picture.
 *
 * Every leaf becomes a part (message/rfc822 parts too, holding the
 * attached message). A leaf's role decides where its text goes
 * (mime_part.c): the complaint's own text/plain (or text/html, reduced,
 * when an alternative has no text/plain) into `text`; everything at or
 * under a message/rfc822 or text/rfc822-headers part into `evidence`;
 * reports and other attachments nowhere but their part. The members of
 * a zip or gzip attachment (parse/archive.c) are listed after it as
 * parts of their own.
 */
#include "parse/archive.h"
#include "parse/mime_int.h"
#include "parse/mime_text.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *const report_types[] = {
	"message/feedback-report", "message/delivery-status",
	"message/global-delivery-status", "message/disposition-notification",
	"application/xml", "text/xml", "application/json", "text/json",
	"text/csv", "application/csv", "application/x-yaml",
	"application/yaml", "text/yaml", "text/x-yaml", NULL
};
static const char *const report_suffixes[] = {
	".xml", ".json", ".csv", ".yaml", ".yml", "report.txt", NULL
};
static const char *const text_suffixes[] = {
	".txt", ".xml", ".json", ".csv", ".yaml", ".yml", ".log", NULL
};

/* ends_with - s (NULL: false) ends with one of the suffixes, any case */
static bool
ends_with(const char *s, const char *const *suffixes)
{
	for (; *suffixes != NULL; suffixes++)
		if (str_has_suffix_nocase(s, *suffixes))
			return true;
	return false;
}

/* leaf_role - what a leaf part is to the complaint */
static enum part_role
leaf_role(const char *type, const char *fname, bool attach, int flags)
{
	if ((flags & W_EVIDENCE) || strcmp(type, "text/rfc822-headers") == 0 ||
	    strcmp(type, "message/global-headers") == 0)
		return PART_EVIDENCE;
	if (str_in_list(type, report_types) ||
	    ends_with(type, (const char *const[]){ "+xml", "+json", NULL }) ||
	    ends_with(fname, report_suffixes) ||
	    (attach && ends_with(fname, (const char *const[]){ ".txt", NULL })))
		return PART_REPORT;
	if (strcmp(type, "text/plain") == 0 || strcmp(type, "text/html") == 0)
		return PART_TEXT;
	return PART_OTHER;
}

/* is_textual - a leaf whose data is text, kept as UTF-8 */
static bool
is_textual(const char *type, const char *fname)
{
	return strncmp(type, "text/", 5) == 0 ||
	    strncmp(type, "message/", 8) == 0 || str_in_list(type, report_types) ||
	    ends_with(type, (const char *const[]){ "+xml", "+json", NULL }) ||
	    (strcmp(type, "application/octet-stream") == 0 &&
	    ends_with(fname, text_suffixes));
}

/* is_opaque - pictures, sound, video and fonts: never evidence (no
 * parser reads them, no archive is declared so), so their bytes are
 * not decoded at all; a screenshot of several megabytes cost its base64
 * decoding for nothing. A file name that says archive, report or text
 * is decoded whatever the type claims. */
static bool
is_opaque(const char *type, const char *fname)
{
	static const char *const kinds[] = { "image/", "audio/", "video/",
	    "font/", NULL };
	static const char *const keep[] = { ".zip", ".gz", ".gzip", ".txt",
	    ".csv", ".xml", ".json", ".log", ".eml", NULL };
	bool kind = false;

	for (size_t i = 0; kinds[i] != NULL; i++)
		kind |= strncmp(type, kinds[i], strlen(kinds[i])) == 0;
	return kind && !ends_with(fname, keep);
}

/* type_of - lower-case "type/subtype" of obj, our own copy */
static char *
type_of(GMimeObject *obj)
{
	GMimeContentType *ct = g_mime_object_get_content_type(obj);
	char *g = ct ? g_mime_content_type_get_mime_type(ct) : NULL;
	char *t = xstrdup(g ? g : "text/plain");

	g_free(g);
	return str_lower(t);
}

/* stream_view - the bytes of a GMime stream; a pointer into the input
 * when the stream is a piece of it, else a copy kept in tmp */
static const char *
stream_view(GMimeStream *st, struct buf *tmp, size_t *n, gint64 *start)
{
	GByteArray *a;
	gint64 len;
	char c[4096];
	ssize_t r;

	g_mime_stream_reset(st);
	*start = g_mime_stream_tell(st);
	len = g_mime_stream_length(st);
	if (GMIME_IS_STREAM_MEM(st) && *start >= 0 && len >= 0 &&
	    (a = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(st))) &&
	    *start + len <= (gint64)a->len) {
		*n = (size_t)len;
		return (const char *)a->data + *start;
	}
	while ((r = g_mime_stream_read(st, c, sizeof(c))) > 0)
		buf_append(tmp, c, (size_t)r);
	g_mime_stream_reset(st);
	*n = tmp->len;
	return tmp->s;
}

/* base64_verdict - 0 clean base64, 1 damaged, 2 not base64 at all */
static int
base64_verdict(const char *s, size_t n)
{
	size_t i = 0, lines = 0, bad = 0, e, j;
	const char *nl;

	while (i < n) {
		nl = memchr(s + i, '\n', n - i);
		e = nl ? (size_t)(nl - s) : n;
		while (e > i && (s[e - 1] == '\r' || s[e - 1] == ' ' ||
		    s[e - 1] == '\t'))
			e--;
		while (i < e && (s[i] == ' ' || s[i] == '\t'))
			i++;
		for (j = i; j < e && (g_ascii_isalnum(s[j]) || s[j] == '+' ||
		    s[j] == '/'); j++)
			;
		while (j < e && s[j] == '=')
			j++;
		lines += e > i;
		bad += j < e;
		i = nl ? (size_t)(nl - s) + 1 : n;
	}
	return bad == 0 ? 0 : bad * 2 > lines ? 2 : 1;
}

/* leaf_bytes - the content of a leaf, decoded: a view into the input
 * when it needs no decoding, else decoded into `own` */
struct leaf_bytes {
	const char *p;
	size_t n;
	GByteArray *own;	/* decoded content, or NULL */
	struct buf tmp;		/* a copy of a stream not in memory */
};

/* is_identity - an encoding whose bytes are the content as they are */
static bool
is_identity(GMimeContentEncoding enc)
{
	return enc == GMIME_CONTENT_ENCODING_DEFAULT ||
	    enc == GMIME_CONTENT_ENCODING_7BIT ||
	    enc == GMIME_CONTENT_ENCODING_8BIT ||
	    enc == GMIME_CONTENT_ENCODING_BINARY;
}

/* bytes_none - no content: what a leaf without any gets */
static void
bytes_none(struct leaf_bytes *b)
{
	memset(b, 0, sizeof(*b));
	buf_init(&b->tmp);
	b->p = "";
}

/* part_bytes - fill b with the decoded content of a leaf. Base64 that is
 * not base64 at all (a lying Content-Transfer-Encoding) is taken as it
 * stands when the part is text. */
static void
part_bytes(struct mime_walk *w, GMimePart *part, bool textual,
    struct leaf_bytes *b)
{
	GMimeDataWrapper *dw = g_mime_part_get_content(part);
	GMimeStream *src = dw ? g_mime_data_wrapper_get_stream(dw) : NULL;
	GMimeContentEncoding enc;
	GMimeStream *out;
	gint64 start;
	int verdict;

	bytes_none(b);
	if (src == NULL)
		return;
	enc = g_mime_data_wrapper_get_encoding(dw);
	b->p = stream_view(src, &b->tmp, &b->n, &start);
	if (is_identity(enc))
		return;
	if (enc == GMIME_CONTENT_ENCODING_BASE64 &&
	    (verdict = base64_verdict(b->p, b->n)) != 0) {
		w->m->malformed = true;
		if (verdict == 2 && textual)
			return;
	}
	out = g_mime_stream_mem_new();
	g_mime_data_wrapper_write_to_stream(dw, out);
	b->own = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(out));
	g_mime_stream_mem_set_owner(GMIME_STREAM_MEM(out), FALSE);
	g_object_unref(out);
	b->p = (const char *)b->own->data;
	b->n = b->own->len;
}

/* bytes_steal - the content as a NUL-terminated string of our own */
static char *
bytes_steal(struct leaf_bytes *b)
{
	char *d;

	if (b->own == NULL)
		return xstrndup(b->p, b->n);
	g_byte_array_append(b->own, (const guint8 *)"", 1);
	d = (char *)g_byte_array_free(b->own, FALSE);
	b->own = NULL;
	return d;
}

/* bytes_free - release what part_bytes kept */
static void
bytes_free(struct leaf_bytes *b)
{
	if (b->own != NULL)
		g_byte_array_free(b->own, TRUE);
	buf_free(&b->tmp);
}

/* is_mime_header - a field (name[0..n)) that belongs in a MIME part's
 * header block */
static bool
is_mime_header(const char *name, size_t n)
{
	return (n > 8 && g_ascii_strncasecmp(name, "Content-", 8) == 0) ||
	    (n == 12 && g_ascii_strncasecmp(name, "MIME-Version", 12) == 0) ||
	    (n > 2 && g_ascii_strncasecmp(name, "X-", 2) == 0);
}

/* block_end - where a part's header block that starts at from ends: an
 * empty line or a boundary line */
static size_t
block_end(const char *s, size_t n, size_t from)
{
	const char *nl;

	while (from < n && (nl = memchr(s + from, '\n', n - from)) != NULL) {
		from = (size_t)(nl - s) + 1;
		if (from >= n || s[from] == '\n' || s[from] == '\r' ||
		    (s[from] == '-' && from + 1 < n && s[from + 1] == '-'))
			return from;
	}
	return n;
}

/* salvage_text - text a sender wrote into a part's header block (no
 * empty line after the part's headers): from the first line that is no
 * MIME header field to the content */
static void
salvage_text(struct mime_walk *w, GMimePart *part, struct buf *out)
{
	GMimeHeaderList *hl = g_mime_object_get_header_list(GMIME_OBJECT(part));
	GMimeDataWrapper *dw = g_mime_part_get_content(part);
	GMimeStream *st = dw ? g_mime_data_wrapper_get_stream(dw) : NULL;
	const char *s = w->base, *nl;
	gint64 first, end = -1;
	size_t pos, next, ll, name;

	if (hl == NULL || g_mime_header_list_get_count(hl) == 0)
		return;
	first = g_mime_header_get_offset(g_mime_header_list_get_header_at(hl,
	    0));
	if (first < 0 || (size_t)first >= w->baselen)
		return;
	if (st != NULL) {
		g_mime_stream_reset(st);
		end = g_mime_stream_tell(st);
	}
	if (end < first || (size_t)end > w->baselen)
		end = (gint64)block_end(s, w->baselen, (size_t)first);
	for (pos = (size_t)first; pos < (size_t)end; pos = next) {
		nl = memchr(s + pos, '\n', (size_t)end - pos);
		next = nl ? (size_t)(nl - s) + 1 : (size_t)end;
		ll = (nl ? (size_t)(nl - s) : (size_t)end) - pos;
		if (ll > 0 && s[pos + ll - 1] == '\r')
			ll--;
		if (ll == 0)
			return;	/* the empty line: nothing went wrong */
		if (s[pos] == ' ' || s[pos] == '\t')
			continue;
		name = mime_header_name_len(s + pos, ll);
		if (name == 0 || !is_mime_header(s + pos, name))
			break;
	}
	if (pos < (size_t)end) {
		mtext_repair(out, s + pos, (size_t)end - pos, false);
		w->m->malformed = true;
	}
}

/* filename_of - the attachment name of obj, our own copy, or NULL */
static char *
filename_of(GMimeObject *obj)
{
	const char *f = NULL;

	if (GMIME_IS_PART(obj))
		f = g_mime_part_get_filename(GMIME_PART(obj));
	else if ((f = g_mime_object_get_content_disposition_parameter(obj,
	    "filename")) == NULL)
		f = g_mime_object_get_content_type_parameter(obj, "name");
	return f ? mime_clean_str(f) : NULL;
}

/* member_type - the type of an archive member, by its name: what a
 * report reader looks for, else opaque bytes */
static const char *
member_type(const char *name)
{
	static const char *const map[][2] = { { ".csv", "text/csv" },
	    { ".tsv", "text/tab-separated-values" },
	    { ".xml", "application/xml" }, { ".json", "application/json" },
	    { ".txt", "text/plain" }, { ".log", "text/plain" },
	    { ".eml", "message/rfc822" }, { NULL, NULL } };

	for (size_t i = 0; map[i][0] != NULL; i++)
		if (str_has_suffix_nocase(name, map[i][0]))
			return map[i][1];
	return "application/octet-stream";
}

/* walk_archive - the members of a zip or gzip attachment as parts of
 * their own (parse/archive.c): the report readers find a CSV or DMARC
 * XML inside one like any attachment. Not into the text: a member is
 * an attachment, never what the complainant wrote. */
static void
walk_archive(struct mime_walk *w, const char *data, size_t len,
    const char *fname, int flags)
{
	struct arch_member *mem;
	bool damaged;
	size_t n = archive_expand(data, len, fname, &mem, &damaged);

	(void)damaged;	/* a broken archive is content, not broken MIME:
			 * what could be read is listed, the rest is absent */
	for (size_t i = 0; i < n; i++) {
		const char *type = member_type(mem[i].name);
		struct buf text;

		if (strncmp(type, "text/", 5) == 0 || is_textual(type, NULL) ||
		    strcmp(type, "message/rfc822") == 0) {
			buf_init(&text);
			mtext_to_utf8(&text, mem[i].data, mem[i].len, NULL,
			    false);
			free(mem[i].data);
			mem[i].len = text.len;
			mem[i].data = buf_steal(&text);
		}
		mime_add_part(w, xstrdup(type), mem[i].name, mem[i].data,
		    mem[i].len, leaf_role(type, mem[i].name, true, flags));
		mem[i].name = mem[i].data = NULL;
	}
	archive_members_free(mem, n);
}

/* walk_leaf - one leaf: its bytes decoded, its text where its role says,
 * and its part in the list */
static void
walk_leaf(struct mime_walk *w, GMimePart *part, int flags)
{
	GMimeObject *obj = GMIME_OBJECT(part);
	char *type = type_of(obj), *fname = filename_of(obj), *d;
	enum part_role role = leaf_role(type, fname,
	    g_mime_part_is_attachment(part), flags);
	bool textual = is_textual(type, fname);
	struct leaf_bytes bytes;
	struct buf data;
	size_t len;

	if (is_opaque(type, fname))
		bytes_none(&bytes);
	else
		part_bytes(w, part, textual, &bytes);
	if (textual) {
		buf_init(&data);
		if ((flags & W_INMULTI) && strcmp(type, "text/plain") == 0)
			salvage_text(w, part, &data);
		mtext_to_utf8(&data, bytes.p, bytes.n,
		    g_mime_object_get_content_type_parameter(obj, "charset"),
		    w->cut);
		mime_use_text(w, type, role, &data, flags);
		d = data.s;
		len = data.len;
	} else {
		len = bytes.n;
		d = bytes_steal(&bytes);
	}
	bytes_free(&bytes);
	if (flags & W_TEXTONLY) {
		free(type);
		free(fname);
		free(d);
		return;
	}
	mime_add_part(w, type, fname, d, len, role);
	if (!textual && role != PART_EVIDENCE &&
	    archive_is(type, fname, d, len))
		walk_archive(w, d, len, fname, flags);
}

/* first_offset - offset of the first header of obj, or -1 */
static gint64
first_offset(GMimeObject *obj)
{
	GMimeHeaderList *hl = obj ? g_mime_object_get_header_list(obj) : NULL;

	if (hl == NULL || g_mime_header_list_get_count(hl) == 0)
		return -1;
	return g_mime_header_get_offset(g_mime_header_list_get_header_at(hl,
	    0));
}

/* message_raw - an attached message as it stands in the input, from its
 * first header to the boundary line of the multipart around it; false if
 * its place in the input is not known */
static bool
message_raw(struct mime_walk *w, GMimeMessage *msg, struct buf *data)
{
	gint64 start = first_offset(GMIME_OBJECT(msg)), b;
	size_t end = w->baselen;
	const char *p;
	char *needle;

	b = first_offset(msg->mime_part);
	if (b >= 0 && (start < 0 || b < start))
		start = b;
	if (start < 0 || (size_t)start >= w->baselen)
		return false;
	if (w->boundary != NULL) {
		needle = g_strconcat("\n--", w->boundary, NULL);
		p = memmem(w->base + start, w->baselen - (size_t)start, needle,
		    strlen(needle));
		g_free(needle);
		if (p != NULL)
			end = (size_t)(p - w->base);
	}
	if (end > (size_t)start && w->base[end - 1] == '\r')
		end--;
	mtext_repair(data, w->base + start, end - (size_t)start, w->cut);
	return true;
}

/* message_bytes - the attached message as GMime writes it out again */
static void
message_bytes(GMimeMessage *msg, struct buf *data, bool cut)
{
	GMimeStream *ms = g_mime_stream_mem_new();
	GByteArray *a;

	g_mime_object_write_to_stream(GMIME_OBJECT(msg), NULL, ms);
	a = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(ms));
	mtext_repair(data, (const char *)a->data, a->len, cut);
	g_object_unref(ms);
}

/* walk_message - an attached message: evidence, headers and all */
static void
walk_message(struct mime_walk *w, GMimeMessagePart *mp, int flags,
    int depth)
{
	GMimeObject *obj = GMIME_OBJECT(mp);
	GMimeMessage *msg = g_mime_message_part_get_message(mp);
	struct buf data;

	buf_init(&data);
	if (msg != NULL && !(flags & W_TEXTONLY) && !message_raw(w, msg, &data))
		message_bytes(msg, &data, w->cut);
	if (msg != NULL && !(flags & W_NOTEXT)) {
		mime_add_sep(&w->m->evidence);
		mime_headers_text(&w->m->evidence, msg);
		buf_putc(&w->m->evidence, '\n');
	}
	if (flags & W_TEXTONLY)
		buf_free(&data);
	else
		mime_add_part(w, type_of(obj), filename_of(obj), data.s,
		    data.len, PART_EVIDENCE);
	if (msg != NULL && msg->mime_part != NULL)
		mime_walk(w, msg->mime_part, (flags | W_EVIDENCE) & ~W_INMULTI,
		    depth + 1);
}

/* mime_walk - obj and all it holds into w->m */
void
mime_walk(struct mime_walk *w, GMimeObject *obj, int flags, int depth)
{
	if (depth > MIME_MAX_DEPTH) {
		w->m->malformed = true;
		return;
	}
	if (GMIME_IS_MULTIPART(obj))
		mime_walk_multipart(w, GMIME_MULTIPART(obj), flags, depth);
	else if (GMIME_IS_MESSAGE_PART(obj))
		walk_message(w, GMIME_MESSAGE_PART(obj), flags, depth);
	else if (GMIME_IS_PART(obj))
		walk_leaf(w, GMIME_PART(obj), flags);
}
