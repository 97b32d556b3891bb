/*
 * totem_memb.c - the membership half of the protocol core: gather (join messages until every
 * node in proc - fail sent the same proc and fail sets: consensus), commit (the commit token
 * goes round twice: once collecting each member's old-ring position, once telling everyone
 * the result) and merge detection between rings that do not know each other.
 *
 * Which joins count: each node numbers its joins (incarnation, join_seq); only a node's
 * newest join is kept. A join counts towards consensus only if it arrived since this node
 * last entered gather (the epoch). A join's ring_seq tells whether its sender already
 * installed (or accepted the commit token of) a ring: a join from a member of my ring with a
 * ring_seq below my ring's is a late copy from before that ring formed and is ignored.
 *
 * Failure detection: a node that passed a token on and never got an acknowledgement for
 * its re-sends (TOKEN_ACK answers a duplicate token) names the receiver failed in its join;
 * the others adopt that, so a crashed node costs one token timeout, not token + consensus.
 * Nodes that stay silent otherwise are failed when the consensus timer expires.
 */
#include <string.h>

#include "paceline/log.h"
#include "totem_int.h"

static struct join_rec *
join_rec(struct totem *t, uint32_t id)
{
	struct join_rec *free_slot = NULL;

	for (unsigned i = 0; i < TOTEM_MAX_NODES; i++) {
		if (t->joins[i].valid && t->joins[i].nodeid == id)
			return &t->joins[i];
		if (!t->joins[i].valid && !free_slot)
			free_slot = &t->joins[i];
	}
	if (free_slot) {
		memset(free_slot, 0, sizeof(*free_slot));
		free_slot->nodeid = id;
		free_slot->valid = true;
	}
	return free_slot;
}

static void
ring_seq_seen(struct totem *t, uint64_t seq, bool persist)
{
	if (seq > t->max_ring_seq) {
		t->max_ring_seq = seq;
		if (persist && t->ops.ring_seq_store)
			t->ops.ring_seq_store(t->arg, seq);
	}
}

static void
send_join(struct totem *t)
{
	struct totem_pkt p = { .type = TOTEM_PKT_JOIN };
	struct totem_join *j = &p.u.join;

	j->incarnation = t->incarnation;
	j->join_seq = ++t->join_seq;
	j->ring_seq = t->max_ring_seq;
	j->proc_count = (uint16_t)t->proc.n;
	memcpy(j->proc, t->proc.id, t->proc.n * sizeof(uint32_t));
	j->fail_count = (uint16_t)t->fail.n;
	memcpy(j->fail, t->fail.id, t->fail.n * sizeof(uint32_t));
	totem_xmit(t, 0, &p);
	totem_timer_set(t, TT_JOIN, t->p.join_ms);
}

static void commit_create(struct totem *t, const struct nodeset *members);

static void
check_consensus(struct totem *t)
{
	struct nodeset members;

	if (t->state != TOTEM_GATHER)
		return;
	t->consensus = false;
	totem_nodeset_minus(&members, &t->proc, &t->fail);
	for (unsigned i = 0; i < members.n; i++) {
		const struct join_rec *r;
		if (members.id[i] == t->me)
			continue;
		r = join_rec(t, members.id[i]);
		if (!r || r->epoch != t->epoch || !totem_nodeset_eq(&r->proc, &t->proc) ||
		    !totem_nodeset_eq(&r->fail, &t->fail))
			return;
	}
	t->consensus = true;
	if (members.id[0] == t->me)
		commit_create(t, &members);
}

