/*
 * config.c - load etc/abuse-milter.conf with libconfuse into an immutable
 * struct config, and keep the process-wide current config for reload.
 *
 * Values libconfuse cannot type (durations, sockets, CIDRs, regexes,
 * template paths) are checked by validate callbacks while the file is
 * parsed, so every error carries the line it stands on: "FILE:LINE: msg".
 * The checked tree is then converted (config_build*) into plain structs;
 * regexes are compiled once there (PCRE2 JIT, in classify.c).
 */
#include "config/config.h"

#include <confuse.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "classify/classify.h"
#include "config/check.h"
#include "config/schema.h"
#include "evidence/evidence.h"
#include "util/log.h"
#include "util/mailbox.h"
#include "evidence/netset.h"
#include "reply/template.h"

static pthread_mutex_t config_lock = PTHREAD_MUTEX_INITIALIZER;
static struct config *config_live;

/* config_errbuf - the first error of the load in progress (per thread) */
static __thread char *config_errbuf;
static __thread size_t config_errlen;
static __thread int config_errset;
static __thread const char *config_errpath;	/* sections have no filename */

/* config_errfunc - libconfuse error sink: keep the first "FILE:LINE: msg" */
static void
config_errfunc(cfg_t *cfg, const char *fmt, va_list ap)
{
	int n = 0;

	if (config_errset || config_errbuf == NULL)
		return;
	config_errset = 1;
	if (cfg != NULL)
		n = snprintf(config_errbuf, config_errlen, cfg->line > 0 ?
		    "%s:%d: " : "%s: ", config_errpath, cfg->line);
	if (n < 0 || (size_t)n >= config_errlen)
		return;
	vsnprintf(config_errbuf + n, config_errlen - (size_t)n, fmt, ap);
}

void
config_schema_error(cfg_t *cfg, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	config_errfunc(cfg, fmt, ap);
	va_end(ap);
}

/* config_str - a string option, NULL when unset or empty */
static char *
config_str(cfg_t *sec, const char *name)
{
	const char *s = cfg_getstr(sec, name);

	return s != NULL && *s != '\0' ? xstrdup(s) : NULL;
}

/* config_strlist - copy a list option into a strvec, lower-cased if asked */
static void
config_strlist(cfg_t *sec, const char *name, struct strvec *out, bool lower)
{
	strvec_init(out);
	for (unsigned i = 0; i < cfg_size(sec, name); i++) {
		char *s = xstrdup(cfg_getnstr(sec, name, i));

		strvec_push_owned(out, lower ? str_lower(s) : s);
	}
}

/* config_build_cond - one condition from a rule, all{} or any{} section;
 * 0 when the section holds none */
static int
config_build_cond(cfg_t *sec, struct cond *c)
{
	static const struct { const char *key; enum cond_kind kind; } kinds[] = {
		{"header", COND_HEADER}, {"report_field", COND_REPORT_FIELD},
		{"body", COND_BODY}, {"envelope_from", COND_ENVELOPE_FROM},
	};
	char err[256];

	memset(c, 0, sizeof(*c));
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		const char *v = cfg_getstr(sec, kinds[i].key);

		if (v == NULL)
			continue;
		c->kind = kinds[i].kind;
		if (c->kind == COND_HEADER || c->kind == COND_REPORT_FIELD) {
			c->target = xstrdup(v);
			c->pattern = xstrdup(cfg_getstr(sec, "match"));
		} else {
			c->pattern = xstrdup(v);
		}
		c->negate = cfg_getbool(sec, "not");
		c->line = sec->line;
		/* already compiled once by the validate callback: cannot fail */
		if (classify_compile_pattern(c->pattern, &c->re, err,
		    sizeof(err)) != 0)
			c->re = NULL;
		return 1;
	}
	return 0;
}

/* config_build_conds - the conditions of all{} or any{} sections */
static struct cond *
config_build_conds(cfg_t *rsec, const char *name, size_t *n)
{
	unsigned cnt = cfg_size(rsec, name);
	struct cond *v = xcalloc(cnt + 1, sizeof(*v));

	*n = 0;
	for (unsigned i = 0; i < cnt; i++)
		*n += (size_t)config_build_cond(cfg_getnsec(rsec, name, i),
		    &v[*n]);
	return v;
}

/* config_build_rule - a rule: its own condition joins the all{} list */
static void
config_build_rule(cfg_t *rsec, struct rule *r)
{
	struct cond own;

	r->name = xstrdup(cfg_title(rsec));
	r->line = rsec->line;
	r->all = config_build_conds(rsec, "all", &r->nall);
	r->any = config_build_conds(rsec, "any", &r->nany);
	if (config_build_cond(rsec, &own)) {
		memmove(r->all + 1, r->all, r->nall * sizeof(*r->all));
		r->all[0] = own;
		r->nall++;
	}
}

