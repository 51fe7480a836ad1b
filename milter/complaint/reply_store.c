/*
 * reply_store.c - the ledger, spool and retry queue behind every reply;
 * see reply_store.h.
 *
 * Order matters for "nothing lost, nothing doubled": the ledger records
 * a reply before its job is written, so a crash between the two loses
 * one reply rather than sending one the limits forbid. A ledger that is
 * locked or damaged, or a spool that cannot be written, defers the
 * reply instead of dropping it (the retry queue, reply/retry.h), and
 * reply_store_retry tries it again.
 */
#include "complaint/reply_store.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "ledger/reply_decide.h"
#include "ledger/redis_state.h"
#include "reply/spool.h"
#include "util/log.h"
#include "util/util.h"

static struct ledger *reply_store_ledger;
/* state { backend = "redis" }: the fleet's decisions; NULL with sqlite */
static struct redis_state *reply_store_redis;
static struct reply_retry *reply_store_retryq;
static void (*_Atomic reply_store_wake)(void);
/* libmilter may still run an end of message when smfi_main returns:
 * readers hold this while they use the state, shutdown takes it to
 * write, so the handle is never used after it is closed (ledger.c
 * accepts NULL: "state unavailable") */
static pthread_rwlock_t reply_store_lock = PTHREAD_RWLOCK_INITIALIZER;

/* reply_store_open - see reply_store.h */
int
reply_store_open(const struct config *cfg)
{
	if (spool_init(cfg->spool_dir) != 0)
		return -1;
	pthread_rwlock_wrlock(&reply_store_lock);
	reply_store_ledger = ledger_open(cfg->state_db);
	reply_store_redis = cfg->state.backend == STATE_REDIS ?
	    redis_state_open(&cfg->state.redis) : NULL;
	if (reply_store_retryq == NULL)
		reply_store_retryq = reply_retry_new(REPLY_RETRY_MAX);
	pthread_rwlock_unlock(&reply_store_lock);
	return 0;
}

/* reply_store_set_wake - see reply_store.h */
void
reply_store_set_wake(void (*wake)(void))
{
	atomic_store(&reply_store_wake, wake);
}

/* reply_store_spool - write the job; 0 or -1 (logged by spool.c) */
static int
reply_store_spool(const struct config *cfg, const struct reply_retry_item *it)
{
	struct spool_job job = {0};

	job.sender = cfg->reply.envelope_sender;
	job.rcpt = it->rcpt;
	job.category = it->category;
	job.qid = (char *)(it->qid ? it->qid : "");
	job.case_id = (char *)(it->case_id ? it->case_id : "");
	job.msg = it->msg;
	job.len = strlen(it->msg);
	return spool_write(cfg->spool_dir, &job, NULL);
}

/* reply_store_decide - may the reply go? With Redis (state { backend
 * = "redis" }) the fleet's state decides first (reply_decide.h) and the
 * complaint's row is written apart, after; with the local ledger alone
 * the row goes into the decision's transaction */
static bool
reply_store_decide(struct reply_retry_item *it, const struct ledger_reply *r,
    const struct ledger_limits *lim, const struct ledger_complaint *row,
    long long *row_id, const char **why)
{
	if (reply_store_redis != NULL)
		return reply_decide_allow(reply_store_ledger, reply_store_redis,
		    r, lim, &it->decided, why);
	if (!ledger_reply_decide(reply_store_ledger, r, lim, row, why, row_id))
		return false;
	it->decided = DECIDED_LOCAL;
	return true;
}

/* reply_store_try - record the reply (unless that is done) and spool
 * it; with row (first try only) the complaint's ledger row goes into
 * the same transaction as the reply's record, and *row_id says whether
 * it was written. Call with reply_store_lock held to read. */
static enum reply_store_outcome
reply_store_try(const struct config *cfg, struct reply_retry_item *it,
    const struct ledger_complaint *row, long long *row_id, const char **why)
{
	const struct reply_conf *rc = &cfg->reply;
	struct ledger_reply r = { it->rate_key, it->domain, it->category,
	    it->reporter, it->case_id };
	struct ledger_limits lim = { rc->rate_count, rc->rate_period,
	    rc->max_per_hour, rc->max_per_domain };

	*why = NULL;
	if (!it->recorded) {
		if (!reply_store_decide(it, &r, &lim, row, row_id, why)) {
			if (*why != NULL && strcmp(*why, "state unavailable"))
				return REPLY_REFUSED;
			*why = "state unavailable";
			return REPLY_DEFERRED;
		}
		it->recorded = true;
	}
	if (reply_store_spool(cfg, it) != 0) {
		/* taken back so a deferred reply does not hold the limits;
		 * when that fails too, the retry only spools */
		if (reply_decide_forget(reply_store_ledger, reply_store_redis,
		    &r, it->decided) == 0)
			it->recorded = false;
		*why = "spool error";
		return REPLY_DEFERRED;
	}
	return REPLY_STORED;
}

