/*
 * learn_load.h - the learner's part of loading a configuration: the
 * learn { } settings, and the snapshot of what was learned (state_db,
 * ledger/learned.h) turned into the model the rules are weighed with
 * (classify/learn.h). Loaded with the configuration, so a SIGUSR1 reload
 * brings what was learned since. With state { backend = "redis" } the
 * snapshot is the fleet's, from Redis (ledger/redis_learned.h): what any
 * MX host learned; when Redis cannot be read, this host's state_db,
 * with a warning.
 *
 * Usage (config.c, once the categories are built):
 *	config_learn_load(cfg_getsec(tree, "learn"), c->state_db,
 *	    &c->state, &c->rules, &c->learn);
 *	... c->learn, c->rules.learned (NULL: the rules alone) ...
 *	learn_model_free(c->rules.learned);		with the config
 */
#ifndef ABUSE_CONFIG_LEARN_LOAD_H
#define ABUSE_CONFIG_LEARN_LOAD_H

#include <confuse.h>

#include "classify/learn.h"
#include "classify/ruleset.h"
#include "ledger/redis_conf.h"

/* config_learn_load - *conf from sec; with weight > 0 and learned data
 * (in Redis when state says so, else in state_db) that gives two
 * categories or more, the model into rules->learned. Never fails: what
 * cannot be read is logged, and the rules decide alone. Reads only: the
 * database is never created or written. */
void config_learn_load(cfg_t *sec, const char *state_db,
    const struct state_conf *state, struct ruleset *rules,
    struct learn_conf *conf);

#endif
