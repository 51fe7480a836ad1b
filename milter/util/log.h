/*
 * log.h - diagnostics with fixed meanings, to syslog, a log file or
 * stderr.
 *
 * Priorities are syslog's: LOG_ERR (something failed), LOG_WARNING (bad
 * input or a degraded path), LOG_NOTICE, LOG_INFO (one line per message
 * handled), LOG_DEBUG. Per-message lines carry the Postfix queue id;
 * pass NULL where there is none.
 *
 * Where a line goes:
 *	stderr      in the foreground (-f) and the offline modes, and while
 *	            a daemon is starting (log_tee_stderr), so a start that
 *	            fails says why on the terminal
 *	the file    when one is set (log_file_set: the `log_file` option)
 *	syslog      otherwise (mail facility)
 * With log_timestamps on, stderr and file lines start with the local
 * time and "abuse-milter[PID]:", as a syslog daemon would write them.
 */
#ifndef ABUSE_LOG_H
#define ABUSE_LOG_H

#include <stdbool.h>
#include <syslog.h>

/* log_init - to_stderr: log to stderr instead of syslog; level: the
 * highest priority value still logged (LOG_INFO logs INFO and above) */
void log_init(const char *ident, bool to_stderr, int level);
void log_set_level(int level);

/* log_tee_stderr - with syslog or a file, copy each line to stderr too:
 * a daemon starting from a terminal shows why it failed before it is
 * ready */
void log_tee_stderr(bool on);

/* log_timestamps - start stderr and file lines with the time and pid */
void log_timestamps(bool on);

/* log_file_set - write to the open file fd (O_APPEND) instead of
 * syslog; -1 goes back to syslog. The previous file is closed. */
void log_file_set(int fd);

void log_msg(int prio, const char *qid, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* log_level_parse - "err", "warning", "notice", "info", "debug"; -1 if bad */
int log_level_parse(const char *name);

#endif
