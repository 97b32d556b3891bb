/*
 * join.c - bringing the members under a new DC. The DC offers a join round (id = election id
 * << 20 | round) to every crmd member; each answers with a request carrying its CIB version;
 * once all have (or join_timeout_ms passed) the DC makes the newest CIB the cluster's (sync
 * from that node when it is not its own), acknowledges each integrated node, and each node
 * confirms with its resource history from lrmd, which the DC writes to the status section
 * (replacing that node's lrm section). Then the DC computes a transition. A node that answers
 * late is acknowledged on its own; a node that never gets an offer elects again.
 */
#include <string.h>

#include <paceline/log.h>
#include <paceline/xalloc.h>

#include "fsm_int.h"

#define JOIN_ROUND_BITS 20

static void join_finalize(struct crmd *c);

static bool
join_unconfirmed(const struct crmd_peer *p)
{
	return p->crmd &&
	    (p->join == CRMD_JOIN_PENDING || p->join == CRMD_JOIN_INTEGRATED ||
		p->join == CRMD_JOIN_FINALIZED);
}

/* The round ended without some members' confirmations (lost with a configuration change,
 * or a slow node): offer them the same round again, every two join timeouts until they
 * confirm.
 * Their request is acknowledged on its own and their confirmation is a late join. */
static void
join_reoffer(struct crmd *c)
{
	bool any = false;

	for (size_t i = 0; i < c->n_peers; i++) {
		struct crmd_peer *p = &c->peers[i];

		if (p->nodeid == c->me || !join_unconfirmed(p))
			continue;
		crmd_logf(c, PL_LOG_NOTICE, "join %llu: offering again to %s (%u)",
		    (unsigned long long)c->join_id, p->name ? p->name : "?", p->nodeid);
		p->join = CRMD_JOIN_PENDING;
		crmd_send(c, CRMD_MSG_JOIN_OFFER, p->nodeid, c->join_id, NULL);
		any = true;
	}
	c->reoffer_deadline = any ? c->now + 2 * (uint64_t)c->opt.join_timeout_ms : CRMD_NEVER;
}

static void
join_done(struct crmd *c)
{
	c->join_deadline = CRMD_NEVER;
	join_reoffer(c);
	for (size_t i = 0; i < c->n_peers; i++)
		crmd_write_node_state(c, &c->peers[i]);
	if (c->ops.cib_dc_info)
		c->ops.cib_dc_info(c->arg, c->me, c->quorate);
	crmd_logf(c, PL_LOG_NOTICE, "join %llu complete", (unsigned long long)c->join_id);
	crmd_change_state(c, CRMD_S_IDLE);
	if (c->shutdown_requested && !crmd_peer(c, c->me)->shutdown)
		crmd_shutdown_self(c);
	crmd_te_request(c, "join complete");
}

static void
join_check_finalized(struct crmd *c)
{
	if (c->state != CRMD_S_FINALIZE)
		return;
	for (size_t i = 0; i < c->n_peers; i++)
		if (c->peers[i].crmd && c->peers[i].join == CRMD_JOIN_FINALIZED)
			return;
	join_done(c);
}

static void
join_ack(struct crmd *c, struct crmd_peer *p)
{
	struct crmd_msg m;

	memset(&m, 0, sizeof(m));
	m.u.accepted = true;
	p->join = CRMD_JOIN_FINALIZED;
	crmd_send(c, CRMD_MSG_JOIN_ACK, p->nodeid, c->join_id, &m);
}

static bool
cib_newer(const struct crmd_cib_version *a, const struct crmd_cib_version *b)
{
	if (a->admin_epoch != b->admin_epoch)
		return a->admin_epoch > b->admin_epoch;
	if (a->epoch != b->epoch)
		return a->epoch > b->epoch;
	return a->num_updates > b->num_updates;
}

