/*
 * mailbox.h - does an address belong to the abuse mailboxes?
 *
 * Patterns are "local@domain" (exact), "*@domain" (any local part) and
 * "local@*" (any domain). Matching ignores case, angle brackets around
 * the address and a "+detail" extension of the local part.
 */
#ifndef ABUSE_MAILBOX_H
#define ABUSE_MAILBOX_H

#include <stdbool.h>

#include "util/util.h"

/* mailbox_match - true when addr matches one of the patterns */
bool mailbox_match(const struct strvec *patterns, const char *addr);

/* mailbox_normalize - lower-cased bare address without <> and +detail;
 * NULL when addr has no '@' */
char *mailbox_normalize(const char *addr);

/* mailbox_pattern_valid - is this a pattern mailbox_match understands? */
bool mailbox_pattern_valid(const char *pattern);

#endif
