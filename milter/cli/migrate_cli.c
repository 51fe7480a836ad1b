/*
 * migrate_cli.c - --migrate-state, see migrate_cli.h.
 */
#include "cli/migrate_cli.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <time.h>
#include <unistd.h>

#include "ledger/ledger_export.h"
#include "ledger/redis_state.h"

struct migrate {
	struct redis_state *rs;
	struct ledger_limits lim;
	time_t since;		/* replies newer than this keep their place
				 * in the windows */
	long complaints, replies, cases;
};

/* migrate_complaint - one ledger row into the stream */
static int
migrate_complaint(void *arg, const struct ledger_complaint *c)
{
	struct migrate *m = arg;

	if (redis_state_record_complaint(m->rs, c) != 0)
		return 1;
	m->complaints++;
	return 0;
}

/* migrate_reply - one reply: whole inside a window, else its case */
static int
migrate_reply(void *arg, const struct ledger_reply *r, time_t when)
{
	struct migrate *m = arg;
	bool recent = when > m->since;

	if (!recent && (r->case_id == NULL || *r->case_id == '\0'))
		return 0;
	if (redis_state_reply_record(m->rs, r, &m->lim, when, recent ?
	    REDIS_RECORD_ONLY : REDIS_RECORD_CASE) != 0)
		return 1;
	if (recent)
		m->replies++;
	else
		m->cases++;
	return 0;
}

/* migrate_start - connect and claim the migration; 0 or an exit status */
static int
migrate_start(const struct config *cfg, struct migrate *m)
{
	char err[512], *prev, *value, when[32];
	time_t now = time(NULL);
	int rc;

	/* before anything is marked in Redis: a path that names no file */
	if (access(cfg->state_db, R_OK) != 0) {
		fprintf(stderr, "abuse-milter: --migrate-state: state_db %s: "
		    "%s\n", cfg->state_db, strerror(errno));
		return EX_NOINPUT;
	}
	if (redis_state_check(m->rs, err, sizeof(err)) != 0) {
		fprintf(stderr, "abuse-milter: --migrate-state: %s\n", err);
		return EX_UNAVAILABLE;
	}
	strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S UTC", gmtime(&now));
	value = xasprintf("from %s on %s", cfg->state_db, when);
	rc = redis_state_mark(m->rs, "migrated", value, &prev);
	free(value);
	if (rc < 0) {
		fprintf(stderr, "abuse-milter: --migrate-state: redis %s: "
		    "unavailable\n", redis_state_where(m->rs));
		return EX_UNAVAILABLE;
	}
	if (rc > 0) {
		fprintf(stderr, "abuse-milter: --migrate-state: already done "
		    "(%s): a second copy would count every reply twice; delete "
		    "the key %smigrated to copy again\n", prev,
		    cfg->state.redis.prefix);
		free(prev);
		return EX_CANTCREAT;
	}
	return 0;
}

/* migrate_cli - see migrate_cli.h */
int
migrate_cli(const struct config *cfg, FILE *out)
{
	struct ledger_export_reader rd = { migrate_complaint, migrate_reply };
	const struct reply_conf *rc = &cfg->reply;
	struct migrate m = { .lim = { rc->rate_count, rc->rate_period,
	    rc->max_per_hour, rc->max_per_domain } };
	unsigned keep = rc->rate_period > LEDGER_CAP_PERIOD ? rc->rate_period
	    : LEDGER_CAP_PERIOD;
	char err[512];
	int st;

	if (cfg->state.backend != STATE_REDIS) {
		fprintf(stderr, "abuse-milter: --migrate-state: %s has no "
		    "state { backend = \"redis\" }\n", cfg->path);
		return EX_CONFIG;
	}
	/* a Redis that closes the connection mid-copy must be an error
	 * message, not a SIGPIPE that kills us without one */
	signal(SIGPIPE, SIG_IGN);
	m.rs = redis_state_open(&cfg->state.redis);
	m.since = time(NULL) - (time_t)keep;
	if ((st = migrate_start(cfg, &m)) == 0 &&
	    (st = ledger_export(cfg->state_db, &rd, &m, err, sizeof(err)))
	    != 0) {
		if (st < 0)
			fprintf(stderr, "abuse-milter: --migrate-state: %s\n",
			    err);
		else
			fprintf(stderr, "abuse-milter: --migrate-state: redis "
			    "%s stopped answering\n", redis_state_where(m.rs));
		fprintf(stderr, "abuse-milter: --migrate-state: partly done: "
		    "%ld complaints, %ld replies, %ld answered cases copied\n",
		    m.complaints, m.replies, m.cases);
		st = st < 0 ? EX_DATAERR : EX_UNAVAILABLE;
	}
	if (st == 0)
		fprintf(out, "copied %ld complaints, %ld replies inside their "
		    "windows and %ld older answered cases from %s to redis "
		    "%s\n", m.complaints, m.replies, m.cases, cfg->state_db,
		    redis_state_where(m.rs));
	redis_state_close(m.rs);
	return st;
}
