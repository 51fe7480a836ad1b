/*
 * log.c - one place for diagnostics. See log.h.
 *
 * Lines look like "QUEUEID: message" (Postfix style) so that a grep for a
 * queue id finds the milter's lines beside Postfix's own.
 */
#include "util/log.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "util/util.h"

static bool log_stderr = true;
static bool log_tee;		/* syslog and stderr: a daemon still attached */
static volatile int log_level = LOG_INFO;

static const struct {
	const char *name;
	int prio;
} log_levels[] = {
	{"err", LOG_ERR}, {"error", LOG_ERR}, {"warning", LOG_WARNING},
	{"notice", LOG_NOTICE}, {"info", LOG_INFO}, {"debug", LOG_DEBUG},
};

/* log_init - where lines go (syslog opened unless to_stderr), and the level */
void
log_init(const char *ident, bool to_stderr, int level)
{
	log_stderr = to_stderr;
	log_level = level;
	if (!to_stderr)
		openlog(ident, LOG_PID | LOG_NDELAY, LOG_MAIL);
}

/* log_tee_stderr - copy syslog lines to stderr too, or stop */
void
log_tee_stderr(bool on)
{
	log_tee = on;
}

/* log_set_level - the highest priority value still logged */
void
log_set_level(int level)
{
	log_level = level;
}

/* log_level_parse - a level name to its priority, -1 if unknown */
int
log_level_parse(const char *name)
{
	for (size_t i = 0; i < sizeof(log_levels) / sizeof(log_levels[0]); i++)
		if (strcasecmp(name, log_levels[i].name) == 0)
			return log_levels[i].prio;
	return -1;
}

/* log_prio_name - the word printed on stderr lines */
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

/* log_msg - one line "QUEUEID: message", if prio is within the level */
void
log_msg(int prio, const char *qid, const char *fmt, ...)
{
	struct buf b;
	va_list ap;
	int n;

	if (prio > log_level)
		return;
	buf_init(&b);
	if (qid != NULL && *qid != '\0')
		buf_printf(&b, "%s: ", qid);
	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n > 0) {
		char *tmp = xmalloc((size_t)n + 1);

		va_start(ap, fmt);
		vsnprintf(tmp, (size_t)n + 1, fmt, ap);
		va_end(ap);
		buf_append(&b, tmp, (size_t)n);
		free(tmp);
	}
	if (log_stderr || log_tee)
		fprintf(stderr, "abuse-milter: %s: %s\n", log_prio_name(prio), b.s);
	if (!log_stderr)
		syslog(prio, "%s", b.s);
	buf_free(&b);
}
