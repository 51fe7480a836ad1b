/*
 * worker.h - the reply worker threads: take due jobs from the spool and
 * hand them to sendmail, so that no milter callback ever waits for the
 * MTA.
 *
 * Calling sequence (main.c, callbacks.c):
 *	worker_start(cfg->reply.workers);	after daemonizing, with
 *						signals blocked; resumes the
 *						spool (spool_init recovery)
 *	reply_queue_reply(...); worker_kick();	end of message: a new
 *						job is on disk
 *	worker_stop();				SIGTERM/SIGINT, before exit
 *
 * Each pass takes a reference to the live configuration (config_current)
 * and drops it after the job, so a SIGUSR1 reload applies from the next
 * job on (sendmail argv, timeout, retry, max_age, spool_dir).
 *
 * A submission that takes more than half of reply.timeout is logged as
 * a warning that names the likely cause (Sendmail sleeping 60 s on a
 * host name without a domain): the first after start, then at most one
 * every WORKER_SLOW_EVERY seconds.
 *
 * Per job: submit_run() (see submit.h for what counts as temporary):
 *	ok         the job file is removed
 *	temporary  attempts+1, next try after retry * 2^(attempts-1)
 *	           seconds (at most WORKER_BACKOFF_MAX, and never later than
 *	           created + max_age, so the last try happens at the
 *	           deadline); a temporary failure at or after the deadline
 *	           moves the job to failed/ with a log line
 *	permanent  failed/ at once, with a log line
 * A job is claimed by renaming it (spool_claim), so only one thread
 * ever submits it.
 *
 * At-least-once: the job file is removed only after sendmail exited 0.
 * A crash in the short window after that exit and before the removal
 * reaches the disk leaves the claimed file behind; at the next start
 * spool_init requeues it and the reply is sent a second time. That is
 * the only way to get a duplicate; no crash can lose a job.
 *
 * Promptness: worker_kick() wakes the threads at once; without a kick a
 * thread sleeps until the earliest next try, at most WORKER_IDLE_MAX
 * seconds (which also picks up jobs dropped in by hand).
 *
 * Deferred replies: before each pass a thread tries the replies that
 * wait in reply_store's retry queue (the ledger was locked or damaged,
 * or the spool could not be written) with reply_store_retry, and sleeps
 * no longer than until the next of them is due. worker_start sets
 * worker_kick as reply_store's wake hook, so a newly deferred reply
 * shortens a sleep at once; worker_stop unsets it.
 */
#ifndef ABUSE_WORKER_H
#define ABUSE_WORKER_H

#define WORKER_IDLE_MAX		30	/* seconds between unprompted scans */
#define WORKER_BACKOFF_MAX	3600	/* longest retry interval, seconds */
#define WORKER_STOP_GRACE	7	/* seconds a submission may go on
					 * after worker_stop() */
#define WORKER_SLOW_EVERY	3600	/* seconds between two warnings of
					 * a slow sendmail */

/* worker_start - recover the spool of the current config and start
 * nthreads threads (at least 1). Returns 0, or -1 (logged) when there is
 * no config, the spool cannot be prepared, or workers already run. */
int worker_start(int nthreads);

/* worker_kick - a job was written: look at the spool now. Cheap, never
 * blocks for long; a no-op when no workers run. */
void worker_kick(void);

/* worker_stop - no new jobs are taken; a submission in progress may
 * finish for up to WORKER_STOP_GRACE seconds, then it is killed and its
 * job goes back to the queue untouched. Joins the threads, so it returns
 * within about WORKER_STOP_GRACE + 1 seconds. Whatever is not done stays
 * in the spool for the next start. worker_start may be called again
 * afterwards. */
void worker_stop(void);

#endif
