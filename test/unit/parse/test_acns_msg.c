/*
 * test_acns_msg.c - unit tests for acns_parse() (acns.c) on whole parsed
 * messages: where a notice may stand (the text, text parts, reports,
 * anything calling itself XML) and where it may not (quoted evidence,
 * images); one notice per message even when it is both inline and
 * attached; a damaged inline copy gives way to a whole attachment. The
 * real samples, when present, are read as one text.
 */
#include "acns_samples.h"

#include <stdio.h>
#include <stdlib.h>

#include "parse/acns.h"
#include "parse/message.h"

#ifndef TEST_SRCDIR
#define TEST_SRCDIR "."
#endif

/* the real samples sit beside the clone, or where ABUSE_REAL_CORPUS says */
static const char *
real_corpus(void)
{
	const char *d = getenv("ABUSE_REAL_CORPUS");

	return d != NULL ? d : TEST_SRCDIR "/../shared/corpus/real";
}

/* msg_init - a parsed message with this text and no parts */
static void
msg_init(struct parsed_msg *m, const char *text)
{
	memset(m, 0, sizeof(*m));
	buf_init(&m->text);
	buf_init(&m->evidence);
	buf_puts(&m->text, text);
}

/* msg_add - append a leaf part */
static void
msg_add(struct parsed_msg *m, const char *type, const char *name,
    const char *data, enum part_role role)
{
	struct msg_part *p;

	m->parts = xrealloc(m->parts, (m->nparts + 1) * sizeof(*m->parts));
	p = &m->parts[m->nparts++];
	p->content_type = xstrdup(type);
	p->filename = name ? xstrdup(name) : NULL;
	p->data = xstrdup(data);
	p->len = strlen(data);
	p->role = role;
}

/* A parsed message: its text, up to two parts, and what acns_parse must
 * return for it. */
struct msg_row {
	const char *label;
	const char *text;
	struct {
		const char *type, *name, *data;
		enum part_role role;
	} part[2];
	const char *want;
};

#define PROSE "Dear Sir or Madam,\nplease see the notice.\n"
#define PARTIAL "<Infringement><Complainant><Entity>Half</Entity>" \
	"</Complainant></Infringement>"

static const struct msg_row msg_rows[] = {
	{"inline and attached copies give one notice", PROSE ACNS12,
	    {{"application/xml", "1.xml", ACNS12, PART_REPORT},
	    {"text/plain", NULL, PROSE ACNS12, PART_TEXT}}, WANT12},
	{"attachment only", PROSE,
	    {{"text/plain", NULL, PROSE, PART_TEXT},
	    {"application/xml", "7731.xml", ACNS20, PART_REPORT}}, WANT20},
	{"attachment of unknown role, named .XML", PROSE,
	    {{"application/octet-stream", "N.XML", BARE, PART_OTHER}},
	    WANT_BARE},
	{"attachment of unknown role, xml type", PROSE,
	    {{"text/xml", NULL, BARE, PART_OTHER}}, WANT_BARE},
	{"image is not read", PROSE,
	    {{"image/png", "x.png", BARE, PART_OTHER}}, NULL},
	{"quoted earlier mail is evidence, not the complaint", PROSE,
	    {{"message/rfc822", NULL, ACNS12, PART_EVIDENCE}}, NULL},
	{"damaged inline copy, whole attachment", PROSE PARTIAL,
	    {{"application/xml", "b.xml", BARE, PART_REPORT}}, WANT_BARE},
	{"only a partial notice anywhere", PROSE PARTIAL,
	    {{"application/xml", "b.xml", PARTIAL, PART_REPORT}},
	    "report=acns\nacns.Entity=Half\n"},
	{"pgp-signed text", PGP_SIGNED, {{NULL, NULL, NULL, PART_TEXT}},
	    "report=acns\nacns.Case-ID=5512\nacns.IP_Address=192.0.2.44\n"
	    "acns.FileName=Show.S01E01 -720p.mkv\n"},
	{"empty message", "", {{NULL, NULL, NULL, PART_TEXT}}, NULL},
};

/* test_messages - acns_parse over hand-built parsed messages */
static void
test_messages(void **state)
{
	int failed = 0;

	for (size_t i = 0; i < sizeof(msg_rows) / sizeof(msg_rows[0]); i++) {
		const struct msg_row *r = &msg_rows[i];
		struct parsed_msg m;
		struct kvlist kv;
		bool found;

		msg_init(&m, r->text);
		for (size_t k = 0; k < 2 && r->part[k].data; k++)
			msg_add(&m, r->part[k].type, r->part[k].name,
			    r->part[k].data, r->part[k].role);
		kvlist_init(&kv);
		found = acns_parse(&m, &kv);
		if (!check_result(r->label, found, &kv, r->want, NULL))
			failed++;
		kvlist_free(&kv);
		parsed_msg_free(&m);
	}
	assert_int_equal(failed, 0);
}

/* The real samples and what their labels say about them. */
static const struct {
	const char *file, *case_id, *ip, *port;
} real_rows[] = {
	{"abuseio-copyrightcompliance-1.eml", "312-200234534", "10.0.2.100",
	    "34890"},
	{"abuseio-ipechelon-1.eml", "314620451", "192.168.2.200", "35657"},
	{"abuseio-ipechelon-3.eml", "316896986", "192.168.2.100", NULL},
	{"abuseio-ipechelon-8-warner.eml", "324415991", "192.168.3.2", NULL},
	{"abuseio-spamexperts-1-arf.eml", NULL, NULL, NULL},
	{"abuseio-google-safebrowsing-1.eml", NULL, NULL, NULL},
};

/* read_file - whole file into b; false when it cannot be read */
static bool
read_file(const char *path, struct buf *b)
{
	size_t len;
	char *s = util_read_file(path, &len);

	if (s == NULL)
		return false;
	buf_append(b, s, len);
	free(s);
	return true;
}

/* test_real_samples - the raw messages as text: the notice is found in
 * its PGP-signed, dash-escaped or attached form with the labelled values */
static void
test_real_samples(void **state)
{
	struct parsed_msg m;
	struct kvlist kv;
	char *path;
	bool found;

	for (size_t i = 0; i < sizeof(real_rows) / sizeof(real_rows[0]); i++) {
		path = xasprintf("%s/%s", real_corpus(), real_rows[i].file);
		msg_init(&m, "");
		if (!read_file(path, &m.text)) {
			parsed_msg_free(&m);
			free(path);
			skip();
		}
		kvlist_init(&kv);
		found = acns_parse(&m, &kv);
		assert_int_equal(found, real_rows[i].case_id != NULL);
		if (found) {
			assert_string_equal(kvlist_get(&kv, "acns.Case-ID"),
			    real_rows[i].case_id);
			assert_string_equal(kvlist_get(&kv,
			    "acns.IP_Address"), real_rows[i].ip);
			if (real_rows[i].port)
				assert_string_equal(kvlist_get(&kv,
				    "acns.Port"), real_rows[i].port);
			assert_int_equal(kv.n, 12 - (i == 0) * 2);
		}
		kvlist_free(&kv);
		parsed_msg_free(&m);
		free(path);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_messages),
		cmocka_unit_test(test_real_samples),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
