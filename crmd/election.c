/*
 * election.c - DC election. One vote per member per election id; a node holding a vote from
 * every crmd member of its configuration (same configuration hash) for the current id picks
 * the winner, and everyone holding those votes picks the same one: a node that was DC when
 * the election began first (two DCs that meet after a partition heals keep one), then the
 * oldest controller, then the lowest nodeid. A vote with a higher id pulls a node into that
 * election; an election that does not complete in election_timeout_ms starts again with a
 * higher id. No waiting when membership knows every node (members without a controller are
 * not waited for): the election takes one message round.
 */
#include <stdlib.h>
#include <string.h>

#include <paceline/log.h>
#include <paceline/xalloc.h>

#include "fsm_int.h"

/* true if a beats b */
static bool
vote_beats(uint32_t a_id, const struct crmd_vote *a, uint32_t b_id, const struct crmd_vote *b)
{
	if (a->was_dc != b->was_dc)
		return a->was_dc;
	if (a->start_ms != b->start_ms)
		return a->start_ms < b->start_ms;
	return a_id < b_id;
}

static void
send_vote(struct crmd *c, uint32_t to)
{
	struct crmd_msg m;

	memset(&m, 0, sizeof(m));
	m.u.vote = crmd_peer(c, c->me)->vote;
	crmd_send(c, CRMD_MSG_VOTE, to, c->election_id, &m);
}

static void
election_won(struct crmd *c)
{
	crmd_logf(c, PL_LOG_NOTICE, "election %llu: won, this node is the DC",
	    (unsigned long long)c->election_id);
	c->dc = c->me;
	c->dc_candidate = false;
	crmd_join_start(c);
}

static void
election_lost(struct crmd *c, uint32_t winner)
{
	struct crmd_peer *w = crmd_peer(c, winner);

	crmd_logf(c, PL_LOG_NOTICE, "election %llu: %s (%u) is the DC",
	    (unsigned long long)c->election_id, w->name ? w->name : "?", winner);
	c->dc = winner;
	c->dc_candidate = false;
	c->joined = false;
	c->offer_deadline = c->now + 2 * (uint64_t)c->opt.join_timeout_ms;
	crmd_change_state(c, CRMD_S_NOT_DC);
}

static void
election_check(struct crmd *c)
{
	const struct crmd_peer *best = NULL;

	if (c->state != CRMD_S_ELECTION)
		return;
	for (size_t i = 0; i < c->n_peers; i++) {
		const struct crmd_peer *p = &c->peers[i];

		if (!p->crmd)
			continue;
		if (!p->has_vote)
			return;
		if (!best || vote_beats(p->nodeid, &p->vote, best->nodeid, &best->vote))
			best = p;
	}
	if (!best)
		return;
	c->election_deadline = CRMD_NEVER;
	c->elections_failed = 0;
	if (best->nodeid == c->me)
		election_won(c);
	else
		election_lost(c, best->nodeid);
}

