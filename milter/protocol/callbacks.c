/*
 * callbacks.c - the milter protocol side: collects an abuse message while
 * the SMTP transaction is open and, at end of message, applies what the
 * analysis (complaint.c) and the actions (reply_queue.c) decided.
 *
 * Contexts: a connection context (config reference taken at the first
 * callback of the connection, so a reload never changes a connection's
 * rules midway) holding a message context that msgctx_reset() clears in
 * envfrom, eom and abort. close frees everything, also when called
 * without any other callback before it.
 *
 * Mail with no recipient in `mailboxes` is accepted at DATA, untouched.
 *
 * The one macro read is `i`, the queue id: at DATA, end of headers and
 * end of message, whichever has it first (Sendmail sends it with MAIL
 * FROM, and libmilter keeps it for the later stages; Postfix with each).
 * A message that reaches end of message without it is named by
 * qid_generate() ("NOQUEUE-..."), with one warning per process.
 */
#include "protocol/callbacks.h"

#include <errno.h>
#include <libmilter/mfapi.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "classify/lang.h"
#include "complaint/complaint.h"
#include "complaint/reply_queue.h"
#include "protocol/hdrdel.h"
#include "protocol/inflight.h"
#include "protocol/msgctx.h"
#include "protocol/qid.h"
#include "protocol/worker.h"
#include "util/log.h"
#include "util/mailbox.h"


struct conn_ctx {
	struct config *cfg;
	struct msg_ctx msg;
};

static bool callbacks_inet;	/* TCP socket: negotiate nothing away */

/* conn_get - the connection context, created on first use */
static struct conn_ctx *
conn_get(SMFICTX *ctx)
{
	struct conn_ctx *cc = smfi_getpriv(ctx);

	struct config *cfg;

	if (cc != NULL)
		return cc;
	/* none while stopping: the caller applies on_error */
	if ((cfg = config_current()) == NULL)
		return NULL;
	cc = xcalloc(1, sizeof(*cc));
	cc->cfg = cfg;
	msgctx_init(&cc->msg);
	if (smfi_setpriv(ctx, cc) != MI_SUCCESS) {
		config_unref(cc->cfg);
		msgctx_free(&cc->msg);
		free(cc);
		return NULL;
	}
	return cc;
}

/* cb_fail - an internal error: apply on_error, never lose the mail */
static sfsistat
cb_fail(struct conn_ctx *cc, const char *what)
{
	log_msg(LOG_ERR, cc ? cc->msg.qid : NULL, "internal error: %s", what);
	if (cc != NULL && cc->cfg->on_error == ON_ERROR_TEMPFAIL)
		return SMFIS_TEMPFAIL;
	return SMFIS_ACCEPT;
}

/* cb_keep - keep bytes of the message within max_inflight; the first
 * refusal is logged with what on_error makes of it */
static bool
cb_keep(struct conn_ctx *cc, const char *data, size_t len)
{
	struct msg_ctx *m = &cc->msg;
	bool was = m->starved;

	if (msgctx_keep(m, cc->cfg->max_inflight, data, len))
		return true;
	if (!was)
		log_msg(LOG_WARNING, m->qid, "max_inflight (%zu bytes held by "
		    "all messages) reached: %s", inflight_held(),
		    cc->cfg->on_error == ON_ERROR_TEMPFAIL ?
		    "message refused for now (on_error = tempfail)" :
		    "analysed from what was read so far");
	return false;
}

/* cb_qid - remember the queue id once the MTA knows it */
static void
cb_qid(SMFICTX *ctx, struct msg_ctx *m)
{
	const char *q = smfi_getsymval(ctx, "i");

	if (q != NULL && m->qid == NULL)
		m->qid = xstrdup(q);
}

/* cb_qid_fallback - no queue id by end of message: make one, so that
 * the log lines and the ledger row of the complaint name it */
static void
cb_qid_fallback(struct msg_ctx *m)
{
	static atomic_flag warned = ATOMIC_FLAG_INIT;

	if (m->qid != NULL)
		return;
	m->qid = qid_generate();
	if (!atomic_flag_test_and_set(&warned))
		log_msg(LOG_WARNING, m->qid, "the MTA sent no queue id (macro "
		    "i): complaints are named NOQUEUE-...; with Sendmail, "
		    "keep i in confMILTER_MACROS_ENVFROM");
}

