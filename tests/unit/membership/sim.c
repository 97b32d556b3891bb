/*
 * sim.c - the simulated network and the invariant checker (see sim.h).
 *
 * Time only moves when the loop advances it to the next packet arrival, timer deadline or
 * caller-chosen end, so a run is a pure function of its seed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "paceline/xalloc.h"
#include "sim.h"

enum ev_type { EV_TRANS = 1, EV_REGULAR, EV_DELIVER };

struct ev {
	enum ev_type type;
	struct totem_ring_id ring;
	unsigned n;
	uint32_t members[SIM_MAX_NODES];
	uint64_t msg;
};

struct proc { /* one incarnation of one node */
	unsigned node;
	bool alive;
	struct ev *ev;
	size_t nev, cap;
	uint32_t counter;
	uint64_t *sent;	   /* message ids queued, with the index of the last REGULAR */
	size_t *sent_conf; /* event before them (SIZE_MAX: none yet) */
	size_t nsent, sent_cap;
	size_t last_regular; /* index in ev of the last REGULAR event, SIZE_MAX if none */
	char bad[160];	     /* first corrupt delivery seen */
};

struct pkt {
	uint64_t at, order;
	unsigned from, to, link;
	size_t len;
	uint8_t *data;
};

struct simnode {
	struct sim *s;
	unsigned idx;
	struct totem *t;
	struct membership_links *l; /* NULL without links */
	int proc;		    /* index into procs, -1 never started */
	uint64_t disk_ring_seq;
	uint64_t incarnation;
	unsigned group;
};

struct sim {
	unsigned n;
	struct totem_params p;
	struct sim_net net;
	uint64_t now, rng, order;
	struct simnode node[SIM_MAX_NODES];
	uint32_t ids[SIM_MAX_NODES];
	struct proc *procs;
	size_t nprocs;
	struct pkt *heap;
	size_t nheap, heap_cap;
	bool cut[SIM_MAX_NODES][SIM_MAX_NODES];
	unsigned n_links;
	struct membership_links_params lp;
	bool lcut[TOTEM_MAX_LINKS][SIM_MAX_NODES][SIM_MAX_NODES];
	uint64_t deliveries, sent;
	const struct sim_app_ops *app;
	void *app_arg;
};

/* ---- random numbers (xorshift64*) ---- */

uint64_t
sim_rand(struct sim *s)
{
	s->rng ^= s->rng >> 12;
	s->rng ^= s->rng << 25;
	s->rng ^= s->rng >> 27;
	return s->rng * 2685821657736338717ull;
}

static double
frand(struct sim *s)
{
	return (double)(sim_rand(s) >> 11) / (double)(1ull << 53);
}

/* ---- packet heap ---- */

static bool
pkt_before(const struct pkt *a, const struct pkt *b)
{
	return a->at < b->at || (a->at == b->at && a->order < b->order);
}

static void
heap_push(struct sim *s, struct pkt p)
{
	size_t i;

	if (s->nheap == s->heap_cap) {
		s->heap_cap = s->heap_cap ? 2 * s->heap_cap : 256;
		s->heap = xreallocarray(s->heap, s->heap_cap, sizeof(*s->heap));
	}
	i = s->nheap++;
	while (i > 0 && pkt_before(&p, &s->heap[(i - 1) / 2])) {
		s->heap[i] = s->heap[(i - 1) / 2];
		i = (i - 1) / 2;
	}
	s->heap[i] = p;
}

static struct pkt
heap_pop(struct sim *s)
{
	struct pkt top = s->heap[0], last = s->heap[--s->nheap];
	size_t i = 0;

	for (;;) {
		size_t c = 2 * i + 1;
		if (c >= s->nheap)
			break;
		if (c + 1 < s->nheap && pkt_before(&s->heap[c + 1], &s->heap[c]))
			c++;
		if (!pkt_before(&s->heap[c], &last))
			break;
		s->heap[i] = s->heap[c];
		i = c;
	}
	if (s->nheap)
		s->heap[i] = last;
	return top;
}

/* ---- callbacks of the protocol core ---- */

