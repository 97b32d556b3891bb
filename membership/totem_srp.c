/*
 * totem_srp.c - the ring half of the protocol core: entry points, the token (ordering,
 * retransmission requests, flow control, garbage collection), multicast messages, agreed
 * order delivery, and the recovery state that carries old-ring messages over a membership
 * change before the new ring is installed. Membership (gather/commit) is in totem_memb.c.
 *
 * Recovery, in short: the commit token told every member, for each member, its old ring,
 * how far it had received everything (old_aru) and the highest message it held (old_high).
 * Members of the same old ring re-send, as RECOVERY messages on the new ring, every old
 * message they hold above the lowest old_aru of their old ring mates. The new ring orders
 * and retransmits those like any message. The token's `done` field counts consecutive
 * members that had nothing left to send and held every message up to the token's seq; once
 * it reaches the ring size, every member holds every recovery message and can install.
 */
#include <stdlib.h>
#include <string.h>

#include "paceline/log.h"
#include "paceline/xalloc.h"
#include "totem_int.h"

static void handle_packet(struct totem *t, const uint8_t *buf, size_t len);

const char *
totem_state_name(enum totem_state s)
{
	switch (s) {
	case TOTEM_GATHER: return "gather";
	case TOTEM_COMMIT: return "commit";
	case TOTEM_RECOVERY: return "recovery";
	case TOTEM_OPERATIONAL: return "operational";
	}
	return "?";
}

/* ---- timers ---- */

void
totem_timer_set(struct totem *t, enum totem_timer which, uint64_t ms_from_now)
{
	t->deadline[which] = t->now + ms_from_now;
}

void
totem_timer_clear(struct totem *t, enum totem_timer which)
{
	t->deadline[which] = 0;
}

uint64_t
totem_next_deadline(const struct totem *t)
{
	uint64_t d = UINT64_MAX;

	for (int i = 0; i < TT_COUNT; i++)
		if (t->deadline[i] && t->deadline[i] < d)
			d = t->deadline[i];
	return d;
}

/* ---- sending ---- */

static void
selfq_drain(struct totem *t)
{
	if (t->draining)
		return;
	t->draining = true;
	while (t->selfq_n > 0) {
		uint8_t *pkt = t->selfq[0];
		size_t len = t->selfq_len[0];
		t->selfq_n--;
		memmove(t->selfq, t->selfq + 1, t->selfq_n * sizeof(t->selfq[0]));
		memmove(t->selfq_len, t->selfq_len + 1, t->selfq_n * sizeof(t->selfq_len[0]));
		handle_packet(t, pkt, len);
		free(pkt);
	}
	t->draining = false;
}

void
totem_xmit(struct totem *t, uint32_t to, const struct totem_pkt *p)
{
	uint8_t buf[TOTEM_MAX_PACKET];
	struct totem_pkt q = *p;
	size_t len;

	q.sender = t->me;
	q.cluster = t->p.cluster;
	len = totem_encode(&q, buf);
	if (to == t->me) {
		if (t->selfq_n == sizeof(t->selfq) / sizeof(t->selfq[0]))
			fatalx("totem: self queue overflow");
		t->selfq[t->selfq_n] = xmemdup(buf, len);
		t->selfq_len[t->selfq_n++] = len;
		return;
	}
	if (t->ops.send)
		t->ops.send(t->arg, to, buf, len);
}

/* Send a token (orf or commit) to the next member and keep it for re-sending until the
 * next member shows it has it (an ack, or the next token). */
void
totem_forward(struct totem *t, uint32_t to, const struct totem_pkt *p)
{
	struct totem_pkt q = *p;

	q.sender = t->me;
	q.cluster = t->p.cluster;
	t->last_pkt_len = totem_encode(&q, t->last_pkt);
	t->last_pkt_to = to;
	t->last_pkt_time = t->now;
	t->last_pkt_acked = false;
	t->last_pkt_ring = p->type == TOTEM_PKT_COMMIT ? p->u.commit.ring : p->u.token.ring;
	t->last_pkt_token_seq = p->type == TOTEM_PKT_COMMIT ? 0 : p->u.token.token_seq;
	totem_xmit(t, to, p);
	if (to != t->me)
		totem_timer_set(t, TT_TOKEN_RETRANS, t->p.token_retransmit_ms);
}

