/*
 * membership_client.h - the client API of paceline-membership for the other daemons and the
 * tools: node status and quorum, closed process groups with agreed-order messages.
 *
 *	struct pl_membership *m = pl_membership_connect(2000, &err);
 *	pl_membership_attach(m, NULL, &ops, arg);		// events come from the GLib main loop
 *	pl_membership_join(m, "cib", &err);
 *	pl_membership_send(m, "cib", data, len, &err);	// delivered to every member, sender included,
 *							// in the same order everywhere
 *
 * Guarantees (extended virtual synchrony, docs/design/membership.md): every member of a group
 * receives the group's messages in the same order; members that stay together through a
 * configuration change receive the same messages before it; a membership change is reported
 * at the same point of the message stream on every node.
 */
#ifndef PACELINE_MEMBERSHIP_CLIENT_H
#define PACELINE_MEMBERSHIP_CLIENT_H

#include <glib.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "paceline/error.h"
#include "paceline/peer.h"

#define PL_MEMBERSHIP_MAX_NODES	     64
#define PL_MEMBERSHIP_GROUP_MAX	     128	   /* bytes of a group name */
#define PL_MEMBERSHIP_MSG_MAX	     (1024 * 1024) /* bytes of one message */
/* The frame size for peer messages (peer.h): the daemon adds its group header (8 bytes plus
 * the group name) inside Totem's 1 MiB, so a full PL_MEMBERSHIP_MSG_MAX does not fit. */
#define PL_MEMBERSHIP_PEER_FRAME_MAX (PL_MEMBERSHIP_MSG_MAX - 1024)

#define PL_MEMBERSHIP_FLAG_TWO_NODE	   1u
#define PL_MEMBERSHIP_FLAG_WAIT_FOR_ALL	   2u
#define PL_MEMBERSHIP_FLAG_WAITING	   4u  /* wait_for_all has not seen every node yet */
#define PL_MEMBERSHIP_FLAG_LMS		   8u  /* last_man_standing */
#define PL_MEMBERSHIP_FLAG_ATB		   16u /* auto_tie_breaker */
#define PL_MEMBERSHIP_FLAG_ALLOW_DOWNSCALE 32u
#define PL_MEMBERSHIP_FLAG_QUORATE	   64u
#define PL_MEMBERSHIP_FLAG_QDEVICE	   128u /* a quorum device is configured */
#define PL_MEMBERSHIP_FLAG_QDEVICE_VOTE	   256u /* and its votes count on this node now */
/* pl_membership_node.qdevice */
#define PL_MEMBERSHIP_QDEVICE_CONFIGURED   2u
#define PL_MEMBERSHIP_QDEVICE_ALIVE	   4u  /* connected to the arbiter */
#define PL_MEMBERSHIP_QDEVICE_VOTE	   8u  /* casting the device's votes */
#define PL_MEMBERSHIP_QDEVICE_MW	   16u /* master_wins */
#define PL_MEMBERSHIP_MAX_LINKS		   8

struct pl_membership;

struct pl_membership_node {
	uint32_t nodeid;
	char name[256];
	uint32_t votes;
	bool member;	  /* in the current ring */
	uint32_t qdevice; /* PL_MEMBERSHIP_QDEVICE_* as that node last said (members only) */
};

struct pl_membership_status {
	uint32_t nodeid; /* this node */
	uint32_t ring_rep;
	uint64_t ring_seq;
	char state[16]; /* operational, gather, commit, recovery */
	bool quorate;
	uint32_t expected_votes;
	uint32_t total_votes;
	uint32_t quorum;
	uint32_t flags;	  /* PL_MEMBERSHIP_FLAG_* */
	unsigned n_nodes; /* the nodelist */
	struct pl_membership_node nodes[PL_MEMBERSHIP_MAX_NODES];
	unsigned n_counters; /* the daemon's counters: "auth" (packets failing the HMAC),
				 * "short", "length", ... (malformed, by reason), "tokens", ... */
	struct {
		char name[32];
		uint64_t value;
	} counters[48];
};

struct pl_membership_member {
	uint32_t nodeid;
	uint32_t pid;
	const char *name; /* the node's name from the nodelist */
};

struct pl_membership_ops {
	void (*deliver)(struct pl_membership *m, const char *group, uint32_t nodeid, uint32_t pid,
	    const void *data, size_t len, void *arg);
	void (*group_change)(struct pl_membership *m, const char *group,
	    const struct pl_membership_member *members, unsigned n,
	    const struct pl_membership_member *joined, unsigned nj,
	    const struct pl_membership_member *left, unsigned nl, void *arg);
	void (*quorum)(struct pl_membership *m, bool quorate, uint32_t expected, uint32_t total,
	    uint32_t quorum, const uint32_t *members, unsigned n, void *arg);
	void (*disconnected)(struct pl_membership *m, void *arg);
};

