/*
 * fsdir.c - directory creation, directory fsync and the group commit of
 * directory fsyncs; see fsdir.h.
 */
#include "util/fsdir.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "util/util.h"

/* fsdir_mkdirs - see fsdir.h */
int
fsdir_mkdirs(const char *path, mode_t mode)
{
	struct stat st;
	char *p, *s;
	int rc = 0;

	if (*path == '\0') {
		errno = ENOENT;
		return -1;
	}
	p = xstrdup(path);
	for (s = p + 1; rc == 0; s++) {
		if (*s != '/' && *s != '\0')
			continue;
		char c = *s;

		*s = '\0';
		/* parents must stay traversable for the user we become */
		if (mkdir(p, c == '\0' ? mode : 0755) != 0 && errno != EEXIST)
			rc = -1;
		else if (stat(p, &st) != 0 || !S_ISDIR(st.st_mode))
			rc = -1, errno = ENOTDIR;
		*s = c;
		if (c == '\0')
			break;
	}
	free(p);
	return rc;
}

/* fsdir_sync - see fsdir.h */
int
fsdir_sync(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int rc;

	if (fd < 0)
		return -1;
	rc = fsync(fd);
	close(fd);
	return rc;
}

/*
 * The group commit (fsdir_sync_shared): an fsync of a directory makes
 * every change made in it before the fsync began durable at once. So a
 * thread that needs one either starts it or, when one is running that
 * began before its change, waits for the next, which one of the waiters
 * starts for all of them: N threads arriving during one fsync share the
 * next. Nobody waits for a window to fill; a lone caller costs one
 * fsync, as fsdir_sync.
 *
 * One directory is served at a time (the spool: one process owns one);
 * a shared sync of another, while this one is busy, is done alone.
 */
static struct {
	pthread_mutex_t lock;
	pthread_cond_t done;
	char *dir;
	unsigned long asked;	/* syncs asked for so far */
	unsigned long synced;	/* asks covered by a finished fsync */
	bool busy;		/* an fsync is running */
	int err;		/* errno of the last fsync, 0: fine */
	time_t dirty;		/* since when changes wait for a sync; 0 */
	unsigned long fsyncs;	/* done for shared syncs and flushes */
} fsdir_gc = {
	.lock = PTHREAD_MUTEX_INITIALIZER,
	.done = PTHREAD_COND_INITIALIZER,
};

/* fsdir_gc_serves - does the group commit serve dir? Adopts dir when
 * it serves none or is idle. Call with the lock held. */
static bool
fsdir_gc_serves(const char *dir)
{
	if (fsdir_gc.dir != NULL && strcmp(fsdir_gc.dir, dir) == 0)
		return true;
	if (fsdir_gc.busy)
		return false;
	free(fsdir_gc.dir);
	fsdir_gc.dir = xstrdup(dir);
	fsdir_gc.dirty = 0;
	return true;
}

/* fsdir_sync_shared - see fsdir.h */
int
fsdir_sync_shared(const char *dir)
{
	unsigned long mine, upto;
	int err;

	pthread_mutex_lock(&fsdir_gc.lock);
	if (!fsdir_gc_serves(dir)) {
		pthread_mutex_unlock(&fsdir_gc.lock);
		return fsdir_sync(dir);
	}
	mine = ++fsdir_gc.asked;
	while (fsdir_gc.synced < mine) {
		if (fsdir_gc.busy) {
			pthread_cond_wait(&fsdir_gc.done, &fsdir_gc.lock);
			continue;
		}
		/* this fsync covers every ask made before it starts */
		fsdir_gc.busy = true;
		upto = fsdir_gc.asked;
		fsdir_gc.dirty = 0;
		pthread_mutex_unlock(&fsdir_gc.lock);
		err = fsdir_sync(dir) == 0 ? 0 : errno;
		pthread_mutex_lock(&fsdir_gc.lock);
		fsdir_gc.busy = false;
		fsdir_gc.fsyncs++;
		fsdir_gc.synced = upto;
		fsdir_gc.err = err;
		pthread_cond_broadcast(&fsdir_gc.done);
	}
	err = fsdir_gc.err;
	pthread_mutex_unlock(&fsdir_gc.lock);
	errno = err;
	return err == 0 ? 0 : -1;
}

/* fsdir_dirty - see fsdir.h */
void
fsdir_dirty(const char *dir)
{
	pthread_mutex_lock(&fsdir_gc.lock);
	if (fsdir_gc_serves(dir)) {
		if (fsdir_gc.dirty == 0)
			fsdir_gc.dirty = time(NULL);
		pthread_mutex_unlock(&fsdir_gc.lock);
		return;
	}
	pthread_mutex_unlock(&fsdir_gc.lock);
	fsdir_sync(dir);
}

/* fsdir_flush - see fsdir.h */
long
fsdir_flush(const char *dir, long after)
{
	time_t since;

	pthread_mutex_lock(&fsdir_gc.lock);
	since = fsdir_gc.dir != NULL && strcmp(fsdir_gc.dir, dir) == 0 ?
	    fsdir_gc.dirty : 0;
	pthread_mutex_unlock(&fsdir_gc.lock);
	if (since == 0)
		return 0;
	if (time(NULL) - since < after)
		return (long)(since + after - time(NULL));
	fsdir_sync_shared(dir);
	return 0;
}

/* fsdir_shared_fsyncs - see fsdir.h */
unsigned long
fsdir_shared_fsyncs(void)
{
	unsigned long n;

	pthread_mutex_lock(&fsdir_gc.lock);
	n = fsdir_gc.fsyncs;
	pthread_mutex_unlock(&fsdir_gc.lock);
	return n;
}