/* reply_store_close - see reply_store.h */
void
reply_store_close(const struct config *cfg)
{
	struct reply_retry_item *it;
	const char *why;

	pthread_rwlock_wrlock(&reply_store_lock);
	while (reply_store_retryq != NULL &&
	    (it = reply_retry_pop(reply_store_retryq)) != NULL) {
		if (cfg != NULL && reply_store_try(cfg, it, NULL, NULL, &why)
		    == REPLY_STORED)
			log_msg(LOG_INFO, it->qid, "deferred reply to %s "
			    "queued at shutdown", it->rcpt);
		else
			log_msg(LOG_ERR, it->qid, "deferred reply to %s lost "
			    "at shutdown after %u attempts", it->rcpt,
			    it->attempts + (cfg != NULL));
		reply_retry_item_free(it);
	}
	ledger_close(reply_store_ledger);
	reply_store_ledger = NULL;
	redis_state_close(reply_store_redis);
	reply_store_redis = NULL;
	reply_retry_free(reply_store_retryq);
	reply_store_retryq = NULL;
	pthread_rwlock_unlock(&reply_store_lock);
}

/* reply_store_defer - hand a reply whose first try failed to the retry
 * queue; false (logged) when it is full */
static bool
reply_store_defer(struct reply_retry_item *it, const char *why)
{
	void (*wake)(void);

	if (reply_store_retryq == NULL ||
	    !reply_retry_push(reply_store_retryq, it, time(NULL))) {
		log_msg(LOG_ERR, it->qid, "reply to %s dropped: %s, and the "
		    "retry queue is full", it->rcpt, why);
		return false;
	}
	log_msg(LOG_WARNING, it->qid, "reply to %s deferred: %s; it will be "
	    "tried again", it->rcpt, why);
	if ((wake = atomic_load(&reply_store_wake)) != NULL)
		wake();
	return true;
}

/* reply_store_row_fix - the row says "queued" but the job could not be
 * spooled: say what became of the reply instead */
static void
reply_store_row_fix(long long id, enum reply_store_outcome r,
    const char *why)
{
	char *v = r == REPLY_DEFERRED ? xstrdup("deferred") :
	    xasprintf("suppressed: %s", why);

	ledger_complaint_reply(reply_store_ledger, id, v);
	free(v);
}

/* reply_store_put - see reply_store.h */
enum reply_store_outcome
reply_store_put(const struct config *cfg, struct reply_retry_item *it,
    const struct ledger_complaint *row, bool *row_done, const char **why)
{
	enum reply_store_outcome r;
	long long id = 0;
	bool fix;

	pthread_rwlock_rdlock(&reply_store_lock);
	r = reply_store_try(cfg, it, row, &id, why);
	/* only an allowed reply whose spooling failed is deferred after
	 * its row was written (a refusal is REFUSED, "state unavailable"
	 * writes nothing) */
	fix = id > 0 && r == REPLY_DEFERRED;
	if (r == REPLY_DEFERRED && !reply_store_defer(it, *why)) {
		r = REPLY_REFUSED;
		*why = "retry queue full";
	}
	if (fix)
		reply_store_row_fix(id, r, *why);
	pthread_rwlock_unlock(&reply_store_lock);
	if (row_done != NULL)
		*row_done = id > 0;
	if (r != REPLY_DEFERRED)
		reply_retry_item_free(it);
	return r;
}

/* reply_store_retry_one - one due reply tried again: 1 spooled, 0 done
 * with it otherwise, -1 deferred again */
static int
reply_store_retry_one(const struct config *cfg, struct reply_retry_item *it,
    time_t now)
{
	const char *why;

	switch (reply_store_try(cfg, it, NULL, NULL, &why)) {
	case REPLY_STORED:
		log_msg(LOG_INFO, it->qid, "deferred reply to %s queued "
		    "(attempt %u)", it->rcpt, it->attempts + 1);
		reply_retry_item_free(it);
		return 1;
	case REPLY_REFUSED:
		log_msg(LOG_NOTICE, it->qid, "deferred reply to %s "
		    "suppressed: %s", it->rcpt, why);
		break;
	case REPLY_DEFERRED:
		if (reply_retry_back(reply_store_retryq, it, now))
			return -1;
		log_msg(LOG_ERR, it->qid, "deferred reply to %s given up "
		    "after %u attempts in %lds: %s", it->rcpt,
		    it->attempts + 1, (long)(now - it->first), why);
		if (it->recorded) {
			struct ledger_reply r = { it->rate_key, it->domain,
			    it->category, it->reporter, it->case_id };

			reply_decide_forget(reply_store_ledger,
			    reply_store_redis, &r, it->decided);
		}
		break;
	}
	reply_retry_item_free(it);
	return 0;
}

/* reply_store_retry - see reply_store.h; after a reply is deferred
 * again the others wait for the next round: they would most likely meet
 * the same locked ledger or full disk, each costing the busy timeout */
int
reply_store_retry(const struct config *cfg, time_t now, time_t *next)
{
	struct reply_retry_item *it;
	int spooled = 0, r = 0;

	*next = 0;
	pthread_rwlock_rdlock(&reply_store_lock);
	if (reply_store_retryq != NULL) {
		while (r >= 0 &&
		    (it = reply_retry_take(reply_store_retryq, now)) != NULL)
			if ((r = reply_store_retry_one(cfg, it, now)) > 0)
				spooled++;
		*next = reply_retry_next(reply_store_retryq);
	}
	pthread_rwlock_unlock(&reply_store_lock);
	return spooled;
}

/* reply_store_record_complaint - see reply_store.h */
int
reply_store_record_complaint(const struct ledger_complaint *row)
{
	int rc;

	pthread_rwlock_rdlock(&reply_store_lock);
	rc = reply_decide_complaint(reply_store_ledger, reply_store_redis, row);
	pthread_rwlock_unlock(&reply_store_lock);
	return rc;
}
