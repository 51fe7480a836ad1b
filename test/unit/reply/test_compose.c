/*
 * test_compose.c - unit tests of milter/reply/compose.c: the reply
 * checked header by header, the body, the grammar gate (bad recipient,
 * bad Message-ID: no reply), and hostile subjects that must neither add
 * a header field nor break the shape of the header section.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "evidence/evidence.h"
#include "parse/message.h"
#include "parse/rfc5322.h"
#include "reply/compose.h"
#include "reply/echo.h"
#include "reply/reply_conf.h"
#include "reply/template.h"

#ifndef TEST_SRCDIR
#define TEST_SRCDIR "."
#endif

#define NOW 1700000000		/* Tue, 14 Nov 2023 22:13:20 UTC */

static const char test_template[] =
	"X-Case: ${case_id:-none}\n"
	"\n"
	"Hello ${to_name},\n"
	"ips ${ips}; ports ${ports}; exit ${tor_exit}; cat ${category}\n"
	"subject: ${subject}\n"
	"mid: ${message_id:-none}\n"
	"when ${timestamp:-?} by ${reporter:-?} to $TO$\n"
	"-- \n"
	"$FROM$\n";

/* the fields every reply has, in order; the template adds X-Case */
static const char *const fixed_fields[] = {
	"From", "To", "Subject", "Date", "Message-ID", "In-Reply-To",
	"References", "Auto-Submitted", "X-Loop", "X-Auto-Response-Suppress",
	"MIME-Version", "Content-Type", "Content-Transfer-Encoding", "X-Case",
};

struct fixture {
	struct reply_conf rc;
	struct reply_category cat;
	struct evidence ev;
	struct parsed_msg m;
};

/* load_tmp - a template from text via a temporary file */
static struct template *
load_tmp(const char *text)
{
	char path[] = "/tmp/test_reply_compose_XXXXXX", err[512];
	int fd = mkstemp(path);
	struct template *t;

	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	t = template_load(path, err, sizeof(err));
	unlink(path);
	if (t == NULL)
		fail_msg("%s", err);
	return t;
}

/* set_headers - replace the message's headers: "Name: value\n" lines */
static void
set_headers(struct parsed_msg *m, const char *text)
{
	const char *p = text, *nl, *colon;

	for (size_t i = 0; i < m->nhdrs; i++) {
		free(m->hdrs[i].name);
		free(m->hdrs[i].value);
	}
	m->nhdrs = 0;
	for (; (nl = strchr(p, '\n')) != NULL; p = nl + 1) {
		colon = memchr(p, ':', (size_t)(nl - p));
		m->hdrs = xrealloc(m->hdrs, (m->nhdrs + 1) * sizeof(*m->hdrs));
		m->hdrs[m->nhdrs].name = xstrndup(p, (size_t)(colon - p));
		colon += strspn(colon + 1, " ") + 1;
		m->hdrs[m->nhdrs].value = xstrndup(colon, (size_t)(nl - colon));
		m->nhdrs++;
	}
}

/* set_header - set (or add) one header to a value that may hold CR/LF */
static void
set_header(struct parsed_msg *m, const char *name, const char *value)
{
	for (size_t i = 0; i < m->nhdrs; i++)
		if (strcmp(m->hdrs[i].name, name) == 0) {
			free(m->hdrs[i].value);
			m->hdrs[i].value = xstrdup(value);
			return;
		}
	m->hdrs = xrealloc(m->hdrs, (m->nhdrs + 1) * sizeof(*m->hdrs));
	m->hdrs[m->nhdrs].name = xstrdup(name);
	m->hdrs[m->nhdrs].value = xstrdup(value);
	m->nhdrs++;
}

/* setup - a config, a category with the test template, a complaint */
static int
setup(void **state)
{
	struct fixture *f = xcalloc(1, sizeof(*f));

	f->rc.from = xstrdup("Example Abuse Desk <abuse-reply@example.org>");
	f->rc.from_addr = xstrdup("abuse-reply@example.org");
	f->cat.name = "dmca";
	f->cat.reply = true;
	f->cat.tmpl = load_tmp(test_template);
	strvec_init(&f->ev.ips);
	strvec_push(&f->ev.ips, "192.0.2.7");
	strvec_push(&f->ev.ips, "2001:db8::1");
	f->ev.ports = xcalloc(2, sizeof(int));
	f->ev.ports[0] = 6881;
	f->ev.ports[1] = 51413;
	f->ev.nports = 2;
	f->ev.case_id = xstrdup("4711");
	f->ev.reporter = xstrdup("notices@ip-echelon.com");
	f->ev.timestamp = xstrdup("2023-11-14T20:00:00Z");
	set_headers(&f->m,
	    "From: Jane Doe <jane@victim.example>\n"
	    "Subject: Notice of infringement 4711\n"
	    "Message-ID: <orig.1@victim.example>\n");
	*state = f;
	return 0;
}

