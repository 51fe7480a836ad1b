/*
 * mime.c - a complaint's raw bytes parsed into a struct parsed_msg with
 * GMime 3. See message.h.
 *
 * GMime reads the MIME tree; this module decides what is the complainant's
 * own text, what is quoted evidence and what is a machine-readable report,
 * and makes every string valid UTF-8 (mime_text.c). The kinds of damage
 * that would lose text are mended before or after GMime reads the message
 * (mime_mend.c, mime_walk.c): NUL bytes, a blank line inside the header
 * block, a body that starts without a blank line, no header at all, a
 * multipart without boundary, text in a part's header block, base64 that
 * is not base64. Each of them, and a multipart that never closes, sets
 * `malformed`.
 *
 * GMime's parser warnings are not used: with a warning callback set,
 * GMime decodes every header value once more, which made a whole parse a
 * quarter slower.
 *
 * The input is not copied to be parsed: GMime reads it through a memory
 * stream that does not own it, and part contents are sub-streams of it.
 * A max_body of 0 means no limit.
 */
#include "parse/message.h"
#include "parse/mime_int.h"
#include "parse/mime_text.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static pthread_once_t mime_once = PTHREAD_ONCE_INIT;

/* mime_init_once - GMime's global tables, built once for all threads */
static void
mime_init_once(void)
{
	g_mime_init();
}

/* mime_stream - a GMime stream reading s[0..n) in place: arr (the
 * caller's, alive as long as the stream) points at s, and the stream does
 * not own it, so nothing is copied or freed */
GMimeStream *
mime_stream(GByteArray *arr, const char *s, size_t n)
{
	GMimeStream *st;

	arr->data = (guint8 *)s;
	arr->len = n > G_MAXUINT ? G_MAXUINT : (guint)n;
	st = g_mime_stream_mem_new_with_byte_array(arr);
	g_mime_stream_mem_set_owner(GMIME_STREAM_MEM(st), FALSE);
	return st;
}

/* mime_options - GMime parser options for one parse: lenient, and
 * 8-bit header bytes that are not UTF-8 read as windows-1252 */
GMimeParserOptions *
mime_options(void)
{
	static const char *fallback[] = { "UTF-8", "windows-1252", NULL };
	GMimeParserOptions *o = g_mime_parser_options_new();

	g_mime_parser_options_set_rfc2047_compliance_mode(o,
	    GMIME_RFC_COMPLIANCE_LOOSE);
	g_mime_parser_options_set_parameter_compliance_mode(o,
	    GMIME_RFC_COMPLIANCE_LOOSE);
	g_mime_parser_options_set_address_compliance_mode(o,
	    GMIME_RFC_COMPLIANCE_LOOSE);
	g_mime_parser_options_set_fallback_charsets(o, fallback);
	return o;
}

/* value_str - s[0..n) as a header value of our own: unfolded (CR and LF
 * dropped), trimmed, valid UTF-8 */
static char *
value_str(const char *s, size_t n)
{
	const unsigned char *u;
	struct buf b;
	size_t i, j;

	while (n > 0 && g_ascii_isspace(*s)) {
		s++;
		n--;
	}
	while (n > 0 && g_ascii_isspace(s[n - 1]))
		n--;
	u = (const unsigned char *)s;
	for (i = 0; i < n && u[i] >= ' ' && u[i] < 0x80; i++)
		;
	if (i == n)
		return xstrndup(s, n);	/* the common case: plain ASCII */
	b.s = xmalloc(n + 1);
	b.cap = n + 1;
	b.len = 0;
	b.s[0] = '\0';
	for (i = 0; i < n; i = j + 1) {
		for (j = i; j < n && s[j] != '\r' && s[j] != '\n'; j++)
			;
		mtext_repair(&b, s + i, j - i, false);
	}
	return b.s;
}

/* mime_clean_str - s (NULL: "") as a trimmed one-line UTF-8 string */
char *
mime_clean_str(const char *s)
{
	return value_str(s ? s : "", s ? strlen(s) : 0);
}

/* header_value - a header's value, ours, unfolded, decoded, trimmed.
 * GMime decodes RFC 2047 words; a value without any is unfolded here,
 * which spares GMime's decoder and its charset scan of every value. */
static char *
header_value(GMimeHeader *h)
{
	const char *raw = g_mime_header_get_raw_value(h);

	if (raw == NULL || strstr(raw, "=?") != NULL)
		return mime_clean_str(g_mime_header_get_value(h));
	return value_str(raw, strlen(raw));
}

/* message_headers - a message's header fields in the order written
 * (GMime keeps the Content-* ones with the message's top part); the
 * array is ours, the headers are GMime's */
