/*
 * ipc_int.h - lib/ipc internals shared by its files: the exit codes it returns, the wire header,
 * the GLib glue for libqb's poll handlers, and test hooks.
 */
#ifndef PL_IPC_INT_H
#define PL_IPC_INT_H

#include <glib.h>
#include <qb/qbipc_common.h>
#include <qb/qbipcs.h>
#include <stddef.h>
#include <stdint.h>

#include "paceline/error.h"
#include "paceline/exitcode.h"
#include "paceline/msgdefs.h"

/* The codes lib/ipc returns (only the enum of exitcode.h: lib/ipc does not link lib/common). */
#define IPC_RC_OK		 PL_EXIT_OK
#define IPC_RC_ERROR		 PL_EXIT_ERROR
#define IPC_RC_UNIMPLEMENTED	 PL_EXIT_UNIMPLEMENT_FEATURE
#define IPC_RC_INSUFFICIENT_PRIV PL_EXIT_INSUFFICIENT_PRIV
#define IPC_RC_SOFTWARE		 PL_EXIT_SOFTWARE
#define IPC_RC_PROTOCOL		 PL_EXIT_PROTOCOL
#define IPC_RC_NOT_CONNECTED	 PL_EXIT_DISCONNECT
#define IPC_RC_TIMEOUT		 PL_EXIT_TIMEOUT

/*
 * The wire header of every frame, both directions (docs/design/ipc.md). libqb's response
 * header comes first (a request header is its prefix, so libqb reads requests correctly):
 * qb.id = the message type, qb.size = header + piece, qb.error = exit code of a reply.
 * Host byte order: it never leaves the machine. The piece follows, in network order.
 * A message whose payload does not fit one frame travels as consecutive frames with the same
 * type and call id, offsets increasing from 0, nothing between them on that channel.
 */
struct pl_ipc_hdr {
	struct qb_ipc_response_header qb;
	uint16_t version;     /* PL_IPC_PROTOCOL_VERSION */
	uint16_t flags;	      /* none defined yet; sent as 0, ignored */
	uint32_t type;	      /* enum pl_msg_type, equal to qb.id */
	uint32_t call_id;     /* request: chosen by the client; reply: copied; event: 0 */
	uint32_t payload_len; /* bytes of payload in this frame: qb.size - header */
	uint32_t total_len;   /* the whole payload of the message */
	uint32_t offset;      /* where this frame's bytes start in it */
};

_Static_assert(sizeof(struct pl_ipc_hdr) == 48, "wire header is 48 bytes");

/*
 * Every connection's rings (request, response, event) are PL_IPC_RING_SIZE bytes, whatever
 * the service; a frame is at most PL_IPC_FRAME_MAX bytes, header included (about half a ring,
 * so that the next frame can be written while the reader takes the previous one).
 */
#define PL_IPC_RING_SIZE (128u * 1024)
#define PL_IPC_FRAME_MAX (PL_IPC_RING_SIZE / 2 - 1024)
#define PL_IPC_PIECE_MAX (PL_IPC_FRAME_MAX - sizeof(struct pl_ipc_hdr))

/* Fill a header for a frame of `len` payload bytes at `offset` of a `total`-byte payload. */
void pl__ipc_hdr_fill(struct pl_ipc_hdr *h, enum pl_msg_type type, uint32_t call_id, int code,
    size_t len, size_t total, size_t offset);
/* The IPC buffer size (both sides agree): PL_IPC_RING_SIZE for every service. */
size_t pl__ipc_buffer_size(enum pl_service svc);
/* The largest payload of a type (or the status reply, PL_MSG_NONE): min(MAXLEN, limit). */
size_t pl__ipc_type_limit(enum pl_msg_type type);
/* Check an outgoing payload against the table (type, service, direction, MAXLEN, signature). */
bool pl__ipc_check_out(enum pl_service svc, enum pl_msg_type type, enum pl_msg_dir dir,
    const void *payload, size_t len, struct pl_error *err);

/* libqb poll handlers that create GSources in the current glue context. */
extern struct qb_ipcs_poll_handlers pl__ipc_poll_handlers;
/* Set the context sources are attached to on this thread; returns the previous one. */
GMainContext *pl__ipc_glue_enter(GMainContext *ctx);
void pl__ipc_glue_leave(GMainContext *prev);

/* Tests only: send raw bytes (header and all) on a client connection, unchecked. */
struct pl_ipc_conn;
ssize_t pl__ipc_send_raw(struct pl_ipc_conn *c, const void *msg, size_t len);
/* Wait for the reply to call `id` (what: its name for errors); others are queued. */
struct pl_ipc_msg;
bool pl__ipc_wait_reply(struct pl_ipc_conn *c, uint32_t id, const char *what, int timeout_ms,
    struct pl_ipc_msg *out, struct pl_error *err);
/* Tests only: send raw bytes to a client from a server, unchecked. */
struct pl_ipc_client;
ssize_t pl__ipc_event_raw(struct pl_ipc_client *c, const void *msg, size_t len);
qb_ipcs_connection_t *pl__ipc_client_conn(struct pl_ipc_client *c);

#endif