/* Enter gather without announcing it yet: the caller merges what made it leave first. */
static void
gather_begin(struct totem *t, const char *why)
{
	enum totem_state from = t->state;

	if (from == TOTEM_OPERATIONAL || t->proc.n == 0) {
		t->proc = t->ops_ring.members;
		totem_nodeset_clear(&t->fail);
	}
	totem_nodeset_add(&t->proc, t->me);
	/* The member I passed the token to never acknowledged it: name it failed. */
	if (t->last_pkt_len && !t->last_pkt_acked && t->last_pkt_to != t->me &&
	    t->now - t->last_pkt_time >= 2ull * t->p.token_retransmit_ms &&
	    totem_nodeset_has(&t->proc, t->last_pkt_to)) {
		totem_nodeset_add(&t->fail, t->last_pkt_to);
		log_debug("totem %u: node %u never acknowledged the token", t->me, t->last_pkt_to);
	}
	t->last_pkt_len = 0;
	totem_timer_clear(t, TT_TOKEN_LOSS);
	totem_timer_clear(t, TT_TOKEN_RETRANS);
	totem_timer_clear(t, TT_HOLD);
	totem_timer_clear(t, TT_MERGE);
	t->holding = false;
	if (from == TOTEM_COMMIT || from == TOTEM_RECOVERY) {
		totem_ring_free(&t->new_ring);
		t->recq_n = t->recq_head = 0;
	}
	t->state = TOTEM_GATHER;
	t->epoch++;
	t->consensus = false;
	t->commit_stage = 0;
	t->orf_started = false;
	log_debug("totem %u: gather (%s) from %s", t->me, why, totem_state_name(from));
	totem_timer_set(t, TT_CONSENSUS, t->p.consensus_ms);
}

void
totem_memb_gather_enter(struct totem *t, const char *why)
{
	gather_begin(t, why);
	send_join(t);
	check_consensus(t);
}

/* Merge a join into the gather sets. */
static void
gather_merge(
    struct totem *t, uint32_t sender, const struct totem_join *j, struct join_rec *r, bool changed)
{
	bool grew = false;

	if (totem_nodeset_has(&t->fail, sender)) {
		if (changed)
			send_join(t);
		check_consensus(t);
		return;
	}
	r->epoch = t->epoch;
	for (unsigned i = 0; i < j->fail_count; i++) {
		if (j->fail[i] == t->me) {
			/* it gave up on me: I give up on it, each side forms its own ring */
			totem_nodeset_add(&t->fail, sender);
			send_join(t);
			check_consensus(t);
			return;
		}
	}
	for (unsigned i = 0; i < j->proc_count; i++)
		if (totem_nodeset_has(&t->nodes, j->proc[i]) &&
		    totem_nodeset_add(&t->proc, j->proc[i]))
			changed = grew = true;
	for (unsigned i = 0; i < j->fail_count; i++)
		if (totem_nodeset_has(&t->nodes, j->fail[i]) &&
		    totem_nodeset_add(&t->fail, j->fail[i]))
			changed = true;
	if (grew)
		totem_timer_set(t, TT_CONSENSUS, t->p.consensus_ms);
	if (changed)
		send_join(t);
	check_consensus(t);
}

void
totem_memb_recv_join(struct totem *t, uint32_t sender, const struct totem_join *j)
{
	struct join_rec *r = join_rec(t, sender);
	bool member, entered = false, names_me = false;

	if (!r || !totem_nodeset_has(&t->nodes, sender)) {
		totem_count_drop(t, TOTEM_DROP_STATE);
		return;
	}
	if (j->incarnation < r->incarnation ||
	    (j->incarnation == r->incarnation && j->join_seq <= r->join_seq))
		return; /* an older join than one already seen */
	r->incarnation = j->incarnation;
	r->join_seq = j->join_seq;
	r->ring_seq = j->ring_seq;
	r->epoch = 0;
	totem_nodeset_from(&r->proc, j->proc, j->proc_count);
	totem_nodeset_from(&r->fail, j->fail, j->fail_count);
	ring_seq_seen(t, j->ring_seq, false);

	for (unsigned i = 0; i < j->fail_count; i++)
		if (j->fail[i] == t->me)
			names_me = true;

	switch (t->state) {
	case TOTEM_OPERATIONAL:
		member = totem_nodeset_has(&t->ops_ring.members, sender);
		/* A join from outside that gave up on me belongs to a gather I am not part of;
		 * its sender forms its own ring and merge detection brings us together later.
		 * From a member it means my ring is breaking up: gather now (and fail it). */
		if (names_me && !member)
			return;
		/* the second copy of a leave (a join naming its own sender failed) from a node
		 * that is already out of my ring */
		if (!member && totem_nodeset_has(&r->fail, sender))
			return;
		if (member && j->ring_seq < t->ops_ring.id.seq)
			return; /* sent before my ring formed */
		gather_begin(t, member ? "a member left the ring" : "join from outside");
		entered = true;
		break;
	case TOTEM_COMMIT:
	case TOTEM_RECOVERY: {
		struct nodeset p = t->proc, f = t->fail;
		bool differs = false;
		member = totem_nodeset_has(&t->new_ring.members, sender);
		if (member) {
			if (j->ring_seq < t->new_ring.id.seq)
				return; /* from the gather that led here */
			gather_begin(t, "a member abandoned the new ring");
			entered = true;
			break;
		}
		if (totem_nodeset_has(&t->fail, sender) || names_me)
			return;
		for (unsigned i = 0; i < j->proc_count; i++)
			differs |= totem_nodeset_has(&t->nodes, j->proc[i]) &&
			    totem_nodeset_add(&p, j->proc[i]);
		for (unsigned i = 0; i < j->fail_count; i++)
			differs |= totem_nodeset_has(&t->nodes, j->fail[i]) &&
			    totem_nodeset_add(&f, j->fail[i]);
		if (!differs)
			return;
		gather_begin(t, "join from outside the new ring");
		entered = true;
		break;
	}
	case TOTEM_GATHER: break;
	}
	gather_merge(t, sender, j, r, entered);
}

