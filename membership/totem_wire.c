/*
 * totem_wire.c - encode and decode Totem packets (format in totem_wire.h).
 *
 * Writing goes through struct wbuf, reading through struct rbuf: each get/put checks the
 * room left, so no field is ever read past the end of a datagram.
 */
#include <stdlib.h>
#include <string.h>

#include "paceline/log.h"
#include "totem_wire.h"

static const char *const drop_names[TOTEM_DROP_COUNT_MAX] = {
	[TOTEM_DROP_SHORT] = "short",
	[TOTEM_DROP_MAGIC] = "magic",
	[TOTEM_DROP_VERSION] = "version",
	[TOTEM_DROP_TYPE] = "type",
	[TOTEM_DROP_CLUSTER] = "cluster",
	[TOTEM_DROP_SENDER] = "sender",
	[TOTEM_DROP_LENGTH] = "length",
	[TOTEM_DROP_COUNT] = "count",
	[TOTEM_DROP_NODEID] = "nodeid",
	[TOTEM_DROP_FRAG] = "fragment",
	[TOTEM_DROP_FIELD] = "field",
	[TOTEM_DROP_AUTH] = "auth",
	[TOTEM_DROP_STATE] = "state",
};

const char *
totem_drop_name(enum totem_drop d)
{
	return (unsigned)d < TOTEM_DROP_COUNT_MAX ? drop_names[d] : "?";
}

/* ---- writing ---- */

struct wbuf {
	uint8_t *p;
	size_t len;
};

static void
put8(struct wbuf *w, uint8_t v)
{
	if (w->len + 1 > TOTEM_MAX_PACKET)
		fatalx("totem_encode: packet over %d bytes", TOTEM_MAX_PACKET);
	w->p[w->len++] = v;
}

static void
put16(struct wbuf *w, uint16_t v)
{
	put8(w, v >> 8);
	put8(w, v & 0xff);
}

static void
put32(struct wbuf *w, uint32_t v)
{
	put16(w, v >> 16);
	put16(w, v & 0xffff);
}

static void
put64(struct wbuf *w, uint64_t v)
{
	put32(w, v >> 32);
	put32(w, v & 0xffffffffu);
}

static void
put_ring(struct wbuf *w, const struct totem_ring_id *r)
{
	put32(w, r->rep);
	put64(w, r->seq);
}

static void
put_bytes(struct wbuf *w, const void *p, size_t n)
{
	if (w->len + n > TOTEM_MAX_PACKET)
		fatalx("totem_encode: packet over %d bytes", TOTEM_MAX_PACKET);
	if (n)
		memcpy(w->p + w->len, p, n);
	w->len += n;
}

static bool
list_ok(const uint32_t *l, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		if (l[i] == 0 || (i > 0 && l[i] <= l[i - 1]))
			return false;
	return true;
}

