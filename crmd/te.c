/*
 * te.c - the transition engine (DC side): ask pengine for a graph whenever something relevant
 * changed, run it (graph_exec.c decides what may go), route each action (pseudo: done at
 * once; rsc_op: to this node's lrmd or to the target node's crmd; crm_event: shutdown,
 * fail-count clearing, fencing), match results by transition key, time actions out, and
 * abort on any new event (what runs finishes, then a new graph is computed).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <paceline/error.h>
#include <paceline/log.h>
#include <paceline/xalloc.h>

#include "fsm_int.h"

static void te_finish(struct crmd *c);
static void te_settle(struct crmd *c, uint32_t node, long idx, const struct crmd_op_result *r);

void (*crmd_graph_end_hook)(const struct crmd *c, const struct graph *g);

/* The nodeid of an action's target: by name, else a numeric uuid; 0 if unknown. */
static uint32_t
target_of(struct crmd *c, const struct graph_action *a)
{
	const struct crmd_peer *p = crmd_peer_by_name(c, a->on_node);
	char *end;

	if (p)
		return p->nodeid;
	unsigned long v = strtoul(a->on_node_uuid, &end, 10);
	return end != a->on_node_uuid && *end == '\0' ? (uint32_t)v : 0;
}

static bool
target_online(struct crmd *c, uint32_t nodeid)
{
	for (size_t i = 0; i < c->n_peers; i++)
		if (c->peers[i].nodeid == nodeid)
			return c->peers[i].crmd;
	return false;
}

/* A result is a failure unless it ran and returned what was expected; a probe that finds a
 * resource running or stopped is unexpected but no failure (no fail-count). */
static bool
counts_as_failure(const struct crmd_op_result *r, int target)
{
	if (r->status == PL_LRMD_CANCELLED)
		return false;
	if (r->status != PL_LRMD_DONE)
		return true;
	if (r->rc == target)
		return false;
	if (r->interval_ms == 0 && strcmp(r->action, "monitor") == 0)
		return !(r->rc == PL_OCF_SUCCESS || r->rc == PL_OCF_NOT_RUNNING ||
		    r->rc == PL_OCF_RUNNING_PROMOTED);
	return true;
}

static void
fail_count(struct crmd *c, uint32_t node, const struct crmd_op_result *r)
{
	crmd_logf(c, PL_LOG_WARNING, "%s_%s_%u on %u failed: rc=%d (%s) status=%d (%s)%s%s",
	    r->rsc_id, r->action, r->interval_ms, node, r->rc, pl_ocf_rc_name(r->rc), r->status,
	    pl_lrmd_status_name(r->status), *r->exit_reason ? ": " : "", r->exit_reason);
	if (c->ops.cib_fail_count)
		c->ops.cib_fail_count(c->arg, node, r->rsc_id, r->action, r->interval_ms,
		    c->ops.wall_s ? c->ops.wall_s(c->arg) : 0);
}

void
crmd_te_request(struct crmd *c, const char *why)
{
	c->need_pe = true;
	if (c->graph && !c->graph->aborted) {
		crmd_logf(c, PL_LOG_INFO, "transition %d aborted: %s", c->graph->transition_id, why);
		graph_abort(c->graph);
	}
	crmd_te_kick(c);
}

/* A fence action's reference: transition << 32 | index + 1 (never 0, which stands for
 * fencing someone else asked for, even for the first action of transition 0). */
static uint64_t
fence_ref(int transition_id, size_t idx)
{
	return (uint64_t)(uint32_t)transition_id << 32 | (uint32_t)(idx + 1);
}

