/*
 * totem_wire.h - the on-the-wire encoding of every Totem packet, version 1.
 *
 * Fixed-width fields, network byte order, no padding surprises: every packet is built and
 * parsed field by field through a cursor, never by casting a struct over a buffer. The
 * decoder checks magic, version, type, every count against its maximum, every length against
 * what remains, and the structural rules (nonzero node ids, sorted member lists, fragment
 * index below fragment count) before the protocol core sees anything. A rejected packet is
 * counted under its reason (enum totem_drop) and goes no further.
 *
 * Common header (12 bytes), then the body of the type:
 *
 *	u16 magic 0x504c ("PL")  u8 version (1)  u8 type  u32 sender nodeid  u32 cluster id
 *
 *	ORF_TOKEN   ring(12) u64 token_seq u32 seq u32 aru u32 aru_id u32 fcc u32 done
 *	            u32 gc u32 rot_min u16 rtr_count u16 0  rtr_count x u32 seq
 *	MCAST       ring(12) u32 seq u8 flags (1 RECOVERY, 2 PACKED) u8 0 u16 data_len
 *	            origin ring(12) u32 origin seq u32 origin sender
 *	            u32 msg_id u16 frag_idx u16 frag_count  data_len bytes
 *	JOIN        u64 incarnation u32 join_seq u64 ring_seq u16 proc_count u16 fail_count
 *	            proc_count x u32 nodeid  fail_count x u32 nodeid (each list sorted, unique)
 *	COMMIT      ring(12) u8 stage u8 0 u16 count  count x entry (sorted by nodeid):
 *	            u32 nodeid ring(12) old ring u32 old_aru u32 old_high u8 filled u8 0 u16 0
 *	MERGE       ring(12)
 *	TOKEN_ACK   ring(12) u64 token_seq   (answer to a duplicate token: "I have it")
 *	TOKEN_WANTED ring(12)   (a member with messages queued asks the representative of an
 *	            idle ring to pass the token it holds now; srp: at most one per token visit)
 *	LINK_PING   u8 link u8 0 u16 0 u64 stamp   (links.c: is this link up? never given to
 *	LINK_PONG   u8 link u8 0 u16 0 u64 stamp    the ring; a pong echoes its ping's stamp)
 *
 *	ring = u32 representative nodeid + u64 ring sequence number
 */
#ifndef PACELINE_TOTEM_WIRE_H
#define PACELINE_TOTEM_WIRE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define TOTEM_MAGIC	0x504cu
#define TOTEM_VERSION	1
#define TOTEM_HDR_LEN	12
#define TOTEM_MAX_NODES 64 /* members of one ring, entries of one join list */
#define TOTEM_MAX_RTR	64 /* retransmit requests carried by one token */
#define TOTEM_MAX_FRAG_DATA \
	8000 /* payload bytes of one mcast fragment (IP fragments it on a 1500 MTU) */
#define TOTEM_MAX_PACKET 8192 /* no encoded packet is larger */

enum totem_pkt_type {
	TOTEM_PKT_ORF_TOKEN = 1,
	TOTEM_PKT_MCAST = 2,
	TOTEM_PKT_JOIN = 3,
	TOTEM_PKT_COMMIT = 4,
	TOTEM_PKT_MERGE = 5,
	TOTEM_PKT_TOKEN_ACK = 6,
	TOTEM_PKT_LINK_PING = 7,
	TOTEM_PKT_LINK_PONG = 8,
	TOTEM_PKT_TOKEN_WANTED = 9,
};

/* Why a packet was dropped; the daemon exports these counters. */
enum totem_drop {
	TOTEM_DROP_SHORT = 0, /* shorter than its header or its fixed body */
	TOTEM_DROP_MAGIC,
	TOTEM_DROP_VERSION,
	TOTEM_DROP_TYPE,
	TOTEM_DROP_CLUSTER, /* another cluster id */
	TOTEM_DROP_SENDER,  /* sender nodeid 0 */
	TOTEM_DROP_LENGTH,  /* a declared length disagrees with the packet size */
	TOTEM_DROP_COUNT,   /* a list count above its maximum */
	TOTEM_DROP_NODEID,  /* nodeid 0 in a list, or list not sorted / not unique */
	TOTEM_DROP_FRAG,    /* fragment index/count impossible */
	TOTEM_DROP_FIELD,   /* another field out of its range */
	TOTEM_DROP_AUTH,    /* failed authentication (transport layer) */
	TOTEM_DROP_STATE,   /* valid, but meaningless in the current protocol state */
	TOTEM_DROP_COUNT_MAX
};