static void
commit_create(struct totem *t, const struct nodeset *members)
{
	struct totem_pkt p = { .type = TOTEM_PKT_COMMIT };
	struct totem_commit *c = &p.u.commit;

	c->ring.rep = t->me;
	c->ring.seq =
	    (t->max_ring_seq > t->ops_ring.id.seq ? t->max_ring_seq : t->ops_ring.id.seq) + 1;
	c->stage = 1;
	c->count = (uint16_t)members->n;
	for (unsigned i = 0; i < members->n; i++)
		c->e[i].nodeid = members->id[i];
	c->e[0].old_ring = t->ops_ring.id;
	c->e[0].old_aru = t->ops_ring.store.aru;
	c->e[0].old_high = t->ops_ring.store.high;
	c->e[0].filled = 1;
	ring_seq_seen(t, c->ring.seq, true);
	t->commit = *c;
	t->new_ring.id = c->ring;
	t->new_ring.members = *members;
	t->state = TOTEM_COMMIT;
	t->commit_stage = 1;
	totem_timer_clear(t, TT_JOIN);
	totem_timer_clear(t, TT_CONSENSUS);
	totem_timer_set(t, TT_TOKEN_LOSS, t->p.token_ms);
	log_debug("totem %u: commit ring %u/%llu with %u members", t->me, c->ring.rep,
	    (unsigned long long)c->ring.seq, c->count);
	totem_forward(t, totem_nodeset_next(members, t->me), &p);
}

static void
commit_ack(struct totem *t, uint32_t sender, const struct totem_commit *c)
{
	struct totem_pkt p = { .type = TOTEM_PKT_TOKEN_ACK };

	if (sender == t->me)
		return;
	p.u.ack.ring = c->ring;
	p.u.ack.token_seq = c->stage;
	totem_xmit(t, sender, &p);
}