/* Every member integrated (or time is up): make the newest CIB everyone's, then finalise. */
static void
join_integrated(struct crmd *c)
{
	struct crmd_cib_version mine = { 0, 0, 0 };
	const struct crmd_peer *newest = NULL;

	if (c->ops.cib_version)
		c->ops.cib_version(c->arg, &mine);
	for (size_t i = 0; i < c->n_peers; i++) {
		const struct crmd_peer *p = &c->peers[i];

		if (p->crmd && p->join == CRMD_JOIN_INTEGRATED && p->nodeid != c->me &&
		    cib_newer(&p->cib, newest ? &newest->cib : &mine))
			newest = p;
	}
	if (newest && c->ops.cib_sync_from) {
		crmd_logf(c, PL_LOG_NOTICE, "join %llu: %s has the newest CIB (%u.%u.%u), syncing",
		    (unsigned long long)c->join_id, newest->name ? newest->name : "?",
		    newest->cib.admin_epoch, newest->cib.epoch, newest->cib.num_updates);
		c->syncing = true;
		c->ops.cib_sync_from(c->arg, newest->nodeid);
		return;
	}
	join_finalize(c);
}

static void
join_finalize(struct crmd *c)
{
	c->syncing = false;
	c->join_deadline = c->now + c->opt.join_timeout_ms;
	crmd_change_state(c, CRMD_S_FINALIZE);
	/* mark first, send after: an ack to this node is answered at once */
	for (size_t i = 0; i < c->n_peers; i++)
		if (c->peers[i].crmd && c->peers[i].join == CRMD_JOIN_INTEGRATED)
			c->peers[i].join = CRMD_JOIN_FINALIZED;
	for (size_t i = 0; i < c->n_peers; i++) {
		struct crmd_peer *p = &c->peers[i];

		if (p->crmd && p->join == CRMD_JOIN_FINALIZED && p->nodeid != c->me &&
		    c->state == CRMD_S_FINALIZE)
			join_ack(c, p);
	}
	if (c->state == CRMD_S_FINALIZE && crmd_peer(c, c->me)->join == CRMD_JOIN_FINALIZED)
		join_ack(c, crmd_peer(c, c->me));
	join_check_finalized(c);
}

static void
join_check_integrated(struct crmd *c)
{
	if (c->state != CRMD_S_INTEGRATION || c->syncing)
		return;
	for (size_t i = 0; i < c->n_peers; i++)
		if (c->peers[i].crmd && c->peers[i].join == CRMD_JOIN_PENDING)
			return;
	join_integrated(c);
}

void
crmd_join_start(struct crmd *c)
{
	c->join_seq++;
	c->join_id = (c->election_id << JOIN_ROUND_BITS) | (c->join_seq & 0xfffff);
	c->syncing = false;
	c->join_deadline = c->now + c->opt.join_timeout_ms;
	c->join_started = c->now;
	c->reoffer_deadline = CRMD_NEVER;
	crmd_change_state(c, CRMD_S_INTEGRATION);
	if (c->ops.cib_dc_info)
		c->ops.cib_dc_info(c->arg, c->me, c->quorate);
	for (size_t i = 0; i < c->n_peers; i++) {
		struct crmd_peer *p = &c->peers[i];

		p->join = p->crmd ? CRMD_JOIN_PENDING : CRMD_JOIN_DOWN;
		if (p->crmd && !p->shutdown) {
			p->expected_up = true;
			p->expected_known = true;
		}
	}
	crmd_logf(c, PL_LOG_INFO, "join %llu: offering to %zu members",
	    (unsigned long long)c->join_id, c->n_crmd);
	for (size_t i = 0; i < c->n_peers && c->state == CRMD_S_INTEGRATION; i++)
		if (c->peers[i].crmd && c->peers[i].nodeid != c->me)
			crmd_send(c, CRMD_MSG_JOIN_OFFER, c->peers[i].nodeid, c->join_id, NULL);
	if (c->state == CRMD_S_INTEGRATION)
		crmd_send(c, CRMD_MSG_JOIN_OFFER, c->me, c->join_id, NULL);
}