static bool
passes(const struct sim *s, unsigned from, unsigned to, unsigned link)
{
	return s->node[from].group == s->node[to].group && !s->cut[from][to] &&
	    !s->lcut[link][from][to];
}

static void
net_send1(struct sim *s, unsigned from, unsigned to, unsigned link, const uint8_t *data, size_t len)
{
	int copies = 1;

	if (!passes(s, from, to, link))
		return;
	if (frand(s) < s->net.loss)
		return;
	if (frand(s) < s->net.dup)
		copies = 2;
	while (copies-- > 0) {
		struct pkt p;
		p.at = s->now + 1 + sim_rand(s) % (s->net.max_delay_ms ? s->net.max_delay_ms : 1);
		p.order = s->order++;
		p.from = from;
		p.to = to;
		p.link = link;
		p.len = len;
		p.data = xmemdup(data, len);
		heap_push(s, p);
	}
}

static void
cb_send(void *arg, uint32_t to, const uint8_t *pkt, size_t len)
{
	struct simnode *sn = arg;
	struct sim *s = sn->s;

	if (sn->l) {
		membership_links_send(sn->l, to, pkt, len);
		return;
	}
	for (unsigned i = 0; i < s->n; i++)
		if (i != sn->idx && (to == 0 || s->ids[i] == to))
			net_send1(s, sn->idx, i, 0, pkt, len);
}

/* links.h's xmit: one link, one node or (0) the link's group, which is every other node */
static void
cb_xmit(void *arg, unsigned link, uint32_t to, const uint8_t *pkt, size_t len)
{
	struct simnode *sn = arg;
	struct sim *s = sn->s;

	for (unsigned i = 0; i < s->n; i++)
		if (i != sn->idx && (to == 0 || s->ids[i] == to))
			net_send1(s, sn->idx, i, link, pkt, len);
}

static struct ev *
ev_add(struct proc *p, enum ev_type type)
{
	if (p->nev == p->cap) {
		p->cap = p->cap ? 2 * p->cap : 64;
		p->ev = xreallocarray(p->ev, p->cap, sizeof(*p->ev));
	}
	memset(&p->ev[p->nev], 0, sizeof(p->ev[0]));
	p->ev[p->nev].type = type;
	return &p->ev[p->nev++];
}

static uint32_t
get32(const uint8_t *b)
{
	return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
}

static void
put32(uint8_t *b, uint32_t v)
{
	b[0] = v >> 24;
	b[1] = v >> 16;
	b[2] = v >> 8;
	b[3] = v;
}

static uint8_t
fill_byte(uint32_t proc, uint32_t counter, size_t i)
{
	return (uint8_t)(proc * 131 + counter * 31 + i);
}

static void
cb_deliver(void *arg, uint32_t sender, const uint8_t *data, size_t len)
{
	struct simnode *sn = arg;
	struct sim *s = sn->s;
	struct proc *p = &s->procs[sn->proc];
	uint32_t origin, counter;
	struct ev *e;

	s->deliveries++;
	if (s->app) {
		s->app->deliver(s->app_arg, sn->idx, sender, data, len);
		return;
	}
	if (len < 16 || get32(data + 8) != len) {
		if (!p->bad[0])
			snprintf(
			    p->bad, sizeof(p->bad), "delivery of %zu bytes with a bad header", len);
		return;
	}
	origin = get32(data);
	counter = get32(data + 4);
	if (origin >= s->nprocs || s->ids[s->procs[origin].node] != sender) {
		if (!p->bad[0])
			snprintf(p->bad, sizeof(p->bad),
			    "message of proc %u delivered as from node %u", origin, sender);
		return;
	}
	for (size_t i = 16; i < len; i++) {
		if (data[i] != fill_byte(origin, counter, i)) {
			if (!p->bad[0])
				snprintf(p->bad, sizeof(p->bad),
				    "message %u/%u corrupt at byte %zu", origin, counter, i);
			return;
		}
	}
	e = ev_add(p, EV_DELIVER);
	e->msg = (uint64_t)origin << 32 | counter;
}