static void
dispatch_event(struct crmd *c, size_t idx, uint32_t node)
{
	struct graph *g = c->graph;
	struct graph_action *a = &g->actions[idx];

	if (strcmp(a->operation, "stonith") == 0) {
		const char *action = pl_lrmd_params_get(&a->rsc.meta, "stonith_action");

		if (c->ops.fence == NULL) {
			crmd_logf(c, PL_LOG_ERR,
			    "fencing of %s refused: no fencing daemon in this cluster "
			    "(set stonith-enabled=false)",
			    a->on_node);
			graph_done(g, idx, GRAPH_A_FAILED);
			return;
		}
		crmd_logf(c, PL_LOG_NOTICE, "transition %d: asking the fencer to %s %s (action %d)",
		    g->transition_id, action ? action : "reboot", a->on_node, a->id);
		const char *pd = pl_lrmd_params_get(&a->rsc.meta, "priority_fencing_delay");
		long delay_s = pd ? strtol(pd, NULL, 10) : 0;
		c->ops.fence(c->arg, a->on_node, action ? action : "reboot",
		    delay_s > 0 && delay_s < 86400 ? (uint32_t)delay_s * 1000 : 0,
		    fence_ref(g->transition_id, idx));
		return;
	}
	if (strcmp(a->operation, "do_shutdown") == 0) {
		graph_done(g, idx, GRAPH_A_CONFIRMED);
		crmd_send(c, CRMD_MSG_SHUTDOWN, node, 0, NULL); /* may stop this node */
		return;
	}
	if (strcmp(a->operation, "clear_failcount") == 0 && c->ops.cib_clear_fail_count)
		c->ops.cib_clear_fail_count(c->arg, node, a->rsc.rsc_id, NULL, 0);
	graph_done(g, idx, GRAPH_A_CONFIRMED);
}

static void dispatch_chained(struct crmd *c, size_t idx, uint32_t node);

static void
dispatch(struct crmd *c, size_t idx)
{
	struct graph *g = c->graph;
	struct graph_action *a = &g->actions[idx];
	uint32_t node = a->kind == GRAPH_PSEUDO ? 0 : target_of(c, a);
	char key[96];

	if (a->kind == GRAPH_PSEUDO) {
		graph_done(g, idx, GRAPH_A_CONFIRMED);
		return;
	}
	if (!node || (!target_online(c, node) && strcmp(a->operation, "stonith") != 0)) {
		crmd_logf(c, PL_LOG_WARNING, "transition %d: action %d (%s) on %s: node not online",
		    g->transition_id, a->id, a->key, a->on_node);
		graph_done(g, idx, GRAPH_A_FAILED);
		return;
	}
	if (a->kind == GRAPH_CRM_EVENT) {
		dispatch_event(c, idx, node);
		return;
	}
	snprintf(key, sizeof(key), "%d:%d:%d:%u", a->id, g->transition_id, a->rsc.target_rc, c->me);
	free(a->rsc.transition_key);
	a->rsc.transition_key = xstrdup(key);
	crmd_logf(c, PL_LOG_INFO, "transition %d: initiating %s on %s (action %d)",
	    g->transition_id, a->key, a->on_node, a->id);
	if (node == c->me) {
		crmd_exec_local(c, &a->rsc, c->me);
	} else {
		struct crmd_msg m;

		memset(&m, 0, sizeof(m));
		m.u.action = a->rsc; /* shallow: the graph keeps ownership */
		crmd_send(c, CRMD_MSG_ACTION, node, 0, &m);
		if (c->graph == g)
			dispatch_chained(c, idx, node);
	}
}

/* What waits only for the remote action idx, on the same node, goes with it (graph_chain):
 * the node runs it once idx succeeds, without a round through this DC. */
static void
dispatch_chained(struct crmd *c, size_t idx, uint32_t node)
{
	struct graph *g = c->graph;
	size_t out[8], n = graph_chain(g, idx, c->now, out, 8);
	const char *after = g->actions[idx].rsc.transition_key;

	for (size_t i = 0; i < n && c->graph == g; i++) {
		struct graph_action *b = &g->actions[out[i]];
		struct crmd_msg m;
		char key[96];

		snprintf(key, sizeof(key), "%d:%d:%d:%u", b->id, g->transition_id, b->rsc.target_rc,
		    c->me);
		free(b->rsc.transition_key);
		b->rsc.transition_key = xstrdup(key);
		pl_lrmd_params_set(&b->rsc.meta, CRMD_AFTER_META, after);
		crmd_logf(c, PL_LOG_INFO, "transition %d: initiating %s on %s (action %d) after %s",
		    g->transition_id, b->key, b->on_node, b->id, after);
		memset(&m, 0, sizeof(m));
		m.u.action = b->rsc;
		crmd_send(c, CRMD_MSG_ACTION, node, 0, &m);
		dispatch_chained(c, out[i], node);
	}
}

