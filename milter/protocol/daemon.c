/*
 * daemon.c - see daemon.h. Order matters and is main.c's job:
 * look up the user -> refuse what cannot work (nothing created yet) ->
 * register -> socket and pid-file directories -> umask -> open socket ->
 * chown socket -> drop privileges -> as the milter's user: spool,
 * ledger, pid file -> detach -> threads -> ready -> smfi_main.
 */
#include "protocol/daemon.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <libgen.h>
#include <poll.h>
#include <pthread.h>
#include <pwd.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <time.h>
#include <unistd.h>

#include "ledger/ledger.h"
#include "protocol/notify.h"
#include "util/fsdir.h"
#include "util/log.h"

/* how long a start waits for a milter that is stopping to let go of
 * the socket (it does within a tick of the reload thread) */
#define DAEMON_SOCKET_WAIT_MS	3000
/* how often the reload thread looks whether libmilter was told to stop */
#define DAEMON_TICK_MS		200

static pthread_t reload_thread;
static bool reload_running;
static atomic_bool reload_quit;
static char *reload_path;
static bool (*reload_stopping)(void);
static struct sockaddr_storage listen_addr;	/* to wake the listener */
static socklen_t listen_len;

/* daemon_sleep_ms - a short pause while waiting for another process */
static void
daemon_sleep_ms(long ms)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};

	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

/* daemon_lookup_user - see daemon.h */
int
daemon_lookup_user(const struct config *cfg, uid_t *uid, gid_t *gid)
{
	*uid = (uid_t)-1;
	*gid = (gid_t)-1;
	if (cfg->user != NULL) {
		struct passwd *pw = getpwnam(cfg->user);

		if (pw == NULL) {
			log_msg(LOG_ERR, NULL, "unknown user \"%s\" (create "
			    "it: adduser --system --group %s)", cfg->user,
			    cfg->user);
			return -1;
		}
		*uid = pw->pw_uid;
		*gid = pw->pw_gid;
	}
	if (cfg->group != NULL) {
		struct group *gr = getgrnam(cfg->group);

		if (gr == NULL) {
			log_msg(LOG_ERR, NULL, "unknown group \"%s\"", cfg->group);
			return -1;
		}
		*gid = gr->gr_gid;
	}
	return 0;
}

/* daemon_refuse_root - see daemon.h */
int
daemon_refuse_root(uid_t uid)
{
	if (uid != (uid_t)-1 || geteuid() != 0)
		return 0;
	log_msg(LOG_ERR, NULL, "refusing to run as root: set user (user = "
	    "\"root\" if you really mean it)");
	return -1;
}

/* daemon_whoami - the name of the user we run as, for messages; errno
 * is kept for the %m of the message it goes into */
static const char *
daemon_whoami(void)
{
	static __thread char name[64];
	int saved = errno;
	struct passwd *pw = getpwuid(geteuid());

	errno = saved;
	if (pw != NULL)
		snprintf(name, sizeof(name), "%s", pw->pw_name);
	else
		snprintf(name, sizeof(name), "uid %ld", (long)geteuid());
	return name;
}

/* daemon_mkdir_for - create the directory a file will live in, when it
 * is missing, and give it to uid/gid: /run is emptied at boot, and the
 * socket must be there before privileges are dropped. A directory that
 * exists keeps its owner: a pid file in /run or a socket in Postfix's
 * private/ must not hand those directories to our user. */
static int
daemon_mkdir_for(const char *file, uid_t uid, gid_t gid, mode_t mode)
{
	char *copy = xstrdup(file), *dir = dirname(copy);
	struct stat st;
	bool existed = stat(dir, &st) == 0;
	int rc = 0;

	if (fsdir_mkdirs(dir, mode) != 0) {
		log_msg(LOG_ERR, NULL, "cannot create %s: %m", dir);
		rc = -1;
	} else if (!existed && (uid != (uid_t)-1 || gid != (gid_t)-1) &&
	    chown(dir, uid, gid) != 0) {
		log_msg(LOG_ERR, NULL, "cannot chown %s: %m", dir);
		rc = -1;
	}
	free(copy);
	return rc;
}