size_t
totem_encode(const struct totem_pkt *p, uint8_t *out)
{
	struct wbuf w = { out, 0 };

	put16(&w, TOTEM_MAGIC);
	put8(&w, TOTEM_VERSION);
	put8(&w, p->type);
	put32(&w, p->sender);
	put32(&w, p->cluster);
	switch (p->type) {
	case TOTEM_PKT_ORF_TOKEN: {
		const struct totem_token *t = &p->u.token;
		if (t->rtr_count > TOTEM_MAX_RTR)
			fatalx("totem_encode: %u retransmit requests", t->rtr_count);
		put_ring(&w, &t->ring);
		put64(&w, t->token_seq);
		put32(&w, t->seq);
		put32(&w, t->aru);
		put32(&w, t->aru_id);
		put32(&w, t->fcc);
		put32(&w, t->done);
		put32(&w, t->gc);
		put32(&w, t->rot_min);
		put16(&w, t->rtr_count);
		put16(&w, 0);
		for (unsigned i = 0; i < t->rtr_count; i++)
			put32(&w, t->rtr[i]);
		break;
	}
	case TOTEM_PKT_MCAST: {
		const struct totem_mcast *m = &p->u.mcast;
		if (m->data_len > TOTEM_MAX_FRAG_DATA || m->frag_count == 0 ||
		    m->frag_idx >= m->frag_count)
			fatalx("totem_encode: bad mcast fragment %u/%u len %u", m->frag_idx,
			    m->frag_count, m->data_len);
		put_ring(&w, &m->ring);
		put32(&w, m->seq);
		put8(&w, m->flags);
		put8(&w, 0);
		put16(&w, m->data_len);
		put_ring(&w, &m->origin_ring);
		put32(&w, m->origin_seq);
		put32(&w, m->origin_sender);
		put32(&w, m->msg_id);
		put16(&w, m->frag_idx);
		put16(&w, m->frag_count);
		put_bytes(&w, m->data, m->data_len);
		break;
	}
	case TOTEM_PKT_JOIN: {
		const struct totem_join *j = &p->u.join;
		if (j->proc_count > TOTEM_MAX_NODES || j->fail_count > TOTEM_MAX_NODES ||
		    !list_ok(j->proc, j->proc_count) || !list_ok(j->fail, j->fail_count))
			fatalx("totem_encode: bad join lists");
		put64(&w, j->incarnation);
		put32(&w, j->join_seq);
		put64(&w, j->ring_seq);
		put16(&w, j->proc_count);
		put16(&w, j->fail_count);
		for (unsigned i = 0; i < j->proc_count; i++)
			put32(&w, j->proc[i]);
		for (unsigned i = 0; i < j->fail_count; i++)
			put32(&w, j->fail[i]);
		break;
	}
	case TOTEM_PKT_COMMIT: {
		const struct totem_commit *c = &p->u.commit;
		if (c->count == 0 || c->count > TOTEM_MAX_NODES)
			fatalx("totem_encode: commit with %u members", c->count);
		put_ring(&w, &c->ring);
		put8(&w, c->stage);
		put8(&w, 0);
		put16(&w, c->count);
		for (unsigned i = 0; i < c->count; i++) {
			const struct totem_commit_entry *e = &c->e[i];
			put32(&w, e->nodeid);
			put_ring(&w, &e->old_ring);
			put32(&w, e->old_aru);
			put32(&w, e->old_high);
			put8(&w, e->filled);
			put8(&w, 0);
			put16(&w, 0);
		}
		break;
	}
	case TOTEM_PKT_MERGE: put_ring(&w, &p->u.merge.ring); break;
	case TOTEM_PKT_TOKEN_WANTED: put_ring(&w, &p->u.wanted.ring); break;
	case TOTEM_PKT_TOKEN_ACK:
		put_ring(&w, &p->u.ack.ring);
		put64(&w, p->u.ack.token_seq);
		break;
	case TOTEM_PKT_LINK_PING:
	case TOTEM_PKT_LINK_PONG:
		if (p->u.probe.link >= TOTEM_MAX_LINKS)
			fatalx("totem_encode: link %u", p->u.probe.link);
		put8(&w, p->u.probe.link);
		put8(&w, 0);
		put16(&w, 0);
		put64(&w, p->u.probe.stamp);
		break;
	default: fatalx("totem_encode: unknown packet type %u", p->type);
	}
	return w.len;
}

/* ---- reading ---- */

struct rbuf {
	const uint8_t *p;
	size_t len;
	size_t off;
	bool short_read;
};

static bool
need(struct rbuf *r, size_t n)
{
	if (r->short_read || r->len - r->off < n) {
		r->short_read = true;
		return false;
	}
	return true;
}

static uint8_t
get8(struct rbuf *r)
{
	if (!need(r, 1))
		return 0;
	return r->p[r->off++];
}

static uint16_t
get16(struct rbuf *r)
{
	uint16_t hi = get8(r);
	return (uint16_t)(hi << 8 | get8(r));
}

static uint32_t
get32(struct rbuf *r)
{
	uint32_t hi = get16(r);
	return hi << 16 | get16(r);
}

static uint64_t
get64(struct rbuf *r)
{
	uint64_t hi = get32(r);
	return hi << 32 | get32(r);
}

static void
get_ring(struct rbuf *r, struct totem_ring_id *ring)
{
	ring->rep = get32(r);
	ring->seq = get64(r);
}

#define REJECT(reason)           \
	do {                     \
		*why = (reason); \
		return -1;       \
	} while (0)

