/*
 * test_policy.c - unit tests of milter/reply/policy.c: one table
 * row per reply rule of abuse-milter(8), each rule both ways
 * (suppressed, and the nearby case that must still be answered).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "evidence/evidence.h"
#include "parse/message.h"
#include "reply/policy.h"
#include "reply/reply_conf.h"
#include "util/pattern.h"

struct policy_row {
	const char *label;
	enum reply_recipient mode;
	const char *envfrom;	/* NULL: unknown */
	const char *headers;	/* "Name: value\n" lines, already decoded */
	const char *reporter;	/* evidence reporter, or NULL */
	const char *want;	/* reason, or NULL for a reply */
	const char *rcpt;	/* wanted recipient when replying */
};

#define PERSON "From: Jane Doe <jane@victim.example>\n"
#define ECHELON "From: IP-Echelon Notices <notices@ip-echelon.com>\n"

static const struct policy_row rows[] = {
	/* recipient choice */
	{ "person", RCPT_REPLY_TO, "jane@victim.example", PERSON, NULL,
	  NULL, "jane@victim.example" },
	{ "reply-to wins", RCPT_REPLY_TO, "b@victim.example",
	  PERSON "Reply-To: Desk <desk@victim.example>\n", NULL,
	  NULL, "desk@victim.example" },
	{ "empty reply-to skipped", RCPT_REPLY_TO, NULL,
	  PERSON "Reply-To:  \n", NULL, NULL, "jane@victim.example" },
	{ "mode from ignores reply-to", RCPT_FROM, NULL,
	  PERSON "Reply-To: desk@victim.example\n", NULL,
	  NULL, "jane@victim.example" },
	{ "mode return-path", RCPT_RETURN_PATH, "returns@victim.example",
	  PERSON "Reply-To: desk@victim.example\n", NULL,
	  NULL, "returns@victim.example" },
	{ "return-path unknown offline", RCPT_RETURN_PATH, NULL, PERSON, NULL,
	  "no recipient", NULL },
	{ "no headers: envelope sender", RCPT_REPLY_TO, "<env@victim.example>",
	  "Subject: x\n", NULL, NULL, "env@victim.example" },
	{ "nothing at all", RCPT_REPLY_TO, NULL, "Subject: x\n", NULL,
	  "no recipient", NULL },
	{ "offline, sender unknown, From fine", RCPT_REPLY_TO, NULL, PERSON,
	  NULL, NULL, "jane@victim.example" },
	{ "noreply recipient", RCPT_REPLY_TO, NULL,
	  "From: Scanner <noreply@scanner.example>\n", NULL,
	  "no-reply address", NULL },
	{ "noreply from, real reply-to", RCPT_REPLY_TO, NULL,
	  "From: <no-reply@scanner.example>\nReply-To: soc@scanner.example\n",
	  NULL, NULL, "soc@scanner.example" },
	{ "invalid reply-to is not skipped", RCPT_REPLY_TO, NULL,
	  PERSON "Reply-To: not an address\n", NULL, "invalid recipient", NULL },
	{ "invalid from", RCPT_REPLY_TO, NULL, "From: Jane <jane@>\n", NULL,
	  "invalid recipient", NULL },
	{ "injected reply-to", RCPT_REPLY_TO, NULL,
	  PERSON "Reply-To: <a@b.example\r\nBcc: evil@x.example>\n", NULL,
	  "invalid recipient", NULL },
	/* a list names no one recipient: not answered (it went to the
	 * last address before rfc5322_addr_extract read lists) */
	{ "reply-to list", RCPT_REPLY_TO, NULL,
	  PERSON "Reply-To: A <a@victim.example>, B <b@victim.example>\n",
	  NULL, "invalid recipient", NULL },
	{ "decoded name with comma is one recipient", RCPT_REPLY_TO, NULL,
	  "From: Doe, Jane <jane@Victim.EXAMPLE>\n", NULL, NULL,
	  "jane@victim.example" },
	{ "unclosed quote", RCPT_REPLY_TO, NULL,
	  "From: \"Jane <jane@victim.example>\n", NULL, "invalid recipient",
	  NULL },
	/* the complaint's Message-ID must fit the grammar if present */
	{ "valid message-id", RCPT_REPLY_TO, NULL,
	  PERSON "Message-ID: <a.$TO$@victim.example>\n", NULL,
	  NULL, "jane@victim.example" },
	{ "invalid message-id", RCPT_REPLY_TO, NULL,
	  PERSON "Message-ID: <a b@victim.example>\n", NULL,
	  "invalid message-id", NULL },
	{ "message-id with CR", RCPT_REPLY_TO, NULL,
	  PERSON "Message-ID: <a@victim.example>\rBcc: e@x.example\n", NULL,
	  "invalid message-id", NULL },
	{ "message-id without brackets is repaired", RCPT_REPLY_TO, NULL,
	  PERSON "Message-ID: 32c9b8-1447595907@ip-echelon.com\n", NULL,
	  NULL, "jane@victim.example" },
	{ "bare message-id garbage", RCPT_REPLY_TO, NULL,
	  PERSON "Message-ID: no id here\n", NULL, "invalid message-id", NULL },
	{ "empty message-id is absent", RCPT_REPLY_TO, NULL,
	  PERSON "Message-ID: \n", NULL, NULL, "jane@victim.example" },
	/* null sender */
	{ "null sender", RCPT_REPLY_TO, "", PERSON, NULL, "null sender", NULL },
	{ "null sender bracketed", RCPT_REPLY_TO, "<>", PERSON, NULL,
	  "null sender", NULL },
	/* Auto-Submitted */
	{ "auto-submitted no", RCPT_REPLY_TO, NULL,
	  PERSON "Auto-Submitted: no\n", NULL, NULL, "jane@victim.example" },
	{ "auto-replied", RCPT_REPLY_TO, NULL,
	  PERSON "Auto-Submitted: auto-replied\n", NULL, "auto-submitted", NULL },
	{ "auto-replied even from a listed reporter", RCPT_REPLY_TO, NULL,
	  ECHELON "Auto-Submitted: auto-replied\n", NULL, "auto-submitted", NULL },
	{ "auto-generated, not listed", RCPT_REPLY_TO, NULL,
	  PERSON "Auto-Submitted: auto-generated\n", NULL, "auto-submitted", NULL },
	{ "auto-generated, From listed", RCPT_REPLY_TO, NULL,
	  ECHELON "Auto-Submitted: auto-generated\n", NULL,
	  NULL, "notices@ip-echelon.com" },
	{ "auto-generated, reporter listed", RCPT_REPLY_TO, NULL,
	  "From: robot@sender.example\nAuto-Submitted: Auto-Generated; x=1\n",
	  "copyright@markmonitor.com", NULL, "robot@sender.example" },
	{ "auto-notified, listed", RCPT_REPLY_TO, NULL,
	  ECHELON "Auto-Submitted: auto-notified\n", NULL, "auto-submitted", NULL },
	{ "auto-submitted empty", RCPT_REPLY_TO, NULL,
	  PERSON "Auto-Submitted:\n", NULL, "auto-submitted", NULL },
	/* Precedence and lists */
	{ "precedence bulk", RCPT_REPLY_TO, NULL, PERSON "Precedence: bulk\n",
	  NULL, "precedence bulk", NULL },
	{ "precedence junk", RCPT_REPLY_TO, NULL, PERSON "Precedence: JUNK\n",
	  NULL, "precedence junk", NULL },
	{ "precedence list", RCPT_REPLY_TO, NULL, PERSON "precedence: list\n",
	  NULL, "precedence list", NULL },
	{ "precedence first-class", RCPT_REPLY_TO, NULL,
	  PERSON "Precedence: first-class\n", NULL, NULL, "jane@victim.example" },
	{ "list-id", RCPT_REPLY_TO, NULL,
	  PERSON "List-Id: <x.lists.example>\n", NULL, "mailing list", NULL },
	{ "list-unsubscribe newsletter", RCPT_REPLY_TO, NULL,
	  PERSON "List-Unsubscribe: <mailto:u@x.example>\n", NULL,
	  "mailing list", NULL },
	{ "list-post alone", RCPT_REPLY_TO, NULL,
	  PERSON "List-Post: <mailto:l@x.example>\n", NULL,
	  "mailing list", NULL },
	{ "list-help alone", RCPT_REPLY_TO, NULL,
	  PERSON "List-Help: <mailto:l-help@x.example>\n", NULL,
	  "mailing list", NULL },
	{ "ezmlm mailing-list alone", RCPT_REPLY_TO, NULL,
	  PERSON "Mailing-List: contact l-help@x.example; run by ezmlm\n",
	  NULL, "mailing list", NULL },
	{ "mailing address is no list", RCPT_REPLY_TO, NULL,
	  PERSON "X-Mailer: ezmlm-idx look-alike\n"
	  "Mailing-Address: 1 Main St\n", NULL, NULL, "jane@victim.example" },
	{ "x-autoreply", RCPT_REPLY_TO, NULL, PERSON "X-Autoreply: yes\n",
	  NULL, "autoreply", NULL },
	{ "x-auto-response-suppress", RCPT_REPLY_TO, NULL,
	  PERSON "X-Auto-Response-Suppress: All\n", NULL,
	  "auto-response suppressed", NULL },
	/* X-Loop */
	{ "our x-loop", RCPT_REPLY_TO, NULL,
	  PERSON "X-Loop: reply@example.org\n", NULL, "loop", NULL },
	{ "our x-loop, other case and brackets", RCPT_REPLY_TO, NULL,
	  PERSON "X-Loop: <Reply@EXAMPLE.org>\n", NULL, "loop", NULL },
	{ "someone else's x-loop", RCPT_REPLY_TO, NULL,
	  PERSON "X-Loop: helpdesk@victim.example\n", NULL,
	  NULL, "jane@victim.example" },
	{ "x-loop without address", RCPT_REPLY_TO, NULL,
	  PERSON "X-Loop: victim.example\n", NULL, NULL, "jane@victim.example" },
	/* robots and lists by address */
	{ "envelope mailer-daemon", RCPT_REPLY_TO, "MAILER-DAEMON@mx.victim.example",
	  PERSON, NULL, "mailer-daemon", NULL },
	{ "from mailer-daemon", RCPT_REPLY_TO, NULL,
	  "From: Mail Delivery System <Mailer-Daemon@mx.example>\n", NULL,
	  "mailer-daemon", NULL },
	{ "from -request", RCPT_REPLY_TO, NULL,
	  "From: announce-request@lists.example\n", NULL, "list address", NULL },
	{ "envelope owner-", RCPT_REPLY_TO, "owner-announce+bounces@lists.example",
	  PERSON, NULL, "list address", NULL },
	{ "reply-to -request", RCPT_REPLY_TO, NULL,
	  PERSON "Reply-To: l-Request@lists.example\n", NULL, "list address", NULL },
	{ "request in the middle is fine", RCPT_REPLY_TO, NULL,
	  "From: requests-team@victim.example\n", NULL,
	  NULL, "requests-team@victim.example" },
	{ "owner in the middle is fine", RCPT_REPLY_TO, NULL,
	  "From: site-owner@victim.example\n", NULL,
	  NULL, "site-owner@victim.example" },
	{ "sender owner-", RCPT_REPLY_TO, NULL,
	  PERSON "Sender: owner-announce@lists.example\n", NULL,
	  "list address", NULL },
	{ "sender a secretary", RCPT_REPLY_TO, NULL,
	  PERSON "Sender: secretary@victim.example\n", NULL,
	  NULL, "jane@victim.example" },
	{ "mailman: -bounces envelope, the list as reply-to", RCPT_REPLY_TO,
	  "announce-bounces+jane=victim.example@lists.example",
	  PERSON "Reply-To: announce@lists.example\n", NULL,
	  "mailing list", NULL },
	{ "feedback loop -bounces envelope is fine", RCPT_REPLY_TO,
	  "fbl-bounces@mail.example.net",
	  "From: Feedback Loop <fbl@mail.example.net>\n", NULL,
	  NULL, "fbl@mail.example.net" },
	{ "reply-to -bounces", RCPT_REPLY_TO, NULL,
	  PERSON "Reply-To: announce-bounces@victim.example\n", NULL,
	  "list address", NULL },
	{ "from listserv", RCPT_REPLY_TO, NULL,
	  "From: LISTSERV@lists.example.edu\n", NULL, "list address", NULL },
	{ "listservice is a person", RCPT_REPLY_TO, NULL,
	  "From: listservice@victim.example\n", NULL,
	  NULL, "listservice@victim.example" },
	{ "from majordomo", RCPT_REPLY_TO, NULL,
	  "From: Majordomo <majordomo@lists.example>\n", NULL,
	  "list address", NULL },
	{ "from postmaster", RCPT_REPLY_TO, NULL,
	  "From: Postmaster <postmaster@victim.example>\n", NULL,
	  "postmaster", NULL },
	{ "envelope postmaster", RCPT_REPLY_TO, "postmaster@victim.example",
	  PERSON, NULL, "postmaster", NULL },
	{ "postmasters-team is a person", RCPT_REPLY_TO, NULL,
	  "From: postmasters-team@victim.example\n", NULL,
	  NULL, "postmasters-team@victim.example" },
	{ "reply-to bounce-123", RCPT_REPLY_TO, NULL,
	  PERSON "Reply-To: bounce-123@victim.example\n", NULL,
	  "bounce address", NULL },
	{ "envelope bounce-123 (VERP) is fine", RCPT_REPLY_TO,
	  "bounce-123@esp.example", PERSON, NULL, NULL, "jane@victim.example" },
	{ "bouncer is a person", RCPT_REPLY_TO, NULL,
	  "From: bouncer@victim.example\n", NULL,
	  NULL, "bouncer@victim.example" },
	{ "from root@localhost", RCPT_REPLY_TO, NULL,
	  "From: root@localhost\n", NULL, "local address", NULL },
	{ "envelope root@localhost", RCPT_REPLY_TO, "root@localhost",
	  PERSON, NULL, "local address", NULL },
	{ "root at a real domain", RCPT_REPLY_TO, NULL,
	  "From: root@victim.example\n", NULL, NULL, "root@victim.example" },
	{ "from root@[127.0.0.1]", RCPT_REPLY_TO, NULL,
	  "From: root@[127.0.0.1]\n", NULL, "address literal", NULL },
	{ "percent-routed through our domain", RCPT_REPLY_TO, NULL,
	  PERSON "Reply-To: victim%third.example@example.org\n", NULL,
	  "routed address", NULL },
	{ "bang-routed through our domain", RCPT_REPLY_TO, NULL,
	  "From: third.example!victim@example.org\n", NULL,
	  "routed address", NULL },
	{ "percent in the name only", RCPT_REPLY_TO, NULL,
	  "From: \"Jane 100%\" <jane@victim.example>\n", NULL,
	  NULL, "jane@victim.example" },
	/* Reply-To only within the organisation of From or the envelope */
	{ "reply-to a third party: From instead", RCPT_REPLY_TO, NULL,
	  PERSON "Reply-To: Victim <victim+1@third.example>\n", NULL,
	  NULL, "jane@victim.example" },
	{ "reply-to a third party, no From: envelope", RCPT_REPLY_TO,
	  "env@victim.example", "Reply-To: victim@third.example\n", NULL,
	  NULL, "env@victim.example" },
	{ "reply-to a sub-domain of From", RCPT_REPLY_TO, NULL,
	  PERSON "Reply-To: soc@cert.victim.example\n", NULL,
	  NULL, "soc@cert.victim.example" },
	{ "reply-to the envelope's domain", RCPT_REPLY_TO,
	  "reports@scanner.example",
	  PERSON "Reply-To: desk@scanner.example\n", NULL,
	  NULL, "desk@scanner.example" },
	{ "co.uk is no organisation", RCPT_REPLY_TO, NULL,
	  "From: a@evil.co.uk\nReply-To: b@bank.co.uk\n", NULL,
	  NULL, "a@evil.co.uk" },
	{ "reply-to-unchecked: a third party", RCPT_REPLY_TO_ANY, NULL,
	  PERSON "Reply-To: victim@third.example\n", NULL,
	  NULL, "victim@third.example" },
	{ "reply-to-unchecked: no reply-to", RCPT_REPLY_TO_ANY, NULL,
	  PERSON, NULL, NULL, "jane@victim.example" },
	{ "reply-to-unchecked: envelope last", RCPT_REPLY_TO_ANY,
	  "env@victim.example", "Subject: x\n", NULL,
	  NULL, "env@victim.example" },
	/* our own mailboxes and reply.from */
	{ "from our mailbox", RCPT_REPLY_TO, NULL, "From: abuse@example.org\n",
	  NULL, "own mailbox", NULL },
	{ "from our mailbox with detail", RCPT_REPLY_TO, NULL,
	  "From: <Abuse+x@Example.ORG>\n", NULL, "own mailbox", NULL },
	{ "from our wildcard domain", RCPT_REPLY_TO, NULL,
	  "From: anyone@abuse.example.net\n", NULL, "own mailbox", NULL },
	{ "reply-to is reply.from", RCPT_FROM, NULL,
	  PERSON "Reply-To: reply@example.org\n", NULL, "own mailbox", NULL },
	{ "envelope is our mailbox", RCPT_REPLY_TO, "abuse@example.org", PERSON,
	  NULL, "own mailbox", NULL },
	{ "envelope sender is the recipient, checked", RCPT_RETURN_PATH,
	  "reply@example.org", "Subject: x\n", NULL, "own mailbox", NULL },
	{ "other user at our domain is fine", RCPT_REPLY_TO, NULL,
	  "From: noc@example.org\n", NULL, NULL, "noc@example.org" },
};