static void
mcast_send(struct totem *t, struct ring *r, uint32_t seq, const struct smsg *m)
{
	struct totem_pkt p = { .type = TOTEM_PKT_MCAST };
	struct totem_mcast *mc = &p.u.mcast;

	mc->ring = r->id;
	mc->seq = seq;
	mc->flags = m->flags;
	if (m->flags & TOTEM_MCAST_RECOVERY) {
		mc->origin_ring = m->origin_ring;
		mc->origin_seq = m->origin_seq;
	} else {
		mc->origin_ring = r->id;
		mc->origin_seq = seq;
	}
	mc->origin_sender = m->origin_sender;
	mc->msg_id = m->msg_id;
	mc->frag_idx = m->frag_idx;
	mc->frag_count = m->frag_count;
	mc->data_len = m->data_len;
	mc->data = m->data;
	totem_xmit(t, 0, &p);
}

/* ---- rings and delivery ---- */

void
totem_ring_free(struct ring *r)
{
	totem_store_free(&r->store);
	r->delivered = 0;
}

/* Deliver, in sequence order, everything contiguous on the installed ring. */
static void
deliver_ops(struct totem *t)
{
	struct ring *r = &t->ops_ring;

	while (r->delivered < r->store.aru) {
		struct smsg *m = totem_store_get(&r->store, r->delivered + 1);
		r->delivered++;
		if (m && !(m->flags & TOTEM_MCAST_RECOVERY))
			totem_reasm_feed(t, m);
	}
}

static void
confchg(struct totem *t, enum totem_conf_type type, const struct nodeset *s)
{
	if (t->ops.confchg)
		t->ops.confchg(t->arg, type, &t->new_ring.id, s->id, s->n);
}

/* RECOVERY -> OPERATIONAL: finish the old ring, then start delivering the new one. */
static void
install(struct totem *t)
{
	struct ring *old = &t->ops_ring, *nr = &t->new_ring;
	struct nodeset trans;

	totem_nodeset_and(&trans, &old->members, &nr->members);
	confchg(t, TOTEM_CONF_TRANSITIONAL, &trans);

	/* Old messages recovered by my old ring mates join my copy of the old ring. */
	log_debug("totem %u: install %u/%llu: old %u/%llu delivered %u aru %u high %u, new aru %u",
	    t->me, nr->id.rep, (unsigned long long)nr->id.seq, old->id.rep,
	    (unsigned long long)old->id.seq, old->delivered, old->store.aru, t->rec_high,
	    nr->store.aru);
	for (uint32_t s = nr->store.base + 1; s <= nr->store.aru; s++) {
		struct smsg *m = totem_store_get(&nr->store, s);
		if (m && (m->flags & TOTEM_MCAST_RECOVERY) &&
		    totem_ring_eq(&m->origin_ring, &old->id) &&
		    !totem_store_has(&old->store, m->origin_seq)) {
			struct smsg *c = totem_smsg_dup(m);
			c->flags &= ~TOTEM_MCAST_RECOVERY;
			totem_store_put(&old->store, m->origin_seq, c);
		}
	}
	while (old->delivered < t->rec_high && totem_store_has(&old->store, old->delivered + 1)) {
		struct smsg *m = totem_store_get(&old->store, old->delivered + 1);
		old->delivered++;
		if (m)
			totem_reasm_feed(t, m);
	}
	/* Half-reassembled messages die with the old configuration; their senders (if they
	 * survive) send them again whole (see requeue below). */
	totem_reasm_reset(t);
	totem_ring_free(old);

	t->ops_ring = *nr;
	totem_store_init(&nr->store);
	t->ops_ring.delivered = 0;
	t->state = TOTEM_OPERATIONAL;
	t->proc = t->ops_ring.members;
	totem_nodeset_clear(&t->fail);
	t->commit_stage = 0;
	t->orf_started = false;
	free(t->recq);
	t->recq = NULL;
	t->recq_n = t->recq_head = 0;
	for (struct outmsg *o = t->outq; o; o = o->next)
		o->next_frag = 0; /* a half-sent message starts over */
	t->stats.rings++;
	log_debug("totem %u: ring %u/%llu installed with %u members", t->me, t->ops_ring.id.rep,
	    (unsigned long long)t->ops_ring.id.seq, t->ops_ring.members.n);
	confchg(t, TOTEM_CONF_REGULAR, &t->ops_ring.members);
	if (t->ops_ring.id.rep == t->me && t->p.merge_ms)
		totem_timer_set(t, TT_MERGE, t->p.merge_ms);
	deliver_ops(t);
}

