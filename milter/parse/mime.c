/*
 * mime.c - a complaint's raw bytes parsed into a struct parsed_msg with
 * GMime 3. See message.h.
 *
 * GMime reads the MIME tree; this module and the files below it
 * (mime_int.h lists them) decide what is the complainant's own text, what
 * is quoted evidence and what is a machine-readable report, and make
 * every string valid UTF-8 (mime_text.c). The kinds of damage that would
 * lose text are mended before or after GMime reads the message
 * (mime_mend.c, mime_walk.c, mime_multi.c): NUL bytes, a blank line
 * inside the header block, a body that starts without a blank line, no
 * header at all, a multipart without boundary, text in a part's header
 * block, base64 that
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

static pthread_once_t mime_once = PTHREAD_ONCE_INIT;

/* mime_init_once - GMime's global tables, built once for all threads */
static void
mime_init_once(void)
{
	g_mime_init();
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
	mime_add_scan(w, &w->m->text, data.s, data.len);
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
		mime_add_headers(w->m, msg);
		if (msg->mime_part != NULL)
			mime_walk(w, msg->mime_part, 0, 0);
		g_object_unref(msg);
	}
	g_object_unref(p);
	g_object_unref(st);
	g_mime_parser_options_free(o);
	return rc;
}

/* mime_parse - see message.h */
int
mime_parse(const char *raw, size_t len, size_t max_body,
    struct parsed_msg *out)
{
	return mime_parse_scan(raw, len, max_body, 0, out);
}

/* mime_parse_scan - see message.h */
int
mime_parse_scan(const char *raw, size_t len, size_t max_body,
    size_t max_scan, struct parsed_msg *out)
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
	w.walk = mime_walk;	/* mime_multi.c walks parts through it */
	w.max_scan = max_scan;
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
