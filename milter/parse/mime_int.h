/*
 * mime_int.h - what the files of the MIME module share (mime.c,
 * mime_mend.c, mime_walk.c, mime_multi.c). Not for other modules: they
 * read struct parsed_msg (message.h).
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
	bool cut;		/* input truncated: truncation is no damage */
	const char *base;	/* the bytes GMime reads; offsets are into it */
	size_t baselen;
	size_t partcap;
	GHashTable *closers;	/* boundaries with a closing line in base */
	bool reparsing;		/* base is a rebuilt multipart, not the input */
	const char *boundary;	/* of the nearest multipart around */
};

/* flags passed down the tree */
enum {
	W_EVIDENCE = 1,		/* inside message/rfc822 */
	W_NOTEXT = 2,		/* an alternative not chosen, a signature */
	W_TEXTONLY = 4,		/* a second visit for the text: parts listed */
	W_INMULTI = 8,		/* a child of a multipart */
};

/* mime_mend.c */
size_t mime_header_name_len(const char *line, size_t n);
void mime_mend(struct mime_input *in, const char *raw, size_t len,
    size_t max_body);

/* mime_walk.c (see there) */
void mime_walk(struct mime_walk *w, GMimeObject *obj, int flags, int depth);
void mime_use_text(struct mime_walk *w, const char *type,
    enum part_role role, const struct buf *data, int flags);
void mime_add_part(struct mime_walk *w, char *type, char *filename,
    char *data, size_t len, enum part_role role);
void mime_add_sep(struct buf *b);
void mime_add_text(struct buf *b, const char *s, size_t n);

/* mime_multi.c */
void mime_walk_multipart(struct mime_walk *w, GMimeMultipart *mp,
    int flags, int depth);

/* mime.c (see there) */
GMimeStream *mime_stream(GByteArray *arr, const char *s, size_t n);
GMimeParserOptions *mime_options(void);
char *mime_clean_str(const char *s);
void mime_headers_text(struct buf *out, GMimeMessage *msg);

#endif
