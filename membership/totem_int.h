/*
 * totem_int.h - the inside of struct totem, shared by the files of the protocol core:
 * totem_srp.c (entry points, token, messages, delivery, install), totem_memb.c (gather,
 * join, commit, merge detect), totem_store.c (message store, reassembly, node sets).
 */
#ifndef PACELINE_TOTEM_INT_H
#define PACELINE_TOTEM_INT_H

#include "totem_srp.h"

enum totem_timer {
	TT_TOKEN_LOSS = 0,
	TT_TOKEN_RETRANS,
	TT_HOLD,
	TT_JOIN,
	TT_CONSENSUS,
	TT_MERGE,
	TT_NUDGE, /* a member sends TOKEN_WANTED (never from inside totem_send) */
	TT_COUNT
};

#define TOTEM_HOLD_AFTER_IDLE 10 /* idle rotations before the representative holds */

/* A sorted set of node ids. */
struct nodeset {
	unsigned n;
	uint32_t id[TOTEM_MAX_NODES];
};

/* One stored ring message (a fragment), keyed by its sequence number in its store. */
struct smsg {
	uint8_t flags;
	struct totem_ring_id origin_ring;
	uint32_t origin_seq;
	uint32_t origin_sender;
	uint32_t msg_id;
	uint16_t frag_idx;
	uint16_t frag_count;
	uint16_t data_len;
	uint8_t data[];
};

/* The messages of one ring: slot[i] holds seq base+1+i. Everything <= base was freed. */
struct store {
	uint32_t base;
	uint32_t cap;
	uint32_t high; /* highest seq ever stored */
	uint32_t aru;  /* every seq <= aru is (or was) here */
	struct smsg **slot;
};

struct ring {
	struct totem_ring_id id;
	struct nodeset members;
	struct store store;
	uint32_t delivered; /* highest seq handed to delivery */
};

/* A local application message waiting to be (completely) sent. */
struct outmsg {
	struct outmsg *next;
	uint32_t msg_id;
	uint16_t next_frag;
	uint16_t frag_count;
	size_t len;
	uint8_t *data;
};

struct reasm {
	uint32_t sender;
	bool active;
	uint32_t msg_id;
	uint16_t next_frag;
	size_t len;
	size_t cap;
	uint8_t *buf;
};

struct join_rec {
	uint32_t nodeid;
	bool valid;
	uint64_t incarnation;
	uint32_t join_seq;
	uint64_t ring_seq;
	uint64_t epoch; /* gather epoch it arrived in */
	struct nodeset proc;
	struct nodeset fail;
};

struct totem {
	uint32_t me;
	struct nodeset nodes; /* configured */
	struct totem_params p;
	struct totem_ops ops;
	void *arg;
	struct totem_stats stats;

	enum totem_state state;
	uint64_t now;
	uint64_t deadline[TT_COUNT];
	uint64_t incarnation;
	uint64_t max_ring_seq;

	struct ring ops_ring; /* the installed ring (frozen outside OPERATIONAL) */
	struct ring new_ring; /* the ring being formed (COMMIT, RECOVERY) */

	/* token handling on the current ring */
	uint64_t last_token_seq;
	uint32_t my_last_sent; /* messages I sent on my previous visit (fcc) */
	bool holding;
	struct totem_token held;
	uint32_t idle_rotations; /* representative: rotations without a new message */
	uint32_t rep_last_seq;
	/* The token-wanted nudge (srp: token_pass). A member asks at most once per token it
	 * receives, and only when the ring looked idle (its last two tokens had one seq); the
	 * representative skips at most the hold that follows one nudge. */
	uint32_t seen_seq; /* seq of the last token this member received */
	bool ring_quiet;   /* ... and the token before carried the same seq */
	bool nudge_out;	   /* member: TOKEN_WANTED sent since its last token */
	bool nudged;	   /* representative: a member asked; do not hold the next token */
	uint8_t last_pkt[TOTEM_MAX_PACKET]; /* last token/commit forwarded, for re-sending */
	size_t last_pkt_len;
	uint32_t last_pkt_to;
	uint64_t last_pkt_time;
	bool last_pkt_acked;
	struct totem_ring_id last_pkt_ring;
	uint64_t last_pkt_token_seq; /* an ack must name it: a late ack of a duplicate of an
				      * earlier token must not stop the re-sends of this one */

