/*
 * echo_service.h - the ECHO service of include/paceline/msg/echo.def, used by lib/ipc's tests
 * and the by-hand echo_server/echo_client pair.
 *   ECHO_REQ (seq, text)  -> ECHO_REPLY (seq, text); text "later": answered 50 ms later
 *                            from a timer (the deferred-reply pattern: client kept by id)
 *   ECHO_SUBSCRIBE        -> status reply; the client now receives ECHO_EVENT
 *   ECHO_SHOUT (text)     -> ECHO_EVENT (text) to every subscriber, then a status reply
 */
#ifndef ECHO_SERVICE_H
#define ECHO_SERVICE_H

#include "paceline/ipc.h"

struct echo_stats {
	unsigned accepted;
	unsigned destroyed;
	unsigned requests;
	unsigned late_orphans; /* deferred answers whose client was gone */
};

/* Start the echo server in ctx; refuse_uid >= 0 makes the accept hook refuse that uid. */
struct pl_ipc_server *echo_server_start(
    GMainContext *ctx, struct echo_stats *st, struct pl_error *err);
void echo_server_refuse_uid(int uid);

#endif