/* COMMIT -> RECOVERY (the commit token came round a second time). */
void
totem_recovery_enter(struct totem *t)
{
	const struct totem_commit *c = &t->commit;
	struct ring *old = &t->ops_ring;
	uint32_t low = UINT32_MAX, high = 0;

	t->state = TOTEM_RECOVERY;
	t->commit_stage = 2;
	for (unsigned i = 0; i < c->count; i++) {
		if (!totem_ring_eq(&c->e[i].old_ring, &old->id))
			continue;
		if (c->e[i].old_aru < low)
			low = c->e[i].old_aru;
		if (c->e[i].old_high > high)
			high = c->e[i].old_high;
	}
	if (low == UINT32_MAX)
		low = high = 0;
	t->rec_high = high;
	free(t->recq);
	t->recq = NULL;
	t->recq_n = t->recq_head = 0;
	for (uint32_t s = low + 1; s <= high; s++) {
		struct smsg *m = totem_store_get(&old->store, s);
		if (!m)
			continue;
		t->recq = xreallocarray(t->recq, t->recq_n + 1, sizeof(*t->recq));
		t->recq[t->recq_n++] = m; /* borrowed: the old store lives until install */
	}
	totem_ring_free(&t->new_ring);
	totem_store_init(&t->new_ring.store);
	t->last_token_seq = 0;
	t->idle_rotations = 0;
	t->rep_last_seq = 0;
	t->my_last_sent = 0;
	t->holding = false;
	totem_timer_clear(t, TT_HOLD);
	t->seen_seq = 0;
	t->ring_quiet = t->nudge_out = t->nudged = false;
	totem_timer_clear(t, TT_NUDGE);
	totem_timer_set(t, TT_TOKEN_LOSS, t->p.token_ms);
	log_debug("totem %u: recovery on ring %u/%llu, %u old messages to re-send (%u..%u]", t->me,
	    t->new_ring.id.rep, (unsigned long long)t->new_ring.id.seq, t->recq_n, low, high);
}

/* The representative starts the new ring's first token. */
void
totem_orf_start(struct totem *t)
{
	struct totem_pkt p = { .type = TOTEM_PKT_ORF_TOKEN };

	t->orf_started = true;
	p.u.token.ring = t->new_ring.id;
	p.u.token.token_seq = 1;
	totem_xmit(t, t->me, &p);
}

/* ---- the token ---- */

static struct ring *
current_ring(struct totem *t)
{
	if (t->state == TOTEM_OPERATIONAL)
		return &t->ops_ring;
	if (t->state == TOTEM_RECOVERY)
		return &t->new_ring;
	return NULL;
}

static bool
rtr_has(const struct totem_token *tk, uint32_t seq)
{
	for (unsigned i = 0; i < tk->rtr_count; i++)
		if (tk->rtr[i] == seq)
			return true;
	return false;
}

