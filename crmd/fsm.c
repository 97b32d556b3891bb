/*
 * fsm.c - the controller state machine: construction, the inputs of fsm.h, the one place a
 * state changes, membership handling. Election, join and the transition engine live in
 * election.c, join.c and te.c.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <paceline/log.h>
#include <paceline/xalloc.h>

#include "fsm_int.h"

void
crmd_default_options(struct crmd_options *opt)
{
	memset(opt, 0, sizeof(*opt));
	opt->dc_deadtime_ms = 20000;
	opt->election_timeout_ms = 2000;
	opt->join_timeout_ms = 5000;
	opt->cluster_delay_ms = 60000;
	opt->recheck_ms = 900000;
	opt->shutdown_escalation_ms = 1200000;
	opt->batch_limit = 0;
	opt->migration_limit = -1;
	opt->stonith_max_attempts = 10;
}

struct crmd *
crmd_new(uint32_t me, const char *name, uint64_t start_ms, const struct crmd_options *opt,
    const struct crmd_ops *ops, void *arg)
{
	struct crmd *c = XNEW(struct crmd);

	c->me = me;
	c->my_name = xstrdup(name);
	c->start_ms = start_ms;
	if (opt)
		c->opt = *opt;
	else
		crmd_default_options(&c->opt);
	c->ops = *ops;
	c->arg = arg;
	c->state = CRMD_S_STARTING;
	c->pending_deadline = c->election_deadline = c->join_deadline = CRMD_NEVER;
	c->offer_deadline = c->recheck_deadline = c->shutdown_deadline = CRMD_NEVER;
	c->hold_deadline = c->shutdown_resend = c->recheck_by = CRMD_NEVER;
	c->reoffer_deadline = CRMD_NEVER;
	crmd_peer(c, me)->name = xstrdup(name);
	return c;
}

void
crmd_free(struct crmd *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->n_peers; i++)
		free(c->peers[i].name);
	free(c->peers);
	for (size_t i = 0; i < c->n_local; i++) {
		crmd_rsc_action_clear(&c->local[i].req);
		free(c->local[i].adopted_key);
	}
	free(c->local);
	for (size_t i = 0; i < c->n_parked; i++) {
		crmd_rsc_action_clear(&c->parked[i].req);
		free(c->parked[i].after);
	}
	free(c->parked);
	for (size_t i = 0; i < CRMD_RECENT; i++)
		free(c->recent[i].key);
	graph_free(c->graph);
	crmd_fence_counts_free(c);
	free(c->my_name);
	free(c);
}

void
crmd_set_options(struct crmd *c, const struct crmd_options *opt)
{
	c->opt = *opt;
}

void
crmd_logf(struct crmd *c, int level, const char *fmt, ...)
{
	char line[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (c->ops.log)
		c->ops.log(c->arg, level, line);
	else
		log_emit(level, "%s", line);
}

bool
crmd_dc_state(enum crmd_state s)
{
	return s == CRMD_S_INTEGRATION || s == CRMD_S_FINALIZE || s == CRMD_S_IDLE ||
	    s == CRMD_S_POLICY_ENGINE || s == CRMD_S_TRANSITION;
}

/* The only place a state changes; every change is logged once. */
void
crmd_change_state(struct crmd *c, enum crmd_state to)
{
	enum crmd_state from = c->state;

	if (from == to)
		return;
	c->state = to;
	crmd_logf(c, PL_LOG_INFO, "state %s -> %s", crmd_state_name(from), crmd_state_name(to));
	if (crmd_dc_state(from) && !crmd_dc_state(to))
		crmd_te_drop(c);
	if (c->ops.state_changed)
		c->ops.state_changed(c->arg, from, to);
	if (to == CRMD_S_STOPPED && c->ops.stopped)
		c->ops.stopped(c->arg);
}

struct crmd_peer *
crmd_peer(struct crmd *c, uint32_t nodeid)
{
	for (size_t i = 0; i < c->n_peers; i++)
		if (c->peers[i].nodeid == nodeid)
			return &c->peers[i];
	c->peers = xreallocarray(c->peers, c->n_peers + 1, sizeof(*c->peers));
	struct crmd_peer *p = &c->peers[c->n_peers++];
	memset(p, 0, sizeof(*p));
	p->nodeid = nodeid;
	return p;
}

