/*
 * redis_conf.c - the addresses of state { }, see redis_conf.h. Every
 * check a url can fail is made here, at load, so that a typo is a
 * FILE:LINE error of -n and not a Redis that is "unavailable" forever.
 */
#include "ledger/redis_conf.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* redis_number - all of [s, end) is a decimal number within [lo, hi];
 * the number, or -1 */
static long
redis_number(const char *s, const char *end, long lo, long hi)
{
	long n = 0;

	if (s == end || end - s > 9)
		return -1;
	for (; s < end; s++) {
		if (!isdigit((unsigned char)*s))
			return -1;
		n = n * 10 + (*s - '0');
	}
	return n >= lo && n <= hi ? n : -1;
}

/* redis_unescape - a copy of [s, end) with %XX decoded; NULL when an
 * escape is broken or decodes to NUL */
static char *
redis_unescape(const char *s, const char *end)
{
	char *out = xmalloc((size_t)(end - s) + 1), *o = out;
	unsigned v;

	while (s < end) {
		if (*s != '%') {
			*o++ = *s++;
			continue;
		}
		if (end - s < 3 || !isxdigit((unsigned char)s[1]) ||
		    !isxdigit((unsigned char)s[2]) ||
		    sscanf(s + 1, "%2x", &v) != 1 || v == 0) {
			free(out);
			return NULL;
		}
		*o++ = (char)v;
		s += 3;
	}
	*o = '\0';
	return out;
}

/* redis_hostport_parse - see redis_conf.h */
int
redis_hostport_parse(const char *s, int defport, char **host, int *port,
    char *err, size_t errlen)
{
	const char *end = s + strlen(s), *h = s, *hend, *colon;

	*host = NULL;
	if (*s == '[') {
		h = s + 1;
		if ((hend = strchr(h, ']')) == NULL) {
			snprintf(err, errlen, "no ']' after the IPv6 address");
			return -1;
		}
		colon = hend[1] == ':' ? hend + 1 : NULL;
		if (hend[1] != '\0' && colon == NULL) {
			snprintf(err, errlen, "want [ADDRESS]:PORT");
			return -1;
		}
	} else {
		colon = strrchr(s, ':');
		hend = colon ? colon : end;
		if (colon && memchr(s, ':', (size_t)(colon - s)) != NULL) {
			snprintf(err, errlen, "an IPv6 address goes in []");
			return -1;
		}
	}
	if (hend == h || strcspn(h, " \t/@?") < (size_t)(hend - h)) {
		snprintf(err, errlen, "no host name");
		return -1;
	}
	*port = colon ? (int)redis_number(colon + 1, end, 1, 65535) : defport;
	if (*port < 0) {
		snprintf(err, errlen, "bad port (want 1 to 65535)");
		return -1;
	}
	*host = xstrndup(h, (size_t)(hend - h));
	return 0;
}

/* redis_parse_userinfo - "[USER]:PASSWORD" or "PASSWORD" before '@' */
static int
redis_parse_userinfo(const char *s, const char *end, struct redis_addr *a,
    char *err, size_t errlen)
{
	const char *colon = memchr(s, ':', (size_t)(end - s));

	if (colon != NULL && colon > s)
		a->user = redis_unescape(s, colon);
	a->password = redis_unescape(colon ? colon + 1 : s, end);
	if ((colon != NULL && colon > s && a->user == NULL) ||
	    a->password == NULL) {
		snprintf(err, errlen, "bad %%-escape in the password");
		return -1;
	}
	return 0;
}

/* redis_parse_tcp - the part after "redis://" */
static int
redis_parse_tcp(const char *s, struct redis_addr *a, char *err,
    size_t errlen)
{
	const char *slash = strchr(s, '/'), *at, *hp;
	char *host;

	if (slash == NULL)
		slash = s + strlen(s);
	at = memchr(s, '@', (size_t)(slash - s));
	if (at != NULL && redis_parse_userinfo(s, at, a, err, errlen) != 0)
		return -1;
	hp = at ? at + 1 : s;
	host = xstrndup(hp, (size_t)(slash - hp));
	if (redis_hostport_parse(host, REDIS_CONF_PORT, &a->host, &a->port,
	    err, errlen) != 0) {
		free(host);
		return -1;
	}
	free(host);
	if (*slash == '/' && slash[1] != '\0' &&
	    (a->db = (int)redis_number(slash + 1, slash + strlen(slash), 0,
	    100000)) < 0) {
		snprintf(err, errlen, "bad database number after '/'");
		return -1;
	}
	return 0;
}

/* redis_parse_unix - the part after "unix:" */
static int
redis_parse_unix(const char *s, struct redis_addr *a, char *err,
    size_t errlen)
{
	const char *q = strchr(s, '?');

	if (*s != '/') {
		snprintf(err, errlen, "want unix:/absolute/path/redis.sock");
		return -1;
	}
	a->path = xstrndup(s, q ? (size_t)(q - s) : strlen(s));
	if (q != NULL && (strncmp(q, "?db=", 4) != 0 ||
	    (a->db = (int)redis_number(q + 4, q + strlen(q), 0, 100000)) < 0)) {
		snprintf(err, errlen, "after the path only ?db=NUMBER");
		return -1;
	}
	return 0;
}

/* redis_addr_parse - see redis_conf.h */
int
redis_addr_parse(const char *url, struct redis_addr *a, char *err,
    size_t errlen)
{
	int rc;

	memset(a, 0, sizeof(*a));
	if (url != NULL && strncmp(url, "redis://", 8) == 0)
		rc = redis_parse_tcp(url + 8, a, err, errlen);
	else if (url != NULL && strncmp(url, "unix:", 5) == 0)
		rc = redis_parse_unix(url + 5, a, err, errlen);
	else {
		snprintf(err, errlen, url != NULL && strncmp(url, "rediss:", 7)
		    == 0 ? "TLS (rediss://) is not supported" : "want "
		    "redis://[:PASSWORD@]HOST[:PORT][/DB] or "
		    "unix:/PATH[?db=DB]");
		rc = -1;
	}
	if (rc != 0)
		redis_addr_free(a);
	return rc;
}

/* redis_addr_free - see redis_conf.h */
void
redis_addr_free(struct redis_addr *a)
{
	free(a->host);
	free(a->path);
	free(a->user);
	free(a->password);
	memset(a, 0, sizeof(*a));
}

/* redis_timeout_parse - see redis_conf.h */
long
redis_timeout_parse(const char *s)
{
	const char *end;
	long n, mult = 1000;

	if (s == NULL || !isdigit((unsigned char)*s))
		return -1;
	for (end = s; isdigit((unsigned char)*end); end++)
		;
	if (strcmp(end, "ms") == 0)
		mult = 1;
	else if (strcmp(end, "s") != 0 && *end != '\0')
		return -1;
	n = redis_number(s, end, 1, REDIS_CONF_TIMEOUT_MAX_MS);
	if (n < 0 || n * mult > REDIS_CONF_TIMEOUT_MAX_MS)
		return -1;
	return n * mult;
}

/* state_conf_free - see redis_conf.h */
void
state_conf_free(struct state_conf *sc)
{
	free(sc->redis.url);
	free(sc->redis.prefix);
	free(sc->redis.password);
	strvec_free(&sc->redis.sentinels);
	free(sc->redis.sentinel_master);
	memset(sc, 0, sizeof(*sc));
}
