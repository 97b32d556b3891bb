/*
 * links.c - link choice and link state below the ring (see links.h).
 */
#include <stdlib.h>
#include <string.h>

#include "paceline/xalloc.h"
#include "links.h"

struct plink { /* one link to one node */
	bool up;
	uint32_t pongs; /* consecutive pongs while down */
	uint64_t last_pong;
	uint32_t rtt_ms;
	uint64_t tx, rx, downs;
};

struct peer {
	uint32_t nodeid;
	struct plink link[TOTEM_MAX_LINKS];
	uint32_t last_hash; /* of the last packet sent to this node alone */
	size_t last_len;
};

struct membership_links {
	uint32_t me;
	struct membership_links_params p;
	struct membership_links_ops ops;
	void *arg;
	struct peer *peers;
	unsigned n_peers;
	uint64_t next_ping[TOTEM_MAX_LINKS];
	unsigned rr;
	uint32_t recent[64]; /* hashes of the last packets sent to every node */
	unsigned n_recent;
};

struct membership_links *
membership_links_new(uint32_t my_nodeid, const uint32_t *nodes, unsigned n_nodes,
    const struct membership_links_params *p, const struct membership_links_ops *ops, void *arg)
{
	struct membership_links *l = XNEW(struct membership_links);

	l->me = my_nodeid;
	l->p = *p;
	l->ops = *ops;
	l->arg = arg;
	l->peers = xcalloc(n_nodes ? n_nodes : 1, sizeof(*l->peers));
	for (unsigned i = 0; i < n_nodes; i++)
		if (nodes[i] != my_nodeid)
			l->peers[l->n_peers++].nodeid = nodes[i];
	return l;
}

void
membership_links_free(struct membership_links *l)
{
	if (!l)
		return;
	free(l->peers);
	free(l);
}

static struct peer *
peer_of(const struct membership_links *l, uint32_t nodeid)
{
	for (unsigned i = 0; i < l->n_peers; i++)
		if (l->peers[i].nodeid == nodeid)
			return &l->peers[i];
	return NULL;
}

static unsigned
all_links(const struct membership_links *l)
{
	unsigned all = 0;

	for (unsigned k = 0; k < l->p.n_links; k++)
		if (l->p.configured[k])
			all |= 1u << k;
	return all;
}

/* The links a packet to this peer takes: a bit per link. */
static unsigned
choose(struct membership_links *l, const struct peer *pe, unsigned turn)
{
	unsigned up = 0, all = 0, n_up = 0, best = TOTEM_MAX_LINKS;

	for (unsigned k = 0; k < l->p.n_links; k++) {
		if (!l->p.configured[k])
			continue;
		all |= 1u << k;
		if (!pe->link[k].up)
			continue;
		up |= 1u << k;
		n_up++;
		if (best == TOTEM_MAX_LINKS || l->p.priority[k] > l->p.priority[best])
			best = k;
	}
	if (!up)
		return all;
	switch (l->p.mode) {
	case MEMBERSHIP_LINKS_ACTIVE: return up;
	case MEMBERSHIP_LINKS_RR:
		turn %= n_up;
		for (unsigned k = 0; k < l->p.n_links; k++)
			if ((up & (1u << k)) && turn-- == 0)
				return 1u << k;
		return up;
	default: return 1u << best;
	}
}

/* A packet's identity: its length and first bytes, which hold the type, the sender, the ring
 * and the token_seq or message seq, so a re-sent token or message hashes alike, another not. */
static uint32_t
fnv(const uint8_t *p, size_t len)
{
	uint32_t h = 2166136261u ^ (uint32_t)len;

	for (size_t i = 0; i < len && i < 64; i++)
		h = (h ^ p[i]) * 16777619u;
	return h;
}

/* Was this packet for every node sent lately? (a message re-sent on request) */
static bool
recent_group(struct membership_links *l, uint32_t h)
{
	for (unsigned i = 0; i < l->n_recent && i < 64; i++)
		if (l->recent[i] == h)
			return true;
	l->recent[l->n_recent++ % 64] = h;
	return false;
}

void
membership_links_send(struct membership_links *l, uint32_t to, const uint8_t *pkt, size_t len)
{
	unsigned turn = l->rr++, group = 0;
	uint32_t h = fnv(pkt, len);
	bool again = to == 0 && recent_group(l, h);

	for (unsigned i = 0; i < l->n_peers; i++) {
		struct peer *pe = &l->peers[i];
		unsigned use;
		if (to != 0 && pe->nodeid != to)
			continue;
		use = choose(l, pe, turn);
		if (again)
			use |= all_links(l);
		if (to != 0) {
			/* the same packet again (a token re-sent: the last copy was lost or is
			 * late): every link, so a link that died unnoticed costs one re-send */
			if (h == pe->last_hash && len == pe->last_len)
				use = choose(l, pe, turn) | all_links(l);
			pe->last_hash = h;
			pe->last_len = len;
		}
		for (unsigned k = 0; k < l->p.n_links; k++) {
			if (!(use & (1u << k)))
				continue;
			pe->link[k].tx++;
			if (to == 0 && l->p.group_send)
				group |= 1u << k;
			else
				l->ops.xmit(l->arg, k, pe->nodeid, pkt, len);
		}
	}
	for (unsigned k = 0; k < l->p.n_links; k++)
		if (group & (1u << k))
			l->ops.xmit(l->arg, k, 0, pkt, len);
}

