/*
 * schema.c - what abuse-milter.conf may contain, and the checks
 * run on each value as libconfuse reads it (so errors carry its line).
 * etc/abuse-milter.conf documents every option listed here.
 */
#include "config/schema.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "classify/phrase.h"
#include "classify/learn.h"
#include "classify/ruleset.h"
#include "config/check.h"
#include "config/schema_state.h"
#include "evidence/evidence.h"
#include "evidence/netset.h"
#include "parse/rfc5322.h"
#include "util/log.h"
#include "util/mailbox.h"
#include "util/pattern.h"

/* the defaults of the paths: configure's (Makefile.am), as the
 * installed configuration and man pages say */
#ifndef LOCALSTATEDIR
#define LOCALSTATEDIR "/var"
#endif
#ifndef POSTFIX_QUEUE_DIR
#define POSTFIX_QUEUE_DIR "/var/spool/postfix"
#endif

/* schema_err - where the load in progress keeps its first error (per
 * thread: a reload builds its config beside the running one) */
static __thread struct {
	char *buf;
	size_t len;
	bool set;
	struct config_source *src;	/* file and line of each line
					 * libconfuse sees; the glob memo */
} schema_err;

/* schema_errfunc - libconfuse error sink: keep the first "FILE:LINE: msg" */
static void
schema_errfunc(cfg_t *cfg, const char *fmt, va_list ap)
{
	int n = 0;

	if (schema_err.set || schema_err.buf == NULL)
		return;
	schema_err.set = true;
	if (cfg != NULL) {
		int line;
		const char *file = config_source_where(schema_err.src,
		    cfg->line, &line);

		n = snprintf(schema_err.buf, schema_err.len, line > 0 ?
		    "%s:%d: " : "%s: ", file, line);
	}
	if (n < 0 || (size_t)n >= schema_err.len)
		return;
	vsnprintf(schema_err.buf + n, schema_err.len - (size_t)n, fmt, ap);
}

/* schema_error - report through the sink, at cfg's current line */
static void __attribute__((format(printf, 2, 3)))
schema_error(cfg_t *cfg, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	schema_errfunc(cfg, fmt, ap);
	va_end(ap);
}

/* schema_fail - report a bad value of opt at the current line */
#define schema_fail(cfg, opt, ...) \
	(schema_error((cfg), __VA_ARGS__), -1)

/* schema_each - run check on every value of a string option */
static int
schema_each(cfg_t *cfg, cfg_opt_t *opt,
    const char *(*check)(const char *))
{
	for (unsigned i = 0; i < cfg_opt_size(opt); i++) {
		const char *v = cfg_opt_getnstr(opt, i), *msg = check(v);

		if (msg != NULL)
			return schema_fail(cfg, opt, "%s: %s \"%s\"", opt->name,
			    msg, v);
	}
	return 0;
}

/* check_umask - an octal umask */
static const char *
check_umask(const char *v)
{
	return config_check_umask(v, NULL);
}

/* check_rate - N/duration or none */
static const char *
check_rate(const char *v)
{
	return config_check_rate(v, NULL, NULL);
}

#define SCHEMA_CHECK(fn, check) \
	static int fn(cfg_t *cfg, cfg_opt_t *opt) \
	{ return schema_each(cfg, opt, check); }

SCHEMA_CHECK(valid_size, config_check_size)
SCHEMA_CHECK(valid_log_level, config_check_log_level)
SCHEMA_CHECK(valid_on_error, config_check_on_error)
SCHEMA_CHECK(valid_recipient, config_check_recipient)
SCHEMA_CHECK(valid_not_ours, config_check_not_ours)
SCHEMA_CHECK(valid_user, config_check_user)
SCHEMA_CHECK(valid_group, config_check_group)
SCHEMA_CHECK(valid_path, config_check_path)
SCHEMA_CHECK(valid_command, config_check_command)
SCHEMA_CHECK(valid_period, config_check_period)
SCHEMA_CHECK(valid_duration, config_check_duration)
SCHEMA_CHECK(valid_address, config_check_address)
SCHEMA_CHECK(valid_mailbox, config_check_mailbox)
SCHEMA_CHECK(valid_cidr, config_check_cidr)
SCHEMA_CHECK(valid_umask, check_umask)
SCHEMA_CHECK(valid_rate, check_rate)
SCHEMA_CHECK(valid_socket, config_check_socket)
SCHEMA_CHECK(valid_header_prefix, config_check_header_prefix)
SCHEMA_CHECK(valid_from, config_check_from)
SCHEMA_CHECK(valid_separators, config_check_separators)

