/*
 * mime_part.c - where the pieces of a walked MIME tree go in the struct
 * parsed_msg: the list of parts, the complaint's own text and the text
 * of the evidence. Used by mime.c, mime_walk.c and mime_multi.c; see
 * mime_int.h.
 */
#include "parse/mime_int.h"
#include "parse/mime_text.h"
#include "util/utf8.h"

#include <string.h>

/* mime_add_part - list a part; type, filename and data become its */
void
mime_add_part(struct mime_walk *w, char *type, char *filename, char *data,
    size_t len, enum part_role role)
{
	struct parsed_msg *m = w->m;

	m->parts = xgrow(m->parts, &w->partcap, m->nparts + 1,
	    sizeof(*m->parts));
	m->parts[m->nparts].content_type = type;
	m->parts[m->nparts].filename = filename;
	m->parts[m->nparts].data = data;
	m->parts[m->nparts].len = len;
	m->parts[m->nparts].role = role;
	m->nparts++;
}

/* mime_add_sep - end b's last line, if it has one */
void
mime_add_sep(struct buf *b)
{
	if (b->len > 0 && b->s[b->len - 1] != '\n')
		buf_putc(b, '\n');
}

/* mime_add_text - append s to b, starting on a line of its own */
void
mime_add_text(struct buf *b, const char *s, size_t n)
{
	mime_add_sep(b);
	buf_append(b, s, n);
}

/* mime_scan_len - how much of a text part of n bytes is scanned: at
 * most max_scan, moved back to a character boundary; the cut noted */
static size_t
mime_scan_len(struct mime_walk *w, const char *s, size_t n)
{
	if (w->max_scan == 0 || n <= w->max_scan)
		return n;
	if (n > w->m->scan_cut)
		w->m->scan_cut = n;
	return utf8_cut(s, n, w->max_scan);
}

/* mime_add_scan - mime_add_text of the part's first max_scan bytes */
void
mime_add_scan(struct mime_walk *w, struct buf *b, const char *s, size_t n)
{
	mime_add_text(b, s, mime_scan_len(w, s, n));
}

/* mime_use_text - put a leaf's UTF-8 text where its role says */
void
mime_use_text(struct mime_walk *w, const char *type, enum part_role role,
    const struct buf *data, int flags)
{
	struct buf *to;

	if (flags & W_NOTEXT)
		return;
	if ((flags & W_EVIDENCE) || role == PART_EVIDENCE)
		to = &w->m->evidence;
	else if (role == PART_TEXT)
		to = &w->m->text;
	else
		return;
	if (strcmp(type, "text/html") == 0) {
		mime_add_sep(to);
		mtext_html_to_text(to, data->s,
		    mime_scan_len(w, data->s, data->len));
	} else if (strncmp(type, "text/", 5) == 0 ||
	    strcmp(type, "message/global-headers") == 0) {
		mime_add_scan(w, to, data->s, data->len);
	}
}