/* daemon_socket_path - the file of a unix socket spec, or NULL */
static const char *
daemon_socket_path(const char *socket)
{
	if (strncmp(socket, "unix:", 5) == 0)
		return socket + 5;
	if (strncmp(socket, "local:", 6) == 0)
		return socket + 6;
	return socket[0] == '/' ? socket : NULL;
}

/* daemon_prepare_dirs - see daemon.h */
int
daemon_prepare_dirs(const struct config *cfg, const char *socket,
    uid_t uid, gid_t gid)
{
	const char *sock = daemon_socket_path(socket);
	int rc = 0;

	if (cfg->pidfile != NULL)
		rc |= daemon_mkdir_for(cfg->pidfile, uid, gid, 0755);
	if (sock != NULL)
		rc |= daemon_mkdir_for(sock, uid, gid, 0755);
	return rc;
}

/* daemon_socket_accepts - does something accept connections on path? */
static bool
daemon_socket_accepts(const char *path)
{
	struct sockaddr_un sun = {.sun_family = AF_UNIX};
	bool busy;
	int fd;

	strcpy(sun.sun_path, path);
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0)
		return false;
	busy = connect(fd, (struct sockaddr *)&sun, sizeof(sun)) == 0;
	close(fd);
	return busy;
}

/* daemon_socket_busy - see daemon.h */
int
daemon_socket_busy(const char *spec)
{
	const char *path = daemon_socket_path(spec);
	struct sockaddr_un sun;

	if (path == NULL || strlen(path) >= sizeof(sun.sun_path))
		return 0;
	/* a milter told to stop a moment ago (a restart) still listens
	 * until its reload thread notices: give it that moment */
	for (int waited = 0; daemon_socket_accepts(path); waited += 100) {
		if (waited >= DAEMON_SOCKET_WAIT_MS) {
			log_msg(LOG_ERR, NULL, "%s: another milter is listening "
			    "there (already running?)", path);
			return 1;
		}
		daemon_sleep_ms(100);
	}
	return 0;
}

/* daemon_socket_owner - see daemon.h */
int
daemon_socket_owner(const char *socket, uid_t uid, gid_t gid)
{
	const char *sock = daemon_socket_path(socket);

	/* group alone counts too: a milter started as its own user (no
	 * `user`) still gives the socket to Postfix's group */
	if (sock == NULL || (uid == (uid_t)-1 && gid == (gid_t)-1))
		return 0;
	if (chown(sock, uid, gid) != 0) {
		log_msg(LOG_ERR, NULL, "cannot chown %s: %m", sock);
		return -1;
	}
	return 0;
}

/* daemon_drop - see daemon.h */
int
daemon_drop(uid_t uid, gid_t gid)
{
	if (uid == (uid_t)-1 || geteuid() != 0)
		return 0;	/* not root, or root on purpose */
	if (setgroups(1, &gid) != 0 || setgid(gid) != 0 || setuid(uid) != 0) {
		log_msg(LOG_ERR, NULL, "cannot drop privileges: %m");
		return -1;
	}
	return 0;
}

/* daemon_log_open - see daemon.h */
int
daemon_log_open(const char *path, uid_t uid, gid_t gid)
{
	struct stat st;
	bool existed;
	int fd;

	if (path == NULL) {
		log_file_set(-1);
		return 0;
	}
	existed = stat(path, &st) == 0;
	fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_NOCTTY | O_CLOEXEC,
	    0640);
	if (fd < 0) {
		log_msg(LOG_ERR, NULL, "log_file %s: cannot open as user %s: %m",
		    path, daemon_whoami());
		return -1;
	}
	/* a file we made goes to the milter's user, so that it can reopen
	 * it on SIGUSR1 (after a rotation) without root */
	if (!existed && (uid != (uid_t)-1 || gid != (gid_t)-1) &&
	    fchown(fd, uid, gid) != 0)
		log_msg(LOG_WARNING, NULL, "log_file %s: cannot chown: %m", path);
	log_file_set(fd);
	return 0;
}