/* cb_connect - a new connection: take the config it will keep */
static sfsistat
cb_connect(SMFICTX *ctx, char *host, _SOCK_ADDR *addr)
{
	return conn_get(ctx) ? SMFIS_CONTINUE : cb_fail(NULL, "no memory");
}

/* cb_helo - nothing to do (negotiated away on a unix socket) */
static sfsistat
cb_helo(SMFICTX *ctx, char *helo)
{
	return SMFIS_CONTINUE;
}

/* cb_strip_brackets - "<a@b>" -> "a@b", "<>" -> "" */
static char *
cb_strip_brackets(const char *s)
{
	size_t n = strlen(s);

	if (n >= 2 && s[0] == '<' && s[n - 1] == '>')
		return xstrndup(s + 1, n - 2);
	return xstrdup(s);
}

/* cb_envfrom - a new message: remember the envelope sender */
static sfsistat
cb_envfrom(SMFICTX *ctx, char **argv)
{
	struct conn_ctx *cc = conn_get(ctx);

	if (cc == NULL)
		return cb_fail(NULL, "no memory");
	msgctx_reset(&cc->msg);
	cc->msg.envfrom = cb_strip_brackets(argv[0] ? argv[0] : "");
	return SMFIS_CONTINUE;
}

/* cb_envrcpt - sort the recipient: abuse mailbox or not */
static sfsistat
cb_envrcpt(SMFICTX *ctx, char **argv)
{
	struct conn_ctx *cc = conn_get(ctx);

	if (cc == NULL)
		return cb_fail(NULL, "no memory");
	if (argv[0] != NULL && mailbox_match(&cc->cfg->mailboxes, argv[0]))
		strvec_push(&cc->msg.abuse_rcpts, argv[0]);
	else
		cc->msg.other_rcpts = true;
	return SMFIS_CONTINUE;
}

/* cb_data - all recipients known: release mail that is not for abuse@ */
static sfsistat
cb_data(SMFICTX *ctx)
{
	struct conn_ctx *cc = conn_get(ctx);

	if (cc == NULL)
		return cb_fail(NULL, "no memory");
	if (cc->msg.abuse_rcpts.n == 0) {
		msgctx_reset(&cc->msg);
		return SMFIS_ACCEPT;
	}
	cb_qid(ctx, &cc->msg);
	return SMFIS_CONTINUE;
}

/* cb_header - note our own headers (to delete), keep the header for
 * the analysis */
static sfsistat
cb_header(SMFICTX *ctx, char *name, char *value)
{
	struct conn_ctx *cc = conn_get(ctx);

	if (cc == NULL)
		return cb_fail(NULL, "no memory");
	if (cc->msg.abuse_rcpts.n == 0)	/* data step negotiated away */
		return SMFIS_ACCEPT;
	hdrdel_note(&cc->msg.prefixed, cc->cfg->header_prefix, name);
	if (cc->msg.raw.len < cc->cfg->max_body) {
		char *line = xasprintf("%s: %s\r\n", name, value);
		bool kept = cb_keep(cc, line, strlen(line));

		free(line);
		if (!kept && cc->cfg->on_error == ON_ERROR_TEMPFAIL)
			return SMFIS_TEMPFAIL;
	}
	return SMFIS_CONTINUE;
}

/* cb_eoh - end of headers: the blank line before the body */
static sfsistat
cb_eoh(SMFICTX *ctx)
{
	struct conn_ctx *cc = conn_get(ctx);

	if (cc == NULL)
		return cb_fail(NULL, "no memory");
	cb_qid(ctx, &cc->msg);
	msgctx_end_headers(&cc->msg);
	return SMFIS_CONTINUE;
}

