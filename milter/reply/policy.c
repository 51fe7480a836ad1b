/*
 * policy.c - the RFC 3834 reply decision. See policy.h.
 *
 * The order of the tests only decides which reason is reported when
 * several apply; any one of them suppresses the reply. Address tests
 * (address.c) look at every address that could be a robot or ourselves
 * (envelope sender, From, Sender, Reply-To) and at the recipient
 * finally chosen, because a reply to any of them can start a loop or
 * hit a list. A Reply-To outside the organisation of From and of the
 * envelope sender is passed over for From (reply_policy_reply_to_ok).
 */
#include "reply/policy.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "parse/rfc5322.h"
#include "reply/address.h"
#include "reply/ref.h"
#include "util/mailbox.h"
#include "util/pattern.h"

/* reply_policy_token - first word of a header value, lower-cased,
 * without parameters or comments ("Auto-Replied; x" -> "auto-replied") */
static char *
reply_policy_token(const char *value)
{
	char *t;

	while (*value == ' ' || *value == '\t')
		value++;
	t = xstrndup(value, strcspn(value, " \t;(,"));
	return str_lower(t);
}

/* reply_policy_same_addr - equal as mailboxes: case, <> and +detail
 * ignored; values without '@' compared as plain text */
static bool
reply_policy_same_addr(const char *a, const char *b)
{
	char *na, *nb;
	bool same;

	if (a == NULL || b == NULL || *b == '\0')
		return false;
	na = mailbox_normalize(a);
	nb = mailbox_normalize(b);
	if (na != NULL && nb != NULL)
		same = strcmp(na, nb) == 0;
	else {
		char *ca = xstrdup(a), *cb = xstrdup(b);

		same = strcasecmp(str_trim(ca), str_trim(cb)) == 0;
		free(ca);
		free(cb);
	}
	free(na);
	free(nb);
	return same;
}

/* reply_policy_answer_automated - does the reporter (evidence reporter
 * or From address) match one of reply.answer_automated? */
static bool
reply_policy_answer_automated(const struct reply_conf *rc,
    const struct parsed_msg *m, const struct evidence *ev)
{
	char *from = rfc5322_addr_extract(parsed_msg_header(m, "From"));
	const struct pattern *re;
	bool hit = false;

	for (size_t i = 0; i < rc->nanswer_automated && !hit; i++) {
		re = rc->answer_automated[i];
		hit = (ev != NULL && pattern_match(re, ev->reporter)) ||
		    pattern_match(re, from);
	}
	free(from);
	return hit;
}

/* reply_policy_auto_submitted - RFC 3834 5: only "no" is a person; an
 * automated notice (auto-generated) from a listed reporter is answered,
 * an auto-reply never */
static const char *
reply_policy_auto_submitted(const struct reply_conf *rc,
    const struct parsed_msg *m, const struct evidence *ev, const char *value)
{
	char *tok = reply_policy_token(value);
	const char *why = "auto-submitted";

	if (strcmp(tok, "no") == 0)
		why = NULL;
	else if (strcmp(tok, "auto-generated") == 0 &&
	    reply_policy_answer_automated(rc, m, ev))
		why = NULL;
	free(tok);
	return why;
}

/* reply_policy_precedence - bulk, junk and list mail gets no reply */
static const char *
reply_policy_precedence(const char *value)
{
	char *tok = reply_policy_token(value);
	const char *why = NULL;

	if (strcmp(tok, "bulk") == 0)
		why = "precedence bulk";
	else if (strcmp(tok, "junk") == 0)
		why = "precedence junk";
	else if (strcmp(tok, "list") == 0)
		why = "precedence list";
	free(tok);
	return why;
}

/* reply_policy_list_header - a header only list software writes: the
 * RFC 2369 and RFC 2919 fields, ezmlm's Mailing-List and its X- form */
static bool
reply_policy_list_header(const char *name)
{
	static const char *const names[] = { "List-Id", "List-Unsubscribe",
	    "List-Subscribe", "List-Post", "List-Help", "List-Owner",
	    "List-Archive", "Mailing-List", "X-Mailing-List", NULL };

	return str_in_list_nocase(name, names);
}

/* reply_policy_header_reason - the first header that forbids a reply */
static const char *
reply_policy_header_reason(const struct reply_conf *rc,
    const struct parsed_msg *m, const struct evidence *ev)
{
	const char *name, *value, *why = NULL;

	for (size_t i = 0; m != NULL && i < m->nhdrs && why == NULL; i++) {
		name = m->hdrs[i].name;
		value = m->hdrs[i].value != NULL ? m->hdrs[i].value : "";
		if (strcasecmp(name, "Auto-Submitted") == 0)
			why = reply_policy_auto_submitted(rc, m, ev, value);
		else if (strcasecmp(name, "Precedence") == 0)
			why = reply_policy_precedence(value);
		else if (reply_policy_list_header(name))
			why = "mailing list";
		else if (strcasecmp(name, "X-Autoreply") == 0)
			why = "autoreply";
		else if (strcasecmp(name, "X-Auto-Response-Suppress") == 0)
			why = "auto-response suppressed";
		else if (strcasecmp(name, "X-Loop") == 0 &&
		    reply_policy_same_addr(value, rc->from_addr))
			why = "loop";	/* someone else's X-Loop is theirs */
	}
	return why;
}

