/*
 * daemon.c - see daemon.h. Order matters and is main.c's job:
 * register -> umask -> open socket -> chown socket -> drop privileges ->
 * detach -> pid file -> threads -> smfi_main.
 */
#include "protocol/daemon.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <libgen.h>
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
#include <sys/socket.h>
#include <unistd.h>

#include "util/fsdir.h"
#include "util/log.h"

static pthread_t reload_thread;
static bool reload_running;
static atomic_bool reload_quit;
static char *reload_path;

/* daemon_lookup_user - see daemon.h */
int
daemon_lookup_user(const struct config *cfg, uid_t *uid, gid_t *gid)
{
	*uid = (uid_t)-1;
	*gid = (gid_t)-1;
	if (cfg->user != NULL) {
		struct passwd *pw = getpwnam(cfg->user);

		if (pw == NULL) {
			log_msg(LOG_ERR, NULL, "unknown user \"%s\"", cfg->user);
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

/* daemon_mkdir_for - create the directory a file will live in. Only a
 * directory made here is given to uid/gid: a pid file in /run or a socket
 * in Postfix's private/ must not hand those directories to our user. */
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
	} else if (!existed && uid != (uid_t)-1 && chown(dir, uid, gid) != 0) {
		log_msg(LOG_WARNING, NULL, "cannot chown %s: %m", dir);
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

	if (fsdir_mkdirs(cfg->spool_dir, 0700) != 0) {
		log_msg(LOG_ERR, NULL, "cannot create %s: %m", cfg->spool_dir);
		rc = -1;
	} else if (uid != (uid_t)-1 && chown(cfg->spool_dir, uid, gid) != 0) {
		log_msg(LOG_WARNING, NULL, "cannot chown %s: %m", cfg->spool_dir);
	}
	rc |= daemon_mkdir_for(cfg->state_db, uid, gid, 0750);
	if (cfg->pidfile != NULL)
		rc |= daemon_mkdir_for(cfg->pidfile, uid, gid, 0755);
	if (sock != NULL)
		rc |= daemon_mkdir_for(sock, uid, gid, 0755);
	return rc;
}

/* daemon_socket_busy - see daemon.h */
int
daemon_socket_busy(const char *spec)
{
	const char *path = daemon_socket_path(spec);
	struct sockaddr_un sun = {.sun_family = AF_UNIX};
	int fd, busy;

	if (path == NULL || strlen(path) >= sizeof(sun.sun_path))
		return 0;
	strcpy(sun.sun_path, path);
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0)
		return 0;
	busy = connect(fd, (struct sockaddr *)&sun, sizeof(sun)) == 0;
	close(fd);
	if (busy)
		log_msg(LOG_ERR, NULL, "%s: another milter is listening there "
		    "(already running?)", path);
	return busy;
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
daemon_drop(const struct config *cfg, uid_t uid, gid_t gid)
{
	if (uid == (uid_t)-1) {
		if (geteuid() == 0) {
			log_msg(LOG_ERR, NULL, "refusing to run as root: set "
			    "user (user = \"root\" if you really mean it)");
			return -1;
		}
		return 0;
	}
	if (geteuid() != 0)
		return 0;	/* not root: nothing to drop */
	if (setgroups(1, &gid) != 0 || setgid(gid) != 0 || setuid(uid) != 0) {
		log_msg(LOG_ERR, NULL, "cannot drop privileges: %m");
		return -1;
	}
	return 0;
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
	log_tee_stderr(false);
	if ((fd = open("/dev/null", O_RDWR)) >= 0) {
		dup2(fd, 0);
		dup2(fd, 1);
		dup2(fd, 2);
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

	if (daemon_ready_fd < 0)
		return;
	if (write(daemon_ready_fd, &code, 1) != 1)
		log_msg(LOG_WARNING, NULL, "cannot tell the parent: %m");
	close(daemon_ready_fd);
	daemon_ready_fd = -1;
}

/* daemon_pidfile_write - see daemon.h */
int
daemon_pidfile_write(const char *path)
{
	FILE *fp;

	if (path == NULL)
		return 0;
	if ((fp = fopen(path, "w")) == NULL) {
		log_msg(LOG_ERR, NULL, "cannot write pid file %s: %m", path);
		return -1;
	}
	fprintf(fp, "%ld\n", (long)getpid());
	return fclose(fp) == 0 ? 0 : -1;
}

/* daemon_pidfile_remove - see daemon.h */
void
daemon_pidfile_remove(const char *path)
{
	if (path != NULL)
		unlink(path);
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

/* daemon_reload_once - load the file anew and swap it in if it is good */
static void
daemon_reload_once(void)
{
	char err[1024];
	struct config *fresh = config_load(reload_path, err, sizeof(err));

	if (fresh == NULL) {
		log_msg(LOG_ERR, NULL, "reload failed, keeping the old "
		    "configuration: %s", err);
		return;
	}
	log_set_level(fresh->log_level);
	config_swap(fresh);
	log_msg(LOG_NOTICE, NULL, "configuration reloaded from %s "
	    "(socket, user, spool_dir and state_db changes need a restart)",
	    reload_path);
}

/* daemon_reload_main - wait for SIGUSR1, forever */
static void *
daemon_reload_main(void *arg)
{
	sigset_t set;
	int sig;

	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	while (!reload_quit) {
		if (sigwait(&set, &sig) != 0 || reload_quit)
			continue;
		daemon_reload_once();
	}
	return NULL;
}

/* daemon_reload_start - see daemon.h */
int
daemon_reload_start(const char *path)
{
	reload_path = xstrdup(path);
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
	reload_quit = true;
	pthread_kill(reload_thread, SIGUSR1);
	pthread_join(reload_thread, NULL);
	reload_running = false;
	free(reload_path);
}

/* daemon_listen_nodelay - see daemon.h */
int
daemon_listen_nodelay(void)
{
	int n = 0, max = (int)sysconf(_SC_OPEN_MAX);

	if (max <= 0 || max > 65536)
		max = 65536;
	for (int fd = 3; fd < max; fd++) {
		struct sockaddr_storage ss;
		socklen_t sl = sizeof(ss), il = sizeof(int);
		int listening = 0, on = 1;

		if (getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &listening,
		    &il) != 0 || !listening)
			continue;
		if (getsockname(fd, (struct sockaddr *)&ss, &sl) != 0 ||
		    (ss.ss_family != AF_INET && ss.ss_family != AF_INET6))
			continue;
		if (setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on,
		    sizeof(on)) == 0)
			n++;
	}
	return n;
}
