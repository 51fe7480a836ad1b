/*
 * reply_queue.c - the reply steps of one complaint after the stateless
 * policy said yes: compose the message (compose.c; pure, so a reply it
 * refuses leaves no trace in the state), then hand it to reply_store.c,
 * which records it under the stored limits, spools it, or defers it to
 * the retry queue. Then the log line and the ledger row. See
 * reply_queue.h. Waking a reply worker is the caller's (callbacks.c) or
 * reply_store's wake hook: the workers live in protocol/, above this
 * folder.
 */
#include "complaint/reply_queue.h"

#include <stdlib.h>
#include <string.h>

#include "classify/lang.h"
#include "complaint/reply_store.h"
#include "reply/address.h"
#include "reply/compose.h"
#include "reply/ref.h"
#include "util/log.h"

/* reply_queue_init - see reply_queue.h */
int
reply_queue_init(const struct config *cfg)
{
	return reply_store_open(cfg);
}

/* reply_queue_shutdown - see reply_queue.h */
void
reply_queue_shutdown(const struct config *cfg)
{
	reply_store_close(cfg);
}

/* reply_queue_suppressed - the header value for a suppressed reply */
static char *
reply_queue_suppressed(const char *why)
{
	return xasprintf("suppressed: %s", why);
}

/* reply_queue_compose - the reply message, or NULL with *why; our
 * reference is made from the queue id and c->when, which the ledger
 * row keeps (reply_queue_log), so it leads back to that row */
static char *
reply_queue_compose(const struct config *cfg, const struct complaint *c,
    const char *qid, const char **why)
{
	char *ref = reply_ref_make(qid, c->when);
	struct reply_vars v = {
		.rcpt = c->rcpt,
		.category = c->cat->name,
		.tor_exit = c->tor_exit == TRI_NULL ? -1 :
		    c->tor_exit == TRI_TRUE,
		.ours = c->ev.ips.n == 0 ? -1 : c->ours,
		.lang = c->lang != LANG_UNKNOWN ? lang_code(c->lang) : NULL,
		.ref = ref,
	};
	char *msg = reply_compose(&cfg->reply, &c->answer, &c->msg,
	    &c->ev, &v, why);

	if (msg == NULL && *why == NULL)
		*why = "cannot compose";
	free(ref);
	return msg;
}

/* reply_queue_item - what a try needs, owned; takes msg */
static struct reply_retry_item *
reply_queue_item(const struct config *cfg, const struct complaint *c,
    const char *qid, char *msg)
{
	struct reply_retry_item *it = xcalloc(1, sizeof(*it));

	it->qid = qid ? xstrdup(qid) : NULL;
	it->rcpt = xstrdup(c->rcpt);
	it->rate_key = reply_addr_rate_key(c->rcpt,
	    cfg->reply.detail_separators);
	it->domain = reply_addr_org_domain(c->rcpt);
	it->category = xstrdup(c->cat->name);
	it->reporter = c->ev.reporter ? xstrdup(c->ev.reporter) : NULL;
	it->case_id = c->ev.case_id ? xstrdup(c->ev.case_id) : NULL;
	it->msg = msg;
	return it;
}

/* reply_queue_row - the ledger row of complaint c; reply may be NULL
 * (reply_store fills it in) */
static struct ledger_complaint
reply_queue_row(const struct complaint *c, const char *qid,
    const char *reply)
{
	struct ledger_complaint row = {
		.time = c->when,
		.qid = qid,
		.message_id = parsed_msg_header(&c->msg, "Message-ID"),
		.category = c->cat->name,
		.rule = c->rule ? c->rule->name : NULL,
		.reporter = c->ev.reporter,
		.case_id = c->ev.case_id,
		.reply = reply,
		.ips = &c->ev.ips,
	};

	return row;
}

/* reply_queue_reply - see reply_queue.h */
char *
reply_queue_reply(const struct config *cfg, const struct complaint *c,
    const char *qid, bool *queued, bool *recorded)
{
	const char *why = c->reply_reason;
	struct ledger_complaint row = reply_queue_row(c, qid, NULL);
	enum reply_store_outcome r;
	char *msg = NULL;

	*queued = *recorded = false;
	/* compose first: it is pure, and a reply it refuses must neither
	 * count against the rate limit nor mark the case as answered */
	if (why == NULL)
		msg = reply_queue_compose(cfg, c, qid, &why);
	if (why != NULL) {
		free(msg);
		return reply_queue_suppressed(why);
	}
	r = reply_store_put(cfg, reply_queue_item(cfg, c, qid, msg), &row,
	    recorded, &why);
	*queued = r == REPLY_STORED;
	if (r == REPLY_REFUSED)
		return reply_queue_suppressed(why);
	return xstrdup(r == REPLY_STORED ? "queued" : "deferred");
}

/* reply_queue_log - see reply_queue.h */
void
reply_queue_log(const struct config *cfg, const struct complaint *c,
    const char *qid, const char *reply, bool recorded)
{
	char *ips = complaint_ips_joined(c, 300);
	struct ledger_complaint row = reply_queue_row(c, qid, reply);

	(void)cfg;
	log_msg(LOG_INFO, qid, "category=%s rule=%s ips=%s case=%s "
	    "reporter=%s ours=%s reply=%s", c->cat->name,
	    c->rule ? c->rule->name : "default", *ips ? ips : "-",
	    c->ev.case_id ? c->ev.case_id : "-",
	    c->ev.reporter ? c->ev.reporter : "-", c->ours ? "yes" : "no",
	    reply);
	if (!recorded)
		reply_store_record_complaint(&row);
	free(ips);
}
