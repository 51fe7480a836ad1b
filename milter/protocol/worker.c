/*
 * worker.c - reply worker threads over the spool, see worker.h for the
 * job life cycle, the at-least-once window and the stop protocol.
 *
 * Threads sleep on one condition variable (CLOCK_MONOTONIC); a kick
 * bumps a generation counter and broadcasts, so a kick that arrives
 * while a thread is busy scanning is not lost: the thread sees the new
 * generation and scans again instead of sleeping.
 *
 * The threads remember the next try of every job they saw waiting
 * (worker.later, by file name), so that while sendmail is down a pass
 * costs a directory listing, not a read of every deferred job. Job
 * files change only through this process, so the memory is exact; a
 * file edited by hand is looked at again at its remembered time.
 */
#include "protocol/worker.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "complaint/reply_store.h"
#include "config/config.h"
#include "reply/spool.h"
#include "reply/submit.h"
#include "util/fsdir.h"
#include "util/log.h"

/* worker_later - a queued job known not to be due before next_try */
struct worker_later {
	char *name;
	time_t next_try;
};

static struct {
	pthread_mutex_t lock;
	pthread_cond_t wake;	/* kicks and stop */
	pthread_cond_t exited;	/* a thread has finished */
	unsigned gen;		/* kick generation */
	int running;		/* threads not yet finished */
	pthread_t *threads;
	int nthreads;
	char *last_dir;		/* spool_dir of the last pass */
	struct worker_later *later;	/* sorted by name */
	size_t nlater, latercap;
	atomic_bool stopping;
	atomic_int cancel;	/* kill the submission in progress */
} worker = {
	.lock = PTHREAD_MUTEX_INITIALIZER,
};

/* worker_deadline - absolute monotonic time `secs` from now */
static struct timespec
worker_deadline(long secs)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	ts.tv_sec += secs;
	return ts;
}

/* worker_later_pos - index of name in worker.later, or where it would
 * go; call with the lock held */