/* Connect (the daemon absent: NULL, err code 102). */
struct pl_membership *pl_membership_connect(int timeout_ms, struct pl_error *err);
void pl_membership_disconnect(struct pl_membership *m);
/* Deliver events through callbacks from ctx's main loop (NULL: the default context). */
void pl_membership_attach(
    struct pl_membership *m, GMainContext *ctx, const struct pl_membership_ops *ops, void *arg);
/* Without a main loop: wait at most timeout_ms for one event and run its callback (ops as
 * given to pl_membership_set_ops). false on timeout (err 124) or disconnect (err 102). */
void pl_membership_set_ops(struct pl_membership *m, const struct pl_membership_ops *ops, void *arg);
bool pl_membership_dispatch(struct pl_membership *m, int timeout_ms, struct pl_error *err);

bool pl_membership_status(
    struct pl_membership *m, struct pl_membership_status *st, struct pl_error *err);
bool pl_membership_join(struct pl_membership *m, const char *group, struct pl_error *err);
bool pl_membership_leave(struct pl_membership *m, const char *group, struct pl_error *err);
/* Queue a message to a group this client joined. false with err 75 when the ring's queue
 * is full (try again after some deliveries), other codes for other failures. */
bool pl_membership_send(
    struct pl_membership *m, const char *group, const void *data, size_t len, struct pl_error *err);
/* The same without waiting for the daemon's answer; cb (may be NULL) gets it. Needs attach. */
typedef void (*pl_membership_sent_fn)(struct pl_membership *m, const struct pl_error *err, void *arg);
bool pl_membership_send_async(struct pl_membership *m, const char *group, const void *data,
    size_t len, pl_membership_sent_fn cb, void *arg, struct pl_error *err);
/* Send a peer message (peer.h) of `kind` to a group, fields by the kind's signature
 * (arguments as for pl_pack), in pieces of at most PL_MEMBERSHIP_PEER_FRAME_MAX; a full ring
 * queue is waited out (up to 30 s). pp is pl_peer_new(svc, PL_MEMBERSHIP_PEER_FRAME_MAX, ...). */
bool pl_membership_send_peer(struct pl_membership *m, const char *group, struct pl_peer *pp,
    struct pl_error *err, enum pl_peer_kind kind, ...);
/* The same without waiting: the message joins this connection's ordered queue (needs
 * attach). Queued messages reach the group in the order queued; while one group message is
 * in flight to paceline-membership the next ones wait and then go together in one (a batch,
 * peer.h), so a busy daemon pays one round trip per batch, not per message. A full ring
 * queue is waited out (retried, up to 30 s, then 75). cb (may be NULL: failures are logged)
 * is called once per message, in queue order: err NULL when the daemon took it, else why
 * not (also 102 at disconnect). false with err (cb not called) when the message cannot be
 * encoded or 256 MiB are queued already (75). pl_membership_send_peer while messages are
 * queued on the connection queues too, so that it never overtakes them. */
bool pl_membership_queue_peer(struct pl_membership *m, const char *group, struct pl_peer *pp,
    pl_membership_sent_fn cb, void *arg, struct pl_error *err, enum pl_peer_kind kind, ...);
/* pl_membership_queue_peer for a message the caller encodes itself (peer.h's
 * pl_peer_encode_fn: its frames, through a daemon's own encoder such as crmd_peer_send):
 * the frames are queued as one message, with the same order, batching and outcome. */
bool pl_membership_queue_encoded(struct pl_membership *m, const char *group, pl_peer_encode_fn encode,
    void *encode_arg, pl_membership_sent_fn cb, void *arg, struct pl_error *err);
/* The links to the other nodes (paceline-cfgtool -s). */
struct pl_membership_link {
	uint32_t nodeid;
	unsigned link;
	bool up;
	uint32_t rtt_ms;
	uint64_t tx, rx, downs;
	char remote[64]; /* the node's address on the link */
};
struct pl_membership_links {
	char transport[16]; /* knet, udpu, udp */
	char link_mode[16]; /* passive, active, rr */
	unsigned n_links;   /* link numbers 0 .. n_links-1; local[k][0] == 0: not configured */
	char local[PL_MEMBERSHIP_MAX_LINKS][64]; /* this node's address on each link */
	char group[PL_MEMBERSHIP_MAX_LINKS][64]; /* udp: the multicast/broadcast address */
	unsigned n;
	struct pl_membership_link l[PL_MEMBERSHIP_MAX_NODES * PL_MEMBERSHIP_MAX_LINKS];
};
bool pl_membership_links(
    struct pl_membership *m, struct pl_membership_links *out, struct pl_error *err);
/* corosync-quorumtool -e: every member applies it in ring order. Refused (err 2) when it
 * would cost the cluster its quorum. */
bool pl_membership_set_expected(struct pl_membership *m, uint32_t expected, struct pl_error *err);
/* Receive quorum events (the current state comes at once). */
bool pl_membership_quorum_subscribe(struct pl_membership *m, struct pl_error *err);
/* The name of a node from the nodelist ("" if unknown). */
const char *pl_membership_node_name(struct pl_membership *m, uint32_t nodeid);

#endif