static void
outq_pop(struct totem *t)
{
	struct outmsg *o = t->outq;

	t->outq = o->next;
	if (!t->outq)
		t->outq_tail = NULL;
	t->outq_n--;
	free(o->data);
	free(o);
}

/* Small whole messages at the head of the queue travel together in one PACKED packet, so
 * max_messages / window_size count packets, not tiny messages. NULL if fewer than two fit. */
static struct smsg *
pack_small(struct totem *t)
{
	size_t total = 0;
	unsigned k = 0;
	struct smsg *m;

	for (struct outmsg *o = t->outq; o && o->frag_count == 1 && o->next_frag == 0 &&
	     total + 2 + o->len <= TOTEM_MAX_FRAG_DATA;
	     o = o->next) {
		total += 2 + o->len;
		k++;
	}
	if (k < 2)
		return NULL;
	t->stats.packed++;
	m = xmalloc(sizeof(*m) + total);
	m->flags = TOTEM_MCAST_PACKED;
	m->origin_sender = t->me;
	m->msg_id = t->outq->msg_id;
	m->frag_idx = 0;
	m->frag_count = 1;
	m->data_len = (uint16_t)total;
	for (size_t off = 0; k > 0; k--) {
		struct outmsg *o = t->outq;
		m->data[off] = (uint8_t)(o->len >> 8);
		m->data[off + 1] = (uint8_t)(o->len & 0xff);
		memcpy(m->data + off + 2, o->data, o->len);
		off += 2 + o->len;
		outq_pop(t);
	}
	return m;
}

/* Broadcast new messages under the token: recovery messages in RECOVERY, local
 * application fragments in OPERATIONAL. Returns how many. */
static uint32_t
send_new(struct totem *t, struct ring *r, struct totem_token *tk)
{
	uint32_t others = tk->fcc >= t->my_last_sent ? tk->fcc - t->my_last_sent : 0;
	uint32_t allowed = t->p.max_messages, sent = 0;
	uint32_t outstanding = tk->seq - tk->aru;

	if (others >= t->p.window_size)
		allowed = 0;
	else if (t->p.window_size - others < allowed)
		allowed = t->p.window_size - others;
	/* never let the ring run further ahead of its slowest member than two windows */
	if (outstanding >= 2 * t->p.window_size)
		allowed = 0;
	else if (2 * t->p.window_size - outstanding < allowed)
		allowed = 2 * t->p.window_size - outstanding;

	while (sent < allowed) {
		struct smsg *m;
		if (t->state == TOTEM_RECOVERY) {
			if (t->recq_head == t->recq_n)
				break;
			/* origin_ring/origin_seq of a stored message name its old ring and seq */
			m = totem_smsg_dup(t->recq[t->recq_head++]);
			m->flags |= TOTEM_MCAST_RECOVERY;
		} else if ((m = pack_small(t)) != NULL) {
			/* several small messages in one packet */
		} else {
			struct outmsg *o = t->outq;
			uint16_t fi;
			size_t off, n;
			if (!o)
				break;
			fi = o->next_frag;
			off = (size_t)fi * TOTEM_MAX_FRAG_DATA;
			n = o->len - off > TOTEM_MAX_FRAG_DATA ? TOTEM_MAX_FRAG_DATA : o->len - off;
			m = xmalloc(sizeof(*m) + n);
			m->flags = 0;
			m->origin_sender = t->me;
			m->msg_id = o->msg_id;
			m->frag_idx = fi;
			m->frag_count = o->frag_count;
			m->data_len = (uint16_t)n;
			memcpy(m->data, o->data + off, n);
			if (++o->next_frag == o->frag_count)
				outq_pop(t);
		}
		tk->seq++;
		if (!(m->flags & TOTEM_MCAST_RECOVERY)) {
			m->origin_ring = r->id;
			m->origin_seq = tk->seq;
		}
		mcast_send(t, r, tk->seq, m);
		totem_store_put(&r->store, tk->seq, m);
		t->stats.mcast_sent++;
		sent++;
	}
	return sent;
}

