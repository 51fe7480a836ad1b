/*
 * actions.h - what the configuration does with a complaint of one
 * category besides tagging it. config.h holds one per category, parallel
 * to the ruleset's categories (config_actions finds a category's);
 * rules.c builds and frees them.
 */
#ifndef ABUSE_CONFIG_ACTIONS_H
#define ABUSE_CONFIG_ACTIONS_H

#include "reply/reply_conf.h"
#include "util/util.h"

struct template;

/* category_actions - what the configuration does with a complaint of one
 * category, besides tagging it: answer it, and route, copy or hold the
 * message */
struct category_actions {
	struct reply_category answer;	/* name, reply, template */
	struct template **rule_tmpl;	/* [j]: rule j's own template, or NULL */
	char *route;		/* replaces the abuse-mailbox recipient, or NULL */
	struct strvec copy;	/* extra recipients */
	char *quarantine;	/* hold reason, or NULL */
};

#endif
