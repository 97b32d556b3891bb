/*
 * links.h - the transport below the ring: up to 8 links (networks) between the nodes, which
 * one a packet takes, and whether each link to each node works. A pure state machine like
 * totem_srp.h: no sockets, no clock. The daemon feeds it received datagrams and time and
 * gives it the ring's outgoing packets; the simulator drives the very same code.
 *
 * Link state, per (node, link), from probes: every ping_interval each node sends LINK_PING
 * on every link to every node; the receiver answers LINK_PONG on the same link, echoing the
 * stamp, so a pong proves the round trip (a one-way cut takes the link down on both sides).
 *
 *          pong_count pongs, each within ping_timeout of the last
 *   +------+ ------------------------------------------------> +----+
 *   | DOWN |                                                   | UP |
 *   +------+ <------------------------------------------------ +----+
 *               no pong for ping_timeout
 *
 * Which link a packet to a node takes (link_mode, as knet):
 *	passive  the up link of highest priority (ties: lowest link number)
 *	active   every up link (the ring ignores duplicates)
 *	rr       the up links in turn
 * A packet sent again (the ring re-sending a token that was not acknowledged, or a message a
 * member asked for again: same length and first 64 bytes as the last packet to that node, or
 * as one of the last 64 packets to every node) goes on every link: a link that died before
 * its probes noticed costs one re-send, not a token loss or a stall until the probes notice.
 * A node with no up link gets the packet on every configured link (start-up, or every link
 * down): the links never make things worse than one ring, and the loss of every link shows
 * up as the ring's token loss, a node failure detected as with one link.
 * group_send (transport udp): a packet for every node goes once per chosen link to the
 * link's multicast or broadcast group (to = 0) instead of once per node.
 */
#ifndef PACELINE_MEMBERSHIP_LINKS_H
#define PACELINE_MEMBERSHIP_LINKS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "totem_wire.h"

enum membership_links_mode {
	MEMBERSHIP_LINKS_PASSIVE = 0,
	MEMBERSHIP_LINKS_ACTIVE,
	MEMBERSHIP_LINKS_RR
};

struct membership_links_params {
	uint32_t cluster; /* cluster id of the probes */
	enum membership_links_mode mode;
	bool group_send;
	unsigned n_links; /* links 0 .. n_links-1, those configured */
	bool configured[TOTEM_MAX_LINKS];
	uint8_t priority[TOTEM_MAX_LINKS];
	uint32_t ping_interval_ms[TOTEM_MAX_LINKS];
	uint32_t ping_timeout_ms[TOTEM_MAX_LINKS];
	uint32_t pong_count[TOTEM_MAX_LINKS];
};

struct membership_links_ops {
	/* One datagram on one link, to a node (or 0: the link's group, group_send only). */
	void (*xmit)(void *arg, unsigned link, uint32_t to, const uint8_t *pkt, size_t len);
	/* optional: a link to a node went up or down */
	void (*change)(void *arg, uint32_t nodeid, unsigned link, bool up);
};

struct membership_link_status {
	uint32_t nodeid;
	uint8_t link;
	bool up;
	uint32_t rtt_ms; /* of the last pong */
	uint64_t tx, rx; /* datagrams sent to / received from the node on the link */
	uint64_t downs;	 /* times the link went down */
};

struct membership_links;

/* nodes: every configured nodeid, this one included. */
struct membership_links *membership_links_new(uint32_t my_nodeid, const uint32_t *nodes,
    unsigned n_nodes, const struct membership_links_params *p,
    const struct membership_links_ops *ops, void *arg);
void membership_links_free(struct membership_links *l);
/* The ring's send: to = a nodeid, or 0 for every other node. */
void membership_links_send(struct membership_links *l, uint32_t to, const uint8_t *pkt, size_t len);
/* A datagram (already authenticated) that arrived on link. true if it was a probe (consumed);
 * false: give it to the ring. */
bool membership_links_recv(
    struct membership_links *l, unsigned link, const uint8_t *pkt, size_t len, uint64_t now_ms);
uint64_t membership_links_deadline(const struct membership_links *l);
void membership_links_tick(struct membership_links *l, uint64_t now_ms);
bool membership_links_up(const struct membership_links *l, uint32_t nodeid, unsigned link);
/* Every (other node, configured link), by node then link; returns the count (<= max). */
unsigned membership_links_status(
    const struct membership_links *l, struct membership_link_status *out, unsigned max);

#endif