/* teardown - free the fixture */
static int
teardown(void **state)
{
	struct fixture *f = *state;

	reply_conf_free(&f->rc);
	template_free(f->cat.tmpl);
	strvec_free(&f->ev.ips);
	free(f->ev.ports);
	free(f->ev.case_id);
	free(f->ev.reporter);
	free(f->ev.timestamp);
	set_headers(&f->m, "");
	free(f->m.hdrs);
	free(f);
	return 0;
}

/* compose - reply_compose with the fixture and fixed time and id */
static char *
compose(struct fixture *f, const char *rcpt, const char **why)
{
	struct reply_vars v = {
		.rcpt = rcpt, .category = NULL, .tor_exit = true, .now = NOW,
		.message_id = "<reply.1@example.org>",
	};

	return reply_compose(&f->rc, &f->cat, &f->m, &f->ev, &v, why);
}

/* check_line - printable ASCII and at most 78 columns */
static void
check_line(const char *p, const char *nl)
{
	if (nl - p > 78)
		fail_msg("line of %d columns: %.*s", (int)(nl - p), (int)(nl - p), p);
	for (const char *c = p; c < nl; c++)
		if (*c < 0x20 || *c >= 0x7f)
			fail_msg("byte 0x%02x in header line", (unsigned char)*c);
}

/* split_reply - check the header section's shape (every line a "Name:"
 * field or a continuation, see check_line) and unfold it into fields */
static void
split_reply(const char *msg, struct kvlist *fields, const char **body)
{
	const char *p = msg, *nl, *colon;
	struct buf val;
	char *name;

	kvlist_init(fields);
	buf_init(&val);
	while ((nl = strchr(p, '\n')) != NULL && nl != p) {
		check_line(p, nl);
		assert_true(p[0] != ' ');
		colon = memchr(p, ':', (size_t)(nl - p));
		assert_non_null(colon);
		name = xstrndup(p, (size_t)(colon - p));
		buf_reset(&val);
		buf_append(&val, colon + 1, (size_t)(nl - colon - 1));
		for (p = nl + 1; *p == ' '; p = nl + 1) {
			assert_non_null(nl = strchr(p, '\n'));
			check_line(p, nl);
			buf_append(&val, p, (size_t)(nl - p));	/* unfold */
		}
		kvlist_add(fields, name, str_trim(val.s));
		free(name);
	}
	assert_non_null(nl);
	*body = nl + 1;
	buf_free(&val);
}

/* check_field_names - exactly the fixed fields, in order, once each
 * (without In-Reply-To/References when the complaint had no id) */
static void
check_field_names(const struct kvlist *fields, bool with_refs)
{
	size_t k = 0;

	for (size_t i = 0; i < sizeof(fixed_fields) / sizeof(fixed_fields[0]); i++) {
		if (!with_refs && (strcmp(fixed_fields[i], "In-Reply-To") == 0 ||
		    strcmp(fixed_fields[i], "References") == 0))
			continue;
		if (k >= fields->n || strcmp(fields->v[k].key, fixed_fields[i]) != 0)
			fail_msg("field %zu: want %s, got %s", k, fixed_fields[i],
			    k < fields->n ? fields->v[k].key : "(end)");
		k++;
	}
	assert_int_equal(k, fields->n);
}

