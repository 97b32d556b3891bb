/*
 * primitive.c - the actions of one primitive: stops where it must not stay, the start where
 * it goes, promotion and demotion of a promotable instance, live migration, fail count
 * clearing; and the migrations a changing predecessor cancels.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "paceline/xalloc.h"
#include "pengine_private.h"

static struct pengine_action *
promotion_actions(struct pengine_ws *ws, struct pengine_rsc *r, struct pengine_action *st,
    struct pengine_node *chosen, bool need_stop)
{
	struct pengine_node *cur = r->n_running ? r->running[0] : NULL;
	struct pengine_action *d = NULL;
	bool redo = pengine_demote_on_fail(r); /* demoted, then promoted again in place */
	if (cur && r->role == ROLE_PROMOTED &&
	    (cur != chosen || r->next_role != ROLE_PROMOTED || need_stop || redo)) {
		d = pengine_action_new(ws, r, "demote", 0, cur, false);
		struct pengine_action *stop = pengine_action_find(ws, r, "stop", 0, cur);
		pengine_order_actions(d, stop, OF_OPTIONAL);
		if (cur == chosen && !need_stop && !redo) /* a stop ends its monitors anyway */
			pengine_cancel_role_monitors(ws, r, cur, ROLE_PROMOTED, d);
	}
	if (d == NULL && cur && r->role == ROLE_PROMOTED) {
		/* staying promoted: a demote in reserve, required should it stop after all
		 * (its start blocked by an ordering) */
		struct pengine_action *stop = pengine_action_find(ws, r, "stop", 0, cur);
		if (stop) {
			d = pengine_action_new(ws, r, "demote", 0, cur, true);
			pengine_order_actions(d, stop, OF_IMPLIES_FIRST);
			d = NULL;
		}
	}
	if (r->next_role == ROLE_PROMOTED) {
		bool req = r->role != ROLE_PROMOTED || cur != chosen || need_stop || redo;
		struct pengine_action *p = pengine_action_new(ws, r, "promote", 0, chosen, !req);
		if (!(st->flags & AF_RUNNABLE))
			p->flags &= ~AF_RUNNABLE;
		/* a start required later (a restart an ordering forces) does not require the
		 * promotion: Pacemaker leaves such an instance unpromoted */
		pengine_order_actions(st, p, OF_RUNNABLE_LEFT);
		if (req && cur == chosen && !need_stop && !redo)
			pengine_cancel_role_monitors(ws, r, cur, ROLE_UNPROMOTED, p);
		return p;
	}
	/* demoted in place: the unpromoted monitors follow the demotion */
	if (d && cur == chosen && !need_stop)
		return d;
	return st;
}

/* A promoted instance whose failure says on-fail=demote: it is demoted (and promoted
 * again where it stays), not stopped (on_fail_demote1) */
bool
pengine_demote_on_fail(const struct pengine_rsc *r)
{
	return r->failed && r->on_fail == ONFAIL_DEMOTE && r->role == ROLE_PROMOTED &&
	    pengine_promotable_instance((struct pengine_rsc *)r);
}

/* allow-migrate, which a remote connection has unless it says otherwise (Pacemaker) */
bool
pengine_migratable(struct pengine_rsc *r)
{
	const char *v = pengine_meta(r, "allow-migrate");
	return v ? pengine_is_true(v) : r->is_remote_conn && !r->implicit;
}

/* Without quorum, whether the no-quorum-policy applies to r: not to one that requires
 * nothing (meta requires=nothing), which Pacemaker keeps and starts regardless. */
bool
pengine_stop_unexpected(struct pengine_rsc *r)
{
	const char *ma = pengine_meta(r, "multiple-active");
	return r->n_running > 1 && ma && !strcmp(ma, "stop_unexpected") && r->assigned &&
	    pengine_rsc_active_on(r, r->assigned);
}

