/*
 * quorum.h - votequorum's arithmetic, one vote per node (votequorum(5)):
 *	expected_votes: configured, else the number of nodes in the nodelist; raised to the
 *	votes present if more are present. quorum = expected / 2 + 1, except two_node: 1.
 *	wait_for_all (default on with two_node): not quorate until every node of the nodelist
 *	has been a member at the same time once since start.
 */
#ifndef PACELINE_MEMBERSHIP_QUORUM_H
#define PACELINE_MEMBERSHIP_QUORUM_H

#include <stdbool.h>
#include <stdint.h>

struct membership_quorum {
	uint32_t n_nodes;
	uint32_t expected;
	bool two_node;
	bool wait_for_all;
	bool waiting; /* wait_for_all and not yet seen everyone */
	uint32_t total;
	uint32_t quorum;
	bool quorate;
};

void membership_quorum_init(struct membership_quorum *q, uint32_t n_nodes, uint32_t expected_votes,
    bool two_node, bool wait_for_all);
/* A new membership of `members` nodes; true if quorate changed. */
bool membership_quorum_update(struct membership_quorum *q, uint32_t members);

#endif
