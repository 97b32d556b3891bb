/*
 * ipc.h - Paceline's typed local IPC on libqb, server and client, driven by a GLib main loop.
 *
 * Every message is defined once in include/paceline/msg/<service>.def (see msgdefs.h) and
 * every received message, on either side, passes one checked dispatch before any handler
 * sees it: framing, protocol version, known type, right service, right direction, sender
 * privilege (server side), payload length <= MAXLEN, payload matches the signature.
 * docs/design/ipc.md describes the wire header, the checks and the connection life cycle.
 *
 * Service names: "paceline-<service>" ("paceline-cib"); the environment variable
 * PL_IPC_PREFIX replaces "paceline" so that tests and several nodes sharing one network
 * namespace do not collide ("PL_IPC_PREFIX=t42" -> "t42-cib").
 *
 * Replies: a request is answered by its REPLY type from the table, or by the generic status
 * reply (type PL_MSG_NONE, payload "s": a message text) that every request may receive; the
 * dispatcher uses the status reply to report a rejected request. Codes are Pacemaker's exit
 * codes: 0 ok, 3 unimplemented (no handler), 4 insufficient privileges, 76 protocol violated,
 * 102 not connected, 124 timeout.
 *
 * Threads: a server and a client connection are used from the thread that runs their
 * GMainContext (several servers in several threads with their own contexts work); only the
 * server's counters (pl_ipc_server_rejects, _dropped_events, _clients) may be read elsewhere.
 */
#ifndef PACELINE_IPC_H
#define PACELINE_IPC_H

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "paceline/error.h"
#include "paceline/msgdefs.h"
#include "paceline/pack.h"

#define PL_IPC_PROTOCOL_VERSION 2 /* 2: message numbers in per-service ranges */
#define PL_IPC_PREFIX_ENV	"PL_IPC_PREFIX"
/* the prefix when PL_IPC_PREFIX is not set (lib/ipc/wire.c): a node records it there */
#define PL_IPC_PREFIX_FILE	"/run/paceline/ipc-prefix"
#define PL_IPC_STATUS_MAXLEN	4096  /* payload limit of the generic status reply */
#define PL_IPC_DEFAULT_CALL_MS	30000 /* pl_ipc_call with timeout_ms <= 0 */

/* The IPC name of a service: "paceline-cib" or "$PL_IPC_PREFIX-cib". Caller frees. */
char *pl_ipc_service_name(enum pl_service svc);

/* A received, checked message. Payload pointers stay valid until the handler returns
 * (server side) or until pl_ipc_msg_clear() (client side, which owns a copy). */
struct pl_ipc_msg {
	enum pl_msg_type type;	      /* PL_MSG_NONE: the generic status reply */
	const struct pl_msg_def *def; /* NULL for the status reply */
	uint32_t call_id;	      /* requests and their replies; 0 for events */
	uint32_t flags;
	int code; /* replies: the exit code (0 = ok) */
	const void *payload;
	size_t len;
	void *owned; /* client side: the buffer pl_ipc_msg_clear() frees */
};

#define PL_IPC_MSG_INIT                                   \
	{                                                 \
		PL_MSG_NONE, NULL, 0, 0, 0, NULL, 0, NULL \
	}

void pl_ipc_msg_clear(struct pl_ipc_msg *m);
/*
 * Typed payloads: encode and decode by the table's signature, never by a copy of it.
 *	pl_msg_pack(&p, PL_MSG_ECHO_REQ, seq, "hello");		// fields as for pl_pack
 *	if (!pl_msg_unpack(msg, PL_MSG_ECHO_REQ, &seq, &text))	// fields as for pl_unpack
 * pl_msg_unpack is false when msg is not of `type` (PL_MSG_NONE: the status reply, "s"),
 * when a field does not decode, or when bytes are left over. Arrays (a, k) are allocated as
 * with pl_unpack: free them even on failure (they are NULL when not reached).
 */
void pl_msg_pack(struct pl_pack *p, enum pl_msg_type type, ...);
bool pl_msg_unpack(const struct pl_ipc_msg *m, enum pl_msg_type type, ...);
/* After pl_msg_unpack failed: set err (code 76) to "malformed NAME: why". */
void pl_msg_unpack_error(const struct pl_ipc_msg *m, enum pl_msg_type type, struct pl_error *err);
/* The same on a bare payload (a message kept or forwarded). */
bool pl_msg_unpack_payload(enum pl_msg_type type, const void *payload, size_t len, ...);
/* Start decoding the payload by hand (pl_msg_unpack below is the usual way). */
void pl_ipc_msg_unpack(const struct pl_ipc_msg *m, struct pl_unpack *r);
/* The text of a status reply ("" when it is not one or has none). */
const char *pl_ipc_msg_status_text(const struct pl_ipc_msg *m);

/* ======================== server ======================== */

struct pl_ipc_server;
struct pl_ipc_client;

