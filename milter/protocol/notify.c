/*
 * notify.c - see notify.h. The address is taken once: the reload
 * thread and the main thread then only read it, so no lock is needed.
 */
#include "protocol/notify.h"

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "util/log.h"

static struct sockaddr_un notify_addr;
static socklen_t notify_len;	/* 0: nobody to tell */

/* notify_init - see notify.h */
int
notify_init(void)
{
	const char *env = getenv("NOTIFY_SOCKET");
	size_t len;

	notify_reset();
	if (env == NULL)
		return 0;
	if (env[0] == '\0') {
		unsetenv("NOTIFY_SOCKET");
		return 0;
	}
	len = strlen(env);
	/* "@name" is an abstract socket: a leading NUL byte in the address */
	if ((env[0] != '/' && env[0] != '@') || len < 2 ||
	    len >= sizeof(notify_addr.sun_path)) {
		log_msg(LOG_WARNING, NULL, "NOTIFY_SOCKET=%s: not a unix socket "
		    "path; the service manager will not hear that we are "
		    "ready", env);
		unsetenv("NOTIFY_SOCKET");
		return -1;
	}
	notify_addr.sun_family = AF_UNIX;
	memcpy(notify_addr.sun_path, env, len);
	if (env[0] == '@')
		notify_addr.sun_path[0] = '\0';
	notify_len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + len +
	    (env[0] == '/'));
	unsetenv("NOTIFY_SOCKET");
	return 1;
}

/* notify_send - see notify.h */
int
notify_send(const char *state)
{
	ssize_t n;
	int fd;

	if (notify_len == 0)
		return 0;
	if ((fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0)) < 0) {
		log_msg(LOG_WARNING, NULL, "notify socket: %m");
		return -1;
	}
	do
		n = sendto(fd, state, strlen(state), MSG_NOSIGNAL,
		    (struct sockaddr *)&notify_addr, notify_len);
	while (n < 0 && errno == EINTR);
	close(fd);
	if (n < 0) {
		log_msg(LOG_WARNING, NULL, "cannot tell the service manager "
		    "\"%s\": %m", state);
		return -1;
	}
	return 0;
}

/* notify_reloading - see notify.h */
int
notify_reloading(void)
{
	struct timespec ts;
	char msg[64];

	clock_gettime(CLOCK_MONOTONIC, &ts);
	snprintf(msg, sizeof(msg), "RELOADING=1\nMONOTONIC_USEC=%llu",
	    (unsigned long long)ts.tv_sec * 1000000ULL +
	    (unsigned long long)ts.tv_nsec / 1000ULL);
	return notify_send(msg);
}

/* notify_reset - see notify.h */
void
notify_reset(void)
{
	memset(&notify_addr, 0, sizeof(notify_addr));
	notify_len = 0;
}