/* valid_cap - reply.max_per_hour, reply.max_per_domain: 0 (no cap) or a
 * count a day of replies can reach */
static int
valid_cap(cfg_t *cfg, cfg_opt_t *opt)
{
	long n = cfg_opt_getnint(opt, 0);

	if (n < 0 || n > 1000000)
		return schema_fail(cfg, opt, "%s: %ld is out of range "
		    "(0 to 1000000)", opt->name, n);
	return 0;
}

/* schema_pattern - parse callback of every regex option: its value in
 * the tree is the compiled pattern, so each regex is compiled once, here,
 * where a bad one is reported with its line; config.c takes the result
 * (config_schema_take_pattern) */
static int
schema_pattern(cfg_t *cfg, cfg_opt_t *opt, const char *value, void *result)
{
	char err[256];
	struct pattern *p = pattern_compile(value, err, sizeof(err));

	if (p == NULL)
		return schema_fail(cfg, opt, "%s: bad regex: %s", opt->name,
		    err);
	*(struct pattern **)result = p;
	return 0;
}

/* schema_pattern_free - libconfuse frees what config.c did not take */
static void
schema_pattern_free(void *p)
{
	pattern_free(p);
}

/* config_schema_take_pattern - see schema.h */
struct pattern *
config_schema_take_pattern(cfg_t *sec, const char *name, unsigned i)
{
	cfg_opt_t *opt = cfg_getopt(sec, name);
	struct pattern *p;

	if (opt == NULL || i >= cfg_opt_size(opt))
		return NULL;
	p = cfg_opt_getnptr(opt, i);
	/* libconfuse has no call to let go of a value without freeing it:
	 * clear its slot so that cfg_free does not free the pattern */
	opt->values[i]->ptr = NULL;
	return p;
}

/* valid_workers - reply threads: at least one, and not a fork bomb */
static int
valid_workers(cfg_t *cfg, cfg_opt_t *opt)
{
	long n = cfg_opt_getnint(opt, 0);

	if (n < 1 || n > 64)
		return schema_fail(cfg, opt, "workers: %ld is out of range "
		    "(1 to 64)", n);
	return 0;
}

/* valid_readable - a file option must name a readable file */
static int
valid_readable(cfg_t *cfg, cfg_opt_t *opt)
{
	const char *v = cfg_opt_getnstr(opt, 0);

	if (v != NULL && *v != '\0' && access(v, R_OK) != 0)
		return schema_fail(cfg, opt, "%s: cannot read \"%s\": %m",
		    opt->name, v);
	return 0;
}

/* valid_finite - a score is a plain number: "nan" and "inf" would make
 * every comparison of totals meaningless */
static int
valid_finite(cfg_t *cfg, cfg_opt_t *opt)
{
	double v = cfg_opt_getnfloat(opt, 0);

	if (!isfinite(v))
		return schema_fail(cfg, opt, "%s: not a finite number",
		    opt->name);
	return 0;
}

/* valid_not_negative - a veto or a margin: 0 or more */
static int
valid_not_negative(cfg_t *cfg, cfg_opt_t *opt)
{
	double v = cfg_opt_getnfloat(opt, 0);

	if (!isfinite(v) || v < 0)
		return schema_fail(cfg, opt, "%s: want a number of 0 or more",
		    opt->name);
	return 0;
}

