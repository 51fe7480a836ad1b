/*
 * testutil.h - small helpers shared by the unit tests (header only, so
 * each test program stays one source file in Makefile.am).
 */
#ifndef ABUSE_TESTUTIL_H
#define ABUSE_TESTUTIL_H

#include <ftw.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "util/util.h"

/* testutil_rm_one - nftw callback removing everything */
static inline int
testutil_rm_one(const char *path, const struct stat *st, int flag,
    struct FTW *f)
{
	(void)st; (void)flag; (void)f;
	return remove(path);
}

/* testutil_rm_rf - remove a scratch directory tree */
static inline int
testutil_rm_rf(const char *top)
{
	return nftw(top, testutil_rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

/* testutil_slurp - a whole file, malloc'd, or NULL */
static inline char *
testutil_slurp(const char *path)
{
	size_t len;

	return util_read_file(path, &len);
}

/* testutil_proc_gone - true when pid has exited (absent or a zombie) */
static inline bool
testutil_proc_gone(long pid)
{
	char *path = xasprintf("/proc/%ld/stat", pid);
	char *stat = testutil_slurp(path);
	char *rp = stat ? strrchr(stat, ')') : NULL;
	bool gone = stat == NULL || (rp && (rp[2] == 'Z' || rp[2] == 'X'));

	free(stat);
	free(path);
	return gone;
}

#endif
