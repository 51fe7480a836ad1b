/*
 * learn_stats.h - --learn-stats: what the learner was taught, per
 * category, and whether the classifier uses it (doc/abuse-milter.8).
 *
 *	abuse-milter -c FILE --learn-stats
 *
 * One line per category of the configuration, in its order, then the
 * categories learned that the configuration no longer has:
 *
 *	category          messages    tokens  used
 *	spam                   120      9312  yes
 *	dmca                     4       802  no: fewer than min_messages (10)
 *
 * then one line saying whether the learner takes part in the weighing.
 * Reads state_db only through ledger/learned_read.c: never creates or
 * writes it.
 */
#ifndef ABUSE_LEARN_STATS_H
#define ABUSE_LEARN_STATS_H

#include <stdio.h>

#include "config/config.h"

/* learn_stats_print - the table on out; 0, or 74 (EX_IOERR) when
 * state_db cannot be read */
int learn_stats_print(const struct config *cfg, FILE *out);

#endif
