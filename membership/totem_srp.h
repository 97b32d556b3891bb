/*
 * totem_srp.h - the Totem single-ring protocol as a pure state machine: no sockets, no clock,
 * no event loop. Inputs are received packets, the passing of time and local send requests;
 * outputs are packets (through ops->send), deliveries and configuration changes (through
 * ops->deliver / ops->confchg). The daemon and the simulated network of the unit tests drive
 * the very same code.
 *
 *            start
 *              |
 *              v        consensus reached,               commit token back at the
 *        +-----------+  I am the lowest id  +----------+ representative, all entries filled
 *  +---->|  GATHER   |--------------------->|  COMMIT  |-----------------+
 *  |     | joins,    |  commit token (stage |  commit  |                 |
 *  |     | consensus |  1) for my member    |  token   |  stage 2 seen   v
 *  |     +-----------+  set arrives         +----------+            +----------+
 *  |        ^  ^  ^                                | token loss     | RECOVERY |
 *  |        |  |  +--------------------------------+                | old ring |
 *  |        |  |        token loss / join changing the sets         | messages |
 *  |        |  +----------------------------------------------------| re-sent  |
 *  |        |                                                       +----------+
 *  |        | token loss, join from outside or from a member           | token shows every member has
 *  |        | that left, merge detect from another ring                | every message (done >= N)
 *  |     +-------------+                                                |
 *  +-----| OPERATIONAL |<-----------------------------------------------+
 *        | token rotates, messages delivered in agreed order          install: transitional conf,
 *        +-------------+                                              old ring messages, regular conf
 *
 * Guarantees (extended virtual synchrony, agreed order):
 *  - all members of a configuration deliver its messages in the same order, each once;
 *  - members that move together from configuration C to C' deliver the same messages in C
 *    (first the transitional configuration C /\ C', then the old messages every survivor
 *    could recover, then the regular configuration C');
 *  - a message is delivered in the configuration it was sent in, or not at all (a message
 *    behind a gap that no survivor can fill at a configuration change is discarded, as are
 *    half-sent fragmented messages, which their sender sends again whole in the new ring).
 */
#ifndef PACELINE_TOTEM_SRP_H
#define PACELINE_TOTEM_SRP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "totem_wire.h"

#define TOTEM_MAX_MSG (1024 * 1024) /* largest application message (fragmented) */

struct totem_params {
	uint32_t cluster;	      /* cluster id carried by every packet */
	uint32_t token_ms;	      /* token loss timeout */
	uint32_t token_retransmit_ms; /* re-send an unacknowledged token after this */
	uint32_t hold_ms;	      /* an idle ring holds the token this long (0 = never) */
	uint32_t join_ms;	      /* join re-send interval in gather */
	uint32_t consensus_ms;	      /* give up on silent nodes in gather after this */
	uint32_t merge_ms;	      /* representative announces its ring this often */
	uint32_t max_messages;	      /* messages one member may send per token visit */
	uint32_t window_size;	      /* messages the whole ring may send per rotation */
	uint32_t max_queue;	      /* pending local messages before totem_send says full */
};

enum totem_conf_type { TOTEM_CONF_TRANSITIONAL = 1, TOTEM_CONF_REGULAR = 2 };

enum totem_state { TOTEM_GATHER = 1, TOTEM_COMMIT, TOTEM_RECOVERY, TOTEM_OPERATIONAL };

struct totem_ops {
	/* to = a nodeid, or 0 for every configured node but this one */
	void (*send)(void *arg, uint32_t to, const uint8_t *pkt, size_t len);
	void (*deliver)(void *arg, uint32_t sender, const uint8_t *data, size_t len);
	void (*confchg)(void *arg, enum totem_conf_type type, const struct totem_ring_id *ring,
	    const uint32_t *members, unsigned n);
	/* optional: persist the highest ring sequence number (survives restarts) */
	void (*ring_seq_store)(void *arg, uint64_t ring_seq);
};

struct totem_stats {
	uint64_t drops[TOTEM_DROP_COUNT_MAX];
	uint64_t tokens; /* tokens processed */
	uint64_t token_retransmits;
	uint64_t mcast_sent;
	uint64_t packed; /* packets carrying several small messages */
	uint64_t mcast_retransmits;
	uint64_t delivered;    /* application messages */
	uint64_t rings;	       /* configurations installed */
	uint64_t nudges_sent;  /* TOKEN_WANTED sent (member with messages, idle ring) */
	uint64_t nudges_heard; /* TOKEN_WANTED that released a held token (representative) */
};

struct totem;

/* nodes: every configured nodeid (this one included); ring_seq: the persisted value or 0;
 * incarnation: grows on every start of this node (the start time in ms since the epoch);
 * rings formed by this incarnation get sequence numbers above incarnation << 16. */
struct totem *totem_new(uint32_t my_nodeid, const uint32_t *nodes, unsigned n_nodes,
    const struct totem_params *params, const struct totem_ops *ops, void *arg, uint64_t ring_seq,
    uint64_t incarnation);
void totem_free(struct totem *t);

void totem_start(struct totem *t, uint64_t now_ms);
void totem_recv(struct totem *t, const uint8_t *pkt, size_t len, uint64_t now_ms);
/* The earliest time totem_tick() has work (UINT64_MAX = none); tick fires what is due. */
uint64_t totem_next_deadline(const struct totem *t);
void totem_tick(struct totem *t, uint64_t now_ms);
/* Queue an application message for agreed-order delivery to the ring (this node too).
 * 0, or -1 if the queue is full (try again after deliveries) or len is 0 or too large. */
int totem_send(struct totem *t, const void *data, size_t len, uint64_t now_ms);

/* A planned departure: tell the ring this node is leaving (a join naming itself failed, sent
 * twice), so the others re-form at once instead of after a token timeout. Call, let the
 * packets go out, then stop driving this state machine. */
void totem_leave(struct totem *t, uint64_t now_ms);

enum totem_state totem_get_state(const struct totem *t);
const char *totem_state_name(enum totem_state s);
/* The installed ring: its id and members (sorted). Returns the member count. */
unsigned totem_members(const struct totem *t, struct totem_ring_id *ring, uint32_t *members);
const struct totem_stats *totem_get_stats(const struct totem *t);
unsigned totem_queue_len(const struct totem *t);
void totem_count_drop(struct totem *t, enum totem_drop why);

#endif
