/*
 * quorum.h - votequorum's decision as a pure calculator (votequorum(5)): no clock, no I/O.
 * Inputs are the members of each new regular configuration, the passing of time (for
 * last_man_standing_window), expected-votes changes and clean leaves, all applied in the
 * ring's agreed order so that every member of a configuration computes the same answer.
 *
 *	votes      each node's quorum_votes (default 1); total = the members' votes
 *	expected   configured expected_votes, else the nodelist's votes; raised to the total
 *	           present whenever more are present, never lowered except by LMS, allow_downscale
 *	           and `paceline-quorumtool -e`
 *	quorum     expected / 2 + 1; two_node (active while expected is 2): 1
 *	quorate    not waiting, and total >= quorum, or (ATB) total is exactly half of
 *	           expected and the tie-breaker node is a member
 *
 *	wait_for_all       (default on with two_node, unless auto_tie_breaker): not quorate
 *	                   until the total has reached expected once since start, or a quorate
 *	                   member's expected votes came (this node joined a quorate partition)
 *	last_man_standing  a configuration change arms a timer of last_man_standing_window ms;
 *	                   when it fires and the ring is still quorate with fewer votes than
 *	                   expected, expected := total (quorum follows). 8 -> 5 -> 3 -> 2 nodes;
 *	                   2 -> 1 needs auto_tie_breaker.
 *	auto_tie_breaker   an even split keeps quorum on the side holding the tie-breaker: the
 *	                   lowest (default) / highest node id, or the first node of a list, among
 *	                   the nodes that count towards expected (the nodelist, or after an LMS
 *	                   recalculation the members at that moment, plus every node seen since)
 *	allow_downscale    a clean leave lowers expected by the leaver's votes, not below the
 *	                   configured expected_votes
 *	quorum device      its votes (quorum.device.votes) add to expected, and to the total
 *	                   while this node's device client counts the arbiter's ACK (qdevice.h);
 *	                   master_wins: counting them makes this node quorate whatever the total
 *	                   (votequorum_qdevice_master_wins(3); the arbiter ACKs one ring at a time)
 *
 * Expected votes are agreed, as votequorum's node information exchange: after a configuration
 * change every member sends its expected votes through the ring and each takes the highest.
 * Until every member's value came (syncing), a configuration that brought new members can
 * lose quorum but not gain it: quorate = quorate before && quorate by this node's own
 * expected. So a node that lowered its expected votes (LMS, -e) cannot make a partition of
 * newcomers quorate before it has heard their higher value.
 *
 *  membership_quorum_update / _tick / _set_expected / _leave
 *        |
 *        v
 *   +----------+  total reaches expected  +-------------------------------+
 *   | WAITING  |------------------------->| ruled by total vs quorum, ATB |
 *   | (WFA)    |                          | LMS timer: expected := total  |
 *   +----------+                          +-------------------------------+
 */
#ifndef PACELINE_MEMBERSHIP_QUORUM_H
#define PACELINE_MEMBERSHIP_QUORUM_H

#include <stdbool.h>
#include <stdint.h>

#define MEMBERSHIP_QUORUM_MAX_NODES 64

enum membership_atb_mode { MEMBERSHIP_ATB_LOWEST = 0, MEMBERSHIP_ATB_HIGHEST, MEMBERSHIP_ATB_LIST };

struct membership_quorum_conf {
	unsigned n_nodes; /* the nodelist */
	uint32_t nodeids[MEMBERSHIP_QUORUM_MAX_NODES];
	uint32_t votes[MEMBERSHIP_QUORUM_MAX_NODES];
	uint32_t expected_votes; /* configured; 0 = the nodelist's votes */
	bool two_node;
	bool wait_for_all;
	bool last_man_standing;
	uint32_t lms_window_ms;
	bool auto_tie_breaker;
	enum membership_atb_mode atb_mode;
	unsigned n_atb_list;
	uint32_t atb_list[MEMBERSHIP_QUORUM_MAX_NODES];
	bool allow_downscale;
	uint32_t device_votes;	 /* quorum.device.votes (0: no quorum device) */
	bool device_master_wins; /* casting the device's votes makes this node quorate */
};