/* cb_body - keep the body, up to max_body */
static sfsistat
cb_body(SMFICTX *ctx, unsigned char *chunk, size_t len)
{
	struct conn_ctx *cc = conn_get(ctx);
	size_t room;

	if (cc == NULL)
		return cb_fail(NULL, "no memory");
	msgctx_end_headers(&cc->msg);
	room = cc->cfg->max_body > cc->msg.body_len ?
	    cc->cfg->max_body - cc->msg.body_len : 0;
	if (len > room)
		len = room;
	if (len == 0)
		return SMFIS_CONTINUE;
	if (!cb_keep(cc, (const char *)chunk, len))
		return cc->cfg->on_error == ON_ERROR_TEMPFAIL ?
		    SMFIS_TEMPFAIL : SMFIS_CONTINUE;
	cc->msg.body_len += len;
	return SMFIS_CONTINUE;
}

/* cb_clean - a header value of ours: no control characters, bounded */
static char *
cb_clean(const char *s, size_t max)
{
	size_t n = strlen(s) < max ? strlen(s) : max;
	char *out = xstrndup(s, n);

	/* plain ASCII: raw UTF-8 from a report field needs SMTPUTF8, and
	 * a cut must not leave half a character */
	for (char *p = out; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = ' ';
		else if ((unsigned char)*p >= 0x80)
			*p = '?';
	return out;
}

/* cb_add - add one header "<prefix><name>: value" */
static int
cb_add(SMFICTX *ctx, const struct config *cfg, const char *name,
    const char *value)
{
	char *hname = xasprintf("%s%s", cfg->header_prefix, name);
	char *hval = cb_clean(value, 900);
	int rc = smfi_addheader(ctx, hname, hval);

	free(hname);
	free(hval);
	return rc == MI_SUCCESS ? 0 : -1;
}

/* cb_delete_header - one deletion for hdrdel_each */
static int
cb_delete_header(const char *name, int idx, void *ctx)
{
	return smfi_chgheader(ctx, (char *)name, idx, NULL) == MI_SUCCESS ?
	    0 : -1;
}

/* cb_strip_ours - delete every incoming header with our prefix */
static int
cb_strip_ours(SMFICTX *ctx, struct msg_ctx *m)
{
	return hdrdel_each(&m->prefixed, cb_delete_header, ctx);
}

/* cb_tag - the X-Abuse-* headers (doc/abuse-milter.8, HEADERS) */
static int
cb_tag(SMFICTX *ctx, const struct config *cfg, const struct complaint *c,
    const char *reply)
{
	char *ips = complaint_ips_joined(c, 900);
	char *score = complaint_score_text(c);
	int rc = 0;

	rc |= cb_add(ctx, cfg, "Category", c->cat->name);
	rc |= cb_add(ctx, cfg, "Rule", c->rule ? c->rule->name : "default");
	rc |= cb_add(ctx, cfg, "Score", score);
	if (*ips != '\0')
		rc |= cb_add(ctx, cfg, "Source-IP", ips);
	if (c->ev.case_id != NULL)
		rc |= cb_add(ctx, cfg, "Case-ID", c->ev.case_id);
	rc |= cb_add(ctx, cfg, "Ours", c->ours ? "yes" : "no");
	rc |= cb_add(ctx, cfg, "Language", lang_code(c->lang));
	rc |= cb_add(ctx, cfg, "Reply", reply);
	free(score);
	free(ips);
	return rc;
}

/* cb_angle - "<addr>" for smfi_addrcpt/delrcpt */
static char *
cb_angle(const char *addr)
{
	return addr[0] == '<' ? xstrdup(addr) : xasprintf("<%s>", addr);
}

/* cb_copy - one more recipient, logged with why */
static int
cb_copy(SMFICTX *ctx, struct msg_ctx *m, const char *addr, const char *why)
{
	char *to = cb_angle(addr);
	int rc = 0;

	if (smfi_addrcpt(ctx, to) != MI_SUCCESS)
		rc = -1;
	else
		log_msg(LOG_INFO, m->qid, "copy%s: to %s", why, to);
	free(to);
	return rc;
}

/* cb_route_also - a human category that vetoed the reply without
 * winning: its route and copies become copies, so that a person sees
 * the report while the winner's routing stands */
static int
cb_route_also(SMFICTX *ctx, struct msg_ctx *m,
    const struct category_actions *also)
{
	char *why = xasprintf(" (needs a person: %s)", also->answer.name);
	int rc = 0;

	if (also->route != NULL)
		rc |= cb_copy(ctx, m, also->route, why);
	for (size_t i = 0; i < also->copy.n; i++)
		rc |= cb_copy(ctx, m, also->copy.v[i], why);
	free(why);
	return rc;
}

/* cb_route - route / copy / quarantine of the category; each change of
 * the envelope is logged with the queue id, so that a complaint that
 * did not reach the abuse mailbox can be found */
static int
cb_route(SMFICTX *ctx, struct msg_ctx *m, const struct category_actions *act)
{
	int rc = 0;

	if (act->route != NULL) {
		char *to = cb_angle(act->route);

		for (size_t i = 0; i < m->abuse_rcpts.n; i++) {
			if (smfi_delrcpt(ctx, m->abuse_rcpts.v[i]) != MI_SUCCESS)
				rc = -1;
			else
				log_msg(LOG_INFO, m->qid, "route: %s replaced "
				    "by %s", m->abuse_rcpts.v[i], to);
		}
		if (smfi_addrcpt(ctx, to) != MI_SUCCESS)
			rc = -1;
		free(to);
	}
	for (size_t i = 0; i < act->copy.n; i++)
		rc |= cb_copy(ctx, m, act->copy.v[i], "");
	if (act->quarantine != NULL) {
		if (smfi_quarantine(ctx, act->quarantine) != MI_SUCCESS)
			rc = -1;
		else
			log_msg(LOG_INFO, m->qid, "quarantine: held (%s)",
			    act->quarantine);
	}
	return rc;
}

/* cb_apply - act on an analysed complaint */
static sfsistat
cb_apply(SMFICTX *ctx, struct conn_ctx *cc, struct complaint *c)
{
	struct msg_ctx *m = &cc->msg;
	bool queued, recorded;
	char *reply = reply_queue_reply(cc->cfg, c, m->qid, &queued,
	    &recorded);

	/* the job is on disk: wake a reply worker now rather than at its
	 * next scan. The kick is here, not in reply_queue.c, because the
	 * workers read the live config on every pass (reload) and so live
	 * in protocol/, a layer above complaint/. */
	if (queued)
		worker_kick();
	if (cb_strip_ours(ctx, m) != 0 || cb_tag(ctx, cc->cfg, c, reply) != 0 ||
	    cb_route(ctx, m, c->act) != 0 ||
	    (c->also != NULL && cb_route_also(ctx, m, c->also) != 0)) {
		free(reply);
		return cb_fail(cc, "cannot modify the message");
	}
	reply_queue_log(cc->cfg, c, m->qid, reply, recorded);
	free(reply);
	return SMFIS_CONTINUE;
}

/* cb_eom - end of message: analyse the complaint and apply the result */
static sfsistat
cb_eom(SMFICTX *ctx)
{
	struct conn_ctx *cc = conn_get(ctx);
	struct complaint c;
	sfsistat rc;

	if (cc == NULL)
		return cb_fail(NULL, "no memory");
	cb_qid(ctx, &cc->msg);
	if (cc->msg.abuse_rcpts.n == 0) {
		msgctx_reset(&cc->msg);
		return SMFIS_CONTINUE;
	}
	msgctx_end_headers(&cc->msg);
	cb_qid_fallback(&cc->msg);
	complaint_analyze(cc->cfg, cc->msg.raw.s, cc->msg.raw.len,
	    cc->msg.envfrom, &c);
	if (c.unparsed) {
		log_msg(LOG_WARNING, cc->msg.qid, "malformed message: "
		    "passed through untouched");
		rc = SMFIS_CONTINUE;
	} else {
		rc = cb_apply(ctx, cc, &c);
	}
	complaint_free(&c);
	msgctx_reset(&cc->msg);
	return rc;
}

/* cb_abort - the message is gone: forget it */
static sfsistat
cb_abort(SMFICTX *ctx)
{
	struct conn_ctx *cc = smfi_getpriv(ctx);

	if (cc != NULL)
		msgctx_reset(&cc->msg);
	return SMFIS_CONTINUE;
}

/* cb_close - the connection is gone: free everything */
static sfsistat
cb_close(SMFICTX *ctx)
{
	struct conn_ctx *cc = smfi_getpriv(ctx);

	if (cc == NULL)
		return SMFIS_CONTINUE;
	msgctx_free(&cc->msg);
	config_unref(cc->cfg);
	free(cc);
	smfi_setpriv(ctx, NULL);
	return SMFIS_CONTINUE;
}

/* cb_unknown - unknown SMTP commands are none of our business */
static sfsistat
cb_unknown(SMFICTX *ctx, const char *cmd)
{
	return SMFIS_CONTINUE;
}

/* cb_negotiate - on a unix socket, drop the steps we never use: fewer
 * round trips. On TCP keep every step: with steps negotiated away
 * Postfix writes several packets without waiting for a reply, and
 * Nagle's algorithm meets our delayed ACKs (measured 8x slower:
 * bench/RESULTS.md). */
static sfsistat
cb_negotiate(SMFICTX *ctx, unsigned long f0, unsigned long f1,
    unsigned long f2, unsigned long f3, unsigned long *pf0,
    unsigned long *pf1, unsigned long *pf2, unsigned long *pf3)
{
	unsigned long want = SMFIF_ADDHDRS | SMFIF_CHGHDRS | SMFIF_ADDRCPT |
	    SMFIF_DELRCPT;
	unsigned long skip = SMFIP_NOHELO | SMFIP_NOUNKNOWN | SMFIP_NOCONNECT;

	if ((f0 & want) != want)
		return SMFIS_REJECT;	/* the MTA cannot do what we need */
	/* quarantine only where the MTA offers it: without it, a category
	 * that quarantines fails at end of message and on_error applies */
	*pf0 = want | (f0 & SMFIF_QUARANTINE);
	*pf1 = callbacks_inet ? 0 : (f1 & skip);
	*pf2 = *pf3 = 0;
	return SMFIS_CONTINUE;
}

static struct smfiDesc callbacks_desc = {
	.xxfi_name = "abuse-milter",
	.xxfi_version = SMFI_VERSION,
	.xxfi_flags = SMFIF_ADDHDRS | SMFIF_CHGHDRS | SMFIF_ADDRCPT |
	    SMFIF_DELRCPT | SMFIF_QUARANTINE,
	.xxfi_connect = cb_connect,
	.xxfi_helo = cb_helo,
	.xxfi_envfrom = cb_envfrom,
	.xxfi_envrcpt = cb_envrcpt,
	.xxfi_header = cb_header,
	.xxfi_eoh = cb_eoh,
	.xxfi_body = cb_body,
	.xxfi_eom = cb_eom,
	.xxfi_abort = cb_abort,
	.xxfi_close = cb_close,
	.xxfi_unknown = cb_unknown,
	.xxfi_data = cb_data,
	.xxfi_negotiate = cb_negotiate,
};

/* callbacks_register - see callbacks.h */
int
callbacks_register(const struct config *cfg, const char *socket)
{
	callbacks_inet = strncmp(socket, "inet", 4) == 0;
	if (smfi_register(callbacks_desc) != MI_SUCCESS) {
		log_msg(LOG_ERR, NULL, "smfi_register failed");
		return -1;
	}
	if (smfi_setconn((char *)socket) != MI_SUCCESS) {
		log_msg(LOG_ERR, NULL, "smfi_setconn %s failed", socket);
		return -1;
	}
	smfi_settimeout(300);
	return 0;
}

/* callbacks_open_socket - see callbacks.h */
int
callbacks_open_socket(void)
{
	if (smfi_opensocket(true) != MI_SUCCESS) {
		log_msg(LOG_ERR, NULL, "cannot open the milter socket");
		return -1;
	}
	return 0;
}

/* callbacks_run - see callbacks.h */
int
callbacks_run(void)
{
	return smfi_main() == MI_SUCCESS ? 0 : -1;
}

/* callbacks_stop - see callbacks.h */
void
callbacks_stop(void)
{
	smfi_stop();
}

/* libmilter's stop flag, set by its signal thread and by smfi_stop. It
 * is not in mfapi.h, but every libmilter since 8.12 exports it; weak, so
 * a library without it only costs the slow stop (daemon.c) */
extern int mi_stop(void) __attribute__((weak));

/* callbacks_stopping - see callbacks.h */
bool
callbacks_stopping(void)
{
	return mi_stop != NULL && mi_stop() != 0;
}
