/*
 * log.h - diagnostics with fixed meanings, to syslog or (foreground) stderr.
 *
 * Priorities are syslog's: LOG_ERR (something failed), LOG_WARNING (bad
 * input or a degraded path), LOG_NOTICE, LOG_INFO (one line per message
 * handled), LOG_DEBUG. Per-message lines carry the Postfix queue id;
 * pass NULL where there is none.
 */
#ifndef ABUSE_LOG_H
#define ABUSE_LOG_H

#include <stdbool.h>
#include <syslog.h>

/* log_init - to_stderr: log to stderr instead of syslog; level: the
 * highest priority value still logged (LOG_INFO logs INFO and above) */
void log_init(const char *ident, bool to_stderr, int level);
void log_set_level(int level);

/* log_tee_stderr - with syslog, copy each line to stderr too: a daemon
 * starting from a terminal shows why it failed before it detaches */
void log_tee_stderr(bool on);

void log_msg(int prio, const char *qid, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* log_level_parse - "err", "warning", "notice", "info", "debug"; -1 if bad */
int log_level_parse(const char *name);

#endif
