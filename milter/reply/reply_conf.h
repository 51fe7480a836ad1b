/*
 * reply_conf.h - the reply settings: the reply { } section of the
 * configuration, and how one category is answered. config.c fills them
 * in; policy.c, compose.c and the reply workers read them; tests build
 * them by hand. reply_conf_free releases a reply_conf either way.
 */
#ifndef ABUSE_REPLY_CONF_H
#define ABUSE_REPLY_CONF_H

#include <stdbool.h>
#include <stddef.h>

#include "util/util.h"

struct pattern;
struct template;

enum reply_recipient {
	RCPT_REPLY_TO,		/* Reply-To in the organisation of From or
				 * the envelope sender, else From, else
				 * envelope sender */
	RCPT_FROM,		/* From, else envelope sender */
	RCPT_RETURN_PATH,	/* envelope sender */
	RCPT_REPLY_TO_ANY,	/* Reply-To wherever it points, else From,
				 * else envelope sender (backscatter!) */
};

struct reply_conf {
	char *from;		/* reply From: address (may have a display name) */
	char *from_addr;	/* bare address of `from`, for X-Loop */
	char *envelope_sender;	/* "" means <> */
	struct strvec sendmail;	/* argv: path, then fixed arguments */
	int workers;
	unsigned timeout;	/* seconds to wait for sendmail */
	unsigned retry;		/* first retry delay, seconds (doubles) */
	unsigned max_age;	/* seconds before a job goes to failed/ */
	unsigned rate_count;	/* replies allowed per recipient+category ... */
	unsigned rate_period;	/* ... per this many seconds; 0 = no limit */
	unsigned max_per_hour;	/* replies to anyone per hour; 0 = no cap */
	unsigned max_per_domain;	/* per organisational domain per hour;
					 * 0 = no cap */
	char *detail_separators;	/* cut a recipient's local part here
					 * for the limits ("+"); "" = none */
	enum reply_recipient recipient;
	bool answer_not_ours;	/* reply.not_ours = send: answer complaints
				 * whose reported addresses are all elsewhere */
	struct pattern **answer_automated;	/* reporters whose automated
						 * notices are answered */
	size_t nanswer_automated;
};

/* reply_category - how complaints of one category are answered */
struct reply_category {
	const char *name;	/* the category's name, for ${category} */
	bool reply;		/* reply = true */
	struct template *tmpl;	/* NULL: no template (then reply is false) */
	char *tmpl_path;	/* tmpl's file as configured, owned; or NULL */
};

/* reply_conf_free - what r owns; r itself is left empty */
void reply_conf_free(struct reply_conf *r);

#endif
