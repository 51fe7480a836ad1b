/*
 * fsdir.h - directories on disk: create a path with its parents, and
 * make a change inside a directory durable. Used by the reply spool, the
 * ledger's database directory and the daemon's start-up.
 *
 * Usage:
 *	if (fsdir_mkdirs("/var/spool/abuse-milter", 0700) != 0) ... errno ...
 *	rename(tmp, final); fsdir_sync("/var/spool/abuse-milter");
 */
#ifndef ABUSE_FSDIR_H
#define ABUSE_FSDIR_H

#include <sys/types.h>

/* fsdir_mkdirs - mkdir -p: path with mode and its missing parents with
 * 0755 (traversable by the user the milter becomes); 0, or -1 with errno
 * set (ENOTDIR when a part of the path is not a directory) */
int fsdir_mkdirs(const char *path, mode_t mode);

/* fsdir_sync - fsync the directory, so that a rename or unlink in it
 * survives a power cut; 0 or -1 */
int fsdir_sync(const char *dir);

#endif