void
totem_memb_recv_commit(struct totem *t, uint32_t sender, const struct totem_commit *c)
{
	struct nodeset members, want;
	struct totem_pkt p = { .type = TOTEM_PKT_COMMIT };
	int idx = -1;
	bool all = true;

	totem_nodeset_clear(&members);
	for (unsigned i = 0; i < c->count; i++) {
		totem_nodeset_add(&members, c->e[i].nodeid);
		if (c->e[i].nodeid == t->me)
			idx = (int)i;
		all &= c->e[i].filled != 0;
	}
	if (idx < 0) {
		totem_count_drop(t, TOTEM_DROP_STATE);
		return;
	}
	p.u.commit = *c;
	if (t->state == TOTEM_GATHER) {
		totem_nodeset_minus(&want, &t->proc, &t->fail);
		if (c->stage != 1 || !totem_nodeset_eq(&members, &want) ||
		    c->ring.seq <= t->ops_ring.id.seq || c->e[idx].filled) {
			totem_count_drop(t, TOTEM_DROP_STATE);
			return;
		}
		p.u.commit.e[idx].old_ring = t->ops_ring.id;
		p.u.commit.e[idx].old_aru = t->ops_ring.store.aru;
		p.u.commit.e[idx].old_high = t->ops_ring.store.high;
		p.u.commit.e[idx].filled = 1;
		ring_seq_seen(t, c->ring.seq, true);
		t->commit = p.u.commit;
		t->new_ring.id = c->ring;
		t->new_ring.members = members;
		t->state = TOTEM_COMMIT;
		t->commit_stage = 1;
		totem_timer_clear(t, TT_JOIN);
		totem_timer_clear(t, TT_CONSENSUS);
		totem_timer_set(t, TT_TOKEN_LOSS, t->p.token_ms);
		totem_forward(t, totem_nodeset_next(&members, t->me), &p);
		return;
	}
	if (!totem_ring_eq(&c->ring, &t->new_ring.id) ||
	    (t->state != TOTEM_COMMIT && t->state != TOTEM_RECOVERY)) {
		totem_count_drop(t, TOTEM_DROP_STATE);
		return;
	}
	if (t->state == TOTEM_COMMIT && t->commit_stage == 1 &&
	    ((c->stage == 1 && t->me == c->ring.rep && all) ||
		(c->stage == 2 && t->me != c->ring.rep))) {
		p.u.commit.stage = 2;
		t->commit = p.u.commit;
		totem_timer_clear(t, TT_TOKEN_RETRANS);
		totem_forward(t, totem_nodeset_next(&members, t->me), &p);
		totem_recovery_enter(t);
		return;
	}
	if (t->state == TOTEM_RECOVERY && c->stage == 2 && t->me == c->ring.rep && !t->orf_started) {
		totem_timer_clear(t, TT_TOKEN_RETRANS);
		t->last_pkt_len = 0;
		totem_orf_start(t);
		return;
	}
	commit_ack(t, sender, c); /* a duplicate */
}

void
totem_memb_send_merge(struct totem *t)
{
	struct totem_pkt p = { .type = TOTEM_PKT_MERGE };

	p.u.merge.ring = t->ops_ring.id;
	totem_xmit(t, 0, &p);
}

void
totem_memb_recv_merge(struct totem *t, uint32_t sender, const struct totem_merge *m)
{
	if (t->state != TOTEM_OPERATIONAL || totem_ring_eq(&m->ring, &t->ops_ring.id) ||
	    totem_nodeset_has(&t->ops_ring.members, sender))
		return;
	gather_begin(t, "another ring detected");
	totem_nodeset_add(&t->proc, sender);
	send_join(t);
	check_consensus(t);
}

void
totem_memb_timer(struct totem *t, enum totem_timer which)
{
	struct nodeset members;

	if (t->state != TOTEM_GATHER)
		return;
	if (which == TT_JOIN) {
		send_join(t);
		return;
	}
	totem_nodeset_minus(&members, &t->proc, &t->fail);
	if (t->consensus) {
		if (members.id[0] != t->me)
			totem_nodeset_add(&t->fail, members.id[0]); /* it never sent the commit token */
	} else {
		struct nodeset silent = { 0 };
		for (unsigned i = 0; i < members.n; i++) {
			const struct join_rec *r;
			if (members.id[i] == t->me)
				continue;
			r = join_rec(t, members.id[i]);
			if (!r || r->epoch != t->epoch || !totem_nodeset_eq(&r->proc, &t->proc) ||
			    !totem_nodeset_eq(&r->fail, &t->fail))
				totem_nodeset_add(&silent, members.id[i]);
		}
		for (unsigned i = 0; i < silent.n; i++)
			totem_nodeset_add(&t->fail, silent.id[i]);
	}
	log_debug("totem %u: consensus timeout, %u failed", t->me, t->fail.n);
	totem_timer_set(t, TT_CONSENSUS, t->p.consensus_ms);
	send_join(t);
	check_consensus(t);
}

void
totem_leave(struct totem *t, uint64_t now_ms)
{
	struct totem_pkt p = { .type = TOTEM_PKT_JOIN };
	struct totem_join *j = &p.u.join;

	t->now = now_ms;
	j->incarnation = t->incarnation;
	j->ring_seq = t->max_ring_seq;
	j->proc_count = (uint16_t)t->ops_ring.members.n;
	memcpy(j->proc, t->ops_ring.members.id, t->ops_ring.members.n * sizeof(uint32_t));
	j->fail_count = 1;
	j->fail[0] = t->me;
	for (int i = 0; i < 2; i++) {
		j->join_seq = ++t->join_seq;
		totem_xmit(t, 0, &p);
	}
	log_debug("totem %u: leaving the ring", t->me);
}