static void
send_ack(struct totem *t, uint32_t to, const struct totem_ring_id *ring, uint64_t token_seq)
{
	struct totem_pkt p = { .type = TOTEM_PKT_TOKEN_ACK };

	if (to == t->me)
		return;
	p.u.ack.ring = *ring;
	p.u.ack.token_seq = token_seq;
	totem_xmit(t, to, &p);
}

/* Phases after the retransmissions: send new messages, update aru/gc/fcc/done, deliver,
 * then hold the token (idle ring) or pass it on. Also runs when a held token is released. */
static void
token_pass(struct totem *t, struct totem_token *tk, bool may_hold)
{
	struct ring *r = current_ring(t);
	uint32_t sent, my_aru, next;
	bool install_after = false;
	struct totem_pkt p = { .type = TOTEM_PKT_ORF_TOKEN };

	sent = send_new(t, r, tk);
	tk->fcc = (tk->fcc >= t->my_last_sent ? tk->fcc - t->my_last_sent : 0) + sent;
	t->my_last_sent = sent;

	my_aru = r->store.aru;
	if (my_aru < tk->aru || tk->aru_id == t->me || tk->aru_id == 0) {
		tk->aru = my_aru;
		tk->aru_id = my_aru == tk->seq ? 0 : t->me;
	}
	if (my_aru < tk->rot_min)
		tk->rot_min = my_aru;
	if (t->state == TOTEM_OPERATIONAL) {
		uint32_t g = tk->gc < r->delivered ? tk->gc : r->delivered;
		totem_store_gc(&r->store, g);
	} else {
		if (sent == 0 && t->recq_head == t->recq_n && my_aru == tk->seq && tk->rtr_count == 0)
			tk->done++;
		else
			tk->done = 0;
		install_after = tk->done >= r->members.n;
	}
	if (t->state == TOTEM_OPERATIONAL)
		deliver_ops(t);

	next = totem_nodeset_next(&r->members, t->me);
	/* Only the representative holds the token, and only once the ring has been idle for
	 * a few rotations (as corosync's seqno_unchanged_const): a busy ring never waits. A
	 * member that has messages for an idle ring sends TOKEN_WANTED (recv_wanted): heard
	 * while holding, it releases the token at once; heard before, it skips this hold. */
	if (may_hold && t->state == TOTEM_OPERATIONAL && sent == 0 && tk->rtr_count == 0 &&
	    tk->aru == tk->seq && t->outq == NULL && t->me == r->members.id[0] && !t->nudged &&
	    t->idle_rotations >= TOTEM_HOLD_AFTER_IDLE && (t->p.hold_ms > 0 || next == t->me)) {
		/* hold at most a quarter of the token timeout per rotation, over all members */
		uint32_t hold = t->p.hold_ms, cap = t->p.token_ms / (4 * r->members.n);
		if (hold > cap)
			hold = cap;
		t->holding = true;
		t->held = *tk;
		totem_timer_set(t, TT_HOLD, hold ? hold : 1);
		return;
	}
	t->nudged = false;
	tk->token_seq++;
	p.u.token = *tk;
	totem_forward(t, next, &p);
	if (install_after)
		install(t);
}

