/*
 * check.c - syntax checks for configuration values that libconfuse
 * cannot type itself: durations, sizes, rate limits, socket specs, umask.
 */
#include "config/check.h"

#include <ctype.h>
#include <grp.h>
#include <pwd.h>
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "evidence/netset.h"
#include "parse/rfc5322.h"
#include "util/log.h"
#include "util/mailbox.h"

/* check_scaled - digits, then nothing or one unit letter out of units
 * (times the multiplier at the same place in mults; nocase: either
 * case), then, when tail is set, optionally that letter ("2MB"); -1 if
 * bad or the product exceeds max */
static long long
check_scaled(const char *s, const char *units, const long long *mults,
    bool nocase, char tail, long long max)
{
	const char *u;
	char *end;
	long long n, mult = 1;

	if (s == NULL || !isdigit((unsigned char)*s))
		return -1;
	errno = 0;
	n = strtoll(s, &end, 10);
	if (errno != 0 || n < 0)
		return -1;
	if (*end != '\0') {
		int c = nocase ? tolower((unsigned char)*end) : *end;

		if ((u = strchr(units, c)) == NULL)
			return -1;
		mult = mults[u - units];
		end++;
		if (*end != '\0' && !(tail != '\0' &&
		    tolower((unsigned char)*end) == tail && end[1] == '\0'))
			return -1;
	}
	if (n > max / mult)
		return -1;
	return n * mult;
}

/* config_parse_duration - "30s", "5m", "24h", "7d", "2w" or bare seconds */
long
config_parse_duration(const char *s)
{
	static const long long mults[] = {1, 60, 3600, 86400, 7 * 86400};

	return (long)check_scaled(s, "smhdw", mults, false, '\0', LONG_MAX);
}

/* config_parse_size - "2M", "512k", "1G" (binary units, "MB" too) or
 * bare bytes */
long long
config_parse_size(const char *s)
{
	static const long long mults[] = {1, 1024, 1024 * 1024,
	    1024LL * 1024 * 1024};

	return check_scaled(s, "bkmg", mults, true, 'b', LLONG_MAX);
}

/* config_check_port - a decimal port 1..65535 that ends at '@' or NUL */
static int
config_check_port(const char *s)
{
	char *end;
	long port;

	if (!isdigit((unsigned char)*s))
		return -1;
	port = strtol(s, &end, 10);
	if ((*end != '\0' && *end != '@') || port < 1 || port > 65535)
		return -1;
	return 0;
}

/* config_check_socket - see check.h */
const char *
config_check_socket(const char *spec)
{
	const char *rest;

	if (spec == NULL || *spec == '\0')
		return "empty socket";
	if (strncmp(spec, "unix:", 5) == 0 || strncmp(spec, "local:", 6) == 0) {
		rest = strchr(spec, ':') + 1;
		return *rest == '\0' ? "socket path is empty" : NULL;
	}
	if (strncmp(spec, "inet:", 5) == 0 || strncmp(spec, "inet6:", 6) == 0) {
		rest = strchr(spec, ':') + 1;
		if (config_check_port(rest) != 0)
			return "bad port in socket (want inet:PORT@HOST)";
		rest = strchr(rest, '@');
		if (rest != NULL && rest[1] == '\0')
			return "empty host in socket";
		return NULL;
	}
	if (spec[0] == '/')
		return NULL;	/* libmilter takes a bare path as unix: */
	return "bad socket (want unix:/path, inet:PORT@HOST or inet6:PORT@HOST)";
}

/* config_check_umask - see check.h */
const char *
config_check_umask(const char *s, mode_t *out)
{
	char *end;
	long v;

	if (s == NULL || *s == '\0')
		return "empty umask";
	v = strtol(s, &end, 8);
	if (*end != '\0' || v < 0 || v > 0777)
		return "bad umask (want octal, e.g. 007)";
	if (out != NULL)
		*out = (mode_t)v;
	return NULL;
}

/* config_check_rate - see check.h */
const char *
config_check_rate(const char *s, unsigned *count, unsigned *period)
{
	char *end;
	long n, p;

	if (s == NULL || strcmp(s, "0") == 0 || strcmp(s, "none") == 0) {
		if (count) *count = 0;
		if (period) *period = 0;
		return NULL;
	}
	if (!isdigit((unsigned char)*s))
		return "bad rate_limit (want N/duration, e.g. 5/1h)";
	n = strtol(s, &end, 10);
	if (*end != '/' || n < 1 || n > 1000000)
		return "bad rate_limit (want N/duration, e.g. 5/1h)";
	p = config_parse_duration(end + 1);
	if (p <= 0 || p > (long)UINT_MAX)
		return "bad rate_limit duration (want e.g. 1h, 1d)";
	if (count) *count = (unsigned)n;
	if (period) *period = (unsigned)p;
	return NULL;
}