/* test_normal - the whole reply, field by field, and the body */
static void
test_normal(void **state)
{
	static const struct {
		const char *name, *want;
	} want[] = {
		{ "From", "Example Abuse Desk <abuse-reply@example.org>" },
		{ "To", "jane@victim.example" },
		{ "Subject", "Re: Notice of infringement 4711" },
		{ "Date", "Tue, 14 Nov 2023 22:13:20 +0000" },
		{ "Message-ID", "<reply.1@example.org>" },
		{ "In-Reply-To", "<orig.1@victim.example>" },
		{ "References", "<orig.1@victim.example>" },
		{ "Auto-Submitted", "auto-replied" },
		{ "X-Loop", "abuse-reply@example.org" },
		{ "X-Auto-Response-Suppress", "All" },
		{ "MIME-Version", "1.0" },
		{ "Content-Type", "text/plain; charset=utf-8" },
		{ "Content-Transfer-Encoding", "8bit" },
		{ "X-Case", "4711" },
	};
	struct fixture *f = *state;
	struct kvlist fields;
	const char *why, *body;
	char *msg = compose(f, "jane@victim.example", &why);

	assert_non_null(msg);
	split_reply(msg, &fields, &body);
	check_field_names(&fields, true);
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++)
		if (strcmp(kvlist_get(&fields, want[i].name), want[i].want) != 0)
			fail_msg("%s: '%s'", want[i].name,
			    kvlist_get(&fields, want[i].name));
	assert_string_equal(body,
	    "Hello Jane Doe,\n"
	    "ips 192.0.2.7, 2001:db8::1; ports 6881, 51413; exit yes; cat dmca\n"
	    "subject: Notice of infringement 4711\n"
	    "mid: <orig.1@victim.example>\n"
	    "when 2023-11-14T20:00:00Z by notices@ip-echelon.com to jane@victim.example\n"
	    "-- \n"
	    "Example Abuse Desk <abuse-reply@example.org>\n");
	kvlist_free(&fields);
	free(msg);
}

/* decode_q - an independent reading of utf-8 Q encoded-words in an
 * unfolded field value; white space between two encoded-words dropped */
static char *
decode_q(const char *v)
{
	struct buf out;
	const char *ew_end = NULL;
	unsigned int x;

	buf_init(&out);
	while (*v) {
		if (strncmp(v, "=?utf-8?q?", 10) == 0) {
			if (ew_end != NULL && v > ew_end &&
			    strspn(ew_end, " ") == (size_t)(v - ew_end))
				out.len -= (size_t)(v - ew_end);	/* drop the gap */
			for (v += 10; *v && strncmp(v, "?=", 2) != 0; v++) {
				if (*v == '_')
					buf_putc(&out, ' ');
				else if (*v == '=' && sscanf(v + 1, "%2X", &x) == 1) {
					buf_putc(&out, (char)x);
					v += 2;
				} else
					buf_putc(&out, *v);
			}
			v += *v ? 2 : 0;
			ew_end = v;
			continue;
		}
		buf_putc(&out, *v++);
	}
	return out.s;
}

struct subject_row {
	const char *label;
	const char *subject;	/* NULL: no Subject header */
	const char *want;	/* the Subject a reader sees */
};

#define K1 "Grosse Beschwerde \xc3\xbc\xc3\xa4 0123456789 abcdefghij "
#define K10 K1 K1 K1 K1 K1 K1 K1 K1 K1 K1

static const struct subject_row subject_rows[] = {
	{ "plain", "Complaint", "Re: Complaint" },
	{ "no Re: Re:", "Re: Complaint", "Re: Complaint" },
	{ "stacked prefixes", "RE: re : Re[2]: Complaint", "Re: Complaint" },
	{ "Re inside kept", "Regarding: Re: x", "Re: Regarding: Re: x" },
	{ "absent", NULL, "Re: (no subject)" },
	{ "empty", "", "Re: (no subject)" },
	{ "only Re:", "Re:", "Re: (no subject)" },
	{ "non-ASCII", "Urheberrechtsverletzung \xc3\xbc", "Re: Urheberrechtsverletzung \xc3\xbc" },
	{ "decoded CR LF Bcc injection", "x\r\nBcc: evil@x.example",
	  "Re: x Bcc:" },
	{ "still encoded injection", "=?utf-8?q?x=0D=0ABcc:_evil@x?=",
	  "Re: (no subject)" },
	/* the sender chooses the subject: no links, no addresses echoed */
	{ "spam subject", "Re: Cheap pills at http://pills.example/buy",
	  "Re: Cheap pills at" },
	{ "host name and address", "Write to victim@third.example or "
	  "pills.example", "Re: Write to or" },
	{ "only a link", "https://pills.example", "Re: (no subject)" },
	{ "an IP address stays", "SSH from 203.0.113.77 [Ticket#RS-70417]",
	  "Re: SSH from 203.0.113.77 [Ticket#RS-70417]" },
	{ "invalid UTF-8", "caf\xe9 \xff",
	  "Re: caf\xef\xbf\xbd \xef\xbf\xbd" },
	{ "template syntax is text", "$TO$ ${subject} $$",
	  "Re: $TO$ ${subject} $$" },
};

