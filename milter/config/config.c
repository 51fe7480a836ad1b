/*
 * config.c - load etc/abuse-milter.conf with libconfuse into an immutable
 * struct config, and keep the process-wide current config for reload.
 *
 * Values libconfuse cannot type (durations, sockets, CIDRs, template
 * paths) are checked by schema.c's callbacks while the file is parsed, so
 * every error carries the line it stands on: "FILE:LINE: msg"; regexes
 * are compiled there too, once (util/pattern.c). The checked tree is then
 * converted (config_build*) into plain structs: the ruleset the rule
 * engine evaluates (classify/ruleset.h), the actions of each category and
 * the reply settings (reply/reply_conf.h), taking the compiled patterns
 * over from the tree.
 */
#include "config/config.h"

#include <confuse.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config/check.h"
#include "config/source.h"
#include "config/schema.h"
#include "evidence/evidence.h"
#include "evidence/netset.h"
#include "reply/template.h"
#include "util/log.h"

static pthread_mutex_t config_lock = PTHREAD_MUTEX_INITIALIZER;
static struct config *config_live;

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

	memset(c, 0, sizeof(*c));
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		if (cfg_size(sec, kinds[i].key) == 0)
			continue;
		c->kind = kinds[i].kind;
		/* header and report_field name a target; the pattern is
		 * in match. body and envelope_from are the pattern. */
		if (c->kind == COND_HEADER || c->kind == COND_REPORT_FIELD) {
			c->target = xstrdup(cfg_getstr(sec, kinds[i].key));
			c->re = config_schema_take_pattern(sec, "match", 0);
		} else {
			c->re = config_schema_take_pattern(sec, kinds[i].key, 0);
		}
		c->negate = cfg_getbool(sec, "not");
		c->line = sec->line;
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

/* config_build_category - one category section: its rules and actions */
static int
config_build_category(cfg_t *csec, struct category *c,
    struct category_actions *a, char *err, size_t errlen)
{
	const char *template_path = cfg_getstr(csec, "template");

	c->name = xstrdup(cfg_title(csec));
	c->line = csec->line;
	c->nrules = cfg_size(csec, "rule");
	c->rules = xcalloc(c->nrules + 1, sizeof(*c->rules));
	for (size_t i = 0; i < c->nrules; i++)
		config_build_rule(cfg_getnsec(csec, "rule", (unsigned)i),
		    &c->rules[i]);
	a->answer.name = c->name;
	a->answer.reply = cfg_getbool(csec, "reply");
	a->route = config_str(csec, "route");
	config_strlist(csec, "copy", &a->copy, false);
	a->quarantine = config_str(csec, "quarantine");
	if (template_path != NULL && (a->answer.tmpl = template_load(
	    template_path, err, errlen)) == NULL)
		return -1;
	return 0;
}

/* config_build_categories - the ruleset and each category's actions */
static int
config_build_categories(cfg_t *cfg, struct config *c, char *err,
    size_t errlen)
{
	struct ruleset *rs = &c->rules;
	const char *fallback = cfg_getstr(cfg, "default_category");

	rs->ncats = cfg_size(cfg, "category");
	rs->cats = xcalloc(rs->ncats + 1, sizeof(*rs->cats));
	c->actions = xcalloc(rs->ncats + 1, sizeof(*c->actions));
	/* zeroed: categories after a failing one are safe to free */
	for (size_t i = 0; i < rs->ncats; i++)
		if (config_build_category(cfg_getnsec(cfg, "category",
		    (unsigned)i), &rs->cats[i], &c->actions[i], err,
		    errlen) != 0)
			return -1;
	if ((rs->fallback = ruleset_find(rs, fallback)) == NULL) {
		snprintf(err, errlen, "%s: default_category \"%s\" is not "
		    "defined by any category section", c->path, fallback);
		return -1;
	}
	return 0;
}

/* config_build_reply - the reply { } section */
static void
config_build_reply(cfg_t *rsec, struct reply_conf *r)
{
	char *tok, *save = NULL, *cmd;

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
	r->max_per_hour = (unsigned)cfg_getint(rsec, "max_per_hour");
	r->max_per_domain = (unsigned)cfg_getint(rsec, "max_per_domain");
	r->detail_separators = xstrdup(cfg_getstr(rsec, "detail_separators"));
	r->nanswer_automated = cfg_size(rsec, "answer_automated");
	r->answer_automated = xcalloc(r->nanswer_automated + 1,
	    sizeof(*r->answer_automated));
	for (size_t i = 0; i < r->nanswer_automated; i++)
		r->answer_automated[i] = config_schema_take_pattern(rsec,
		    "answer_automated", (unsigned)i);
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
	config_build_reply(cfg_getsec(cfg, "reply"), &c->reply);
	if (config_build_networks(cfg, c, err, errlen) != 0 ||
	    config_build_categories(cfg, c, err, errlen) != 0) {
		config_free(c);
		return NULL;
	}
	return c;
}

/* config_load - see config.h */
struct config *
config_load(const char *path, char *err, size_t errlen)
{
	struct config *c = NULL;
	struct config_source src;
	cfg_t *cfg;
	int rc;

	err[0] = '\0';
	if (config_source_read(&src, path, err, errlen) < 0) {
		config_source_free(&src);
		return NULL;
	}
	cfg = config_schema_new(&src, err, errlen);
	rc = cfg_parse_buf(cfg, src.text.s);
	if (rc == CFG_SUCCESS)
		c = config_build(cfg, path, err, errlen);
	else if (err[0] == '\0')
		snprintf(err, errlen, "%s: cannot parse", path);
	config_schema_free(cfg);
	config_source_free(&src);
	return c;
}

/* config_free_actions - what each category does */
static void
config_free_actions(struct category_actions *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (v[i].answer.tmpl != NULL)
			template_free(v[i].answer.tmpl);
		free(v[i].route);
		strvec_free(&v[i].copy);
		free(v[i].quarantine);
	}
	free(v);
}

/* config_free - see config.h */
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
	reply_conf_free(&c->reply);
	if (c->actions != NULL)
		config_free_actions(c->actions, c->rules.ncats);
	ruleset_free(&c->rules);
	free(c);
}

/* config_actions - see config.h; actions run parallel to the ruleset's
 * categories, so the category's place is the index */
const struct category_actions *
config_actions(const struct config *cfg, const struct category *cat)
{
	return &cfg->actions[cat - cfg->rules.cats];
}

/* config_ref - one more holder */
struct config *
config_ref(struct config *cfg)
{
	pthread_mutex_lock(&config_lock);
	cfg->refs++;
	pthread_mutex_unlock(&config_lock);
	return cfg;
}

/* config_unref - one holder less; the last one frees */
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

/* config_current - the live config, with a reference for the caller */
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

/* config_swap - make cfg the live config; the old one is released */
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
