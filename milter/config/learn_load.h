/*
 * learn_load.h - the learner's part of loading a configuration: the
 * learn { } settings, and the snapshot of what was learned (state_db,
 * ledger/learned.h) turned into the model the rules are weighed with
 * (classify/learn.h). Loaded with the configuration, so a SIGUSR1 reload
 * brings what was learned since.
 *
 * Usage (config.c, once the categories are built):
 *	config_learn_load(cfg_getsec(tree, "learn"), c);
 *	... c->learn, c->rules.learned (NULL: the rules alone) ...
 */
#ifndef ABUSE_CONFIG_LEARN_LOAD_H
#define ABUSE_CONFIG_LEARN_LOAD_H

#include <confuse.h>

#include "config/config.h"

/* config_learn_load - c->learn from sec; with weight > 0 and learned
 * data in c->state_db that gives two categories or more, the model into
 * c->rules.learned. Never fails: what cannot be read is logged, and the
 * rules decide alone. Reads only: the database is never created or
 * written. */
void config_learn_load(cfg_t *sec, struct config *c);

#endif