const char *totem_drop_name(enum totem_drop d);

struct totem_ring_id {
	uint32_t rep;
	uint64_t seq;
};

static inline bool
totem_ring_eq(const struct totem_ring_id *a, const struct totem_ring_id *b)
{
	return a->rep == b->rep && a->seq == b->seq;
}

struct totem_token {
	struct totem_ring_id ring;
	uint64_t token_seq; /* one more on every hop: duplicates are recognised */
	uint32_t seq;	    /* highest message sequence number assigned on this ring */
	uint32_t aru;	    /* all-received-up-to, lowered by any member missing messages */
	uint32_t aru_id;    /* the member that last lowered aru (0 = none) */
	uint32_t fcc;	    /* messages broadcast during the last rotation (flow control) */
	uint32_t done;	    /* recovery: consecutive members that had everything (see srp) */
	uint32_t gc;	    /* every member holds every message <= gc: may be freed */
	uint32_t rot_min;   /* lowest aru seen so far in this rotation (becomes gc) */
	uint16_t rtr_count;
	uint32_t rtr[TOTEM_MAX_RTR];
};

#define TOTEM_MCAST_RECOVERY 0x01 /* carries a message of an old ring (origin_*) */
#define TOTEM_MCAST_PACKED \
	0x02		       /* data = several whole small messages, each
					 * u16 length (>= 1) + bytes; frag 0 of 1 */
#define TOTEM_MCAST_FLAGS 0x03 /* every flag defined */

struct totem_mcast {
	struct totem_ring_id ring;
	uint32_t seq;
	uint8_t flags;
	struct totem_ring_id origin_ring; /* == ring unless RECOVERY */
	uint32_t origin_seq;
	uint32_t origin_sender;
	uint32_t msg_id; /* per origin sender, for reassembly */
	uint16_t frag_idx;
	uint16_t frag_count;
	uint16_t data_len;
	const uint8_t *data; /* decode: points into the packet */
};

struct totem_join {
	uint64_t incarnation; /* grows on every start of the sender */
	uint32_t join_seq;    /* grows on every join the sender sends in one incarnation */
	uint64_t ring_seq;    /* the sender's highest ring sequence number */
	uint16_t proc_count;
	uint16_t fail_count;
	uint32_t proc[TOTEM_MAX_NODES];
	uint32_t fail[TOTEM_MAX_NODES];
};

struct totem_commit_entry {
	uint32_t nodeid;
	struct totem_ring_id old_ring;
	uint32_t old_aru;
	uint32_t old_high;
	uint8_t filled;
};

struct totem_commit {
	struct totem_ring_id ring;
	uint8_t stage; /* 1 collect, 2 install */
	uint16_t count;
	struct totem_commit_entry e[TOTEM_MAX_NODES];
};

struct totem_merge {
	struct totem_ring_id ring;
};

struct totem_wanted {
	struct totem_ring_id ring;
};

struct totem_ack {
	struct totem_ring_id ring;
	uint64_t token_seq;
};

struct totem_link_probe {
	uint8_t link; /* below TOTEM_MAX_LINKS */
	uint64_t stamp;
};

#define TOTEM_MAX_LINKS 8

struct totem_pkt {
	uint8_t type;
	uint32_t sender;
	uint32_t cluster;
	union {
		struct totem_token token;
		struct totem_mcast mcast;
		struct totem_join join;
		struct totem_commit commit;
		struct totem_merge merge;
		struct totem_ack ack;
		struct totem_wanted wanted;
		struct totem_link_probe probe;
	} u;
};

/* Encode p into out (at least TOTEM_MAX_PACKET bytes). Returns the length; aborts on a
 * packet that breaks the rules the decoder enforces (a caller bug, never input). */
size_t totem_encode(const struct totem_pkt *p, uint8_t *out);

/* Decode buf into p. Returns -1 and sets *why on rejection. mcast data points into buf.
 * cluster is the expected cluster id. */
int totem_decode(
    const uint8_t *buf, size_t len, uint32_t cluster, struct totem_pkt *p, enum totem_drop *why);

#endif