static void
recv_token(struct totem *t, uint32_t sender, const struct totem_token *in)
{
	struct ring *r = current_ring(t);
	struct totem_token tk;

	if (!r || !totem_ring_eq(&in->ring, &r->id)) {
		totem_count_drop(t, TOTEM_DROP_STATE);
		return;
	}
	if (in->token_seq <= t->last_token_seq) {
		send_ack(t, sender, &in->ring, in->token_seq); /* a re-sent token: "got it" */
		return;
	}
	t->last_token_seq = in->token_seq;
	t->stats.tokens++;
	t->ring_quiet = in->seq == t->seen_seq;
	t->seen_seq = in->seq;
	t->nudge_out = false;
	totem_timer_clear(t, TT_TOKEN_RETRANS);
	t->last_pkt_len = 0;
	totem_timer_set(t, TT_TOKEN_LOSS, t->p.token_ms);

	if (t->state == TOTEM_RECOVERY && in->done >= r->members.n) {
		install(t); /* someone before me saw the whole ring complete */
		r = &t->ops_ring;
	}

	tk = *in;
	tk.rtr_count = 0;
	/* gc: the lowest aru of a full rotation, published by the representative once per
	 * rotation (here, not in token_pass, which runs again when a held token is released) */
	if (t->me == r->members.id[0]) {
		tk.gc = tk.rot_min;
		tk.rot_min = UINT32_MAX;
		if (tk.seq == t->rep_last_seq && t->outq == NULL)
			t->idle_rotations++;
		else
			t->idle_rotations = 0;
		t->rep_last_seq = tk.seq;
	}
	for (unsigned i = 0; i < in->rtr_count; i++) {
		uint32_t s = in->rtr[i];
		struct smsg *m = totem_store_get(&r->store, s);
		if (m) {
			mcast_send(t, r, s, m);
			t->stats.mcast_retransmits++;
		} else if (s > r->store.base && !rtr_has(&tk, s)) {
			tk.rtr[tk.rtr_count++] = s;
		}
	}
	for (uint32_t s = r->store.aru + 1; s <= tk.seq && tk.rtr_count < TOTEM_MAX_RTR; s++)
		if (!totem_store_get(&r->store, s) && !rtr_has(&tk, s))
			tk.rtr[tk.rtr_count++] = s;
	token_pass(t, &tk, true);
}

static void
recv_ack(struct totem *t, uint32_t sender, const struct totem_ack *a)
{
	if (t->last_pkt_len && sender == t->last_pkt_to &&
	    totem_ring_eq(&a->ring, &t->last_pkt_ring) && a->token_seq == t->last_pkt_token_seq) {
		t->last_pkt_acked = true;
		totem_timer_clear(t, TT_TOKEN_RETRANS);
	}
}

/* TOKEN_WANTED from a member of this ring: the representative passes a held token now;
 * when it holds none (the token is on its way), it will not hold the next one. At most one
 * early release per hold; a member asks at most once per token it receives. */
static void
recv_wanted(struct totem *t, uint32_t sender, const struct totem_wanted *w)
{
	struct ring *r = &t->ops_ring;

	if (t->state != TOTEM_OPERATIONAL || !totem_ring_eq(&w->ring, &r->id) ||
	    !totem_nodeset_has(&r->members, sender) || r->members.id[0] != t->me) {
		totem_count_drop(t, TOTEM_DROP_STATE);
		return;
	}
	if (t->holding) {
		struct totem_token tk = t->held;
		t->holding = false;
		totem_timer_clear(t, TT_HOLD);
		t->stats.nudges_heard++;
		token_pass(t, &tk, false);
	} else {
		t->nudged = true;
	}
}

/* Ask the representative of an idle ring for the token (TT_NUDGE, armed by totem_send). */
static void
send_wanted(struct totem *t)
{
	struct totem_pkt p = { .type = TOTEM_PKT_TOKEN_WANTED };
	struct ring *r = &t->ops_ring;

	if (t->state != TOTEM_OPERATIONAL || t->nudge_out || !t->ring_quiet || t->outq == NULL ||
	    r->members.n < 2 || r->members.id[0] == t->me)
		return;
	t->nudge_out = true;
	t->stats.nudges_sent++;
	p.u.wanted.ring = r->id;
	totem_xmit(t, r->members.id[0], &p);
}

static void
recv_mcast(struct totem *t, uint32_t sender, const struct totem_mcast *m)
{
	struct ring *r = current_ring(t);

	if (!r || !totem_ring_eq(&m->ring, &r->id) || !totem_nodeset_has(&r->members, sender)) {
		totem_count_drop(t, TOTEM_DROP_STATE);
		return;
	}
	totem_store_put(&r->store, m->seq, totem_smsg_new(m));
	if (t->state == TOTEM_OPERATIONAL)
		deliver_ops(t);
}