struct crmd_peer *
crmd_peer_by_name(struct crmd *c, const char *name)
{
	for (size_t i = 0; i < c->n_peers; i++)
		if (c->peers[i].name && strcmp(c->peers[i].name, name) == 0)
			return &c->peers[i];
	return NULL;
}

/* Fill the header of m (zeroed body if m is NULL) and send it. */
void
crmd_send(struct crmd *c, enum crmd_msg_type type, uint32_t to, uint64_t id, struct crmd_msg *m)
{
	struct crmd_msg local;

	if (!m) {
		memset(&local, 0, sizeof(local));
		m = &local;
	}
	m->type = type;
	m->from = c->me;
	m->to = to;
	m->id = id;
	if (to == c->me) { /* to this node: handled at once, never on the wire */
		crmd_recv(c, m, c->now);
		return;
	}
	crmd_logf(c, PL_LOG_DEBUG, "send %s to %u id %llu", crmd_msg_name(type), to,
	    (unsigned long long)id);
	c->ops.send(c->arg, m);
}

void
crmd_write_node_state(struct crmd *c, const struct crmd_peer *p)
{
	struct crmd_node_state ns = {
		.nodeid = p->nodeid,
		.name = p->name ? p->name : "",
		.in_ccm = p->member,
		.crmd_online = p->member && p->crmd,
		.join = p->join,
		.expected_up = p->expected_up,
		.expected_unknown = !p->expected_known,
		.shutdown = p->shutdown,
	};

	if (c->ops.cib_node_state)
		c->ops.cib_node_state(c->arg, &ns);
}

void
crmd_start(struct crmd *c, uint64_t now)
{
	c->now = now;
	crmd_logf(c, PL_LOG_NOTICE, "controller %s (%u) starting", c->my_name, c->me);
}

static int
cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

/* Apply a configuration to the peer table; true if the set of crmd members changed, and
 * *grew whether a controller joined it (false: controllers only left). */
static bool
apply_members(struct crmd *c, const struct crmd_member *m, size_t n, bool *grew)
{
	uint32_t *ids = xcalloc(n + 1, sizeof(*ids));
	size_t k = 0;

	bool *had = xcalloc(c->n_peers + n + 1, sizeof(*had));

	for (size_t i = 0; i < c->n_peers; i++) {
		had[i] = c->peers[i].crmd;
		c->peers[i].member = c->peers[i].crmd = false;
	}
	for (size_t i = 0; i < n; i++) {
		struct crmd_peer *p = crmd_peer(c, m[i].nodeid);
		size_t pi = (size_t)(p - c->peers);

		p->member = true;
		p->crmd = m[i].crmd;
		p->last_heard = c->now; /* a fresh configuration: nobody is silent yet */
		/* the node stays but its controller went: it may be restarting */
		if (p->crmd || !had[pi] || p->shutdown)
			p->crmd_left = p->crmd ? 0 : p->crmd_left;
		else
			p->crmd_left = c->now ? c->now : 1;
		if (m[i].name && (!p->name || strcmp(p->name, m[i].name) != 0)) {
			free(p->name);
			p->name = xstrdup(m[i].name);
		}
		if (p->crmd)
			ids[k++] = p->nodeid;
		if (p->crmd && !had[pi])
			*grew = true;
	}
	qsort(ids, k, sizeof(*ids), cmp_u32);
	uint64_t h = crmd_members_hash(ids, k);
	bool changed = !c->have_config || h != c->members_hash;

	free(ids);
	free(had);
	for (size_t i = 0; i < c->n_peers; i++)
		if (!c->peers[i].member)
			c->peers[i].crmd_left = 0;
	c->members_hash = h;
	c->n_crmd = k;
	c->have_config = true;
	return changed;
}

/* After controllers left: the DC this node follows (or is) is still a member and past its
 * join, so the cluster can go on without a new election. */
static bool
dc_stays(struct crmd *c)
{
	if (c->state == CRMD_S_IDLE || c->state == CRMD_S_POLICY_ENGINE ||
	    c->state == CRMD_S_TRANSITION)
		return true;
	if ((c->state == CRMD_S_NOT_DC || c->state == CRMD_S_STOPPING) && c->joined && c->dc)
		return crmd_peer(c, c->dc)->crmd;
	return false;
}

