/*
 * reply_queue.c - the reply pipeline of a complaint after the stateless
 * policy said yes: the stored limits (ledger.c), the rendered message
 * (compose.c), the durable job (spool.c). See reply_queue.h. Waking a
 * reply worker is the caller's (callbacks.c): the workers live in
 * protocol/, above this folder.
 *
 * Order matters for "nothing lost, nothing doubled": the reply is
 * composed first (pure; a refusal there leaves no trace in the state),
 * then the state records it, then the job is written, so a crash between
 * the last two loses one reply rather than sending one the limits
 * forbid; a spool failure is logged with the queue id.
 */
#include "complaint/reply_queue.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "ledger/ledger.h"
#include "reply/compose.h"
#include "reply/spool.h"
#include "util/log.h"

static struct ledger *reply_queue_state;
/* libmilter may still run an end of message when smfi_main returns:
 * readers hold this while they use the state, shutdown takes it to
 * write, so the handle is never used after it is closed (ledger.c
 * accepts NULL: "state unavailable") */
static pthread_rwlock_t reply_queue_lock = PTHREAD_RWLOCK_INITIALIZER;

/* reply_queue_init - see reply_queue.h */
int
reply_queue_init(const struct config *cfg)
{
	if (spool_init(cfg->spool_dir) != 0)
		return -1;
	reply_queue_state = ledger_open(cfg->state_db);
	return 0;
}

/* reply_queue_shutdown - see reply_queue.h */
void
reply_queue_shutdown(void)
{
	pthread_rwlock_wrlock(&reply_queue_lock);
	ledger_close(reply_queue_state);
	reply_queue_state = NULL;
	pthread_rwlock_unlock(&reply_queue_lock);
}

/* reply_queue_suppressed - the header value for a suppressed reply */
static char *
reply_queue_suppressed(const char *why)
{
	return xasprintf("suppressed: %s", why);
}

/* reply_queue_compose - the reply message, or NULL with *why */
static char *
reply_queue_compose(const struct config *cfg, const struct complaint *c,
    const char **why)
{
	struct reply_vars v = {
		.rcpt = c->rcpt,
		.category = c->cat->name,
		.tor_exit = c->tor_exit == TRI_TRUE,
	};
	char *msg = reply_compose(&cfg->reply, &c->answer, &c->msg,
	    &c->ev, &v, why);

	if (msg == NULL && *why == NULL)
		*why = "cannot compose";
	return msg;
}

/* reply_queue_spool - write the job; NULL, or why not */
static const char *
reply_queue_spool(const struct config *cfg, const struct complaint *c,
    const char *qid, char *msg)
{
	struct spool_job job = {0};

	job.sender = cfg->reply.envelope_sender;
	job.rcpt = c->rcpt;
	job.category = c->cat->name;
	job.qid = (char *)(qid ? qid : "");
	job.case_id = c->ev.case_id ? c->ev.case_id : "";
	job.msg = msg;
	job.len = strlen(msg);
	if (spool_write(cfg->spool_dir, &job, NULL) != 0)
		return "spool error";
	return NULL;
}

/* reply_queue_reply - see reply_queue.h */
char *
reply_queue_reply(const struct config *cfg, const struct complaint *c,
    const char *qid, bool *queued)
{
	const char *why = c->reply_reason;
	char *msg = NULL;

	/* compose first: it is pure, and a reply it refuses must neither
	 * count against the rate limit nor mark the case as answered */
	if (why == NULL)
		msg = reply_queue_compose(cfg, c, &why);
	pthread_rwlock_rdlock(&reply_queue_lock);
	if (why == NULL && !ledger_reply_allow(reply_queue_state, c->rcpt,
	    c->cat->name, c->ev.reporter, c->ev.case_id, cfg->reply.rate_count,
	    cfg->reply.rate_period, &why) && why == NULL)
		why = "state unavailable";
	if (why == NULL && (why = reply_queue_spool(cfg, c, qid, msg)) != NULL)
		ledger_reply_forget(reply_queue_state, c->rcpt, c->cat->name,
		    c->ev.reporter, c->ev.case_id);
	pthread_rwlock_unlock(&reply_queue_lock);
	free(msg);
	*queued = why == NULL;
	if (why != NULL)
		return reply_queue_suppressed(why);
	return xstrdup("queued");
}

/* reply_queue_log - see reply_queue.h */
void
reply_queue_log(const struct config *cfg, const struct complaint *c,
    const char *qid, const char *reply)
{
	char *ips = complaint_ips_joined(c, 300);
	struct ledger_complaint row = {
		.qid = qid,
		.message_id = parsed_msg_header(&c->msg, "Message-ID"),
		.category = c->cat->name,
		.rule = c->rule ? c->rule->name : NULL,
		.reporter = c->ev.reporter,
		.case_id = c->ev.case_id,
		.reply = reply,
		.ips = &c->ev.ips,
	};

	log_msg(LOG_INFO, qid, "category=%s rule=%s ips=%s case=%s "
	    "reporter=%s ours=%s reply=%s", c->cat->name,
	    c->rule ? c->rule->name : "default", *ips ? ips : "-",
	    c->ev.case_id ? c->ev.case_id : "-",
	    c->ev.reporter ? c->ev.reporter : "-", c->ours ? "yes" : "no",
	    reply);
	pthread_rwlock_rdlock(&reply_queue_lock);
	ledger_record_complaint(reply_queue_state, &row);
	pthread_rwlock_unlock(&reply_queue_lock);
	free(ips);
}