static GMimeHeader **
message_headers(GMimeMessage *msg, size_t *count)
{
	GMimeHeaderList *a = g_mime_object_get_header_list(GMIME_OBJECT(msg));
	GMimeHeaderList *b = msg->mime_part ?
	    g_mime_object_get_header_list(msg->mime_part) : NULL;
	int na = a ? g_mime_header_list_get_count(a) : 0;
	int nb = b ? g_mime_header_list_get_count(b) : 0, i = 0, j = 0;
	GMimeHeader **v = xcalloc((size_t)(na + nb) + 1, sizeof(*v));
	GMimeHeader *ha, *hb;

	*count = 0;
	while (i < na || j < nb) {
		ha = i < na ? g_mime_header_list_get_header_at(a, i) : NULL;
		hb = j < nb ? g_mime_header_list_get_header_at(b, j) : NULL;
		if (hb == NULL || (ha != NULL && g_mime_header_get_offset(ha) <=
		    g_mime_header_get_offset(hb))) {
			v[(*count)++] = ha;
			i++;
		} else {
			v[(*count)++] = hb;
			j++;
		}
	}
	return v;
}

/* mime_headers_text - append a message's header as "Name: value" lines */
void
mime_headers_text(struct buf *out, GMimeMessage *msg)
{
	size_t i, n;
	GMimeHeader **v = message_headers(msg, &n);
	char *val;

	for (i = 0; i < n; i++) {
		val = header_value(v[i]);
		buf_puts(out, g_mime_header_get_name(v[i]));
		buf_append(out, ": ", 2);
		buf_puts(out, val);
		buf_putc(out, '\n');
		free(val);
	}
	free(v);
}

/* add_headers - the top-level headers, in order */
static void
add_headers(struct parsed_msg *m, GMimeMessage *msg)
{
	size_t i, n;
	GMimeHeader **v = message_headers(msg, &n);

	m->hdrs = xcalloc(n, sizeof(*m->hdrs));
	for (i = 0; i < n; i++) {
		m->hdrs[i].name = mime_clean_str(g_mime_header_get_name(v[i]));
		m->hdrs[i].value = header_value(v[i]);
	}
	m->nhdrs = n;
	free(v);
}

/* text_only - no MIME tree could be read: the whole input is the text */
static int
text_only(struct mime_walk *w, const char *s, size_t n)
{
	struct buf data;

	w->m->malformed = true;
	if (n == 0)
		return -1;
	buf_init(&data);
	mtext_repair(&data, s, n, w->cut);
	mime_add_text(&w->m->text, data.s, data.len);
	mime_add_part(w, xstrdup("text/plain"), NULL, data.s, data.len,
	    PART_TEXT);
	return 0;
}

/* parse_tree - run GMime over s[0..n) and walk what it read */
static int
parse_tree(struct mime_walk *w, const char *s, size_t n)
{
	GByteArray arr;
	GMimeStream *st = mime_stream(&arr, s, n);
	GMimeParser *p = g_mime_parser_new_with_stream(st);
	GMimeParserOptions *o = mime_options();
	GMimeMessage *msg;
	int rc = 0;

	w->base = s;
	w->baselen = n;
	g_mime_parser_set_format(p, GMIME_FORMAT_MESSAGE);
	msg = g_mime_parser_construct_message(p, o);
	if (msg == NULL) {
		rc = text_only(w, s, n);
	} else {
		add_headers(w->m, msg);
		if (msg->mime_part != NULL)
			mime_walk(w, msg->mime_part, 0, 0);
		g_object_unref(msg);
	}
	g_object_unref(p);
	g_object_unref(st);
	g_mime_parser_options_free(o);
	return rc;
}

int
mime_parse(const char *raw, size_t len, size_t max_body,
    struct parsed_msg *out)
{
	struct mime_walk w;
	struct mime_input in;
	int rc;

	pthread_once(&mime_once, mime_init_once);
	memset(out, 0, sizeof(*out));
	buf_init(&out->text);
	buf_init(&out->evidence);
	if (raw == NULL || len == 0) {
		out->malformed = true;
		return -1;
	}
	memset(&w, 0, sizeof(w));
	w.m = out;
	mime_mend(&in, raw, len, max_body);
	out->truncated = w.cut = in.cut;
	if (in.mended)
		out->malformed = true;
	if (!in.has_headers)
		rc = text_only(&w, in.s, in.len);
	else
		rc = parse_tree(&w, in.s, in.len);
	free(in.owned);
	if (w.closers != NULL)
		g_hash_table_destroy(w.closers);
	return rc;
}

void
parsed_msg_free(struct parsed_msg *m)
{
	size_t i;

	for (i = 0; i < m->nhdrs; i++) {
		free(m->hdrs[i].name);
		free(m->hdrs[i].value);
	}
	free(m->hdrs);
	for (i = 0; i < m->nparts; i++) {
		free(m->parts[i].content_type);
		free(m->parts[i].filename);
		free(m->parts[i].data);
	}
	free(m->parts);
	buf_free(&m->text);
	buf_free(&m->evidence);
	memset(m, 0, sizeof(*m));
}

const char *
parsed_msg_header(const struct parsed_msg *m, const char *name)
{
	size_t i;

	for (i = 0; i < m->nhdrs; i++)
		if (strcasecmp(m->hdrs[i].name, name) == 0)
			return m->hdrs[i].value;
	return NULL;
}
