/*
 * algo.c - the arbiter's decision for one cluster: ffsplit and lms (see algo.h).
 */
#include <string.h>

#include "algo.h"

bool
qnetd_ring_eq(const struct qnetd_ring *a, const struct qnetd_ring *b)
{
	return a->rep == b->rep && a->seq == b->seq;
}

const char *
qnetd_vote_name(enum qnetd_vote v)
{
	switch (v) {
	case QNETD_VOTE_ACK: return "ACK";
	case QNETD_VOTE_NACK: return "NACK";
	case QNETD_VOTE_WAIT: break;
	}
	return "Wait for reply";
}

const char *
qnetd_algorithm_name(enum qnetd_algorithm a)
{
	return a == QNETD_ALGO_LMS ? "LMS" : "Fifty-Fifty split";
}

static bool
has(const uint32_t *v, unsigned n, uint32_t id)
{
	for (unsigned i = 0; i < n; i++)
		if (v[i] == id)
			return true;
	return false;
}

void
qnetd_cluster_init(struct qnetd_cluster *c, enum qnetd_algorithm a, enum qnetd_tb_mode tb,
    uint32_t tb_node, bool keep_active)
{
	memset(c, 0, sizeof(*c));
	c->algorithm = a;
	c->tb_mode = tb;
	c->tb_node = tb_node;
	c->keep_active = keep_active || a == QNETD_ALGO_LMS; /* lms always keeps it on a tie */
}

struct qnetd_node *
qnetd_cluster_node(struct qnetd_cluster *c, uint32_t nodeid)
{
	for (unsigned i = 0; i < c->n_nodes; i++)
		if (c->nodes[i].nodeid == nodeid)
			return &c->nodes[i];
	return NULL;
}

unsigned
qnetd_cluster_connected(const struct qnetd_cluster *c)
{
	unsigned n = 0;

	for (unsigned i = 0; i < c->n_nodes; i++)
		n += c->nodes[i].connected;
	return n;
}

bool
qnetd_cluster_connect(struct qnetd_cluster *c, uint32_t nodeid, const uint32_t *config,
    unsigned n_config, uint32_t dead_ms, uint64_t now)
{
	struct qnetd_node *n = qnetd_cluster_node(c, nodeid);
	uint32_t seq;

	if (!n) {
		if (c->n_nodes == QNETD_MAX_NODES)
			return false;
		n = &c->nodes[c->n_nodes++];
	}
	/* A node drops any vote it held when its connection ends, so a new connection starts
	 * from nothing; the vote numbering goes on (a late acknowledgement stays harmless). */
	seq = n->vote_seq;
	memset(n, 0, sizeof(*n));
	n->nodeid = nodeid;
	n->connected = true;
	n->last_seen = now;
	n->dead_ms = dead_ms;
	n->vote_seq = n->acked_seq = seq;
	if (n_config > QNETD_MAX_NODES)
		n_config = QNETD_MAX_NODES;
	if (n_config) {
		memcpy(c->config, config, n_config * sizeof(*config));
		c->n_config = n_config;
	}
	return true;
}

void
qnetd_cluster_disconnect(struct qnetd_cluster *c, uint32_t nodeid)
{
	struct qnetd_node *n = qnetd_cluster_node(c, nodeid);

	if (n) {
		n->connected = false;
		n->has_ring = false;
		n->holding = false;
		n->vote = QNETD_VOTE_WAIT;
	}
}

void
qnetd_cluster_membership(struct qnetd_cluster *c, uint32_t nodeid, const struct qnetd_ring *ring,
    const uint32_t *members, unsigned n, uint64_t now)
{
	struct qnetd_node *x = qnetd_cluster_node(c, nodeid);

	if (!x || !x->connected)
		return;
	if (n > QNETD_MAX_NODES)
		n = QNETD_MAX_NODES;
	x->has_ring = true;
	x->ring = *ring;
	memcpy(x->members, members, n * sizeof(*members));
	x->n_members = n;
	x->last_seen = now;
}

void
qnetd_cluster_heard(struct qnetd_cluster *c, uint32_t nodeid, uint32_t acked_seq, uint64_t now)
{
	struct qnetd_node *x = qnetd_cluster_node(c, nodeid);

	if (!x || !x->connected)
		return;
	x->last_seen = now;
	if (acked_seq <= x->vote_seq && acked_seq > x->acked_seq)
		x->acked_seq = acked_seq;
}

void
qnetd_cluster_heuristics(
    struct qnetd_cluster *c, uint32_t nodeid, enum qnetd_heuristics h, uint64_t now)
{
	struct qnetd_node *x = qnetd_cluster_node(c, nodeid);