void
crmd_membership(struct crmd *c, const struct crmd_member *m, size_t n, size_t expected,
    bool quorate, uint64_t now)
{
	c->now = now;
	if (c->state == CRMD_S_STOPPED)
		return;
	bool quorum_changed = quorate != c->quorate, grew = false;
	bool changed = apply_members(c, m, n, &grew);

	c->expected = expected;
	c->quorate = quorate;
	if (changed)
		c->elections_failed = 0;
	crmd_logf(c, PL_LOG_INFO, "configuration: %zu members, %zu with crmd, %zu expected%s", n,
	    c->n_crmd, expected, quorate ? ", quorate" : ", no quorum");
	for (size_t i = 0; i < c->n_peers; i++)
		if (!c->peers[i].crmd)
			crmd_join_node_gone(c, &c->peers[i]);
	/* dc-deadtime is for nodes membership does not know yet; a member whose controller is
	 * not in the crmd group (stopped, or not started yet) is not waited for: if its
	 * controller comes, the group changes and the election runs again (the DC stays). */
	if (c->state == CRMD_S_STARTING || c->state == CRMD_S_PENDING) {
		if (n >= expected) {
			crmd_election_start(c, true);
		} else if (c->state == CRMD_S_STARTING) {
			c->pending_deadline = now + c->opt.dc_deadtime_ms;
			crmd_logf(c, PL_LOG_NOTICE,
			    "waiting up to %ums (dc-deadtime) for %zu "
			    "missing node(s)",
			    c->opt.dc_deadtime_ms, expected - n);
			crmd_change_state(c, CRMD_S_PENDING);
		}
		return;
	}
	/* Controllers only left and the DC is still here, settled: no election, no join (the
	 * survivors' histories are known); the DC marks them down and recomputes. Anyone who
	 * elects anyway pulls the others in with its vote. */
	if (changed && (grew || !dc_stays(c))) {
		crmd_election_start(c, true);
		return;
	}
	if (crmd_dc_state(c->state)) {
		for (size_t i = 0; i < c->n_peers; i++)
			crmd_write_node_state(c, &c->peers[i]);
		if (quorum_changed && c->ops.cib_dc_info)
			c->ops.cib_dc_info(c->arg, c->me, c->quorate);
		crmd_te_request(c, "membership");
	}
}

void
crmd_recv(struct crmd *c, const struct crmd_msg *m, uint64_t now)
{
	c->now = now;
	if (c->state == CRMD_S_STOPPED || c->state == CRMD_S_STARTING)
		return;
	if (m->to != 0 && m->to != c->me)
		return;
	crmd_logf(c, PL_LOG_DEBUG, "recv %s from %u id %llu", crmd_msg_name(m->type), m->from,
	    (unsigned long long)m->id);
	switch (m->type) {
	case CRMD_MSG_VOTE: crmd_election_vote(c, m); break;
	case CRMD_MSG_JOIN_OFFER:
	case CRMD_MSG_JOIN_ACK: crmd_join_node_recv(c, m); break;
	case CRMD_MSG_JOIN_REQUEST:
	case CRMD_MSG_JOIN_CONFIRM:
	case CRMD_MSG_SHUTDOWN_REQ: crmd_join_dc_recv(c, m); break;
	case CRMD_MSG_ACTION:
	case CRMD_MSG_SHUTDOWN:
	case CRMD_MSG_REFRESH: crmd_exec_recv(c, m); break;
	case CRMD_MSG_ACTION_RESULT:
		if (crmd_dc_state(c->state) || c->graph)
			crmd_te_result(c, m->from, &m->u.result);
		break;
	default:
		crmd_logf(c, PL_LOG_WARNING, "ignored message of unknown type %d from %u",
		    (int)m->type, m->from);
		break;
	}
}

void
crmd_lrmd_result(struct crmd *c, const struct crmd_op_result *r, uint64_t now)
{
	c->now = now;
	if (c->state == CRMD_S_STOPPED)
		return;
	crmd_exec_result(c, r);
}

