/*
 * schema_state.h - the state { } section of abuse-milter.conf: where
 * the reply history, the ledger and the learned data live (the SQLite
 * state_db alone, or Redis shared by several MX hosts with state_db as
 * the fallback). Its options, the checks of its values (FILE:LINE
 * errors, as schema.c reports them) and its conversion into struct
 * state_conf is config.c's to build (config_build_state). Used by
 * schema.c:
 *
 *	CFG_SEC("state", config_schema_state_opts, CFGF_NONE)
 *	config_schema_state_checks(cfg);	after cfg_init
 */
#ifndef ABUSE_CONFIG_SCHEMA_STATE_H
#define ABUSE_CONFIG_SCHEMA_STATE_H

#include <confuse.h>

#include "ledger/redis_conf.h"

extern cfg_opt_t config_schema_state_opts[];

/* config_schema_state_checks - install the checks of the section */
void config_schema_state_checks(cfg_t *cfg);

#endif