static int
cmp_id(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

/*
 * The votes say this node's view of the crmd group is wrong. Membership delivers the same
 * configurations to every member, so a vote of the current id made in another configuration
 * means a group message was lost somewhere (a controller's join or leave missing from one
 * node's view): every node then waits for votes that count a different voter set, times
 * out and votes again, for as long as the views differ. After one election without a winner
 * a node takes the view the others vote in, when it is exactly the controllers that are
 * alive by the votes: this node, every member whose vote of this id arrived (whatever its
 * own view), and every controller of its view that voted within two election timeouts (a
 * controller silent that long is not running). Only when every vote of this id agrees on
 * that view: a node whose own view is the right one sees disagreeing votes and waits for
 * the wrong one to come round. The next configuration from membership replaces the view.
 * Returns true when it adopted one (and started a new election).
 */
static bool
election_adopt_view(struct crmd *c)
{
	uint64_t h = 0, silent_ms = 2 * (uint64_t)c->opt.election_timeout_ms;
	uint32_t *ids;
	size_t k = 0, heard = 0;
	bool same = true;

	if (c->state != CRMD_S_ELECTION || c->elections_failed == 0)
		return false;
	ids = xcalloc(c->n_peers + 1, sizeof(*ids));
	for (size_t i = 0; i < c->n_peers; i++) {
		const struct crmd_peer *p = &c->peers[i];

		if (p->nodeid != c->me && p->heard) {
			if (heard++ && p->heard_hash != h)
				same = false;
			h = p->heard_hash;
		}
		if (p->nodeid == c->me || (p->member && p->heard) ||
		    (p->crmd && c->now - p->last_heard < silent_ms))
			ids[k++] = p->nodeid;
	}
	qsort(ids, k, sizeof(*ids), cmp_id);
	if (!heard || !same || h == c->members_hash || h != crmd_members_hash(ids, k)) {
		free(ids);
		return false;
	}
	crmd_logf(c, PL_LOG_WARNING,
	    "election %llu: the votes count %zu controllers where this node's view of the crmd "
	    "group has %zu (a group change lost, or not delivered here yet): taking the voters' "
	    "view",
	    (unsigned long long)c->election_id, k, c->n_crmd);
	for (size_t i = 0; i < c->n_peers; i++) {
		struct crmd_peer *p = &c->peers[i];
		bool in = bsearch(&p->nodeid, ids, k, sizeof(*ids), cmp_id) != NULL;

		if (p->crmd && !in) { /* gone as if membership had said so */
			p->crmd = false;
			if (p->member && !p->shutdown)
				p->crmd_left = c->now ? c->now : 1;
			crmd_join_node_gone(c, p);
		}
		p->crmd = in;
	}
	c->members_hash = h;
	c->n_crmd = k;
	free(ids);
	crmd_election_start(c, true);
	return true;
}

/* Enter the election: with bump, a new id above every id seen; without, the current id
 * (adopted from a vote). */
void
crmd_election_start(struct crmd *c, bool bump)
{
	struct crmd_peer *me = crmd_peer(c, c->me);

	if (c->state == CRMD_S_STOPPED)
		return;
	if (crmd_dc_state(c->state))
		c->dc_candidate = true;
	else if (c->state != CRMD_S_ELECTION)
		c->dc_candidate = false;
	if (c->state == CRMD_S_ELECTION)
		c->elections_failed++; /* the one under way ends without a winner */
	if (bump)
		c->election_id++;
	for (size_t i = 0; i < c->n_peers; i++)
		c->peers[i].has_vote = c->peers[i].heard = false;
	c->dc = 0;
	c->joined = false;
	c->pending_deadline = c->offer_deadline = c->join_deadline = CRMD_NEVER;
	c->election_deadline = c->now + c->opt.election_timeout_ms;
	crmd_change_state(c, CRMD_S_ELECTION);
	crmd_logf(c, PL_LOG_INFO, "election %llu: voting (%zu members)",
	    (unsigned long long)c->election_id, c->n_crmd);
	me->vote.members_hash = c->members_hash;
	me->vote.start_ms = c->start_ms;
	me->vote.was_dc = c->dc_candidate;
	me->has_vote = me->crmd;
	send_vote(c, 0);
	election_check(c);
}

void
crmd_election_vote(struct crmd *c, const struct crmd_msg *m)
{
	struct crmd_peer *p;

	if (!c->have_config)
		return;
	if (m->id > c->election_id) {
		c->election_id = m->id;
		crmd_election_start(c, false);
	} else if (c->state == CRMD_S_PENDING) {
		crmd_election_start(c, true);
		return;
	} else if (m->id < c->election_id) {
		crmd_peer(c, m->from)->last_heard = c->now;
		if (c->state == CRMD_S_ELECTION)
			send_vote(c, m->from); /* it missed ours: pull it in */
		return;
	}
	if (c->state != CRMD_S_ELECTION)
		return;
	p = crmd_peer(c, m->from);
	p->last_heard = c->now;
	if (p->member) {
		p->heard = true;
		p->heard_hash = m->u.vote.members_hash;
	}
	if (!p->crmd || m->u.vote.members_hash != c->members_hash) {
		crmd_logf(c, PL_LOG_DEBUG, "election %llu: vote of %u from another configuration",
		    (unsigned long long)m->id, m->from);
		election_adopt_view(c);
		return;
	}
	p->has_vote = true;
	p->vote = m->u.vote;
	election_check(c);
}

void
crmd_election_tick(struct crmd *c)
{
	if (c->state == CRMD_S_ELECTION && c->election_deadline <= c->now) {
		if (election_adopt_view(c))
			return;
		crmd_logf(c, PL_LOG_WARNING, "election %llu: not every vote arrived, again",
		    (unsigned long long)c->election_id);
		crmd_election_start(c, true);
	}
}