void
crmd_pe_graph(struct crmd *c, uint64_t ref, const char *graph_xml, uint64_t now)
{
	c->now = now;
	crmd_te_graph(c, ref, graph_xml);
}

void
crmd_cib_synced(struct crmd *c, bool ok, uint64_t now)
{
	c->now = now;
	crmd_join_cib_synced(c, ok);
}

void
crmd_fence_result(struct crmd *c, uint64_t ref, const char *target, const char *action, bool ok,
    const char *delegate, uint64_t now)
{
	c->now = now;
	crmd_te_fenced(c, ref, target, action, ok, delegate);
}

void
crmd_cib_changed(struct crmd *c, uint64_t now)
{
	c->now = now;
	if (crmd_dc_state(c->state))
		crmd_te_request(c, "CIB change");
}

/* The CIB may lack (or have lost to a later write) what this DC's join wrote: join again. */
static void
rejoin_for(struct crmd *c, const char *why)
{
	/* in integration no history of this join is written yet: they come after. From
	 * finalisation on, a history written before is gone, and the scheduler must not see
	 * the CIB without it */
	if (!crmd_dc_state(c->state) || c->state == CRMD_S_INTEGRATION)
		return;
	crmd_logf(c, PL_LOG_NOTICE,
	    "%s in %s: joining everyone again to write their resource histories", why,
	    crmd_state_name(c->state));
	crmd_election_start(c, true);
}

void
crmd_cib_replaced(struct crmd *c, uint64_t now)
{
	c->now = now;
	rejoin_for(c, "the CIB lost results this DC wrote");
}

void
crmd_cib_written_by(struct crmd *c, const char *node, uint64_t now)
{
	const struct crmd_peer *p = node ? crmd_peer_by_name(c, node) : NULL;

	c->now = now;
	if (p == NULL || p->nodeid == c->me)
		return;
	char why[128];
	snprintf(why, sizeof(why), "the controller of %s wrote the status section", node);
	rejoin_for(c, why);
}

void
crmd_shutdown(struct crmd *c, uint64_t now)
{
	c->now = now;
	if (c->shutdown_requested || c->state == CRMD_S_STOPPED)
		return;
	c->shutdown_requested = true;
	c->shutdown_deadline = now + c->opt.shutdown_escalation_ms;
	crmd_logf(c, PL_LOG_NOTICE, "shutdown requested");
	if (!c->have_config) { /* no cluster yet: nothing to hand over */
		crmd_change_state(c, CRMD_S_STOPPED);
		return;
	}
	/* otherwise once there is a DC: ask it (or, as DC, schedule it for this node) */
	if (crmd_dc_state(c->state))
		crmd_shutdown_self(c);
	else if (c->state == CRMD_S_NOT_DC && c->joined) {
		crmd_shutdown_ask(c);
	}
}

/* The DC leaves: mark itself shutting down; the scheduler moves its resources away and
 * ends with do_shutdown for it. */
void
crmd_shutdown_self(struct crmd *c)
{
	struct crmd_peer *p = crmd_peer(c, c->me);

	p->shutdown = true;
	p->expected_up = false;
	p->expected_known = true;
	crmd_write_node_state(c, p);
	crmd_te_request(c, "local shutdown");
}

/* Ask the DC to let this node go; again every join timeout until it does. Sent to every
 * controller: the others note that this controller's leaving will be no crash, so a DC
 * elected later does not wait for it to come back (te.c, te_hold). */
void
crmd_shutdown_ask(struct crmd *c)
{
	crmd_send(c, CRMD_MSG_SHUTDOWN_REQ, 0, 0, NULL);
	c->shutdown_sent = true;
	c->shutdown_resend = c->now + c->opt.join_timeout_ms;
	crmd_change_state(c, CRMD_S_STOPPING);
}

void
crmd_refresh(struct crmd *c, uint32_t nodeid, const char *rsc_id, uint64_t now)
{
	struct crmd_msg m;

	c->now = now;
	memset(&m, 0, sizeof(m));
	m.u.rsc_id = (char *)rsc_id;
	if (nodeid != c->me)
		crmd_send(c, CRMD_MSG_REFRESH, nodeid, 0, &m);
	if (nodeid == 0 || nodeid == c->me) {
		m.type = CRMD_MSG_REFRESH;
		m.from = c->me;
		crmd_exec_recv(c, &m);
	}
}

