/*
 * complaint.c - the analysis pipeline: see complaint.h. Data flows one
 * way: parse, collect evidence, look up networks, classify, decide. The
 * reply verdict is: a person's (human), else the stateless policy's
 * (reply/policy.h), then what the rest of the weighing says (veto,
 * uncertain).
 */
#include "complaint/complaint.h"

#include <stdlib.h>
#include <string.h>

#include "classify/classify.h"
#include "classify/lang.h"
#include "evidence/extract.h"
#include "evidence/netset.h"
#include "reply/policy.h"
#include "reply/template.h"

/* complaint_lookup - ours / tor_exit from the reported addresses */
static void
complaint_lookup(const struct config *cfg, struct complaint *c)
{
	c->ours = false;
	c->tor_exit = cfg->exit_list != NULL ? TRI_FALSE : TRI_NULL;
	for (size_t i = 0; i < c->ev.ips.n; i++) {
		const char *ip = c->ev.ips.v[i];

		if (cfg->our_networks != NULL &&
		    netset_contains(cfg->our_networks, ip))
			c->ours = true;
		if (cfg->exit_list != NULL && netset_contains(cfg->exit_list, ip))
			c->tor_exit = TRI_TRUE;
	}
}

/* complaint_lang - the language of the complaint's own words: quoted
 * earlier mail (our own English reply, below an answer) is left out */
static int
complaint_lang(const struct complaint *c)
{
	char *own;
	int lang;

	if (c->unparsed)
		return LANG_UNKNOWN;
	own = extract_own_text(c->msg.text.s != NULL ? c->msg.text.s : "");
	lang = lang_detect(own, strlen(own));
	free(own);
	return lang;
}

/* complaint_analyze - see complaint.h */
void
complaint_analyze(const struct config *cfg, const char *raw, size_t len,
    const char *envfrom, struct complaint *c)
{
	memset(c, 0, sizeof(*c));
	evidence_init(&c->ev);
	c->unparsed = mime_parse_scan(raw, len, cfg->max_body, cfg->max_scan,
	    &c->msg) != 0;
	if (!c->unparsed)
		evidence_collect(&c->msg, &c->ev);
	complaint_lookup(cfg, c);
	c->lang = complaint_lang(c);
	c->when = time(NULL);
	if (c->unparsed)
		c->dec.cat = cfg->rules.fallback;
	else
		classify_run(&cfg->rules, &c->msg, &c->ev, envfrom, &c->dec);
	c->cat = c->dec.cat;
	c->rule = c->dec.rule;
	c->act = config_actions(cfg, c->cat);
	if (c->dec.veto != NULL && c->dec.veto->human && c->dec.veto != c->cat)
		c->also = config_actions(cfg, c->dec.veto);
	config_answer(cfg, c->cat, c->rule, &c->answer);
	/* a report for a person is named so first: the desk must see why
	 * it was not answered, not that, say, its category never replies */
	if ((c->reply_reason = reply_policy_human_reason(&c->dec)) != NULL)
		return;
	/* an answer to our own reply is a conversation: a person goes on
	 * with it, the robot does not answer again */
	if ((c->reply_reason = reply_policy_thread_reason(&cfg->reply,
	    &c->msg)) != NULL)
		return;
	c->reply_reason = reply_policy_decide(&cfg->reply, &cfg->mailboxes,
	    &c->answer, &c->msg, &c->ev, envfrom, &c->rcpt);
	if (c->reply_reason == NULL &&
	    ((c->reply_reason = reply_policy_score_reason(&c->dec)) != NULL ||
	    (c->reply_reason = reply_policy_ours_reason(&cfg->reply,
	    c->ev.ips.n, c->ours)) != NULL)) {
		free(c->rcpt);
		c->rcpt = NULL;
	}
}

/* complaint_free - see complaint.h */
void
complaint_free(struct complaint *c)
{
	parsed_msg_free(&c->msg);
	evidence_free(&c->ev);
	free(c->rcpt);
	c->rcpt = NULL;
}

/* complaint_score_pair - "NAME=TOTAL" */
static void
complaint_score_pair(struct buf *b, const char *name, double total)
{
	buf_puts(b, name);
	buf_putc(b, '=');
	score_number(b, total, 1);
}

/* complaint_score_text - see complaint.h */
char *
complaint_score_text(const struct complaint *c)
{
	struct buf b;

	buf_init(&b);
	complaint_score_pair(&b, c->cat->name, c->dec.total);
	if (c->dec.runner_up != NULL) {
		size_t winner = b.len;

		buf_putc(&b, ' ');
		complaint_score_pair(&b, c->dec.runner_up->name,
		    c->dec.runner_total);
		if (b.len > COMPLAINT_SCORE_MAX)
			b.len = winner;
	}
	if (b.len > COMPLAINT_SCORE_MAX) {
		/* a very long category name: cut it on a character
		 * boundary, keep "=TOTAL" */
		const char *eq = strrchr(b.s, '=');
		size_t tail = strlen(eq), keep = COMPLAINT_SCORE_MAX - tail;

		while (keep > 0 && ((unsigned char)b.s[keep] & 0xC0) == 0x80)
			keep--;
		memmove(b.s + keep, eq, tail);
		b.len = keep + tail;
	}
	b.s[b.len] = '\0';
	return buf_steal(&b);
}

/* complaint_template_name - see complaint.h */
const char *
complaint_template_name(const struct complaint *c)
{
	const char *path = c->answer.tmpl_path, *slash;

	if (c->reply_reason != NULL || path == NULL)
		return NULL;
	if (c->answer.tmpl != NULL)
		return template_file(template_pick(c->answer.tmpl, c->lang));
	slash = strrchr(path, '/');
	return slash != NULL ? slash + 1 : path;
}

/* complaint_ips_joined - see complaint.h */
char *
complaint_ips_joined(const struct complaint *c, size_t max)
{
	struct buf b;
	size_t i;

	buf_init(&b);
	for (i = 0; i < c->ev.ips.n; i++) {
		size_t add = strlen(c->ev.ips.v[i]) + (i ? 2 : 0);

		/* keep room for the " (+N more)" tail */
		if (b.len + add + 16 > max)
			break;
		if (i)
			buf_puts(&b, ", ");
		buf_puts(&b, c->ev.ips.v[i]);
	}
	if (i < c->ev.ips.n)
		buf_printf(&b, " (+%zu more)", c->ev.ips.n - i);
	return buf_steal(&b);
}