static void
set_up(struct membership_links *l, struct peer *pe, unsigned k, bool up)
{
	struct plink *pl = &pe->link[k];

	if (pl->up == up)
		return;
	pl->up = up;
	pl->pongs = 0;
	if (!up)
		pl->downs++;
	if (l->ops.change)
		l->ops.change(l->arg, pe->nodeid, k, up);
}

static void
probe(struct membership_links *l, uint8_t type, unsigned k, uint32_t to, uint64_t stamp)
{
	struct totem_pkt p = { .type = type, .sender = l->me, .cluster = l->p.cluster };
	uint8_t buf[TOTEM_MAX_PACKET];
	size_t len;

	p.u.probe.link = (uint8_t)k;
	p.u.probe.stamp = stamp;
	len = totem_encode(&p, buf);
	l->ops.xmit(l->arg, k, to, buf, len);
}

bool
membership_links_recv(
    struct membership_links *l, unsigned link, const uint8_t *pkt, size_t len, uint64_t now_ms)
{
	struct totem_pkt p;
	enum totem_drop why;
	struct peer *pe;
	struct plink *pl;

	/* cheap look at the type first: ring packets are decoded by the ring itself */
	if (len < TOTEM_HDR_LEN || (pkt[3] != TOTEM_PKT_LINK_PING && pkt[3] != TOTEM_PKT_LINK_PONG)) {
		if (len >= 8 && link < l->p.n_links &&
		    (pe = peer_of(l,
			 (uint32_t)pkt[4] << 24 | (uint32_t)pkt[5] << 16 | (uint32_t)pkt[6] << 8 |
			     pkt[7])))
			pe->link[link].rx++;
		return false;
	}
	if (totem_decode(pkt, len, l->p.cluster, &p, &why) < 0 || link >= l->p.n_links ||
	    !l->p.configured[link] || p.u.probe.link != link || !(pe = peer_of(l, p.sender)))
		return true; /* a probe that makes no sense here: dropped */
	pl = &pe->link[link];
	pl->rx++;
	if (p.type == TOTEM_PKT_LINK_PING) {
		probe(l, TOTEM_PKT_LINK_PONG, link, p.sender, p.u.probe.stamp);
		return true;
	}
	if (p.u.probe.stamp > now_ms || now_ms - p.u.probe.stamp > l->p.ping_timeout_ms[link])
		return true; /* not a stamp of ours, or a pong too late to count */
	if (!pl->up && pl->pongs && now_ms - pl->last_pong > l->p.ping_timeout_ms[link])
		pl->pongs = 0;
	pl->last_pong = now_ms;
	pl->rtt_ms = (uint32_t)(now_ms - p.u.probe.stamp);
	if (!pl->up && ++pl->pongs >= l->p.pong_count[link])
		set_up(l, pe, link, true);
	return true;
}

uint64_t
membership_links_deadline(const struct membership_links *l)
{
	uint64_t at = UINT64_MAX;

	if (!l->n_peers)
		return at;
	for (unsigned k = 0; k < l->p.n_links; k++) {
		if (!l->p.configured[k])
			continue;
		if (l->next_ping[k] < at)
			at = l->next_ping[k];
		for (unsigned i = 0; i < l->n_peers; i++) {
			const struct plink *pl = &l->peers[i].link[k];
			if (pl->up && pl->last_pong + l->p.ping_timeout_ms[k] + 1 < at)
				at = pl->last_pong + l->p.ping_timeout_ms[k] + 1;
		}
	}
	return at;
}

void
membership_links_tick(struct membership_links *l, uint64_t now_ms)
{
	for (unsigned k = 0; k < l->p.n_links; k++) {
		if (!l->p.configured[k])
			continue;
		for (unsigned i = 0; i < l->n_peers; i++) {
			struct plink *pl = &l->peers[i].link[k];
			if (pl->up && now_ms > pl->last_pong + l->p.ping_timeout_ms[k])
				set_up(l, &l->peers[i], k, false);
		}
		if (now_ms >= l->next_ping[k] && l->n_peers) {
			for (unsigned i = 0; i < l->n_peers; i++)
				probe(l, TOTEM_PKT_LINK_PING, k, l->peers[i].nodeid, now_ms);
			l->next_ping[k] = now_ms + l->p.ping_interval_ms[k];
		}
	}
}

bool
membership_links_up(const struct membership_links *l, uint32_t nodeid, unsigned link)
{
	const struct peer *pe = peer_of(l, nodeid);

	return pe && link < l->p.n_links && pe->link[link].up;
}

unsigned
membership_links_status(
    const struct membership_links *l, struct membership_link_status *out, unsigned max)
{
	unsigned n = 0;

	for (unsigned i = 0; i < l->n_peers; i++) {
		for (unsigned k = 0; k < l->p.n_links && n < max; k++) {
			const struct plink *pl = &l->peers[i].link[k];
			if (!l->p.configured[k])
				continue;
			out[n].nodeid = l->peers[i].nodeid;
			out[n].link = (uint8_t)k;
			out[n].up = pl->up;
			out[n].rtt_ms = pl->rtt_ms;
			out[n].tx = pl->tx;
			out[n].rx = pl->rx;
			out[n].downs = pl->downs;
			n++;
		}
	}
	return n;
}
