/*
 * learn_load.c - the learn { } section and the learner's snapshot; see
 * learn_load.h. The counts come from ledger/learned_read.c (which never
 * creates or writes the database) straight into the model's builder.
 *
 *	config_learn_load(cfg_getsec(tree, "learn"), state_db, &rules,
 *	    &conf);
 */
#include "config/learn_load.h"

#include "ledger/learned.h"
#include "util/log.h"

/* learn_load_cat - one learned category into the model */
static void
learn_load_cat(void *arg, const char *name, long messages, long tokens)
{
	learn_model_category(arg, name, messages);
}

/* learn_load_count - one count into the model */
static void
learn_load_count(void *arg, const char *token, const char *category, long n)
{
	learn_model_count(arg, token, category, n);
}

/* config_learn_load - see learn_load.h */
void
config_learn_load(cfg_t *sec, const char *state_db, struct ruleset *rules,
    struct learn_conf *conf)
{
	struct learned_reader r = {learn_load_cat, learn_load_count};
	struct learn_model *lm;
	char err[512];
	size_t parts;
	int rc;

	conf->weight = cfg_getfloat(sec, "weight");
	conf->min_messages = (unsigned)cfg_getint(sec, "min_messages");
	if (!(conf->weight > 0))
		return;
	lm = learn_model_new(rules, conf);
	if ((rc = learned_read(state_db, &r, lm, err, sizeof(err))) != 0) {
		if (rc < 0)
			log_msg(LOG_WARNING, NULL, "learned data in %s not "
			    "used: %s", state_db, err);
		learn_model_free(lm);
		return;
	}
	if ((parts = learn_model_finish(lm)) < 2) {
		log_msg(LOG_DEBUG, NULL, "learner: %zu categories with %u "
		    "learned messages or more, it needs 2", parts,
		    conf->min_messages);
		learn_model_free(lm);
		return;
	}
	log_msg(LOG_DEBUG, NULL, "learner: %zu categories take part", parts);
	rules->learned = lm;
}