/* config_build_category - one category section */
static int
config_build_category(cfg_t *csec, struct category *c, char *err,
    size_t errlen)
{
	c->name = xstrdup(cfg_title(csec));
	c->line = csec->line;
	c->template_path = config_str(csec, "template");
	c->reply = cfg_getbool(csec, "reply");
	c->route = config_str(csec, "route");
	config_strlist(csec, "copy", &c->copy, false);
	c->quarantine = config_str(csec, "quarantine");
	c->nrules = cfg_size(csec, "rule");
	c->rules = xcalloc(c->nrules, sizeof(*c->rules));
	for (size_t i = 0; i < c->nrules; i++)
		config_build_rule(cfg_getnsec(csec, "rule", (unsigned)i),
		    &c->rules[i]);
	if (c->template_path != NULL &&
	    (c->tmpl = template_load(c->template_path, err, errlen)) == NULL)
		return -1;
	return 0;
}

/* config_build_reply - the reply { } section */
static int
config_build_reply(cfg_t *rsec, struct reply_conf *r, char *err,
    size_t errlen)
{
	char *tok, *save = NULL, *cmd;
	struct strvec *pats = &r->answer_automated;

	r->from = config_str(rsec, "from");
	r->from_addr = r->from ? evidence_addr_spec(r->from) : NULL;
	r->envelope_sender = xstrdup(cfg_getstr(rsec, "envelope_sender"));
	strvec_init(&r->sendmail);
	cmd = xstrdup(cfg_getstr(rsec, "sendmail"));
	for (tok = strtok_r(cmd, " \t", &save); tok != NULL;
	    tok = strtok_r(NULL, " \t", &save))
		strvec_push(&r->sendmail, tok);
	free(cmd);
	r->workers = (int)cfg_getint(rsec, "workers");
	r->timeout = (unsigned)config_parse_duration(cfg_getstr(rsec, "timeout"));
	r->retry = (unsigned)config_parse_duration(cfg_getstr(rsec, "retry"));
	r->max_age = (unsigned)config_parse_duration(cfg_getstr(rsec, "max_age"));
	config_check_rate(cfg_getstr(rsec, "rate_limit"), &r->rate_count,
	    &r->rate_period);
	r->recipient = config_schema_recipient(cfg_getstr(rsec, "recipient"));
	config_strlist(rsec, "answer_automated", pats, false);
	r->answer_automated_re = xcalloc(pats->n + 1, sizeof(void *));
	for (size_t i = 0; i < pats->n; i++)
		if (classify_compile_pattern(pats->v[i],
		    &r->answer_automated_re[i], err, errlen) != 0)
			return -1;
	return 0;
}

/* config_build_networks - our_networks and the exit list */
static int
config_build_networks(cfg_t *cfg, struct config *c, char *err, size_t errlen)
{
	c->our_networks = netset_new();
	for (unsigned i = 0; i < cfg_size(cfg, "our_networks"); i++)
		netset_add_cidr(c->our_networks,
		    cfg_getnstr(cfg, "our_networks", i));
	netset_finish(c->our_networks);
	c->exit_list_path = config_str(cfg, "exit_list");
	if (c->exit_list_path == NULL)
		return 0;
	c->exit_list = netset_new();
	if (netset_load_exit_list(c->exit_list, c->exit_list_path, err,
	    errlen) != 0)
		return -1;
	netset_finish(c->exit_list);
	return 0;
}

/* config_build - convert a parsed and checked tree into struct config */
static struct config *
config_build(cfg_t *cfg, const char *path, char *err, size_t errlen)
{
	struct config *c = xcalloc(1, sizeof(*c));

	c->refs = 1;
	c->path = xstrdup(path);
	c->socket = xstrdup(cfg_getstr(cfg, "socket"));
	c->user = config_str(cfg, "user");
	c->group = config_str(cfg, "group");
	config_check_umask(cfg_getstr(cfg, "umask"), &c->umask);
	c->pidfile = config_str(cfg, "pidfile");
	c->log_level = log_level_parse(cfg_getstr(cfg, "log_level"));
	c->on_error = strcmp(cfg_getstr(cfg, "on_error"), "tempfail") == 0 ?
	    ON_ERROR_TEMPFAIL : ON_ERROR_ACCEPT;
	config_strlist(cfg, "mailboxes", &c->mailboxes, true);
	c->header_prefix = xstrdup(cfg_getstr(cfg, "header_prefix"));
	c->max_body = (size_t)config_parse_size(cfg_getstr(cfg, "max_body"));
	c->spool_dir = xstrdup(cfg_getstr(cfg, "spool_dir"));
	c->state_db = xstrdup(cfg_getstr(cfg, "state_db"));
	c->default_category = xstrdup(cfg_getstr(cfg, "default_category"));
	if (config_build_networks(cfg, c, err, errlen) != 0 ||
	    config_build_reply(cfg_getsec(cfg, "reply"), &c->reply, err,
	    errlen) != 0)
		goto fail;
	c->ncats = cfg_size(cfg, "category");
	c->cats = xcalloc(c->ncats, sizeof(*c->cats));
	for (size_t i = 0; i < c->ncats; i++)
		if (config_build_category(cfg_getnsec(cfg, "category",
		    (unsigned)i), &c->cats[i], err, errlen) != 0)
			goto fail;
	if (config_find_category(c, c->default_category) == NULL) {
		snprintf(err, errlen, "%s: default_category \"%s\" is not "
		    "defined by any category section", path, c->default_category);
		goto fail;
	}
	return c;
fail:
	config_free(c);
	return NULL;
}

