/*
 * schema.h - the libconfuse option tables of abuse-milter.conf and
 * the callbacks that check values while the file is parsed, each error
 * written as "FILE:LINE: message" into the buffer config_schema_new was
 * given (the first error wins). Regex options are compiled as they are
 * read: the tree holds the compiled patterns. Used only by config.c:
 *
 *	cfg_t *cfg = config_schema_new(path, err, errlen);
 *	if (cfg_parse(cfg, path) == CFG_SUCCESS) ... build, taking patterns
 *	    with config_schema_take_pattern ...
 *	config_schema_free(cfg);
 */
#ifndef ABUSE_CONFIG_SCHEMA_H
#define ABUSE_CONFIG_SCHEMA_H

#include <confuse.h>

#include "config/source.h"
#include <stdbool.h>

#include "reply/reply_conf.h"
#include "util/util.h"

struct pattern;

/* config_schema_new - a fresh cfg_t with every option and check; errors
 * of this thread's parse go to err (path names the file in them) */
cfg_t *config_schema_new(struct config_source *src, char *err,
    size_t errlen);

/* config_schema_glob - config_source_glob on the load in progress (the
 * phrase lists' patterns: checked while parsing, expanded when the
 * rules are built) */
const struct strvec *config_schema_glob(const char *pattern);

/* config_schema_where - the file and line a section of the tree being
 * built stands on (include() lines were expanded before parsing) */
const char *config_schema_where(const cfg_t *sec, int *line);

/* config_schema_free - the tree (and patterns nobody took); errors stop
 * going to err */
void config_schema_free(cfg_t *cfg);

/* config_schema_recipient - "reply-to" | "from" | "return-path" */
enum reply_recipient config_schema_recipient(const char *s);

/* config_schema_take_pattern - the i-th compiled pattern of regex option
 * name in sec, now the caller's (the tree will not free it); NULL when
 * the option has no i-th value */
struct pattern *config_schema_take_pattern(cfg_t *sec, const char *name,
    unsigned i);

/* config_schema_str - a string option, malloc'd; NULL when unset or
 * empty */
char *config_schema_str(cfg_t *sec, const char *name);

/* config_schema_strlist - a list option copied into *out (initialised
 * here), lower-cased if asked */
void config_schema_strlist(cfg_t *sec, const char *name, struct strvec *out,
    bool lower);

#endif