	/* membership */
	struct nodeset proc;
	struct nodeset fail;
	uint64_t epoch; /* bumped on each gather entry */
	uint32_t join_seq;
	bool consensus;
	struct join_rec joins[TOTEM_MAX_NODES];
	int commit_stage;	    /* 0 none, 1 my entry filled, 2 recovery entered */
	bool orf_started;	    /* representative: first token of new_ring sent */
	struct totem_commit commit; /* the commit token as last seen (stage 2 = final) */

	/* recovery */
	struct smsg **recq; /* old-ring messages to re-send on new_ring */
	unsigned recq_n, recq_head;
	uint32_t rec_high; /* old ring: deliver nothing above this at install */

	/* local sending */
	struct outmsg *outq, *outq_tail;
	unsigned outq_n;
	uint32_t next_msg_id;

	struct reasm *reasm;
	unsigned reasm_n;

	/* packets to this node itself (a ring of one), drained by the entry points */
	uint8_t *selfq[8];
	size_t selfq_len[8];
	unsigned selfq_n;
	bool draining;
};

/* totem_store.c */
void totem_nodeset_clear(struct nodeset *s);
bool totem_nodeset_has(const struct nodeset *s, uint32_t id);
bool totem_nodeset_add(struct nodeset *s, uint32_t id); /* true if added */
bool totem_nodeset_eq(const struct nodeset *a, const struct nodeset *b);
void totem_nodeset_from(struct nodeset *s, const uint32_t *ids, unsigned n);
void totem_nodeset_minus(struct nodeset *out, const struct nodeset *a, const struct nodeset *b);
void totem_nodeset_and(struct nodeset *out, const struct nodeset *a, const struct nodeset *b);
uint32_t totem_nodeset_next(const struct nodeset *s, uint32_t id); /* successor on the ring */

struct smsg *totem_smsg_new(const struct totem_mcast *m);
struct smsg *totem_smsg_dup(const struct smsg *m);
void totem_store_init(struct store *st);
void totem_store_free(struct store *st);
struct smsg *totem_store_get(const struct store *st, uint32_t seq);
bool totem_store_has(const struct store *st, uint32_t seq);
/* Takes m (frees it if seq is a duplicate, freed or too far ahead). true if stored. */
bool totem_store_put(struct store *st, uint32_t seq, struct smsg *m);
void totem_store_gc(struct store *st, uint32_t upto);

void totem_reasm_reset(struct totem *t);
void totem_reasm_feed(struct totem *t, const struct smsg *m);

/* totem_srp.c */
void totem_xmit(struct totem *t, uint32_t to, const struct totem_pkt *p);
void totem_forward(struct totem *t, uint32_t to, const struct totem_pkt *p);
void totem_timer_set(struct totem *t, enum totem_timer which, uint64_t ms_from_now);
void totem_timer_clear(struct totem *t, enum totem_timer which);
void totem_ring_free(struct ring *r);
void totem_recovery_enter(struct totem *t);
void totem_orf_start(struct totem *t);

/* totem_memb.c */
void totem_memb_gather_enter(struct totem *t, const char *why);
void totem_memb_recv_join(struct totem *t, uint32_t sender, const struct totem_join *j);
void totem_memb_recv_commit(struct totem *t, uint32_t sender, const struct totem_commit *c);
void totem_memb_recv_merge(struct totem *t, uint32_t sender, const struct totem_merge *m);
void totem_memb_timer(struct totem *t, enum totem_timer which);
void totem_memb_send_merge(struct totem *t);

#endif
