/*
 * qdevice.h - the node side of the quorum device (corosync-qdevice's model net), pure: the
 * vote this node may count, from what the arbiter (paceline-qnetd) says and when. The daemon
 * (qdevice_net.c) and the simulator of tests/unit/qnetd drive the very same code.
 *
 * Every message to the arbiter carries a stamp; the arbiter's answers echo the last stamp it
 * had received. An ACK counts only
 *	- for the ring it names, which must be this node's current ring (a configuration change
 *	  takes the vote away until the arbiter has answered for the new ring), and
 *	- until (send time of the echoed stamp) + timeout: a lease. The arbiter calls a node gone
 *	  only after 1.5 x timeout of silence, so a node cut off from it has stopped counting the
 *	  vote before the arbiter can lend it elsewhere.
 * Losing the connection drops the vote at once.
 *
 *   +--------------+ connected  +------------+ ACK for my ring  +------------+
 *   | DISCONNECTED |----------->| NO VOTE    |----------------->| VOTE       |
 *   |              |<-----------| (WAIT,NACK)|<-----------------| (lease)    |
 *   +--------------+ lost       +------------+ NACK, ring change,+------------+
 *          ^                                    lease expired         |
 *          +----------------------------------------------------------+ lost
 */
#ifndef PACELINE_MEMBERSHIP_QDEVICE_H
#define PACELINE_MEMBERSHIP_QDEVICE_H

#include <stdbool.h>
#include <stdint.h>

#define MEMBERSHIP_QDEVICE_STAMPS 16

enum membership_qdevice_vote {
	MEMBERSHIP_QDEVICE_WAIT = 0,
	MEMBERSHIP_QDEVICE_ACK,
	MEMBERSHIP_QDEVICE_NACK
};

struct membership_qdevice {
	uint32_t timeout_ms;
	bool connected;
	uint32_t ring_rep; /* this node's current ring */
	uint64_t ring_seq;
	enum membership_qdevice_vote vote; /* the arbiter's last word */
	uint32_t vote_rep;
	uint64_t vote_seq_ring;
	uint32_t vote_seq; /* the arbiter's numbering, echoed back as applied */
	uint64_t lease_until;
	uint32_t stamp; /* last stamp sent */
	uint64_t stamp_at[MEMBERSHIP_QDEVICE_STAMPS];
};

void membership_qdevice_init(struct membership_qdevice *d, uint32_t timeout_ms);
void membership_qdevice_connected(struct membership_qdevice *d, bool up);
/* This node's new ring (before it is reported to the arbiter). */
void membership_qdevice_ring(struct membership_qdevice *d, uint32_t rep, uint64_t seq);
/* The stamp for the next message to the arbiter, sent at now. */
uint32_t membership_qdevice_stamp(struct membership_qdevice *d, uint64_t now);
/* A vote from the arbiter: vote, its number, the ring it names, the stamp it echoes. */
void membership_qdevice_vote(struct membership_qdevice *d, enum membership_qdevice_vote v,
    uint32_t seq, uint32_t rep, uint64_t ring_seq, uint32_t echo);
/* Whether the device's votes count now. */
bool membership_qdevice_counts(const struct membership_qdevice *d, uint64_t now);
/* When counts() may turn false by itself (the lease end; UINT64_MAX: not counting). */
uint64_t membership_qdevice_deadline(const struct membership_qdevice *d, uint64_t now);

#endif