/* test_subjects - each subject: the shape holds, no field is added, and
 * a reader decodes what the row expects */
static void
test_subjects(void **state)
{
	struct fixture *f = *state;
	struct kvlist fields;
	const char *why, *body;
	char *msg, *dec;

	for (size_t i = 0; i < sizeof(subject_rows) / sizeof(subject_rows[0]); i++) {
		const struct subject_row *r = &subject_rows[i];

		set_headers(&f->m, "From: jane@victim.example\n"
		    "Message-ID: <orig.1@victim.example>\n");
		if (r->subject != NULL)
			set_header(&f->m, "Subject", r->subject);
		msg = compose(f, "jane@victim.example", &why);
		if (msg == NULL)
			fail_msg("row '%s': %s", r->label, why);
		split_reply(msg, &fields, &body);
		check_field_names(&fields, true);
		dec = decode_q(kvlist_get(&fields, "Subject"));
		if (strcmp(dec, r->want) != 0)
			fail_msg("row '%s': subject '%s'", r->label, dec);
		free(dec);
		kvlist_free(&fields);
		free(msg);
	}
}

/* test_long_subject - 10 KB: cut to REPLY_ECHO_MAX characters at a
 * blank, marked with "...", body lines within 998 bytes */
static void
test_long_subject(void **state)
{
	struct fixture *f = *state;
	struct kvlist fields;
	const char *why, *body, *nl;
	struct buf big;
	char *msg, *dec;

	buf_init(&big);
	while (big.len < 10240)
		buf_puts(&big, K10);
	set_header(&f->m, "Subject", big.s);
	msg = compose(f, "jane@victim.example", &why);
	assert_non_null(msg);
	split_reply(msg, &fields, &body);
	check_field_names(&fields, true);
	dec = decode_q(kvlist_get(&fields, "Subject"));
	assert_true(strncmp(dec, "Re: " K1, strlen("Re: " K1)) == 0);
	/* bytes: two of the characters of K1 take two */
	assert_true(strlen(dec) <= 4 + REPLY_ECHO_MAX + 4 + 3);
	assert_string_equal(dec + strlen(dec) - 3, "...");
	assert_true(dec[strlen(dec) - 4] != ' ');
	for (; (nl = strchr(body, '\n')) != NULL; body = nl + 1)
		assert_true(nl - body <= 998);
	free(dec);
	kvlist_free(&fields);
	free(msg);
	buf_free(&big);
}

struct gate_row {
	const char *label;
	const char *rcpt;
	const char *msgid;	/* NULL: no Message-ID header */
	const char *want;	/* reason, NULL: a reply */
};

static const struct gate_row gate_rows[] = {
	{ "ok", "jane@victim.example", "<a.b@c.example>", NULL },
	{ "template syntax in id", "jane@victim.example",
	  "<$TO$.${subject}@c.example>", NULL },
	{ "no id", "jane@victim.example", NULL, NULL },
	{ "empty id", "jane@victim.example", "", NULL },
	{ "id with space", "jane@victim.example", "<a b@c.example>",
	  "invalid message-id" },
	{ "id with CR LF", "jane@victim.example",
	  "<a@c.example>\r\nBcc: evil@x.example", "invalid message-id" },
	{ "id without brackets gets them", "jane@victim.example", "a@c.example",
	  NULL },
	{ "bare id with space", "jane@victim.example", "a b@c.example",
	  "invalid message-id" },
	{ "bare garbage", "jane@victim.example", "no id here",
	  "invalid message-id" },
	{ "rcpt with CR LF", "jane@victim.example\r\nBcc: evil@x.example",
	  "<a@c.example>", "invalid recipient" },
	{ "rcpt with brackets", "<jane@victim.example>", "<a@c.example>",
	  "invalid recipient" },
	{ "rcpt missing", NULL, "<a@c.example>", "invalid recipient" },
};

