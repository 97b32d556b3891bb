/*
 * totem_store.c - the data structures under the protocol: sorted node sets, the per-ring
 * message store (a window of slots indexed by sequence number) and the reassembly of
 * fragmented application messages in delivery order.
 */
#include <stdlib.h>
#include <string.h>

#include "paceline/xalloc.h"
#include "totem_int.h"

#define STORE_MAX_AHEAD 65536 /* a seq this far beyond base is refused (bounded memory) */

/* ---- node sets ---- */

void
totem_nodeset_clear(struct nodeset *s)
{
	s->n = 0;
}

bool
totem_nodeset_has(const struct nodeset *s, uint32_t id)
{
	for (unsigned i = 0; i < s->n; i++)
		if (s->id[i] == id)
			return true;
	return false;
}

bool
totem_nodeset_add(struct nodeset *s, uint32_t id)
{
	unsigned i;

	if (id == 0 || totem_nodeset_has(s, id) || s->n >= TOTEM_MAX_NODES)
		return false;
	for (i = s->n; i > 0 && s->id[i - 1] > id; i--)
		s->id[i] = s->id[i - 1];
	s->id[i] = id;
	s->n++;
	return true;
}

bool
totem_nodeset_eq(const struct nodeset *a, const struct nodeset *b)
{
	return a->n == b->n && memcmp(a->id, b->id, a->n * sizeof(a->id[0])) == 0;
}

void
totem_nodeset_from(struct nodeset *s, const uint32_t *ids, unsigned n)
{
	totem_nodeset_clear(s);
	for (unsigned i = 0; i < n; i++)
		totem_nodeset_add(s, ids[i]);
}

void
totem_nodeset_minus(struct nodeset *out, const struct nodeset *a, const struct nodeset *b)
{
	struct nodeset r = { 0 };

	for (unsigned i = 0; i < a->n; i++)
		if (!totem_nodeset_has(b, a->id[i]))
			r.id[r.n++] = a->id[i];
	*out = r;
}

void
totem_nodeset_and(struct nodeset *out, const struct nodeset *a, const struct nodeset *b)
{
	struct nodeset r = { 0 };

	for (unsigned i = 0; i < a->n; i++)
		if (totem_nodeset_has(b, a->id[i]))
			r.id[r.n++] = a->id[i];
	*out = r;
}

uint32_t
totem_nodeset_next(const struct nodeset *s, uint32_t id)
{
	for (unsigned i = 0; i < s->n; i++)
		if (s->id[i] > id)
			return s->id[i];
	return s->n ? s->id[0] : id;
}

/* ---- stored messages ---- */

struct smsg *
totem_smsg_new(const struct totem_mcast *m)
{
	struct smsg *s = xmalloc(sizeof(*s) + m->data_len);

	s->flags = m->flags;
	s->origin_ring = m->origin_ring;
	s->origin_seq = m->origin_seq;
	s->origin_sender = m->origin_sender;
	s->msg_id = m->msg_id;
	s->frag_idx = m->frag_idx;
	s->frag_count = m->frag_count;
	s->data_len = m->data_len;
	memcpy(s->data, m->data, m->data_len);
	return s;
}

struct smsg *
totem_smsg_dup(const struct smsg *m)
{
	return xmemdup(m, sizeof(*m) + m->data_len);
}

void
totem_store_init(struct store *st)
{
	memset(st, 0, sizeof(*st));
}

void
totem_store_free(struct store *st)
{
	for (uint32_t i = 0; i < st->cap; i++)
		free(st->slot[i]);
	free(st->slot);
	totem_store_init(st);
}

struct smsg *
totem_store_get(const struct store *st, uint32_t seq)
{
	if (seq <= st->base || seq - st->base > st->cap)
		return NULL;
	return st->slot[seq - st->base - 1];
}

bool
totem_store_has(const struct store *st, uint32_t seq)
{
	return seq <= st->base || totem_store_get(st, seq) != NULL;
}

