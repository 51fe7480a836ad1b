/*
 * schema.h - the libconfuse option tables of abuse-milter.conf and
 * the callbacks that check values while the file is parsed. Used only by
 * config.c.
 */
#ifndef ABUSE_CONFIG_SCHEMA_H
#define ABUSE_CONFIG_SCHEMA_H

#include <confuse.h>

#include "config/config.h"

/* config_schema_new - a fresh cfg_t with every option and check */
cfg_t *config_schema_new(void);

/* config_schema_recipient - "reply-to" | "from" | "return-path" */
enum reply_recipient config_schema_recipient(const char *s);

/* config_schema_error - report through the load's error sink (config.c) */
void config_schema_error(cfg_t *cfg, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif
