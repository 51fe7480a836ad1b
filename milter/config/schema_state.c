/*
 * schema_state.c - the state { } section, see schema_state.h. A Redis
 * that cannot be reached or refuses the password is not an error here:
 * -n checks the file, not the network (the daemon checks the server at
 * start, redis_state_check). Errors go through cfg_error, which is
 * schema.c's error function: FILE:LINE like every other.
 */
#include "config/schema_state.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>


cfg_opt_t config_schema_state_opts[] = {
	CFG_STR("backend", "sqlite", CFGF_NONE),
	CFG_STR("url", "redis://127.0.0.1:6379/0", CFGF_NONE),
	CFG_STR("prefix", "abuse-milter:", CFGF_NONE),
	CFG_STR("password", "", CFGF_NONE),
	CFG_STR_LIST("sentinels", "{}", CFGF_NONE),
	CFG_STR("sentinel_master", "mymaster", CFGF_NONE),
	CFG_STR("timeout", "200ms", CFGF_NONE),
	CFG_END()
};

/* valid_backend - "sqlite" or "redis" */
static int
valid_backend(cfg_t *cfg, cfg_opt_t *opt)
{
	const char *v = cfg_opt_getnstr(opt, 0);

	if (strcmp(v, "sqlite") != 0 && strcmp(v, "redis") != 0) {
		cfg_error(cfg, "backend: unknown backend \"%s\" (want "
		    "\"sqlite\" or \"redis\")", v);
		return -1;
	}
	return 0;
}

/* valid_url - an address redis_conf.c can parse */
static int
valid_url(cfg_t *cfg, cfg_opt_t *opt)
{
	const char *v = cfg_opt_getnstr(opt, 0);
	struct redis_addr a;
	char err[160];

	if (redis_addr_parse(v, &a, err, sizeof(err)) != 0) {
		cfg_error(cfg, "url: %s: \"%s\"", err, v);
		return -1;
	}
	redis_addr_free(&a);
	return 0;
}

/* valid_sentinels - every entry HOST[:PORT] */
static int
valid_sentinels(cfg_t *cfg, cfg_opt_t *opt)
{
	char err[160], *host;
	int port;

	for (unsigned i = 0; i < cfg_opt_size(opt); i++) {
		const char *v = cfg_opt_getnstr(opt, i);

		if (redis_hostport_parse(v, REDIS_CONF_SENTINEL_PORT, &host,
		    &port, err, sizeof(err)) != 0) {
			cfg_error(cfg, "sentinels: %s: \"%s\"", err, v);
			return -1;
		}
		free(host);
	}
	return 0;
}

/* valid_timeout - 1 ms to a few seconds: a call that waits longer holds
 * a milter thread, and the fallback exists for exactly that case */
static int
valid_timeout(cfg_t *cfg, cfg_opt_t *opt)
{
	const char *v = cfg_opt_getnstr(opt, 0);

	if (redis_timeout_parse(v) < 0) {
		cfg_error(cfg, "timeout: \"%s\": want 1ms to %ds "
		    "(e.g. 200ms)", v, REDIS_CONF_TIMEOUT_MAX_MS / 1000);
		return -1;
	}
	return 0;
}

/* valid_word - prefix and sentinel_master are sent as they are: no
 * white space or control characters, which no key or name needs */
static int
valid_word(cfg_t *cfg, cfg_opt_t *opt)
{
	const char *v = cfg_opt_getnstr(opt, 0);

	for (const char *p = v; *p; p++)
		if (isspace((unsigned char)*p) || iscntrl((unsigned char)*p)) {
			cfg_error(cfg, "%s: no spaces or control "
			    "characters: \"%s\"", opt->name, v);
			return -1;
		}
	if (*v == '\0' && strcmp(opt->name, "sentinel_master") == 0) {
		cfg_error(cfg, "sentinel_master: empty");
		return -1;
	}
	return 0;
}

/* config_schema_state_checks - see schema_state.h */
void
config_schema_state_checks(cfg_t *cfg)
{
	cfg_set_validate_func(cfg, "state|backend", valid_backend);
	cfg_set_validate_func(cfg, "state|url", valid_url);
	cfg_set_validate_func(cfg, "state|sentinels", valid_sentinels);
	cfg_set_validate_func(cfg, "state|timeout", valid_timeout);
	cfg_set_validate_func(cfg, "state|prefix", valid_word);
	cfg_set_validate_func(cfg, "state|sentinel_master", valid_word);
}