/* valid_min_messages - learn.min_messages: 1 or more */
static int
valid_min_messages(cfg_t *cfg, cfg_opt_t *opt)
{
	long v = cfg_opt_getnint(opt, 0);

	if (v < 1 || v > 1000000000)
		return schema_fail(cfg, opt, "%s: want a number of 1 or more",
		    opt->name);
	return 0;
}

/* valid_cond_sec - a section holds at most one condition: one target
 * (header, report_field, or a regex shorthand: body, own_text,
 * evidence, envelope_from) and one test (match, phrases, phrase; a
 * shorthand is its own test). header and report_field need a test, match needs one
 * of them, phrases without a target test own_text. Rules may hold none
 * (all{}/any{} only). 0, or the number of the message in
 * valid_cond_report. */
static int
valid_cond_sec(cfg_t *sec, int need)
{
	int named = (cfg_getstr(sec, "header") != NULL) +
	    (cfg_getstr(sec, "report_field") != NULL);
	int shorthand = (cfg_size(sec, "body") > 0) +
	    (cfg_size(sec, "own_text") > 0) +
	    (cfg_size(sec, "evidence") > 0) +
	    (cfg_size(sec, "envelope_from") > 0);
	int match = cfg_size(sec, "match") > 0;
	int phrases = (cfg_size(sec, "phrases") > 0) +
	    (cfg_size(sec, "phrase") > 0);

	if (named + shorthand > 1)
		return 1;
	if (shorthand + match + phrases > 1)
		return 2;
	if (named + shorthand + match + phrases < need)
		return 3;
	if (named > 0 && match + phrases == 0)
		return 4;
	if (match > 0 && named == 0)
		return 5;
	return 0;
}

/* valid_cond_report - report what valid_cond_sec found wrong with the
 * section just read */
static int
valid_cond_report(cfg_t *cfg, cfg_opt_t *opt, int need)
{
	static const char *msgs[] = {"",
	    "only one of header, report_field, body, own_text, evidence, "
	    "envelope_from per condition",
	    "only one test per condition: match, phrases or phrase (body, "
	    "own_text, evidence and envelope_from = 'regex' are a test "
	    "already)",
	    "a condition needs header, report_field, body, own_text, "
	    "evidence, envelope_from, phrases or phrase",
	    "header and report_field need a test: match, phrases or phrase",
	    "match needs header or report_field (or write body, own_text, "
	    "evidence or envelope_from = 'regex')"};
	cfg_t *sec = cfg_opt_getnsec(opt, cfg_opt_size(opt) - 1);
	int rc = valid_cond_sec(sec, need);

	if (rc == 0)
		return 0;
	cfg->line = sec->line;
	return schema_fail(cfg, opt, "%s %s (the section ending here): %s",
	    opt->name, cfg_title(sec) ? cfg_title(sec) : "{}", msgs[rc]);
}

/* valid_phrase_files - every phrase list a condition names can be read,
 * and a glob pattern names at least one (rules.c expands it; the lines
 * of a list are checked when it is loaded, with its own name and line) */
static int
valid_phrase_files(cfg_t *cfg, cfg_opt_t *opt)
{
	for (unsigned i = 0; i < cfg_opt_size(opt); i++) {
		const char *v = cfg_opt_getnstr(opt, i);

		if (strpbrk(v, "*?[") == NULL) {
			if (access(v, R_OK) != 0)
				return schema_fail(cfg, opt, "%s: cannot read "
				    "\"%s\": %m", opt->name, v);
			continue;
		}
		if (config_schema_glob(v) == NULL)
			return schema_fail(cfg, opt, "%s: \"%s\" matches no "
			    "file", opt->name, v);
	}
	return 0;
}