/* daemon_check_spool - see daemon.h */
int
daemon_check_spool(const char *dir)
{
	char *failed = xasprintf("%s/failed", dir);
	char *probe = xasprintf("%s/t.start-XXXXXX", dir);
	int fd, rc = -1;

	if (fsdir_mkdirs(dir, 0700) != 0) {
		log_msg(LOG_ERR, NULL, "spool_dir %s: cannot create it as user "
		    "%s: %m", dir, daemon_whoami());
	} else if (fsdir_mkdirs(failed, 0700) != 0) {
		log_msg(LOG_ERR, NULL, "spool_dir %s: cannot create it as user "
		    "%s: %m", failed, daemon_whoami());
	} else if ((fd = mkstemp(probe)) < 0) {
		log_msg(LOG_ERR, NULL, "spool_dir %s: not writable by user "
		    "%s: %m", dir, daemon_whoami());
	} else if (close(fd), unlink(probe), access(failed, W_OK | X_OK) != 0) {
		log_msg(LOG_ERR, NULL, "spool_dir %s: not writable by user "
		    "%s: %m", failed, daemon_whoami());
	} else {
		rc = 0;
	}
	free(failed);
	free(probe);
	return rc;
}

/* daemon_check_ledger - see daemon.h */
int
daemon_check_ledger(const char *path)
{
	struct ledger *st = ledger_open(path);
	bool ok = ledger_available(st);

	ledger_close(st);
	if (!ok)
		log_msg(LOG_ERR, NULL, "state_db %s: cannot open the ledger "
		    "for writing as user %s (the reason is above)", path,
		    daemon_whoami());
	return ok ? 0 : -1;
}

static int daemon_ready_fd = -1;	/* the waiting parent, after detach */

/* daemon_detach - see daemon.h */
int
daemon_detach(void)
{
	int fd, p[2];
	pid_t pid;
	char code;
	ssize_t n;

	if (pipe2(p, O_CLOEXEC) != 0 || (pid = fork()) < 0)
		return -1;
	if (pid > 0) {
		/* exit only when the child is ready (or gave up): the pid
		 * file exists then, and a failed start is not exit 0 */
		close(p[1]);
		while ((n = read(p[0], &code, 1)) < 0 && errno == EINTR)
			;
		_exit(n == 1 ? (unsigned char)code : EX_SOFTWARE);
	}
	close(p[0]);
	daemon_ready_fd = p[1];
	if (setsid() < 0)
		return -1;
	/* stderr stays until daemon_ready: what goes wrong before then is
	 * still said on the terminal of whoever started us */
	if ((fd = open("/dev/null", O_RDWR)) >= 0) {
		dup2(fd, 0);
		dup2(fd, 1);
		if (fd > 2)
			close(fd);
	}
	return 0;
}

/* daemon_ready - see daemon.h */
void
daemon_ready(int status)
{
	char code = (char)status;
	int fd;

	if (daemon_ready_fd < 0)
		return;
	log_tee_stderr(false);
	if ((fd = open("/dev/null", O_RDWR)) >= 0) {
		dup2(fd, 2);
		if (fd > 2)
			close(fd);
	}
	if (write(daemon_ready_fd, &code, 1) != 1)
		log_msg(LOG_WARNING, NULL, "cannot tell the parent: %m");
	close(daemon_ready_fd);
	daemon_ready_fd = -1;
}

/* daemon_block_signals - see daemon.h */
void
daemon_block_signals(void)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGUSR1);
	sigaddset(&set, SIGPIPE);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
}

/* daemon_reload_once - load the file anew and swap it in if it is good;
 * the log file is reopened either way (log rotation) */
static void
daemon_reload_once(void)
{
	char err[1024];
	struct config *fresh = config_load(reload_path, err, sizeof(err));
	struct config *live;

	(void)notify_reloading();
	if (fresh == NULL) {
		log_msg(LOG_ERR, NULL, "reload failed, keeping the old "
		    "configuration: %s", err);
	} else {
		log_set_level(fresh->log_level);
		config_swap(fresh);
	}
	if ((live = config_current()) != NULL) {
		daemon_log_open(live->log_file, (uid_t)-1, (gid_t)-1);
		config_unref(live);
	}
	if (fresh != NULL) {
		log_msg(LOG_NOTICE, NULL, "configuration reloaded from %s "
		    "(socket, user, group, umask, pidfile, spool_dir, state_db "
		    "and reply.workers changes need a restart)", reload_path);
		/* fresh is the live config: only this thread swaps */
		config_exit_list_note(fresh, time(NULL));
	}
	(void)notify_send("READY=1");
}