struct config *
config_load(const char *path, char *err, size_t errlen)
{
	struct config *c = NULL;
	cfg_t *cfg;
	int rc;

	err[0] = '\0';
	if (access(path, R_OK) != 0) {
		snprintf(err, errlen, "%s: %m", path);
		return NULL;
	}
	config_errbuf = err;
	config_errlen = errlen;
	config_errset = 0;
	config_errpath = path;
	cfg = config_schema_new();
	cfg_set_error_function(cfg, config_errfunc);
	rc = cfg_parse(cfg, path);
	if (rc == CFG_SUCCESS)
		c = config_build(cfg, path, err, errlen);
	else if (err[0] == '\0')
		snprintf(err, errlen, "%s: cannot parse", path);
	cfg_free(cfg);
	config_errbuf = NULL;
	return c;
}

/* config_free_conds - conditions and their compiled patterns */
static void
config_free_conds(struct cond *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].target);
		free(v[i].pattern);
		classify_pattern_free(v[i].re);
	}
	free(v);
}

/* config_free_category - a category and its rules */
static void
config_free_category(struct category *c)
{
	free(c->name);
	free(c->template_path);
	if (c->tmpl != NULL)
		template_free(c->tmpl);
	free(c->route);
	strvec_free(&c->copy);
	free(c->quarantine);
	for (size_t i = 0; i < c->nrules; i++) {
		free(c->rules[i].name);
		config_free_conds(c->rules[i].all, c->rules[i].nall);
		config_free_conds(c->rules[i].any, c->rules[i].nany);
	}
	free(c->rules);
}

/* config_free_reply - the reply section */
static void
config_free_reply(struct reply_conf *r)
{
	free(r->from);
	free(r->from_addr);
	free(r->envelope_sender);
	strvec_free(&r->sendmail);
	if (r->answer_automated_re != NULL)
		for (size_t i = 0; i < r->answer_automated.n; i++)
			classify_pattern_free(r->answer_automated_re[i]);
	free(r->answer_automated_re);
	strvec_free(&r->answer_automated);
}

void
config_free(struct config *c)
{
	if (c == NULL)
		return;
	free(c->path);
	free(c->socket);
	free(c->user);
	free(c->group);
	free(c->pidfile);
	strvec_free(&c->mailboxes);
	free(c->header_prefix);
	if (c->our_networks != NULL)
		netset_free(c->our_networks);
	if (c->exit_list != NULL)
		netset_free(c->exit_list);
	free(c->exit_list_path);
	free(c->spool_dir);
	free(c->state_db);
	free(c->default_category);
	config_free_reply(&c->reply);
	for (size_t i = 0; i < c->ncats; i++)
		config_free_category(&c->cats[i]);
	free(c->cats);
	free(c);
}

const struct category *
config_find_category(const struct config *cfg, const char *name)
{
	for (size_t i = 0; i < cfg->ncats; i++)
		if (strcmp(cfg->cats[i].name, name) == 0)
			return &cfg->cats[i];
	return NULL;
}

struct config *
config_ref(struct config *cfg)
{
	pthread_mutex_lock(&config_lock);
	cfg->refs++;
	pthread_mutex_unlock(&config_lock);
	return cfg;
}

void
config_unref(struct config *cfg)
{
	int left;

	if (cfg == NULL)
		return;
	pthread_mutex_lock(&config_lock);
	left = --cfg->refs;
	pthread_mutex_unlock(&config_lock);
	if (left == 0)
		config_free(cfg);
}

struct config *
config_current(void)
{
	struct config *c;

	pthread_mutex_lock(&config_lock);
	c = config_live;
	if (c != NULL)
		c->refs++;
	pthread_mutex_unlock(&config_lock);
	return c;
}

void
config_swap(struct config *cfg)
{
	struct config *old;

	pthread_mutex_lock(&config_lock);
	old = config_live;
	config_live = cfg;
	pthread_mutex_unlock(&config_lock);
	config_unref(old);
}