/* DC side: requests, confirmations, shutdown requests. */
void
crmd_join_dc_recv(struct crmd *c, const struct crmd_msg *m)
{
	struct crmd_peer *p = crmd_peer(c, m->from);

	if (m->type == CRMD_MSG_SHUTDOWN_REQ && !crmd_dc_state(c->state) && p->crmd) {
		p->shutdown = true; /* a bystander: when its controller leaves, it is no crash */
		return;
	}
	if (!crmd_dc_state(c->state))
		return;
	if (m->type == CRMD_MSG_SHUTDOWN_REQ) {
		crmd_logf(c, PL_LOG_NOTICE, "%s (%u) asks to shut down", p->name ? p->name : "?",
		    p->nodeid);
		p->shutdown = true;
		p->expected_up = false;
		p->expected_known = true;
		crmd_write_node_state(c, p);
		crmd_te_request(c, "shutdown request");
		return;
	}
	if (m->id != c->join_id || !p->crmd) {
		crmd_logf(c, PL_LOG_DEBUG, "ignored %s of %u for join %llu (now %llu)",
		    crmd_msg_name(m->type), m->from, (unsigned long long)m->id,
		    (unsigned long long)c->join_id);
		return;
	}
	if (m->type == CRMD_MSG_JOIN_REQUEST && p->join == CRMD_JOIN_MEMBER &&
	    c->state != CRMD_S_INTEGRATION && c->state != CRMD_S_FINALIZE) {
		/* an offer made again crossed its confirmation: the node waits for an ack
		 * (it stays a member; its second confirmation is ignored) */
		struct crmd_msg ack;

		memset(&ack, 0, sizeof(ack));
		ack.u.accepted = true;
		crmd_send(c, CRMD_MSG_JOIN_ACK, p->nodeid, c->join_id, &ack);
	} else if (m->type == CRMD_MSG_JOIN_REQUEST && p->join == CRMD_JOIN_PENDING) {
		p->cib = m->u.cib;
		p->join = CRMD_JOIN_INTEGRATED;
		if (c->state == CRMD_S_INTEGRATION)
			join_check_integrated(c);
		else
			join_ack(c, p); /* late: acknowledged on its own */
	} else if (m->type == CRMD_MSG_JOIN_CONFIRM && join_unconfirmed(p)) {
		/* FINALIZED, or offered again while its confirmation was on its way */
		if (c->ops.cib_replace_history)
			c->ops.cib_replace_history(
			    c->arg, p->nodeid, m->u.history.ops, m->u.history.n);
		p->join = CRMD_JOIN_MEMBER;
		crmd_write_node_state(c, p);
		crmd_te_history(c, p->nodeid, m->u.history.ops, m->u.history.n);
		crmd_logf(c, PL_LOG_INFO, "join %llu: %s confirmed with %zu operations",
		    (unsigned long long)c->join_id, p->name ? p->name : "?", m->u.history.n);
		if (c->state == CRMD_S_FINALIZE)
			join_check_finalized(c);
		else if (c->state != CRMD_S_INTEGRATION)
			crmd_te_request(c, "late join");
	}
}

static bool
in_history(const struct crmd_op_result *v, size_t n, const struct crmd_rsc_action *a)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(v[i].rsc_id, a->rsc_id) == 0 && strcmp(v[i].action, a->action) == 0 &&
		    v[i].interval_ms == a->interval_ms && v[i].status == PL_LRMD_PENDING)
			return true;
	return false;
}

/* Actions this node runs and lrmd has not answered yet go into the history as pending
 * (op-status -1, rc 193, as Pacemaker's record-pending), so that the scheduler knows a
 * start or stop is under way and does not schedule a second one elsewhere. */
static void
add_pending(struct crmd *c, struct crmd_op_result **v, size_t *n)
{
	/* chained actions parked here count as under way too: they run when what they
	 * follow succeeds */
	for (size_t i = 0; i < c->n_local + c->n_parked; i++) {
		const struct crmd_rsc_action *a =
		    i < c->n_local ? &c->local[i].req : &c->parked[i - c->n_local].req;

		if (a->interval_ms || in_history(*v, *n, a))
			continue;
		*v = xreallocarray(*v, *n + 1, sizeof(**v));
		struct crmd_op_result r = {
			.rsc_id = a->rsc_id,
			.rclass = a->rclass,
			.provider = a->provider,
			.type = a->type,
			.action = a->action,
			.transition_key = a->transition_key,
			.rc = CRMD_RC_PENDING,
			.status = PL_LRMD_PENDING,
			.target_rc = a->target_rc,
			.last_rc_change = c->ops.wall_s ? c->ops.wall_s(c->arg) : 0,
		};
		crmd_op_result_copy(&(*v)[(*n)++], &r);
	}
}

static void
node_confirm(struct crmd *c, const struct crmd_msg *m)
{
	struct crmd_msg out;

	memset(&out, 0, sizeof(out));
	if (c->ops.lrmd_history)
		out.u.history.n = c->ops.lrmd_history(c->arg, &out.u.history.ops);
	add_pending(c, &out.u.history.ops, &out.u.history.n);
	c->joined = true;
	c->offer_deadline = CRMD_NEVER;
	crmd_send(c, CRMD_MSG_JOIN_CONFIRM, m->from, m->id, &out);
	crmd_op_results_free(out.u.history.ops, out.u.history.n);
	if (c->shutdown_requested && m->from != c->me && !c->shutdown_sent &&
	    c->state == CRMD_S_NOT_DC) {
		crmd_shutdown_ask(c);
	}
}

