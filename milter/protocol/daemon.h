/*
 * daemon.h - process plumbing for main.c: directories, socket ownership,
 * privileges, detaching, the pid file, and the SIGUSR1 reload thread.
 */
#ifndef ABUSE_DAEMON_H
#define ABUSE_DAEMON_H

#include <stdbool.h>
#include <sys/types.h>

#include "config/config.h"

/* daemon_lookup_user - uid/gid of cfg->user / cfg->group (-1: unchanged) */
int daemon_lookup_user(const struct config *cfg, uid_t *uid, gid_t *gid);

/* daemon_prepare_dirs - create spool_dir, the state_db and pidfile
 * directories and a unix socket's directory; spool_dir is given to
 * uid/gid, the others only when they did not exist before */
int daemon_prepare_dirs(const struct config *cfg, const char *socket,
    uid_t uid, gid_t gid);

/* daemon_socket_busy - 1 (logged) when something accepts connections
 * on the unix socket: libmilter would remove it and steal the socket of
 * a running milter. A stale socket (nobody listening) gives 0. */
int daemon_socket_busy(const char *spec);

/* daemon_socket_owner - chown a unix socket to uid/gid */
int daemon_socket_owner(const char *socket, uid_t uid, gid_t gid);

/* daemon_listen_nodelay - set TCP_NODELAY on our listening TCP sockets
 * (libmilter's, which it does not expose); Linux hands the option on to
 * every accepted connection. Without it the filter's back-to-back small
 * replies at end of message wait for Postfix's delayed ACKs (40 ms).
 * Returns how many sockets it set. */
int daemon_listen_nodelay(void);

/* daemon_drop - setgroups/setgid/setuid; refuses to stay root unless
 * the config names root as user */
int daemon_drop(const struct config *cfg, uid_t uid, gid_t gid);

/* daemon_detach - fork into the background, new session, stdio to
 * /dev/null; the working directory is kept (relative paths in the
 * config resolve against it). The parent waits and exits with the
 * status the child passes to daemon_ready (EX_SOFTWARE if it dies
 * first). */
int daemon_detach(void);

/* daemon_ready - after detach: the start is over, let the parent exit
 * with status (0: running); a no-op in the foreground */
void daemon_ready(int status);

int daemon_pidfile_write(const char *path);
void daemon_pidfile_remove(const char *path);

/* daemon_block_signals - block SIGHUP, SIGTERM, SIGINT, SIGUSR1 and
 * SIGPIPE in the calling (main) thread, before any thread exists */
void daemon_block_signals(void);

/* daemon_reload_start - a thread that takes SIGUSR1 with sigwait and
 * swaps in a freshly loaded config (a bad file is logged, old kept) */
int daemon_reload_start(const char *path);
void daemon_reload_stop(void);

#endif