/* config_check_duration - a duration (check.c) */
const char *
config_check_duration(const char *v)
{
	return config_parse_duration(v) < 0 ?
	    "bad duration (want e.g. 30s, 5m, 24h, 7d)" : NULL;
}

/* config_check_size - a size above zero (check.c) */
const char *
config_check_size(const char *v)
{
	return config_parse_size(v) <= 0 ? "bad size (want e.g. 2M)" : NULL;
}

/* config_check_log_level - a syslog level name */
const char *
config_check_log_level(const char *v)
{
	return log_level_parse(v) < 0 ?
	    "bad level (want err, warning, notice, info or debug)" : NULL;
}

/* config_check_on_error - accept or tempfail */
const char *
config_check_on_error(const char *v)
{
	return strcmp(v, "accept") && strcmp(v, "tempfail") ?
	    "bad value (want accept or tempfail)" : NULL;
}

/* config_check_recipient - who a reply goes to */
const char *
config_check_recipient(const char *v)
{
	return strcmp(v, "reply-to") && strcmp(v, "from") &&
	    strcmp(v, "return-path") && strcmp(v, "reply-to-unchecked") ?
	    "bad value (want reply-to, from, return-path or "
	    "reply-to-unchecked)" : NULL;
}

/* config_check_not_ours - what to do with a complaint about other addresses */
const char *
config_check_not_ours(const char *v)
{
	return strcmp(v, "suppress") && strcmp(v, "send") ?
	    "bad value (want suppress or send)" : NULL;
}

/* config_check_mailbox - a mailbox pattern (mailbox.h) */
const char *
config_check_mailbox(const char *v)
{
	return mailbox_pattern_valid(v) ? NULL :
	    "bad mailbox (want local@domain, *@domain or local@*)";
}

/* config_check_cidr - an address block */
const char *
config_check_cidr(const char *v)
{
	struct netset *ns = netset_new();
	int rc = netset_add_cidr(ns, v);

	netset_free(ns);
	return rc != 0 ? "bad network (want ADDRESS/LENGTH)" : NULL;
}

/* config_check_from - reply.from: empty, or with an address replies can use */
const char *
config_check_from(const char *v)
{
	char *addr;
	bool ok;

	if (*v == '\0')
		return NULL;
	addr = rfc5322_addr_first(v);
	ok = addr != NULL && rfc5322_addr_spec_valid(addr);
	free(addr);
	return ok ? NULL :
	    "no valid address (want e.g. \"Abuse Desk <abuse@example.org>\")";
}

/* config_check_separators - reply.detail_separators: characters that may
 * start a +detail ("" for none) */
const char *
config_check_separators(const char *v)
{
	return v[strspn(v, "+-_=.")] != '\0' ?
	    "bad separators (want some of + - _ = .)" : NULL;
}

/* config_check_header_prefix - a header name prefix: printable, no colon */
const char *
config_check_header_prefix(const char *v)
{
	if (*v == '\0')
		return "empty header prefix";
	for (const char *p = v; *p; p++)
		if (*p <= ' ' || *p >= 127 || *p == ':')
			return "bad header prefix (want e.g. X-Abuse-)";
	return NULL;
}

/* config_check_user - empty (stay who we are), or a user of this system:
 * -n finds a typo before a start would */
const char *
config_check_user(const char *v)
{
	return *v == '\0' || getpwnam(v) != NULL ? NULL : "no such user";
}

/* config_check_group - empty, or a group of this system */
const char *
config_check_group(const char *v)
{
	return *v == '\0' || getgrnam(v) != NULL ? NULL : "no such group";
}

/* config_check_path - a path that must be given */
const char *
config_check_path(const char *v)
{
	return *v == '\0' ? "empty path" : NULL;
}

/* config_check_command - reply.sendmail: a program, maybe arguments */
const char *
config_check_command(const char *v)
{
	return v[strspn(v, " \t")] == '\0' ? "empty command" : NULL;
}

/* config_check_period - a duration longer than 0 (a timeout of 0 would
 * kill every sendmail at once, a retry of 0 would spin) */
const char *
config_check_period(const char *v)
{
	long d = config_parse_duration(v);

	if (d < 0)
		return config_check_duration(v);
	return d == 0 ? "must be longer than 0" : NULL;
}

/* config_check_address - route and copy: one address mail can go to */
const char *
config_check_address(const char *v)
{
	char *addr = rfc5322_addr_first(v);
	bool ok = addr != NULL && rfc5322_addr_spec_valid(addr);

	free(addr);
	return ok ? NULL : "no valid address (want e.g. abuse-team@example.org)";
}