static void
cb_confchg(void *arg, enum totem_conf_type type, const struct totem_ring_id *ring,
    const uint32_t *members, unsigned n)
{
	struct simnode *sn = arg;
	struct proc *p = &sn->s->procs[sn->proc];
	struct ev *e = ev_add(p, type == TOTEM_CONF_REGULAR ? EV_REGULAR : EV_TRANS);

	e->ring = *ring;
	e->n = n > SIM_MAX_NODES ? SIM_MAX_NODES : n;
	memcpy(e->members, members, e->n * sizeof(uint32_t));
	if (type == TOTEM_CONF_REGULAR)
		p->last_regular = p->nev - 1;
	if (type == TOTEM_CONF_REGULAR && sn->s->app)
		sn->s->app->confchg(sn->s->app_arg, sn->idx, members, n);
}

static void
cb_ring_seq(void *arg, uint64_t seq)
{
	struct simnode *sn = arg;

	sn->disk_ring_seq = seq;
}

static const struct totem_ops sim_ops = {
	.send = cb_send,
	.deliver = cb_deliver,
	.confchg = cb_confchg,
	.ring_seq_store = cb_ring_seq,
};

/* ---- driving ---- */

struct sim *
sim_new(unsigned n_nodes, uint64_t seed, const struct totem_params *params)
{
	struct sim *s = XNEW(struct sim);

	if (n_nodes == 0 || n_nodes > SIM_MAX_NODES)
		abort();
	s->n = n_nodes;
	s->p = *params;
	s->rng = seed * 0x9E3779B97F4A7C15ull + 0x1234567;
	if (!s->rng)
		s->rng = 1;
	s->net.max_delay_ms = 1;
	s->now = 1;
	for (unsigned i = 0; i < n_nodes; i++) {
		s->ids[i] = i + 1;
		s->node[i].s = s;
		s->node[i].idx = i;
		s->node[i].proc = -1;
	}
	return s;
}

void
sim_free(struct sim *s)
{
	for (unsigned i = 0; i < s->n; i++) {
		totem_free(s->node[i].t);
		membership_links_free(s->node[i].l);
	}
	for (size_t i = 0; i < s->nprocs; i++) {
		free(s->procs[i].ev);
		free(s->procs[i].sent);
		free(s->procs[i].sent_conf);
	}
	free(s->procs);
	for (size_t i = 0; i < s->nheap; i++)
		free(s->heap[i].data);
	free(s->heap);
	free(s);
}

uint64_t
sim_now(const struct sim *s)
{
	return s->now;
}
void
sim_set_net(struct sim *s, const struct sim_net *net)
{
	s->net = *net;
}
bool
sim_alive(const struct sim *s, unsigned node)
{
	return s->node[node].t != NULL;
}
struct totem *
sim_totem(struct sim *s, unsigned node)
{
	return s->node[node].t;
}
uint64_t
sim_deliveries(const struct sim *s)
{
	return s->deliveries;
}
uint64_t
sim_sent(const struct sim *s)
{
	return s->sent;
}

void
sim_start(struct sim *s, unsigned node)
{
	struct simnode *sn = &s->node[node];
	struct proc *p;

	if (sn->t)
		return;
	s->procs = xreallocarray(s->procs, s->nprocs + 1, sizeof(*s->procs));
	p = &s->procs[s->nprocs];
	memset(p, 0, sizeof(*p));
	p->node = node;
	p->alive = true;
	p->last_regular = SIZE_MAX;
	sn->proc = (int)s->nprocs++;
	/* like the daemon's start time in ms: grows across restarts, shared clock */
	sn->incarnation = s->now > sn->incarnation ? s->now : sn->incarnation + 1;
	sn->t = totem_new(
	    s->ids[node], s->ids, s->n, &s->p, &sim_ops, sn, sn->disk_ring_seq, sn->incarnation);
	if (s->n_links) {
		static const struct membership_links_ops lops = { .xmit = cb_xmit };
		sn->l = membership_links_new(s->ids[node], s->ids, s->n, &s->lp, &lops, sn);
		membership_links_tick(sn->l, s->now);
	}
	if (s->app)
		s->app->start(s->app_arg, node);
	totem_start(sn->t, s->now);
}

