/*
 * quorum.c - votequorum's quorum decision (see quorum.h).
 */
#include "quorum.h"

void
membership_quorum_init(struct membership_quorum *q, uint32_t n_nodes, uint32_t expected_votes,
    bool two_node, bool wait_for_all)
{
	q->n_nodes = n_nodes;
	q->expected = expected_votes ? expected_votes : n_nodes;
	q->two_node = two_node;
	q->wait_for_all = wait_for_all;
	q->waiting = wait_for_all;
	q->total = 0;
	q->quorum = two_node ? 1 : q->expected / 2 + 1;
	q->quorate = false;
}

bool
membership_quorum_update(struct membership_quorum *q, uint32_t members)
{
	bool was = q->quorate;

	q->total = members;
	if (members > q->expected) {
		q->expected = members;
		if (!q->two_node)
			q->quorum = q->expected / 2 + 1;
	}
	if (q->waiting && members >= q->n_nodes)
		q->waiting = false;
	q->quorate = !q->waiting && q->total >= q->quorum;
	return q->quorate != was;
}
