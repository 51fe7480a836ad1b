/*
 * mailsrc.h - the messages a desk keeps, read for --learn and --forget:
 * single message files, mbox files, Maildirs and folders of messages.
 *
 * What a PATH is:
 *	"-"			standard input: a message or an mbox
 *	a file			an mbox when its first line starts with
 *				"From ", else one message (.eml)
 *	a directory with cur/ or new/
 *				a Maildir: every file of cur/ and new/
 *	any other directory	a folder: its files named *.eml or *.mbox, or
 *				named by digits alone (MH), and any other
 *				file that starts like mail (a header field or
 *				a From_ line; not a README or LABELS.tsv),
 *				each read as a file above; subfolders are
 *				not entered
 * Names starting with "." are skipped. Files are taken in name order.
 *
 * An mbox is split at each "From " line at its start or after an empty
 * line; the From_ line and the empty line before the next one are not
 * part of a message, and ">From " lines lose one ">" (mboxrd).
 *
 * Usage:
 *	struct mailsrc_sink s = {on_message, on_unreadable, arg};
 *	if (mailsrc_read(path, &s) != 0) ... errno: path itself unreadable
 */
#ifndef ABUSE_MAILSRC_H
#define ABUSE_MAILSRC_H

#include <stdbool.h>
#include <stddef.h>

#include "util/util.h"

/* mailsrc_sink - where the messages go */
struct mailsrc_sink {
	/* one message: where (a file, or "FILE:N" for the N-th message of
	 * an mbox) and its bytes (valid during the call only) */
	void (*message)(void *arg, const char *where, const char *raw,
	    size_t len);
	/* a file inside a Maildir or folder that cannot be read */
	void (*unreadable)(void *arg, const char *where, int err);
	void *arg;
};

/* mailsrc_read - every message of path to s; 0, or -1 with errno set
 * when path itself cannot be read */
int mailsrc_read(const char *path, const struct mailsrc_sink *s);

/* mailsrc_entries - the names in dir, in order, without "." and ".."
 * and, unless dots, without any name starting with "."; 0, or -1 with
 * errno set */
int mailsrc_entries(const char *dir, bool dots, struct strvec *out);

#endif
