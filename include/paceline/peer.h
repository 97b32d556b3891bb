/*
 * peer.h - messages between nodes: what the instances of one daemon on different nodes send
 * each other through a paceline-membership process group. The same treatment as local IPC
 * (msgdefs.h): every message defined once in a table, one checked decoder before any handler.
 *
 * Each service declares its kinds in include/paceline/msg/<service>-peer.def (listed once, in
 * msg/all.def), one line each:
 *
 *	PL_PEER_MSG(SVC, NUM, NAME, SIG, MAXLEN)
 *
 *   SVC     the service whose instances exchange it (CIB, CRMD, ATTRD, STONITHD, ...)
 *   NUM     the kind on the wire, in the service's range (SVC * 0x100 + 1..0xff); stable
 *           forever (tests/unit/ipc/msg-numbers.golden)
 *   NAME    -> enum pl_peer_kind PL_PEER_<NAME>
 *   SIG     the payload's signature (pack.h letters), checked before the handler runs
 *   MAXLEN  the largest payload, or PL_MSG_UNBOUNDED (bounded by pl_msg_limit() only)
 *
 * Wire format of one frame (one group message), integers in network byte order:
 *
 *	u32 magic 0x504c5052 ("PLPR")   u32 version (PL_PEER_VERSION)   u32 kind
 *	u32 total payload length        u32 offset of this piece        piece bytes
 *
 * A payload larger than a group message (frame_max) is sent as consecutive frames of the same
 * kind with increasing offsets; the receiver reassembles per sender (nodeid, pid): the group
 * delivers one sender's messages in order, so a sender's pieces arrive in order too (other
 * senders' frames may come between). The message takes its place in the group's total order
 * at its last piece, the same place on every node.
 *
 * Batches: a group message may carry several frames back to back when every one but the last
 * ends its message (offset + piece = total: a whole message, or the last piece of one), so
 * the receiver finds each frame's end from its header; a frame that does not end its message
 * travels alone. Senders that queue (pl_membership_queue_peer) put the messages waiting
 * behind one in flight into one group message; the receiver handles each frame of it as if
 * it had come alone, in order.
 *
 * The receiver checks, in this order, and drops (counted per reason, one log line each):
 * frame shorter than the header, magic, version, kind unknown, kind of another service,
 * total length above the kind's limit (or a piece past it), no handler, a piece that does not
 * continue the sender's message (also a message abandoned midway), and on the whole payload
 * the signature. Only then does the kind's handler run.
 *
 * Use (a daemon, here over paceline-membership; see docs/design/ipc.md):
 *
 *	static void on_cib_resync(const struct pl_peer_msg *m, void *arg)
 *	{
 *		uint64_t view;
 *
 *		pl_peer_unpack(m, &view);	// by the table's signature, checked already
 *		...
 *	}
 *	pp = pl_peer_new(PL_SVC_CIB, PL_MEMBERSHIP_PEER_FRAME_MAX, arg);
 *	pl_peer_handle(pp, PL_PEER_CIB_RESYNC, on_cib_resync);
 *	// deliver callback of pl_memb: pl_peer_receive(pp, nodeid, pid, data, len);
 *	// a member left: pl_peer_forget(pp, nodeid, pid);
 *	// send: pl_membership_send_peer(memb, "cib", pp, PL_PEER_CIB_RESYNC, &err, view);
 */
#ifndef PACELINE_PEER_H
#define PACELINE_PEER_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "paceline/error.h"
#include "paceline/msgdefs.h"
#include "paceline/pack.h"

#define PL_PEER_MAGIC	0x504c5052u
#define PL_PEER_VERSION 1u
#define PL_PEER_HDR_LEN 20u

enum pl_peer_kind {
	PL_PEER_NONE = 0,
#define PL_PEER_MSG(svc, num, name, sig, maxlen) PL_PEER_##name = (num),
#include "paceline/msg/all.def"
	PL_PEER__LAST = PL_MSG_TYPE_LIMIT - 1
};

struct pl_peer_def {
	enum pl_peer_kind kind;
	const char *name;
	enum pl_service service;
	const char *sig;
	unsigned maxlen;
};

