/*
 * redis_conf.h - the state { } section as the program keeps it, and the
 * Redis addresses it names, parsed once here for config.c (to report a
 * bad one with its line) and for redis_conn.c (to connect).
 *
 * Address forms:
 *	redis://[[USER]:PASSWORD@]HOST[:PORT][/DB]	TCP; HOST may be
 *						[IPv6]; port 6379, db 0
 *	unix:/PATH/TO/redis.sock[?db=DB]	a local socket (the form
 *						of the milter's own socket)
 * USER and PASSWORD may use %XX escapes. A sentinel is "HOST[:PORT]"
 * (port 26379). TLS (rediss://) is not offered: hiredis in Debian 12 is
 * built without it, and one Redis on a private network does not need it.
 *
 * Usage:
 *	struct redis_addr a;
 *	if (redis_addr_parse(url, &a, err, sizeof err) != 0) ... err ...
 *	redis_addr_free(&a);
 */
#ifndef ABUSE_REDIS_CONF_H
#define ABUSE_REDIS_CONF_H

#include <stddef.h>

#include "util/util.h"

#define REDIS_CONF_TIMEOUT_MS		200	/* per call, by default */
#define REDIS_CONF_TIMEOUT_MAX_MS	5000
#define REDIS_CONF_PORT			6379
#define REDIS_CONF_SENTINEL_PORT	26379

enum state_backend {
	STATE_SQLITE,		/* state_db alone (the default) */
	STATE_REDIS,		/* Redis first, state_db when it is away */
};

/* redis_conf - the Redis keys of state { } */
struct redis_conf {
	char *url;
	char *prefix;		/* of every key, e.g. "abuse-milter:" */
	char *password;		/* NULL: the url's, if any */
	struct strvec sentinels;	/* "host:port"; empty: no Sentinel */
	char *sentinel_master;
	unsigned timeout_ms;	/* per call */
};

/* state_conf - the whole state { } section */
struct state_conf {
	enum state_backend backend;
	struct redis_conf redis;
};

/* redis_addr - one parsed address */
struct redis_addr {
	char *host;		/* NULL for a unix socket */
	int port;
	char *path;		/* the unix socket; NULL for TCP */
	int db;
	char *user;		/* NULL: none (AUTH with the password only) */
	char *password;		/* NULL: none */
};

/* redis_addr_parse - a url as above into *a (zeroed first); 0, or -1
 * with the reason in err (*a then holds nothing to free) */
int redis_addr_parse(const char *url, struct redis_addr *a, char *err,
    size_t errlen);
void redis_addr_free(struct redis_addr *a);

/* redis_hostport_parse - "HOST[:PORT]" or "[IPv6][:PORT]"; *host
 * malloc'd; 0, or -1 with the reason in err */
int redis_hostport_parse(const char *s, int defport, char **host, int *port,
    char *err, size_t errlen);

/* redis_timeout_parse - "200ms", "1s" (bare digits are seconds, as
 * everywhere in the file); milliseconds, or -1 unless 1 ms to
 * REDIS_CONF_TIMEOUT_MAX_MS */
long redis_timeout_parse(const char *s);

/* state_conf_free - what state { } holds */
void state_conf_free(struct state_conf *sc);

#endif