/* Flags, as paceline-quorumtool shows them (the status message's flags field). */
#define MEMBERSHIP_QFLAG_TWO_NODE	 0x01u
#define MEMBERSHIP_QFLAG_WAIT_FOR_ALL	 0x02u
#define MEMBERSHIP_QFLAG_WAITING	 0x04u
#define MEMBERSHIP_QFLAG_LMS		 0x08u
#define MEMBERSHIP_QFLAG_ATB		 0x10u
#define MEMBERSHIP_QFLAG_ALLOW_DOWNSCALE 0x20u
#define MEMBERSHIP_QFLAG_QUORATE	 0x40u
#define MEMBERSHIP_QFLAG_QDEVICE	 0x80u	/* a quorum device is configured */
#define MEMBERSHIP_QFLAG_QDEVICE_VOTE	 0x100u /* and its votes count now */

struct membership_quorum {
	struct membership_quorum_conf c;
	uint32_t expected;	   /* current expected votes */
	uint32_t highest_expected; /* the highest expected votes seen since start */
	uint32_t total;		   /* votes present */
	uint32_t quorum;
	bool quorate;
	bool waiting;	 /* wait_for_all: not yet seen every vote at once */
	bool tie_broken; /* quorate only through auto_tie_breaker */
	uint32_t members[MEMBERSHIP_QUORUM_MAX_NODES];
	unsigned n_members;
	/* nodes that count towards expected (ATB candidates) */
	uint32_t counted[MEMBERSHIP_QUORUM_MAX_NODES];
	unsigned n_counted;
	uint64_t lms_at; /* when the LMS window of the last change ends (0: not armed) */
	bool syncing;	 /* waiting for the members' expected votes */
	uint32_t pending[MEMBERSHIP_QUORUM_MAX_NODES]; /* members whose value has not come */
	unsigned n_pending;
	bool device_cast; /* the quorum device lends its votes (qdevice.h decides) */
};

void membership_quorum_init(struct membership_quorum *q, const struct membership_quorum_conf *c);
/* A new regular configuration (members sorted or not) at now_ms; true if quorate changed. */
bool membership_quorum_update(
    struct membership_quorum *q, const uint32_t *members, unsigned n, uint64_t now_ms);
/* A member's expected votes (the exchange after each change) and whether it was quorate when
 * it sent them (a node that joins a quorate partition stops waiting for all, as votequorum);
 * true if quorate changed. */
bool membership_quorum_nodeinfo(
    struct membership_quorum *q, uint32_t nodeid, uint32_t expected, bool sender_quorate);
/* The LMS timer: next deadline (UINT64_MAX: none); tick applies it. true if anything changed. */
uint64_t membership_quorum_deadline(const struct membership_quorum *q);
bool membership_quorum_tick(struct membership_quorum *q, uint64_t now_ms);
/* `-e N`: expected votes := N, never below the votes present (raised to them). true if
 * anything changed. */
bool membership_quorum_set_expected(struct membership_quorum *q, uint32_t expected);
/* A clean leave of nodeid (allow_downscale); call before the configuration without it. */
bool membership_quorum_leave(struct membership_quorum *q, uint32_t nodeid);
uint32_t membership_quorum_votes(const struct membership_quorum *q, uint32_t nodeid);
uint32_t membership_quorum_flags(const struct membership_quorum *q);
/* The quorum device's votes count (cast) or not; true if quorate changed. */
bool membership_quorum_device(struct membership_quorum *q, bool cast);
/* The tie-breaker node ATB would use now (0: none among the counted nodes). */
uint32_t membership_quorum_tie_breaker(const struct membership_quorum *q);

#endif
