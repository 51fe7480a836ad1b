/*
 * mime_gmime.c - what the files of the MIME module ask of GMime: a stream
 * over bytes in place, the parser options of one parse, and header fields
 * turned into strings of our own (unfolded, trimmed, valid UTF-8). See
 * mime_int.h; mime.c tells the whole story.
 *
 * GMime decodes RFC 2047 words; a value without any is unfolded here,
 * which spares GMime's decoder and its charset scan of every value.
 */
#include "parse/mime_int.h"
#include "parse/mime_text.h"

#include <stdlib.h>
#include <string.h>

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

/* mime_value_str - s[0..n) as a header value of our own: unfolded (CR
 * and LF dropped), trimmed, valid UTF-8 */
static char *
mime_value_str(const char *s, size_t n)
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
		/* a CR or LF that does not fold the line (no blank after it,
		 * and not the CR of a CRLF) still separates words: "123\rBcc"
		 * is no case id "123Bcc" */
		if (j + 1 < n && s[j + 1] != '\n' &&
		    s[j + 1] != ' ' && s[j + 1] != '\t' && b.len > 0 &&
		    b.s[b.len - 1] != ' ')
			buf_putc(&b, ' ');
	}
	return b.s;
}

/* mime_clean_str - s (NULL: "") as a trimmed one-line UTF-8 string */
char *
mime_clean_str(const char *s)
{
	return mime_value_str(s ? s : "", s ? strlen(s) : 0);
}

/* mime_header_value - a header's value, ours, unfolded, decoded,
 * trimmed */
static char *
mime_header_value(GMimeHeader *h)
{
	const char *raw = g_mime_header_get_raw_value(h);

	if (raw == NULL || strstr(raw, "=?") != NULL)
		return mime_clean_str(g_mime_header_get_value(h));
	return mime_value_str(raw, strlen(raw));
}

/* mime_message_headers - a message's header fields in the order written
 * (GMime keeps the Content-* ones with the message's top part); the
 * array is ours, the headers are GMime's */
static GMimeHeader **
mime_message_headers(GMimeMessage *msg, size_t *count)
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
	GMimeHeader **v = mime_message_headers(msg, &n);
	char *val;

	for (i = 0; i < n; i++) {
		val = mime_header_value(v[i]);
		buf_puts(out, g_mime_header_get_name(v[i]));
		buf_append(out, ": ", 2);
		buf_puts(out, val);
		buf_putc(out, '\n');
		free(val);
	}
	free(v);
}

/* mime_add_headers - the message's top-level headers, in order, into m */
void
mime_add_headers(struct parsed_msg *m, GMimeMessage *msg)
{
	size_t i, n;
	GMimeHeader **v = mime_message_headers(msg, &n);

	m->hdrs = xcalloc(n, sizeof(*m->hdrs));
	for (i = 0; i < n; i++) {
		m->hdrs[i].name = mime_clean_str(g_mime_header_get_name(v[i]));
		m->hdrs[i].value = mime_header_value(v[i]);
	}
	m->nhdrs = n;
	free(v);
}
