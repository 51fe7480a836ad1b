/*
 * learn_stats.c - --learn-stats; see learn_stats.h. The counts are read
 * once (categories only, no tokens), then set beside the configuration's
 * categories.
 *
 *	rc = learn_stats_print(cfg, stdout);
 */
#include "cli/learn_stats.h"

#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include "ledger/learned.h"

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
	struct learned_reader r = {.category = stats_on_cat};
	struct stats s = {0};
	char err[512];
	int rc = learned_read(cfg->state_db, &r, &s, err, sizeof(err)), used = 0;

	if (rc < 0) {
		fprintf(stderr, "abuse-milter: %s: %s\n", cfg->state_db, err);
		return EX_IOERR;
	}
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
	for (size_t i = 0; i < s.n; i++)
		free(s.v[i].name);
	free(s.v);
	return 0;
}
