/*
 * reply_conf.c - release of the reply settings; see reply_conf.h.
 */
#include "reply/reply_conf.h"

#include <stdlib.h>
#include <string.h>

#include "util/pattern.h"

/* reply_conf_free - see reply_conf.h */
void
reply_conf_free(struct reply_conf *r)
{
	free(r->from);
	free(r->from_addr);
	free(r->envelope_sender);
	free(r->detail_separators);
	strvec_free(&r->sendmail);
	for (size_t i = 0; i < r->nanswer_automated; i++)
		pattern_free(r->answer_automated[i]);
	free(r->answer_automated);
	memset(r, 0, sizeof(*r));
}