void
sim_set_app(struct sim *s, const struct sim_app_ops *ops, void *arg)
{
	s->app = ops;
	s->app_arg = arg;
}

int
sim_send_raw(struct sim *s, unsigned node, const uint8_t *data, size_t len)
{
	if (!s->node[node].t)
		return -1;
	return totem_send(s->node[node].t, data, len, s->now);
}

void
sim_crash(struct sim *s, unsigned node)
{
	struct simnode *sn = &s->node[node];

	if (!sn->t)
		return;
	totem_free(sn->t);
	sn->t = NULL;
	membership_links_free(sn->l);
	sn->l = NULL;
	s->procs[sn->proc].alive = false;
}

void
sim_partition(struct sim *s, const unsigned *group)
{
	for (unsigned i = 0; i < s->n; i++)
		s->node[i].group = group[i];
}

void
sim_heal(struct sim *s)
{
	for (unsigned i = 0; i < s->n; i++)
		s->node[i].group = 0;
	memset(s->cut, 0, sizeof(s->cut));
	memset(s->lcut, 0, sizeof(s->lcut));
}

void
sim_set_links(struct sim *s, unsigned n_links, enum membership_links_mode mode, bool group_send)
{
	memset(&s->lp, 0, sizeof(s->lp));
	s->n_links = n_links;
	s->lp.cluster = s->p.cluster;
	s->lp.mode = mode;
	s->lp.group_send = group_send;
	s->lp.n_links = n_links;
	for (unsigned k = 0; k < n_links; k++) {
		s->lp.configured[k] = true;
		s->lp.priority[k] = 1;
		s->lp.ping_interval_ms[k] = s->p.token_ms / 4;
		s->lp.ping_timeout_ms[k] = s->p.token_ms / 2;
		s->lp.pong_count[k] = 2;
	}
}

void
sim_cut_link(struct sim *s, unsigned link, unsigned from, unsigned to, bool cut)
{
	s->lcut[link][from][to] = cut;
}

struct membership_links *
sim_links(struct sim *s, unsigned node)
{
	return s->node[node].l;
}

void
sim_cut(struct sim *s, unsigned from, unsigned to, bool cut)
{
	s->cut[from][to] = cut;
}

void
sim_wipe_disk(struct sim *s, unsigned node)
{
	s->node[node].disk_ring_seq = 0;
}

bool
sim_tamper(struct sim *s, int how)
{
	for (size_t pi = 0; pi < s->nprocs; pi++) {
		struct proc *p = &s->procs[pi];
		for (size_t k = 0; k + 1 < p->nev; k++) {
			struct ev *a = &p->ev[k], *b = &p->ev[k + 1];
			if (a->type != EV_DELIVER || b->type != EV_DELIVER)
				continue;
			if (how == 1) {
				b->msg = a->msg;
			} else {
				uint64_t m = a->msg;
				a->msg = b->msg;
				b->msg = m;
			}
			return true;
		}
	}
	return false;
}

bool
sim_send(struct sim *s, unsigned node, size_t size)
{
	struct simnode *sn = &s->node[node];
	struct proc *p;
	uint8_t *buf;
	uint32_t counter;
	bool ok;

	if (!sn->t || size < 16)
		return false;
	p = &s->procs[sn->proc];
	counter = p->counter + 1;
	buf = xmalloc(size);
	put32(buf, (uint32_t)sn->proc);
	put32(buf + 4, counter);
	put32(buf + 8, (uint32_t)size);
	put32(buf + 12, 0);
	for (size_t i = 16; i < size; i++)
		buf[i] = fill_byte((uint32_t)sn->proc, counter, i);
	ok = totem_send(sn->t, buf, size, s->now) == 0;
	free(buf);
	if (!ok)
		return false;
	p->counter = counter;
	if (p->nsent == p->sent_cap) {
		p->sent_cap = p->sent_cap ? 2 * p->sent_cap : 64;
		p->sent = xreallocarray(p->sent, p->sent_cap, sizeof(*p->sent));
		p->sent_conf = xreallocarray(p->sent_conf, p->sent_cap, sizeof(*p->sent_conf));
	}
	p->sent[p->nsent] = (uint64_t)sn->proc << 32 | counter;
	p->sent_conf[p->nsent++] = p->last_regular;
	s->sent++;
	return true;
}