	if (!x || !x->connected || h > QNETD_HEUR_FAIL)
		return;
	x->heuristics = h;
	x->last_seen = now;
}

const char *
qnetd_heuristics_name(enum qnetd_heuristics h)
{
	return h == QNETD_HEUR_PASS ? "Pass" : h == QNETD_HEUR_FAIL ? "Fail" : "Undefined";
}

bool
qnetd_cluster_expire(struct qnetd_cluster *c, uint64_t now)
{
	bool any = false;

	for (unsigned i = 0; i < c->n_nodes; i++) {
		struct qnetd_node *x = &c->nodes[i];
		if (x->connected && now >= x->last_seen + x->dead_ms) {
			qnetd_cluster_disconnect(c, x->nodeid);
			any = true;
		}
	}
	return any;
}

/* ---- partitions ---- */

struct part {
	struct qnetd_ring ring;
	const struct qnetd_node *first; /* its membership */
	unsigned connected;
	int score; /* connected + heuristics passed - heuristics failed */
	bool stable;
};

static unsigned
partitions(const struct qnetd_cluster *c, struct part *p)
{
	unsigned np = 0;

	for (unsigned i = 0; i < c->n_nodes; i++) {
		const struct qnetd_node *x = &c->nodes[i];
		unsigned k;
		if (!x->connected || !x->has_ring)
			continue;
		for (k = 0; k < np && !qnetd_ring_eq(&p[k].ring, &x->ring); k++)
			;
		if (k == np) {
			p[np].ring = x->ring;
			p[np].first = x;
			p[np].connected = 0;
			p[np].score = 0;
			np++;
		}
		p[k].connected++;
		p[k].score +=
		    1 + (x->heuristics == QNETD_HEUR_PASS) - (x->heuristics == QNETD_HEUR_FAIL);
	}
	for (unsigned k = 0; k < np; k++) {
		p[k].stable = true;
		for (unsigned i = 0; i < c->n_nodes && p[k].stable; i++) {
			const struct qnetd_node *x = &c->nodes[i];
			if (x->connected && has(p[k].first->members, p[k].first->n_members, x->nodeid))
				p[k].stable = x->has_ring && qnetd_ring_eq(&x->ring, &p[k].ring);
		}
	}
	return np;
}

static bool
eligible(const struct qnetd_cluster *c, const struct part *p)
{
	if (!p->stable)
		return false;
	if (c->algorithm == QNETD_ALGO_FFSPLIT)
		return 2 * p->first->n_members >= (c->n_config ? c->n_config : 1);
	return true;
}

static uint32_t
extreme(const struct part *p, bool lowest)
{
	uint32_t best = 0;

	for (unsigned i = 0; i < p->first->n_members; i++) {
		uint32_t id = p->first->members[i];
		if (!best || (lowest ? id < best : id > best))
			best = id;
	}
	return best;
}

/* <0: a is better, >0: b is better, 0: equal before the tie-breaker. ffsplit: more members,
 * then a higher score, then more connected nodes; lms: a higher score, then more connected
 * nodes, then more members. */
static int
score_cmp(const struct qnetd_cluster *c, const struct part *a, const struct part *b)
{
	int size = a->first->n_members == b->first->n_members ? 0
	    : a->first->n_members > b->first->n_members	      ? -1
							      : 1;
	int conn = a->connected == b->connected ? 0 : a->connected > b->connected ? -1 : 1;
	int score = a->score == b->score ? 0 : a->score > b->score ? -1 : 1;

	if (c->algorithm == QNETD_ALGO_LMS)
		return score ? score : conn ? conn : size;
	return size ? size : score ? score : conn;
}

static bool
tie_wins(const struct qnetd_cluster *c, const struct part *a, const struct part *b)
{
	if (c->tb_mode == QNETD_TB_NODE) {
		bool ha = has(a->first->members, a->first->n_members, c->tb_node);
		bool hb = has(b->first->members, b->first->n_members, c->tb_node);
		if (ha != hb)
			return ha;
	}
	if (c->tb_mode == QNETD_TB_HIGHEST)
		return extreme(a, false) > extreme(b, false);
	return extreme(a, true) < extreme(b, true);
}

static const struct part *
best_of(const struct qnetd_cluster *c, const struct part *p, unsigned np)
{
	const struct part *best = NULL;

	for (unsigned k = 0; k < np; k++) {
		int s;
		if (!eligible(c, &p[k]))
			continue;
		if (!best) {
			best = &p[k];
			continue;
		}
		s = score_cmp(c, &p[k], best);
		if (s < 0 || (s == 0 && tie_wins(c, &p[k], best)))
			best = &p[k];
	}
	return best;
}

