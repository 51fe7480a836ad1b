/*
 * ref.c - our reference: make it, find it again. See ref.h.
 */
#include "reply/ref.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/util.h"

/* reply_ref_qid_char - may this byte of a queue id go into a reference?
 * Postfix and Sendmail ids are letters and digits, qid.h's generated
 * ones add '-' and '.'; all are safe in a Subject and a Message-ID */
static bool
reply_ref_qid_char(int c)
{
	return isalnum((unsigned char)c) || c == '-' || c == '.';
}

/* reply_ref_make - see ref.h */
char *
reply_ref_make(const char *qid, time_t t)
{
	struct tm tm;
	size_t n;

	if (qid == NULL || (n = strlen(qid)) == 0 || n > REPLY_REF_QID_MAX)
		return NULL;
	for (size_t i = 0; i < n; i++)
		if (!reply_ref_qid_char(qid[i]))
			return NULL;
	/* no "..", no dot at either end: the reference starts the local
	 * part of our Message-ID, a dot-atom */
	if (qid[0] == '.' || qid[n - 1] == '.' || strstr(qid, "..") != NULL)
		return NULL;
	gmtime_r(&t, &tm);
	return xasprintf(REPLY_REF_PREFIX "%04d%02d%02d-%s", tm.tm_year + 1900,
	    tm.tm_mon + 1, tm.tm_mday, qid);
}

/* reply_ref_at - the length of a reference at s ("AM-" 8 digits "-"
 * queue id), 0 when there is none; the queue id ends at the first byte
 * that cannot be in one */
static size_t
reply_ref_at(const char *s)
{
	size_t n = strlen(REPLY_REF_PREFIX), q;

	if (strncasecmp(s, REPLY_REF_PREFIX, n) != 0)
		return 0;
	for (size_t i = 0; i < 8; i++, n++)
		if (!isdigit((unsigned char)s[n]))
			return 0;
	if (s[n++] != '-')
		return 0;
	for (q = 0; reply_ref_qid_char(s[n + q]); q++)
		if (q >= REPLY_REF_QID_MAX)
			return 0;
	return q > 0 ? n + q : 0;
}

/* reply_ref_subject - "[REF]" anywhere in the Subject */
static char *
reply_ref_subject(const char *s)
{
	size_t n;

	for (; s != NULL && (s = strchr(s, '[')) != NULL; s++)
		if ((n = reply_ref_at(s + 1)) > 0 && s[1 + n] == ']')
			return xstrndup(s + 1, n);
	return NULL;
}

/* reply_ref_msgids - "<REF_...@our_domain>" in a list of Message-IDs */
static char *
reply_ref_msgids(const char *s, const char *our_domain)
{
	size_t n, dl = our_domain != NULL ? strlen(our_domain) : 0;
	const char *at, *close;

	if (dl == 0)
		return NULL;
	for (; s != NULL && (s = strchr(s, '<')) != NULL; s++) {
		if ((n = reply_ref_at(s + 1)) == 0 || s[1 + n] != '_')
			continue;
		if ((close = strchr(s, '>')) == NULL)
			return NULL;
		at = memchr(s, '@', (size_t)(close - s));
		if (at != NULL && (size_t)(close - at - 1) == dl &&
		    strncasecmp(at + 1, our_domain, dl) == 0)
			return xstrndup(s + 1, n);
	}
	return NULL;
}

/* reply_ref_find - see ref.h */
char *
reply_ref_find(const char *subject, const char *in_reply_to,
    const char *references, const char *our_domain)
{
	char *ref;

	if ((ref = reply_ref_subject(subject)) == NULL &&
	    (ref = reply_ref_msgids(in_reply_to, our_domain)) == NULL)
		ref = reply_ref_msgids(references, our_domain);
	return ref;
}
