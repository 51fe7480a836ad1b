/*
 * notify.h - tell a service manager how the daemon is doing, with
 * systemd's readiness protocol: one datagram of "KEY=VALUE" lines to the
 * unix socket named by $NOTIFY_SOCKET. Written by hand because the
 * protocol is one sendto(), and libsystemd would be a dependency for a
 * milter that also runs without systemd.
 *
 *	notify_init()			once, before any thread: takes
 *					NOTIFY_SOCKET out of the
 *					environment (sendmail children must
 *					not inherit it)
 *	notify_send("READY=1")		listening
 *	notify_send("RELOADING=1")	around a SIGUSR1 reload, then READY=1
 *	notify_send("STOPPING=1")	at stop
 *
 * Without NOTIFY_SOCKET every call is a no-op that succeeds.
 */
#ifndef ABUSE_NOTIFY_H
#define ABUSE_NOTIFY_H

/* notify_init - remember $NOTIFY_SOCKET ("/path" or "@abstract") and
 * unset it; returns 1 when there is a manager to tell, 0 when not, -1
 * (logged) when the variable is set but unusable */
int notify_init(void);

/* notify_send - one datagram with state (lines "KEY=VALUE"); 0 when
 * sent or nobody listens for it, -1 (logged) when sending failed */
int notify_send(const char *state);

/* notify_reloading - "RELOADING=1" with the MONOTONIC_USEC systemd 253
 * and later want beside it */
int notify_reloading(void);

/* notify_reset - forget the socket (for tests) */
void notify_reset(void);

#endif
