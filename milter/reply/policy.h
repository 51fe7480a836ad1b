/*
 * policy.h - may this complaint be answered, and to whom? RFC 3834
 * and the reply rules of doc/abuse-milter.8 (REPLIES), as a pure function
 * of the reply settings, our own mailboxes, the category's reply settings,
 * the parsed headers and the envelope sender. No stored state (rate
 * limits, once per case id) is consulted here: ledger.c adds those.
 *
 * Usage:
 *	char *rcpt;
 *	const char *why = reply_policy_decide(&cfg->reply, &cfg->mailboxes,
 *	    cat, m, ev, envfrom, &rcpt);
 *	if (why == NULL) { ... reply to rcpt ...; free(rcpt); }
 *	else ... "suppressed: <why>" ...
 *
 * Reasons (static strings, stable for headers, JSON and tests):
 *	"category does not reply", "no template", "null sender",
 *	"auto-submitted", "precedence bulk", "precedence junk",
 *	"precedence list", "mailing list", "autoreply",
 *	"auto-response suppressed", "loop", "invalid message-id",
 *	the address reasons of address.h ("routed address", "mailer-daemon",
 *	"postmaster", "list address", "bounce address", "address literal",
 *	"local address"), "own mailbox", "no recipient",
 *	"invalid recipient", "no-reply address"
 * and from the weighing of the rules (reply_policy_score_reason):
 *	"needs a person", "veto: NAME" (NAME a category), "uncertain";
 * and "answer to our reply" (reply_policy_thread_reason)
 *
 * Reply-To is the recipient (reply.recipient = reply-to) only within
 * the organisation of From or of the envelope sender
 * (reply_addr_same_org); elsewhere From is answered instead.
 */
#ifndef ABUSE_REPLY_POLICY_H
#define ABUSE_REPLY_POLICY_H

#include "classify/score.h"
#include "evidence/evidence.h"
#include "parse/message.h"
#include "reply/reply_conf.h"
#include "util/util.h"

/* reply_policy_decide - NULL when a reply may be sent (then *rcpt is the
 * malloc'd bare recipient address), else a short static reason and
 * *rcpt = NULL. envfrom: envelope sender without angle brackets, "" for
 * <>, NULL when unknown (offline without Return-Path: only the header
 * tests apply to it). mailboxes: the abuse mailboxes (mailbox.h
 * patterns), never answered. cat NULL: no category, no reply. */
const char *reply_policy_decide(const struct reply_conf *rc,
    const struct strvec *mailboxes, const struct reply_category *cat,
    const struct parsed_msg *m, const struct evidence *ev,
    const char *envfrom, char **rcpt);

/* reply_policy_human_reason - "needs a person" when the winning
 * category or its strongest rule has human = true, else NULL. The
 * caller tests it before everything else: a report that must reach a
 * person says so in its header whatever else would stop a reply. */
const char *reply_policy_human_reason(const struct classify_decision *d);

/* reply_policy_thread_reason - "answer to our reply" when the message
 * carries our reference (ref.h) in its Subject, or a Message-ID of
 * ours in In-Reply-To or References; else NULL. Tested right after
 * reply_policy_human_reason: whatever it says, an answer to us goes to
 * a person, who continues the conversation the robot started. */
const char *reply_policy_thread_reason(const struct reply_conf *rc,
    const struct parsed_msg *m);

/* reply_policy_score_reason - what the weighing of the rules says
 * against an automatic reply, tested after reply_policy_decide said yes:
 * "needs a person" (reply_policy_human_reason),
 * then "veto: NAME" (that category's total reached its veto), then
 * "uncertain" (the winner is less than the margin ahead of the
 * runner-up); NULL: nothing. The strings live as long as the ruleset. */
const char *reply_policy_score_reason(const struct classify_decision *d);

/* reply_policy_ours_reason - "not our address" when the complaint
 * reports addresses and none of them is ours (a reply would claim an
 * address we do not run), unless reply.not_ours = send; NULL otherwise,
 * also when it reports no address at all */
const char *reply_policy_ours_reason(const struct reply_conf *rc,
    size_t nips, bool ours);

#endif