static void
run_graph(struct crmd *c)
{
	size_t *ready = xcalloc(c->graph->n_actions + 1, sizeof(*ready));
	size_t n;

	/* pseudo actions complete at once and may let more synapses fire */
	while (c->graph && c->state == CRMD_S_TRANSITION &&
	    (n = graph_ready(c->graph, c->now, ready, c->graph->n_actions)) > 0) {
		struct graph *g = c->graph;

		for (size_t i = 0; i < n && c->graph == g; i++)
			dispatch(c, ready[i]);
	}
	free(ready);
}

/* A member whose crmd left while the node stayed is probably restarting: give it
 * dc-deadtime to come back before acting on its absence (moving its resources). A member
 * whose controller runs but has not confirmed its join yet (a slow node: the join timed out
 * without it) is waited for the same time from the round's start: until it confirms, the
 * scheduler sees it pending, not online, and with fencing off ignores what runs there, so a
 * transition now would start its resources a second time elsewhere. */
static bool
te_hold(struct crmd *c)
{
	uint64_t until = 0;

	for (size_t i = 0; i < c->n_peers; i++) {
		const struct crmd_peer *p = &c->peers[i];

		if (p->member && !p->crmd && p->crmd_left &&
		    p->crmd_left + c->opt.dc_deadtime_ms > until)
			until = p->crmd_left + c->opt.dc_deadtime_ms;
		if (p->member && p->crmd && !p->shutdown &&
		    (p->join == CRMD_JOIN_PENDING || p->join == CRMD_JOIN_INTEGRATED ||
			p->join == CRMD_JOIN_FINALIZED) &&
		    c->join_started + c->opt.dc_deadtime_ms > until)
			until = c->join_started + c->opt.dc_deadtime_ms;
	}
	if (c->fence_retry_at > c->now && c->fence_retry_at > until) {
		/* a fencing just failed: do not ask the fencer again at once (a device that
		 * fails at once, or none at all, would make a tight loop of transitions) */
		if (c->hold_deadline == CRMD_NEVER)
			crmd_logf(c, PL_LOG_NOTICE, "fencing failed: next attempt in %llums",
			    (unsigned long long)(c->fence_retry_at - c->now));
		c->hold_deadline = c->fence_retry_at;
		return true;
	}
	if (until <= c->now)
		return false;
	if (c->hold_deadline == CRMD_NEVER)
		crmd_logf(c, PL_LOG_NOTICE,
		    "waiting up to %llums for a member's controller to "
		    "come back or finish its join",
		    (unsigned long long)(until - c->now));
	c->hold_deadline = until;
	return true;
}

void
crmd_te_kick(struct crmd *c)
{
	if (c->graph && c->state == CRMD_S_TRANSITION)
		run_graph(c);
	if (c->graph && graph_finished(c->graph))
		te_finish(c);
	if (c->graph || c->state != CRMD_S_IDLE)
		return;
	if (c->need_pe && te_hold(c)) {
		return;
	} else if (c->need_pe) {
		c->need_pe = false;
		c->pengine_ref++;
		c->recheck_deadline = CRMD_NEVER;
		crmd_change_state(c, CRMD_S_POLICY_ENGINE);
		c->ops.pengine_request(c->arg, c->pengine_ref);
	} else if (c->recheck_deadline == CRMD_NEVER) {
		if (c->opt.recheck_ms)
			c->recheck_deadline = c->now + c->opt.recheck_ms;
		if (c->recheck_by < c->recheck_deadline) /* a failure-timeout expires */
			c->recheck_deadline = c->recheck_by;
	}
}

