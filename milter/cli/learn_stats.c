/*
 * learn_stats.c - --learn-stats; see learn_stats.h. The counts are read
 * once (categories only, no tokens): the fleet's from Redis with state {
 * backend = "redis" }, else or when Redis cannot be read this host's
 * state_db (said on stderr); then set beside the configuration's
 * categories.
 *
 *	rc = learn_stats_print(cfg, stdout);
 */
#include "cli/learn_stats.h"

#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include "ledger/learned.h"
#include "ledger/redis_learned.h"

/* stats_row - one learned category */
struct stats_row {
	char *name;
	long messages, tokens;
};

/* stats - what the database holds */
struct stats {
	struct stats_row *v;
	size_t n, cap;
};

/* stats_on_cat - learned_read: one category */
static void
stats_on_cat(void *arg, const char *name, long messages, long tokens)
{
	struct stats *s = arg;

	s->v = xgrow(s->v, &s->cap, s->n + 1, sizeof(*s->v));
	s->v[s->n++] = (struct stats_row){xstrdup(name), messages, tokens};
}

/* stats_clear - forget the rows (a read that failed half way) */
static void
stats_clear(struct stats *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->v[i].name);
	free(s->v);
	memset(s, 0, sizeof(*s));
}

/* stats_read - the categories as the classifier's snapshot would have
 * them (config/learn_load.c): Redis first when it is the backend; 0,
 * or -1 after a message on stderr */
static int
stats_read(const struct config *cfg, struct stats *s, FILE *out)
{
	struct learned_reader r = {.category = stats_on_cat};
	struct redis_learned *l;
	char err[512];
	int rc;

	if (cfg->state.backend == STATE_REDIS) {
		l = redis_learned_open(&cfg->state.redis);
		rc = redis_learned_read(l, &r, s, err, sizeof(err));
		redis_learned_close(l);
		if (rc >= 0) {
			fprintf(out, "learned data: Redis (every MX host)\n");
			return 0;
		}
		stats_clear(s);
		fprintf(stderr, "abuse-milter: %s\nabuse-milter: redis "
		    "unreachable: this host's learned data only (%s)\n", err,
		    cfg->state_db);
	}
	if (learned_read(cfg->state_db, &r, s, err, sizeof(err)) < 0) {
		fprintf(stderr, "abuse-milter: %s: %s\n", cfg->state_db, err);
		return -1;
	}
	return 0;
}

/* stats_find - the row of name, or NULL */
static const struct stats_row *
stats_find(const struct stats *s, const char *name)
{
	for (size_t i = 0; i < s->n; i++)
		if (strcmp(s->v[i].name, name) == 0)
			return &s->v[i];
	return NULL;
}

/* stats_line - one category's line; returns whether it is used */
static int
stats_line(const struct config *cfg, const char *name,
    const struct stats_row *r, bool configured, FILE *out)
{
	long msgs = r != NULL ? r->messages : 0;
	bool used = configured && msgs > 0 &&
	    msgs >= (long)cfg->learn.min_messages;

	fprintf(out, "%-17s %8ld %9ld  ", name, msgs, r != NULL ? r->tokens : 0);
	if (used)
		fprintf(out, "yes\n");
	else if (!configured)
		fprintf(out, "no: not a category of %s\n", cfg->path);
	else
		fprintf(out, "no: fewer than min_messages (%u)\n",
		    cfg->learn.min_messages);
	return used;
}

/* learn_stats_print - see learn_stats.h */
int
learn_stats_print(const struct config *cfg, FILE *out)
{
	struct stats s = {0};
	int used = 0;

	if (stats_read(cfg, &s, out) != 0)
		return EX_IOERR;
	fprintf(out, "%-17s %8s %9s  %s\n", "category", "messages", "tokens",
	    "used");
	for (size_t i = 0; i < cfg->rules.ncats; i++)
		used += stats_line(cfg, cfg->rules.cats[i].name,
		    stats_find(&s, cfg->rules.cats[i].name), true, out);
	for (size_t i = 0; i < s.n; i++)
		if (ruleset_find(&cfg->rules, s.v[i].name) == NULL)
			stats_line(cfg, s.v[i].name, &s.v[i], false, out);
	if (!(cfg->learn.weight > 0))
		fprintf(out, "learner: off (learn.weight = 0)\n");
	else if (used < 2)
		fprintf(out, "learner: not used: %d categor%s with %u learned "
		    "messages or more, it needs 2\n", used, used == 1 ? "y" :
		    "ies", cfg->learn.min_messages);
	else
		fprintf(out, "learner: used for %d categories, adding up to "
		    "%g (learn.weight)\n", used, cfg->learn.weight);
	stats_clear(&s);
	return 0;
}
