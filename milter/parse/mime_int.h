/*
 * mime_int.h - what the files of the MIME module share. Not for other
 * modules: they read struct parsed_msg (message.h).
 *
 * Calls go one way, top down:
 *	mime.c		mime_parse: mend, run GMime, walk
 *	mime_walk.c	leaves and attached messages
 *	mime_multi.c	multiparts; their parts are walked through
 *			w->walk, so that this file never calls back up
 *	mime_part.c	where parts and text go in struct parsed_msg
 *	mime_mend.c	the raw bytes made fit for GMime
 *	mime_gmime.c	GMime streams, options and header values
 *	mime_text.c	UTF-8 and HTML (mime_text.h)
 */
#ifndef ABUSE_MIME_INT_H
#define ABUSE_MIME_INT_H

#include <stdbool.h>
#include <stddef.h>

#include <gmime/gmime.h>

#include "parse/message.h"
#include "util/util.h"

#define MIME_MAX_DEPTH	40	/* nesting we follow; GMime stops sooner */
#define MIME_MAX_OPEN	64	/* boundaries open at once that GMime sees */

/* mime_input - the bytes GMime reads, after mime_mend */
struct mime_input {
	const char *s;		/* the input, or `owned` */
	size_t len;		/* cut to the header + max_body bytes of body */
	char *owned;		/* a mended copy, or NULL */
	bool has_headers;	/* false: the input starts with body text */
	bool cut;		/* the body was longer than max_body */
	bool mended;		/* the copy differs from the input */
};

/* mime_walk - state of one parse */
struct mime_walk {
	struct parsed_msg *m;
	/* walk obj and all it holds: mime_walk, set by mime.c */
	void (*walk)(struct mime_walk *w, GMimeObject *obj, int flags,
	    int depth);
	bool cut;		/* input truncated: truncation is no damage */
	const char *base;	/* the bytes GMime reads; offsets are into it */
	size_t baselen;
	size_t partcap;
	GHashTable *closers;	/* boundaries with a closing line in base */
	bool reparsing;		/* base is a rebuilt multipart, not the input */
	const char *boundary;	/* of the nearest multipart around */
	size_t max_scan;	/* bytes of a text part for text/evidence */
};

/* flags passed down the tree */
enum {
	W_EVIDENCE = 1,		/* inside message/rfc822 */
	W_NOTEXT = 2,		/* an alternative not chosen, a signature */
	W_TEXTONLY = 4,		/* a second visit for the text: parts listed */
	W_INMULTI = 8,		/* a child of a multipart */
};

/* mime_walk.c: obj and all it holds into w->m */
void mime_walk(struct mime_walk *w, GMimeObject *obj, int flags, int depth);

/* mime_multi.c: the parts of a multipart, and which one is the text */
void mime_walk_multipart(struct mime_walk *w, GMimeMultipart *mp,
    int flags, int depth);

/* mime_part.c */
/* mime_add_part - list a part; type, filename and data become its */
void mime_add_part(struct mime_walk *w, char *type, char *filename,
    char *data, size_t len, enum part_role role);
/* mime_use_text - a leaf's UTF-8 text into text or evidence, by role */
void mime_use_text(struct mime_walk *w, const char *type,
    enum part_role role, const struct buf *data, int flags);
/* mime_add_sep - end b's last line, if it has one */
void mime_add_sep(struct buf *b);
/* mime_add_text - append s to b, starting on a line of its own */
void mime_add_text(struct buf *b, const char *s, size_t n);
/* mime_add_scan - mime_add_text of at most w->max_scan bytes of s */
void mime_add_scan(struct mime_walk *w, struct buf *b, const char *s,
    size_t n);

/* mime_mend.c */
/* mime_header_name_len - length of the field name of a header line, or 0 */
size_t mime_header_name_len(const char *line, size_t n);
/* mime_mend - fill in: the input cut at max_body, mended if need be */
void mime_mend(struct mime_input *in, const char *raw, size_t len,
    size_t max_body);

/* mime_gmime.c */
/* mime_stream - a GMime stream reading s[0..n) in place through arr */
GMimeStream *mime_stream(GByteArray *arr, const char *s, size_t n);
/* mime_options - lenient parser options; free with
 * g_mime_parser_options_free */
GMimeParserOptions *mime_options(void);
/* mime_clean_str - s (NULL: "") as a trimmed one-line UTF-8 string */
char *mime_clean_str(const char *s);
/* mime_headers_text - append a message's header as "Name: value" lines */
void mime_headers_text(struct buf *out, GMimeMessage *msg);
/* mime_add_headers - a message's top-level headers into m->hdrs */
void mime_add_headers(struct parsed_msg *m, GMimeMessage *msg);

#endif