/* daemon_wake_listener - connect to our own socket once: libmilter's
 * listener holds its lock through a 5 s poll() and looks at its stop
 * flag only after that poll returns, so a connection makes it stop now
 * rather than up to 5 s later. The connection itself is an empty
 * session: libmilter reads EOF and closes it. */
static void
daemon_wake_listener(void)
{
	struct sockaddr_storage ss = listen_addr;
	int fd;

	if (listen_len == 0)
		return;
	/* a listener on every address is reachable on loopback */
	if (ss.ss_family == AF_INET &&
	    ((struct sockaddr_in *)&ss)->sin_addr.s_addr == htonl(INADDR_ANY))
		((struct sockaddr_in *)&ss)->sin_addr.s_addr =
		    htonl(INADDR_LOOPBACK);
	if (ss.ss_family == AF_INET6 && IN6_IS_ADDR_UNSPECIFIED(
	    &((struct sockaddr_in6 *)&ss)->sin6_addr))
		((struct sockaddr_in6 *)&ss)->sin6_addr = in6addr_loopback;
	/* never block the reload thread (stop joins it): a connection
	 * that does not complete within one tick is given up */
	if ((fd = socket(ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC |
	    SOCK_NONBLOCK, 0)) < 0)
		return;
	if (connect(fd, (struct sockaddr *)&ss, listen_len) != 0 &&
	    errno == EINPROGRESS) {
		struct pollfd p = {.fd = fd, .events = POLLOUT};

		(void)poll(&p, 1, DAEMON_TICK_MS);
	}
	close(fd);
}

/* daemon_reload_main - take SIGUSR1 (reload); between signals, every
 * tick, look whether libmilter was told to stop (it takes SIGTERM,
 * SIGINT and SIGHUP itself) and if so wake its listener */
static void *
daemon_reload_main(void *arg)
{
	struct timespec tick = {0, DAEMON_TICK_MS * 1000000L};
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	while (!atomic_load(&reload_quit)) {
		int sig = sigtimedwait(&set, NULL, &tick);

		if (atomic_load(&reload_quit))
			break;
		if (sig == SIGUSR1)
			daemon_reload_once();
		else if (reload_stopping != NULL && reload_stopping())
			daemon_wake_listener();
	}
	return NULL;
}

/* daemon_reload_start - see daemon.h */
int
daemon_reload_start(const char *path, bool (*stopping)(void))
{
	reload_path = xstrdup(path);
	reload_stopping = stopping;
	if (pthread_create(&reload_thread, NULL, daemon_reload_main, NULL) != 0)
		return -1;
	reload_running = true;
	return 0;
}

/* daemon_reload_stop - see daemon.h */
void
daemon_reload_stop(void)
{
	if (!reload_running)
		return;
	atomic_store(&reload_quit, true);
	pthread_kill(reload_thread, SIGUSR1);
	pthread_join(reload_thread, NULL);
	reload_running = false;
	free(reload_path);
}

/* daemon_listen_fd - libmilter's listening socket (it does not expose
 * it): the one descriptor that accepts connections, or -1 */
static int
daemon_listen_fd(void)
{
	int max = (int)sysconf(_SC_OPEN_MAX);

	if (max <= 0 || max > 65536)
		max = 65536;
	for (int fd = 3; fd < max; fd++) {
		int listening = 0;
		socklen_t il = sizeof(int);

		if (getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &listening,
		    &il) == 0 && listening)
			return fd;
	}
	return -1;
}

/* daemon_listen_note - see daemon.h */
int
daemon_listen_note(void)
{
	int fd = daemon_listen_fd(), on = 1;

	listen_len = sizeof(listen_addr);
	if (fd < 0 || getsockname(fd, (struct sockaddr *)&listen_addr,
	    &listen_len) != 0) {
		listen_len = 0;
		return 0;
	}
	if (listen_addr.ss_family != AF_INET && listen_addr.ss_family !=
	    AF_INET6)
		return 1;
	if (setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof(on)) != 0) {
		log_msg(LOG_WARNING, NULL, "could not set TCP_NODELAY on the "
		    "milter socket: %m");
		return 0;
	}
	return 1;
}
