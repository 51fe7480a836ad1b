/*
 * source.h - the configuration text as libconfuse is given it, and where
 * each of its lines came from.
 *
 * Two things are done to the file before libconfuse parses it:
 *  - every `include("FILE")` standing on a line of its own is replaced by
 *    the text of FILE (itself read the same way; relative paths resolve
 *    against the working directory, like every path of the file), so a
 *    category can live in a file of its own;
 *  - comments (`#` and `//` to the end of the line, `/ * ... * /` across
 *    lines) are blanked, line breaks kept: libconfuse 3.3 counts a line
 *    that holds a comment three times, so without this every error after
 *    the first comment named the wrong line.
 * The result keeps one output line per input line, and a map gives the
 * file and line of each, so that errors say "FILE:LINE: message" for the
 * file the mistake is in.
 *
 * Usage:
 *	struct config_source src;
 *	if (config_source_read(&src, path, err, errlen) < 0) ... err ...
 *	cfg_parse_buf(cfg, src.text.s);
 *	file = config_source_where(&src, cfg->line, &line);
 *	config_source_free(&src);
 */
#ifndef ABUSE_CONFIG_SOURCE_H
#define ABUSE_CONFIG_SOURCE_H

#include "util/util.h"

#define CONFIG_INCLUDE_DEPTH	8	/* include() inside include() ... */

struct config_srcline {
	int file;		/* index into files */
	int line;		/* 1-based line in that file */
};

/* config_glob - what one glob pattern named during this load */
struct config_glob {
	char *pattern;
	struct strvec names;	/* sorted; empty: none, or an error */
};

struct config_source {
	struct buf text;		/* what libconfuse parses */
	struct config_srcline *map;	/* one per line of text */
	size_t nlines, cap;
	struct strvec files;		/* files[0] is the main file */
	struct config_glob *globs;	/* config_source_glob's memo */
	size_t nglobs, globcap;
};

/* config_source_read - read path and what it includes; 0, or -1 with
 * "FILE:LINE: message" (or "FILE: message") in err. src is valid and
 * must be freed either way. */
int config_source_read(struct config_source *src, const char *path,
    char *err, size_t errlen);

/* config_source_where - file and line of line n (1-based) of src->text;
 * the main file and n itself when n is out of range */
const char *config_source_where(const struct config_source *src, int n,
    int *line);

void config_source_free(struct config_source *src);

/* config_source_glob - the files glob(3) pattern names, sorted, as
 * first seen by this load: the checks and the rule building ask for the
 * same phrase-list patterns, and each glob lists a directory, so a load
 * lists it once per pattern instead of twice per condition. NULL when
 * the pattern names no file or cannot be expanded. Owned by src. */
const struct strvec *config_source_glob(struct config_source *src,
    const char *pattern);

#endif