static int
decode_token(struct rbuf *r, struct totem_token *t, enum totem_drop *why)
{
	get_ring(r, &t->ring);
	t->token_seq = get64(r);
	t->seq = get32(r);
	t->aru = get32(r);
	t->aru_id = get32(r);
	t->fcc = get32(r);
	t->done = get32(r);
	t->gc = get32(r);
	t->rot_min = get32(r);
	t->rtr_count = get16(r);
	(void)get16(r);
	if (r->short_read)
		REJECT(TOTEM_DROP_SHORT);
	if (t->rtr_count > TOTEM_MAX_RTR)
		REJECT(TOTEM_DROP_COUNT);
	if (r->len - r->off != (size_t)t->rtr_count * 4)
		REJECT(TOTEM_DROP_LENGTH);
	if (t->ring.rep == 0 || t->ring.seq == 0 || t->token_seq == 0 || t->aru > t->seq ||
	    t->gc > t->seq || t->rot_min > t->seq)
		REJECT(TOTEM_DROP_FIELD);
	for (unsigned i = 0; i < t->rtr_count; i++) {
		t->rtr[i] = get32(r);
		if (t->rtr[i] == 0 || t->rtr[i] > t->seq)
			REJECT(TOTEM_DROP_FIELD);
	}
	return 0;
}

static int
decode_mcast(struct rbuf *r, struct totem_mcast *m, enum totem_drop *why)
{
	get_ring(r, &m->ring);
	m->seq = get32(r);
	m->flags = get8(r);
	(void)get8(r);
	m->data_len = get16(r);
	get_ring(r, &m->origin_ring);
	m->origin_seq = get32(r);
	m->origin_sender = get32(r);
	m->msg_id = get32(r);
	m->frag_idx = get16(r);
	m->frag_count = get16(r);
	if (r->short_read)
		REJECT(TOTEM_DROP_SHORT);
	if (m->data_len > TOTEM_MAX_FRAG_DATA)
		REJECT(TOTEM_DROP_LENGTH);
	if (r->len - r->off != m->data_len)
		REJECT(TOTEM_DROP_LENGTH);
	if (m->frag_count == 0 || m->frag_idx >= m->frag_count)
		REJECT(TOTEM_DROP_FRAG);
	if (m->ring.rep == 0 || m->seq == 0 || (m->flags & ~TOTEM_MCAST_FLAGS) ||
	    m->origin_sender == 0 || m->origin_seq == 0 || m->origin_ring.rep == 0)
		REJECT(TOTEM_DROP_FIELD);
	if (!(m->flags & TOTEM_MCAST_RECOVERY) &&
	    (!totem_ring_eq(&m->origin_ring, &m->ring) || m->origin_seq != m->seq))
		REJECT(TOTEM_DROP_FIELD);
	m->data = r->p + r->off;
	r->off += m->data_len;
	if (m->flags & TOTEM_MCAST_PACKED) {
		size_t off = 0;
		if (m->frag_count != 1)
			REJECT(TOTEM_DROP_FRAG);
		while (off < m->data_len) {
			size_t n;
			if (m->data_len - off < 2)
				REJECT(TOTEM_DROP_LENGTH);
			n = (size_t)m->data[off] << 8 | m->data[off + 1];
			if (n == 0 || n > m->data_len - off - 2)
				REJECT(TOTEM_DROP_LENGTH);
			off += 2 + n;
		}
		if (off == 0)
			REJECT(TOTEM_DROP_LENGTH);
	}
	return 0;
}

static int
decode_list(struct rbuf *r, uint32_t *l, unsigned n, enum totem_drop *why)
{
	for (unsigned i = 0; i < n; i++)
		l[i] = get32(r);
	if (!list_ok(l, n))
		REJECT(TOTEM_DROP_NODEID);
	return 0;
}

static int
decode_join(struct rbuf *r, struct totem_join *j, enum totem_drop *why)
{
	j->incarnation = get64(r);
	j->join_seq = get32(r);
	j->ring_seq = get64(r);
	j->proc_count = get16(r);
	j->fail_count = get16(r);
	if (r->short_read)
		REJECT(TOTEM_DROP_SHORT);
	if (j->proc_count > TOTEM_MAX_NODES || j->fail_count > TOTEM_MAX_NODES)
		REJECT(TOTEM_DROP_COUNT);
	if (r->len - r->off != ((size_t)j->proc_count + j->fail_count) * 4)
		REJECT(TOTEM_DROP_LENGTH);
	if (decode_list(r, j->proc, j->proc_count, why) < 0 ||
	    decode_list(r, j->fail, j->fail_count, why) < 0)
		return -1;
	return 0;
}

