/*
 * spool.c - the durable reply spool, see spool.h for the file layout and
 * the calling sequence.
 *
 * Durability rule: a job file only ever appears under its final name
 * complete and fsync'ed (temp file, fsync, rename, fsync of the
 * directory). The claim and requeue renames stay inside one directory,
 * so each of them is atomic.
 */
#include "reply/spool.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/fsdir.h"
#include "util/log.h"

#define SPOOL_MAGIC	"abuse-milter-job 1\n"

/* spool_init - create the directories and recover from a crash */
int
spool_init(const char *dir)
{
	char *failed = xasprintf("%s/failed", dir);
	struct dirent *de;
	DIR *d;
	int cleaned = 0, requeued = 0;

	if (fsdir_mkdirs(dir, 0700) != 0 || fsdir_mkdirs(failed, 0700) != 0) {
		log_msg(LOG_ERR, NULL, "spool: cannot create %s: %s", failed,
		    strerror(errno));
		free(failed);
		return -1;
	}
	free(failed);
	if ((d = opendir(dir)) == NULL) {
		log_msg(LOG_ERR, NULL, "spool: cannot read %s: %s", dir,
		    strerror(errno));
		return -1;
	}
	while ((de = readdir(d)) != NULL) {
		char *from = xasprintf("%s/%s", dir, de->d_name);

		if (strncmp(de->d_name, "t.", 2) == 0) {
			if (unlink(from) == 0)
				cleaned++;
		} else if (strncmp(de->d_name, "c.", 2) == 0) {
			char *to = xasprintf("%s/q.%s", dir, de->d_name + 2);

			if (rename(from, to) == 0)
				requeued++;
			free(to);
		}
		free(from);
	}
	closedir(d);
	if (cleaned || requeued) {
		fsdir_sync(dir);
		log_msg(LOG_NOTICE, NULL, "spool: %s: removed %d temporary "
		    "file(s), requeued %d claimed job(s)", dir, cleaned,
		    requeued);
	}
	return 0;
}

/* the text header lines of a job file, in file order: their key, where
 * struct spool_job keeps them, and whether they may be NULL (written as
 * ""). Writing, checking, reading and freeing a job all walk this one
 * table; the numbers follow them in the file (spool_format). */
static const struct spool_text {
	const char *key;
	size_t off;
	bool optional;
} spool_texts[] = {
	{ "sender", offsetof(struct spool_job, sender), false },
	{ "rcpt", offsetof(struct spool_job, rcpt), false },
	{ "category", offsetof(struct spool_job, category), false },
	{ "qid", offsetof(struct spool_job, qid), true },
	{ "case-id", offsetof(struct spool_job, case_id), true },
};
#define SPOOL_NTEXT	(sizeof(spool_texts) / sizeof(spool_texts[0]))

/* the number header lines, after the texts */
static const char *const spool_numbers[] = {
	"created", "attempts", "next-try", "length",
};
#define SPOOL_NNUMBER	(sizeof(spool_numbers) / sizeof(spool_numbers[0]))

/* spool_text - the field of job that spool_texts[i] describes */
static char **
spool_text(struct spool_job *job, size_t i)
{
	return (char **)((char *)job + spool_texts[i].off);
}

/* spool_text_get - the same field, read only; NULL stays NULL */
static const char *
spool_text_get(const struct spool_job *job, size_t i)
{
	return *(char *const *)((const char *)job + spool_texts[i].off);
}

/* spool_job_ok - every required value there, and each value stays on
 * its header line */
static bool
spool_job_ok(const struct spool_job *job)
{
	const char *v;

	for (size_t i = 0; i < SPOOL_NTEXT; i++) {
		v = spool_text_get(job, i);
		if (v == NULL ? !spool_texts[i].optional :
		    strpbrk(v, "\r\n") != NULL)
			return false;
	}
	return job->msg != NULL || job->len == 0;
}

