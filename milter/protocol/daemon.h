/*
 * daemon.h - process plumbing for main.c: the user, directories, socket
 * ownership, privileges, what the milter must be able to write, the log
 * file, detaching, and the SIGUSR1 reload thread (which also wakes
 * libmilter's listener when a stop was asked for). The pid file is
 * pidfile.h's.
 *
 * Start-up, in main.c's order:
 *	daemon_lookup_user, daemon_refuse_root	nothing is created before
 *						these (a refused start
 *						leaves no trace)
 *	daemon_socket_busy, daemon_log_open, daemon_prepare_dirs
 *	open the socket, daemon_socket_owner, daemon_listen_note
 *	daemon_drop
 *	daemon_check_spool, daemon_check_ledger	as the milter's user
 *	daemon_detach ... daemon_ready		stderr stays until ready
 */
#ifndef ABUSE_DAEMON_H
#define ABUSE_DAEMON_H

#include <stdbool.h>
#include <sys/types.h>

#include "config/config.h"

/* daemon_lookup_user - uid/gid of cfg->user / cfg->group (-1: unchanged) */
int daemon_lookup_user(const struct config *cfg, uid_t *uid, gid_t *gid);

/* daemon_refuse_root - -1 (logged) when we are root and no user is
 * configured to become */
int daemon_refuse_root(uid_t uid);

/* daemon_prepare_dirs - create the pidfile's and a unix socket's
 * directory when missing, for uid/gid (a directory that exists keeps
 * its owner); the spool and the ledger are made by the milter's user
 * later (daemon_check_spool, daemon_check_ledger) */
int daemon_prepare_dirs(const struct config *cfg, const char *socket,
    uid_t uid, gid_t gid);

/* daemon_socket_busy - 1 (logged) when something accepts connections
 * on the unix socket: libmilter would remove it and steal the socket of
 * a running milter. A stale socket (nobody listening) gives 0; a milter
 * that is stopping is given a moment (a restart). */
int daemon_socket_busy(const char *spec);

/* daemon_socket_owner - chown a unix socket to uid/gid */
int daemon_socket_owner(const char *socket, uid_t uid, gid_t gid);

/* daemon_listen_note - after the socket is open: remember its address
 * (to wake the listener at stop) and set TCP_NODELAY on a TCP socket
 * (libmilter's, which it does not expose; Linux hands the option on to
 * every accepted connection). Without it the filter's back-to-back small
 * replies at end of message wait for Postfix's delayed ACKs (40 ms).
 * Returns 1 when nothing was left undone. */
int daemon_listen_note(void);

/* daemon_drop - setgroups/setgid/setuid to uid/gid when we are root
 * (daemon_refuse_root said whether root may stay) */
int daemon_drop(uid_t uid, gid_t gid);

/* daemon_log_open - open log_file (NULL: back to syslog) for appending
 * and log there; a file made here is given to uid/gid. -1 (logged on
 * stderr) when it cannot be opened. */
int daemon_log_open(const char *path, uid_t uid, gid_t gid);

/* daemon_check_spool - make spool_dir and spool_dir/failed as the user
 * we are now and prove that a job file can be written there; -1
 * (logged) when not */
int daemon_check_spool(const char *dir);

/* daemon_check_ledger - open (create) the SQLite ledger for writing as
 * the user we are now; -1 (logged) when it cannot be */
int daemon_check_ledger(const char *path);

/* daemon_detach - fork into the background, new session, stdin and
 * stdout to /dev/null; stderr is kept until daemon_ready, so a start
 * that fails still says why on the terminal. The working directory is
 * kept (relative paths in the config resolve against it). The parent
 * waits and exits with the status the child passes to daemon_ready
 * (EX_SOFTWARE if it dies first). */
int daemon_detach(void);

/* daemon_ready - after detach: the start is over, stderr goes to
 * /dev/null, and the parent exits with status (0: running); a no-op in
 * the foreground */
void daemon_ready(int status);

/* daemon_block_signals - block SIGHUP, SIGTERM, SIGINT, SIGUSR1 and
 * SIGPIPE in the calling (main) thread, before any thread exists */
void daemon_block_signals(void);

/* daemon_reload_start - a thread that takes SIGUSR1 with sigwait and
 * swaps in a freshly loaded config (a bad file is logged, old kept) and
 * reopens the log file; between signals it asks stopping() (libmilter
 * was told to stop) and then wakes the listener, so that a stop takes a
 * fraction of a second instead of libmilter's 5 s poll */
int daemon_reload_start(const char *path, bool (*stopping)(void));
void daemon_reload_stop(void);

#endif