/* valid_phrase - inline phrases obey the rules of a phrase list line */
static int
valid_phrase(cfg_t *cfg, cfg_opt_t *opt)
{
	struct phrase_set *ps = phrase_set_new();
	int list = phrase_set_new_list(ps), rc = 0;
	char err[256];

	for (unsigned i = 0; i < cfg_opt_size(opt) && rc == 0; i++)
		if (phrase_set_add(ps, list, cfg_opt_getnstr(opt, i), err,
		    sizeof(err)) != 0)
			rc = schema_fail(cfg, opt, "%s: %s", opt->name, err);
	phrase_set_free(ps);
	return rc;
}

/* valid_rule - a rule holds one condition of its own, unless it has
 * all{} or any{} sections */
static int
valid_rule(cfg_t *cfg, cfg_opt_t *opt)
{
	cfg_t *sec = cfg_opt_getnsec(opt, cfg_opt_size(opt) - 1);
	int need = cfg_size(sec, "all") + cfg_size(sec, "any") == 0;

	return valid_cond_report(cfg, opt, need);
}

/* valid_subcond - an all{} or any{} section holds exactly one condition */
static int
valid_subcond(cfg_t *cfg, cfg_opt_t *opt)
{
	return valid_cond_report(cfg, opt, 1);
}

/* valid_category - reply = true needs a template */
static int
valid_category(cfg_t *cfg, cfg_opt_t *opt)
{
	cfg_t *sec = cfg_opt_getnsec(opt, cfg_opt_size(opt) - 1);

	if (cfg_getbool(sec, "reply") && cfg_getstr(sec, "template") == NULL) {
		cfg->line = sec->line;
		return schema_fail(cfg, opt, "category %s (the section ending "
		    "here): reply = true needs a template", cfg_title(sec));
	}
	return 0;
}

/* a regex option: the tree holds its compiled pattern */
#define CFG_PATTERN(name) \
	CFG_PTR_CB(name, NULL, CFGF_NODEFAULT, schema_pattern, \
	    schema_pattern_free)

#define COND_OPTS \
	CFG_STR("header", NULL, CFGF_NODEFAULT), \
	CFG_STR("report_field", NULL, CFGF_NODEFAULT), \
	CFG_PATTERN("body"), \
	CFG_PATTERN("own_text"), \
	CFG_PATTERN("evidence"), \
	CFG_PATTERN("envelope_from"), \
	CFG_PATTERN("match"), \
	CFG_STR_LIST("phrases", NULL, CFGF_NODEFAULT), \
	CFG_STR_LIST("phrase", NULL, CFGF_NODEFAULT), \
	CFG_BOOL("not", cfg_false, CFGF_NONE)

static cfg_opt_t cond_opts[] = {
	COND_OPTS,
	CFG_END()
};

static cfg_opt_t rule_opts[] = {
	COND_OPTS,
	CFG_SEC("all", cond_opts, CFGF_MULTI),
	CFG_SEC("any", cond_opts, CFGF_MULTI),
	CFG_FLOAT("score", 1.0, CFGF_NONE),
	CFG_BOOL("human", cfg_false, CFGF_NONE),
	CFG_STR("template", NULL, CFGF_NODEFAULT),
	CFG_END()
};

static cfg_opt_t category_opts[] = {
	CFG_STR("template", NULL, CFGF_NODEFAULT),
	CFG_BOOL("reply", cfg_false, CFGF_NONE),
	CFG_STR("route", NULL, CFGF_NODEFAULT),
	CFG_STR_LIST("copy", "{}", CFGF_NONE),
	CFG_STR("quarantine", NULL, CFGF_NODEFAULT),
	CFG_FLOAT("min_score", 1.0, CFGF_NONE),
	CFG_BOOL("human", cfg_false, CFGF_NONE),
	CFG_FLOAT("veto", 0, CFGF_NONE),
	CFG_SEC("rule", rule_opts, CFGF_MULTI | CFGF_TITLE | CFGF_NO_TITLE_DUPES),
	CFG_END()
};

