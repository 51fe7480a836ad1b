/*
 * mime_check.h - what the MIME tests share (test_mime.c,
 * test_mime_corpus.c): reading a file, the invariants every parse keeps,
 * finding a part. Static functions: each test program includes it once.
 */
#ifndef ABUSE_MIME_CHECK_H
#define ABUSE_MIME_CHECK_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parse/message.h"
#include "parse/mime_text.h"
#include "util/utf8.h"

#define DATA TEST_SRCDIR "/test/unit/data/mime/"

static const char *const role_names[] = {
	"TEXT", "EVIDENCE", "REPORT", "OTHER"
};

/* textual - parts whose data message.h promises as UTF-8 */
static bool
textual(const struct msg_part *p)
{
	return strncmp(p->content_type, "text/", 5) == 0 ||
	    strncmp(p->content_type, "message/", 8) == 0 ||
	    strstr(p->content_type, "xml") || strstr(p->content_type, "json");
}

/* check_invariants - what holds for every parse of any input */
static void
check_invariants(const char *label, const struct parsed_msg *m)
{
	size_t i;

	if (m->text.s == NULL || strlen(m->text.s) != m->text.len ||
	    !utf8_valid(m->text.s, m->text.len, NULL))
		fail_msg("%s: text not a valid UTF-8 C string", label);
	if (m->evidence.s == NULL ||
	    strlen(m->evidence.s) != m->evidence.len ||
	    !utf8_valid(m->evidence.s, m->evidence.len, NULL))
		fail_msg("%s: evidence not a valid UTF-8 C string", label);
	for (i = 0; i < m->nhdrs; i++) {
		const struct msg_header *h = &m->hdrs[i];

		if (h->name == NULL || h->value == NULL ||
		    !utf8_valid(h->value, strlen(h->value), NULL) ||
		    strchr(h->value, '\n') != NULL)
			fail_msg("%s: header %zu broken", label, i);
	}
	for (i = 0; i < m->nparts; i++) {
		const struct msg_part *p = &m->parts[i];

		if (p->content_type == NULL || p->data == NULL ||
		    p->data[p->len] != '\0' || (int)p->role < 0 ||
		    p->role > PART_OTHER)
			fail_msg("%s: part %zu broken", label, i);
		if (textual(p) && !utf8_valid(p->data, p->len, NULL))
			fail_msg("%s: part %zu (%s) not UTF-8", label, i,
			    p->content_type);
	}
}

static const struct msg_part *
find_part(const struct parsed_msg *m, const char *type, const char *role)
{
	for (size_t i = 0; i < m->nparts; i++)
		if (strcmp(m->parts[i].content_type, type) == 0 &&
		    strcmp(role_names[m->parts[i].role], role) == 0)
			return &m->parts[i];
	return NULL;
}

#endif