/* A holder node stops counting its ACK: it moved ring, acknowledged the NACK, or its ring is
 * broken (a member of it reports another ring: that ring can deliver nothing any more). */
static void
release(struct qnetd_cluster *c)
{
	bool any = false;

	for (unsigned i = 0; i < c->n_nodes; i++) {
		struct qnetd_node *x = &c->nodes[i];
		bool broken = false;
		if (!x->holding)
			continue;
		for (unsigned k = 0; k < c->n_nodes && !broken; k++) {
			const struct qnetd_node *y = &c->nodes[k];
			broken = y->connected && y->has_ring &&
			    has(x->members, x->n_members, y->nodeid) &&
			    !qnetd_ring_eq(&y->ring, &c->holder);
		}
		if (!x->connected || !x->has_ring || !qnetd_ring_eq(&x->ring, &c->holder) ||
		    broken || (x->revoke_seq && x->acked_seq >= x->revoke_seq)) {
			x->holding = false;
			x->revoke_seq = 0;
		}
		any |= x->holding;
	}
	if (c->has_holder && !any)
		c->has_holder = false;
}

static void
set_vote(struct qnetd_node *x, enum qnetd_vote v, unsigned *changed)
{
	if (x->vote == v && qnetd_ring_eq(&x->vote_ring, &x->ring))
		return;
	x->vote = v;
	x->vote_ring = x->ring;
	x->vote_seq++;
	(*changed)++;
	if (v == QNETD_VOTE_ACK) {
		x->holding = true;
		x->revoke_seq = 0;
	} else if (x->holding) {
		x->revoke_seq = x->vote_seq;
	}
}

/* How long a new holder waits for nodes still in broken rings: a quarter of their timeout. */
static uint64_t
settle_ms(const struct qnetd_cluster *c)
{
	uint64_t ms = UINT64_MAX;

	for (unsigned i = 0; i < c->n_nodes; i++)
		if (c->nodes[i].connected && c->nodes[i].dead_ms / 6 < ms)
			ms = c->nodes[i].dead_ms / 6; /* dead time = 1.5 x timeout */
	return ms == UINT64_MAX ? 0 : ms;
}

unsigned
qnetd_cluster_decide(struct qnetd_cluster *c, uint64_t now)
{
	struct part p[QNETD_MAX_NODES];
	const struct part *best, *held = NULL;
	unsigned np, changed = 0;
	bool revoke = false, settling = false;

	release(c);
	np = partitions(c, p);
	best = best_of(c, p, np);
	if (c->has_holder) {
		for (unsigned k = 0; k < np; k++)
			if (qnetd_ring_eq(&p[k].ring, &c->holder))
				held = &p[k];
		/* Move the vote only to a better partition; on a tie keep_active keeps it. */
		if (best &&
		    (!held || !eligible(c, held) ||
			(!qnetd_ring_eq(&best->ring, &c->holder) &&
			    (score_cmp(c, best, held) < 0 || !c->keep_active))))
			revoke = !qnetd_ring_eq(&best->ring, &c->holder);
	} else if (best) {
		bool settled = true;
		for (unsigned k = 0; k < np; k++)
			settled = settled && p[k].stable;
		if (settled)
			c->unsettled_at = 0;
		else if (!c->unsettled_at)
			c->unsettled_at = now ? now : 1;
		if (settled || now >= c->unsettled_at + settle_ms(c)) {
			c->has_holder = true;
			c->holder = best->ring;
			c->decisions++;
			c->unsettled_at = 0;
		} else
			settling = true; /* every stable partition waits */
	}
	for (unsigned i = 0; i < c->n_nodes; i++) {
		struct qnetd_node *x = &c->nodes[i];
		enum qnetd_vote v = QNETD_VOTE_WAIT;
		if (!x->connected || !x->has_ring)
			continue;
		if (c->has_holder && qnetd_ring_eq(&x->ring, &c->holder))
			v = revoke ? QNETD_VOTE_NACK : QNETD_VOTE_ACK;
		else {
			for (unsigned k = 0; k < np; k++)
				if (qnetd_ring_eq(&p[k].ring, &x->ring) && p[k].stable)
					/* the best waits while the holder gives it back */
					v = settling || (best == &p[k] && (revoke || !c->has_holder))
					    ? QNETD_VOTE_WAIT
					    : QNETD_VOTE_NACK;
		}
		set_vote(x, v, &changed);
	}
	return changed;
}
