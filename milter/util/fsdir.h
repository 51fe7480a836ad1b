/*
 * fsdir.h - directories on disk: create a path with its parents, and
 * make a change inside a directory durable, alone or shared with the
 * other threads that need the same directory synced at the same time.
 * Used by the reply spool, the ledger's database directory and the
 * daemon's start-up.
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

/* fsdir_sync_shared - fsdir_sync, but threads asking at the same time
 * share one fsync (a group commit, see fsdir.c): when it returns, every
 * change made in dir before the call is durable; 0, or -1 with errno */
int fsdir_sync_shared(const char *dir);

/* fsdir_dirty - a change was made in dir that must become durable soon
 * but need not be now: the next shared sync of dir covers it, or
 * fsdir_flush */
void fsdir_dirty(const char *dir);

/* fsdir_flush - sync dir when changes marked dirty have waited `after`
 * seconds or more (0: at once); 0 when nothing waits (any more), else
 * the seconds until they will have waited long enough */
long fsdir_flush(const char *dir, long after);

/* fsdir_shared_fsyncs - fsyncs done by fsdir_sync_shared and
 * fsdir_flush so far (for tests and statistics) */
unsigned long fsdir_shared_fsyncs(void);

#endif