/* fill_msg - a parsed_msg with the row's header lines */
static void
fill_msg(struct parsed_msg *m, const char *text)
{
	const char *p = text, *nl, *colon;

	memset(m, 0, sizeof(*m));
	for (; (nl = strchr(p, '\n')) != NULL; p = nl + 1) {
		colon = memchr(p, ':', (size_t)(nl - p));
		assert_non_null(colon);
		m->hdrs = realloc(m->hdrs, (m->nhdrs + 1) * sizeof(*m->hdrs));
		m->hdrs[m->nhdrs].name = xstrndup(p, (size_t)(colon - p));
		colon++;
		while (*colon == ' ')
			colon++;
		m->hdrs[m->nhdrs].value = xstrndup(colon, (size_t)(nl - colon));
		m->nhdrs++;
	}
}

/* free_msg - what fill_msg allocated */
static void
free_msg(struct parsed_msg *m)
{
	for (size_t i = 0; i < m->nhdrs; i++) {
		free(m->hdrs[i].name);
		free(m->hdrs[i].value);
	}
	free(m->hdrs);
}

struct fixture {
	struct reply_conf rc;
	struct strvec mailboxes;
	struct reply_category cat;
	int dummy_template;
};

/* setup - our mailboxes, reply.from, and two answer_automated patterns */
static int
setup(void **state)
{
	static const char *const pats[] = { "@ip-echelon\\.com$", "markmonitor" };
	struct fixture *f = xcalloc(1, sizeof(*f));
	char err[128];

	strvec_init(&f->mailboxes);
	strvec_push(&f->mailboxes, "abuse@example.org");
	strvec_push(&f->mailboxes, "*@abuse.example.net");
	f->rc.from = xstrdup("Example Abuse Desk <reply@example.org>");
	f->rc.from_addr = xstrdup("reply@example.org");
	f->rc.answer_automated = xcalloc(2, sizeof(struct pattern *));
	f->rc.nanswer_automated = 2;
	for (size_t i = 0; i < 2; i++)
		if ((f->rc.answer_automated[i] = pattern_compile(pats[i], err,
		    sizeof(err))) == NULL)
			fail_msg("compile %s: %s", pats[i], err);
	f->cat.name = "dmca";
	f->cat.reply = true;
	f->cat.tmpl = (struct template *)&f->dummy_template;	/* never read */
	*state = f;
	return 0;
}