/* ---- entry points ---- */

void
totem_count_drop(struct totem *t, enum totem_drop why)
{
	t->stats.drops[why]++;
	log_trace("totem", "totem %u: packet dropped (%s)", t->me, totem_drop_name(why));
}

static void
handle_packet(struct totem *t, const uint8_t *buf, size_t len)
{
	struct totem_pkt p;
	enum totem_drop why;

	if (totem_decode(buf, len, t->p.cluster, &p, &why) < 0) {
		totem_count_drop(t, why);
		return;
	}
	if (!totem_nodeset_has(&t->nodes, p.sender)) {
		totem_count_drop(t, TOTEM_DROP_SENDER);
		return;
	}
	switch (p.type) {
	case TOTEM_PKT_ORF_TOKEN: recv_token(t, p.sender, &p.u.token); break;
	case TOTEM_PKT_MCAST: recv_mcast(t, p.sender, &p.u.mcast); break;
	case TOTEM_PKT_JOIN: totem_memb_recv_join(t, p.sender, &p.u.join); break;
	case TOTEM_PKT_COMMIT: totem_memb_recv_commit(t, p.sender, &p.u.commit); break;
	case TOTEM_PKT_MERGE: totem_memb_recv_merge(t, p.sender, &p.u.merge); break;
	case TOTEM_PKT_TOKEN_ACK: recv_ack(t, p.sender, &p.u.ack); break;
	case TOTEM_PKT_TOKEN_WANTED: recv_wanted(t, p.sender, &p.u.wanted); break;
	default: totem_count_drop(t, TOTEM_DROP_STATE); break; /* link probes: links.c's */
	}
}

void
totem_recv(struct totem *t, const uint8_t *pkt, size_t len, uint64_t now_ms)
{
	uint8_t sender[4];

	t->now = now_ms;
	/* only this node's own loop-back queue may carry its own id */
	if (len >= 8) {
		memcpy(sender, pkt + 4, 4);
		if (((uint32_t)sender[0] << 24 | (uint32_t)sender[1] << 16 |
			(uint32_t)sender[2] << 8 | sender[3]) == t->me) {
			totem_count_drop(t, TOTEM_DROP_SENDER);
			return;
		}
	}
	handle_packet(t, pkt, len);
	selfq_drain(t);
}

void
totem_tick(struct totem *t, uint64_t now_ms)
{
	t->now = now_ms;
	for (int i = 0; i < TT_COUNT; i++) {
		if (!t->deadline[i] || t->deadline[i] > now_ms)
			continue;
		t->deadline[i] = 0;
		switch ((enum totem_timer)i) {
		case TT_TOKEN_LOSS: totem_memb_gather_enter(t, "token lost"); break;
		case TT_TOKEN_RETRANS:
			if (t->last_pkt_len && t->ops.send) {
				t->ops.send(t->arg, t->last_pkt_to, t->last_pkt, t->last_pkt_len);
				t->stats.token_retransmits++;
				totem_timer_set(t, TT_TOKEN_RETRANS, t->p.token_retransmit_ms);
			}
			break;
		case TT_HOLD:
			if (t->holding && t->state == TOTEM_OPERATIONAL) {
				struct totem_token tk = t->held;
				t->holding = false;
				token_pass(t, &tk, false);
			}
			break;
		case TT_NUDGE: send_wanted(t); break;
		case TT_JOIN:
		case TT_CONSENSUS: totem_memb_timer(t, (enum totem_timer)i); break;
		case TT_MERGE:
			if (t->state == TOTEM_OPERATIONAL && t->ops_ring.id.rep == t->me) {
				totem_memb_send_merge(t);
				totem_timer_set(t, TT_MERGE, t->p.merge_ms);
			}
			break;
		case TT_COUNT: break;
		}
		selfq_drain(t);
	}
}

