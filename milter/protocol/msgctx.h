/*
 * msgctx.h - one message as the milter collects it: the envelope, the
 * abuse recipients, the header and body bytes (charged to the
 * max_inflight budget, inflight.h), the names of our-prefix headers to
 * delete and the queue id. Pure: callbacks.c keeps one per connection
 * and resets it in envfrom, eom and abort.
 *
 *	struct msg_ctx m;
 *	msgctx_init(&m);
 *	msgctx_keep(&m, cfg->max_inflight, "Subject: x\r\n", 12);
 *	msgctx_end_headers(&m);
 *	msgctx_reset(&m);		next message
 *	msgctx_free(&m);		connection closed
 */
#ifndef ABUSE_MSGCTX_H
#define ABUSE_MSGCTX_H

#include <stdbool.h>
#include <stddef.h>

#include "util/util.h"

struct msg_ctx {
	char *envfrom;		/* without <>; "" for the null sender */
	struct strvec abuse_rcpts;	/* as the MTA gave them (with <>) */
	bool other_rcpts;	/* some recipient is not an abuse mailbox */
	struct buf raw;		/* headers and body, reconstructed */
	size_t body_len;
	bool in_body;
	struct strvec prefixed;	/* names of our-prefix headers, to delete */
	char *qid;
	size_t held;		/* bytes charged to max_inflight for raw */
	bool starved;		/* max_inflight refused more: raw is a prefix */
};

/* msgctx_init - an empty message context */
void msgctx_init(struct msg_ctx *m);
/* msgctx_free - release its memory, and its bytes to the budget */
void msgctx_free(struct msg_ctx *m);
/* msgctx_reset - forget the message: free, then init */
void msgctx_reset(struct msg_ctx *m);
/* msgctx_keep - append what the max_inflight budget allows (0: no
 * limit, charged all the same); false once refused: the message keeps
 * what it has (and is analysed from that) */
bool msgctx_keep(struct msg_ctx *m, size_t max_inflight, const char *data,
    size_t len);
/* msgctx_end_headers - the blank line between header and body, once */
void msgctx_end_headers(struct msg_ctx *m);

#endif