static uint64_t
next_event(struct sim *s)
{
	uint64_t t = s->nheap ? s->heap[0].at : UINT64_MAX;

	for (unsigned i = 0; i < s->n; i++) {
		if (s->node[i].t) {
			uint64_t d = totem_next_deadline(s->node[i].t);
			if (d < t)
				t = d;
		}
		if (s->node[i].l) {
			uint64_t d = membership_links_deadline(s->node[i].l);
			if (d < t)
				t = d;
		}
	}
	return t;
}

static void
step(struct sim *s)
{
	while (s->nheap && s->heap[0].at <= s->now) {
		struct pkt p = heap_pop(s);
		struct simnode *to = &s->node[p.to];
		if (to->t && passes(s, p.from, p.to, p.link) &&
		    !(to->l && membership_links_recv(to->l, p.link, p.data, p.len, s->now)))
			totem_recv(to->t, p.data, p.len, s->now);
		free(p.data);
	}
	for (unsigned i = 0; i < s->n; i++) {
		if (s->node[i].l && membership_links_deadline(s->node[i].l) <= s->now)
			membership_links_tick(s->node[i].l, s->now);
		if (s->node[i].t && totem_next_deadline(s->node[i].t) <= s->now)
			totem_tick(s->node[i].t, s->now);
	}
}

void
sim_run(struct sim *s, uint64_t ms)
{
	uint64_t end = s->now + ms;

	for (;;) {
		uint64_t t = next_event(s);
		if (t > end)
			break;
		if (t > s->now)
			s->now = t;
		step(s);
	}
	s->now = end;
}

unsigned
sim_members(struct sim *s, unsigned node, uint32_t *members)
{
	return s->node[node].t ? totem_members(s->node[node].t, NULL, members) : 0;
}

static bool
stable(struct sim *s)
{
	struct totem_ring_id ring0 = { 0, 0 };
	bool first = true;

	for (unsigned i = 0; i < s->n; i++) {
		struct totem *t = s->node[i].t;
		struct totem_ring_id ring;
		uint32_t m[TOTEM_MAX_NODES];
		unsigned n, want = 0;
		if (!t)
			continue;
		if (totem_get_state(t) != TOTEM_OPERATIONAL || totem_queue_len(t) != 0)
			return false;
		n = totem_members(t, &ring, m);
		for (unsigned j = 0; j < s->n; j++) {
			if (!s->node[j].t || s->node[j].group != s->node[i].group)
				continue;
			if (want >= n || m[want] != s->ids[j])
				return false;
			want++;
		}
		if (want != n)
			return false;
		if (s->node[i].group == 0) {
			if (!first && !totem_ring_eq(&ring, &ring0))
				return false;
			ring0 = ring;
			first = false;
		}
	}
	return true;
}

bool
sim_run_until_stable(struct sim *s, uint64_t limit_ms)
{
	uint64_t end = s->now + limit_ms, since = 0;

	while (s->now < end) {
		sim_run(s, 10);
		if (stable(s)) {
			if (!since)
				since = s->now;
			if (s->now - since >= 2ull * s->p.token_ms)
				return true;
		} else {
			since = 0;
		}
	}
	return false;
}

/* ---- invariants ---- */

struct seg { /* what one process delivered while in one regular config */
	size_t proc;
	struct totem_ring_id ring;
	struct totem_ring_id next; /* rep 0: none (crashed or still there) */
	bool current;		   /* alive and still in it at the end */
	uint64_t *msgs;
	size_t n, cap;
};

static void
seg_add(struct seg *g, uint64_t m)
{
	if (g->n == g->cap) {
		g->cap = g->cap ? 2 * g->cap : 32;
		g->msgs = xreallocarray(g->msgs, g->cap, sizeof(*g->msgs));
	}
	g->msgs[g->n++] = m;
}

