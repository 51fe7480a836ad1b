/*
 * check.h - value checks for the configuration loader: each
 * returns NULL when the value is acceptable, or a static message.
 * Pure functions, shared by config.c's libconfuse callbacks and tests.
 */
#ifndef ABUSE_CONFIG_CHECK_H
#define ABUSE_CONFIG_CHECK_H

#include <sys/types.h>

const char *config_check_socket(const char *spec);
const char *config_check_umask(const char *s, mode_t *out);
const char *config_check_rate(const char *s, unsigned *count, unsigned *period);

#endif
