/*
 * testutil.h - small helpers shared by the unit tests (header only, so
 * each test program stays one source file in Makefile.am).
 */
#ifndef ABUSE_TESTUTIL_H
#define ABUSE_TESTUTIL_H

#include <ftw.h>
#include <stdio.h>
#include <sys/stat.h>

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

#endif
