/*
 * spool.h - the durable reply spool: one file per reply job in spool_dir.
 *
 * The milter writes a job with spool_write() before its end-of-message
 * callback returns; the reply workers (worker.c) list, claim, submit and
 * then remove, reschedule or fail the job. Everything that changes a job
 * file goes through a temporary file, fsync, rename and an fsync of the
 * directory, so a crash leaves either the old or the new file, never a
 * half-written one. Directory fsyncs of threads writing at the same
 * time are shared (a group commit, spool.c); a claim is not synced, a
 * removal within SPOOL_FLUSH_SECS (spool_flush).
 *
 * File names inside spool_dir:
 *	q.NAME	a queued job, waiting or due
 *	c.NAME	a job claimed by one worker (renamed from q.NAME)
 *	t.*	a temporary file being written (removed by spool_init)
 *	failed/	jobs given up on, and corrupt files, for a person to look at
 * NAME sorts by creation time, so listing order is arrival order.
 *
 * A job file is a few "key: value" header lines, a blank line and the
 * rendered message (LF line endings):
 *	abuse-milter-job 1
 *	sender: <envelope sender, empty for <>>
 *	rcpt: ...
 *	category: ...  qid: ...  case-id: ...
 *	created: UNIX-TIME  attempts: N  next-try: UNIX-TIME
 *	length: BYTES OF MESSAGE
 * A file that does not parse exactly (missing key, bad number, message
 * shorter or longer than `length`) is corrupt: the worker moves it to
 * failed/ with a log line.
 *
 * One process owns a spool directory: spool_init at start takes every
 * claimed job back, which is only right when no other process is
 * working on it.
 *
 * Typical use:
 *	spool_init(dir);			at start, before the workers
 *	spool_write(dir, &job, NULL);		milter, at end of message
 *	spool_list / spool_claim / spool_read	worker
 *	spool_remove | spool_requeue | spool_fail
 */
#ifndef ABUSE_SPOOL_H
#define ABUSE_SPOOL_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>
#include <time.h>

#include "util/util.h"

struct spool_job {
	char *sender;		/* envelope sender; "" means <> */
	char *rcpt;		/* the one recipient */
	char *category;
	char *qid;		/* queue id of the complaint; "" if unknown */
	char *case_id;		/* "" if none */
	time_t created;		/* 0 in spool_write: now */
	unsigned attempts;	/* submissions tried so far */
	time_t next_try;	/* not before this time; 0 in spool_write: now */
	char *msg;		/* the rendered reply, LF line endings */
	size_t len;
};

/* spool_init - create dir and dir/failed (mode 0700) if missing, remove
 * temporary files a crash left behind and put claimed jobs back in the
 * queue. Call once at start, before the workers run (they would lose
 * their claims). Returns 0, or -1 with a log line. */
int spool_init(const char *dir);

/* spool_write - store a new job durably (temp file, fsync, rename, fsync
 * of the directory). Values containing CR, LF or NUL are refused. On
 * success returns 0 and, when name_out is not NULL, the job's q.NAME
 * (caller frees); -1 with a log line otherwise. */
int spool_write(const char *dir, const struct spool_job *job,
    char **name_out);

/* spool_list - append the names of queued jobs (q.*) in arrival order.
 * Returns 0, or -1 when the directory cannot be read. */
int spool_list(const char *dir, struct strvec *names);

/* spool_claim - rename queued job q.NAME to c.NAME so that no other
 * worker takes it. Returns 0 when this caller owns it now, -1 when it
 * is gone (another worker was first) or cannot be renamed. */
int spool_claim(const char *dir, const char *qname);

/* spool_read - parse job file dir/name (q.* or c.*) into *job (free with
 * spool_job_free). Returns 0, or -1 when it cannot be read or is corrupt
 * (*job is then empty but safe to free). */
int spool_read(const char *dir, const char *name, struct spool_job *job);
void spool_job_free(struct spool_job *job);

/* spool_requeue - give claimed job c.NAME back to the queue as q.NAME
 * with the attempts and next_try in *job. Crash-safe: the new content is
 * written to a temp file and renamed over c.NAME, then c.NAME is renamed
 * to q.NAME; a crash in between leaves c.NAME, which spool_init
 * requeues. Returns 0 or -1 (the job then stays claimed until restart). */
int spool_requeue(const char *dir, const char *qname,
    const struct spool_job *job);

/* spool_release - give claimed job c.NAME back unchanged; 0 or -1 */
int spool_release(const char *dir, const char *qname);

/* spool_remove - delete claimed job c.NAME (after a successful
 * submission); 0 or -1 */
int spool_remove(const char *dir, const char *qname);

/* spool_flush - make removals and claims of dir durable (see spool.c,
 * the group commit): at once when now, else only once they have waited
 * SPOOL_FLUSH_SECS. Returns 0, or the seconds until they will have. */
#define SPOOL_FLUSH_SECS	1
long spool_flush(const char *dir, bool now);

/* spool_fail - move file dir/name (q.* or c.*) to dir/failed/ and log
 * why; 0 or -1 */
int spool_fail(const char *dir, const char *name, const char *qid,
    const char *why);

#endif