/* spool_format - the header lines plus the message, as one buffer */
static void
spool_format(struct buf *b, const struct spool_job *job)
{
	const char *v;

	buf_puts(b, SPOOL_MAGIC);
	for (size_t i = 0; i < SPOOL_NTEXT; i++) {
		v = spool_text_get(job, i);
		buf_printf(b, "%s: %s\n", spool_texts[i].key, v ? v : "");
	}
	buf_printf(b, "created: %lld\n", (long long)job->created);
	buf_printf(b, "attempts: %u\n", job->attempts);
	buf_printf(b, "next-try: %lld\n", (long long)job->next_try);
	buf_printf(b, "length: %zu\n\n", job->len);
	buf_append(b, job->msg, job->len);
}

/* spool_put - write job durably to dir/final (temp, fsync, rename) */
static int
spool_put(const char *dir, const char *final, const struct spool_job *job)
{
	char *tmp = xasprintf("%s/t.XXXXXX", dir);
	char *dst = xasprintf("%s/%s", dir, final);
	struct buf b;
	size_t off = 0;
	int fd, rc = -1;

	buf_init(&b);
	spool_format(&b, job);
	if ((fd = mkostemp(tmp, O_CLOEXEC)) < 0) {
		log_msg(LOG_ERR, job->qid, "spool: cannot create a file in "
		    "%s: %s", dir, strerror(errno));
		goto out;
	}
	while (off < b.len) {
		ssize_t n = write(fd, b.s + off, b.len - off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		off += (size_t)n;
	}
	if (off != b.len || fsync(fd) != 0) {
		log_msg(LOG_ERR, job->qid, "spool: cannot write %s: %s", tmp,
		    strerror(errno));
		close(fd);
		unlink(tmp);
		goto out;
	}
	if (close(fd) != 0 || rename(tmp, dst) != 0) {
		log_msg(LOG_ERR, job->qid, "spool: cannot store %s: %s", dst,
		    strerror(errno));
		unlink(tmp);
		goto out;
	}
	/* the job is in place; only its survival of a power cut is in
	 * doubt, and taking it back now could lose it for sure */
	if (fsdir_sync_shared(dir) != 0)
		log_msg(LOG_WARNING, job->qid, "spool: cannot sync %s: %s",
		    dir, strerror(errno));
	rc = 0;
out:
	buf_free(&b);
	free(tmp);
	free(dst);
	return rc;
}

/* spool_new_name - unique per process and start time, sorting by age */
static char *
spool_new_name(void)
{
	static atomic_uint counter;
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return xasprintf("q.%011lld.%09ld.%ld.%u", (long long)ts.tv_sec,
	    ts.tv_nsec, (long)getpid(), atomic_fetch_add(&counter, 1));
}

/* spool_write - persist a new reply job */
int
spool_write(const char *dir, const struct spool_job *job, char **name_out)
{
	struct spool_job j = *job;
	char *name;

	if (!spool_job_ok(&j)) {
		/* not even the qid: it may be the value with the break */
		log_msg(LOG_ERR, NULL, "spool: refusing a job with a "
		    "missing value or a line break in a value");
		return -1;
	}
	if (j.created == 0)
		j.created = time(NULL);
	if (j.next_try == 0)
		j.next_try = j.created;
	if (j.msg == NULL)
		j.msg = "";
	name = spool_new_name();
	if (spool_put(dir, name, &j) != 0) {
		free(name);
		return -1;
	}
	if (name_out)
		*name_out = name;
	else
		free(name);
	return 0;
}

/* spool_cmp - qsort comparator for names */
static int
spool_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* spool_list - queued job names, oldest first */
int
spool_list(const char *dir, struct strvec *names)
{
	struct dirent *de;
	size_t first = names->n;
	DIR *d;

	if ((d = opendir(dir)) == NULL) {
		log_msg(LOG_ERR, NULL, "spool: cannot read %s: %s", dir,
		    strerror(errno));
		return -1;
	}
	while ((de = readdir(d)) != NULL)
		if (strncmp(de->d_name, "q.", 2) == 0 && de->d_name[2])
			strvec_push(names, de->d_name);
	closedir(d);
	if (names->n > first)
		qsort(names->v + first, names->n - first, sizeof(char *),
		    spool_cmp);
	return 0;
}

/* spool_rename_in - rename from -> to inside dir; durably when sync,
 * else it is only marked for the next sync */
static int
spool_rename_in(const char *dir, const char *from, const char *to, bool sync)
{
	char *a = xasprintf("%s/%s", dir, from);
	char *b = xasprintf("%s/%s", dir, to);
	int rc = rename(a, b);

	free(a);
	free(b);
	if (rc == 0) {
		if (sync)
			fsdir_sync_shared(dir);
		else
			fsdir_dirty(dir);
	}
	return rc;
}

/* spool_claimed - c.NAME for q.NAME */
static char *
spool_claimed(const char *qname)
{
	return xasprintf("c.%s", qname + (strncmp(qname, "q.", 2) ? 0 : 2));
}

/* spool_claim - take a queued job for this worker. Not synced: the
 * claim only keeps the other threads of this process off the job, and
 * after a crash spool_init turns c.NAME back into q.NAME, so it does
 * not matter whether the rename reached the disk. */
int
spool_claim(const char *dir, const char *qname)
{
	char *c = spool_claimed(qname);
	int rc = spool_rename_in(dir, qname, c, false);

	free(c);
	return rc;
}

/* spool_release - hand a claimed job back unchanged (not synced, for
 * the reason spool_claim is not) */
int
spool_release(const char *dir, const char *qname)
{
	char *c = spool_claimed(qname);
	int rc = spool_rename_in(dir, c, qname, false);

	if (rc != 0)
		log_msg(LOG_ERR, NULL, "spool: cannot requeue %s/%s: %s", dir,
		    c, strerror(errno));
	free(c);
	return rc;
}

/* spool_requeue - hand a claimed job back with new attempts/next-try */
int
spool_requeue(const char *dir, const char *qname,
    const struct spool_job *job)
{
	char *c = spool_claimed(qname);
	int rc = spool_put(dir, c, job);

	free(c);
	return rc == 0 ? spool_release(dir, qname) : -1;
}

/* spool_remove - a submitted job is done. The unlink is not synced at
 * once but marked dirty (util/fsdir.h): a crash of the process never
 * undoes it; only a power cut before the next directory sync (at most
 * SPOOL_FLUSH_SECS later) could bring the job back and send it again,
 * the same at-least-once window as a crash between sendmail's exit and
 * the unlink, a little wider. */
int
spool_remove(const char *dir, const char *qname)
{
	char *c = spool_claimed(qname);
	char *path = xasprintf("%s/%s", dir, c);
	int rc = unlink(path);

	if (rc != 0)
		log_msg(LOG_ERR, NULL, "spool: cannot remove %s: %s", path,
		    strerror(errno));
	else
		fsdir_dirty(dir);
	free(path);
	free(c);
	return rc;
}

/* spool_flush - see spool.h */
long
spool_flush(const char *dir, bool now)
{
	return fsdir_flush(dir, now ? 0 : SPOOL_FLUSH_SECS);
}

/* spool_fail - park a job or a corrupt file in failed/ */
int
spool_fail(const char *dir, const char *name, const char *qid,
    const char *why)
{
	const char *base = name;
	char *to;
	int rc;

	if (strncmp(base, "q.", 2) == 0 || strncmp(base, "c.", 2) == 0)
		base += 2;
	to = xasprintf("failed/%s", base);
	rc = spool_rename_in(dir, name, to, true);
	if (rc == 0) {
		char *failed = xasprintf("%s/failed", dir);

		fsdir_sync(failed);
		free(failed);
		log_msg(LOG_WARNING, qid && *qid ? qid : NULL, "spool: reply "
		    "job %s moved to %s/%s: %s", name, dir, to, why);
	} else
		log_msg(LOG_ERR, qid && *qid ? qid : NULL, "spool: cannot move "
		    "%s/%s to %s (%s): %s", dir, name, to, why,
		    strerror(errno));
	free(to);
	return rc;
}

/* spool_job_free - release what spool_read filled in */
void
spool_job_free(struct spool_job *job)
{
	for (size_t i = 0; i < SPOOL_NTEXT; i++)
		free(*spool_text(job, i));
	free(job->msg);
	memset(job, 0, sizeof(*job));
}

/* spool_number - a plain decimal number, nothing else; -1 if bad */
static long long
spool_number(const char *s)
{
	char *end;
	long long v;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno != 0 || *end != '\0')
		return -1;
	return v;
}

