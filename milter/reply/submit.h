/*
 * submit.h - hand one rendered reply to the local MTA's sendmail program.
 *
 * submit_run() runs
 *	ARGV[0] ARGV[1..] -i -f SENDER -- RCPT
 * with posix_spawn (no shell, never -t), writes the message to its stdin
 * through a pipe and waits for it, at most `timeout` seconds. The child
 * starts with an empty signal mask, default signal dispositions, its own
 * process group, and no open descriptor but 0, 1 and 2 (stdout and
 * stderr go to a pipe whose first bytes end up in the reason text).
 * The null sender ("") is passed as "-f <>", which Postfix's and
 * Sendmail's sendmail both read as the null reverse path.
 *
 * Outcome, by exit status:
 *	0                                   SUBMIT_OK
 *	75 EX_TEMPFAIL, 71 EX_OSERR,
 *	74 EX_IOERR, 126 and 127 (could not
 *	execute), killed by a signal,
 *	timeout, spawn failure              SUBMIT_TEMPFAIL (retry later)
 *	any other non-zero (64 EX_USAGE,
 *	67 EX_NOUSER, 78 EX_CONFIG, ...)    SUBMIT_PERMFAIL (give up)
 *	*cancel became non-zero             SUBMIT_CANCELLED (not the
 *	                                    job's fault: try it again later)
 * Exit status 0 is success even when sendmail did not read all of its
 * input (the reason text says so): it has taken responsibility, and
 * sending again would duplicate the reply.
 * 71 and 74 count as temporary because they report a condition of the
 * system (no fork, a full disk), not a verdict on the message. A
 * missing or unexecutable sendmail is temporary too: an administrator
 * fixes the path, and max_age bounds the retries.
 *
 * On timeout or cancel the whole process group is killed with SIGKILL;
 * the child is always reaped before submit_run returns.
 *
 * SIGPIPE: when sendmail dies before reading all of its input, writing
 * to the pipe raises SIGPIPE. submit_run blocks SIGPIPE in the calling
 * thread for the duration, and if its own write raised one (it was not
 * pending before), takes it off the pending set with sigtimedwait, so a
 * dying sendmail can never kill the daemon. The thread's mask is
 * restored before returning. Safe to call from several threads at once.
 */
#ifndef ABUSE_SUBMIT_H
#define ABUSE_SUBMIT_H

#include <stdatomic.h>
#include <stddef.h>

#include "util/util.h"

enum submit_result {
	SUBMIT_OK,
	SUBMIT_TEMPFAIL,
	SUBMIT_PERMFAIL,
	SUBMIT_CANCELLED,
};

/* submit_run - argv: sendmail path then fixed arguments (at least the
 * path); sender: envelope sender, "" for <>; timeout: seconds (0: 1);
 * cancel: may be NULL, else looked at about every 50 ms; the child's
 * exit itself is noticed at once (pidfd); why: when not NULL, set
 * to a description of what happened, e.g. "exit status 75: <output>",
 * the output cut to 300 bytes of one clean line (caller frees). */
enum submit_result submit_run(const struct strvec *argv, const char *sender,
    const char *rcpt, const char *msg, size_t len, unsigned timeout,
    const atomic_int *cancel, char **why);

/* submit_idle_wakeups - how often, in this process so far, a submission
 * woke up with nothing to do (a poll that timed out before the
 * deadline: a cancel check, or a tick where the kernel has no pidfd).
 * With no cancel flag and a pidfd it stays unchanged, however long
 * sendmail takes: tests and bench/replies.sh read it. */
unsigned long submit_idle_wakeups(void);

/* submit_result_name - "ok", "temporary failure", ... */
const char *submit_result_name(enum submit_result r);

#endif
