/*
 * schema.c - what abuse-milter.conf may contain, and the checks
 * run on each value as libconfuse reads it (so errors carry its line).
 * etc/abuse-milter.conf documents every option listed here.
 */
#include "config/schema.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config/check.h"
#include "evidence/evidence.h"
#include "evidence/netset.h"
#include "parse/rfc5322.h"
#include "util/log.h"
#include "util/mailbox.h"
#include "util/pattern.h"

/* schema_err - where the load in progress keeps its first error (per
 * thread: a reload builds its config beside the running one) */
static __thread struct {
	char *buf;
	size_t len;
	bool set;
	const struct config_source *src;	/* file and line of each
						 * line libconfuse sees */
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

/* check_duration - a duration (check.c) */
static const char *
check_duration(const char *v)
{
	return config_parse_duration(v) < 0 ?
	    "bad duration (want e.g. 30s, 5m, 24h, 7d)" : NULL;
}

/* check_size - a size above zero (check.c) */
static const char *
check_size(const char *v)
{
	return config_parse_size(v) <= 0 ? "bad size (want e.g. 2M)" : NULL;
}

/* check_log_level - a syslog level name */
static const char *
check_log_level(const char *v)
{
	return log_level_parse(v) < 0 ?
	    "bad level (want err, warning, notice, info or debug)" : NULL;
}

/* check_on_error - accept or tempfail */
static const char *
check_on_error(const char *v)
{
	return strcmp(v, "accept") && strcmp(v, "tempfail") ?
	    "bad value (want accept or tempfail)" : NULL;
}

/* check_recipient - who a reply goes to */
static const char *
check_recipient(const char *v)
{
	return strcmp(v, "reply-to") && strcmp(v, "from") &&
	    strcmp(v, "return-path") && strcmp(v, "reply-to-unchecked") ?
	    "bad value (want reply-to, from, return-path or "
	    "reply-to-unchecked)" : NULL;
}

/* check_mailbox - a mailbox pattern (mailbox.h) */
static const char *
check_mailbox(const char *v)
{
	return mailbox_pattern_valid(v) ? NULL :
	    "bad mailbox (want local@domain, *@domain or local@*)";
}

/* check_cidr - an address block */
static const char *
check_cidr(const char *v)
{
	struct netset *ns = netset_new();
	int rc = netset_add_cidr(ns, v);

	netset_free(ns);
	return rc != 0 ? "bad network (want ADDRESS/LENGTH)" : NULL;
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

/* check_from - reply.from: empty, or with an address replies can use */
static const char *
check_from(const char *v)
{
	char *addr;
	bool ok;

	if (*v == '\0')
		return NULL;
	addr = evidence_addr_spec(v);
	ok = addr != NULL && rfc5322_addr_spec_valid(addr);
	free(addr);
	return ok ? NULL :
	    "no valid address (want e.g. \"Abuse Desk <abuse@example.org>\")";
}

/* check_separators - reply.detail_separators: characters that may
 * start a +detail ("" for none) */
static const char *
check_separators(const char *v)
{
	return v[strspn(v, "+-_=.")] != '\0' ?
	    "bad separators (want some of + - _ = .)" : NULL;
}

/* check_header_prefix - a header name prefix: printable, no colon */
static const char *
check_header_prefix(const char *v)
{
	if (*v == '\0')
		return "empty header prefix";
	for (const char *p = v; *p; p++)
		if (*p <= ' ' || *p >= 127 || *p == ':')
			return "bad header prefix (want e.g. X-Abuse-)";
	return NULL;
}

#define SCHEMA_CHECK(fn, check) \
	static int fn(cfg_t *cfg, cfg_opt_t *opt) \
	{ return schema_each(cfg, opt, check); }

SCHEMA_CHECK(valid_duration, check_duration)
SCHEMA_CHECK(valid_size, check_size)
SCHEMA_CHECK(valid_log_level, check_log_level)
SCHEMA_CHECK(valid_on_error, check_on_error)
SCHEMA_CHECK(valid_recipient, check_recipient)
SCHEMA_CHECK(valid_mailbox, check_mailbox)
SCHEMA_CHECK(valid_cidr, check_cidr)
SCHEMA_CHECK(valid_umask, check_umask)
SCHEMA_CHECK(valid_rate, check_rate)
SCHEMA_CHECK(valid_socket, config_check_socket)
SCHEMA_CHECK(valid_header_prefix, check_header_prefix)
SCHEMA_CHECK(valid_from, check_from)
SCHEMA_CHECK(valid_separators, check_separators)

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

/* valid_cond_sec - a section must hold at most one condition, and header and
 * report_field need a match; rules may hold none (all{}/any{} only) */
static int
valid_cond_sec(cfg_t *sec, int need)
{
	int kinds = (cfg_getstr(sec, "header") != NULL) +
	    (cfg_getstr(sec, "report_field") != NULL) +
	    (cfg_size(sec, "body") > 0) +
	    (cfg_size(sec, "envelope_from") > 0);
	int wants_match = cfg_getstr(sec, "header") != NULL ||
	    cfg_getstr(sec, "report_field") != NULL;
	int has_match = cfg_size(sec, "match") > 0;

	if (kinds > 1)
		return -1;
	if (kinds < need)
		return -2;
	if (wants_match != has_match)
		return -3;
	return 0;
}

/* valid_cond_report - report what valid_cond_sec found wrong with the
 * section just read */
static int
valid_cond_report(cfg_t *cfg, cfg_opt_t *opt, int need)
{
	static const char *msgs[] = {"",
	    "only one of header, report_field, body, envelope_from per section",
	    "a condition needs header, report_field, body or envelope_from",
	    "header and report_field need a match, and match needs one of them"};
	cfg_t *sec = cfg_opt_getnsec(opt, cfg_opt_size(opt) - 1);
	int rc = valid_cond_sec(sec, need);

	if (rc == 0)
		return 0;
	cfg->line = sec->line;
	return schema_fail(cfg, opt, "%s %s (the section ending here): %s",
	    opt->name, cfg_title(sec) ? cfg_title(sec) : "{}", msgs[-rc]);
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
	CFG_PATTERN("envelope_from"), \
	CFG_PATTERN("match"), \
	CFG_BOOL("not", cfg_false, CFGF_NONE)

static cfg_opt_t cond_opts[] = {
	COND_OPTS,
	CFG_END()
};

static cfg_opt_t rule_opts[] = {
	COND_OPTS,
	CFG_SEC("all", cond_opts, CFGF_MULTI),
	CFG_SEC("any", cond_opts, CFGF_MULTI),
	CFG_END()
};

static cfg_opt_t category_opts[] = {
	CFG_STR("template", NULL, CFGF_NODEFAULT),
	CFG_BOOL("reply", cfg_false, CFGF_NONE),
	CFG_STR("route", NULL, CFGF_NODEFAULT),
	CFG_STR_LIST("copy", "{}", CFGF_NONE),
	CFG_STR("quarantine", NULL, CFGF_NODEFAULT),
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
	CFG_PTR_LIST_CB("answer_automated", "{}", CFGF_NONE, schema_pattern,
	    schema_pattern_free),
	CFG_END()
};

static cfg_opt_t top_opts[] = {
	CFG_STR("socket", "unix:/run/abuse-milter/abuse-milter.sock", CFGF_NONE),
	CFG_STR("user", "", CFGF_NONE),
	CFG_STR("group", "", CFGF_NONE),
	CFG_STR("umask", "007", CFGF_NONE),
	CFG_STR("pidfile", "", CFGF_NONE),
	CFG_STR("log_level", "info", CFGF_NONE),
	CFG_STR("on_error", "accept", CFGF_NONE),
	CFG_STR_LIST("mailboxes", "{}", CFGF_NONE),
	CFG_STR("header_prefix", "X-Abuse-", CFGF_NONE),
	CFG_STR("max_body", "2M", CFGF_NONE),
	CFG_STR_LIST("our_networks", "{}", CFGF_NONE),
	CFG_STR("exit_list", "", CFGF_NONE),
	CFG_STR("spool_dir", "/var/spool/abuse-milter", CFGF_NONE),
	CFG_STR("state_db", "/var/lib/abuse-milter/state.db", CFGF_NONE),
	CFG_STR("default_category", "other", CFGF_NONE),
	CFG_SEC("reply", reply_opts, CFGF_NONE),
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
	{"max_body", valid_size}, {"our_networks", valid_cidr},
	{"exit_list", valid_readable},
	{"reply|from", valid_from},
	{"reply|workers", valid_workers},
	{"reply|timeout", valid_duration}, {"reply|retry", valid_duration},
	{"reply|max_age", valid_duration}, {"reply|rate_limit", valid_rate},
	{"reply|recipient", valid_recipient},
	{"reply|max_per_hour", valid_cap}, {"reply|max_per_domain", valid_cap},
	{"reply|detail_separators", valid_separators},
	{"category", valid_category},
	{"category|template", valid_readable},
	{"category|rule", valid_rule},
	{"category|rule|all", valid_subcond},
	{"category|rule|any", valid_subcond},
};

/* config_schema_new - see schema.h */
cfg_t *
config_schema_new(const struct config_source *src, char *err,
    size_t errlen)
{
	cfg_t *cfg = cfg_init(top_opts, CFGF_NONE);

	schema_err.buf = err;
	schema_err.len = errlen;
	schema_err.set = false;
	schema_err.src = src;
	cfg_set_error_function(cfg, schema_errfunc);
	for (size_t i = 0; i < sizeof(schema_checks) / sizeof(schema_checks[0]);
	    i++)
		cfg_set_validate_func(cfg, schema_checks[i].path,
		    schema_checks[i].cb);
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