static size_t
worker_later_pos(const char *name, bool *found)
{
	size_t lo = 0, hi = worker.nlater;

	*found = false;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(worker.later[mid].name, name);

		if (c == 0) {
			*found = true;
			return mid;
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* worker_later_get - the remembered next try of name, or 0 */
static time_t
worker_later_get(const char *name)
{
	time_t t = 0;
	bool found;
	size_t i;

	pthread_mutex_lock(&worker.lock);
	i = worker_later_pos(name, &found);
	if (found)
		t = worker.later[i].next_try;
	pthread_mutex_unlock(&worker.lock);
	return t;
}

/* worker_later_set - remember that name waits until next_try */
static void
worker_later_set(const char *name, time_t next_try)
{
	bool found;
	size_t i;

	pthread_mutex_lock(&worker.lock);
	i = worker_later_pos(name, &found);
	if (!found) {
		worker.later = xgrow(worker.later, &worker.latercap,
		    worker.nlater + 1, sizeof(*worker.later));
		memmove(worker.later + i + 1, worker.later + i,
		    (worker.nlater - i) * sizeof(*worker.later));
		worker.later[i].name = xstrdup(name);
		worker.nlater++;
	}
	worker.later[i].next_try = next_try;
	pthread_mutex_unlock(&worker.lock);
}

/* worker_later_prune - forget jobs that are no longer queued (names is
 * a sorted listing); call with the lock held */
static void
worker_later_prune(const struct strvec *names)
{
	size_t i, j = 0, keep = 0;

	for (i = 0; i < worker.nlater; i++) {
		const char *n = worker.later[i].name;

		while (j < names->n && strcmp(names->v[j], n) < 0)
			j++;
		if (j < names->n && strcmp(names->v[j], n) == 0)
			worker.later[keep++] = worker.later[i];
		else
			free(worker.later[i].name);
	}
	worker.nlater = keep;
}

/* worker_backoff - when to try again after a temporary failure */
static time_t
worker_backoff(const struct reply_conf *rc, const struct spool_job *job,
    time_t now)
{
	unsigned long delay = rc->retry ? rc->retry : 1;
	unsigned n;
	time_t next;

	for (n = 1; n < job->attempts && delay < WORKER_BACKOFF_MAX; n++)
		delay *= 2;
	if (delay > WORKER_BACKOFF_MAX)
		delay = WORKER_BACKOFF_MAX;
	next = now + (time_t)delay;
	if (next > job->created + (time_t)rc->max_age)
		next = job->created + (time_t)rc->max_age;
	return next > now ? next : now + 1;
}

/* worker_tempfail - requeue with backoff, or give up at max_age */
static void
worker_tempfail(const struct reply_conf *rc, const char *dir,
    const char *qname, const char *cname, struct spool_job *job,
    const char *why)
{
	time_t now = time(NULL);
	char *msg;

	job->attempts++;
	if (now >= job->created + (time_t)rc->max_age) {
		msg = xasprintf("reply to %s not sent after %u attempts in "
		    "%lds: %s", job->rcpt, job->attempts,
		    (long)(now - job->created), why);
		spool_fail(dir, cname, job->qid, msg);
		free(msg);
		return;
	}
	job->next_try = worker_backoff(rc, job, now);
	log_msg(LOG_NOTICE, *job->qid ? job->qid : NULL, "reply to %s "
	    "deferred (attempt %u, next in %lds): %s", job->rcpt,
	    job->attempts, (long)(job->next_try - now), why);
	if (spool_requeue(dir, qname, job) == 0)
		worker_later_set(qname, job->next_try);
}

/* worker_now_ms - monotonic milliseconds */
static long long
worker_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* worker_slow - a submission that took more than half of reply.timeout
 * is a timeout waiting to happen. The usual cause: Sendmail's sendmail
 * on a host whose name has no domain sleeps 60 s in every call, as long
 * as the default timeout, so every reply would be killed and retried
 * until max_age. Said at the first such submission after start, then
 * at most once every WORKER_SLOW_EVERY seconds. */
static void
worker_slow(const struct reply_conf *rc, const char *qid, long long ms)
{
	static _Atomic long long last_ms = -1;
	long long prev = atomic_load(&last_ms), now = worker_now_ms();

	if (ms * 2 <= (long long)rc->timeout * 1000)
		return;
	if (prev >= 0 && now - prev < WORKER_SLOW_EVERY * 1000LL)
		return;
	if (!atomic_compare_exchange_strong(&last_ms, &prev, now))
		return;		/* another thread said it just now */
	log_msg(LOG_WARNING, qid, "sendmail took %lld.%llds of reply.timeout "
	    "%us; a likely cause: on a host whose name has no domain, "
	    "Sendmail's sendmail sleeps 60s in every call (its log says "
	    "\"My unqualified host name ... unknown; sleeping for retry\"); "
	    "give the host a fully qualified name (/etc/hosts) or raise "
	    "reply.timeout",
	    ms / 1000, ms % 1000 / 100, rc->timeout);
}

/* worker_submit - run one claimed job to its next state */
static void
worker_submit(const struct reply_conf *rc, const char *dir,
    const char *qname, struct spool_job *job)
{
	char *cname = xasprintf("c.%s", qname + 2), *why = NULL, *msg;
	const char *qid = *job->qid ? job->qid : NULL;
	long long start = worker_now_ms();
	enum submit_result r;

	r = submit_run(&rc->sendmail, job->sender, job->rcpt, job->msg,
	    job->len, rc->timeout, &worker.cancel, &why);
	if (r != SUBMIT_CANCELLED)
		worker_slow(rc, qid, worker_now_ms() - start);
	switch (r) {
	case SUBMIT_OK:
		/* the at-least-once window: a crash before this unlink is
		 * durable sends the reply again after restart */
		spool_remove(dir, qname);
		log_msg(LOG_INFO, qid, "reply to %s sent (category %s%s%s)",
		    job->rcpt, job->category, *job->case_id ? ", case " : "",
		    job->case_id);
		break;
	case SUBMIT_CANCELLED:
		spool_release(dir, qname);
		log_msg(LOG_NOTICE, qid, "reply to %s left in the spool: %s",
		    job->rcpt, why);
		break;
	case SUBMIT_PERMFAIL:
		msg = xasprintf("reply to %s refused by sendmail: %s",
		    job->rcpt, why);
		spool_fail(dir, cname, job->qid, msg);
		free(msg);
		break;
	case SUBMIT_TEMPFAIL:
		worker_tempfail(rc, dir, qname, cname, job, why);
		break;
	}
	free(why);
	free(cname);
}

/* worker_take - claim and load job qname if it is due; 1 when it is
 * ours now (job filled), else 0 with *earliest lowered to its next try */
static int
worker_take(const char *dir, const char *qname, time_t now,
    struct spool_job *job, time_t *earliest)
{
	time_t later = worker_later_get(qname);
	char *cname;
	int rc;

	if (later > now) {
		if (later < *earliest)
			*earliest = later;
		return 0;
	}
	/* peek without claiming: a job that is not due stays untouched */
	if (spool_read(dir, qname, job) == 0) {
		bool due = job->next_try <= now;

		if (!due) {
			if (job->next_try < *earliest)
				*earliest = job->next_try;
			worker_later_set(qname, job->next_try);
		}
		spool_job_free(job);
		if (!due)
			return 0;
	}
	if (atomic_load(&worker.stopping) || spool_claim(dir, qname) != 0)
		return 0;	/* another thread was first, or we stop */
	cname = xasprintf("c.%s", qname + 2);
	rc = spool_read(dir, cname, job);
	if (rc != 0)
		spool_fail(dir, cname, NULL, "corrupt or unreadable job file");
	else if (job->next_try > now) {
		/* requeued with a later time between our peek and claim */
		if (job->next_try < *earliest)
			*earliest = job->next_try;
		spool_job_free(job);
		spool_release(dir, qname);
		rc = -1;
	}
	free(cname);
	return rc == 0;
}

/* worker_pass - submit every due job of one listing (listing the spool
 * for each job made draining a backlog of N cost O(N^2)); 0 when any was
 * handled, else the seconds until the earliest next try (capped) */
static long
worker_pass(struct config *cfg)
{
	const char *dir = cfg->spool_dir;
	time_t now = time(NULL), earliest = now + WORKER_IDLE_MAX;
	struct spool_job job;
	struct strvec names;
	bool done = false;
	size_t i;

	strvec_init(&names);
	pthread_mutex_lock(&worker.lock);
	if (worker.last_dir == NULL || strcmp(worker.last_dir, dir) != 0) {
		/* a reload may name a new spool; make sure it exists */
		if (fsdir_mkdirs(dir, 0700) == 0) {
			free(worker.last_dir);
			worker.last_dir = xstrdup(dir);
		}
		worker_later_prune(&names);	/* names of another dir */
	}
	pthread_mutex_unlock(&worker.lock);
	spool_list(dir, &names);
	pthread_mutex_lock(&worker.lock);
	worker_later_prune(&names);
	pthread_mutex_unlock(&worker.lock);
	for (i = 0; i < names.n; i++) {
		if (atomic_load(&worker.stopping))
			break;
		now = time(NULL);
		if (worker_take(dir, names.v[i], now, &job, &earliest)) {
			worker_submit(&cfg->reply, dir, names.v[i], &job);
			spool_job_free(&job);
			done = true;
		}
	}
	strvec_free(&names);
	if (done)
		return 0;
	now = time(NULL);
	return earliest > now ? (long)(earliest - now) : 1;
}

/* worker_retry - the deferred replies that are due (reply_store.c):
 * spooled ones are taken by the pass that follows; *wait is lowered to
 * the next one's time */
static void
worker_retry(struct config *cfg, long *wait)
{
	time_t now = time(NULL), next;

	reply_store_retry(cfg, now, &next);
	if (next != 0 && (next <= now ? 1 : next - now) < *wait)
		*wait = next <= now ? 1 : (long)(next - now);
}

/* worker_main - one thread: retries, pass, sleep until kicked or due,
 * repeat */
static void *
worker_main(void *arg)
{
	while (!atomic_load(&worker.stopping)) {
		struct config *cfg;
		struct timespec until;
		unsigned seen;
		long wait = WORKER_IDLE_MAX;

		pthread_mutex_lock(&worker.lock);
		seen = worker.gen;
		pthread_mutex_unlock(&worker.lock);
		if ((cfg = config_current()) != NULL) {
			long pass;

			worker_retry(cfg, &wait);
			pass = worker_pass(cfg);
			if (pass < wait)
				wait = pass;
			/* the removals of sent jobs, unless a new job's
			 * sync covered them meanwhile (spool_remove) */
			pass = spool_flush(cfg->spool_dir, false);
			if (pass > 0 && pass < wait)
				wait = pass;
			config_unref(cfg);
		} else
			wait = 1;
		if (wait == 0)
			continue;
		until = worker_deadline(wait);
		pthread_mutex_lock(&worker.lock);
		while (!atomic_load(&worker.stopping) && worker.gen == seen)
			if (pthread_cond_timedwait(&worker.wake, &worker.lock,
			    &until) == ETIMEDOUT)
				break;
		pthread_mutex_unlock(&worker.lock);
	}
	pthread_mutex_lock(&worker.lock);
	worker.running--;
	pthread_cond_broadcast(&worker.exited);
	pthread_mutex_unlock(&worker.lock);
	return NULL;
}

/* worker_init_conds - condition variables on the monotonic clock, so a
 * change of the wall clock does not stall or hurry the threads */
static void
worker_init_conds(void)
{
	pthread_condattr_t ca;

	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&worker.wake, &ca);
	pthread_cond_init(&worker.exited, &ca);
	pthread_condattr_destroy(&ca);
}

/* worker_start - resume the spool and start the threads */
int
worker_start(int nthreads)
{
	struct config *cfg = config_current();
	sigset_t all, old;
	int i, rc;

	if (cfg == NULL || worker.threads != NULL) {
		log_msg(LOG_ERR, NULL, "worker: %s", cfg ? "already running"
		    : "no configuration");
		config_unref(cfg);
		return -1;
	}
	rc = spool_init(cfg->spool_dir);
	config_unref(cfg);
	if (rc != 0)
		return -1;
	if (nthreads < 1)
		nthreads = 1;
	worker_init_conds();
	atomic_store(&worker.stopping, false);
	atomic_store(&worker.cancel, 0);
	pthread_mutex_lock(&worker.lock);
	worker.threads = xcalloc((size_t)nthreads, sizeof(pthread_t));
	pthread_mutex_unlock(&worker.lock);
	/* signals belong to main's handling thread, never to a worker */
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	for (i = 0; i < nthreads; i++) {
		if ((rc = pthread_create(&worker.threads[i], NULL, worker_main,
		    NULL)) != 0) {
			log_msg(LOG_ERR, NULL, "worker: cannot start a thread: "
			    "%s", strerror(rc));
			break;
		}
		pthread_mutex_lock(&worker.lock);
		worker.running++;
		pthread_mutex_unlock(&worker.lock);
	}
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	worker.nthreads = i;
	if (i == 0) {
		pthread_mutex_lock(&worker.lock);
		free(worker.threads);
		worker.threads = NULL;
		pthread_mutex_unlock(&worker.lock);
		return -1;
	}
	reply_store_set_wake(worker_kick);
	log_msg(LOG_INFO, NULL, "worker: %d reply thread(s) started", i);
	return 0;
}

/* worker_kick - wake the threads */
void
worker_kick(void)
{
	pthread_mutex_lock(&worker.lock);
	worker.gen++;
	if (worker.threads != NULL)
		pthread_cond_broadcast(&worker.wake);
	pthread_mutex_unlock(&worker.lock);
}

/* worker_stop - finish or hand back what is in progress, join */
void
worker_stop(void)
{
	struct timespec until = worker_deadline(WORKER_STOP_GRACE);
	int i;

	if (worker.threads == NULL)
		return;
	reply_store_set_wake(NULL);
	pthread_mutex_lock(&worker.lock);
	atomic_store(&worker.stopping, true);
	pthread_cond_broadcast(&worker.wake);
	while (worker.running > 0)
		if (pthread_cond_timedwait(&worker.exited, &worker.lock,
		    &until) == ETIMEDOUT)
			break;
	if (worker.running > 0)
		atomic_store(&worker.cancel, 1);
	pthread_mutex_unlock(&worker.lock);
	for (i = 0; i < worker.nthreads; i++)
		pthread_join(worker.threads[i], NULL);
	/* under the lock: worker_kick must not broadcast on a destroyed
	 * condition variable */
	pthread_mutex_lock(&worker.lock);
	free(worker.threads);
	worker.threads = NULL;
	worker.nthreads = 0;
	pthread_mutex_unlock(&worker.lock);
	if (worker.last_dir != NULL)
		spool_flush(worker.last_dir, true);
	free(worker.last_dir);
	worker.last_dir = NULL;
	{
		struct strvec none;

		strvec_init(&none);
		worker_later_prune(&none);
		free(worker.later);
		worker.later = NULL;
		worker.latercap = 0;
	}
	pthread_cond_destroy(&worker.wake);
	pthread_cond_destroy(&worker.exited);
	log_msg(LOG_INFO, NULL, "worker: reply threads stopped");
}
