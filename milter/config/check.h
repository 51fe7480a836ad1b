/*
 * check.h - value checks for the configuration loader: the parsers
 * return the value or -1, the config_check_* functions NULL when the
 * value is acceptable, or a static message. Pure functions, shared by
 * config.c, schema.c's libconfuse callbacks, main.c and tests.
 */
#ifndef ABUSE_CONFIG_CHECK_H
#define ABUSE_CONFIG_CHECK_H

#include <sys/types.h>

/* config_parse_duration - "30s", "5m", "24h", "7d", "2w", bare seconds;
 * -1 if bad */
long config_parse_duration(const char *s);
/* config_parse_size - "2M", "512k", "1G", "1MB", bare bytes; -1 if bad */
long long config_parse_size(const char *s);

const char *config_check_socket(const char *spec);
const char *config_check_umask(const char *s, mode_t *out);
const char *config_check_rate(const char *s, unsigned *count, unsigned *period);

/* the values of single options, each NULL or a static message:
 * durations, sizes above zero, log levels, on_error, reply.recipient,
 * reply.not_ours, mailbox patterns, CIDR blocks, reply.from (empty, or
 * with a usable address), reply.detail_separators, header_prefix */
const char *config_check_duration(const char *v);
const char *config_check_size(const char *v);
const char *config_check_log_level(const char *v);
const char *config_check_on_error(const char *v);
const char *config_check_recipient(const char *v);
const char *config_check_not_ours(const char *v);
const char *config_check_mailbox(const char *v);
const char *config_check_cidr(const char *v);
const char *config_check_from(const char *v);
const char *config_check_separators(const char *v);
const char *config_check_header_prefix(const char *v);

/* what a start needs: a user and a group that exist (or empty), a path
 * and a command that are not empty, a duration above 0, an address mail
 * can be routed to; each NULL or a static message */
const char *config_check_user(const char *v);
const char *config_check_group(const char *v);
const char *config_check_path(const char *v);
const char *config_check_command(const char *v);
const char *config_check_period(const char *v);
const char *config_check_address(const char *v);

#endif
