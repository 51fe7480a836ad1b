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

#include "classify/learn.h"
#include "classify/ruleset.h"
#include "config/actions.h"
#include "ledger/redis_conf.h"
#include "reply/reply_conf.h"
#include "util/util.h"

struct netset;

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
	char *log_file;		/* NULL: syslog */
	enum on_error on_error;
	struct strvec mailboxes;	/* lower-case patterns */
	char *header_prefix;	/* e.g. "X-Abuse-" */
	size_t max_body;
	size_t max_inflight;	/* bytes all messages in flight may hold */
	size_t max_scan;	/* bytes of each text part that are scanned */
	struct netset *our_networks;
	char *exit_list_path;	/* NULL: none */
	struct netset *exit_list;	/* NULL when no exit_list */
	time_t exit_list_mtime;	/* when the file was last written */
	long exit_list_max_age;	/* seconds; 0: never warn */
	char *spool_dir;
	char *state_db;
	struct state_conf state;	/* the state { } section */
	struct reply_conf reply;
	struct ruleset rules;	/* categories, rules and the default category;
				 * rules.learned: the learner's snapshot */
	struct learn_conf learn;	/* the learn { } section */
	struct category_actions *actions;	/* actions[i]: rules.cats[i] */
};

/* config_load - parse and validate FILE; NULL with "FILE:LINE: message"
 * (or "FILE: message") in err on any error */
struct config *config_load(const char *path, char *err, size_t errlen);
void config_free(struct config *cfg);

/* config_actions - the actions of a category of cfg->rules */
const struct category_actions *config_actions(const struct config *cfg,
    const struct category *cat);

/* config_answer - how a complaint won by cat, with rule its strongest
 * rule (NULL: none), is answered: the category's reply settings, with
 * the rule's template in place of the category's when it has one. *out
 * borrows from cfg. */
void config_answer(const struct config *cfg, const struct category *cat,
    const struct rule *rule, struct reply_category *out);

/* config_exit_list_note - say in the log how old the exit list is
 * (its file's mtime, as loaded), with a warning when it is older than
 * exit_list_max_age: a refresh that stopped working would otherwise go
 * unnoticed while replies keep naming addresses as Tor exits or not.
 * Returns 1 when it warned, 0 when not (or there is no exit list). */
int config_exit_list_note(const struct config *cfg, time_t now);

/* reference counting and the process-wide current config */
struct config *config_ref(struct config *cfg);
void config_unref(struct config *cfg);
struct config *config_current(void);	/* returns a new reference */
void config_swap(struct config *cfg);	/* takes over the caller's reference */

#endif
