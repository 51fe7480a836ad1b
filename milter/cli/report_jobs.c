/*
 * report_jobs.c - the oldest queued replies; see report_jobs.h. Job
 * names sort by creation time (spool.h), so the first names listed are
 * the oldest and only those files are read.
 */
#include "cli/report_jobs.h"

#include <stdlib.h>
#include <string.h>

#include "reply/spool.h"
#include "util/util.h"

/* report_jobs_load - see report_jobs.h */
void
report_jobs_load(const char *spool_dir, size_t max, struct report_jobs *j)
{
	struct strvec names;

	memset(j, 0, sizeof(*j));
	strvec_init(&names);
	if (spool_list(spool_dir, &names) != 0) {
		j->unreadable = 1;
		strvec_free(&names);
		return;
	}
	j->waiting = names.n;
	for (size_t i = 0; i < names.n && j->n < max; i++) {
		struct spool_job job;
		struct report_job *r;

		if (spool_read(spool_dir, names.v[i], &job) != 0) {
			spool_job_free(&job);	/* gone meanwhile, or corrupt */
			continue;
		}
		j->v = xgrow(j->v, &j->cap, j->n + 1, sizeof(*j->v));
		r = &j->v[j->n++];
		r->rcpt = xstrdup(job.rcpt);
		r->category = xstrdup(job.category);
		r->qid = xstrdup(job.qid);
		r->created = job.created;
		r->next_try = job.next_try;
		r->attempts = job.attempts;
		spool_job_free(&job);
	}
	strvec_free(&names);
}

/* report_jobs_free - see report_jobs.h */
void
report_jobs_free(struct report_jobs *j)
{
	for (size_t i = 0; i < j->n; i++) {
		free(j->v[i].rcpt);
		free(j->v[i].category);
		free(j->v[i].qid);
	}
	free(j->v);
	memset(j, 0, sizeof(*j));
}