void
pengine_primitive_actions(struct pengine_ws *ws, struct pengine_rsc *r)
{
	struct pengine_node *chosen = r->assigned;
	if (!r->managed) {
		/* unmanaged but active: its recurring monitors still run where it is */
		if (r->n_running >= 1 && !ws->maintenance && !r->running[0]->maintenance &&
		    pengine_node_usable(r->running[0])) {
			struct pengine_action *st =
			    pengine_action_new(ws, r, "start", 0, r->running[0], true);
			if (pengine_promotable_instance(r))
				r->next_role = r->role;
			pengine_recurring(ws, r, st, r->running[0]);
			pengine_recurring_stopped(ws, r, r->running[0], true);
		}
		return;
	}
	if (r->multi_blocked)
		return; /* multiple-active=block: nothing is done with it */
	/* a copy on a node about to be fenced does not count when it also runs on a clean
	 * node: only clean nodes make it active elsewhere (multiply-active-stonith) */
	bool moving = false, clean_here = false;
	for (int i = 0; i < r->n_running; i++)
		if (r->running[i] == chosen && !r->running[i]->unclean)
			clean_here = true;
	for (int i = 0; i < r->n_running; i++) {
		if (r->running[i] != chosen && !(clean_here && r->running[i]->unclean))
			moving = true;
		if (r->pn[r->running[i]->idx].agent_changed && !r->running[i]->shutdown)
			r->restart_due = true; /* another agent ran it: restarted */
	}
	/* a promoted instance's failure with on-fail=demote is recovered by a demotion */
	bool need_stop = moving || (r->failed && !r->blocked && !pengine_demote_on_fail(r)) ||
	    r->restart_due;
	bool no_quorum = pengine_quorum_stops(ws, r);
	if (no_quorum && r->n_running > 0)
		need_stop = true;
	if (r->failed && r->blocked) {
		/* it should stop but may not: what must stop after it cannot either */
		for (int i = 0; i < r->n_running; i++) {
			struct pengine_action *s =
			    pengine_action_new(ws, r, "stop", 0, r->running[i], false);
			s->flags &= ~AF_RUNNABLE;
		}
		return;
	}
	const char *ma = pengine_meta(r, "multiple-active");
	if (r->n_running > 1 && ma && !strcmp(ma, "stop_only")) {
		chosen = NULL; /* active in several places: stop everywhere */
		if (r->assigned)
			r->assigned->n_assigned--;
		r->assigned = NULL;
	}
	/* a partial migration to the node chosen again continues there (migration_history.c) */
	bool partial = chosen && chosen == r->partial_tgt && r->partial_src &&
	    pengine_rsc_active_on(r, r->partial_src) && !r->failed && !r->restart_due &&
	    !r->no_migrate && pengine_migratable(r) && pengine_node_usable(r->partial_src);
	/* a start still pending somewhere: Pacemaker makes the start first, before any stop,
	 * which puts its synapse after theirs (corpus 735) */
	for (int n = 0; chosen && n < ws->n_nodes; n++)
		if (r->pn[n].pending && !strcmp(r->pn[n].pending, "start")) {
			pengine_action_new(ws, r, "start", 0, chosen, true);
			break;
		}
	/* migrated away but never stopped here: the stop, which restarts nothing (made before
	 * the other stops, as Pacemaker orders their synapses) */
	PENGINE_ALIST(dangling);
	for (int n = 0; n < ws->n_nodes; n++)
		if (r->pn[n].dangling && !pengine_rsc_active_on(r, ws->nodes[n]) &&
		    pengine_node_usable(ws->nodes[n]))
			g_ptr_array_add(
			    dangling, pengine_action_new(ws, r, "stop", 0, ws->nodes[n], false));
	/* multiple-active=stop_unexpected: it stops only where it should not be and its start
	 * is a pseudo-action (its monitors are rescheduled) */
	bool unexpected =
	    r->n_running > 1 && ma && !strcmp(ma, "stop_unexpected") && chosen && !r->restart_due;
	PENGINE_ALIST(stops);
	for (int i = 0; i < r->n_running; i++) {
		struct pengine_node *n = r->running[i];
		if (partial && n == chosen)
			continue; /* the partial migration continues there */
		if (unexpected && n == chosen && !r->pn[n->idx].failed)
			continue; /* where it stays (unless it failed there) */
		bool req = need_stop && (r->running[i] != chosen || r->failed || r->restart_due);
		if (moving && r->n_running > 1)
			req = true;
		struct pengine_action *s = pengine_action_new(ws, r, "stop", 0, n, !req);
		if (chosen == NULL && !s->reason)
			s->reason = "node availability";
		if (r->orphan && req && !(r->parent && r->parent->orphan) &&
		    !(r->parent && r->parent->kind == KIND_CLONE)) {
			/* an orphan's history is removed once it is stopped (not an orphan
			 * instance's of a clone of groups: the clone still knows it) */
			struct pengine_action *del = pengine_action_new(ws, r, "delete", 0, n, false);
			pengine_order_actions(s, del, OF_OPTIONAL);
		}
		g_ptr_array_add(stops, s);
	}
	/* its history names another agent (class, provider, type): deleted where the node is
	 * up, after the resource's stops (on every node: Pacemaker orders the resource's stop
	 * before its delete, not node by node); it starts again wherever it goes */
	PENGINE_ALIST(deletes);
	PENGINE_ALIST(all_stops);
	pengine_rsc_task_actions(ws, r, "stop", false, all_stops);
	for (int n = 0; n < ws->n_nodes; n++) {
		struct pengine_node *node = ws->nodes[n];
		if (!r->pn[n].agent_changed || !pengine_node_usable(node) || node->shutdown)
			continue;
		struct pengine_action *del = pengine_action_new(ws, r, "delete", 0, node, false);
		for (guint i = 0; i < all_stops->len; i++)
			pengine_order_actions(all_stops->pdata[i], del, OF_OPTIONAL);
		g_ptr_array_add(deletes, del);
	}
	if (chosen) {
		/* a start still in flight where it stays is issued again (Pacemaker's start
		 * pending, corpus 696 and 726), which reschedules its monitors; the node
		 * running it answers both with the one run (crmd/exec.c adopt) */
		const char *inflight = r->pn[chosen->idx].pending;
		bool again = inflight && !strcmp(inflight, "start") && !need_stop &&
		    pengine_rsc_active_on(r, chosen);
		bool req = need_stop || r->n_running == 0 || !pengine_rsc_active_on(r, chosen) ||
		    again || deletes->len > 0;
		struct pengine_action *st = pengine_action_new(ws, r, "start", 0, chosen, !req);
		for (guint i = 0; i < dangling->len; i++)
			pengine_order_actions(dangling->pdata[i], st, OF_OPTIONAL);
		for (guint i = 0; i < deletes->len; i++)
			pengine_order_actions(deletes->pdata[i], st, OF_OPTIONAL);
		if (unexpected) { /* even where it did not run (as Pacemaker 2.1.5) */
			st->flags |= AF_PSEUDO;
			r->multiply_active_reason = true;
		}
		if (no_quorum ||
		    (pengine_no_quorum(ws, r) && ws->no_quorum_policy == NQP_FREEZE &&
			r->n_running == 0)) { /* freeze: an active resource may still move */
			st->flags &= ~AF_RUNNABLE;
			st->reason = no_quorum ? "no quorum" : "quorum freeze";
		}
		for (int i = 0; i < (int)stops->len; i++)
			pengine_order_actions(stops->pdata[i], st,
			    (again ? 0 : OF_RESTART) | OF_IMPLIES_THEN | OF_RUNNABLE_LEFT);
		struct pengine_action *trigger = st;
		if (pengine_promotable_instance(r))
			trigger = promotion_actions(ws, r, st, chosen, need_stop);
		/* promoted again after an on-fail=demote failure: its monitors still run, as
		 * the start that did not happen says */
		if (pengine_demote_on_fail(r) && trigger != st && !need_stop && r->n_running > 0 &&
		    chosen == r->running[0])
			trigger = st;
		pengine_recurring(ws, r, trigger, chosen);
		/* a start required later still requires the monitors behind the promotion */
		for (guint k = 0; trigger != st && k < r->actions->len; k++) {
			struct pengine_action *m = r->actions->pdata[k];
			if (m->task_id == TASK_MONITOR && m->interval_ms > 0 && m->node == chosen &&
			    m->op && pengine_role_parse(m->op->role) == ROLE_PROMOTED)
				pengine_order_actions(st, m, OF_IMPLIES_THEN);
		}
		struct pengine_node *cur = r->n_running == 1 ? r->running[0] : NULL;
		if (unexpected)
			st->flags |= AF_PSEUDO;
		if (partial) {
			/* migrate_to is done: migrate_from, then the source's stop */
			struct pengine_action *mf =
			    pengine_action_new(ws, r, "migrate_from", 0, chosen, false);
			st->flags |= AF_PSEUDO;
			for (guint i = 0; i < stops->len; i++)
				pengine_order_actions(mf, stops->pdata[i], OF_OPTIONAL);
			pengine_order_actions(mf, st, OF_OPTIONAL);
		} else if (cur && cur != chosen && !r->failed && !r->restart_due &&
		    !r->no_migrate && !r->partial_tgt && pengine_node_usable(cur) &&
		    (st->flags & AF_RUNNABLE) && pengine_migratable(r) &&
		    (r->parent == NULL ||
			(r->parent->kind == KIND_GROUP && r->parent->parent == NULL))) {
			/* live migration: migrate_to, migrate_from, then the stop; the start is implied */
			struct pengine_action *mt =
			    pengine_action_new(ws, r, "migrate_to", 0, cur, false);
			struct pengine_action *mf =
			    pengine_action_new(ws, r, "migrate_from", 0, chosen, false);
			st->flags |= AF_PSEUDO;
			pengine_order_actions(mt, mf, OF_IMPLIES_THEN | OF_RUNNABLE_LEFT);
			pengine_order_actions(mf, stops->len ? stops->pdata[0] : NULL, OF_OPTIONAL);
			pengine_order_actions(mf, st, OF_OPTIONAL);
		}
	}
	if (chosen == NULL && pengine_promotable_instance(r) && r->role == ROLE_PROMOTED &&
	    r->n_running) {
		/* a promoted instance that stops is demoted first */
		struct pengine_action *d =
		    pengine_action_new(ws, r, "demote", 0, r->running[0], false);
		pengine_order_actions(
		    d, pengine_action_find(ws, r, "stop", 0, r->running[0]), OF_OPTIONAL);
		/* on a bundle's guest node that goes away, Pacemaker cancels the promoted
		 * monitors before the demotion */
		if (r->bundled)
			pengine_cancel_role_monitors(ws, r, r->running[0], ROLE_PROMOTED, d);
	}
	pengine_recurring_stopped(ws, r, chosen, false);
}

