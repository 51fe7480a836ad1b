/*
 * compose.h - build the complete RFC 3834 reply to a complaint
 * from the category's template. Pure: no I/O, no state; the caller
 * (complaint/reply_queue.c) spools the result for the reply worker.
 *
 * Usage:
 *	struct reply_vars v = { .rcpt = rcpt, .category = cat->name,
 *	    .tor_exit = exit };
 *	const char *why;
 *	char *msg = reply_compose(&cfg->reply, cat, m, ev, &v, &why);
 *	if (msg == NULL) ... no reply: why ...
 *
 * The header section, in this order:
 *	From: reply.from		To: the one recipient
 *	Subject: the template's Subject, else "Re: <original>" (no "Re: Re:"),
 *	then " [REF]" (our reference, ref.h) unless it holds it already
 *	Date, Message-ID (fresh: "<REF_RANDOM@domain>" with a reference,
 *	so that an answer's In-Reply-To carries it too), In-Reply-To and References (the complaint's
 *	Message-ID, only when it has one), Auto-Submitted: auto-replied,
 *	X-Loop: <reply.from_addr>, X-Auto-Response-Suppress: All (asks
 *	Exchange not to answer our robot), MIME-Version, Content-Type
 *	text/plain; charset=utf-8, Content-Transfer-Encoding: 8bit,
 *	then the template's other header lines.
 * The template is the translation of the category's for v->lang when
 * there is one (template_pick), else the category's own; ${ours} and
 * ${tor_exit} are "yes"/"no" in that language.
 * A template cannot replace any of these but Subject (template_load
 * refuses them). Every value that can carry complaint text is written
 * with rfc5322_header_put (RFC 2047, folded); addresses and Message-IDs
 * only after they passed the RFC 5322 grammar.
 */
#ifndef ABUSE_REPLY_COMPOSE_H
#define ABUSE_REPLY_COMPOSE_H

#include <stdbool.h>
#include <time.h>

#include "evidence/evidence.h"
#include "parse/message.h"
#include "reply/reply_conf.h"

struct reply_vars {
	const char *rcpt;	/* bare recipient, from reply_policy_decide */
	const char *category;	/* ${category}; NULL: the category's name */
	int tor_exit;		/* ${tor_exit}: 1 yes, 0 no, -1 not checked */
	int ours;		/* ${ours}: 1 yes, 0 no, -1 no address */
	time_t now;		/* Date and ${date}; 0: the current time */
	const char *message_id;	/* our Message-ID; NULL: a fresh one */
	const char *lang;	/* the complaint's language ("de"), picks
				 * the template's translation; NULL: unknown */
	const char *ref;	/* our reference (ref.h); NULL: none */
};

/* reply_compose - the whole reply, LF line ends, malloc'd; NULL with a
 * static *reason ("invalid recipient", "invalid from address",
 * "invalid message-id", "no template") when no reply may be sent */
char *reply_compose(const struct reply_conf *rc,
    const struct reply_category *cat, const struct parsed_msg *m,
    const struct evidence *ev, const struct reply_vars *v,
    const char **reason);

/* reply_compose_re_subject - "Re: " + subject without its own leading
 * "Re:" / "RE[2]:" prefixes, as reply_echo_clean leaves it (no links or
 * addresses, REPLY_ECHO_MAX characters); malloc'd. NULL or empty
 * subject, or one with nothing left, gives "Re: (no subject)". */
char *reply_compose_re_subject(const char *subject);

#endif