static int
cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

static void
ring_str(char *buf, size_t sz, const struct totem_ring_id *r)
{
	snprintf(buf, sz, "%u/%llu", r->rep, (unsigned long long)r->seq);
}

bool
sim_check(struct sim *s, bool final, struct pl_buf *err)
{
	struct seg *segs = NULL;
	size_t nsegs = 0, nall = 0;
	uint64_t *all = NULL;
	bool ok = true;
	char r1[48], r2[48];

#define FAIL(...)                              \
	do {                                   \
		pl_buf_addf(err, __VA_ARGS__); \
		pl_buf_addc(err, '\n');        \
		ok = false;                    \
		goto out;                      \
	} while (0)

	for (size_t pi = 0; pi < s->nprocs; pi++) {
		struct proc *p = &s->procs[pi];
		uint32_t me = s->ids[p->node];
		uint32_t prev_members[SIM_MAX_NODES] = { me };
		unsigned prev_n = 1;
		struct seg *cur = NULL;
		const struct ev *trans = NULL;

		nall = 0;

		if (p->bad[0])
			FAIL("proc %zu (node %u): %s", pi, me, p->bad);
		for (size_t k = 0; k < p->nev; k++) {
			const struct ev *e = &p->ev[k];
			if (e->type == EV_TRANS) {
				trans = e;
				continue;
			}
			if (e->type == EV_DELIVER) {
				uint32_t sender;
				bool in = false;
				if (!cur)
					FAIL(
					    "proc %zu (node %u): delivery before any configuration",
					    pi, me);
				sender = s->ids[s->procs[e->msg >> 32].node];
				for (unsigned j = 0; j < prev_n; j++)
					in |= prev_members[j] == sender;
				if (!in)
					FAIL("proc %zu (node %u): message from node %u delivered "
					     "in a ring without it",
					    pi, me, sender);
				seg_add(cur, e->msg);
				all = xreallocarray(all, nall + 1, sizeof(*all));
				all[nall++] = e->msg;
				continue;
			}
			/* REGULAR: must follow its transitional configuration = old /\ new */
			{
				bool has_me = false;
				unsigned want = 0;
				for (unsigned j = 0; j < e->n; j++)
					has_me |= e->members[j] == me;
				if (!has_me)
					FAIL("proc %zu (node %u): installed a ring without itself",
					    pi, me);
				if (!trans || !totem_ring_eq(&trans->ring, &e->ring))
					FAIL("proc %zu (node %u): regular configuration without "
					     "transitional one",
					    pi, me);
				for (unsigned j = 0; j < prev_n; j++) {
					for (unsigned q = 0; q < e->n; q++) {
						if (prev_members[j] != e->members[q])
							continue;
						if (want >= trans->n ||
						    trans->members[want] != prev_members[j])
							FAIL("proc %zu (node %u): transitional "
							     "configuration is not old /\\ new",
							    pi, me);
						want++;
					}
				}
				if (want != trans->n)
					FAIL("proc %zu (node %u): transitional configuration has "
					     "extra members",
					    pi, me);
				trans = NULL;
			}
			if (cur)
				cur->next = e->ring;
			segs = xreallocarray(segs, nsegs + 1, sizeof(*segs));
			cur = &segs[nsegs++];
			memset(cur, 0, sizeof(*cur));
			cur->proc = pi;
			cur->ring = e->ring;
			memcpy(prev_members, e->members, e->n * sizeof(uint32_t));
			prev_n = e->n;
			/* the same ring id always has the same members */
			for (size_t g = 0; g + 1 < nsegs; g++) {
				if (!totem_ring_eq(&segs[g].ring, &e->ring))
					continue;
				const struct proc *q = &s->procs[segs[g].proc];
				for (size_t k2 = 0; k2 < q->nev; k2++) {
					const struct ev *f = &q->ev[k2];
					if (f->type == EV_REGULAR &&
					    totem_ring_eq(&f->ring, &e->ring) &&
					    (f->n != e->n ||
						memcmp(f->members, e->members, e->n * 4) != 0)) {
						ring_str(r1, sizeof(r1), &e->ring);
						FAIL("ring %s installed with different members by "
						     "procs %zu and %zu",
						    r1, segs[g].proc, pi);
					}
				}
				break;
			}
		}
		if (cur && p->alive)
			cur->current = true;
		if (nall)
			qsort(all, nall, sizeof(*all), cmp_u64);
		for (size_t k = 1; k < nall; k++) {
			if (all[k] == all[k - 1]) {
				FAIL("proc %zu (node %u): message %llu/%llu delivered twice", pi,
				    me, (unsigned long long)(all[k] >> 32),
				    (unsigned long long)(all[k] & 0xffffffff));
			}
		}
	}

	/* Agreed order and virtual synchrony, for every pair of processes in each ring. */
	for (size_t a = 0; a < nsegs; a++) {
		for (size_t b = a + 1; b < nsegs; b++) {
			struct seg *x = &segs[a], *y = &segs[b];
			size_t m = x->n < y->n ? x->n : y->n;
			bool same_next;
			if (!totem_ring_eq(&x->ring, &y->ring))
				continue;
			ring_str(r1, sizeof(r1), &x->ring);
			for (size_t k = 0; k < m; k++)
				if (x->msgs[k] != y->msgs[k])
					FAIL("ring %s: procs %zu and %zu disagree at delivery %zu",
					    r1, x->proc, y->proc, k);
			same_next = x->next.rep && totem_ring_eq(&x->next, &y->next);
			if ((same_next || (final && x->current && y->current)) && x->n != y->n) {
				ring_str(r2, sizeof(r2), &x->next);
				FAIL("ring %s: procs %zu and %zu moved together (to %s) but "
				     "delivered %zu vs %zu messages",
				    r1, x->proc, y->proc, same_next ? r2 : "the end", x->n, y->n);
			}
		}
	}

	/* Liveness after a stable end: what a live process queued in its final ring was
	 * delivered by every live process. */
	if (final) {
		for (size_t pi = 0; pi < s->nprocs; pi++) {
			struct proc *p = &s->procs[pi];
			if (!p->alive)
				continue;
			for (size_t k = 0; k < p->nsent; k++) {
				if (p->sent_conf[k] != p->last_regular || p->last_regular == SIZE_MAX)
					continue;
				for (size_t qi = 0; qi < s->nprocs; qi++) {
					struct proc *q = &s->procs[qi];
					bool found = false;
					if (!q->alive)
						continue;
					for (size_t e = 0; e < q->nev && !found; e++)
						found = q->ev[e].type == EV_DELIVER &&
						    q->ev[e].msg == p->sent[k];
					if (!found)
						FAIL("message %zu/%llu, queued in the final ring, "
						     "never delivered by proc %zu",
						    pi, (unsigned long long)(p->sent[k] & 0xffffffff),
						    qi);
				}
			}
		}
	}
out:
	free(all);
	for (size_t g = 0; g < nsegs; g++)
		free(segs[g].msgs);
	free(segs);
	return ok;
#undef FAIL
}

void
sim_dump(struct sim *s)
{
	for (size_t pi = 0; pi < s->nprocs; pi++) {
		struct proc *p = &s->procs[pi];
		fprintf(stderr, "proc %zu node %u%s:\n", pi, s->ids[p->node],
		    p->alive ? "" : " (dead)");
		for (size_t k = 0; k < p->nev; k++) {
			const struct ev *e = &p->ev[k];
			if (e->type == EV_DELIVER) {
				fprintf(stderr, "  deliver %llu/%llu\n",
				    (unsigned long long)(e->msg >> 32),
				    (unsigned long long)(e->msg & 0xffffffff));
				continue;
			}
			fprintf(stderr, "  %s %u/%llu [", e->type == EV_TRANS ? "trans" : "REGULAR",
			    e->ring.rep, (unsigned long long)e->ring.seq);
			for (unsigned j = 0; j < e->n; j++)
				fprintf(stderr, "%s%u", j ? " " : "", e->members[j]);
			fprintf(stderr, "]\n");
		}
	}
}
