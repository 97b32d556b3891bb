/*
 * quorum.c - votequorum's quorum decision (see quorum.h).
 */
#include <string.h>

#include "quorum.h"

static bool
has(const uint32_t *v, unsigned n, uint32_t id)
{
	for (unsigned i = 0; i < n; i++)
		if (v[i] == id)
			return true;
	return false;
}

uint32_t
membership_quorum_votes(const struct membership_quorum *q, uint32_t nodeid)
{
	for (unsigned i = 0; i < q->c.n_nodes; i++)
		if (q->c.nodeids[i] == nodeid)
			return q->c.votes[i];
	return 1;
}

uint32_t
membership_quorum_tie_breaker(const struct membership_quorum *q)
{
	uint32_t best = 0;

	if (q->c.atb_mode == MEMBERSHIP_ATB_LIST) {
		for (unsigned i = 0; i < q->c.n_atb_list; i++)
			if (has(q->counted, q->n_counted, q->c.atb_list[i]))
				return q->c.atb_list[i];
		return 0;
	}
	for (unsigned i = 0; i < q->n_counted; i++) {
		uint32_t id = q->counted[i];
		if (!best || (q->c.atb_mode == MEMBERSHIP_ATB_LOWEST ? id < best : id > best))
			best = id;
	}
	return best;
}

static bool
two_node_active(const struct membership_quorum *q)
{
	return q->c.two_node && !q->c.auto_tie_breaker && q->expected == 2;
}

/* Everything else follows from members, expected and waiting. */
static void
recompute(struct membership_quorum *q)
{
	q->total = 0;
	for (unsigned i = 0; i < q->n_members; i++)
		q->total += membership_quorum_votes(q, q->members[i]);
	if (q->device_cast)
		q->total += q->c.device_votes;
	if (q->total > q->expected)
		q->expected = q->total;
	if (q->expected > q->highest_expected)
		q->highest_expected = q->expected;
	q->quorum = two_node_active(q) ? 1 : q->expected / 2 + 1;
	if (q->waiting && q->total >= q->expected)
		q->waiting = false;
	q->tie_broken = false;
	if (!q->waiting && q->total < q->quorum && q->c.auto_tie_breaker &&
	    (uint64_t)q->total * 2 == q->expected) {
		uint32_t tb = membership_quorum_tie_breaker(q);
		q->tie_broken = tb && has(q->members, q->n_members, tb);
	}
	q->quorate = !q->waiting &&
	    (q->total >= q->quorum || q->tie_broken || (q->c.device_master_wins && q->device_cast));
}

/* recompute(), but while syncing a configuration with newcomers quorum may only be lost. */
static void
decide(struct membership_quorum *q, bool was)
{
	recompute(q);
	if (q->syncing)
		q->quorate = q->quorate && was;
}

void
membership_quorum_init(struct membership_quorum *q, const struct membership_quorum_conf *c)
{
	uint32_t sum = 0;

	memset(q, 0, sizeof(*q));
	q->c = *c;
	for (unsigned i = 0; i < c->n_nodes; i++) {
		sum += c->votes[i];
		q->counted[q->n_counted++] = c->nodeids[i];
	}
	q->expected = c->expected_votes ? c->expected_votes : sum + c->device_votes;
	if (!q->expected)
		q->expected = 1;
	q->waiting = c->wait_for_all;
	recompute(q);
}

bool
membership_quorum_update(
    struct membership_quorum *q, const uint32_t *members, unsigned n, uint64_t now_ms)
{
	bool was = q->quorate, joined = false;

	if (n > MEMBERSHIP_QUORUM_MAX_NODES)
		n = MEMBERSHIP_QUORUM_MAX_NODES;
	for (unsigned i = 0; i < n; i++)
		joined |= !has(q->members, q->n_members, members[i]);
	memcpy(q->members, members, n * sizeof(*members));
	q->n_members = n;
	for (unsigned i = 0; i < n; i++)
		if (!has(q->counted, q->n_counted, members[i]) &&
		    q->n_counted < MEMBERSHIP_QUORUM_MAX_NODES)
			q->counted[q->n_counted++] = members[i];
	if (q->c.last_man_standing)
		q->lms_at = now_ms + q->c.lms_window_ms;
	memcpy(q->pending, members, n * sizeof(*members));
	q->n_pending = n;
	q->syncing = joined && n > 1;
	decide(q, was);
	return q->quorate != was;
}