/* test_gate - grammar failures give no reply and a reason */
static void
test_gate(void **state)
{
	struct fixture *f = *state;
	struct kvlist fields;
	const char *why, *body;
	char *msg;

	for (size_t i = 0; i < sizeof(gate_rows) / sizeof(gate_rows[0]); i++) {
		const struct gate_row *r = &gate_rows[i];

		set_headers(&f->m, "From: jane@victim.example\nSubject: s\n");
		if (r->msgid != NULL)
			set_header(&f->m, "Message-ID", r->msgid);
		why = "unset";
		msg = compose(f, r->rcpt, &why);
		if (r->want != NULL) {
			if (msg != NULL || why == NULL || strcmp(why, r->want) != 0)
				fail_msg("row '%s': reason %s", r->label, why);
			continue;
		}
		if (msg == NULL)
			fail_msg("row '%s': no reply: %s", r->label, why);
		split_reply(msg, &fields, &body);
		check_field_names(&fields, r->msgid != NULL && *r->msgid != '\0');
		if (r->msgid != NULL && *r->msgid != '\0') {
			char *id = r->msgid[0] == '<' ? xstrdup(r->msgid) :
			    xasprintf("<%s>", r->msgid);

			assert_string_equal(kvlist_get(&fields, "In-Reply-To"), id);
			assert_string_equal(kvlist_get(&fields, "References"), id);
			assert_non_null(strstr(body, id));
			free(id);
		}
		kvlist_free(&fields);
		free(msg);
	}
}

/* test_fresh_id_and_date - without a fixed id and time: a grammatical,
 * unique Message-ID on our domain and a current RFC 5322 date */
static void
test_fresh_id_and_date(void **state)
{
	struct fixture *f = *state;
	struct reply_vars v = { .rcpt = "jane@victim.example" };
	struct kvlist a, b;
	const char *why, *body, *id, *date;
	char *m1 = reply_compose(&f->rc, &f->cat, &f->m, &f->ev, &v, &why);
	char *m2 = reply_compose(&f->rc, &f->cat, &f->m, &f->ev, &v, &why);

	assert_non_null(m1);
	assert_non_null(m2);
	split_reply(m1, &a, &body);
	split_reply(m2, &b, &body);
	id = kvlist_get(&a, "Message-ID");
	assert_true(rfc5322_msg_id_valid(id));
	assert_string_equal(id + strlen(id) - strlen("@example.org>"),
	    "@example.org>");
	assert_string_not_equal(id, kvlist_get(&b, "Message-ID"));
	date = kvlist_get(&a, "Date");
	assert_int_equal(strlen(date), strlen("Tue, 14 Nov 2023 22:13:20 +0000") -
	    (date[6] == ' ' ? 1 : 0));
	assert_string_equal(date + strlen(date) - 6, " +0000");
	assert_string_equal(kvlist_get(&a, "To"), "jane@victim.example");
	kvlist_free(&a);
	kvlist_free(&b);
	free(m1);
	free(m2);
}

/* test_template_headers - a template Subject replaces the default; its
 * other fields are encoded like any text; to_name falls back */
static void
test_template_headers(void **state)
{
	struct fixture *f = *state;
	struct template *old = f->cat.tmpl;
	struct kvlist fields;
	const char *why, *body;
	char *msg, *dec;

	f->cat.tmpl = load_tmp("Subject: Case ${case_id}: ${subject}\n"
	    "X-Reporter: ${reporter}\n\nHi ${to_name}\n");
	set_header(&f->m, "Subject", "\xc3\xa4 x\r\nBcc: e@x.example");
	msg = compose(f, "other@victim.example", &why);
	assert_non_null(msg);
	split_reply(msg, &fields, &body);
	assert_int_equal(fields.n, 14);	/* 13 fixed, one template field */
	assert_string_equal(fields.v[2].key, "Subject");
	dec = decode_q(fields.v[2].val);
	/* CR LF became spaces; the header writer folds runs of spaces; the
	 * address is not echoed */
	assert_string_equal(dec, "Case 4711: \xc3\xa4 x Bcc:");
	free(dec);
	assert_string_equal(fields.v[13].key, "X-Reporter");
	assert_string_equal(fields.v[13].val, "notices@ip-echelon.com");
	assert_string_equal(body, "Hi other@victim.example\n");
	kvlist_free(&fields);
	free(msg);
	template_free(f->cat.tmpl);
	f->cat.tmpl = old;
}