bool
totem_store_put(struct store *st, uint32_t seq, struct smsg *m)
{
	uint32_t idx;

	if (seq <= st->base || seq - st->base > STORE_MAX_AHEAD || totem_store_get(st, seq)) {
		free(m);
		return false;
	}
	idx = seq - st->base - 1;
	if (idx >= st->cap) {
		uint32_t ncap = st->cap ? st->cap : 64;
		while (ncap <= idx)
			ncap *= 2;
		st->slot = xreallocarray(st->slot, ncap, sizeof(st->slot[0]));
		memset(st->slot + st->cap, 0, (ncap - st->cap) * sizeof(st->slot[0]));
		st->cap = ncap;
	}
	st->slot[idx] = m;
	if (seq > st->high)
		st->high = seq;
	while (totem_store_get(st, st->aru + 1))
		st->aru++;
	return true;
}

void
totem_store_gc(struct store *st, uint32_t upto)
{
	uint32_t k;

	if (upto <= st->base)
		return;
	if (upto > st->aru)
		upto = st->aru; /* never free beyond what is contiguous here */
	k = upto - st->base;
	if (k == 0)
		return;
	if (k > st->cap)
		k = st->cap;
	for (uint32_t i = 0; i < k; i++)
		free(st->slot[i]);
	memmove(st->slot, st->slot + k, (st->cap - k) * sizeof(st->slot[0]));
	memset(st->slot + st->cap - k, 0, k * sizeof(st->slot[0]));
	st->base += k;
}

/* ---- reassembly ---- */

void
totem_reasm_reset(struct totem *t)
{
	for (unsigned i = 0; i < t->reasm_n; i++) {
		t->reasm[i].active = false;
		t->reasm[i].len = 0;
	}
}

static struct reasm *
reasm_find(struct totem *t, uint32_t sender)
{
	for (unsigned i = 0; i < t->reasm_n; i++)
		if (t->reasm[i].sender == sender)
			return &t->reasm[i];
	t->reasm = xreallocarray(t->reasm, t->reasm_n + 1, sizeof(*t->reasm));
	memset(&t->reasm[t->reasm_n], 0, sizeof(*t->reasm));
	t->reasm[t->reasm_n].sender = sender;
	return &t->reasm[t->reasm_n++];
}

static void
deliver(struct totem *t, uint32_t sender, const uint8_t *data, size_t len)
{
	t->stats.delivered++;
	if (t->ops.deliver)
		t->ops.deliver(t->arg, sender, data, len);
}

/* Every member feeds the same fragments in the same order, so every member makes the same
 * decision here: a fragment out of sequence drops the partial message everywhere. */
void
totem_reasm_feed(struct totem *t, const struct smsg *m)
{
	struct reasm *r;

	if (m->flags & TOTEM_MCAST_PACKED) {
		/* checked by the decoder (or built here); walk with bounds anyway */
		for (size_t off = 0; off + 2 <= m->data_len;) {
			size_t n = (size_t)m->data[off] << 8 | m->data[off + 1];
			if (n == 0 || n > m->data_len - off - 2u)
				break;
			deliver(t, m->origin_sender, m->data + off + 2, n);
			off += 2 + n;
		}
		return;
	}
	if (m->frag_count == 1) {
		deliver(t, m->origin_sender, m->data, m->data_len);
		return;
	}
	r = reasm_find(t, m->origin_sender);
	if (m->frag_idx == 0) {
		r->active = true;
		r->msg_id = m->msg_id;
		r->next_frag = 0;
		r->len = 0;
	}
	if (!r->active || r->msg_id != m->msg_id || r->next_frag != m->frag_idx) {
		r->active = false;
		return;
	}
	if (r->len + m->data_len > r->cap) {
		r->cap = r->len + m->data_len > 2 * r->cap ? r->len + m->data_len : 2 * r->cap;
		r->buf = xrealloc(r->buf, r->cap);
	}
	if (m->data_len)
		memcpy(r->buf + r->len, m->data, m->data_len);
	r->len += m->data_len;
	r->next_frag++;
	if (r->next_frag == m->frag_count) {
		r->active = false;
		deliver(t, m->origin_sender, r->buf, r->len);
		r->len = 0;
	}
}