/* Fail counts that are cleared: the expired ones (and a last failure of other parameters)
 * early, as Pacemaker schedules them while unpacking the history; those of an operation
 * disabled or changed since late, after the history's own actions, as Pacemaker's deferred
 * parameter checks do. */
void
pengine_clear_failcounts(struct pengine_ws *ws, bool early)
{
	for (int i = 0; i < ws->n_rscs; i++) {
		struct pengine_rsc *r = ws->rscs[i];
		if (r->kind != KIND_PRIMITIVE)
			continue;
		for (int n = 0; n < ws->n_nodes; n++) {
			struct pengine_rsc_node *pn = &r->pn[n];
			bool expired = r->failure_timeout > 0 && pn->failcount > 0 &&
			    pn->last_failure + r->failure_timeout <= ws->now.epoch;
			expired = expired || (pn->fail_expired && pn->failcount > 0) || pn->fail_params;
			/* the failed operation is disabled or changed now */
			bool changed = (pn->fail_disabled || pn->fail_changed) && pn->failcount > 0;
			if (!(early ? expired : changed))
				continue;
			if (pn->failed && r->blocked)
				continue; /* a blocking failure stays */
			if (!ws->nodes[n]->online)
				continue;
			struct pengine_action *a =
			    pengine_action_new(ws, r, "clear_failcount", 0, ws->nodes[n], false);
			a->flags |= AF_CLUSTER;
		}
	}
}

