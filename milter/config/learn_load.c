/*
 * learn_load.c - the learn { } section and the learner's snapshot; see
 * learn_load.h. The counts come from ledger/learned_read.c (which never
 * creates or writes the database), or from Redis (redis_learned.c),
 * straight into the model's builder.
 *
 *	config_learn_load(cfg_getsec(tree, "learn"), state_db, &state,
 *	    &rules, &conf);
 */
#include "config/learn_load.h"

#include "ledger/learned.h"
#include "ledger/redis_learned.h"
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

/* learn_load_fleet - the fleet's counts from Redis into a new model; 1
 * nothing learned, -1 unreadable (warned: the caller falls back), else
 * 0 with the model in *lm */
static int
learn_load_fleet(const struct state_conf *state, struct ruleset *rules,
    const struct learn_conf *conf, struct learn_model **lm)
{
	struct learned_reader r = {learn_load_cat, learn_load_count};
	struct redis_learned *l = redis_learned_open(&state->redis);
	char err[512];
	int rc;

	*lm = learn_model_new(rules, conf);
	if ((rc = redis_learned_read(l, &r, *lm, err, sizeof(err))) < 0)
		log_msg(LOG_WARNING, NULL, "learned data in Redis not read (%s):"
		    " this host's own (state_db) instead", err);
	redis_learned_close(l);
	if (rc != 0) {
		/* a read that failed half way leaves half the counts */
		learn_model_free(*lm);
		*lm = NULL;
	}
	return rc;
}

/* learn_load_local - state_db's counts into a new model, as
 * learn_load_fleet */
static int
learn_load_local(const char *state_db, struct ruleset *rules,
    const struct learn_conf *conf, struct learn_model **lm)
{
	struct learned_reader r = {learn_load_cat, learn_load_count};
	char err[512];
	int rc;

	*lm = learn_model_new(rules, conf);
	if ((rc = learned_read(state_db, &r, *lm, err, sizeof(err))) < 0)
		log_msg(LOG_WARNING, NULL, "learned data in %s not used: %s",
		    state_db, err);
	if (rc != 0) {
		learn_model_free(*lm);
		*lm = NULL;
	}
	return rc;
}

/* config_learn_load - see learn_load.h */
void
config_learn_load(cfg_t *sec, const char *state_db,
    const struct state_conf *state, struct ruleset *rules,
    struct learn_conf *conf)
{
	struct learn_model *lm = NULL;
	size_t parts;
	int rc = -1;

	conf->weight = cfg_getfloat(sec, "weight");
	conf->min_messages = (unsigned)cfg_getint(sec, "min_messages");
	if (!(conf->weight > 0))
		return;
	if (state != NULL && state->backend == STATE_REDIS)
		rc = learn_load_fleet(state, rules, conf, &lm);
	if (rc < 0 && learn_load_local(state_db, rules, conf, &lm) != 0)
		return;
	if (lm == NULL)
		return;
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