/* reply_policy_noreply - a recipient that says it reads nothing: the
 * reply would only bounce (to <>) or vanish. Only the chosen recipient
 * is tested: a noreply From with a real Reply-To is answered there. */
static const char *
reply_policy_noreply(const char *addr)
{
	static const char *const words[] = {"noreply", "no-reply", "no_reply",
	    "donotreply", "do-not-reply", "do_not_reply", "nicht-antworten"};
	const char *at = strrchr(addr, '@');
	size_t n = at ? (size_t)(at - addr) : strlen(addr);

	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (strlen(words[i]) == n && strncasecmp(addr, words[i], n) == 0)
			return "no-reply address";
	return NULL;
}

/* reply_policy_addr_reason - why this address must not be answered
 * (or be the sender of something we answer): a robot, a list, an
 * address no one outside reads, or one of ours. envelope: addr is the
 * envelope sender, see reply_addr_robot. */
static const char *
reply_policy_addr_reason(const struct reply_conf *rc,
    const struct strvec *mailboxes, const char *addr, bool envelope)
{
	const char *why = reply_addr_robot(addr, envelope);

	if (why == NULL && (mailbox_match(mailboxes, addr) ||
	    reply_policy_same_addr(addr, rc->from_addr)))
		why = "own mailbox";
	return why;
}

/* reply_policy_header_addr_reason - the address test on one address
 * header, when it holds a grammatical address */
static const char *
reply_policy_header_addr_reason(const struct reply_conf *rc,
    const struct strvec *mailboxes, const char *value, bool envelope)
{
	char *addr = rfc5322_addr_extract(value);
	const char *why = NULL;

	if (addr != NULL)
		why = reply_policy_addr_reason(rc, mailboxes, addr, envelope);
	free(addr);
	return why;
}

/* reply_policy_senders_reason - the address tests on everyone who
 * could be a robot or ourselves: envelope sender, From, Sender,
 * Reply-To; then a Mailman post (envelope NAME-bounces@D, Reply-To the
 * list NAME@D). Only with Reply-To: a feedback loop signs its reports
 * fbl-bounces@D with From fbl@D, and that is no list. */
static const char *
reply_policy_senders_reason(const struct reply_conf *rc,
    const struct strvec *mailboxes, const struct parsed_msg *m,
    const char *envfrom)
{
	static const char *const hdrs[] = { "From", "Sender", "Reply-To" };
	const char *why = NULL;
	char *env, *rt;

	if (envfrom != NULL && (why = reply_policy_header_addr_reason(rc,
	    mailboxes, envfrom, true)) != NULL)
		return why;
	for (size_t i = 0; i < 3 && why == NULL; i++)
		why = reply_policy_header_addr_reason(rc, mailboxes,
		    parsed_msg_header(m, hdrs[i]), false);
	if (why != NULL || envfrom == NULL)
		return why;
	env = rfc5322_addr_extract(envfrom);
	rt = rfc5322_addr_extract(parsed_msg_header(m, "Reply-To"));
	if (reply_addr_mailman_pair(env, rt))
		why = "mailing list";
	free(env);
	free(rt);
	return why;
}

/* reply_policy_present - a header that exists and is not empty */
static const char *
reply_policy_present(const struct parsed_msg *m, const char *name)
{
	const char *v = parsed_msg_header(m, name);

	return v != NULL && v[strspn(v, " \t")] != '\0' ? v : NULL;
}

/* reply_policy_reply_to_ok - may the reply go to this Reply-To? Only
 * within the organisation of From or of the envelope sender: anyone
 * can write any Reply-To, and one pointing elsewhere would make us mail
 * a third party on demand (backscatter). An unreadable Reply-To is
 * kept, so that it is refused as "invalid recipient", not skipped. */
static bool
reply_policy_reply_to_ok(const struct parsed_msg *m, const char *reply_to,
    const char *envfrom)
{
	char *rt = rfc5322_addr_extract(reply_to), *from, *env;
	bool ok;

	if (rt == NULL)
		return true;
	from = rfc5322_addr_extract(parsed_msg_header(m, "From"));
	env = envfrom != NULL ? rfc5322_addr_extract(envfrom) : NULL;
	ok = reply_addr_same_org(rt, from) || reply_addr_same_org(rt, env);
	free(rt);
	free(from);
	free(env);
	return ok;
}

