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
#include <sys/stat.h>
#include <unistd.h>

#include "config/check.h"
#include "config/learn_load.h"
#include "config/source.h"
#include "config/rules.h"
#include "config/schema.h"
#include "evidence/evidence.h"
#include "evidence/netset.h"
#include "parse/rfc5322.h"
#include "reply/template.h"
#include "util/log.h"

static pthread_mutex_t config_lock = PTHREAD_MUTEX_INITIALIZER;
static struct config *config_live;

/* config_build_reply - the reply { } section */
static void
config_build_reply(cfg_t *rsec, struct reply_conf *r)
{
	char *tok, *save = NULL, *cmd;

	r->from = config_schema_str(rsec, "from");
	r->from_addr = r->from ? rfc5322_addr_first(r->from) : NULL;
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
	r->answer_not_ours = strcmp(cfg_getstr(rsec, "not_ours"), "send") == 0;
	r->nanswer_automated = cfg_size(rsec, "answer_automated");
	r->answer_automated = xcalloc(r->nanswer_automated + 1,
	    sizeof(*r->answer_automated));
	for (size_t i = 0; i < r->nanswer_automated; i++)
		r->answer_automated[i] = config_schema_take_pattern(rsec,
		    "answer_automated", (unsigned)i);
}

/* config_build_state - the state { } section (checked by
 * schema_state.c) */
static void
config_build_state(cfg_t *sec, struct state_conf *out)
{
	struct redis_conf *r = &out->redis;

	memset(out, 0, sizeof(*out));
	out->backend = strcmp(cfg_getstr(sec, "backend"), "redis") == 0 ?
	    STATE_REDIS : STATE_SQLITE;
	r->url = xstrdup(cfg_getstr(sec, "url"));
	r->prefix = xstrdup(cfg_getstr(sec, "prefix"));
	r->password = config_schema_str(sec, "password");
	config_schema_strlist(sec, "sentinels", &r->sentinels, false);
	r->sentinel_master = xstrdup(cfg_getstr(sec, "sentinel_master"));
	r->timeout_ms = (unsigned)redis_timeout_parse(cfg_getstr(sec,
	    "timeout"));
}

/* config_build_networks - our_networks and the exit list */
static int
config_build_networks(cfg_t *cfg, struct config *c, char *err, size_t errlen)
{
	struct stat st;

	c->our_networks = netset_new();
	for (unsigned i = 0; i < cfg_size(cfg, "our_networks"); i++)
		netset_add_cidr(c->our_networks,
		    cfg_getnstr(cfg, "our_networks", i));
	netset_finish(c->our_networks);
	c->exit_list_max_age = config_parse_duration(cfg_getstr(cfg,
	    "exit_list_max_age"));
	c->exit_list_path = config_schema_str(cfg, "exit_list");
	if (c->exit_list_path == NULL)
		return 0;
	c->exit_list = netset_new();
	if (netset_load_exit_list(c->exit_list, c->exit_list_path, err,
	    errlen) != 0)
		return -1;
	netset_finish(c->exit_list);
	/* the age of what was loaded: a file replaced after this load is
	 * not what the milter uses until the next reload */
	if (stat(c->exit_list_path, &st) == 0)
		c->exit_list_mtime = st.st_mtime;
	return 0;
}

/* config_exit_list_note - see config.h */
int
config_exit_list_note(const struct config *cfg, time_t now)
{
	long age;

	if (cfg->exit_list == NULL)
		return 0;
	age = cfg->exit_list_mtime > 0 && now > cfg->exit_list_mtime ?
	    (long)(now - cfg->exit_list_mtime) : 0;
	if (cfg->exit_list_max_age > 0 && age > cfg->exit_list_max_age) {
		log_msg(LOG_WARNING, NULL, "exit_list %s: %zu entries, last "
		    "written %ldh%02ldm ago, older than exit_list_max_age "
		    "(%ldh%02ldm): is its refresh still running?",
		    cfg->exit_list_path, netset_count(cfg->exit_list),
		    age / 3600, age % 3600 / 60, cfg->exit_list_max_age / 3600,
		    cfg->exit_list_max_age % 3600 / 60);
		return 1;
	}
	log_msg(LOG_INFO, NULL, "exit_list %s: %zu entries, last written "
	    "%ldh%02ldm ago", cfg->exit_list_path, netset_count(cfg->exit_list),
	    age / 3600, age % 3600 / 60);
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
	c->user = config_schema_str(cfg, "user");
	c->group = config_schema_str(cfg, "group");
	config_check_umask(cfg_getstr(cfg, "umask"), &c->umask);
	c->pidfile = config_schema_str(cfg, "pidfile");
	c->log_level = log_level_parse(cfg_getstr(cfg, "log_level"));
	c->log_file = config_schema_str(cfg, "log_file");
	c->on_error = strcmp(cfg_getstr(cfg, "on_error"), "tempfail") == 0 ?
	    ON_ERROR_TEMPFAIL : ON_ERROR_ACCEPT;
	config_schema_strlist(cfg, "mailboxes", &c->mailboxes, true);
	c->header_prefix = xstrdup(cfg_getstr(cfg, "header_prefix"));
	c->max_body = (size_t)config_parse_size(cfg_getstr(cfg, "max_body"));
	c->max_inflight =
	    (size_t)config_parse_size(cfg_getstr(cfg, "max_inflight"));
	c->max_scan = (size_t)config_parse_size(cfg_getstr(cfg, "max_scan"));
	c->spool_dir = xstrdup(cfg_getstr(cfg, "spool_dir"));
	c->state_db = xstrdup(cfg_getstr(cfg, "state_db"));
	config_build_state(cfg_getsec(cfg, "state"), &c->state);
	config_build_reply(cfg_getsec(cfg, "reply"), &c->reply);
	if (config_build_networks(cfg, c, err, errlen) != 0 ||
	    config_rules_build(cfg, path, &c->rules, &c->actions, err,
	    errlen) != 0) {
		config_free(c);
		return NULL;
	}
	config_learn_load(cfg_getsec(cfg, "learn"), c->state_db, &c->state,
	    &c->rules, &c->learn);
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
	free(c->log_file);
	strvec_free(&c->mailboxes);
	free(c->header_prefix);
	if (c->our_networks != NULL)
		netset_free(c->our_networks);
	if (c->exit_list != NULL)
		netset_free(c->exit_list);
	free(c->exit_list_path);
	free(c->spool_dir);
	free(c->state_db);
	state_conf_free(&c->state);
	reply_conf_free(&c->reply);
	config_rules_free_actions(c->actions, &c->rules);
	learn_model_free(c->rules.learned);
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

/* config_answer - see config.h */
void
config_answer(const struct config *cfg, const struct category *cat,
    const struct rule *rule, struct reply_category *out)
{
	const struct category_actions *a = config_actions(cfg, cat);

	*out = a->answer;
	/* only rules of cat have a template (pseudo-rules have none) */
	if (rule == NULL || rule->template == NULL)
		return;
	out->tmpl = a->rule_tmpl[rule - cat->rules];
	out->tmpl_path = rule->template;
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