/* teardown - free the fixture */
static int
teardown(void **state)
{
	struct fixture *f = *state;

	strvec_free(&f->mailboxes);
	reply_conf_free(&f->rc);
	free(f);
	return 0;
}

/* test_policy_table - every row */
static void
test_policy_table(void **state)
{
	struct fixture *f = *state;
	struct parsed_msg m;
	struct evidence ev;
	const char *why;
	char *rcpt;

	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		const struct policy_row *r = &rows[i];

		fill_msg(&m, r->headers);
		memset(&ev, 0, sizeof(ev));
		ev.reporter = (char *)r->reporter;
		f->rc.recipient = r->mode;
		why = reply_policy_decide(&f->rc, &f->mailboxes, &f->cat, &m,
		    &ev, r->envfrom, &rcpt);
		free_msg(&m);
		if (r->want == NULL ? why != NULL :
		    why == NULL || strcmp(why, r->want) != 0)
			fail_msg("row '%s': reason '%s'", r->label,
			    why ? why : "(send)");
		if (r->want != NULL ? rcpt != NULL :
		    rcpt == NULL || strcmp(rcpt, r->rcpt) != 0)
			fail_msg("row '%s': rcpt '%s'", r->label,
			    rcpt ? rcpt : "(null)");
		free(rcpt);
	}
}

