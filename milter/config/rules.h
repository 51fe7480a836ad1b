/*
 * rules.h - the rules part of a checked configuration tree turned into
 * the ruleset the engine evaluates (classify/ruleset.h) and each
 * category's actions (config.h). Used only by config.c:
 *
 *	if (config_rules_build(cfg, path, &c->rules, &c->actions, err,
 *	    errlen) != 0) ... err ...
 *	config_rules_free_actions(c->actions, &c->rules);	before
 *	ruleset_free(&c->rules);
 *
 * Errors: "FILE:LINE: message", FILE the configuration file (or the
 * included file) the section stands in, or the phrase list's own
 * "PHRASEFILE:LINE: message".
 */
#ifndef ABUSE_CONFIG_RULES_H
#define ABUSE_CONFIG_RULES_H

#include <confuse.h>
#include <stddef.h>

#include "classify/ruleset.h"
#include "config/actions.h"

/* config_rules_build - *rs and *actions (one per category of rs) from
 * the category sections, decision section and default_category of cfg,
 * read from path; -1 with err on error (both are then safe to free) */
int config_rules_build(cfg_t *cfg, const char *path, struct ruleset *rs,
    struct category_actions **actions, char *err, size_t errlen);

/* config_rules_free_actions - actions built with rs, while rs is
 * still there */
void config_rules_free_actions(struct category_actions *actions,
    const struct ruleset *rs);

#endif
