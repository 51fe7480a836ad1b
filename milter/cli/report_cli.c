/*
 * report_cli.c - the --report mode; see report_cli.h.
 */
#include "cli/report_cli.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/report_out.h"
#include "ledger/redis_report.h"
#include "util/util.h"

struct report_all {
	const struct config *cfg;
	const char *label;	/* what was read: state_db, or the Redis */
	struct ledger_report r;
	struct report_jobs j;
};

/* report_file - write one output through fn to path, by a temporary
 * file renamed into place; "-" is stdout. 0 or 1 (said on stderr). */
static int
report_file(const char *path, const struct report_all *a, bool html)
{
	char *tmp;
	FILE *f;
	int rc;

	if (strcmp(path, "-") == 0)
		return (html ? report_html_write(a->cfg, a->label, &a->r, &a->j,
		    stdout) : report_csv_write(a->cfg, &a->r, &a->j,
		    stdout)) == 0 ? 0 : 1;
	tmp = xasprintf("%s.tmp.%ld", path, (long)getpid());
	if ((f = fopen(tmp, "w")) == NULL) {
		fprintf(stderr, "abuse-milter: %s: %s\n", tmp, strerror(errno));
		free(tmp);
		return 1;
	}
	rc = html ? report_html_write(a->cfg, a->label, &a->r, &a->j, f)
	    : report_csv_write(a->cfg, &a->r, &a->j, f);
	if (fclose(f) != 0)
		rc = -1;
	if (rc == 0 && rename(tmp, path) != 0)
		rc = -1;
	if (rc != 0) {
		fprintf(stderr, "abuse-milter: %s: %s\n", path, strerror(errno));
		unlink(tmp);
	}
	free(tmp);
	return rc == 0 ? 0 : 1;
}

/* report_load - the fleet's report from Redis with state { backend =
 * "redis" }, this host's ledger otherwise or when Redis cannot be read
 * (said on stderr: the numbers are then one host's). *label is what
 * was read (malloc'd); 0 or 1. */
static int
report_load(const struct config *cfg, long since_seconds,
    struct ledger_report *r, char **label)
{
	char err[512];

	if (cfg->state.backend == STATE_REDIS) {
		if (redis_report_load(&cfg->state.redis, since_seconds, r, err,
		    sizeof(err)) == 0) {
			*label = redis_report_label(&cfg->state.redis);
			return 0;
		}
		fprintf(stderr, "abuse-milter: %s\nabuse-milter: redis "
		    "unreachable: this host's ledger only (%s)\n", err,
		    cfg->state_db);
	}
	*label = xstrdup(cfg->state_db);
	return ledger_report_load(cfg->state_db, since_seconds, r);
}

/* report_cli - see report_cli.h */
int
report_cli(const struct config *cfg, long since_seconds, const char *html,
    const char *csv)
{
	struct report_all a = { .cfg = cfg };
	char *label;
	int rc = 0;

	if (report_load(cfg, since_seconds, &a.r, &label) != 0) {
		free(label);
		return 1;
	}
	a.label = label;
	if (html == NULL && csv == NULL) {
		ledger_report_text(&a.r, label, stdout);
		ledger_report_free(&a.r);
		free(label);
		return 0;
	}
	report_jobs_load(cfg->spool_dir, REPORT_JOBS_MAX, &a.j);
	if (html != NULL)
		rc |= report_file(html, &a, true);
	if (csv != NULL)
		rc |= report_file(csv, &a, false);
	report_jobs_free(&a.j);
	ledger_report_free(&a.r);
	free(label);
	return rc;
}