/* reply_policy_recipient - pick per reply.recipient; a chosen source
 * that is not a grammatical address is refused, not skipped over */
static const char *
reply_policy_recipient(const struct reply_conf *rc,
    const struct parsed_msg *m, const char *envfrom, char **rcpt)
{
	const char *src = NULL;

	switch (rc->recipient) {
	case RCPT_REPLY_TO:
		src = reply_policy_present(m, "Reply-To");
		if (src != NULL && !reply_policy_reply_to_ok(m, src, envfrom))
			src = NULL;
		if (src != NULL)
			break;
		/* FALLTHROUGH */
	case RCPT_FROM:
		if ((src = reply_policy_present(m, "From")) != NULL)
			break;
		/* FALLTHROUGH */
	case RCPT_RETURN_PATH:
		src = envfrom != NULL && *envfrom != '\0' ? envfrom : NULL;
		break;
	case RCPT_REPLY_TO_ANY:
		if ((src = reply_policy_present(m, "Reply-To")) == NULL)
			src = reply_policy_present(m, "From");
		if (src == NULL && envfrom != NULL && *envfrom != '\0')
			src = envfrom;
		break;
	}
	if (src == NULL)
		return "no recipient";
	if ((*rcpt = rfc5322_addr_extract(src)) == NULL)
		return "invalid recipient";
	return NULL;
}

/* reply_policy_msgid_reason - a Message-ID that is there but outside
 * the grammar cannot go into In-Reply-To, and then no reply is sent.
 * Tested here too (reply_compose tests again) so that the offline
 * verdict and the milter's agree. Empty counts as absent. */
static const char *
reply_policy_msgid_reason(const struct parsed_msg *m)
{
	const char *mid = parsed_msg_header(m, "Message-ID");
	char *id;

	if (mid == NULL || mid[strspn(mid, " \t")] == '\0')
		return NULL;
	if ((id = rfc5322_msg_id_normalize(mid)) == NULL)
		return "invalid message-id";
	free(id);
	return NULL;
}

/* reply_policy_decide - see policy.h */
const char *
reply_policy_decide(const struct reply_conf *rc,
    const struct strvec *mailboxes, const struct reply_category *cat,
    const struct parsed_msg *m, const struct evidence *ev,
    const char *envfrom, char **rcpt)
{
	const char *why;

	*rcpt = NULL;
	if (cat == NULL || !cat->reply)
		return "category does not reply";
	if (cat->tmpl == NULL)
		return "no template";
	if (envfrom != NULL && (*envfrom == '\0' || strcmp(envfrom, "<>") == 0))
		return "null sender";
	if ((why = reply_policy_header_reason(rc, m, ev)) != NULL ||
	    (why = reply_policy_msgid_reason(m)) != NULL)
		return why;
	if ((why = reply_policy_senders_reason(rc, mailboxes, m, envfrom))
	    != NULL)
		return why;
	if ((why = reply_policy_recipient(rc, m, envfrom, rcpt)) != NULL ||
	    (why = reply_policy_addr_reason(rc, mailboxes, *rcpt, false))
	    != NULL ||
	    (why = reply_policy_noreply(*rcpt)) != NULL) {
		free(*rcpt);
		*rcpt = NULL;
		return why;
	}
	return NULL;
}

/* reply_policy_ours_reason - see policy.h */
const char *
reply_policy_ours_reason(const struct reply_conf *rc, size_t nips, bool ours)
{
	if (nips == 0 || ours || rc->answer_not_ours)
		return NULL;
	return "not our address";
}

/* reply_policy_human_reason - see policy.h */
const char *
reply_policy_human_reason(const struct classify_decision *d)
{
	return d->human ? "needs a person" : NULL;
}

/* reply_policy_thread_reason - see policy.h */
const char *
reply_policy_thread_reason(const struct reply_conf *rc,
    const struct parsed_msg *m)
{
	const char *at = rc->from_addr != NULL ? strrchr(rc->from_addr, '@') :
	    NULL;
	char *ref = reply_ref_find(parsed_msg_header(m, "Subject"),
	    parsed_msg_header(m, "In-Reply-To"),
	    parsed_msg_header(m, "References"), at != NULL ? at + 1 : NULL);

	if (ref == NULL)
		return NULL;
	free(ref);
	return "answer to our reply";
}

/* reply_policy_score_reason - see policy.h */
const char *
reply_policy_score_reason(const struct classify_decision *d)
{
	const char *why;

	if ((why = reply_policy_human_reason(d)) != NULL)
		return why;
	if (d->veto != NULL)
		return d->veto->veto_reason;
	if (d->uncertain)
		return "uncertain";
	return NULL;
}
