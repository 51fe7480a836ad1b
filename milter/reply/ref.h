/*
 * ref.h - our reference for a complaint, and finding it again in an
 * answer to our reply.
 *
 * The reference is made from the queue id and the day the complaint
 * arrived, both of which the ledger row already holds (complaints.qid
 * and complaints.time, written with the same time), so a reference
 * leads to its row without a column of its own:
 *
 *	AM-20261208-4Xb2kq1zQZz9	(Postfix long queue id)
 *	AM-20261208-NOQUEUE-T6AB3K.1KQ.1	(a generated one, qid.h)
 *
 * The day keeps a short Postfix queue id, which the MTA reuses after
 * a while, from naming two complaints. The ledger's own row id would
 * read better, but it exists only after the complaint is recorded,
 * which happens after the reply is composed (reply_queue.c).
 *
 * It travels twice in our reply: in the Subject as "[REF]" and in our
 * Message-ID as "<REF_RANDOM@our-domain>". An answer keeps either the
 * Subject or In-Reply-To/References, usually both; finding either one
 * marks the mail as an answer to us (reply_ref_find).
 *
 * Usage:
 *	char *ref = reply_ref_make(qid, when);	NULL: no usable queue id
 *	char *seen = reply_ref_find(subject, in_reply_to, references,
 *	    "example.org");			NULL: not an answer to us
 */
#ifndef ABUSE_REPLY_REF_H
#define ABUSE_REPLY_REF_H

#include <time.h>

#define REPLY_REF_PREFIX "AM-"
#define REPLY_REF_QID_MAX 40	/* longer queue ids give no reference */

/* reply_ref_make - "AM-YYYYMMDD-QID" for the UTC day of t, malloc'd;
 * NULL when qid is NULL, empty, longer than REPLY_REF_QID_MAX or holds
 * anything but letters, digits, '-' and '.' */
char *reply_ref_make(const char *qid, time_t t);

/* reply_ref_find - the first reference found, malloc'd: "[REF]" in the
 * Subject, or a Message-ID "<REF_...@domain>" in In-Reply-To or
 * References whose domain is ours (our_domain, compared without case;
 * NULL: Message-IDs are not looked at). Any argument may be NULL. */
char *reply_ref_find(const char *subject, const char *in_reply_to,
    const char *references, const char *our_domain);

#endif
