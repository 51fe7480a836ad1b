/*
 * log.c - one place for diagnostics. See log.h.
 *
 * Lines look like "QUEUEID: message" (Postfix style) so that a grep for a
 * queue id finds the milter's lines beside Postfix's own. On stderr and
 * in a log file each line is one write(2), so lines from many threads
 * never mix, and with timestamps on it starts the way a syslog daemon
 * would write it: "2026-12-01T10:00:00.123+01:00 abuse-milter[42]: ".
 */
#include "util/log.h"

#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "util/util.h"

static bool log_stderr = true;
static bool log_tee;		/* a daemon still attached to a terminal */
static bool log_stamp;
static bool log_syslog_open;
static const char *log_ident = "abuse-milter";
static volatile int log_level = LOG_INFO;
/* the log file; the lock keeps a reload from closing it under a write */
static pthread_mutex_t log_file_lock = PTHREAD_MUTEX_INITIALIZER;
static int log_fd = -1;

static const struct {
	const char *name;
	int prio;
} log_levels[] = {
	{"err", LOG_ERR}, {"error", LOG_ERR}, {"warning", LOG_WARNING},
	{"notice", LOG_NOTICE}, {"info", LOG_INFO}, {"debug", LOG_DEBUG},
};

/* log_init - see log.h */
void
log_init(const char *ident, bool to_stderr, int level)
{
	log_ident = ident;
	log_stderr = to_stderr;
	log_level = level;
	if (!to_stderr) {
		openlog(ident, LOG_PID | LOG_NDELAY, LOG_MAIL);
		log_syslog_open = true;
	}
}

/* log_tee_stderr - see log.h */
void
log_tee_stderr(bool on)
{
	log_tee = on;
}

/* log_timestamps - see log.h */
void
log_timestamps(bool on)
{
	log_stamp = on;
}

/* log_file_set - see log.h */
void
log_file_set(int fd)
{
	int old;

	pthread_mutex_lock(&log_file_lock);
	old = log_fd;
	log_fd = fd;
	pthread_mutex_unlock(&log_file_lock);
	if (old >= 0 && old != fd)
		close(old);
}

/* log_set_level - see log.h */
void
log_set_level(int level)
{
	log_level = level;
}

/* log_level_parse - see log.h */
int
log_level_parse(const char *name)
{
	for (size_t i = 0; i < sizeof(log_levels) / sizeof(log_levels[0]); i++)
		if (strcasecmp(name, log_levels[i].name) == 0)
			return log_levels[i].prio;
	return -1;
}

/* log_prio_name - the word printed on stderr and file lines */
static const char *
log_prio_name(int prio)
{
	switch (prio) {
	case LOG_EMERG: case LOG_ALERT: case LOG_CRIT: return "fatal";
	case LOG_ERR: return "error";
	case LOG_WARNING: return "warning";
	case LOG_NOTICE: return "notice";
	case LOG_INFO: return "info";
	default: return "debug";
	}
}

/* log_stamp_now - "2026-12-01T10:00:00.123+01:00 " into b: local time,
 * as the rest of the machine's logs, with the offset so it is never
 * ambiguous */
static void
log_stamp_now(struct buf *b)
{
	struct timespec ts;
	struct tm tm;
	char day[32], zone[8];

	clock_gettime(CLOCK_REALTIME, &ts);
	localtime_r(&ts.tv_sec, &tm);
	strftime(day, sizeof(day), "%Y-%m-%dT%H:%M:%S", &tm);
	strftime(zone, sizeof(zone), "%z", &tm);	/* +0100 */
	buf_printf(b, "%s.%03ld%.3s:%s ", day, ts.tv_nsec / 1000000L, zone,
	    zone[0] != '\0' ? zone + 3 : "00");
}

/* log_write_all - write a whole line, retrying short writes */
static void
log_write_all(int fd, const char *s, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, s, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return;	/* nowhere left to say so */
		s += w;
		n -= (size_t)w;
	}
}

/* log_msg - see log.h */
void
log_msg(int prio, const char *qid, const char *fmt, ...)
{
	struct buf msg, line;
	va_list ap;
	int saved = errno;	/* %m in fmt means the caller's errno */
	bool file;

	if (prio > log_level)
		return;
	buf_init(&msg);
	if (qid != NULL && *qid != '\0')
		buf_printf(&msg, "%s: ", qid);
	va_start(ap, fmt);
	errno = saved;
	buf_vprintf(&msg, fmt, ap);
	va_end(ap);
	buf_init(&line);
	if (log_stamp) {
		log_stamp_now(&line);
		buf_printf(&line, "%s[%ld]: ", log_ident, (long)getpid());
	} else {
		buf_printf(&line, "%s: ", log_ident);
	}
	buf_printf(&line, "%s: %s\n", log_prio_name(prio), msg.s);
	if (log_stderr || log_tee)
		log_write_all(STDERR_FILENO, line.s, line.len);
	pthread_mutex_lock(&log_file_lock);
	file = log_fd >= 0;
	if (file)
		log_write_all(log_fd, line.s, line.len);
	pthread_mutex_unlock(&log_file_lock);
	if (!log_stderr && !file)
		syslog(prio, "%s", msg.s);
	buf_free(&line);
	buf_free(&msg);
	errno = saved;
}