/* spool_key - the index of a header key: spool_texts first, then
 * spool_numbers; -1 for a key this version does not know */
static int
spool_key(const char *key)
{
	for (size_t i = 0; i < SPOOL_NTEXT; i++)
		if (strcmp(key, spool_texts[i].key) == 0)
			return (int)i;
	for (size_t k = 0; k < SPOOL_NNUMBER; k++)
		if (strcmp(key, spool_numbers[k]) == 0)
			return (int)(SPOOL_NTEXT + k);
	return -1;
}

/* spool_field - store one "key: value" line; false when it is bad.
 * Bit i of *seen stands for key i of spool_key. */
static bool
spool_field(struct spool_job *job, const char *key, const char *val,
    long long *length, unsigned *seen)
{
	int i = spool_key(key);
	long long v;

	if (i < 0)
		return true;		/* unknown keys: a newer writer */
	if (*seen & (1u << i))
		return false;
	*seen |= 1u << i;
	if ((size_t)i < SPOOL_NTEXT) {
		*spool_text(job, (size_t)i) = xstrdup(val);
		return true;
	}
	if ((v = spool_number(val)) < 0)
		return false;
	switch ((size_t)i - SPOOL_NTEXT) {
	case 0:
		job->created = (time_t)v;
		break;
	case 1:
		job->attempts = v > UINT_MAX ? UINT_MAX : (unsigned)v;
		break;
	case 2:
		job->next_try = (time_t)v;
		break;
	default:
		*length = v;
		break;
	}
	return true;
}