/* The table, indexed by kind. NULL for an unknown kind. */
const struct pl_peer_def *pl_peer_def(unsigned kind);
const char *pl_peer_name(unsigned kind); /* "CIB_UPDATE", "unknown" */

/* Why the decoder dropped a frame or a message (counters per reason, in check order). */
enum pl_peer_reject {
	PL_PEER_REJ_SHORT = 0, /* shorter than the header */
	PL_PEER_REJ_MAGIC,
	PL_PEER_REJ_VERSION,
	PL_PEER_REJ_KIND,    /* unknown kind */
	PL_PEER_REJ_SERVICE, /* a kind of another service */
	PL_PEER_REJ_LENGTH,  /* total above the limit, or a piece past the total */
	PL_PEER_REJ_HANDLER, /* no handler for the kind here */
	PL_PEER_REJ_PIECE,   /* does not continue the sender's message, or abandons one */
	PL_PEER_REJ_SIG,     /* payload does not match the signature */
	PL_PEER_REJ_COUNT
};
const char *pl_peer_reject_name(enum pl_peer_reject why);

/* A received, checked message; payload valid until the handler returns. */
struct pl_peer_msg {
	enum pl_peer_kind kind;
	const struct pl_peer_def *def;
	uint32_t nodeid, pid; /* the sender */
	const void *payload;
	size_t len;
};

typedef void (*pl_peer_handler_fn)(const struct pl_peer_msg *m, void *arg);
/* Send one frame (one group message); false with err set when it was not sent. */
typedef bool (*pl_peer_send_fn)(const void *frame, size_t len, void *arg, struct pl_error *err);
/* Encode one message: hand its frames, in order, to send(send_arg) (as pl_peer_send does);
 * false with err set when it cannot be encoded. Lets a daemon's own encoder (crmd_peer_send,
 * stonithd_peer_send) feed a queue (pl_membership_queue_encoded). */
typedef bool (*pl_peer_encode_fn)(
    pl_peer_send_fn send, void *send_arg, void *arg, struct pl_error *err);

struct pl_peer;

/* A decoder/encoder for the kinds of `svc`; frames are at most frame_max bytes (the group's
 * message limit, > PL_PEER_HDR_LEN); `arg` is passed to the handlers. */
struct pl_peer *pl_peer_new(enum pl_service svc, size_t frame_max, void *arg);
void pl_peer_free(struct pl_peer *pp);
/* Register the handler of a kind of this service (aborts on a kind that is not). */
void pl_peer_handle(struct pl_peer *pp, enum pl_peer_kind kind, pl_peer_handler_fn fn);

/* One group message delivered from (nodeid, pid): its frame (or the frames of a batch, in
 * order) checked, reassembled, and each message that is complete handed to its handler.
 * true when every frame was accepted. */
bool pl_peer_receive(struct pl_peer *pp, uint32_t nodeid, uint32_t pid, const void *data, size_t len);
/* true when a frame (as pl_peer_send hands it out) ends its message, so that other frames
 * may follow it in the same group message. */
bool pl_peer_frame_ends_message(const void *frame, size_t len);
/* The sender left the group: drop its unfinished message (not counted). */
void pl_peer_forget(struct pl_peer *pp, uint32_t nodeid, uint32_t pid);
uint64_t pl_peer_rejects(const struct pl_peer *pp, enum pl_peer_reject why);
uint64_t pl_peer_delivered(const struct pl_peer *pp); /* messages handed to handlers */

/* Decode the payload of a checked message by the table's signature (arguments as for
 * pl_unpack). Always true for a message from pl_peer_receive. */
bool pl_peer_unpack(const struct pl_peer_msg *m, ...);

/* Encode and send a message of `kind`, fields by the table's signature (arguments as for
 * pl_pack), in frames of at most frame_max bytes through fn. The payload is checked against
 * the table first (service, limit): a violation is refused with code 70, or 65 (too large)
 * when it exceeds the limit. false with err set when not (completely) sent. */
bool pl_peer_send(struct pl_peer *pp, pl_peer_send_fn fn, void *fn_arg, struct pl_error *err,
    enum pl_peer_kind kind, ...);
bool pl_peer_vsend(struct pl_peer *pp, pl_peer_send_fn fn, void *fn_arg, struct pl_error *err,
    enum pl_peer_kind kind, va_list ap);

#endif