bool
crmd_fail_resource(struct crmd *c, uint32_t nodeid, const char *rsc_id, const char *rclass,
    const char *provider, const char *type, uint64_t now)
{
	struct crmd_op_result r = {
		.rsc_id = (char *)rsc_id,
		.rclass = (char *)rclass,
		.provider = (char *)provider,
		.type = (char *)type,
		.action = (char *)"asyncmon",
		.interval_ms = 0,
		.transition_key = (char *)"",
		.exit_reason = (char *)"Simulated failure",
		.op_digest = (char *)"",
		.op_restart_digest = (char *)"",
		.rc = PL_OCF_ERR_GENERIC,
		.status = PL_LRMD_DONE,
		.target_rc = -1,
	};

	c->now = now;
	if (c->state == CRMD_S_STOPPED)
		return false;
	r.last_rc_change = c->ops.wall_s ? c->ops.wall_s(c->arg) : 0;
	if (nodeid == c->me) {
		crmd_logf(c, PL_LOG_NOTICE, "failing %s here, as asked", rsc_id);
		crmd_exec_result(c, &r);
		return true;
	}
	if (!crmd_dc_state(c->state))
		return false;
	crmd_logf(c, PL_LOG_NOTICE, "failing %s on %u, as asked", rsc_id, nodeid);
	crmd_te_result(c, nodeid, &r);
	return true;
}

static uint64_t
min64(uint64_t a, uint64_t b)
{
	return a < b ? a : b;
}

uint64_t
crmd_next_deadline(const struct crmd *c)
{
	uint64_t t = CRMD_NEVER;

	if (c->state == CRMD_S_STOPPED)
		return t;
	t = min64(t, c->pending_deadline);
	t = min64(t, c->election_deadline);
	t = min64(t, c->join_deadline);
	t = min64(t, c->offer_deadline);
	t = min64(t, c->reoffer_deadline);
	t = min64(t, c->recheck_deadline);
	t = min64(t, c->hold_deadline);
	if (c->state == CRMD_S_STOPPING)
		t = min64(t, c->shutdown_resend);
	t = min64(t, c->shutdown_deadline);
	return min64(t, crmd_te_deadline(c));
}

void
crmd_tick(struct crmd *c, uint64_t now)
{
	c->now = now;
	if (c->state == CRMD_S_STOPPED)
		return;
	if (c->shutdown_deadline <= now) {
		crmd_logf(c, PL_LOG_WARNING, "shutdown escalation: leaving now");
		c->shutdown_deadline = CRMD_NEVER;
		crmd_change_state(c, CRMD_S_STOPPED);
		return;
	}
	if (c->state == CRMD_S_PENDING && c->pending_deadline <= now) {
		crmd_logf(c, PL_LOG_NOTICE, "dc-deadtime passed with a node missing: electing");
		crmd_election_start(c, true);
	}
	crmd_election_tick(c);
	crmd_join_tick(c);
	if (c->state == CRMD_S_STOPPING && c->shutdown_resend <= now)
		crmd_shutdown_ask(c);
	if (c->hold_deadline <= now) {
		c->hold_deadline = CRMD_NEVER;
		crmd_te_kick(c);
	}
	crmd_te_tick(c);
	if (crmd_dc_state(c->state) && c->recheck_deadline <= now) {
		c->recheck_deadline = CRMD_NEVER;
		crmd_te_request(c, "cluster-recheck-interval");
	}
}

enum crmd_state
crmd_get_state(const struct crmd *c)
{
	return c->state;
}

bool
crmd_is_dc(const struct crmd *c)
{
	return crmd_dc_state(c->state);
}

uint32_t
crmd_dc(const struct crmd *c)
{
	if (crmd_dc_state(c->state))
		return c->me;
	if (c->state == CRMD_S_NOT_DC || c->state == CRMD_S_STOPPING)
		return c->dc;
	return 0;
}

enum crmd_join
crmd_node_join(const struct crmd *c, uint32_t nodeid)
{
	for (size_t i = 0; i < c->n_peers; i++)
		if (c->peers[i].nodeid == nodeid)
			return c->peers[i].join;
	return CRMD_JOIN_DOWN;
}