bool
membership_quorum_nodeinfo(
    struct membership_quorum *q, uint32_t nodeid, uint32_t expected, bool sender_quorate)
{
	bool was = q->quorate;

	for (unsigned i = 0; i < q->n_pending; i++) {
		if (q->pending[i] != nodeid)
			continue;
		q->pending[i] = q->pending[--q->n_pending];
		if (expected > q->expected)
			q->expected = expected;
		if (sender_quorate)
			q->waiting = false;
		if (q->n_pending == 0)
			q->syncing = false;
		decide(q, was);
		break;
	}
	return q->quorate != was;
}

uint64_t
membership_quorum_deadline(const struct membership_quorum *q)
{
	return q->lms_at ? q->lms_at : UINT64_MAX;
}

bool
membership_quorum_tick(struct membership_quorum *q, uint64_t now_ms)
{
	if (!q->lms_at || now_ms < q->lms_at)
		return false;
	q->lms_at = 0;
	if (q->syncing) { /* not before every member's expected votes are known */
		q->lms_at = now_ms + q->c.lms_window_ms;
		return false;
	}
	if (!q->quorate || q->total >= q->expected)
		return false;
	/* Last man standing: the survivors become the whole cluster. */
	q->expected = q->total;
	memcpy(q->counted, q->members, q->n_members * sizeof(*q->members));
	q->n_counted = q->n_members;
	decide(q, true);
	return true;
}

bool
membership_quorum_set_expected(struct membership_quorum *q, uint32_t expected)
{
	uint32_t before = q->expected;
	bool was = q->quorate;

	q->expected = expected ? expected : 1;
	decide(q, was);
	return q->expected != before || q->quorate != was;
}

bool
membership_quorum_leave(struct membership_quorum *q, uint32_t nodeid)
{
	uint32_t v = membership_quorum_votes(q, nodeid), floor = q->c.expected_votes;

	if (!q->c.allow_downscale || !has(q->members, q->n_members, nodeid))
		return false;
	if (!floor)
		floor = 1;
	q->expected = q->expected > v && q->expected - v >= floor ? q->expected - v : floor;
	for (unsigned i = 0; i < q->n_counted; i++) {
		if (q->counted[i] == nodeid) {
			q->counted[i] = q->counted[--q->n_counted];
			break;
		}
	}
	return true;
}

bool
membership_quorum_device(struct membership_quorum *q, bool cast)
{
	bool was = q->quorate;

	cast = cast && q->c.device_votes;
	if (cast == q->device_cast)
		return false;
	q->device_cast = cast;
	decide(q, was);
	return q->quorate != was;
}

uint32_t
membership_quorum_flags(const struct membership_quorum *q)
{
	return (two_node_active(q) ? MEMBERSHIP_QFLAG_TWO_NODE : 0) |
	    (q->c.wait_for_all ? MEMBERSHIP_QFLAG_WAIT_FOR_ALL : 0) |
	    (q->waiting ? MEMBERSHIP_QFLAG_WAITING : 0) |
	    (q->c.last_man_standing ? MEMBERSHIP_QFLAG_LMS : 0) |
	    (q->c.auto_tie_breaker ? MEMBERSHIP_QFLAG_ATB : 0) |
	    (q->c.allow_downscale ? MEMBERSHIP_QFLAG_ALLOW_DOWNSCALE : 0) |
	    (q->quorate ? MEMBERSHIP_QFLAG_QUORATE : 0) |
	    (q->c.device_votes ? MEMBERSHIP_QFLAG_QDEVICE : 0) |
	    (q->device_cast ? MEMBERSHIP_QFLAG_QDEVICE_VOTE : 0);
}
