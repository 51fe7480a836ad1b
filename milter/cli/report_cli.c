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
#include "util/util.h"

struct report_all {
	const struct config *cfg;
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
		return (html ? report_html_write(a->cfg, a->cfg->state_db, &a->r,
		    &a->j, stdout) : report_csv_write(a->cfg, &a->r, &a->j,
		    stdout)) == 0 ? 0 : 1;
	tmp = xasprintf("%s.tmp.%ld", path, (long)getpid());
	if ((f = fopen(tmp, "w")) == NULL) {
		fprintf(stderr, "abuse-milter: %s: %s\n", tmp, strerror(errno));
		free(tmp);
		return 1;
	}
	rc = html ? report_html_write(a->cfg, a->cfg->state_db, &a->r, &a->j, f)
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

/* report_cli - see report_cli.h */
int
report_cli(const struct config *cfg, long since_seconds, const char *html,
    const char *csv)
{
	struct report_all a = { .cfg = cfg };
	int rc = 0;

	if (ledger_report_load(cfg->state_db, since_seconds, &a.r) != 0)
		return 1;
	if (html == NULL && csv == NULL) {
		ledger_report_text(&a.r, cfg->state_db, stdout);
		ledger_report_free(&a.r);
		return 0;
	}
	report_jobs_load(cfg->spool_dir, REPORT_JOBS_MAX, &a.j);
	if (html != NULL)
		rc |= report_file(html, &a, true);
	if (csv != NULL)
		rc |= report_file(csv, &a, false);
	report_jobs_free(&a.j);
	ledger_report_free(&a.r);
	return rc;
}
