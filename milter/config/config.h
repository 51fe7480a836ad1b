/*
 * config.h - the loaded configuration (libconfuse), immutable once built.
 *
 * A config is reference-counted: each milter connection takes a reference
 * at connect and drops it at close, so a SIGUSR1 reload builds a new config
 * beside the old one and swaps the pointer (config_current / config_swap)
 * while connections finish with the one they started with.
 *
 * config_load reports every error as "FILE:LINE: message".
 */
#ifndef ABUSE_CONFIG_H
#define ABUSE_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "util/util.h"

struct netset;
struct template;

enum cond_kind {
	COND_HEADER,		/* target = header name; every instance tested */
	COND_ENVELOPE_FROM,	/* envelope sender (offline: Return-Path) */
	COND_BODY,		/* the complaint's own text (not evidence parts) */
	COND_REPORT_FIELD,	/* target = evidence field key, e.g. arf.Feedback-Type */
};

/* cond - one test: does `pattern` match (or, negated, not match)? */
struct cond {
	enum cond_kind kind;
	char *target;		/* header name or field key; NULL otherwise */
	char *pattern;		/* PCRE2 source, as written */
	void *re;		/* pcre2_code *, JIT-compiled at load */
	bool negate;
	int line;
};

/* rule - matches when every cond in `all` holds and, if `any` is not
 * empty, at least one cond in `any` holds */
struct rule {
	char *name;
	struct cond *all;
	size_t nall;
	struct cond *any;
	size_t nany;
	int line;
};

struct category {
	char *name;
	char *template_path;	/* NULL: no template (then reply must be false) */
	struct template *tmpl;	/* loaded at config load */
	bool reply;
	char *route;		/* replaces the abuse-mailbox recipient, or NULL */
	struct strvec copy;	/* extra recipients */
	char *quarantine;	/* hold reason, or NULL */
	struct rule *rules;
	size_t nrules;
	int line;
};

enum reply_recipient {
	RCPT_REPLY_TO,		/* Reply-To, else From, else envelope sender */
	RCPT_FROM,		/* From, else envelope sender */
	RCPT_RETURN_PATH,	/* envelope sender */
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
	enum reply_recipient recipient;
	struct strvec answer_automated;	/* reporter patterns (PCRE2 source) */
	void **answer_automated_re;	/* compiled, same length */
};

enum on_error {
	ON_ERROR_ACCEPT,
	ON_ERROR_TEMPFAIL,
};

struct config {
	int refs;		/* guarded by config.c's lock */
	char *path;
	char *socket;
	char *user;		/* NULL/empty: do not change user */
	char *group;
	mode_t umask;
	char *pidfile;
	int log_level;		/* syslog priority: LOG_ERR .. LOG_DEBUG */
	enum on_error on_error;
	struct strvec mailboxes;	/* lower-case patterns */
	char *header_prefix;	/* e.g. "X-Abuse-" */
	size_t max_body;
	struct netset *our_networks;
	char *exit_list_path;	/* NULL: none */
	struct netset *exit_list;	/* NULL when no exit_list */
	char *spool_dir;
	char *state_db;
	char *default_category;
	struct reply_conf reply;
	struct category *cats;	/* in file order = precedence */
	size_t ncats;
};

/* config_load - parse and validate FILE; NULL with "FILE:LINE: message"
 * (or "FILE: message") in err on any error */
struct config *config_load(const char *path, char *err, size_t errlen);
void config_free(struct config *cfg);

/* config_find_category - by name, or NULL */
const struct category *config_find_category(const struct config *cfg,
    const char *name);

/* reference counting and the process-wide current config */
struct config *config_ref(struct config *cfg);
void config_unref(struct config *cfg);
struct config *config_current(void);	/* returns a new reference */
void config_swap(struct config *cfg);	/* takes over the caller's reference */

#endif