/* test_no_template - a category without a template gives no reply */
static void
test_no_template(void **state)
{
	struct fixture *f = *state;
	struct template *old = f->cat.tmpl;
	const char *why = NULL;

	f->cat.tmpl = NULL;
	assert_null(compose(f, "jane@victim.example", &why));
	assert_string_equal(why, "no template");
	f->cat.tmpl = old;
	free(f->rc.from_addr);
	f->rc.from_addr = xstrdup("abuse-reply@example.org\nBcc: x");
	assert_null(compose(f, "jane@victim.example", &why));
	assert_string_equal(why, "invalid from address");
}

/* test_shipped - the shipped dmca template makes a well-formed reply
 * that names the case and the address */
static void
test_shipped(void **state)
{
	struct fixture *f = *state;
	struct template *old = f->cat.tmpl;
	char *path = xasprintf("%s/templates/dmca.txt", TEST_SRCDIR), err[512];
	struct kvlist fields;
	const char *why, *body;
	char *msg;

	f->cat.tmpl = template_load(path, err, sizeof(err));
	free(path);
	if (f->cat.tmpl == NULL)
		fail_msg("%s", err);
	msg = compose(f, "jane@victim.example", &why);
	assert_non_null(msg);
	split_reply(msg, &fields, &body);
	assert_int_equal(fields.n, 13);
	assert_string_equal(kvlist_get(&fields, "Subject"),
	    "Re: Notice of infringement 4711");
	assert_non_null(strstr(body, "Dear Jane Doe,"));
	assert_non_null(strstr(body, "4711"));
	assert_non_null(strstr(body, "192.0.2.7, 2001:db8::1"));
	assert_non_null(strstr(body, "512(a)"));
	assert_null(strchr(body, '\r'));
	kvlist_free(&fields);
	free(msg);
	template_free(f->cat.tmpl);
	f->cat.tmpl = old;
}

/* test_spam_echo - a forged complaint cannot make the reply carry its
 * advertisement: display name and Subject lose links, host names and
 * addresses, whatever template says "Dear ${to_name}" */
static void
test_spam_echo(void **state)
{
	struct fixture *f = *state;
	struct template *old = f->cat.tmpl;
	char *path = xasprintf("%s/templates/dmca.txt", TEST_SRCDIR), err[512];
	const char *why;
	char *msg;

	f->cat.tmpl = template_load(path, err, sizeof(err));
	free(path);
	if (f->cat.tmpl == NULL)
		fail_msg("%s", err);
	set_headers(&f->m, "From: Cheap pills at http://pills.example/buy "
	    "<victim@third.example>\n"
	    "Subject: Buy at www.pills.example or mail sales@pills.example\n");
	msg = compose(f, "victim@third.example", &why);
	assert_non_null(msg);
	assert_non_null(strstr(msg, "Dear Cheap pills at,"));
	assert_null(strstr(msg, "http"));
	assert_null(strstr(msg, "pills.example"));
	assert_non_null(strstr(msg, "Subject: Re: Buy at or mail\n"));
	free(msg);
	/* a case id that is an address is not repeated either */
	free(f->ev.case_id);
	f->ev.case_id = xstrdup("buy1@pills.example");
	set_headers(&f->m, "From: Jane <victim@third.example>\n");
	msg = compose(f, "victim@third.example", &why);
	assert_non_null(msg);
	assert_null(strstr(msg, "pills.example"));
	free(msg);
	/* a name with nothing left: the address is greeted */
	set_headers(&f->m, "From: https://pills.example <victim@third.example>\n");
	msg = compose(f, "victim@third.example", &why);
	assert_non_null(msg);
	assert_non_null(strstr(msg, "Dear victim@third.example,"));
	free(msg);
	template_free(f->cat.tmpl);
	f->cat.tmpl = old;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_normal, setup, teardown),
		cmocka_unit_test_setup_teardown(test_subjects, setup, teardown),
		cmocka_unit_test_setup_teardown(test_long_subject, setup, teardown),
		cmocka_unit_test_setup_teardown(test_gate, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fresh_id_and_date, setup, teardown),
		cmocka_unit_test_setup_teardown(test_template_headers, setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_template, setup, teardown),
		cmocka_unit_test_setup_teardown(test_shipped, setup, teardown),
		cmocka_unit_test_setup_teardown(test_spam_echo, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
