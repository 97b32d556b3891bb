/*
 * algo.h - the arbiter's decision for one cluster (corosync-qnetd's ffsplit and lms), pure:
 * no sockets, no clock. The server (server.c) and the seeded simulator of
 * tests/unit/qnetd drive the very same code.
 *
 * Inputs, per node of the cluster: connect (with the cluster's nodelist), its membership
 * (ring id + members) after each configuration change, what it acknowledged (the sequence
 * number of the last vote it applied), disconnect, and time (a node silent for its dead time
 * is disconnected). Output: the vote each connected node must hold now, which the server sends
 * when it changed (and with every heartbeat reply).
 *
 * Partitions are the connected nodes grouped by ring id. A partition is *stable* when every
 * connected node its membership names reports that same ring (a node still in an older or
 * already in a newer ring makes it wait). Among the stable ones:
 *
 *	ffsplit  only a partition holding at least half of the nodelist may get the vote
 *	lms      any partition may
 *	score    connected nodes + those whose heuristics passed - those whose heuristics failed
 *	         (corosync-qdevice(8)); without heuristics it is the connected nodes
 *	best     ffsplit: more members, then a higher score, then more connected nodes; lms: a
 *	         higher score, then more connected nodes, then more members; then the tie-breaker: the partition with the lowest (default)
 *	         / highest node id, or the one holding node N. A holder that ties with the best
 *	         keeps the vote with lms always, with ffsplit under keep_active_partition_tie_breaker
 *	         (on by default; off moves it to the tie-breaker's side)
 *	settle   while some connected node is still in a ring that others have left (the other
 *	         side of a split has not formed its ring yet, or the node died), a new holder is
 *	         chosen only after timeout/4 of that: both sides of a split normally report within
 *	         a token timeout of each other, and choosing before the other side reports could
 *	         lend the vote to the side the tie-breaker then takes it from
 *
 * Safety: at most one ring ever holds ACK. The holder's nodes must give the vote back before
 * another ring gets it: each is told NACK and must acknowledge it (or report another ring, or
 * be disconnected: a node counts an ACK only for its current ring, and only for `timeout` ms
 * after the heartbeat that brought it, while the arbiter waits 1.5 x that before it calls a
 * silent node gone).
 *
 *             best partition chosen
 *   +---------+  (no holder)        +--------+  holder's nodes all moved ring,  +---------+
 *   | NO      |-------------------->| HOLDER |  acknowledged NACK or gone       | REVOKE  |
 *   | HOLDER  |<--------------------|  ring  |<---------------------------------| NACK    |
 *   +---------+  holder released    +--------+  a better partition appears ---> | holder  |
 *        ^                                                                       +---------+
 *        +-------------------------------------------------------------------------+
 *                         every holder node released: the best gets it next
 */
#ifndef PACELINE_QNETD_ALGO_H
#define PACELINE_QNETD_ALGO_H

#include <stdbool.h>
#include <stdint.h>

#define QNETD_MAX_NODES 64

enum qnetd_algorithm { QNETD_ALGO_FFSPLIT = 0, QNETD_ALGO_LMS };
enum qnetd_tb_mode { QNETD_TB_LOWEST = 0, QNETD_TB_HIGHEST, QNETD_TB_NODE };

/* What a node is told. Only ACK lends the vote (and only for the ring it names). */
enum qnetd_vote {
	QNETD_VOTE_WAIT = 0, /* no decision yet for this node's ring */
	QNETD_VOTE_ACK,
	QNETD_VOTE_NACK
};

/* A node's heuristics result (quorum.device.heuristics), as it last reported it. */
enum qnetd_heuristics { QNETD_HEUR_UNDEFINED = 0, QNETD_HEUR_PASS, QNETD_HEUR_FAIL };

struct qnetd_ring {
	uint32_t rep;
	uint64_t seq;
};

struct qnetd_node {
	uint32_t nodeid;
	bool connected;
	bool has_ring; /* reported a membership since it connected */
	struct qnetd_ring ring;
	unsigned n_members;
	uint32_t members[QNETD_MAX_NODES];
	enum qnetd_heuristics heuristics;
	uint64_t last_seen;   /* ms */
	uint32_t dead_ms;     /* silent this long: disconnected */
	enum qnetd_vote vote; /* the current one */
	struct qnetd_ring vote_ring;
	uint32_t vote_seq;   /* numbers the votes sent to this node */
	uint32_t acked_seq;  /* the last vote the node says it applied */
	bool holding;	     /* may still count an ACK for the holder ring */
	uint32_t revoke_seq; /* holding ends when acked_seq reaches this (0: not revoking) */
};

struct qnetd_cluster {
	enum qnetd_algorithm algorithm;
	enum qnetd_tb_mode tb_mode;
	uint32_t tb_node;
	bool keep_active; /* keep_active_partition_tie_breaker */
	unsigned n_config;
	uint32_t config[QNETD_MAX_NODES]; /* the nodelist the nodes sent */
	unsigned n_nodes;
	struct qnetd_node nodes[QNETD_MAX_NODES];
	bool has_holder;
	struct qnetd_ring holder;
	uint64_t decisions;    /* times the holder changed */
	uint64_t unsettled_at; /* since when a node's ring is broken (0: none is) */
};

void qnetd_cluster_init(struct qnetd_cluster *c, enum qnetd_algorithm a, enum qnetd_tb_mode tb,
    uint32_t tb_node, bool keep_active);
/* A node connected (again) with the cluster's nodelist; false when the cluster is full. */
bool qnetd_cluster_connect(struct qnetd_cluster *c, uint32_t nodeid, const uint32_t *config,
    unsigned n_config, uint32_t dead_ms, uint64_t now);
void qnetd_cluster_disconnect(struct qnetd_cluster *c, uint32_t nodeid);
/* A node's membership after a configuration change. */
void qnetd_cluster_membership(struct qnetd_cluster *c, uint32_t nodeid,
    const struct qnetd_ring *ring, const uint32_t *members, unsigned n, uint64_t now);
/* A node's heuristics result (undefined again when it reconnects). */
void qnetd_cluster_heuristics(
    struct qnetd_cluster *c, uint32_t nodeid, enum qnetd_heuristics h, uint64_t now);
const char *qnetd_heuristics_name(enum qnetd_heuristics h);
/* A heartbeat (or any message) that says which vote the node applied last. */
void qnetd_cluster_heard(struct qnetd_cluster *c, uint32_t nodeid, uint32_t acked_seq, uint64_t now);
/* Disconnect the nodes silent for their dead time; true if any was. */
bool qnetd_cluster_expire(struct qnetd_cluster *c, uint64_t now);
/* Recompute every connected node's vote; a node whose vote changed gets vote_seq + 1.
 * Returns how many changed (the server sends those). */
unsigned qnetd_cluster_decide(struct qnetd_cluster *c, uint64_t now);

struct qnetd_node *qnetd_cluster_node(struct qnetd_cluster *c, uint32_t nodeid);
bool qnetd_ring_eq(const struct qnetd_ring *a, const struct qnetd_ring *b);
const char *qnetd_vote_name(enum qnetd_vote v);
const char *qnetd_algorithm_name(enum qnetd_algorithm a);
unsigned qnetd_cluster_connected(const struct qnetd_cluster *c);

#endif
