/*
 * callbacks.h - the libmilter side of abuse-milter. The only module that
 * includes libmilter/mfapi.h: it registers the callbacks, opens the
 * socket and runs smfi_main for main.c.
 */
#ifndef ABUSE_CALLBACKS_H
#define ABUSE_CALLBACKS_H

#include <stdbool.h>

#include "config/config.h"

/* callbacks_register - smfi_register + smfi_setconn; the socket kind
 * decides what is negotiated away. -1 with a logged reason on failure */
int callbacks_register(const struct config *cfg, const char *socket);

/* callbacks_open_socket - create the socket (removing a stale one) */
int callbacks_open_socket(void);

/* callbacks_run - smfi_main; returns its status */
int callbacks_run(void);

/* callbacks_stop - ask smfi_main to return (used on fatal errors) */
void callbacks_stop(void);

/* callbacks_stopping - has libmilter been told to stop (SIGTERM,
 * SIGINT, SIGHUP or callbacks_stop) while smfi_main still runs? */
bool callbacks_stopping(void);

#endif