/* Node side: offers and acknowledgements (the DC handles its own through here too). */
void
crmd_join_node_recv(struct crmd *c, const struct crmd_msg *m)
{
	struct crmd_msg out;
	bool from_dc =
	    (c->state == CRMD_S_NOT_DC || c->state == CRMD_S_STOPPING || crmd_dc_state(c->state)) &&
	    m->from == c->dc;

	if (m->type == CRMD_MSG_JOIN_OFFER) {
		if (!from_dc && c->state == CRMD_S_ELECTION &&
		    (m->id >> JOIN_ROUND_BITS) == c->election_id) {
			/* the winner finished first; it could only win with these votes */
			c->dc = m->from;
			c->dc_candidate = false;
			c->election_deadline = CRMD_NEVER;
			crmd_change_state(c, CRMD_S_NOT_DC);
			from_dc = true;
		}
		if (!from_dc)
			return;
		c->offered_join = m->id;
		c->joined = false;
		c->shutdown_sent = false;
		if (m->from != c->me)
			c->offer_deadline = c->now + 2 * (uint64_t)c->opt.join_timeout_ms;
		memset(&out, 0, sizeof(out));
		if (c->ops.cib_version)
			c->ops.cib_version(c->arg, &out.u.cib);
		crmd_send(c, CRMD_MSG_JOIN_REQUEST, m->from, m->id, &out);
	} else if (m->type == CRMD_MSG_JOIN_ACK && from_dc && m->id == c->offered_join) {
		if (!m->u.accepted) {
			crmd_logf(c, PL_LOG_WARNING, "join %llu refused by the DC: electing",
			    (unsigned long long)m->id);
			crmd_election_start(c, true);
			return;
		}
		node_confirm(c, m);
	}
}

void
crmd_join_cib_synced(struct crmd *c, bool ok)
{
	if (c->state != CRMD_S_INTEGRATION || !c->syncing)
		return;
	if (!ok)
		crmd_logf(c, PL_LOG_WARNING, "join %llu: CIB sync failed, going on with ours",
		    (unsigned long long)c->join_id);
	join_finalize(c);
}

/* A node's crmd left the configuration. */
void
crmd_join_node_gone(struct crmd *c, struct crmd_peer *p)
{
	p->shutdown = false; /* it left: the request is done (or moot) */
	if (p->join == CRMD_JOIN_DOWN)
		return;
	p->join = CRMD_JOIN_DOWN;
	crmd_te_node_lost(c, p->nodeid);
	if (crmd_dc_state(c->state))
		crmd_write_node_state(c, p);
}

void
crmd_join_tick(struct crmd *c)
{
	if (c->join_deadline <= c->now) {
		c->join_deadline = CRMD_NEVER;
		if (c->state == CRMD_S_INTEGRATION && !c->syncing) {
			crmd_logf(c, PL_LOG_WARNING, "join %llu: not every node answered in time",
			    (unsigned long long)c->join_id);
			join_integrated(c);
		} else if (c->state == CRMD_S_INTEGRATION) {
			crmd_logf(c, PL_LOG_WARNING, "join %llu: CIB sync timed out",
			    (unsigned long long)c->join_id);
			join_finalize(c);
		} else if (c->state == CRMD_S_FINALIZE) {
			crmd_logf(c, PL_LOG_WARNING, "join %llu: not every node confirmed in time",
			    (unsigned long long)c->join_id);
			join_done(c);
		}
	}
	if (c->reoffer_deadline <= c->now) {
		if (c->state == CRMD_S_IDLE || c->state == CRMD_S_POLICY_ENGINE ||
		    c->state == CRMD_S_TRANSITION)
			join_reoffer(c);
		else
			c->reoffer_deadline = CRMD_NEVER;
	}
	if ((c->state == CRMD_S_NOT_DC || c->state == CRMD_S_STOPPING) && !c->joined &&
	    c->offer_deadline <= c->now) {
		crmd_logf(c, PL_LOG_WARNING, "no join from the DC in time: electing");
		crmd_election_start(c, true);
	}
}