static cfg_opt_t reply_opts[] = {
	CFG_STR("from", "", CFGF_NONE),
	CFG_STR("envelope_sender", "", CFGF_NONE),
	CFG_STR("sendmail", "/usr/sbin/sendmail", CFGF_NONE),
	CFG_INT("workers", 1, CFGF_NONE),
	CFG_STR("timeout", "60s", CFGF_NONE),
	CFG_STR("retry", "1m", CFGF_NONE),
	CFG_STR("max_age", "5d", CFGF_NONE),
	CFG_STR("rate_limit", "5/1h", CFGF_NONE),
	CFG_STR("recipient", "reply-to", CFGF_NONE),
	CFG_INT("max_per_hour", 200, CFGF_NONE),
	CFG_INT("max_per_domain", 20, CFGF_NONE),
	CFG_STR("detail_separators", "+", CFGF_NONE),
	CFG_STR("not_ours", "suppress", CFGF_NONE),
	CFG_PTR_LIST_CB("answer_automated", "{}", CFGF_NONE, schema_pattern,
	    schema_pattern_free),
	CFG_END()
};

static cfg_opt_t decision_opts[] = {
	CFG_FLOAT("margin", RULESET_MARGIN_DEFAULT, CFGF_NONE),
	CFG_END()
};

static cfg_opt_t learn_opts[] = {
	CFG_FLOAT("weight", LEARN_WEIGHT_DEFAULT, CFGF_NONE),
	CFG_INT("min_messages", LEARN_MIN_MESSAGES_DEFAULT, CFGF_NONE),
	CFG_END()
};

static cfg_opt_t top_opts[] = {
	CFG_STR("socket", "unix:" POSTFIX_QUEUE_DIR "/abuse-milter/abuse-milter.sock",
	    CFGF_NONE),
	CFG_STR("user", "", CFGF_NONE),
	CFG_STR("group", "", CFGF_NONE),
	CFG_STR("umask", "007", CFGF_NONE),
	CFG_STR("pidfile", "", CFGF_NONE),
	CFG_STR("log_level", "info", CFGF_NONE),
	CFG_STR("log_file", "", CFGF_NONE),
	CFG_STR("on_error", "accept", CFGF_NONE),
	CFG_STR_LIST("mailboxes", "{}", CFGF_NONE),
	CFG_STR("header_prefix", "X-Abuse-", CFGF_NONE),
	CFG_STR("max_body", "2M", CFGF_NONE),
	CFG_STR("max_inflight", "256M", CFGF_NONE),
	CFG_STR("max_scan", "256K", CFGF_NONE),
	CFG_STR_LIST("our_networks", "{}", CFGF_NONE),
	CFG_STR("exit_list", "", CFGF_NONE),
	CFG_STR("exit_list_max_age", "2d", CFGF_NONE),
	CFG_STR("spool_dir", LOCALSTATEDIR "/spool/abuse-milter", CFGF_NONE),
	CFG_STR("state_db", LOCALSTATEDIR "/lib/abuse-milter/state.db",
	    CFGF_NONE),
	CFG_STR("default_category", "other", CFGF_NONE),
	CFG_STR("reporters", "", CFGF_NONE),
	CFG_SEC("reply", reply_opts, CFGF_NONE),
	CFG_SEC("decision", decision_opts, CFGF_NONE),
	CFG_SEC("learn", learn_opts, CFGF_NONE),
	CFG_SEC("state", config_schema_state_opts, CFGF_NONE),
	CFG_SEC("category", category_opts,
	    CFGF_MULTI | CFGF_TITLE | CFGF_NO_TITLE_DUPES),
	CFG_END()
};