static void
te_finish(struct crmd *c)
{
	struct graph *g = c->graph;

	if (graph_complete(g))
		crmd_logf(c, PL_LOG_NOTICE, "transition %d complete: %zu actions confirmed",
		    g->transition_id, g->n_confirmed);
	else
		crmd_logf(c, PL_LOG_NOTICE,
		    "transition %d stopped: %zu confirmed, %zu failed, "
		    "%zu timed out%s",
		    g->transition_id, g->n_confirmed, g->n_failed, g->n_timed_out,
		    g->aborted ? ", aborted" : "");
	if (!graph_complete(g) && !c->fence_stop)
		c->need_pe = true;
	c->fence_stop = false;
	if (crmd_graph_end_hook)
		crmd_graph_end_hook(c, g);
	c->graph = NULL;
	graph_free(g);
	if (c->state == CRMD_S_TRANSITION)
		crmd_change_state(c, CRMD_S_IDLE);
}

void
crmd_te_graph(struct crmd *c, uint64_t ref, const char *xml)
{
	struct pl_error err = PL_ERROR_INIT;
	struct graph *g;

	if (c->state != CRMD_S_POLICY_ENGINE || ref != c->pengine_ref)
		return; /* an answer to an old question */
	crmd_change_state(c, CRMD_S_IDLE);
	if (c->need_pe) { /* something changed meanwhile: ask again */
		crmd_te_kick(c);
		return;
	}
	if (!xml || !(g = graph_parse(xml, strlen(xml), &err))) {
		crmd_logf(c, PL_LOG_ERR, "no transition graph: %s",
		    xml ? err.text : "the scheduler failed");
		c->need_pe = true;
		c->recheck_deadline = c->now + 1000; /* retry soon, not in a loop */
		return;
	}
	g->transition_id = c->transition_seq++;
	if (!g->has_batch_limit) /* crm_config's, as Pacemaker's controller reads it */
		g->batch_limit = (int)c->opt.batch_limit;
	if (!g->has_migration_limit)
		g->migration_limit = c->opt.migration_limit;
	c->recheck_by = CRMD_NEVER;
	if (g->recheck_by > 0 && c->ops.wall_s) {
		uint64_t wall = c->ops.wall_s(c->arg);

		c->recheck_by = c->now +
		    ((uint64_t)g->recheck_by > wall ? ((uint64_t)g->recheck_by - wall) * 1000 : 0);
	}
	if (g->n_synapses == 0) {
		crmd_logf(c, PL_LOG_INFO, "transition %d: nothing to do", g->transition_id);
		graph_free(g);
		crmd_te_kick(c);
		return;
	}
	crmd_logf(c, PL_LOG_NOTICE, "transition %d: %zu actions", g->transition_id, g->n_actions);
	c->graph = g;
	crmd_change_state(c, CRMD_S_TRANSITION);
	crmd_te_kick(c);
}

/* The action of the running graph a result answers, or -1. */
static long
match_result(struct crmd *c, uint32_t node, const struct crmd_op_result *r)
{
	int aid, tid, rc;
	unsigned dc;
	long idx;

	if (!c->graph || !r->transition_key ||
	    sscanf(r->transition_key, "%d:%d:%d:%u", &aid, &tid, &rc, &dc) != 4 || dc != c->me ||
	    tid != c->graph->transition_id || (idx = graph_find(c->graph, aid)) < 0)
		return -1;
	const struct graph_action *a = &c->graph->actions[idx];
	if (a->state != GRAPH_A_IN_FLIGHT || a->kind != GRAPH_RSC_OP || target_of(c, a) != node ||
	    strcmp(a->rsc.rsc_id, r->rsc_id) != 0 || strcmp(a->rsc.action, r->action) != 0)
		return -1;
	return idx;
}

