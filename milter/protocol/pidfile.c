/*
 * pidfile.c - see pidfile.h.
 *
 * A stopping milter unlinks its pid file and then exits, which releases
 * the lock; a new start that was waiting for the lock may thus hold the
 * lock of a file that is no longer there. So after locking, the path
 * must still name the file we locked; if not, open it again.
 */
#include "protocol/pidfile.h"

#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "util/log.h"
#include "util/util.h"

static int pidfile_fd = -1;
static char *pidfile_path;

/* pidfile_user - the name of the user we run as, for messages; errno
 * is kept for the %m of the message it goes into */
static const char *
pidfile_user(void)
{
	int saved = errno;
	struct passwd *pw = getpwuid(geteuid());

	errno = saved;
	return pw != NULL ? pw->pw_name : "(unknown)";
}

/* pidfile_same - does path still name the file open on fd? */
static bool
pidfile_same(int fd, const char *path)
{
	struct stat a, b;

	return fstat(fd, &a) == 0 && stat(path, &b) == 0 &&
	    a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

/* pidfile_holder - the pid written in a locked pid file, or 0 */
static long
pidfile_holder(int fd)
{
	char buf[32];
	ssize_t n = pread(fd, buf, sizeof(buf) - 1, 0);

	if (n <= 0)
		return 0;
	buf[n] = '\0';
	return strtol(buf, NULL, 10);
}

/* pidfile_pause - 100 ms between two looks at the lock */
static void
pidfile_pause(void)
{
	struct timespec ts = {0, 100 * 1000000L};

	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

/* pidfile_open - see pidfile.h */
int
pidfile_open(const char *path)
{
	int fd, waited = 0;

	if (path == NULL)
		return 0;
	for (;;) {
		fd = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_NOCTTY |
		    O_CLOEXEC, 0644);
		if (fd < 0) {
			log_msg(LOG_ERR, NULL, "pid file %s: cannot write it as "
			    "user %s: %m", path, pidfile_user());
			return -1;
		}
		if (flock(fd, LOCK_EX | LOCK_NB) == 0) {
			if (pidfile_same(fd, path))
				break;
			close(fd);	/* unlinked by the one before us */
			continue;
		}
		if (errno != EWOULDBLOCK) {
			log_msg(LOG_ERR, NULL, "pid file %s: cannot lock it: %m",
			    path);
			close(fd);
			return -1;
		}
		if (waited >= PIDFILE_WAIT_MS) {
			log_msg(LOG_ERR, NULL, "pid file %s: abuse-milter (pid "
			    "%ld) is still running", path, pidfile_holder(fd));
			close(fd);
			return -1;
		}
		if (waited == 1000)
			log_msg(LOG_NOTICE, NULL, "waiting for abuse-milter (pid "
			    "%ld) to stop", pidfile_holder(fd));
		close(fd);
		pidfile_pause();
		waited += 100;
	}
	/* the umask (007 for the socket's group) must not decide who may
	 * write the pid that root will signal */
	if (fchmod(fd, 0644) != 0)
		log_msg(LOG_WARNING, NULL, "pid file %s: cannot chmod 0644: %m",
		    path);
	pidfile_fd = fd;
	pidfile_path = xstrdup(path);
	return 0;
}

/* pidfile_write - see pidfile.h */
int
pidfile_write(void)
{
	char buf[32];
	int n;

	if (pidfile_fd < 0)
		return 0;
	n = snprintf(buf, sizeof(buf), "%ld\n", (long)getpid());
	if (ftruncate(pidfile_fd, 0) != 0 ||
	    pwrite(pidfile_fd, buf, (size_t)n, 0) != n) {
		log_msg(LOG_ERR, NULL, "pid file %s: cannot write: %m",
		    pidfile_path);
		return -1;
	}
	return 0;
}

/* pidfile_remove - see pidfile.h */
void
pidfile_remove(void)
{
	if (pidfile_fd < 0)
		return;
	/* unlink before the lock goes: a start waiting for the lock then
	 * finds the path gone or new, never our stale file */
	if (pidfile_same(pidfile_fd, pidfile_path))
		unlink(pidfile_path);
	close(pidfile_fd);
	pidfile_fd = -1;
	free(pidfile_path);
	pidfile_path = NULL;
}