/* test_category - reply=false and a missing template suppress first */
static void
test_category(void **state)
{
	struct fixture *f = *state;
	struct parsed_msg m;
	char *rcpt = (char *)"x";

	fill_msg(&m, PERSON);
	f->cat.reply = false;
	assert_string_equal(reply_policy_decide(&f->rc, &f->mailboxes, &f->cat,
	    &m, NULL, "jane@victim.example", &rcpt), "category does not reply");
	assert_null(rcpt);
	assert_string_equal(reply_policy_decide(&f->rc, &f->mailboxes, NULL,
	    &m, NULL, "jane@victim.example", &rcpt), "category does not reply");
	f->cat.reply = true;
	f->cat.tmpl = NULL;
	assert_string_equal(reply_policy_decide(&f->rc, &f->mailboxes, &f->cat,
	    &m, NULL, "jane@victim.example", &rcpt), "no template");
	f->cat.tmpl = (struct template *)&f->dummy_template;
	assert_null(reply_policy_decide(&f->rc, &f->mailboxes, &f->cat, &m,
	    NULL, "jane@victim.example", &rcpt));
	assert_string_equal(rcpt, "jane@victim.example");
	free(rcpt);
	free_msg(&m);
}

/* the reasons the weighing of the rules gives, in their order */
static void
test_score_reason(void **state)
{
	static const struct {
		const char *label;
		bool human, veto, uncertain;
		const char *want;	/* NULL: a reply */
	} rows[] = {
		{"nothing against it", false, false, false, NULL},
		{"human", true, false, false, "needs a person"},
		{"veto names its category", false, true, false,
		    "veto: law-enforcement"},
		{"uncertain", false, false, true, "uncertain"},
		{"human before veto", true, true, true, "needs a person"},
		{"veto before uncertain", false, true, true,
		    "veto: law-enforcement"},
	};
	struct category le = {0};

	(void)state;
	le.name = (char *)"law-enforcement";
	le.veto_reason = (char *)"veto: law-enforcement";
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct classify_decision d = {0};
		const char *why;

		d.human = rows[i].human;
		d.veto = rows[i].veto ? &le : NULL;
		d.uncertain = rows[i].uncertain;
		why = reply_policy_score_reason(&d);
		if (rows[i].want == NULL ? why != NULL :
		    why == NULL || strcmp(why, rows[i].want) != 0)
			fail_msg("row '%s': reason '%s'", rows[i].label,
			    why ? why : "(send)");
	}
}