static const struct {
	const char *path;
	cfg_validate_callback_t cb;
} schema_checks[] = {
	{"socket", valid_socket}, {"umask", valid_umask},
	{"log_level", valid_log_level}, {"on_error", valid_on_error},
	{"mailboxes", valid_mailbox}, {"header_prefix", valid_header_prefix},
	{"max_body", valid_size}, {"max_inflight", valid_size},
	{"max_scan", valid_size},
	{"our_networks", valid_cidr},
	{"exit_list", valid_readable}, {"reporters", valid_readable},
	{"exit_list_max_age", valid_duration},
	{"reply|from", valid_from},
	{"reply|workers", valid_workers},
	{"user", valid_user}, {"group", valid_group},
	{"spool_dir", valid_path}, {"state_db", valid_path},
	{"reply|sendmail", valid_command},
	{"reply|timeout", valid_period}, {"reply|retry", valid_period},
	{"reply|max_age", valid_period}, {"reply|rate_limit", valid_rate},
	{"reply|recipient", valid_recipient},
	{"reply|not_ours", valid_not_ours},
	{"reply|max_per_hour", valid_cap}, {"reply|max_per_domain", valid_cap},
	{"reply|detail_separators", valid_separators},
	{"category", valid_category},
	{"category|template", valid_readable},
	{"category|route", valid_address}, {"category|copy", valid_address},
	{"decision|margin", valid_not_negative},
	{"learn|weight", valid_not_negative},
	{"learn|min_messages", valid_min_messages},
	{"category|min_score", valid_finite},
	{"category|veto", valid_not_negative},
	{"category|rule", valid_rule},
	{"category|rule|score", valid_finite},
	{"category|rule|template", valid_readable},
	{"category|rule|all", valid_subcond},
	{"category|rule|any", valid_subcond},
	{"category|rule|phrases", valid_phrase_files},
	{"category|rule|all|phrases", valid_phrase_files},
	{"category|rule|any|phrases", valid_phrase_files},
	{"category|rule|phrase", valid_phrase},
	{"category|rule|all|phrase", valid_phrase},
	{"category|rule|any|phrase", valid_phrase},
};

/* config_schema_where - see schema.h */
const char *
config_schema_where(const cfg_t *sec, int *line)
{
	return config_source_where(schema_err.src, sec->line, line);
}

/* config_schema_glob - see schema.h */
const struct strvec *
config_schema_glob(const char *pattern)
{
	return config_source_glob(schema_err.src, pattern);
}

/* config_schema_new - see schema.h */
cfg_t *
config_schema_new(struct config_source *src, char *err,
    size_t errlen)
{
	cfg_t *cfg;

	cfg = cfg_init(top_opts, CFGF_NONE);
	schema_err.buf = err;
	schema_err.len = errlen;
	schema_err.set = false;
	schema_err.src = src;
	cfg_set_error_function(cfg, schema_errfunc);
	for (size_t i = 0; i < sizeof(schema_checks) / sizeof(schema_checks[0]);
	    i++)
		cfg_set_validate_func(cfg, schema_checks[i].path,
		    schema_checks[i].cb);
	config_schema_state_checks(cfg);
	return cfg;
}

/* config_schema_free - see schema.h */
void
config_schema_free(cfg_t *cfg)
{
	cfg_free(cfg);
	schema_err.buf = NULL;
}

/* config_schema_recipient - see schema.h */
enum reply_recipient
config_schema_recipient(const char *s)
{
	if (strcmp(s, "from") == 0)
		return RCPT_FROM;
	if (strcmp(s, "return-path") == 0)
		return RCPT_RETURN_PATH;
	if (strcmp(s, "reply-to-unchecked") == 0)
		return RCPT_REPLY_TO_ANY;
	return RCPT_REPLY_TO;
}

/* config_schema_str - see schema.h */
char *
config_schema_str(cfg_t *sec, const char *name)
{
	const char *s = cfg_getstr(sec, name);

	return s != NULL && *s != '\0' ? xstrdup(s) : NULL;
}

/* config_schema_strlist - see schema.h */
void
config_schema_strlist(cfg_t *sec, const char *name, struct strvec *out,
    bool lower)
{
	strvec_init(out);
	for (unsigned i = 0; i < cfg_size(sec, name); i++) {
		char *s = xstrdup(cfg_getnstr(sec, name, i));

		strvec_push_owned(out, lower ? str_lower(s) : s);
	}
}
