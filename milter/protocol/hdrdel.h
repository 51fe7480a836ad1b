/*
 * hdrdel.h - the incoming headers that carry our prefix, and the
 * smfi_chgheader(ctx, name, index, NULL) calls that delete them. Pure of
 * libmilter; callbacks.c feeds it each header name and, at end of
 * message, makes the calls.
 *
 * Usage:
 *	struct strvec ours;  strvec_init(&ours);
 *	hdrdel_note(&ours, cfg->header_prefix, name);	per header
 *	hdrdel_each(&ours, fn, arg);			at end of message
 *	strvec_free(&ours);
 */
#ifndef ABUSE_HDRDEL_H
#define ABUSE_HDRDEL_H

#include "util/util.h"

/* hdrdel_note - remember name when it starts with prefix (any case) */
void hdrdel_note(struct strvec *ours, const char *prefix, const char *name);

/* hdrdel_each - fn(name, index, arg) once per remembered header, each
 * name's highest index first, so that no deletion renumbers one still
 * to come. Returns -1 when any fn call did, else 0. */
int hdrdel_each(const struct strvec *ours,
    int (*fn)(const char *name, int index, void *arg), void *arg);

#endif
