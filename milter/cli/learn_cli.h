/*
 * learn_cli.h - teaching the learner from the desk's own mail, like
 * sa-learn: --learn, --forget and --learn-stats (doc/abuse-milter.8).
 *
 *	abuse-milter -c FILE --learn CATEGORY PATH...
 *	abuse-milter -c FILE --learn auto-dirs DIR...
 *	abuse-milter -c FILE --forget CATEGORY PATH...
 *
 * PATH is a message, an mbox, a Maildir or a folder (cli/mailsrc.h).
 * With CATEGORY "auto-dirs" (unless the configuration has a category of
 * that name) each DIR holds one Maildir, folder or mbox per category,
 * named after it: see learn_cli_dir_category.
 *
 * The counts go to Redis with state { backend = "redis" } (every MX
 * host's classifier reads them there), and to the learner's tables in
 * state_db (ledger/learned.h),
 * in batches of LEARN_CLI_BATCH messages per transaction, so a milter
 * using the same file waits at most for one batch. The milter and
 * --classify see them from their next start or reload.
 *
 * Exit status: 0; 64 (EX_USAGE) for a category the configuration does
 * not define or no PATH; 66 (EX_NOINPUT) when a PATH cannot be read (the
 * others are still learned); 73 (EX_CANTCREAT) when state_db cannot be
 * opened; 74 (EX_IOERR) when writing it (or Redis) fails; 69
 * (EX_UNAVAILABLE) when state { backend = "redis" } names a Redis that
 * cannot be reached: nothing is learned then (learn_cli.c says why).
 */
#ifndef ABUSE_LEARN_CLI_H
#define ABUSE_LEARN_CLI_H

#include <stdbool.h>
#include <stdio.h>

#include "config/config.h"

#define LEARN_CLI_AUTO_DIRS	"auto-dirs"
#define LEARN_CLI_BATCH		64	/* messages per transaction */

/* learn_cli_run - --learn (forget false) or --forget CATEGORY PATH...;
 * the summary on out, problems on stderr; returns the exit status */
int learn_cli_run(const struct config *cfg, const char *category,
    bool forget, char **paths, int npaths, FILE *out);

/* learn_cli_dir_category - the category an entry of an auto-dirs DIR is
 * learned as: its name, without a leading "." (Maildir++) and a ".mbox"
 * suffix, in any case; failing that, the part after its last "."
 * (".Abuse.dmca"); NULL when no category has that name */
const struct category *learn_cli_dir_category(const struct config *cfg,
    const char *name);

#endif