int
totem_send(struct totem *t, const void *data, size_t len, uint64_t now_ms)
{
	struct outmsg *o;

	t->now = now_ms;
	if (len == 0 || len > TOTEM_MAX_MSG || t->outq_n >= t->p.max_queue)
		return -1;
	o = XNEW(struct outmsg);
	o->msg_id = ++t->next_msg_id;
	o->frag_count = (uint16_t)((len + TOTEM_MAX_FRAG_DATA - 1) / TOTEM_MAX_FRAG_DATA);
	o->len = len;
	o->data = xmemdup(data, len);
	if (t->outq_tail)
		t->outq_tail->next = o;
	else
		t->outq = o;
	t->outq_tail = o;
	t->outq_n++;
	/* A held token is released at the next tick, never from inside this call: the caller
	 * may be a delivery callback. */
	if (t->holding)
		t->deadline[TT_HOLD] = now_ms;
	else if (t->state == TOTEM_OPERATIONAL && t->ring_quiet && !t->nudge_out &&
	    t->ops_ring.members.n > 1 && t->ops_ring.members.id[0] != t->me)
		t->deadline[TT_NUDGE] = now_ms;
	return 0;
}

struct totem *
totem_new(uint32_t my_nodeid, const uint32_t *nodes, unsigned n_nodes,
    const struct totem_params *params, const struct totem_ops *ops, void *arg, uint64_t ring_seq,
    uint64_t incarnation)
{
	struct totem *t = XNEW(struct totem);

	t->me = my_nodeid;
	totem_nodeset_from(&t->nodes, nodes, n_nodes);
	totem_nodeset_add(&t->nodes, my_nodeid);
	t->p = *params;
	if (t->p.max_messages == 0)
		t->p.max_messages = 17;
	if (t->p.window_size == 0)
		t->p.window_size = 50;
	if (t->p.max_queue == 0)
		t->p.max_queue = 1024;
	t->ops = *ops;
	t->arg = arg;
	/* Ring ids must never repeat for one representative, even if its persisted ring_seq
	 * was lost: every incarnation starts above the previous ones (65536 rings per ms). */
	t->max_ring_seq = ring_seq > (incarnation << 16) ? ring_seq : incarnation << 16;
	t->incarnation = incarnation;
	t->ops_ring.id.rep = my_nodeid;
	t->ops_ring.id.seq = 0;
	totem_nodeset_add(&t->ops_ring.members, my_nodeid);
	t->state = TOTEM_GATHER;
	return t;
}

void
totem_free(struct totem *t)
{
	if (!t)
		return;
	totem_ring_free(&t->ops_ring);
	totem_ring_free(&t->new_ring);
	free(t->recq);
	while (t->outq) {
		struct outmsg *o = t->outq;
		t->outq = o->next;
		free(o->data);
		free(o);
	}
	for (unsigned i = 0; i < t->reasm_n; i++)
		free(t->reasm[i].buf);
	free(t->reasm);
	for (unsigned i = 0; i < t->selfq_n; i++)
		free(t->selfq[i]);
	free(t);
}

void
totem_start(struct totem *t, uint64_t now_ms)
{
	t->now = now_ms;
	totem_memb_gather_enter(t, "start");
	selfq_drain(t);
}

enum totem_state
totem_get_state(const struct totem *t)
{
	return t->state;
}

unsigned
totem_members(const struct totem *t, struct totem_ring_id *ring, uint32_t *members)
{
	if (ring)
		*ring = t->ops_ring.id;
	if (members)
		memcpy(members, t->ops_ring.members.id, t->ops_ring.members.n * sizeof(uint32_t));
	return t->ops_ring.members.n;
}

const struct totem_stats *
totem_get_stats(const struct totem *t)
{
	return &t->stats;
}

unsigned
totem_queue_len(const struct totem *t)
{
	return t->outq_n;
}