/* test_ours_reason - a reply claims the address is ours: none when every
 * reported address is elsewhere, unless reply.not_ours = send; a
 * complaint that names no address is not held back here */
static void
test_ours_reason(void **state)
{
	static const struct {
		size_t nips;
		bool ours, send;
		const char *want;
	} rows[] = {
		{ 1, false, false, "not our address" },
		{ 3, false, false, "not our address" },
		{ 2, true, false, NULL },
		{ 0, false, false, NULL },
		{ 1, false, true, NULL },
	};
	struct reply_conf rc;

	(void)state;
	memset(&rc, 0, sizeof(rc));
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		const char *why;

		rc.answer_not_ours = rows[i].send;
		why = reply_policy_ours_reason(&rc, rows[i].nips, rows[i].ours);
		if ((why == NULL) != (rows[i].want == NULL) ||
		    (why != NULL && strcmp(why, rows[i].want) != 0))
			fail_msg("row %zu: got %s", i, why ? why : "NULL");
	}
}

/* test_thread_reason - an answer to our reply: our reference in the
 * Subject, or our Message-ID in In-Reply-To / References; a reference
 * of someone else's domain, or none, is no answer to us */
static void
test_thread_reason(void **state)
{
	static const struct {
		const char *hdrs;
		bool answer;
	} rows[] = {
		{ "Subject: AW: Re: SSH [AM-20261208-4Xb2kq1zQZz9]\n", true },
		{ "Subject: Re: report\nIn-Reply-To: "
		  "<AM-20261208-4Xb2kq1zQZz9_0f.1@example.org>\n", true },
		{ "Subject: Re: report\nReferences: <x@y.example> "
		  "<AM-20261208-4Xb2kq1zQZz9_0f.1@example.org>\n", true },
		{ "Subject: Re: report\nIn-Reply-To: "
		  "<AM-20261208-4Xb2kq1zQZz9_0f.1@example.net>\n", false },
		{ "Subject: SSH attacks from 192.0.2.1\n", false },
		{ "Subject: AM-20261208-4Xb2kq1zQZz9\n", false },
	};
	struct fixture *f = *state;
	struct parsed_msg m;
	const char *why;

	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		fill_msg(&m, rows[i].hdrs);
		why = reply_policy_thread_reason(&f->rc, &m);
		if (rows[i].answer && (why == NULL ||
		    strcmp(why, "answer to our reply") != 0))
			fail_msg("row %zu: not recognised", i);
		if (!rows[i].answer && why != NULL)
			fail_msg("row %zu: %s", i, why);
		free_msg(&m);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_score_reason),
		cmocka_unit_test(test_ours_reason),
		cmocka_unit_test_setup_teardown(test_policy_table, setup, teardown),
		cmocka_unit_test_setup_teardown(test_category, setup, teardown),
		cmocka_unit_test_setup_teardown(test_thread_reason, setup,
		    teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
