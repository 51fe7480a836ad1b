/*
 * complaint.h - the one analysis pipeline shared by the milter (at end of
 * message) and by `--classify`: bytes -> parsed message -> evidence ->
 * ours / tor_exit -> language of the own text -> category (scored
 * rules) -> reply decision (without stored state).
 *
 * Usage:
 *	struct complaint c;
 *	complaint_analyze(cfg, raw, len, envfrom, &c);
 *	... c.cat->name, c.rule, c.act->route, c.ev.ips, c.reply_reason ...
 *	complaint_free(&c);
 */
#ifndef ABUSE_COMPLAINT_H
#define ABUSE_COMPLAINT_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "classify/score.h"
#include "config/config.h"
#include "evidence/evidence.h"
#include "parse/message.h"

enum tristate {
	TRI_NULL = -1,		/* unknown: no exit list configured */
	TRI_FALSE = 0,
	TRI_TRUE = 1,
};

struct complaint {
	struct parsed_msg msg;
	struct evidence ev;
	bool unparsed;			/* mime_parse found nothing usable */
	const struct category *cat;	/* never NULL after analyze */
	const struct category_actions *act;	/* cat's, in the config */
	/* a human category that vetoed but did not win: its route and
	 * copies are added as copies (a person must see it), or NULL */
	const struct category_actions *also;
	struct reply_category answer;	/* act's, or the rule's template */
	const struct rule *rule;	/* NULL: default category, no rule */
	struct classify_decision dec;	/* cat, rule, totals, runner-up */
	bool ours;			/* a reported IP is in our_networks */
	enum tristate tor_exit;		/* a reported IP is in exit_list */
	int lang;			/* classify/lang.h index, or
					 * LANG_UNKNOWN */
	time_t when;			/* analysed at: the ledger row's time
					 * and the day of our reference */
	const char *reply_reason;	/* NULL: send; else why suppressed */
	char *rcpt;			/* reply recipient when sending */
};

/* complaint_analyze - run the pipeline; envfrom without <> ("" for the
 * null sender, NULL when unknown). Always fills *c. */
void complaint_analyze(const struct config *cfg, const char *raw, size_t len,
    const char *envfrom, struct complaint *c);
void complaint_free(struct complaint *c);

#define COMPLAINT_SCORE_MAX	160	/* bytes of complaint_score_text */

/* complaint_score_text - "WINNER=TOTAL RUNNER-UP=TOTAL" (the runner-up
 * only when there is one), totals with at most one decimal ("abuse=7
 * spam=2.5"), malloc'd, at most COMPLAINT_SCORE_MAX bytes: the runner-up
 * goes first, then the winner's name is cut */
char *complaint_score_text(const struct complaint *c);

/* complaint_template_name - the file name (no directory) of the template
 * the reply would use (its translation for c->lang when there is one:
 * "abuse-ssh.de.txt"), or NULL when no reply would be sent */
const char *complaint_template_name(const struct complaint *c);

/* complaint_ips_joined - reported IPs joined by ", ", cut to at most
 * max bytes with " (+N more)"; malloc'd, "" when none */
char *complaint_ips_joined(const struct complaint *c, size_t max);

#endif