/* Why the dispatcher rejected a message (counters per reason, in check order). */
enum pl_ipc_reject {
	PL_IPC_REJ_FRAMING = 0, /* header size insane or inconsistent: connection dropped */
	PL_IPC_REJ_VERSION,	/* other protocol version */
	PL_IPC_REJ_TYPE,	/* unknown message type */
	PL_IPC_REJ_SERVICE,	/* type of another service */
	PL_IPC_REJ_DIR,		/* not a request */
	PL_IPC_REJ_PRIV,	/* sender lacks the privilege */
	PL_IPC_REJ_LENGTH,	/* payload longer than MAXLEN */
	PL_IPC_REJ_SIG,		/* payload does not match the signature */
	PL_IPC_REJ_HANDLER,	/* well-formed, but this server has no handler for it */
	PL_IPC_REJ_COUNT
};
const char *pl_ipc_reject_name(enum pl_ipc_reject why);

/* A handler for one request type; `arg` is the server's. Reply with pl_ipc_reply*(). */
typedef void (*pl_ipc_handler_fn)(struct pl_ipc_client *c, const struct pl_ipc_msg *msg, void *arg);

struct pl_ipc_server_ops {
	/* A client connects: return false to refuse it. May be NULL (accept everyone). */
	bool (*accept)(struct pl_ipc_client *c, void *arg);
	/* A client is gone (disconnected or dropped): release its user pointer. May be NULL. */
	void (*destroyed)(struct pl_ipc_client *c, void *arg);
};

/* Create and start the service's server in `ctx` (NULL: the global default context). */
struct pl_ipc_server *pl_ipc_server_new(enum pl_service svc, GMainContext *ctx,
    const struct pl_ipc_server_ops *ops, void *arg, struct pl_error *err);
/*
 * Per-user connection limit: a uid other than root may hold at most `max` connections to
 * this server at once (0: no limit). Default PL_IPC_USER_LIMIT_DEFAULT, or the environment
 * variable PL_IPC_MAX_CLIENTS_PER_USER read when the server starts. A connection over the
 * limit is refused (one warning line naming the user and the limit); the client's
 * pl_ipc_connect fails with code 75 and "... the daemon's limit of connections per user".
 */
#define PL_IPC_USER_LIMIT_DEFAULT 64
#define PL_IPC_USER_LIMIT_ENV	  "PL_IPC_MAX_CLIENTS_PER_USER"
void pl_ipc_server_set_user_limit(struct pl_ipc_server *s, unsigned max);
uint64_t pl_ipc_server_refused_user_limit(const struct pl_ipc_server *s); /* counter */
/* Register the handler of a request type of this service (aborts on a type that is not). */
void pl_ipc_server_handle(struct pl_ipc_server *s, enum pl_msg_type type, pl_ipc_handler_fn fn);
/* Disconnect every client (destroyed hooks run) and stop the service. */
void pl_ipc_server_free(struct pl_ipc_server *s);
const char *pl_ipc_server_name(const struct pl_ipc_server *s);
unsigned pl_ipc_server_clients(const struct pl_ipc_server *s);
/* Counters; safe to read from another thread. */
uint64_t pl_ipc_server_rejects(const struct pl_ipc_server *s, enum pl_ipc_reject why);
uint64_t pl_ipc_server_dropped_events(const struct pl_ipc_server *s);

/* Answer request `call_id` with a REPLY type of this service, or PL_MSG_NONE for a status
 * reply (then payload must be NULL; use pl_ipc_reply_status). false if not sent (logged). */
bool pl_ipc_reply(struct pl_ipc_client *c, uint32_t call_id, enum pl_msg_type type, int code,
    const struct pl_pack *payload);
