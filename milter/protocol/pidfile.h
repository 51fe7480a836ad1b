/*
 * pidfile.h - the pid file, locked for the life of the daemon.
 *
 * The lock (flock, inherited across the fork of daemon_detach) tells a
 * new start that the previous milter is still finishing (a restart right
 * after SIGTERM): it waits for it instead of sharing the spool with it.
 * The file is created by the milter's own user after privileges are
 * dropped, with mode 0644 whatever the umask: root later reads the pid
 * in it to send signals, so nobody else may write it.
 *
 * Usage (main.c):
 *	pidfile_open(cfg->pidfile)	after dropping privileges, before
 *					detaching: fails when it cannot be
 *					written or another milter keeps it
 *	pidfile_write()			after detaching: our pid
 *	pidfile_remove()		at exit
 */
#ifndef ABUSE_PIDFILE_H
#define ABUSE_PIDFILE_H

/* how long a start waits for a stopping milter to exit: its reply
 * worker may finish a submission for up to 7 s (worker.c) */
#define PIDFILE_WAIT_MS	15000

/* pidfile_open - create or open path and lock it; 0, or -1 (logged).
 * NULL path: no pid file, 0. */
int pidfile_open(const char *path);

/* pidfile_write - our pid into the open pid file; 0 or -1 (logged) */
int pidfile_write(void);

/* pidfile_remove - unlink the pid file, then let go of the lock */
void pidfile_remove(void);

#endif