/* A resource cannot migrate while something it must start after is itself changing: it
 * moves the ordinary way, waiting for that stop (Pacemaker's "unrunnable X stop"). */
void
pengine_abort_migrations(struct pengine_ws *ws)
{
	for (int i = 0; i < ws->n_rscs; i++) {
		struct pengine_rsc *r = ws->rscs[i];
		if (r->kind != KIND_PRIMITIVE || r->assigned == NULL)
			continue;
		struct pengine_action *st = pengine_action_find(ws, r, "start", 0, r->assigned);
		struct pengine_action *mt = NULL, *mf = NULL;
		for (guint k = 0; k < r->actions->len; k++) {
			struct pengine_action *a = r->actions->pdata[k];
			if (a->task_id == TASK_MIGRATE_TO)
				mt = a;
			else if (a->task_id == TASK_MIGRATE_FROM)
				mf = a;
		}
		if (st == NULL || mt == NULL || mf == NULL)
			continue;
		struct pengine_rsc *blocker = NULL;
		for (guint k = 0; k < st->before->len && !blocker; k++) {
			struct pengine_edge e = g_array_index(st->before, struct pengine_edge, k);
			struct pengine_action *f = e.other;
			if (f->rsc && f->rsc != r && f->rsc->kind == KIND_PRIMITIVE &&
			    (e.flags & (OF_IMPLIES_THEN | OF_RUNNABLE_LEFT)) &&
			    !(f->flags & AF_OPTIONAL) && f->task_id == TASK_START &&
			    !(f->flags & AF_PSEUDO))
				blocker = f->rsc;
			/* a clone that moves an instance (its stop and start both required):
			 * Pacemaker's "unrunnable CLONE stop"
			 * (11-a-then-bm-b-move-a-clone-starting) */
			if (f->rsc && f->rsc->kind == KIND_CLONE && f->node == NULL &&
			    (e.flags & (OF_IMPLIES_THEN | OF_RUNNABLE_LEFT)) &&
			    (f->task_id == TASK_START || f->task_id == TASK_RUNNING))
				for (int c = 0; c < f->rsc->n_children; c++) {
					struct pengine_rsc *in = f->rsc->children[c];
					if (in->kind != KIND_PRIMITIVE || in->n_running != 1 ||
					    in->assigned == NULL || in->assigned == in->running[0])
						continue;
					struct pengine_action *is =
					    pengine_action_find(ws, in, "stop", 0, in->running[0]);
					if (is && !(is->flags & AF_OPTIONAL))
						blocker = f->rsc;
				}
		}
		if (blocker == NULL)
			continue;
		mt->flags |= AF_OPTIONAL;
		mf->flags |= AF_OPTIONAL;
		mt->flags &= ~AF_RUNNABLE;
		mf->flags &= ~AF_RUNNABLE;
		st->flags &= ~AF_PSEUDO;
		r->move_reason =
		    pengine_keep(ws, xasprintf("due to unrunnable %s stop", blocker->id));
	}
}
