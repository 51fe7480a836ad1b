/*
 * nodelay.c - LD_PRELOAD shim for an experiment of postfix.sh
 * (BENCH_NODELAY=1): sets TCP_NODELAY on every TCP socket that accept()
 * returns, to show what the filter gains on inet: when its replies at
 * end of message are not held back by Nagle's algorithm.
 *
 *   cc -O2 -shared -fPIC -o nodelay.so nodelay.c -ldl
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stddef.h>
#include <sys/socket.h>

/* nodelay - TCP_NODELAY on fd when it is an IPv4/IPv6 socket */
static void
nodelay(int fd)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);
	int one = 1;

	if (fd >= 0 && getsockname(fd, (struct sockaddr *)&ss, &len) == 0 &&
	    (ss.ss_family == AF_INET || ss.ss_family == AF_INET6))
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
}

int
accept(int s, struct sockaddr *addr, socklen_t *len)
{
	static int (*real)(int, struct sockaddr *, socklen_t *);
	int fd;

	if (real == NULL)
		real = (int (*)(int, struct sockaddr *, socklen_t *))
		    dlsym(RTLD_NEXT, "accept");
	fd = real(s, addr, len);
	nodelay(fd);
	return fd;
}

int
accept4(int s, struct sockaddr *addr, socklen_t *len, int flags)
{
	static int (*real)(int, struct sockaddr *, socklen_t *, int);
	int fd;

	if (real == NULL)
		real = (int (*)(int, struct sockaddr *, socklen_t *, int))
		    dlsym(RTLD_NEXT, "accept4");
	fd = real(s, addr, len, flags);
	nodelay(fd);
	return fd;
}