static int
decode_commit(struct rbuf *r, struct totem_commit *c, enum totem_drop *why)
{
	get_ring(r, &c->ring);
	c->stage = get8(r);
	(void)get8(r);
	c->count = get16(r);
	if (r->short_read)
		REJECT(TOTEM_DROP_SHORT);
	if (c->count == 0 || c->count > TOTEM_MAX_NODES)
		REJECT(TOTEM_DROP_COUNT);
	if (r->len - r->off != (size_t)c->count * 28)
		REJECT(TOTEM_DROP_LENGTH);
	if (c->ring.rep == 0 || c->ring.seq == 0 || (c->stage != 1 && c->stage != 2))
		REJECT(TOTEM_DROP_FIELD);
	for (unsigned i = 0; i < c->count; i++) {
		struct totem_commit_entry *e = &c->e[i];
		e->nodeid = get32(r);
		get_ring(r, &e->old_ring);
		e->old_aru = get32(r);
		e->old_high = get32(r);
		e->filled = get8(r);
		(void)get8(r);
		(void)get16(r);
		if (e->nodeid == 0 || (i > 0 && e->nodeid <= c->e[i - 1].nodeid))
			REJECT(TOTEM_DROP_NODEID);
		if (e->filled > 1 || e->old_aru > e->old_high)
			REJECT(TOTEM_DROP_FIELD);
	}
	if (c->e[0].nodeid != c->ring.rep)
		REJECT(TOTEM_DROP_FIELD); /* the representative is the lowest member */
	return 0;
}

int
totem_decode(
    const uint8_t *buf, size_t len, uint32_t cluster, struct totem_pkt *p, enum totem_drop *why)
{
	struct rbuf r = { buf, len, 0, false };
	int rc;

	if (len < TOTEM_HDR_LEN)
		REJECT(TOTEM_DROP_SHORT);
	if (len > TOTEM_MAX_PACKET)
		REJECT(TOTEM_DROP_LENGTH);
	if (get16(&r) != TOTEM_MAGIC)
		REJECT(TOTEM_DROP_MAGIC);
	if (get8(&r) != TOTEM_VERSION)
		REJECT(TOTEM_DROP_VERSION);
	p->type = get8(&r);
	p->sender = get32(&r);
	p->cluster = get32(&r);
	if (p->type < TOTEM_PKT_ORF_TOKEN || p->type > TOTEM_PKT_TOKEN_WANTED)
		REJECT(TOTEM_DROP_TYPE);
	if (p->cluster != cluster)
		REJECT(TOTEM_DROP_CLUSTER);
	if (p->sender == 0)
		REJECT(TOTEM_DROP_SENDER);
	switch (p->type) {
	case TOTEM_PKT_ORF_TOKEN: rc = decode_token(&r, &p->u.token, why); break;
	case TOTEM_PKT_MCAST: rc = decode_mcast(&r, &p->u.mcast, why); break;
	case TOTEM_PKT_JOIN: rc = decode_join(&r, &p->u.join, why); break;
	case TOTEM_PKT_COMMIT: rc = decode_commit(&r, &p->u.commit, why); break;
	case TOTEM_PKT_TOKEN_ACK:
		get_ring(&r, &p->u.ack.ring);
		p->u.ack.token_seq = get64(&r);
		if (r.short_read)
			REJECT(TOTEM_DROP_SHORT);
		if (r.off != len)
			REJECT(TOTEM_DROP_LENGTH);
		if (p->u.ack.ring.rep == 0)
			REJECT(TOTEM_DROP_FIELD);
		rc = 0;
		break;
	case TOTEM_PKT_LINK_PING:
	case TOTEM_PKT_LINK_PONG:
		p->u.probe.link = get8(&r);
		(void)get8(&r);
		(void)get16(&r);
		p->u.probe.stamp = get64(&r);
		if (r.short_read)
			REJECT(TOTEM_DROP_SHORT);
		if (r.off != len)
			REJECT(TOTEM_DROP_LENGTH);
		if (p->u.probe.link >= TOTEM_MAX_LINKS)
			REJECT(TOTEM_DROP_FIELD);
		rc = 0;
		break;
	default: { /* MERGE, TOKEN_WANTED: a ring id alone */
		struct totem_ring_id ring;
		get_ring(&r, &ring);
		if (r.short_read)
			REJECT(TOTEM_DROP_SHORT);
		if (r.off != len)
			REJECT(TOTEM_DROP_LENGTH);
		if (ring.rep == 0)
			REJECT(TOTEM_DROP_FIELD);
		if (p->type == TOTEM_PKT_MERGE)
			p->u.merge.ring = ring;
		else
			p->u.wanted.ring = ring;
		rc = 0;
		break;
	}
	}
	if (rc == 0 && r.short_read)
		REJECT(TOTEM_DROP_SHORT);
	return rc;
}