bool pl_ipc_reply_status(struct pl_ipc_client *c, uint32_t call_id, int code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* Send an EVENT to one client. false if not sent (the client is then dropped; logged). */
bool pl_ipc_event(struct pl_ipc_client *c, enum pl_msg_type type, const struct pl_pack *payload);
/* Send an EVENT to every client whose subscription mask shares a bit with `mask`.
 * Returns how many clients it was sent to. */
unsigned pl_ipc_broadcast(
    struct pl_ipc_server *s, uint32_t mask, enum pl_msg_type type, const struct pl_pack *payload);

uid_t pl_ipc_client_uid(const struct pl_ipc_client *c);
gid_t pl_ipc_client_gid(const struct pl_ipc_client *c);
pid_t pl_ipc_client_pid(const struct pl_ipc_client *c);
bool pl_ipc_client_privileged(const struct pl_ipc_client *c); /* root or haclient */
void *pl_ipc_client_user(const struct pl_ipc_client *c);
void pl_ipc_client_set_user(struct pl_ipc_client *c, void *user);
void pl_ipc_client_subscribe(struct pl_ipc_client *c, uint32_t mask); /* 0 = none */
uint32_t pl_ipc_client_subscriptions(const struct pl_ipc_client *c);
struct pl_ipc_server *pl_ipc_client_server(const struct pl_ipc_client *c);
/*
 * A struct pl_ipc_client is valid until ops.destroyed for it returns. To answer later (after
 * an operation completes), keep its id, never the pointer, and look it up when the answer is
 * ready: NULL means the client is gone (or being dropped) and nobody waits any more.
 */
uint64_t pl_ipc_client_id(const struct pl_ipc_client *c); /* unique per server, never 0 */
struct pl_ipc_client *pl_ipc_server_find_client(struct pl_ipc_server *s, uint64_t id);
/* Call fn for every connected client (not those being dropped), e.g. for notifications with
 * per-client filters; fn may send to or drop clients. */
void pl_ipc_server_foreach(
    struct pl_ipc_server *s, void (*fn)(struct pl_ipc_client *c, void *arg), void *arg);
/* Disconnect the client after the current dispatch (logged with the reason). */
void pl_ipc_client_drop(struct pl_ipc_client *c, const char *reason);

/* ======================== client ======================== */

struct pl_ipc_conn;

/* Connect to the service, waiting at most timeout_ms (<= 0: 5000). When the daemon is absent:
 * NULL, err code 102 "Could not connect to paceline-cib: <reason> (is the daemon running?)". */
struct pl_ipc_conn *pl_ipc_connect(enum pl_service svc, int timeout_ms, struct pl_error *err);
/* Close and free. Pending asynchronous calls are completed with code 102 first. */
void pl_ipc_disconnect(struct pl_ipc_conn *c);
bool pl_ipc_connected(const struct pl_ipc_conn *c);
const char *pl_ipc_conn_name(const struct pl_ipc_conn *c);
/* Messages received from the server that failed the checks (dropped). */
uint64_t pl_ipc_conn_rejects(const struct pl_ipc_conn *c);

/* Send a request and forget it (no reply expected; a rejection is only logged).
 * The request is checked like the server will (type, direction, MAXLEN, signature).
 * Returns its call id, 0 on failure (err set). */
uint32_t pl_ipc_send(struct pl_ipc_conn *c, enum pl_msg_type type, const struct pl_pack *payload,
    struct pl_error *err);
/* Send a request and wait at most timeout_ms (<= 0: PL_IPC_DEFAULT_CALL_MS) for its reply:
 * `reply_type` (or the status reply, PL_MSG_NONE).
 * true when a reply arrived with code 0. false with err set on failure: 102 not connected,
 * 124 timeout, 76 malformed reply, or the reply's nonzero code (and its text); `reply` is
 * then filled when a typed reply arrived. Always pl_ipc_msg_clear(reply) afterwards.
 * Events and other replies arriving meanwhile are kept for the attached main loop or
 * pl_ipc_wait_event(). */
bool pl_ipc_call(struct pl_ipc_conn *c, enum pl_msg_type type, const struct pl_pack *payload,
    enum pl_msg_type reply_type, int timeout_ms, struct pl_ipc_msg *reply, struct pl_error *err);

/* Asynchronous use: attach to a main context, then events, replies and the disconnect come
 * as callbacks from that context. */
struct pl_ipc_conn_ops {
	void (*event)(struct pl_ipc_conn *c, const struct pl_ipc_msg *ev, void *arg);
	void (*disconnected)(struct pl_ipc_conn *c, void *arg); /* the server went away */
};
void pl_ipc_conn_attach(
    struct pl_ipc_conn *c, GMainContext *ctx, const struct pl_ipc_conn_ops *ops, void *arg);

/* Completion of an asynchronous call: err is NULL on success; otherwise err->code says why
 * (as for pl_ipc_call) and reply may be NULL (timeout, disconnect). */
typedef void (*pl_ipc_reply_fn)(
    struct pl_ipc_conn *c, const struct pl_ipc_msg *reply, const struct pl_error *err, void *arg);
/* Requires pl_ipc_conn_attach. timeout_ms <= 0: no timeout. Returns the call id, 0 on failure
 * (err set; the callback is not called). */
uint32_t pl_ipc_call_async(struct pl_ipc_conn *c, enum pl_msg_type type,
    const struct pl_pack *payload, enum pl_msg_type reply_type, int timeout_ms, pl_ipc_reply_fn cb,
    void *arg, struct pl_error *err);

/* Without a main loop: wait at most timeout_ms for the next event (0: poll). true with `ev`
 * filled (pl_ipc_msg_clear it); false on timeout (err 124) or disconnect (err 102). */
bool pl_ipc_wait_event(
    struct pl_ipc_conn *c, int timeout_ms, struct pl_ipc_msg *ev, struct pl_error *err);
/* The same for the next event of one type (PL_MSG_NONE: any); events of other types read
 * meanwhile stay queued, in order, for a later wait or the attached main loop. The one way
 * client libraries wait for their events (pl_cib_next_notify, pl_lrmd_next_result, ...). */
bool pl_ipc_wait_event_type(struct pl_ipc_conn *c, enum pl_msg_type type, int timeout_ms,
    struct pl_ipc_msg *ev, struct pl_error *err);

#endif
