/*
 * qid.h - a queue id for a message whose MTA sent none.
 *
 * Every log line and ledger row of a complaint carries the MTA's queue
 * id, macro `i`: Postfix sends it at every stage, Sendmail with MAIL
 * FROM (confMILTER_MACROS_ENVFROM, whose default has it). When a
 * configuration leaves it out, callbacks.c names the message with
 * qid_generate() instead, so that no row is anonymous:
 *
 *	NOQUEUE-<time>.<pid>.<count>
 *
 * each part in upper-case base 36: the seconds since 1970 when the
 * process made its first id, its pid, and a counter from 1. Unique
 * among the ids of one process, and across restarts unless a pid
 * comes back within the same second. Short: "NOQUEUE-T6AB3K.1KQ.1".
 * The prefix tells the postmaster that the MTA's own logs do not know
 * the id.
 */
#ifndef ABUSE_QID_H
#define ABUSE_QID_H

#include <stddef.h>
#include <sys/types.h>
#include <time.h>

#define QID_PREFIX	"NOQUEUE-"
#define QID_MAX		48	/* bytes, with the terminating NUL */

/* qid_format - the id for (t, pid, n) into out[QID_MAX]; pure */
void qid_format(char out[QID_MAX], time_t t, pid_t pid, unsigned long n);

/* qid_generate - the next id of this process (thread-safe; the caller
 * frees it) */
char *qid_generate(void);

#endif
