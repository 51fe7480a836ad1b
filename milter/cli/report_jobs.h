/*
 * report_jobs.h - the oldest replies still waiting in the spool, for
 * the HTML and CSV reports: a desk wants to see what has not gone out.
 */
#ifndef ABUSE_REPORT_JOBS_H
#define ABUSE_REPORT_JOBS_H

#include <stddef.h>
#include <time.h>

struct report_job {
	char *rcpt, *category, *qid;
	time_t created, next_try;
	unsigned attempts;
};

struct report_jobs {
	struct report_job *v;	/* oldest first */
	size_t n, cap;
	size_t waiting;		/* all queued jobs, also those not listed */
	int unreadable;		/* the spool could not be listed */
};

/* report_jobs_load - the max oldest queued jobs of spool_dir; a spool
 * that cannot be read gives none, with unreadable set */
void report_jobs_load(const char *spool_dir, size_t max,
    struct report_jobs *j);
void report_jobs_free(struct report_jobs *j);

#endif