/* spool_parse - the header lines and the message; 0 or -1 */
static int
spool_parse(const char *s, size_t len, struct spool_job *job)
{
	size_t m = strlen(SPOOL_MAGIC), pos;
	long long length = -1;
	unsigned seen = 0;

	if (len < m || memcmp(s, SPOOL_MAGIC, m) != 0)
		return -1;
	for (pos = m;;) {
		const char *nl = memchr(s + pos, '\n', len - pos);
		char *line, *colon;
		bool ok;

		if (nl == NULL || memchr(s + pos, '\0',
		    (size_t)(nl - (s + pos))) != NULL)
			return -1;
		line = xstrndup(s + pos, (size_t)(nl - (s + pos)));
		pos = (size_t)(nl - s) + 1;
		if (*line == '\0') {
			free(line);
			break;
		}
		if ((colon = strstr(line, ": ")) == NULL
		    && (colon = strchr(line, ':')) == NULL) {
			free(line);
			return -1;
		}
		*colon = '\0';
		colon += colon[1] == ' ' ? 2 : 1;
		ok = spool_field(job, line, colon, &length, &seen);
		free(line);
		if (!ok)
			return -1;
	}
	if (seen != (1u << (SPOOL_NTEXT + SPOOL_NNUMBER)) - 1 || length < 0 ||
	    (size_t)length != len - pos)
		return -1;
	job->msg = xstrndup(s + pos, (size_t)length);
	job->len = (size_t)length;
	return 0;
}

/* spool_read - load one job file; a corrupt one is reported as -1 */
int
spool_read(const char *dir, const char *name, struct spool_job *job)
{
	char *path = xasprintf("%s/%s", dir, name), *s;
	size_t len = 0;
	int rc = -1;

	memset(job, 0, sizeof(*job));
	if ((s = util_read_file(path, &len)) != NULL &&
	    (rc = spool_parse(s, len, job)) != 0)
		spool_job_free(job);
	free(s);
	free(path);
	return rc;
}
