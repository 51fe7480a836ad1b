/*
 * msgctx.c - one message as the milter collects it; see msgctx.h.
 */
#include "protocol/msgctx.h"

#include <stdlib.h>
#include <string.h>

#include "protocol/inflight.h"

/* msgctx_init - see msgctx.h */
void
msgctx_init(struct msg_ctx *m)
{
	memset(m, 0, sizeof(*m));
	strvec_init(&m->abuse_rcpts);
	strvec_init(&m->prefixed);
	buf_init(&m->raw);
}

/* msgctx_free - see msgctx.h */
void
msgctx_free(struct msg_ctx *m)
{
	free(m->envfrom);
	free(m->qid);
	inflight_give(m->held);
	strvec_free(&m->abuse_rcpts);
	strvec_free(&m->prefixed);
	buf_free(&m->raw);
}

/* msgctx_reset - see msgctx.h; callbacks.c calls it from envfrom, eom
 * and abort */
void
msgctx_reset(struct msg_ctx *m)
{
	msgctx_free(m);
	msgctx_init(m);
}

/* msgctx_keep - append to raw what the max_inflight budget allows: the
 * growth of raw's allocation is charged before it happens. Once refused,
 * the message keeps what it has (and is analysed from that). A
 * max_inflight of 0 charges without a limit. */
bool
msgctx_keep(struct msg_ctx *m, size_t max_inflight, const char *data,
    size_t len)
{
	size_t cap;

	if (m->starved && max_inflight != 0)
		return false;
	cap = buf_cap_for(&m->raw, len);
	if (cap > m->held) {
		if (!inflight_take(cap - m->held, max_inflight)) {
			m->starved = true;
			return false;
		}
		m->held = cap;
	}
	buf_append(&m->raw, data, len);
	return true;
}

/* msgctx_end_headers - the blank line between header and body, once: at
 * end of headers, or where that step was negotiated away at the first
 * body chunk or at end of message */
void
msgctx_end_headers(struct msg_ctx *m)
{
	if (m->in_body)
		return;
	/* two bytes past the budget rather than a header without its end */
	if (!msgctx_keep(m, 0, "\r\n", 2))
		buf_puts(&m->raw, "\r\n");
	m->in_body = true;
}