void
crmd_te_result(struct crmd *c, uint32_t node, const struct crmd_op_result *r)
{
	long idx = match_result(c, node, r);

	/* the DC writes every result (a draining former DC leaves that to the new one), but
	 * a chained action its node did not run (what it followed failed) left nothing, and
	 * a cancel is no operation of the resource: the cancelled monitor's own CANCELLED
	 * result removes its record (an operation="cancel" entry is nothing Pacemaker writes),
	 * and a delete's record is the resource's history gone: written as an operation it was
	 * history again, for which the scheduler asked another delete, without end (the DC's own
	 * node wrote it after its forget; cluster.fencing's orphaned st-null: a graph a
	 * millisecond, and d's start aborted by each) */
	bool not_run = r->status == PL_LRMD_CANCELLED && r->interval_ms == 0;
	bool forget = strcmp(r->action, "delete") == 0 && r->status == PL_LRMD_DONE &&
	    r->rc == PL_OCF_SUCCESS;
	if (strcmp(r->action, "cancel") == 0)
		not_run = true;
	if (crmd_dc_state(c->state) && forget && c->ops.cib_forget)
		c->ops.cib_forget(c->arg, node, r->rsc_id);
	else if (crmd_dc_state(c->state) && c->ops.cib_record_op && !not_run)
		c->ops.cib_record_op(c->arg, node, idx >= 0 ? &c->graph->actions[idx].rsc : NULL, r);
	if (idx >= 0) {
		te_settle(c, node, idx, r);
		return;
	}
	if (!crmd_dc_state(c->state))
		return;
	if (counts_as_failure(r, r->target_rc >= 0 ? r->target_rc : PL_OCF_SUCCESS)) {
		fail_count(c, node, r);
		crmd_te_request(c, "operation failure");
	} else if (r->interval_ms == 0) {
		crmd_te_request(c, "a result from outside the transition");
	}
}

/* A join confirmation's history may answer actions whose result message was lost. */
void
crmd_te_history(struct crmd *c, uint32_t node, const struct crmd_op_result *ops, size_t n)
{
	for (size_t i = 0; i < n && c->graph; i++) {
		long idx = match_result(c, node, &ops[i]);

		if (idx >= 0)
			te_settle(c, node, idx, &ops[i]);
	}
}

static void
te_settle(struct crmd *c, uint32_t node, long idx, const struct crmd_op_result *r)
{
	{
		const struct graph_action *a = &c->graph->actions[idx];
		bool ok = r->status == PL_LRMD_DONE && r->rc == a->rsc.target_rc;

		if (strcmp(r->action, "cancel") == 0)
			ok = true;
		graph_done(c->graph, (size_t)idx, ok ? GRAPH_A_CONFIRMED : GRAPH_A_FAILED);
		if (!ok && counts_as_failure(r, a->rsc.target_rc))
			fail_count(c, node, r);
		if (!ok && crmd_dc_state(c->state))
			crmd_te_request(c, "an action's result was not the expected one");
		crmd_te_kick(c);
	}
}

/* Actions in flight on a node that left will never be answered. */
void
crmd_te_node_lost(struct crmd *c, uint32_t nodeid)
{
	struct graph *g = c->graph;

	if (!g)
		return;
	for (size_t i = 0; i < g->n_actions; i++)
		if (g->actions[i].state == GRAPH_A_IN_FLIGHT &&
		    target_of(c, &g->actions[i]) == nodeid &&
		    strcmp(g->actions[i].operation, "stonith") != 0) { /* fencing it goes on */
			crmd_logf(c, PL_LOG_WARNING, "transition %d: action %d (%s) lost with %s",
			    g->transition_id, g->actions[i].id, g->actions[i].key,
			    g->actions[i].on_node);
			graph_done(g, i, GRAPH_A_FAILED);
		}
	if (graph_finished(g))
		te_finish(c);
}

