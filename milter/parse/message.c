/*
 * message.c - reading a parsed complaint (struct parsed_msg, message.h)
 * once mime.c has built it: its headers, what its parts are, and
 * freeing it.
 */
#include "parse/message.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* parsed_msg_free - release everything; m is empty after */
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

/* parsed_msg_header - the first header of that name, any case */
const char *
parsed_msg_header(const struct parsed_msg *m, const char *name)
{
	size_t i;

	for (i = 0; i < m->nhdrs; i++)
		if (strcasecmp(m->hdrs[i].name, name) == 0)
			return m->hdrs[i].value;
	return NULL;
}

/* msg_part_usable - not quoted evidence, and not empty */
bool
msg_part_usable(const struct msg_part *pt)
{
	return pt->role != PART_EVIDENCE && pt->data != NULL && pt->len > 0;
}

/* msg_part_is - by declared type or by file name */
bool
msg_part_is(const struct msg_part *pt, const char *content_type,
    const char *suffix)
{
	if (content_type != NULL && pt->content_type != NULL &&
	    strcmp(pt->content_type, content_type) == 0)
		return true;
	return suffix != NULL && str_has_suffix_nocase(pt->filename, suffix);
}
