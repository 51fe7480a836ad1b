/*
 * cli.h - the offline modes of the binary: --classify, --explain and
 * --report. They share the milter's analysis code and send nothing.
 */
#ifndef ABUSE_CLI_H
#define ABUSE_CLI_H

#include <stdio.h>

#include "config/config.h"

/* cli_classify - one JSON line per file ("-" = stdin) on out; returns 0,
 * or 1 when an input could not be read (its line is still printed) */
int cli_classify(const struct config *cfg, char **files, int nfiles,
    FILE *out);

/* cli_explain - which rules matched each file and why */
int cli_explain(const struct config *cfg, char **files, int nfiles,
    bool brief, FILE *out);


#endif