/* The fencer's answer (see fsm.h). */
void
crmd_te_fenced(struct crmd *c, uint64_t ref, const char *target, const char *action, bool ok,
    const char *delegate)
{
	struct graph *g = c->graph;
	struct crmd_peer *p = crmd_peer_by_name(c, target);
	/* the DC records it; if the DC itself was fenced, the node that fenced it does */
	bool recorder = crmd_is_dc(c) ||
	    (p != NULL && p->nodeid == c->dc && p->nodeid != c->me && delegate != NULL &&
		c->my_name != NULL && strcmp(delegate, c->my_name) == 0);

	if (ok && recorder && p != NULL && strcmp(action, "on") != 0) {
		/* the node is down for sure: say so before anything recovers its resources */
		struct crmd_node_state ns = {
			.nodeid = p->nodeid,
			.name = p->name ? p->name : target,
			.in_ccm = false,
			.crmd_online = false,
			.join = CRMD_JOIN_DOWN,
			.expected_up = false,
		};
		crmd_logf(c, PL_LOG_NOTICE, "%s was fenced (%s): its resources are stopped", target,
		    action);
		p->join = CRMD_JOIN_DOWN;
		p->expected_up = false;
		p->expected_known = true;
		if (c->ops.cib_node_state)
			c->ops.cib_node_state(c->arg, &ns);
		if (c->ops.cib_forget)
			c->ops.cib_forget(c->arg, p->nodeid, NULL);
	}
	if (ref != 0 && g != NULL && (uint32_t)(ref >> 32) == (uint32_t)g->transition_id) {
		size_t idx = (size_t)(uint32_t)ref - 1;

		if (idx < g->n_actions && g->actions[idx].state == GRAPH_A_IN_FLIGHT &&
		    strcmp(g->actions[idx].operation, "stonith") == 0) {
			if (!ok)
				crmd_logf(c, PL_LOG_ERR,
				    "transition %d: fencing of %s failed: recovery waits for a "
				    "retry",
				    g->transition_id, target);
			bool give_up = !ok && crmd_fence_count_failure(c, target);

			if (ok)
				crmd_fence_count_reset(c, target);
			if (give_up) /* the graph ends; no new one until something changes */
				c->fence_stop = true;
			graph_done(g, idx, ok ? GRAPH_A_CONFIRMED : GRAPH_A_FAILED);
			c->fence_retry_at = ok || give_up ? 0 : c->now + CRMD_FENCE_RETRY_MS;
			if (!ok && !give_up && crmd_dc_state(c->state))
				crmd_te_request(c, "fencing failed");
			crmd_te_kick(c);
			return;
		}
	}
	if (ok)
		crmd_fence_count_reset(c, target);
	if (ok && crmd_is_dc(c))
		crmd_te_request(c, "a node was fenced");
}

void
crmd_te_drop(struct crmd *c)
{
	c->need_pe = false;
	c->pengine_ref++;
	c->recheck_deadline = CRMD_NEVER;
	if (c->graph) {
		graph_abort(c->graph);
		if (graph_finished(c->graph))
			te_finish(c);
	}
}

uint64_t
crmd_te_deadline(const struct crmd *c)
{
	return c->graph ? graph_next_deadline(c->graph) : CRMD_NEVER;
}

static void
record_timeout(struct crmd *c, const struct graph_action *a)
{
	uint32_t node = target_of(c, a);
	struct crmd_op_result r = {
		.rsc_id = a->rsc.rsc_id,
		.rclass = a->rsc.rclass,
		.provider = a->rsc.provider,
		.type = a->rsc.type,
		.action = a->rsc.action,
		.interval_ms = a->rsc.interval_ms,
		.transition_key = a->rsc.transition_key,
		.exit_reason = "",
		.op_digest = "",
		.op_restart_digest = "",
		.rc = PL_OCF_ERR_GENERIC,
		.status = PL_LRMD_TIMED_OUT,
		.target_rc = a->rsc.target_rc,
		.last_rc_change = c->ops.wall_s ? c->ops.wall_s(c->arg) : 0,
	};

	crmd_logf(c, PL_LOG_ERR, "transition %d: action %d (%s on %s) timed out",
	    c->graph->transition_id, a->id, a->key, a->on_node);
	if (a->kind != GRAPH_RSC_OP || !crmd_dc_state(c->state))
		return;
	if (c->ops.cib_record_op)
		c->ops.cib_record_op(c->arg, node, &a->rsc, &r);
	fail_count(c, node, &r);
}

void
crmd_te_tick(struct crmd *c)
{
	struct graph *g = c->graph;

	if (!g || graph_next_deadline(g) > c->now)
		return;
	size_t *out = xcalloc(g->n_actions + 1, sizeof(*out));
	size_t n = graph_expire(g, c->now, out, g->n_actions);

	for (size_t i = 0; i < n; i++)
		record_timeout(c, &g->actions[out[i]]);
	free(out);
	if (n && crmd_dc_state(c->state))
		crmd_te_request(c, "an action timed out");
	else
		crmd_te_kick(c);
}
